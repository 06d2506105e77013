import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from '@holonomic-ntk/weyl-algebra';
import { formulaToText, parseFormula } from '../../src/annihilators/formula.ts';
import { evaluateFormula, taylorOf } from '../../src/annihilators/taylor.ts';
import { parseErrorOf } from '../../../../test/support/parseErrors.ts';

/** parseFormula(text) fails at `column` with `message`, and the error carries the input. */
function formulaErrorOf(text: string, column: number, message: RegExp): ParseError {
  const err = parseErrorOf(() => parseFormula(text), column, message);
  expect(err.input).toBe(text);
  return err;
}

describe('formula grammar', () => {
  it('parses atoms, sums, products, scalar multiples, powers and diff', () => {
    const cases: [string, number, number][] = [
      ['u*heaviside(u)', 0.7, 0.7],
      ['u*heaviside(u)', -0.7, 0],
      ['heaviside(u)*sin(u)', 2, Math.sin(2)],
      ['-exp(u)^2', 0.5, -Math.exp(1)],
      ['3/2*cos(2*u+1) - u^2/4', 0.3, 1.5 * Math.cos(1.6) - 0.0225],
      ['exp (u) * sin( u )', 1, Math.exp(1) * Math.sin(1)],
      ['(sin(u) + cos(u))^2', 0.4, (Math.sin(0.4) + Math.cos(0.4)) ** 2],
      ['diff(u*heaviside(u))', 1.5, 1],
      ['diff(heaviside(u))', 1.5, 0],
      ['diff(diff(sin(u)))', 0.2, -Math.sin(0.2)],
      ['Phi(0)', 3, 0.5],
      ['sin(u^2)', 1.1, Math.sin(1.21)],
      ['erf(u)/2', 0.5, 0.5204998778130465 / 2],
    ];
    for (const [text, x, value] of cases) expect(evaluateFormula(parseFormula(text), x)).toBeCloseTo(value, 13);
  });

  it('prints text that parses back to the same function', () => {
    for (const text of ['u*heaviside(u)', '-exp(u)^2', '3/2*cos(2*u+1) - u^2/4', '(sin(u)+cos(u))^2*(u-1)', 'diff(u*Phi(u))', '-(u+1)*erf(1-u)']) {
      const f = parseFormula(text);
      const g = parseFormula(formulaToText(f));
      for (const x of [-1.3, 0.4, 2.2]) expect(evaluateFormula(g, x)).toBeCloseTo(evaluateFormula(f, x), 12);
    }
  });

  it('Taylor coefficients are the derivatives (exact to rounding)', () => {
    const t = taylorOf(parseFormula('u*Phi(u)'), 0.5, 3);
    const phi = (u: number) => Math.exp((-u * u) / 2) / Math.sqrt(2 * Math.PI);
    expect(t[1]).toBeCloseTo(0.6914624612740131 + 0.5 * phi(0.5), 14);
    expect(2 * t[2]!).toBeCloseTo(2 * phi(0.5) - 0.25 * phi(0.5), 14);
    // sin: alternating 1/k!
    const s = taylorOf(parseFormula('sin(u)'), 0, 7);
    expect([...s]).toEqual([0, 1, 0, -1 / 6, 0, 1 / 120, 0, -1 / 5040].map((x, i) => (i === 0 ? 0 : x)));
  });

  it('heaviside takes one-sided limits at its zero when asked', () => {
    const f = parseFormula('heaviside(1-u)*u');
    expect(taylorOf(f, 1, 1, 'left')[0]).toBe(1);
    expect(taylorOf(f, 1, 1, 'right')[0]).toBe(0);
    const g = parseFormula('heaviside(u^2)'); // double zero: 1 on both sides
    expect(taylorOf(g, 0, 1, 'left')[0]).toBe(1);
    expect(taylorOf(g, 0, 1, 'right')[0]).toBe(1);
  });
});

describe('ParseError columns', () => {
  it('unknown functions, variables and hints', () => {
    formulaErrorOf('tanh(u)', 1, /unknown function tanh; expected one of exp, sin, cos, erf, Phi, heaviside, diff/);
    formulaErrorOf('u + d(u)', 5, /unknown function d \(write derivatives as diff\(f\)\)/);
    formulaErrorOf('2*Y(u)', 3, /write the Heaviside step as heaviside\(u\)/);
    formulaErrorOf('phi(u)', 1, /Phi, with a capital P/);
    formulaErrorOf('u*x', 3, /unknown variable x; expected one of u/);
    formulaErrorOf('sin(x)', 5, /unknown variable x/);
    formulaErrorOf('2*exp', 3, /exp is a function: write exp\(…\)/);
  });

  it('syntax errors keep the columns of the user text and the full function names', () => {
    formulaErrorOf('exp(u', 6, /missing "\)" to close the "\(" of column 4/);
    formulaErrorOf('exp(u)exp(u)', 7, /expected an operator before 'exp'/);
    formulaErrorOf('sin()', 5, /empty parentheses/);
    formulaErrorOf('', 1, /empty input/);
    formulaErrorOf('u**2', 3, /write powers with \^/);
    formulaErrorOf('0.5*u', 1, /decimal number 0.5 is not supported/);
  });

  it('semantic errors: non-polynomial arguments, division, exponents', () => {
    formulaErrorOf('exp(sin(u))', 5, /the argument of exp must be a polynomial in u/);
    formulaErrorOf('heaviside(u*exp(u))', 13, /argument of heaviside must be a polynomial/);
    formulaErrorOf('1/exp(u)', 2, /division by a non-constant/);
    formulaErrorOf('sin(u)/u', 7, /division by a non-constant/);
    formulaErrorOf('sin(u)^(1/2)', 8, /expected an integer ≥ 0/);
    formulaErrorOf('sin(u)^-1', 8, /expected an integer ≥ 0/);
    formulaErrorOf('u^exp(u)', 3, /a function in an exponent/);
    formulaErrorOf('u/0', 2, /division by zero/);
  });

  it('never throws anything but ParseError on arbitrary text (fuzz)', () => {
    const alphabet = fc.constantFrom('u', 'exp', 'sin', 'heaviside', 'diff', 'Phi', '(', ')', '+', '-', '*', '/', '^', '2', ' ', 'x', ',');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        try {
          parseFormula(text);
        } catch (e) {
          expect(e).toBeInstanceOf(ParseError);
          const err = e as ParseError;
          expect(err.column).toBeGreaterThanOrEqual(1);
          expect(err.column).toBeLessThanOrEqual(text.length + 1);
        }
      }),
      { numRuns: 300 },
    );
  });
});
