import type { Domain } from './domain.ts';
import type { Monomial, MonomialOrder } from './monomialOrder.ts';

const MAX_PACKED = 2 ** 52;

/**
 * Collects terms (monomial, coefficient), adding coefficients of equal monomials, then returns them sorted by a
 * term order with zeros dropped. Products of polynomials and of Weyl operators both funnel through here.
 *
 * When the caller knows exponent bounds, monomials are packed into one number (mixed radix) for hashing, which
 * is several times faster than string keys; otherwise, or when the packed value would not be exact, it falls back
 * to string keys.
 */
export class TermAccumulator<T> {
  private readonly index = new Map<number | string, number>();
  private readonly monos: Monomial[] = [];
  private readonly coeffs: T[] = [];
  private readonly strides: number[] | null;

  constructor(
    private readonly domain: Domain<T>,
    bounds?: readonly number[],
  ) {
    this.strides = null;
    if (bounds) {
      const strides: number[] = new Array(bounds.length);
      let s = 1;
      for (let i = bounds.length - 1; i >= 0; i--) {
        strides[i] = s;
        s *= bounds[i]! + 1;
      }
      if (s <= MAX_PACKED) this.strides = strides;
    }
  }

  private key(m: Monomial): number | string {
    const st = this.strides;
    if (st === null) return m.join(',');
    let k = 0;
    for (let i = 0; i < m.length; i++) k += m[i]! * st[i]!;
    return k;
  }

  add(m: Monomial, c: T): void {
    const k = this.key(m);
    const at = this.index.get(k);
    if (at === undefined) {
      this.index.set(k, this.monos.length);
      this.monos.push(m);
      this.coeffs.push(c);
    } else {
      this.coeffs[at] = this.domain.add(this.coeffs[at]!, c);
    }
  }

  /** The collected terms sorted decreasingly by `order`, zeros removed. */
  result(order: MonomialOrder): { monos: Monomial[]; coeffs: T[] } {
    const d = this.domain;
    const idx: number[] = [];
    for (let i = 0; i < this.monos.length; i++) if (!d.isZero(this.coeffs[i]!)) idx.push(i);
    idx.sort((i, j) => order.compare(this.monos[j]!, this.monos[i]!));
    return { monos: idx.map((i) => this.monos[i]!), coeffs: idx.map((i) => this.coeffs[i]!) };
  }
}
