/**
 * Real roots of a squarefree polynomial of Q[u] in floating point, for the kinks of heaviside(p): the quadrature
 * must split there, and the jump of σ is read there.
 */
import { gcdQQ, type Poly, type Rational } from '@holonomic-ntk/weyl-algebra';
import { U_POLY } from './algebra.ts';

/**
 * p / gcd(p, p′): the same roots, all simple.
 *
 * For example:
 * squarefreePart(parsePolynomial(U_POLY, 'u^3 - u^2')); // u^2 − u (up to a scalar)
 */
export function squarefreePart(p: Poly<Rational>): Poly<Rational> {
  if (U_POLY.degree(p) <= 0) return p;
  const g = gcdQQ(U_POLY, p, U_POLY.diff(p, 0));
  return U_POLY.degree(g) <= 0 ? p : U_POLY.divExact(p, g);
}

/**
 * The real roots of p ≠ 0, sorted, to about full double precision: recursively, the roots of p′ cut the line
 * into intervals on which p is monotonic, and each sign change is bisected to the last representable point.
 * Exact rational roots of linear factors are returned exactly rounded (the common case, −b/a).
 *
 * For example:
 * realRoots(parsePolynomial(U_POLY, 'u^2 - 2')); // [−1.4142135623730951, 1.4142135623730951]
 */
export function realRoots(p: Poly<Rational>): number[] {
  const deg = U_POLY.degree(p);
  if (deg <= 0) return [];
  const coeffs = new Array<number>(deg + 1).fill(0);
  for (let i = 0; i < p.length; i++) coeffs[p.monos[i]![0]!] = p.coeffs[i]!.toNumber();
  if (deg === 1) {
    // −b/a rounded once from the exact rational.
    const a = p.coeffs[0]!;
    const b = p.length > 1 ? p.coeffs[1]! : null;
    return [b === null ? 0 : b.neg().div(a).toNumber()];
  }
  const value = (x: number): number => {
    let s = 0;
    for (let i = deg; i >= 0; i--) s = s * x + coeffs[i]!;
    return s;
  };
  // Cauchy bound: every root has |x| ≤ 1 + max |c_i / c_deg|.
  let bound = 0;
  for (let i = 0; i < deg; i++) bound = Math.max(bound, Math.abs(coeffs[i]! / coeffs[deg]!));
  bound += 1;
  const critical = realRoots(U_POLY.diff(p, 0)).filter((x) => Math.abs(x) < bound);
  const cuts = [-bound, ...critical, bound];
  const roots: number[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    let lo = cuts[i]!;
    let hi = cuts[i + 1]!;
    const flo = value(lo);
    const fhi = value(hi);
    if (flo === 0) {
      if (roots.length === 0 || roots[roots.length - 1] !== lo) roots.push(lo);
      continue;
    }
    if (fhi === 0 || Math.sign(flo) === Math.sign(fhi)) continue;
    for (;;) {
      const mid = lo + (hi - lo) / 2;
      if (mid <= lo || mid >= hi) break;
      if (Math.sign(value(mid)) === Math.sign(flo)) lo = mid;
      else hi = mid;
    }
    roots.push(Math.abs(value(lo)) <= Math.abs(value(hi)) ? lo : hi);
  }
  if (value(bound) === 0) roots.push(bound);
  return roots;
}
