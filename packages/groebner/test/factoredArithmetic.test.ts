import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PolyRing, Rational, type RationalFunction, RationalFunctionField, ZZ, parsePolynomials } from '@holonomic-ntk/weyl-algebra';
import { type RMatrix, integrabilityDefects } from '../src/index.ts';
import { FactoredArithmetic, isZeroMatrix, matAdd, matDiff, matInverse, matMul, matSub } from '../src/internal.ts';

const VARS = ['x11', 'x12', 'x22'];
const F = new RationalFunctionField(VARS);
const Q = F.polyRing;
const Z = new PolyRing(ZZ, VARS, Q.order);
/** Denominator building blocks like a singular locus (and one that is not in the factor list given below). */
const BLOCKS = parsePolynomials(Q, 'x11; x22; x12^2-x11*x22; x12^2+x11*x22; x11+x22+1');
const LOCUS = parsePolynomials(Z, 'x11; x22; x12^2-x11*x22; x12^2+x11*x22');

const smallPoly = fc
  .array(fc.tuple(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 3, maxLength: 3 }), fc.integer({ min: -6, max: 6 }), fc.integer({ min: 1, max: 4 })), {
    maxLength: 4,
  })
  .map((ts) =>
    Q.fromTerms(
      ts.map((t) => t[0]),
      ts.map((t) => Rational.of(t[1], t[2])),
    ),
  );

/** A rational function with a denominator made of BLOCKS (powers 0..2) and a rational constant. */
const ratFun = fc
  .tuple(smallPoly, fc.array(fc.integer({ min: 0, max: 2 }), { minLength: BLOCKS.length, maxLength: BLOCKS.length }), fc.integer({ min: 1, max: 5 }))
  .map(([num, es, c]) => {
    let den = Q.constant(Rational.of(c, 1));
    es.forEach((e, i) => (den = Q.mul(den, Q.pow(BLOCKS[i]!, e))));
    return F.div(F.fromPoly(num), F.fromPoly(den));
  });

/** The reference: the identity computed with normalized rational functions. */
function referenceDefects(P: RMatrix[], vars: string[]): { i: string; j: string }[] {
  const bad: { i: string; j: string }[] = [];
  for (let i = 0; i < P.length; i++) {
    for (let j = i + 1; j < P.length; j++) {
      const lhs = matAdd(F, matSub(F, matDiff(F, P[i]!, vars[j]!), matDiff(F, P[j]!, vars[i]!)), matSub(F, matMul(F, P[i]!, P[j]!), matMul(F, P[j]!, P[i]!)));
      if (!isZeroMatrix(F, lhs)) bad.push({ i: vars[i]!, j: vars[j]! });
    }
  }
  return bad;
}

describe('FactoredArithmetic: gcd-free exact arithmetic agrees with Q(x)', () => {
  const withLocus = (f: (A: FactoredArithmetic) => void) => [new FactoredArithmetic(F, LOCUS), new FactoredArithmetic(F)].forEach(f);
  const same = (A: FactoredArithmetic, got: ReturnType<FactoredArithmetic['from']>, want: RationalFunction) =>
    expect(F.eq(A.toRationalFunction(got), want), `${F.toString(A.toRationalFunction(got))} vs ${F.toString(want)}`).toBe(true);

  it('round trip, sums, products, negation (with and without the locus as factors)', () => {
    fc.assert(
      fc.property(ratFun, ratFun, ratFun, (a, b, c) =>
        withLocus((A) => {
          const [fa, fb, fcx] = [a, b, c].map((x) => A.from(x));
          same(A, fa!, a);
          same(A, A.sum([fa!, fb!, A.neg(fcx!)]), F.sub(F.add(a, b), c));
          same(A, A.mul(fa!, fb!), F.mul(a, b));
          expect(A.isZero(A.sum([fa!, A.neg(A.from(a))]))).toBe(true);
          expect(A.isZero(A.sum([fa!, fb!]))).toBe(F.isZero(F.add(a, b)));
        }),
      ),
      { numRuns: 60 },
    );
  });

  it('derivatives', () => {
    fc.assert(
      fc.property(ratFun, fc.integer({ min: 0, max: 2 }), (a, v) =>
        withLocus((A) => {
          same(A, A.diff(A.from(a), v), F.diff(a, v));
          same(A, A.diff(A.mul(A.from(a), A.from(a)), v), F.diff(F.mul(a, a), v));
        }),
      ),
      { numRuns: 60 },
    );
  });
});

describe('integrabilityDefects (factored, gcd-free) agrees with the identity in Q(x)', () => {
  const matrix = (r: number) => fc.array(fc.array(ratFun, { minLength: r, maxLength: r }), { minLength: r, maxLength: r });

  it('random matrices: the same failing pairs', () => {
    fc.assert(
      fc.property(matrix(2), matrix(2), matrix(2), (A, B, C) => {
        const sys = { variables: VARS, basis: ['1', 'd'], rank: 2, matrices: [A, B, C], field: F };
        const want = referenceDefects(sys.matrices, VARS);
        expect(integrabilityDefects(sys)).toEqual(want);
        expect(integrabilityDefects(sys, { denominatorFactors: LOCUS })).toEqual(want);
      }),
      { numRuns: 15 },
    );
  });

  it('gauge systems P_i = (∂_i S)·S⁻¹ are integrable, and a perturbed one is not', () => {
    fc.assert(
      fc.property(fc.array(fc.array(smallPoly, { minLength: 2, maxLength: 2 }), { minLength: 2, maxLength: 2 }), ratFun, (SP, eps) => {
        const S = SP.map((row) => row.map((p) => F.fromPoly(p)));
        let Sinv: RMatrix;
        try {
          Sinv = matInverse(F, S);
        } catch {
          return; // singular S
        }
        const P = VARS.map((v) => matMul(F, matDiff(F, S, v), Sinv));
        const sys = { variables: VARS, basis: ['1', 'd'], rank: 2, matrices: P, field: F };
        expect(integrabilityDefects(sys)).toEqual([]);
        expect(integrabilityDefects(sys, { denominatorFactors: LOCUS })).toEqual([]);
        const bent = P.map((M) => M.map((row) => row.slice()));
        bent[0]![0]![1] = F.add(bent[0]![0]![1]!, F.isZero(eps) ? F.one : eps);
        const sys2 = { ...sys, matrices: bent };
        expect(integrabilityDefects(sys2)).toEqual(referenceDefects(bent, VARS));
      }),
      { numRuns: 8 },
    );
  });

  it('a factor list that does not cover the denominators still gives exact answers', () => {
    const A = new FactoredArithmetic(F, [Z.gen('x11')]);
    const a = F.div(F.one, F.fromPoly(Q.mul(BLOCKS[2]!, BLOCKS[4]!)));
    const fa = A.from(a);
    expect(A.factorCount).toBe(2);
    expect(F.eq(A.toRationalFunction(A.diff(fa, 1)), F.diff(a, 1))).toBe(true);
  });
});
