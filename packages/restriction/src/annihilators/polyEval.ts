/**
 * Evaluation of a polynomial of Q[u] at a double in double-double arithmetic (coefficients rounded to hi + lo,
 * compensated Horner). (P*φ)/φ has large coefficients of both signs for high-order operators; plain Horner would
 * leave rounding noise of eps·Σ|c_i u^i|, far above the residual being measured.
 */
import { twoProductError } from '@holonomic-ntk/core';
import { Rational, type Poly } from '@holonomic-ntk/weyl-algebra';

/** A polynomial prepared for {@link evaluateDd}: coefficients by degree, each as hi + lo. */
export interface DdPolynomial {
  readonly hi: Float64Array;
  readonly lo: Float64Array;
}

/** Rounds the exact coefficients to double-double (hi = nearest double, lo = nearest double to the rest). */
export function toDdPolynomial(p: Poly<Rational>): DdPolynomial {
  let deg = 0;
  for (const m of p.monos) deg = Math.max(deg, m[0]!);
  const hi = new Float64Array(deg + 1);
  const lo = new Float64Array(deg + 1);
  for (let i = 0; i < p.length; i++) {
    const c = p.coeffs[i]!;
    const h = c.toNumber();
    hi[p.monos[i]![0]!] = h;
    lo[p.monos[i]![0]!] = Number.isFinite(h) ? c.sub(Rational.fromNumber(h)).toNumber() : 0;
  }
  return { hi, lo };
}

/**
 * p(x) with about 30 significant digits before the final rounding (Horner in double-double).
 *
 * For example:
 * evaluateDd(toDdPolynomial(parsePolynomial(U_POLY, 'u^2 - 2')), Math.SQRT2); // ≈ 2.7e-16 (the rounding of √2)
 */
export function evaluateDd(p: DdPolynomial, x: number): number {
  const { hi, lo } = p;
  let sh = 0;
  let sl = 0;
  for (let i = hi.length - 1; i >= 0; i--) {
    // (sh + sl)·x: exact product of sh and x (Dekker), plus sl·x.
    const ph = sh * x;
    const pl = twoProductError(sh, x, ph) + sl * x;
    // + (hi_i + lo_i): two-sum of the high parts, the rest into the low part.
    const s = ph + hi[i]!;
    const bb = s - ph;
    const err = ph - (s - bb) + (hi[i]! - bb);
    const low = err + pl + lo[i]!;
    sh = s + low;
    sl = low - (sh - s);
  }
  return sh + sl;
}
