import type { Domain } from './domain.ts';
import type { LinearKey, Monomial, MonomialOrder } from './monomialOrder.ts';

const MAX_PACKED = 2 ** 53;

/** Mixes the two 32-bit halves of an integer-valued double (< 2^53) into a well-spread 32-bit hash. */
function hashKey(key: number): number {
  const lo = key >>> 0;
  const hi = (key / 4294967296) >>> 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  return Math.imul(h, 0xc2b2ae35) ^ (h >>> 13);
}

/**
 * order.linearKey(bounds), memoised per order: every product and every fromTerms builds an accumulator, and the key
 * of a refined order (three nested refinements for the homogenized weight order) allocated several arrays each time.
 */
const linearKeys = new WeakMap<MonomialOrder, Map<string, LinearKey | null>>();
function cachedLinearKey(order: MonomialOrder, bounds: readonly number[]): LinearKey | null {
  if (!order.linearKey) return null;
  let byBounds = linearKeys.get(order);
  if (byBounds === undefined) linearKeys.set(order, (byBounds = new Map()));
  const id = bounds.join(',');
  let lk = byBounds.get(id);
  if (lk === undefined) {
    lk = order.linearKey(bounds);
    // Bounds vary with the inputs; a long session must not grow this without limit.
    if (byBounds.size >= 256) byBounds.clear();
    byBounds.set(id, lk);
  }
  return lk;
}

/**
 * Collects terms (monomial, coefficient), adding coefficients of equal monomials, then returns them sorted by a
 * term order with zeros dropped. Products of polynomials and of Weyl operators both funnel through here.
 *
 * With exponent bounds, monomials are hashed by a number: the order's linear sort key when it has one (then the
 * final sort is a plain numeric sort), else a mixed-radix packing; without bounds, or when nothing fits in 2^53,
 * by string keys and a comparator sort.
 */
export class TermAccumulator<T> {
  /** String keys (no bounds, or too large to pack). */
  private readonly index = new Map<string, number>();
  /** Numeric keys: open addressing over typed arrays, so keys beyond the small-integer range are never boxed. */
  private slots = new Int32Array(64).fill(-1);
  private mask = 63;
  private readonly monos: Monomial[] = [];
  private readonly coeffs: T[] = [];
  private readonly keys: number[] = [];
  /** key(m) = offset + Σ weights_i m_i when numeric; callers may update it incrementally. */
  readonly weights: readonly number[] | null = null;
  readonly offset: number = 0;
  /** Whether numeric keys increase with the term order (then result() sorts numbers). */
  private readonly monotone: boolean = false;

  constructor(
    private readonly domain: Domain<T>,
    bounds: readonly number[] | undefined,
    private readonly order: MonomialOrder,
  ) {
    if (!bounds) return;
    const lk = cachedLinearKey(order, bounds);
    if (lk) {
      this.weights = lk.weights;
      this.offset = lk.offset;
      this.monotone = true;
      return;
    }
    const weights = new Array<number>(bounds.length);
    let s = 1;
    for (let i = bounds.length - 1; i >= 0; i--) {
      weights[i] = s;
      s *= bounds[i]! + 1;
    }
    if (s <= MAX_PACKED) this.weights = weights;
  }

  /** The numeric key of m, or null when keys are strings. */
  keyOf(m: Monomial): number | null {
    const w = this.weights;
    if (w === null) return null;
    let k = this.offset;
    for (let i = 0; i < m.length; i++) k += m[i]! * w[i]!;
    return k;
  }

  add(m: Monomial, c: T): void {
    const k = this.keyOf(m);
    if (k === null) this.addKeyed(m.join(','), m, c);
    else this.addKeyed(k, m, c);
  }

  /**
   * Adds c at a precomputed key; `m` may be a thunk so that a monomial already present is never allocated.
   * The key must be what keyOf (or the string key) gives for that monomial.
   */
  addKeyed(key: number | string, m: Monomial | (() => Monomial), c: T): void {
    if (typeof key === 'string') {
      const at = this.index.get(key);
      if (at === undefined) {
        this.index.set(key, this.monos.length);
        this.monos.push(typeof m === 'function' ? m() : m);
        this.coeffs.push(c);
      } else {
        this.coeffs[at] = this.domain.add(this.coeffs[at]!, c);
      }
      return;
    }
    let h = hashKey(key) & this.mask;
    for (;;) {
      const at = this.slots[h]!;
      if (at < 0) break;
      if (this.keys[at] === key) {
        this.coeffs[at] = this.domain.add(this.coeffs[at]!, c);
        return;
      }
      h = (h + 1) & this.mask;
    }
    this.slots[h] = this.monos.length;
    this.monos.push(typeof m === 'function' ? m() : m);
    this.coeffs.push(c);
    this.keys.push(key);
    if (this.keys.length * 2 > this.mask) this.grow();
  }

  private find(key: number): number {
    let h = hashKey(key) & this.mask;
    for (;;) {
      const at = this.slots[h]!;
      if (at < 0 || this.keys[at] === key) return at;
      h = (h + 1) & this.mask;
    }
  }

  private grow(): void {
    const size = (this.mask + 1) * 2;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    for (let i = 0; i < this.keys.length; i++) {
      let h = hashKey(this.keys[i]!) & this.mask;
      while (this.slots[h]! >= 0) h = (h + 1) & this.mask;
      this.slots[h] = i;
    }
  }

  /** The collected terms sorted decreasingly by the order, zeros removed. */
  result(): { monos: Monomial[]; coeffs: T[] } {
    const d = this.domain;
    const monos: Monomial[] = [];
    const coeffs: T[] = [];
    if (this.monotone) {
      const sorted = Float64Array.from(this.keys).sort();
      for (let r = sorted.length - 1; r >= 0; r--) {
        const i = this.find(sorted[r]!);
        if (d.isZero(this.coeffs[i]!)) continue;
        monos.push(this.monos[i]!);
        coeffs.push(this.coeffs[i]!);
      }
      return { monos, coeffs };
    }
    const idx: number[] = [];
    for (let i = 0; i < this.monos.length; i++) if (!d.isZero(this.coeffs[i]!)) idx.push(i);
    const order = this.order;
    idx.sort((i, j) => order.compare(this.monos[j]!, this.monos[i]!));
    for (const i of idx) {
      monos.push(this.monos[i]!);
      coeffs.push(this.coeffs[i]!);
    }
    return { monos, coeffs };
  }
}
