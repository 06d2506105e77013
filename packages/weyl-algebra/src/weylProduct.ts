import { binomialBig, factorialBig } from './bigintMath.ts';

/**
 * Normal ordering of one variable pair: ∂^k x^l = Σ_{j=0}^{min(k,l)} C(k,j)·C(l,j)·j! · x^(l−j) ∂^(k−j), each term
 * times h^(2j) in the homogenized algebra (MATH.md §1). Returns the integer coefficients indexed by j.
 * Pairs of different variables commute, so a product of monomials is the tensor product of these expansions.
 *
 * @example
 * ```ts
 * import { swapCoefficients } from '@holonomic-ntk/weyl-algebra/internal';
 * swapCoefficients(1, 1); // → [1n, 1n]
 * swapCoefficients(2, 2); // → [1n, 4n, 2n]
 * ```
 */
export function swapCoefficients(k: number, l: number): bigint[] {
  const key = k * 4096 + l;
  const cached = k < 4096 && l < 4096 ? swapCache.get(key) : undefined;
  if (cached) return cached;
  const m = Math.min(k, l);
  const r: bigint[] = new Array(m + 1);
  for (let j = 0; j <= m; j++) r[j] = binomialBig(k, j) * binomialBig(l, j) * factorialBig(j);
  if (k < 4096 && l < 4096) swapCache.set(key, r);
  return r;
}
const swapCache = new Map<number, bigint[]>();
