import type { Monomial, Poly } from '@holonomic-ntk/weyl-algebra';
import type { Layout } from './leftReduction.ts';

/** Bit i (mod 31) set when slot i of m is positive; the component slot does not count. */
export function divMask(layout: Layout, m: Monomial): number {
  let s = 0;
  for (let i = 0; i < m.length; i++) if (m[i]! > 0 && i !== layout.component) s |= 1 << (i % 31);
  return s;
}

/**
 * The reducers of a reduction with a divisibility pre-filter: g can divide m only if every positive slot of lm(g)
 * is positive in m, one AND on 31-bit masks. Among the reducers whose leading monomial divides, the shortest
 * wins (fewer terms to multiply, less coefficient growth), the earliest among equally short ones.
 */
export class ReducerSet<T> {
  readonly polys: Poly<T>[] = [];
  private readonly masks: number[] = [];

  constructor(
    private readonly layout: Layout,
    polys: readonly Poly<T>[] = [],
  ) {
    for (const p of polys) this.add(p);
  }

  add(p: Poly<T>): void {
    this.polys.push(p);
    this.masks.push(p.monos.length > 0 ? divMask(this.layout, p.monos[0]!) : -1);
  }

  /** The reducer for m (whose divMask is mask), skipping the element at `exclude`; undefined when none divides. */
  find(m: Monomial, mask: number, exclude = -1): Poly<T> | undefined {
    const polys = this.polys;
    const masks = this.masks;
    let best: Poly<T> | undefined;
    for (let k = 0; k < polys.length; k++) {
      if ((masks[k]! & ~mask) !== 0 || k === exclude) continue;
      const g = polys[k]!;
      if (g.monos.length === 0 || (best !== undefined && g.monos.length >= best.monos.length)) continue;
      const lm = g.monos[0]!;
      let ok = true;
      // divides(layout, lm, m), inline: this is the innermost loop of every reduction step.
      for (let i = 0; i < m.length; i++) {
        if (i === this.layout.component ? lm[i] !== m[i] : lm[i]! > m[i]!) {
          ok = false;
          break;
        }
      }
      if (ok) best = g;
    }
    return best;
  }
}
