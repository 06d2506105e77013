import { type Monomial, Poly, Rational, type WeylAlgebra } from '@holonomic-ntk/weyl-algebra';
import type { CoefficientStrategy } from './coefficients.ts';

/**
 * The shape of the exponent vectors the engine works on: [x (n), ∂ (n), (h), (component)]. `component` is the index
 * of the module-component slot, or −1 for ideals. Divisibility and lcm need the same component.
 */
export interface Layout {
  readonly component: number;
}

export function divides(layout: Layout, b: Monomial, a: Monomial): boolean {
  const c = layout.component;
  for (let i = 0; i < a.length; i++) {
    if (i === c) {
      if (a[i] !== b[i]) return false;
    } else if (b[i]! > a[i]!) return false;
  }
  return true;
}

/** lcm of two leading monomials, or null when they sit in different components (no S-pair then). */
export function lcmOf(layout: Layout, a: Monomial, b: Monomial): number[] | null {
  const c = layout.component;
  if (c >= 0 && a[c] !== b[c]) return null;
  const r = new Array<number>(a.length);
  for (let i = 0; i < a.length; i++) r[i] = Math.max(a[i]!, b[i]!);
  return r;
}

/** a / b as a monomial with component slot 0 (it multiplies from the left). */
export function quotient(layout: Layout, a: Monomial, b: Monomial): number[] {
  const r = new Array<number>(a.length);
  for (let i = 0; i < a.length; i++) r[i] = a[i]! - b[i]!;
  if (layout.component >= 0) r[layout.component] = 0;
  return r;
}

/** Degree used for sugar: every slot but the component. */
export function degreeOf(layout: Layout, m: Monomial): number {
  let s = 0;
  for (let i = 0; i < m.length; i++) if (i !== layout.component) s += m[i]!;
  return s;
}

const HUGE = 1n << 256n;
function isHuge(c: bigint): boolean {
  return c > HUGE || c < -HUGE;
}

export interface Reduced<T> {
  /** The remainder r, normalized. */
  remainder: Poly<T>;
  /**
   * r ≡ multiplier · f modulo the left ideal (fraction-free reduction scales f; a field reduction does not).
   * Only computed when asked for (trackMultiplier); 1 otherwise.
   */
  multiplier: Rational;
}

/**
 * Left reduction of f by the elements of G: while a term of f (the leading one only, if `headOnly`) is divisible by
 * the leading monomial of some g, subtract the left multiple t·g that cancels it. Over ZZ the reductee is scaled
 * instead of dividing (fraction-free) and the content is removed at the end.
 */
export function leftReduce<T>(
  A: WeylAlgebra<T>,
  S: CoefficientStrategy<T>,
  layout: Layout,
  f: Poly<T>,
  G: readonly Poly<T>[],
  headOnly = false,
  trackMultiplier = false,
): Reduced<T> {
  const d = S.domain;
  const P = A.poly;
  const isInt = !d.isField;
  // The multiplier grows with every step (a product of cofactors): only normal forms need it.
  const track = isInt && trackMultiplier;
  let mult = Rational.ONE;
  const restMonos: Monomial[] = [];
  let restCoeffs: T[] = [];
  let cur = f;
  for (;;) {
    // Find the first reducible term; the irreducible ones before it move to the remainder in one slice.
    let k = 0;
    let best: Poly<T> | undefined;
    for (; k < cur.monos.length; k++) {
      const m = cur.monos[k]!;
      // Prefer the shortest reducer: fewer terms to multiply and less coefficient growth.
      for (const g of G) {
        if (g.monos.length === 0 || !divides(layout, g.monos[0]!, m)) continue;
        if (best === undefined || g.monos.length < best.monos.length) best = g;
      }
      if (best !== undefined || headOnly) break;
    }
    if (best === undefined) break;
    if (k > 0) {
      for (let i = 0; i < k; i++) {
        restMonos.push(cur.monos[i]!);
        restCoeffs.push(cur.coeffs[i]!);
      }
      cur = new Poly(cur.monos.slice(k), cur.coeffs.slice(k));
    }
    const m = cur.monos[0]!;
    const [a, b] = S.cancel(cur.coeffs[0]!, best.coeffs[0]!);
    const tg = A.mulTermLeft(quotient(layout, m, best.monos[0]!), d.one, best);
    if (!d.isOne(a)) {
      cur = P.scale(cur, a);
      if (restCoeffs.length > 0) restCoeffs = restCoeffs.map((c) => d.mul(c, a));
      if (track) mult = mult.mulInt(a as bigint);
    }
    cur = P.addScaled(cur, tg, d.neg(b));
    if (isInt && cur.monos.length > 0 && isHuge(cur.coeffs[0] as bigint)) {
      // Keep coefficients small on long reductions: divide out the common content of what has been produced.
      const before = (restCoeffs.length > 0 ? restCoeffs[0]! : cur.coeffs[0]!) as bigint;
      const both = S.normalize(new Poly([...restMonos, ...cur.monos], [...restCoeffs, ...cur.coeffs]));
      const after = both.coeffs[0]! as bigint;
      if (after !== before) {
        if (track) mult = mult.mul(Rational.of(after, before));
        const r = restCoeffs.length;
        restCoeffs = both.coeffs.slice(0, r) as T[];
        cur = new Poly(both.monos.slice(r), both.coeffs.slice(r));
      }
    }
  }
  const all = new Poly<T>([...restMonos, ...cur.monos], [...restCoeffs, ...cur.coeffs]);
  const norm = S.normalize(all);
  if (all.coeffs.length > 0) {
    if (track) mult = mult.mul(Rational.of(norm.coeffs[0] as bigint, all.coeffs[0] as bigint));
    else mult = Rational.ONE;
  }
  return { remainder: norm, multiplier: mult };
}
