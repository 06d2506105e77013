import { DomainError, type Monomial, type Poly, type WeylAlgebra } from '@holonomic-ntk/weyl-algebra';
import type { CoefficientStrategy } from './coefficients.ts';
import { type Layout, degreeOf, divides, lcmOf, leftReduce, quotient, reduceInWorkspace, workspaceFor } from './leftReduction.ts';
import { Budget, type GbOptions } from './options.ts';
import { ReducerSet } from './reducerSet.ts';
import type { ReductionWorkspace } from './reductionWorkspace.ts';

interface Pair {
  i: number;
  j: number;
  lcm: number[];
  sugar: number;
  /** Creation order: ties in the selection go to the older pair. */
  seq: number;
  /** Removed by the chain criterion after it entered the queue (deleted lazily). */
  dead: boolean;
}

interface Element<T> {
  poly: Poly<T>;
  sugar: number;
  /** Still a candidate for new pairs (not made redundant by a later leading monomial dividing it). */
  active: boolean;
}

/**
 * Buchberger's algorithm for left ideals (or submodules, via the component slot) of a Weyl algebra A with a
 * global term order. S-polynomials use left cofactors; Gebauer–Möller's chain criteria prune pairs, and the
 * coprime (product) criterion is NOT used: it is false in D. Pairs are taken by the normal strategy (smallest lcm)
 * unless `options.strategy` is 'sugar' (see GbOptions for the measurements behind the default).
 *
 * Over ZZ in an order whose rows orderKeys.ts knows, every reduction runs in one hash/heap workspace
 * (reductionWorkspace.ts) and an S-polynomial goes straight into it; elsewhere the merging reduction runs. In the
 * (−w,w) bases of the dual systems 80 % of the pairs reduce to 0 and take 98 % of the reduction steps, so the cost of a
 * step is what matters (ReSin rank 8: 358 pairs, 80k steps; GeLU σ: 295k steps).
 *
 * Returns a reduced Gröbner basis: minimal, every tail fully reduced, each element normalized by the strategy,
 * sorted increasingly by leading monomial — a canonical form, so two ideals are equal iff these lists are.
 */
export function buchberger<T>(
  A: WeylAlgebra<T>,
  S: CoefficientStrategy<T>,
  layout: Layout,
  generators: readonly Poly<T>[],
  options: GbOptions = {},
): Poly<T>[] {
  if (!A.order.isGlobal) {
    throw new DomainError(`the term order ${A.order.name} is not a well-order; use weightGroebnerBasis (computes in D^(h)) for weight vectors such as (−w, w)`);
  }
  const budget = new Budget(options);
  const elems: Element<T>[] = [];
  let pairs: Pair[] = [];
  let pairsDone = 0;
  let pairsLeft = 0;
  let seq = 0;
  // Normal strategy: smallest lcm first; sugar strategy: smallest sugar, then smallest lcm. A binary heap: the
  // linear scan over all pairs per selection was a tenth of a small (ReLU) basis.
  const sugarFirst = options.strategy === 'sugar';
  const before = (a: Pair, b: Pair): boolean => {
    if (sugarFirst && a.sugar !== b.sugar) return a.sugar < b.sugar;
    const c = A.order.compare(a.lcm, b.lcm);
    return c !== 0 ? c < 0 : a.seq < b.seq;
  };
  const queue = new PairQueue(before);
  const progress = (degree: number, stage = 'buchberger') => budget.check({ stage, pairsDone, pairsLeft, basisSize: elems.length, degree });

  const R = new ReducerSet<T>(layout);
  // Over ZZ in a known order the reductee lives in a hash/heap workspace (reductionWorkspace.ts); else merging.
  const W = workspaceFor(A, S, A.vars.length);
  const reduceFull = (f: Poly<T>): Poly<T> => {
    if (W === null) return leftReduce(A, S, layout, f, R.polys).remainder;
    W.clear();
    W.addPoly(f as unknown as Poly<bigint>);
    return reduceInWorkspace(layout, W, R as unknown as ReducerSet<bigint>).remainder as Poly<T>;
  };
  const reducePair = (f: Poly<T>, g: Poly<T>, lcm: Monomial): Poly<T> => {
    if (W === null) {
      const sp = sPolynomial(A, S, layout, f, g, lcm);
      if (sp.monos.length === 0) return sp;
      const r = leftReduce(A, S, layout, sp, R.polys, true).remainder;
      if (r.monos.length === 0) return r;
      // Fully reduce the tail too: smaller elements make the later reductions cheaper.
      return leftReduce(A, S, layout, r, R.polys).remainder;
    }
    // The S-polynomial goes straight into the workspace, its cancelling leading terms left out.
    W.clear();
    const [a, b] = S.cancel(f.coeffs[0]!, g.coeffs[0]!);
    W.addTermTimes(quotient(layout, lcm, f.monos[0]!), a as bigint, f as unknown as Poly<bigint>, true);
    W.addTermTimes(quotient(layout, lcm, g.monos[0]!), -(b as bigint), g as unknown as Poly<bigint>, true);
    return reduceInWorkspace(layout, W, R as unknown as ReducerSet<bigint>).remainder as Poly<T>;
  };

  const add = (p: Poly<T>, sugar: number) => {
    const h = elems.length;
    const lmH = p.monos[0]!;
    // New pairs (h, g); Gebauer–Möller M and F: drop (h, g) if another new pair's lcm properly divides its lcm,
    // and keep one pair per lcm.
    const fresh: Pair[] = [];
    for (let g = 0; g < h; g++) {
      if (!elems[g]!.active) continue;
      const lmG = elems[g]!.poly.monos[0]!;
      const l = lcmOf(layout, lmH, lmG);
      if (l === null) continue;
      const s = Math.max(sugar + degreeOf(layout, l) - degreeOf(layout, lmH), elems[g]!.sugar + degreeOf(layout, l) - degreeOf(layout, lmG));
      fresh.push({ i: g, j: h, lcm: l, sugar: s, seq: 0, dead: false });
    }
    const kept: Pair[] = [];
    for (let a = 0; a < fresh.length; a++) {
      const pa = fresh[a]!;
      let redundant = false;
      for (let b = 0; b < fresh.length && !redundant; b++) {
        if (a === b) continue;
        const pb = fresh[b]!;
        if (!divides(layout, pb.lcm, pa.lcm)) continue;
        const same = monoEq(pb.lcm, pa.lcm);
        // Strictly smaller lcm wins; among equal lcms the earlier pair wins.
        if (!same || b < a) redundant = true;
      }
      if (!redundant) kept.push(pa);
    }
    // Gebauer–Möller B: an old pair (i, j) is redundant if lm(h) divides its lcm and neither lcm(i, h) nor
    // lcm(j, h) equals it (the chain i–h–j then covers it).
    pairs = pairs.filter((p) => {
      if (p.dead) return false;
      if (!divides(layout, lmH, p.lcm)) return true;
      const keep = lcmEquals(elems[p.i]!.poly.monos[0]!, lmH, p.lcm) || lcmEquals(elems[p.j]!.poly.monos[0]!, lmH, p.lcm);
      if (!keep) {
        p.dead = true;
        pairsLeft--;
      }
      return keep;
    });
    for (const p of kept) {
      p.seq = seq++;
      pairs.push(p);
      queue.push(p);
      pairsLeft++;
    }
    for (const e of elems) if (e.active && divides(layout, lmH, e.poly.monos[0]!)) e.active = false;
    elems.push({ poly: p, sugar, active: true });
    R.add(p);
  };

  // Inputs: reduce each against those before (drops zeros and duplicates), then add.
  const inputs = generators.filter((g) => g.monos.length > 0).map((g) => S.normalize(g));
  inputs.sort((a, b) => A.order.compare(a.monos[0]!, b.monos[0]!));
  for (const g of inputs) {
    progress(0, 'buchberger (inputs)');
    const r = reduceFull(g);
    if (r.monos.length > 0) add(r, maxDegree(layout, r));
  }

  for (;;) {
    const pair = queue.pop();
    if (pair === undefined) break;
    if (pair.dead) continue;
    // Taken: the next chain-criterion pass must not count it as pending.
    pair.dead = true;
    pairsLeft--;
    pairsDone++;
    progress(pair.sugar);
    const full = reducePair(elems[pair.i]!.poly, elems[pair.j]!.poly, pair.lcm);
    if (full.monos.length === 0) continue;
    add(full, Math.max(pair.sugar, maxDegree(layout, full)));
  }

  return interreduce(
    A,
    S,
    layout,
    elems.map((e) => e.poly),
    budget,
    W,
  );
}

/** S(f, g) = a·(t_f·f) − b·(t_g·g) with t = lcm / lm, left cofactors, a, b cancelling the leading coefficients. */
export function sPolynomial<T>(A: WeylAlgebra<T>, S: CoefficientStrategy<T>, layout: Layout, f: Poly<T>, g: Poly<T>, lcm: Monomial): Poly<T> {
  const d = S.domain;
  const tf = A.mulTermLeft(quotient(layout, lcm, f.monos[0]!), d.one, f);
  const tg = A.mulTermLeft(quotient(layout, lcm, g.monos[0]!), d.one, g);
  const [a, b] = S.cancel(f.coeffs[0]!, g.coeffs[0]!);
  return A.poly.addScaled(A.poly.scale(tf, a), tg, d.neg(b));
}

/**
 * From any Gröbner basis to the reduced one: drop elements whose leading monomial is divisible by another's, then
 * reduce each tail by the others, normalize and sort increasingly by leading monomial.
 */
export function interreduce<T>(
  A: WeylAlgebra<T>,
  S: CoefficientStrategy<T>,
  layout: Layout,
  basis: readonly Poly<T>[],
  budget = new Budget(),
  workspace: ReductionWorkspace | null = workspaceFor(A, S, A.vars.length),
): Poly<T>[] {
  const polys = basis.filter((p) => p.monos.length > 0);
  polys.sort((a, b) => A.order.compare(a.monos[0]!, b.monos[0]!));
  const minimal: Poly<T>[] = [];
  for (let i = 0; i < polys.length; i++) {
    const lm = polys[i]!.monos[0]!;
    // Sorted increasingly, so a divisor of lm sits earlier; among equal leading monomials keep the first.
    if (minimal.some((g) => divides(layout, g.monos[0]!, lm))) continue;
    minimal.push(polys[i]!);
  }
  const R = new ReducerSet(layout, minimal);
  const reduced = minimal.map((g, i) => {
    budget.check({ stage: 'interreduce', pairsDone: i, pairsLeft: minimal.length - i, basisSize: minimal.length, degree: 0 });
    if (workspace === null)
      return leftReduce(
        A,
        S,
        layout,
        g,
        minimal.filter((_, k) => k !== i),
      ).remainder;
    workspace.clear();
    workspace.addPoly(g as unknown as Poly<bigint>);
    return reduceInWorkspace(layout, workspace, R as unknown as ReducerSet<bigint>, i).remainder as Poly<T>;
  });
  return reduced;
}

/** lcm(a, b) = l, without building the lcm (the component slot, equal by construction, compares as well). */
function lcmEquals(a: Monomial, b: Monomial, l: Monomial): boolean {
  for (let i = 0; i < l.length; i++) if ((a[i]! > b[i]! ? a[i]! : b[i]!) !== l[i]) return false;
  return true;
}

/** A binary min-heap of pairs under `before`. */
class PairQueue {
  private readonly items: Pair[] = [];
  constructor(private readonly before: (a: Pair, b: Pair) => boolean) {}

  push(p: Pair): void {
    const items = this.items;
    let i = items.length;
    items.push(p);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(p, items[parent]!)) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = p;
  }

  pop(): Pair | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= items.length) break;
      if (child + 1 < items.length && this.before(items[child + 1]!, items[child]!)) child++;
      if (!this.before(items[child]!, last)) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

function maxDegree(layout: Layout, p: Poly<unknown>): number {
  let d = 0;
  for (const m of p.monos) d = Math.max(d, degreeOf(layout, m));
  return d;
}

function monoEq(a: Monomial, b: Monomial): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
