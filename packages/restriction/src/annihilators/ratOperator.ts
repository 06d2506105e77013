/**
 * Ordinary differential operators over R = Q(u)⟨∂u⟩ as dense coefficient lists, the form in which the closure
 * rules (LCLM, symmetric product, derivative) are linear algebra over Q(u), and the passage back to D = Q⟨u, ∂u⟩:
 * clear denominators, divide out the polynomial content, make the integer content 1 and the sign positive.
 */
import { DomainError, type Poly, Rational, gcdQQ, lcmQQ, type RationalFunction } from '@holonomic-ntk/weyl-algebra';
import { gcdBig } from '@holonomic-ntk/weyl-algebra/internal';
import { ACTIVATION_ALGEBRA, U_FIELD, U_POLY } from './algebra.ts';

/**
 * L = Σ coeffs[i](u) ∂^i with coeffs[last] ≠ 0 (length = order + 1). `[1]` is the operator 1, the annihilator
 * of the zero function.
 */
export type RatOperator = readonly RationalFunction[];

/** Polynomial coefficients a_0(u)..a_r(u) of an operator Σ a_i(u) ∂^i of D, a_r ≠ 0. */
export type PolyOperator = readonly Poly<Rational>[];

/** The order r of L = Σ_{i≤r} a_i ∂^i. */
export function ratOrder(L: RatOperator): number {
  return L.length - 1;
}

/**
 * L divided on the left by its leading coefficient, so L = ∂^r + ….
 *
 * For example:
 * makeMonic([F.neg(F.one), F.gen('u')]); // ∂ − 1/u from u∂ − 1
 */
export function makeMonic(L: RatOperator): RationalFunction[] {
  const lc = L[L.length - 1]!;
  if (U_FIELD.isZero(lc)) throw new DomainError('operator with a zero leading coefficient');
  return L.map((c) => U_FIELD.div(c, lc));
}

/**
 * Companion matrix of a monic L of order r: in the basis f, f′, …, f^(r−1) of Q(u)[∂]/Q(u)[∂]L, ∂ acts on the
 * coefficient vector c by c ↦ c′ + M·c (M[i][j] = coefficient of b_i in ∂b_j).
 */
export function companionMatrix(L: RatOperator): RationalFunction[][] {
  const F = U_FIELD;
  const r = ratOrder(L);
  const M = Array.from({ length: r }, () => Array.from({ length: r }, () => F.zero));
  for (let j = 0; j + 1 < r; j++) M[j + 1]![j] = F.one;
  const lc = L[r]!;
  for (let i = 0; i < r; i++) M[i]![r - 1] = F.neg(F.div(L[i]!, lc));
  return M;
}

/**
 * The minimal monic operator of R annihilating the element v of the differential module (Q(u)^n, c ↦ c′ + M c):
 * iterate w_{k+1} = w_k′ + M w_k and stop at the first Q(u)-linear dependency Σ λ_i w_i = 0, which is the
 * operator Σ λ_i ∂^i. Every closure rule is this with the right module and element. Throws DomainError past
 * `maxOrder` (cannot happen for an element of an n-dimensional module with n ≤ maxOrder).
 *
 * For example:
 * // f = e0 in the module of ∂² + 1 (sin or cos): gives ∂² + 1 back.
 * minimalAnnihilator(companionMatrix(L), [F.one, F.zero]);
 */
export function minimalAnnihilator(M: readonly (readonly RationalFunction[])[], v: readonly RationalFunction[], maxOrder = 64): RationalFunction[] {
  const F = U_FIELD;
  const n = v.length;
  // Echelon rows: reduced vector, its pivot, and the combination of the w's it equals.
  const rows: { vec: RationalFunction[]; pivot: number; comb: RationalFunction[] }[] = [];
  let w = v.slice();
  for (let k = 0; k <= Math.min(n, maxOrder); k++) {
    let vec = w.slice();
    let comb: RationalFunction[] = Array.from({ length: k + 1 }, (_, i) => (i === k ? F.one : F.zero));
    for (const row of rows) {
      const c = vec[row.pivot]!;
      if (F.isZero(c)) continue;
      const f = F.div(c, row.vec[row.pivot]!);
      vec = vec.map((x, i) => (F.isZero(row.vec[i]!) ? x : F.sub(x, F.mul(f, row.vec[i]!))));
      comb = comb.map((x, i) => (i < row.comb.length && !F.isZero(row.comb[i]!) ? F.sub(x, F.mul(f, row.comb[i]!)) : x));
    }
    const pivot = vec.findIndex((x) => !F.isZero(x));
    if (pivot < 0) return makeMonic(comb);
    rows.push({ vec, pivot, comb });
    // w ↦ w′ + M w.
    const next: RationalFunction[] = w.map((x) => F.diff(x, 0));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const m = M[i]![j]!;
        if (!F.isZero(m) && !F.isZero(w[j]!)) next[i] = F.add(next[i]!, F.mul(m, w[j]!));
      }
    }
    w = next;
  }
  throw new DomainError(`no linear dependency up to order ${maxOrder} (the module has dimension ${n})`);
}

/**
 * The representative of R·L in D: clear denominators, divide by the gcd of the coefficients in Q[u] (a left
 * factor in Q(u) does not change R·L), then make the integer content 1 and the leading coefficient of a_r
 * positive. This is the normalized form reported everywhere. Note that dividing out a polynomial factor is right
 * for smooth functions only; the Heaviside factor (u − r)^k is applied after this step.
 *
 * For example:
 * normalizeOperator([F.fromInt(-1), F.gen('u')]); // [−1, u]: u∂ − 1
 */
export function normalizeOperator(L: RatOperator): Poly<Rational>[] {
  const R = U_POLY;
  let den = R.one;
  for (const c of L) if (!U_FIELD.isZero(c)) den = lcmQQ(R, den, c.den);
  let coeffs = L.map((c) => (U_FIELD.isZero(c) ? R.zero : R.mul(c.num, R.divExact(den, c.den))));
  let g = R.zero;
  for (const c of coeffs) if (c.length > 0) g = g.length === 0 ? c : gcdQQ(R, g, c);
  if (g.length > 0 && R.degree(g) > 0) coeffs = coeffs.map((c) => (c.length === 0 ? c : R.divExact(c, g)));
  return primitivePolyOperator(coeffs);
}

/**
 * Scales polynomial coefficients by one rational so that all are integral with gcd 1 and the leading coefficient
 * of the highest-order one is positive (no polynomial factor is removed).
 */
export function primitivePolyOperator(coeffs: readonly Poly<Rational>[]): Poly<Rational>[] {
  let top = coeffs.length - 1;
  while (top >= 0 && coeffs[top]!.length === 0) top--;
  if (top < 0) throw new DomainError('the zero operator annihilates everything and is not an annihilator');
  const trimmed = coeffs.slice(0, top + 1);
  let lcmDen = 1n;
  let g = 0n;
  for (const p of trimmed) for (const c of p.coeffs) lcmDen = (lcmDen / gcdBig(lcmDen, c.den)) * c.den;
  for (const p of trimmed) for (const c of p.coeffs) g = gcdBig(g, c.num * (lcmDen / c.den));
  if (trimmed[top]!.coeffs[0]!.num < 0n) g = -g;
  const s = Rational.of(lcmDen, g);
  return trimmed.map((p) => U_POLY.scale(p, s));
}

/** Σ a_i(u) ∂^i as an element of D (already normally ordered: u left of ∂). */
export function polyOperatorToWeyl(coeffs: PolyOperator): Poly<Rational> {
  const monos: number[][] = [];
  const cs: Rational[] = [];
  coeffs.forEach((p, b) => {
    for (let t = 0; t < p.length; t++) {
      monos.push([p.monos[t]![0]!, b]);
      cs.push(p.coeffs[t]!);
    }
  });
  return ACTIVATION_ALGEBRA.poly.fromTerms(monos, cs);
}

/** The coefficients a_0(u)..a_r(u) of P = Σ a_i(u) ∂^i ∈ D (P normally ordered, as every element of D is). */
export function weylToPolyOperator(P: Poly<Rational>): Poly<Rational>[] {
  if (P.length === 0) throw new DomainError('the zero operator is not an annihilator');
  const r = ACTIVATION_ALGEBRA.differentialOrder(P);
  const groups: { monos: number[][]; coeffs: Rational[] }[] = Array.from({ length: r + 1 }, () => ({ monos: [], coeffs: [] }));
  for (let t = 0; t < P.length; t++) {
    const [a, b] = P.monos[t]!;
    groups[b!]!.monos.push([a!]);
    groups[b!]!.coeffs.push(P.coeffs[t]!);
  }
  return groups.map((g) => U_POLY.fromTerms(g.monos, g.coeffs));
}

/** Polynomial coefficients as an operator of R. */
export function polyToRatOperator(coeffs: PolyOperator): RationalFunction[] {
  return coeffs.map((p) => U_FIELD.fromPoly(p));
}

/** Whether two polynomial operators are equal after normalization (equal up to a left factor in Q(u)^×). */
export function sameUpToLeftFactor(a: PolyOperator, b: PolyOperator): boolean {
  const na = normalizeOperator(polyToRatOperator(a));
  const nb = normalizeOperator(polyToRatOperator(b));
  return na.length === nb.length && na.every((p, i) => U_POLY.eq(p, nb[i]!));
}
