import { type Monomial, Poly, Rational, type WeylAlgebra, ZZ } from '@holonomic-ntk/weyl-algebra';
import { gcdBig } from '@holonomic-ntk/weyl-algebra/internal';
import { type CoefficientStrategy, integerStrategy } from './coefficients.ts';
import { orderRows } from './orderKeys.ts';
import { ReducerSet, divMask } from './reducerSet.ts';
import { ReductionWorkspace } from './reductionWorkspace.ts';

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
// Module-local bindings for the hot loop (an imported binding is a getter call under the CJS transform tsx uses).
const maskOf = divMask;
const cancelInt = integerStrategy.cancel;
const gcdInt = gcdBig;
export function isHuge(c: bigint): boolean {
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
 * instead of dividing (fraction-free) and the content is removed at the end. A full reduction over ZZ in a known order
 * runs in a reduction workspace; the others merge t·g into sorted term arrays. Both pick the same reducer at every
 * step (the shortest, the earliest among equally short), so they take the same steps (tested).
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
  if (!headOnly && f.monos.length > 0) {
    const W = workspaceFor(A, S, f.monos[0]!.length);
    if (W !== null) {
      W.addPoly(f as unknown as Poly<bigint>);
      const r = reduceInWorkspace(layout, W, new ReducerSet(layout, G as readonly Poly<bigint>[]), -1, trackMultiplier);
      return r as Reduced<unknown> as Reduced<T>;
    }
  }
  return leftReduceMerging(A, S, layout, f, G, headOnly, trackMultiplier);
}

/**
 * A reduction workspace for fraction-free work over ZZ in an order the packed keys know, else null (then the
 * merging reduction below runs: fields, unknown orders).
 */
export function workspaceFor<T>(A: WeylAlgebra<T>, S: CoefficientStrategy<T>, nslots: number): ReductionWorkspace | null {
  if (A.domain !== (ZZ as unknown) || S !== (integerStrategy as unknown)) return null;
  const rows = orderRows(A.order, nslots);
  return rows === null ? null : ReductionWorkspace.create(rows, nslots, A.n, A.hIndex);
}

/**
 * Full left reduction of the polynomial loaded in W by the reducers R (skipping R's element `exclude`), fraction-free
 * over ZZ: pop the largest term; if no leading monomial divides it, it joins the remainder (terms leave the heap in
 * decreasing order, so the remainder comes out sorted); otherwise f ← a·f − b·t·g. Content is removed when a
 * coefficient passes 2^256 and at the end. Empties W.
 */
export function reduceInWorkspace(layout: Layout, W: ReductionWorkspace, R: ReducerSet<bigint>, exclude = -1, track = false): Reduced<bigint> {
  let mult = Rational.ONE;
  const restMonos: Monomial[] = [];
  const restCoeffs: bigint[] = [];
  // Content removal when the leading coefficient passes `huge`, which then doubles the bit size of the reduced
  // coefficient: checking at every step past 2^256 paid the gcds again and again on contents of 1 (65 % of the GeLU σ̇
  // module basis); the doubling bounds the gcd passes by the logarithm of the growth.
  let huge = HUGE;
  for (let e = W.pop(); e >= 0; e = W.pop()) {
    const m = W.monomial(e);
    let c = W.coefficient(e);
    const g = R.find(m, maskOf(layout, m), exclude);
    if (g === undefined) {
      restMonos.push(m);
      restCoeffs.push(c);
      continue;
    }
    if (c > huge || c < -huge) {
      // Keep coefficients small on long reductions: divide out the content of everything produced so far.
      let h = W.content(c < 0n ? -c : c);
      for (let i = 0; i < restCoeffs.length && h !== 1n; i++) {
        const r = restCoeffs[i]!;
        if (r % h !== 0n) h = gcdInt(h, r);
      }
      const abs = c < 0n ? -c : c;
      const now = abs / h;
      huge = now * now > HUGE ? now * now : HUGE;
      if (h !== 1n) {
        W.divide(h);
        for (let i = 0; i < restCoeffs.length; i++) restCoeffs[i] = restCoeffs[i]! / h;
        c /= h;
        if (track) mult = mult.mul(Rational.of(1n, h));
      }
    }
    const [a, b] = cancelInt(c, g.coeffs[0]!);
    if (a !== 1n) {
      W.scale(a);
      for (let i = 0; i < restCoeffs.length; i++) restCoeffs[i] = restCoeffs[i]! * a;
      if (track) mult = mult.mulInt(a);
    }
    W.addTermTimes(quotient(layout, m, g.monos[0]!), -b, g, true);
  }
  const all = new Poly<bigint>(restMonos, restCoeffs);
  const norm = integerStrategy.normalize(all);
  if (track && all.coeffs.length > 0) mult = mult.mul(Rational.of(norm.coeffs[0]!, all.coeffs[0]!));
  return { remainder: norm, multiplier: mult };
}

/** The reduction on sorted term arrays, merging t·g into f at each step: any domain, any order. */
export function leftReduceMerging<T>(
  A: WeylAlgebra<T>,
  S: CoefficientStrategy<T>,
  layout: Layout,
  f: Poly<T>,
  G: readonly Poly<T>[],
  headOnly: boolean,
  trackMultiplier: boolean,
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
