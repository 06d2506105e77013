import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError, Poly, QQ, Rational, WeylAlgebra, lex, weightOrder } from '../src/index.ts';
import { randomElement, type QPoly, type QWeyl } from './arbitraries.ts';

const RUNS = { numRuns: 1000 };

const D2 = new WeylAlgebra(QQ, ['x', 'y']);
const D2h = new WeylAlgebra(QQ, ['x', 'y'], { homogenizer: 'h' });
const D3 = new WeylAlgebra(QQ, [{ x: 'u', d: 'du' }, 'v', 'w']);

/**
 * Reference product, independent of the swap formula: q is multiplied on the left by one generator at a time.
 * x_i · (x^a ∂^b) just raises a_i; ∂_i · (x^a ∂^b) = x^a ∂^(b+e_i) + a_i x^(a−e_i) ∂^b (times h² in D^(h)).
 */
function referenceMul(D: QWeyl, p: QPoly, q: QPoly): QPoly {
  const n = D.n;
  const hi = D.hName !== undefined ? 2 * n : -1;
  const leftByD = (i: number, r: QPoly): QPoly => {
    const monos: number[][] = [];
    const coeffs: Rational[] = [];
    for (let k = 0; k < r.monos.length; k++) {
      const m = r.monos[k]!;
      const up = m.slice();
      up[n + i] = up[n + i]! + 1;
      monos.push(up);
      coeffs.push(r.coeffs[k]!);
      if (m[i]! > 0) {
        const down = m.slice();
        down[i] = down[i]! - 1;
        if (hi >= 0) down[hi] = down[hi]! + 2;
        monos.push(down);
        coeffs.push(r.coeffs[k]!.mulInt(BigInt(m[i]!)));
      }
    }
    return D.poly.fromTerms(monos, coeffs);
  };
  let total = D.zero;
  for (let k = 0; k < p.monos.length; k++) {
    const m = p.monos[k]!;
    let r = D.scale(q, p.coeffs[k]!);
    for (let i = n - 1; i >= 0; i--) for (let e = 0; e < m[n + i]!; e++) r = leftByD(i, r);
    const xh = new Array<number>(m.length).fill(0);
    for (let i = 0; i < n; i++) xh[i] = m[i]!;
    if (hi >= 0) xh[hi] = m[hi]!;
    r = D.poly.mulTerm(r, xh); // x^a h^c on the left: commutative
    total = D.add(total, r);
  }
  return total;
}

describe.each([
  ['D (2 pairs)', D2],
  ['D^(h) (2 pairs)', D2h],
  ['D (3 pairs, named u/du)', D3],
] as const)('Weyl algebra laws in %s', (_name, D) => {
  const el = randomElement(D, 4, 3);

  it('associativity', () => {
    fc.assert(
      fc.property(el, el, el, (a, b, c) => D.eq(D.mul(D.mul(a, b), c), D.mul(a, D.mul(b, c)))),
      RUNS,
    );
  });

  it('distributivity on both sides', () => {
    fc.assert(
      fc.property(el, el, el, (a, b, c) => {
        expect(D.eq(D.mul(a, D.add(b, c)), D.add(D.mul(a, b), D.mul(a, c)))).toBe(true);
        expect(D.eq(D.mul(D.add(a, b), c), D.add(D.mul(a, c), D.mul(b, c)))).toBe(true);
      }),
      RUNS,
    );
  });

  it('the product agrees with repeated single-generator steps', () => {
    fc.assert(
      fc.property(el, el, (a, b) => D.eq(D.mul(a, b), referenceMul(D, a, b))),
      RUNS,
    );
  });

  it('term × operator (mulTermLeft, and mulTermInto summed up) equals the general product', () => {
    const mono = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: D.vars.length, maxLength: D.vars.length });
    const coeff = fc.tuple(fc.integer({ min: -30, max: 30 }), fc.integer({ min: 1, max: 7 })).map(([a, b]) => Rational.of(a, b));
    fc.assert(
      fc.property(mono, coeff, el, (m, c, p) => {
        const full = D.mul(D.monomial(m, c), p);
        expect(D.eq(D.mulTermLeft(m, c, p), full)).toBe(true);
        // The raw emission, leading term left out, is the product minus its leading term.
        const monos: number[][] = [];
        const coeffs: Rational[] = [];
        D.mulTermInto(m, c, p, { add: (mm, cc) => (monos.push(mm), coeffs.push(cc)) }, true);
        const lead = full.monos.length > 0 ? D.poly.leadingTerm(full) : D.zero;
        expect(D.eq(D.poly.fromTerms(monos, coeffs), D.sub(full, lead))).toBe(true);
      }),
      RUNS,
    );
  });

  it('[∂_i, x_j] = δ_ij (h² in D^(h)); x’s and ∂’s commute among themselves', () => {
    const hh = D.hName !== undefined ? D.pow(D.gen(D.hName), 2) : D.one;
    for (let i = 0; i < D.n; i++) {
      for (let j = 0; j < D.n; j++) {
        const c = D.commutator(D.gen(D.dNames[i]!), D.gen(D.xNames[j]!));
        expect(D.eq(c, i === j ? hh : D.zero)).toBe(true);
        expect(D.isZero(D.commutator(D.gen(D.xNames[i]!), D.gen(D.xNames[j]!)))).toBe(true);
        expect(D.isZero(D.commutator(D.gen(D.dNames[i]!), D.gen(D.dNames[j]!)))).toBe(true);
      }
    }
  });

  it('the Fourier transform is an algebra homomorphism and the inverse undoes it', () => {
    const names = D.xNames.slice(0, 2);
    fc.assert(
      fc.property(el, el, (a, b) => {
        const F = (p: QPoly) => D.fourier(p, names);
        expect(D.eq(F(D.mul(a, b)), D.mul(F(a), F(b)))).toBe(true);
        expect(D.eq(F(D.add(a, b)), D.add(F(a), F(b)))).toBe(true);
        expect(D.eq(D.inverseFourier(F(a), names), a)).toBe(true);
        expect(D.eq(F(D.inverseFourier(a, names)), a)).toBe(true);
      }),
      RUNS,
    );
  });

  it('homomorphism by generator images agrees with the Fourier transform', () => {
    const images: Record<string, QPoly> = {};
    for (const v of D.vars) images[v] = D.gen(v);
    const x0 = D.xNames[0]!;
    const d0 = D.dNames[0]!;
    images[x0] = D.neg(D.gen(d0));
    images[d0] = D.gen(x0);
    const phi = D.homomorphism(D, images);
    fc.assert(
      fc.property(el, (a) => D.eq(phi(a), D.fourier(a, [x0]))),
      { numRuns: 300 },
    );
  });
});

describe('Weyl algebra operations', () => {
  const D = D2;
  const [x, y, dx, dy] = ['x', 'y', 'dx', 'dy'].map((v) => D.gen(v)) as [QPoly, QPoly, QPoly, QPoly];
  const q = (n: number, d = 1) => Rational.of(n, d);

  it('∂²x² = x²∂² + 4x∂ + 2 (MATH.md §1 formula)', () => {
    const lhs = D.mul(D.pow(dx, 2), D.pow(x, 2));
    const rhs = D.poly.fromTerms(
      [
        [2, 0, 2, 0],
        [1, 0, 1, 0],
        [0, 0, 0, 0],
      ],
      [q(1), q(4), q(2)],
    );
    expect(D.eq(lhs, rhs)).toBe(true);
  });

  it('in D^(h): ∂x = x∂ + h², and dehomogenize(homogenize(p)) = p', () => {
    const H = D2h;
    expect(H.eq(H.mul(H.gen('dx'), H.gen('x')), H.add(H.mul(H.gen('x'), H.gen('dx')), H.pow(H.gen('h'), 2)))).toBe(true);
    fc.assert(
      fc.property(randomElement(D, 5, 3), (p) => {
        const hp = D.homogenize(p, H);
        // Homogeneous: every term has the same total degree in x, ∂, h.
        expect(new Set(hp.monos.map((m) => m.reduce((s, e) => s + e, 0))).size).toBeLessThanOrEqual(1);
        expect(D.eq(H.dehomogenize(hp, D), p)).toBe(true);
      }),
      RUNS,
    );
  });

  it('dehomogenize is a ring map D^(h) → D', () => {
    const H = D2h;
    fc.assert(
      fc.property(randomElement(H, 4, 2), randomElement(H, 4, 2), (a, b) =>
        D.eq(H.dehomogenize(H.mul(a, b), D), D.mul(H.dehomogenize(a, D), H.dehomogenize(b, D))),
      ),
      RUNS,
    );
  });

  it('weights, ord and initial forms for (−w, w)', () => {
    // p = x∂x² + ∂y + x²: weights for (−1,0,1,0): x∂x² → 1, ∂y → 0, x² → −2.
    const p = D.add(D.add(D.mul(x, D.pow(dx, 2)), dy), D.pow(x, 2));
    const w = [-1, 0, 1, 0];
    expect(D.ord(p, w)).toBe(1);
    expect(D.eq(D.initialForm(p, w), D.mul(x, D.pow(dx, 2)))).toBe(true);
    expect(() => D.ord(p, [1, 2])).toThrow(DomainError);
    expect(D.differentialOrder(p)).toBe(2);
    expect(D.degree(p)).toBe(3);
  });

  it('leading term under any term order', () => {
    const p = D.add(D.pow(x, 3), D.mul(dx, dy));
    const Dl = D.withOrder(lex);
    expect(D.eq(D.leadingTerm(p), D.pow(x, 3))).toBe(true);
    expect(D.eq(D.leadingTerm(p, weightOrder([0, 0, 1, 1])), D.mul(dx, dy))).toBe(true);
    expect(Dl.eq(Dl.leadingTerm(Dl.convert(p)), Dl.pow(x, 3))).toBe(true);
  });

  it('x = 0 on the normal form', () => {
    // dx·x = x dx + 1 → setting x = 0 leaves 1 (not 0: the order of substitution and product matters).
    const p = D.mul(dx, x);
    expect(D.eq(D.substituteX(p, 'x', QQ.zero), D.one)).toBe(true);
    const r = D.substituteX(D.add(D.mul(D.pow(x, 2), dy), D.mul(y, dx)), 'x', q(3));
    expect(D.eq(r, D.add(D.scale(dy, q(9)), D.mul(y, dx)))).toBe(true);
  });

  it('the transfer rule of MATH.md §5 maps u∂u − 1 to −(2x11∂y1² + 2x12∂y1∂y2 + y1∂y1 + 2)', () => {
    const Du = new WeylAlgebra(QQ, [
      { x: 'u', d: 'du' },
      { x: 'v', d: 'dv' },
    ]);
    const T = new WeylAlgebra(QQ, ['y1', 'y2', 'x11', 'x12', 'x22']);
    const g = (s: string) => T.gen(s);
    const two = (p: QPoly) => T.scale(p, q(2));
    const dU = T.neg(T.add(g('y1'), T.add(two(T.mul(g('x11'), g('dy1'))), two(T.mul(g('x12'), g('dy2'))))));
    const dV = T.neg(T.add(g('y2'), T.add(two(T.mul(g('x12'), g('dy1'))), two(T.mul(g('x22'), g('dy2'))))));
    const iota = Du.homomorphism(T, { u: g('dy1'), v: g('dy2'), du: dU, dv: dV });
    const relu = Du.sub(Du.mul(Du.gen('u'), Du.gen('du')), Du.one);
    const expected = T.neg(
      T.add(T.add(two(T.mul(g('x11'), T.pow(g('dy1'), 2))), two(T.mul(g('x12'), T.mul(g('dy1'), g('dy2'))))), T.add(T.mul(g('y1'), g('dy1')), T.fromInt(2))),
    );
    expect(T.eq(iota(relu), expected)).toBe(true);
  });

  it('a homomorphism with images that break the relations is rejected', () => {
    expect(() => D.homomorphism(D, { x: dx, dx: x, y, dy })).toThrow(/relation/);
    expect(() => D.homomorphism(D, { x, dx })).toThrow(/no image/);
  });

  it('rejects names that cannot be printed and parsed back', () => {
    expect(() => new WeylAlgebra(QQ, ['x y'])).toThrow(DomainError);
    expect(() => new WeylAlgebra(QQ, ['x', 'x'])).toThrow(DomainError);
  });

  it('exposes the underlying polynomial of a normally ordered element', () => {
    expect(new Poly([[1, 0, 1, 0]], [q(1)]).length).toBe(1);
  });
});
