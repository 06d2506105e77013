import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NotHolonomicError, type Poly, QQ, Rational, WeylAlgebra, parseOperators, polyToText, PolyRing } from '@holonomic-ntk/weyl-algebra';
import { bFunction, bFunctionOfModule } from '../src/index.ts';
import { lcm, shift } from '../src/bFunctionModule.ts';

interface Case {
  vars: string[];
  relations: string[][];
  weight: number[];
  shift: number[];
  b: string;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/bfunction_module_m2.json', import.meta.url), 'utf8')) as { cases: Case[] };
const S = new PolyRing(QQ, ['s']);
const text = (c: readonly Rational[]) =>
  polyToText(
    S.vars,
    QQ,
    S.fromTerms(
      c.map((_, i) => [i]),
      c,
    ),
    { compact: true },
  );

describe('b-functions of modules with shifts, against Macaulay2 bFunction(M, w, m) (issue 16 item 2)', () => {
  for (const c of fixture.cases) {
    it(`${c.relations.map((v) => `(${v.join(', ')})`).join('; ')}, weight (${c.weight.join(',')}), shift (${c.shift.join(',')}): ${c.b}`, () => {
      const D = new WeylAlgebra(QQ, c.vars);
      const rels = c.relations.map((v) => v.map((e) => parseOperators(D, e)[0] ?? D.zero));
      const tVars = c.vars.filter((_, i) => c.weight[i]! > 0);
      const r = bFunctionOfModule(
        D,
        rels,
        tVars,
        c.weight.filter((w) => w > 0),
        c.shift,
      );
      // Macaulay2 writes (7/2)*s; the comparison is on the polynomial.
      const expected = parseOperators(new WeylAlgebra(QQ, ['s']), c.b.replace(/\s/g, ''))[0]!;
      const coeffs = new Array<Rational>(r.coefficients.length).fill(Rational.ZERO);
      expected.monos.forEach((m, k) => (coeffs[m[0]!] = expected.coeffs[k]!));
      expect(r.text).toBe(text(coeffs));
    });
  }

  it('one component, no shift: the b-function of the ideal', () => {
    const D = new WeylAlgebra(QQ, ['x', 'y']);
    const I = parseOperators(D, 'x*dx+2*y*dy+3; dx^2-dy');
    expect(
      bFunctionOfModule(
        D,
        I.map((g) => [g]),
        ['x'],
        [1],
        [0],
      ).text,
    ).toBe(bFunction(D, I, ['x'], [1]).text);
  });

  it('a component with no relation of its own is a free summand: NotHolonomicError; wrong lengths are DomainErrors', () => {
    const D = new WeylAlgebra(QQ, ['x']);
    const [a] = parseOperators(D, 'x*dx - 1');
    expect(() => bFunctionOfModule(D, [[a!, D.zero]], ['x'], [1], [0, 0])).toThrow(NotHolonomicError);
    expect(() => bFunctionOfModule(D, [[a!, D.zero]], ['x'], [1], [0])).toThrow(/relation 1 has 2 entries/);
  });
});

describe('laws (property tests, fixed seed)', () => {
  const coeff = fc.integer({ min: -6, max: 6 }).map((n) => Rational.int(n));
  const poly = fc.array(coeff, { minLength: 1, maxLength: 4 }).map((c) => [...c, Rational.ONE]);
  const D = new WeylAlgebra(QQ, ['x', 'y']);

  it('shift: p(s − a − b) = shift(shift(p, a), b), shift by 0 is the identity; lcm is divisible by both and commutative', () => {
    fc.assert(
      fc.property(poly, poly, fc.integer({ min: -5, max: 5 }), fc.integer({ min: -5, max: 5 }), (p, q, a, b) => {
        expect(text(shift(shift(p, a), b))).toBe(text(shift(p, a + b)));
        expect(text(shift(p, 0))).toBe(text(p));
        const l = lcm(p, q);
        expect(text(l)).toBe(text(lcm(q, p)));
        // p | l: every root of p (with multiplicity) is a root of l — checked through lcm(p, l) = l.
        expect(text(lcm(p, l))).toBe(text(l));
        expect(l.length - 1).toBeLessThanOrEqual(p.length + q.length - 2);
      }),
      { numRuns: 200 },
    );
  });

  it('a direct sum D/I ⊕ D/J with shifts (m1, m2): b = lcm(b_I(s − m1), b_J(s − m2)), and shifting every component by k shifts b by k', () => {
    const simple = fc.constantFrom('x*dx - 1', 'x*dx + 2*y*dy + 3; dx^2 - dy', 'x*dx + 1/2; dy', 'x^2*dx + 2*x; dy - 1', 'x*dx*(x*dx - 3)');
    fc.assert(
      fc.property(simple, simple, fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 }), (i, j, m1, m2, k) => {
        const I = parseOperators(D, i);
        const J = parseOperators(D, j);
        const rels: Poly<Rational>[][] = [...I.map((g) => [g, D.zero]), ...J.map((g) => [D.zero, g])];
        const r = bFunctionOfModule(D, rels, ['x'], [1], [m1, m2]);
        const bI = bFunction(D, I, ['x'], [1]).coefficients;
        const bJ = bFunction(D, J, ['x'], [1]).coefficients;
        expect(r.text).toBe(text(lcm(shift(bI, m1), shift(bJ, m2))));
        const moved = bFunctionOfModule(D, rels, ['x'], [1], [m1 + k, m2 + k]);
        expect(moved.text).toBe(text(shift(r.coefficients, k)));
      }),
      { numRuns: 60 },
    );
  });
});
