/**
 * Property: for random formulas of the grammar (sums and products of up to three atoms with small integer
 * coefficients and linear arguments, sometimes differentiated), the derived operator P annihilates the function
 * pointwise off the kinks — P•f evaluated exactly to rounding by Taylor arithmetic — and, when the formula has a
 * heaviside, as a distribution. Points are on a grid shifted off the rational kinks (never subnormal).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { operatorToText } from '@holonomic-ntk/weyl-algebra';
import { deriveFromFormula, formulaKinks } from '../../src/annihilators/activationAnnihilator.ts';
import { ACTIVATION_ALGEBRA as D, U_POLY } from '../../src/annihilators/algebra.ts';
import { distributionResidual } from '../../src/annihilators/distributionCheck.ts';
import { parseFormula } from '../../src/annihilators/formula.ts';
import { weylToPolyOperator } from '../../src/annihilators/ratOperator.ts';
import { evaluateFormula, taylorOf } from '../../src/annihilators/taylor.ts';

/** Pointwise: |P•f| / Σ_i |a_i f^(i)| (rounding of the Taylor evaluation and of large operator coefficients). */
const POINTWISE_TOL = 1e-9;
/** As a distribution: relative residual of the Gaussian pairing. */
const DISTRIBUTION_TOL = 1e-9;

const linear = fc.record({ a: fc.constantFrom(-2, -1, 1, 2), b: fc.constantFrom(-1, 0, 1) }).map(({ a, b }) => `${a}*u${b < 0 ? '' : '+'}${b}`);
const atom = fc.oneof(
  fc.tuple(fc.constantFrom('exp', 'sin', 'cos', 'erf', 'Phi', 'heaviside'), linear).map(([fn, arg]) => `${fn}(${arg})`),
  linear.map((p) => `(${p})`),
  fc.constantFrom('u', 'u^2'),
);
const term = fc
  .tuple(
    fc.integer({ min: -3, max: 3 }).filter((c) => c !== 0),
    atom,
  )
  .map(([c, a]) => `${c}*${a}`);
const formula = fc
  .tuple(fc.array(fc.tuple(fc.constantFrom('+', '*'), atom), { maxLength: 2 }), term, fc.boolean(), fc.integer({ min: 0, max: 4 }))
  .map(([rest, first, paren, diff]) => {
    let text = first;
    for (const [op, a] of rest) text = paren && op === '*' ? `(${text})${op}${a}` : `${text}${op}${a}`;
    return diff === 0 ? `diff(${text})` : text;
  });

describe('derived annihilators of random formulas', () => {
  it('annihilate the function pointwise and, with heaviside, as a distribution', () => {
    fc.assert(
      fc.property(
        formula,
        fc.array(
          fc.integer({ min: -2000, max: 2000 }).map((k) => k / 1000 + 1 / 4096),
          { minLength: 3, maxLength: 3 },
        ),
        (text, points) => {
          const f = parseFormula(text);
          const { operator } = deriveFromFormula(f);
          const a = weylToPolyOperator(operator);
          const r = a.length - 1;
          const kinks = formulaKinks(f);
          for (const x of points) {
            if (kinks.some((k) => Math.abs(x - k) < 1e-3)) continue;
            const t = taylorOf(f, x, r);
            let value = 0;
            let size = 0;
            let fact = 1;
            for (let i = 0; i <= r; i++) {
              if (i > 0) fact *= i;
              const term = U_POLY.evaluateNumber(a[i]!, [x]) * fact * t[i]!;
              value += term;
              size += Math.abs(term);
            }
            if (size > 0) expect(Math.abs(value) / size, `${text} at ${x}: P = ${operatorToText(D, operator)}`).toBeLessThan(POINTWISE_TOL);
          }
          if (kinks.length > 0) {
            const check = distributionResidual(operator, (u) => evaluateFormula(f, u), {
              kinks,
              testFunctions: [...kinks.map((k) => ({ mu: k, s: 0.5 })), { mu: 0.25, s: 1 }],
            });
            expect(check.maxResidual, text).toBeLessThan(DISTRIBUTION_TOL);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
