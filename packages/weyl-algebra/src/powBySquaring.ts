/**
 * base^k for an integer k ≥ 0 by repeated squaring, in any ring given by its product and unit. Products are
 * taken as result·base, so a non-commutative ring is fine (powers of one element commute).
 *
 * @example
 * ```ts
 * import { powBySquaring } from '@holonomic-ntk/weyl-algebra/internal';
 * powBySquaring(3n, 4, 1n, (a, b) => a * b); // → 81n
 * ```
 */
export function powBySquaring<E>(base: E, k: number, one: E, mul: (a: E, b: E) => E): E {
  let result = one;
  while (k > 0) {
    if (k & 1) result = mul(result, base);
    k >>= 1;
    if (k > 0) base = mul(base, base);
  }
  return result;
}

/**
 * Steps j to the next multi-index with 0 ≤ j_r < sizes[r].length for r < count (the first index fastest) and
 * returns false once every index has wrapped back to 0. The hot loops of the Weyl product keep their own
 * scratch arrays, so this works in place on a prefix of them.
 *
 * @example
 * ```ts
 * import { nextMultiIndex } from '@holonomic-ntk/weyl-algebra/internal';
 * const j = [0, 0];
 * nextMultiIndex(j, [[1n, 1n], [1n, 1n, 1n]], 2); // → true
 * j; // → [1, 0]
 * ```
 */
export function nextMultiIndex(j: number[], sizes: readonly { readonly length: number }[], count: number): boolean {
  for (let r = 0; r < count; r++) {
    if (j[r]! < sizes[r]!.length - 1) {
      j[r] = j[r]! + 1;
      return true;
    }
    j[r] = 0;
  }
  return false;
}

/**
 * Visits every multi-index j with 0 ≤ j_r < sizes_r (the first index fastest). The products of the Weyl algebra
 * and its Fourier transform both expand one swap formula per variable pair and take the tensor product.
 *
 * @example
 * ```ts
 * import { forEachMultiIndex } from '@holonomic-ntk/weyl-algebra/internal';
 * const seen: string[] = [];
 * forEachMultiIndex([2, 2], (j) => seen.push(j.join('')));
 * seen; // → ['00', '10', '01', '11']
 * ```
 */
export function forEachMultiIndex(sizes: readonly number[], visit: (j: readonly number[]) => void): void {
  const j = new Array<number>(sizes.length).fill(0);
  const lengths = sizes.map((n) => ({ length: n }));
  do visit(j);
  while (nextMultiIndex(j, lengths, sizes.length));
}
