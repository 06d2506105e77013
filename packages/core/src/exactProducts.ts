/**
 * Error-free products (Dekker/Veltkamp splitting; JavaScript has no FMA): determinants such as Δ = ab − c² with
 * one rounding, so 1 − ρ² = Δ/(ab) keeps its relative accuracy when |ρ| is close to 1.
 */

/**
 * a·b − c·d with one rounding instead of three (Dekker's exact products), so det x and det Λ keep their
 * relative accuracy when |ρ| is close to 1.
 *
 * @example
 * ```ts
 * import { diffOfProducts } from '@holonomic-ntk/core';
 * // (1 + 2^−30)(1 − 2^−30) − 1 = −2^−60 exactly; the naive a·b − c·d rounds it to 0.
 * diffOfProducts(1 + 2 ** -30, 1 - 2 ** -30, 1, 1); // → -(2 ** -60)
 * (1 + 2 ** -30) * (1 - 2 ** -30) - 1; // → 0
 * ```
 */
export function diffOfProducts(a: number, b: number, c: number, d: number): number {
  const p = a * b;
  const q = c * d;
  return p - q + (twoProductError(a, b, p) - twoProductError(c, d, q));
}

const SPLITTER = 134217729; // 2^27 + 1

/**
 * The rounding error of p = fl(a·b), exactly (Dekker/Veltkamp splitting; no FMA in JS): a·b = p + error.
 *
 * @example
 * ```ts
 * import { twoProductError } from '@holonomic-ntk/core';
 * const a = 1 + 2 ** -30;
 * const b = 1 - 2 ** -30;
 * const p = a * b; // 1 − 2^−60 rounds to 1
 * p; // → 1
 * twoProductError(a, b, p); // → -(2 ** -60)
 * ```
 */
export function twoProductError(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}
