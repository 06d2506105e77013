/**
 * The covariance chart of a compiled system, stored in its artifact (`systems[n].covarianceChart`, ARTIFACT.md) so
 * that loading is parsing only: the matrix M of dG/dc = M·G along x(c) = −½Λ⁻¹ at fixed variances (a, b), in the
 * coordinates (a, b, c, Δ = ab − c²) where float64 evaluation is stable up to |ρ| = 1 (hgm-runtime's
 * src/covarianceChart.ts has the why and keeps the same algorithm as its fallback for artifacts without the field).
 *
 *   M = 4x11x12·P11 + 2(x11x22 + x12²)·P12 + 4x22x12·P22 + 2x12·I,
 *
 * each entry over a common denominator K·Π fₖ^mₖ built from the singular-locus factors fₖ, then x11 = −b/(2Δ),
 * x12 = c/(2Δ), x22 = −a/(2Δ) substituted (numerator and denominator times (2Δ)^deg), c² replaced by ab − Δ and the
 * common monomial a^i b^j Δ^k cancelled. Exact integer polynomials (weyl-algebra's PolyRing over ZZ) throughout.
 *
 * The result must be the runtime's, term for term: the float coefficients it yields are the runtime's, so the
 * stored chart gives the same bits as the computed one (hgm-runtime's test/covarianceChart.test.ts checks every
 * built-in). Hence every step follows the runtime's exactly, including the choices that fix the scaling of the
 * fraction: entries are read from their stored text (as the runtime reads them, by the structure of the expression
 * tree), the denominator factors are divided out in the runtime's order, K is the lcm of the leftover integers.
 */
import {
  type CovarianceChartJson,
  type Expr,
  type PfaffianSystem,
  type ChartTerm,
  DomainError,
  PFAFFIAN_VARIABLES,
  chartPolynomialToText,
  parseRationalExpression,
} from '@holonomic-ntk/core';
import { type Poly, PolyRing, ZZ } from '@holonomic-ntk/weyl-algebra';

type P = Poly<bigint>;

/** Polynomials in x11, x12, x22 and in the chart's a, b, c, D; integer coefficients. */
const X = new PolyRing(ZZ, [...PFAFFIAN_VARIABLES]);
const C = new PolyRing(ZZ, ['a', 'b', 'c', 'D']);
const [X11, X12, X22] = X.gens() as [P, P, P];
const int = (k: bigint): P => X.constant(k);

/**
 * The `covarianceChart` field of a system (its Pfaffian matrices and singular locus as written in the artifact):
 * the non-zero entries [i, j, numerator, denominator] in row-major order, polynomials in canonical chart text.
 *
 * For example, for the step function's system (basis [1, ∂12]; hgm-runtime's artifacts/step.artifact.json):
 * covarianceChartJson(system).entries; // [[0, 0, '-4*c', '4*D'], [0, 1, '4', '8*D'], [1, 0, '-4', '-2']]
 */
export function covarianceChartJson(system: PfaffianSystem): CovarianceChartJson {
  const r = system.rank;
  const parse = (text: string): Fraction => toFraction(parseRationalExpression(text, PFAFFIAN_VARIABLES));
  const factors: P[] = [];
  for (const text of system.singularLocus) {
    const f = parse(text);
    if (X.degree(f.den) !== 0) throw new DomainError(`singular-locus entry '${text}' is not a polynomial`);
    if (X.degree(f.num) > 0) factors.push(f.num);
  }
  // Monomial factors last: a locus factor such as 2x11² − x11 contains x11 and must be divided out first.
  factors.push(X11, X22);
  const weights: Record<(typeof PFAFFIAN_VARIABLES)[number], P> = {
    x11: X.mul(int(4n), X.mul(X11, X12)),
    x12: X.mul(int(2n), X.add(X.mul(X11, X22), X.mul(X12, X12))),
    x22: X.mul(int(4n), X.mul(X22, X12)),
  };
  const entries: CovarianceChartJson['entries'] = [];
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < r; j++) {
      const parts: { num: P; factored: Factored }[] = [];
      for (const v of PFAFFIAN_VARIABLES) {
        const p = parse(system.pfaffian[v][i]![j]!);
        if (X.isZero(p.num)) continue;
        parts.push({ num: X.mul(weights[v], p.num), factored: factorDenominator(p.den, factors) });
      }
      if (i === j) parts.push({ num: X.mul(int(2n), X12), factored: factorDenominator(X.one, factors) });
      if (parts.length === 0) continue;
      // Common denominator K·Π f^max(m): each numerator times what its own denominator lacks.
      const mult = factors.map((_, k) => Math.max(...parts.map((p) => p.factored.mult[k] ?? 0)));
      const K = parts.reduce((acc, p) => lcm(acc, abs(p.factored.unit)), 1n);
      let den = int(K);
      factors.forEach((f, k) => (den = X.mul(den, X.pow(f, mult[k]!))));
      let num = X.zero;
      for (const p of parts) {
        let t = X.mul(p.num, int(K / p.factored.unit));
        factors.forEach((f, k) => (t = X.mul(t, X.pow(f, mult[k]! - (p.factored.mult[k] ?? 0)))));
        num = X.add(num, t);
      }
      if (X.isZero(num)) continue;
      const [cn, cd] = cancelCommon(toChart(num, den));
      entries.push([i, j, chartPolynomialToText(terms(cn)), chartPolynomialToText(terms(cd))]);
    }
  }
  return { variables: ['a', 'b', 'c', 'D'], entries };
}

interface Fraction {
  num: P;
  den: P;
}

/**
 * An artifact expression as num/den, by the structure of its tree exactly as the runtime's `exprToRational` does
 * (same-denominator sums add numerators, other sums cross-multiply, nothing is reduced): the scaling of num and den
 * decides the chart's integer coefficients.
 */
function toFraction(e: Expr): Fraction {
  switch (e.kind) {
    case 'num':
      return { num: int(BigInt(e.text)), den: X.one };
    case 'var':
      return { num: X.gen(e.name), den: X.one };
    case 'neg': {
      const r = toFraction(e.arg);
      return { num: X.neg(r.num), den: r.den };
    }
    case 'pow': {
      const r = toFraction(e.base);
      const n = Math.abs(e.exponent);
      const p = { num: X.pow(r.num, n), den: X.pow(r.den, n) };
      return e.exponent < 0 ? { num: p.den, den: p.num } : p;
    }
    default: {
      const l = toFraction(e.left);
      const r = toFraction(e.right);
      switch (e.kind) {
        case 'mul':
          return { num: X.mul(l.num, r.num), den: X.mul(l.den, r.den) };
        case 'div':
          if (X.isZero(r.num)) throw new DomainError('division by zero in an expression');
          return { num: X.mul(l.num, r.den), den: X.mul(l.den, r.num) };
        default: {
          const combine = e.kind === 'add' ? (p: P, q: P) => X.add(p, q) : (p: P, q: P) => X.sub(p, q);
          if (X.eq(l.den, r.den)) return { num: combine(l.num, r.num), den: l.den };
          return { num: combine(X.mul(l.num, r.den), X.mul(r.num, l.den)), den: X.mul(l.den, r.den) };
        }
      }
    }
  }
}

interface Factored {
  /** Multiplicity of each factor (factors appended later count 0). */
  mult: number[];
  /** The integer left after dividing out all factors (non-zero). */
  unit: bigint;
}

/** den = unit · Π factors[k]^mult[k]; a non-constant leftover is appended to `factors` (shared by all entries). */
function factorDenominator(den: P, factors: P[]): Factored {
  let rest = den;
  const mult: number[] = [];
  for (let k = 0; k < factors.length; k++) {
    let m = 0;
    for (let q = divideOverZ(rest, factors[k]!); q; q = divideOverZ(rest, factors[k]!)) {
      rest = q;
      m++;
    }
    mult.push(m);
  }
  if (X.degree(rest) > 0) {
    // A factor the singular locus does not list as such: treat it as one more (opaque) factor.
    factors.push(rest);
    mult.push(1);
    return { mult, unit: 1n };
  }
  return { mult, unit: X.constantCoeff(rest) };
}

/** p/f when f divides p with an integer quotient (the runtime's exact division), else undefined. */
function divideOverZ(p: P, f: P): P | undefined {
  try {
    return X.divExact(p, f);
  } catch (e) {
    if (e instanceof DomainError) return undefined;
    throw e;
  }
}

const abs = (x: bigint): bigint => (x < 0n ? -x : x);
function gcd(x: bigint, y: bigint): bigint {
  while (y !== 0n) [x, y] = [y, x % y];
  return abs(x);
}
const lcm = (x: bigint, y: bigint): bigint => (x / gcd(x, y)) * y;

/** num/den in x → the same fraction in (a, b, c, D) with c² = ab − D (both multiplied by (2D)^deg). */
function toChart(num: P, den: P): [P, P] {
  const deg = Math.max(X.degree(num), X.degree(den));
  const abMinusD = C.sub(C.mul(C.gen('a'), C.gen('b')), C.gen('D'));
  const convert = (p: P): P => {
    let out = C.zero;
    for (const [coef, [i, j, k]] of X.terms(p)) {
      const e = deg - i! - j! - k!;
      const sign = (i! + k!) % 2 === 0 ? 1n : -1n;
      const mono = C.monomial([k!, i!, j! % 2, e], sign * coef * 2n ** BigInt(e));
      out = C.add(out, C.mul(mono, C.pow(abMinusD, j! >> 1)));
    }
    return out;
  };
  return [convert(num), convert(den)];
}

/** Divides num and den by the largest common monomial a^i b^j D^k (c appears at most linearly: left alone). */
function cancelCommon([num, den]: [P, P]): [P, P] {
  const low = [Infinity, Infinity, 0, Infinity];
  for (const p of [num, den]) for (const m of p.monos) for (const v of [0, 1, 3]) low[v] = Math.min(low[v]!, m[v]!);
  const shift = low.map((e) => (Number.isFinite(e) ? e : 0));
  const move = (p: P): P =>
    C.fromTerms(
      p.monos.map((m) => m.map((e, v) => e - shift[v]!)),
      p.coeffs,
    );
  return [move(num), move(den)];
}

function terms(p: P): ChartTerm[] {
  return p.monos.map((m, k) => ({ coef: p.coeffs[k]!, a: m[0]!, b: m[1]!, c: m[2]!, d: m[3]! }));
}
