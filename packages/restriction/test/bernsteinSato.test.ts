import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError, PolyRing, QQ, Rational, parsePolynomial, parsePolynomials } from '@holonomic-ntk/weyl-algebra';
import '../../../test/support/fastCheckSeed.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HERE } from './testdata.ts';
import { annFs, applyToFs } from '../src/annFs.ts';
import { bernsteinSato, bernsteinSatoOfIdeal } from '../src/bernsteinSato.ts';
import { localBernsteinSato } from '../src/localBernsteinSato.ts';

interface BernsteinCase {
  id: string;
  f: string;
  vars: string[];
  what: string;
  roots: [string, number][];
  peersAgree: boolean;
}
const cases = (JSON.parse(readFileSync(join(HERE, 'fixtures', 'bernstein.json'), 'utf8')) as { cases: BernsteinCase[] }).cases;

const rootsOf = (b: ReturnType<typeof bernsteinSato>) => b.rationalRoots.map((r) => [r.root.toString(), r.multiplicity]);

describe('Bernstein–Sato polynomials', () => {
  it('the fixture was recorded from peers that agree', () => {
    expect(cases.length).toBe(12);
    for (const c of cases) expect(c.peersAgree, c.id).toBe(true);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s: b_f as Singular and Macaulay2 computed it; roots in (−n, 0), −1 a root, lct = −(largest root)', (_, c) => {
    const R = new PolyRing(QQ, c.vars);
    const b = bernsteinSato(R, parsePolynomial(R, c.f));
    expect(rootsOf(b)).toEqual(c.roots);
    const n = c.vars.length;
    for (const r of b.rationalRoots) {
      expect(r.root.sign()).toBe(-1);
      expect(r.root.cmp(Rational.int(-n))).toBe(1);
    }
    expect(b.rationalRoots.some((r) => r.root.eq(Rational.int(-1)))).toBe(true);
    // All roots rational (Kashiwara): the multiplicities add up to the degree.
    expect(b.rationalRoots.reduce((a, r) => a + r.multiplicity, 0)).toBe(b.coefficients.length - 1);
    const lct = b.logCanonicalThreshold!;
    expect(lct.eq(b.rationalRoots[b.rationalRoots.length - 1]!.root.neg())).toBe(true);
    expect(lct.sign()).toBe(1);
    expect(lct.cmp(Rational.ONE)).toBeLessThanOrEqual(0);
  });

  it('known answers from the literature, as factored text', () => {
    const bf = (vars: string[], f: string) => {
      const R = new PolyRing(QQ, vars);
      return bernsteinSato(R, parsePolynomial(R, f));
    };
    expect(bf(['x', 'y'], 'x^2+y^3').factored).toBe('(s+7/6)*(s+1)*(s+5/6)');
    expect(bf(['x', 'y'], 'x*y*(x+y)').factored).toBe('(s+4/3)*(s+1)^2*(s+2/3)');
    expect(bf(['x', 'y', 'z'], 'x^2+y^2+z^2').factored).toBe('(s+3/2)*(s+1)');
    expect(bf(['x', 'y', 'z'], 'x^2-y^2*z').factored).toBe('(s+3/2)*(s+1)^2');
    // Smooth f: b = s + 1; a nonzero constant: b = 1, no lct; f = 0 is refused.
    expect(bf(['x', 'y'], 'x + y^2').factored).toBe('(s+1)');
    const one = bf(['x'], '3');
    expect(one.text).toBe('1');
    expect(one.logCanonicalThreshold).toBeNull();
    expect(() => bf(['x'], '0')).toThrow(DomainError);
    // x^a: b = Π_{k=1..a} (s + k/a).
    expect(bf(['x'], 'x^4').factored).toBe('(s+1)*(s+3/4)*(s+1/2)*(s+1/4)');
  });

  it('the annihilator route (Ann f^s + f) ∩ Q[s] gives the same b_f as the graph route', () => {
    for (const [vars, f] of [
      [['x', 'y'], 'x^2+y^3'],
      [['x', 'y'], 'x*y*(x+y)'],
      [['x', 'y', 'z'], 'x^2-y^2*z'],
    ] as const) {
      const R = new PolyRing(QQ, [...vars]);
      const F = parsePolynomial(R, f);
      const viaAnn = bernsteinSato(R, F, { route: 'annihilator' });
      expect(viaAnn.route).toBe('annihilator');
      expect(viaAnn.text).toBe(bernsteinSato(R, F).text);
      expect(viaAnn.annihilator!.generators.length).toBeGreaterThan(0);
    }
  });

  it('property: b_f is invariant under f → c·f(x + a, y + b) (c ≠ 0) and x ↔ y', () => {
    const R = new PolyRing(QQ, ['x', 'y']);
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 3 }),
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: -3, max: 3 }).filter((c) => c !== 0),
        fc.integer({ min: -2, max: 2 }),
        fc.integer({ min: -2, max: 2 }),
        (a, b, c, sx, sy) => {
          const base = bernsteinSato(R, parsePolynomial(R, `x^${a} + y^${b}`)).text;
          const moved = parsePolynomial(R, `${c}*((x + ${sx})^${a} + (y + ${sy})^${b})`);
          const swapped = parsePolynomial(R, `y^${a} + x^${b}`);
          expect(bernsteinSato(R, moved).text).toBe(base);
          expect(bernsteinSato(R, swapped).text).toBe(base);
        },
      ),
      { numRuns: 12 },
    );
  });
});

describe('Bernstein–Sato polynomials of ideals (Budur–Mustaţă–Saito)', () => {
  it('as Macaulay2 1.21 generalB({f_i}, 1) gives them (run 2026-12-03)', () => {
    const R = new PolyRing(QQ, ['x', 'y']);
    const b = (t: string) => bernsteinSatoOfIdeal(R, parsePolynomials(R, t)).factored;
    expect(b('x, y')).toBe('(s+2)'); // M2: (s+2)
    expect(b('x^2, y^3')).toBe('(s+2)*(s+5/3)*(s+3/2)*(s+4/3)*(s+7/6)*(s+5/6)'); // M2: (s+2)(2s+3)(3s+4)(3s+5)(6s+5)(6s+7)/648
    expect(b('x^2, x*y, y^2')).toBe('(s+3/2)*(s+1)'); // M2: (s+1)(2s+3)/2
    expect(b('x^2+y^3')).toBe(bernsteinSato(R, parsePolynomial(R, 'x^2+y^3')).factored);
    expect(() => bernsteinSatoOfIdeal(R, parsePolynomials(R, 'x, y'), { maxDegree: 0 })).toThrow(/a limit, not a verdict/);
  });
});

describe('local Bernstein–Sato polynomials b_(f,p)', () => {
  it('as Macaulay2 1.21 localBFunction gives them (run 2026-12-03); 1 off f = 0; divides the global b_f', () => {
    const R = new PolyRing(QQ, ['x']);
    const f = parsePolynomial(R, 'x^2*(x-1)^3');
    expect(localBernsteinSato(R, f, [0]).factored).toBe('(s+1)*(s+1/2)'); // M2: (s+1)*(2*s+1)*(1/2)
    expect(localBernsteinSato(R, f, [1]).factored).toBe('(s+1)*(s+2/3)*(s+1/3)'); // M2: (s+1)*(3*s+1)*(3*s+2)*(1/9)
    expect(localBernsteinSato(R, f, [2]).text).toBe('1');
    const S = new PolyRing(QQ, ['x', 'y']);
    const g = parsePolynomial(S, '(x^2+y^3)*(x-1)');
    expect(localBernsteinSato(S, g, [0, 0]).factored).toBe('(s+7/6)*(s+1)*(s+5/6)'); // M2: (s+1)*(6*s+5)*(6*s+7)*(1/36)
    expect(localBernsteinSato(S, g, [1, -1]).factored).toBe('(s+1)^2'); // M2: (s+1)^2 (normal crossing)
    expect(localBernsteinSato(S, g, [1, 0]).factored).toBe('(s+1)'); // M2: (s+1) (smooth point)
    expect(() => localBernsteinSato(S, g, [1])).toThrow(/2 coordinates/);
  });
});

describe('Ann_{D[s]} f^s', () => {
  it.each(cases.filter((c) => c.vars.length === 2 || c.id === 'umbrella' || c.id === 'quadric3').map((c) => [c.id, c] as const))(
    '%s: every generator annihilates f^s (applied symbolically)',
    (_, c) => {
      const R = new PolyRing(QQ, c.vars);
      const f = parsePolynomial(R, c.f);
      const ann = annFs(R, f);
      expect(ann.generators.length).toBeGreaterThan(0);
      for (const g of ann.generators) expect(applyToFs(R, f, ann.algebra, g).isZero).toBe(true);
    },
  );

  it('applyToFs detects a non-annihilator, and Ann f^s of x^a is (x·∂x − a·s)', () => {
    const R = new PolyRing(QQ, ['x']);
    for (const a of [1, 2, 5]) {
      const f = parsePolynomial(R, `x^${a}`);
      const ann = annFs(R, f);
      expect(ann.text).toEqual([`x*dx - ${a}*s`.replace('- 1*s', '- s')]);
      const dx = ann.algebra.gen('dx');
      expect(applyToFs(R, f, ann.algebra, dx).isZero).toBe(false);
    }
    expect(() => annFs(new PolyRing(QQ, ['s']), parsePolynomial(new PolyRing(QQ, ['s']), 's^2'))).toThrow(/reserved/);
  });

  it('property: Ann f^s for f = x^a·y^b + c·x^d (random small exponents) annihilates f^s', () => {
    const R = new PolyRing(QQ, ['x', 'y']);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: -2, max: 2 }),
        fc.integer({ min: 0, max: 3 }),
        (a, b, c, d) => {
          const f = parsePolynomial(R, `x^${a}*y^${b} + ${c}*x^${d}`);
          const ann = annFs(R, f);
          for (const g of ann.generators) expect(applyToFs(R, f, ann.algebra, g).isZero).toBe(true);
        },
      ),
      { numRuns: 10 },
    );
  });
});
