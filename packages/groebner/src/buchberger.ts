import { DomainError, type Monomial, type Poly, type WeylAlgebra } from '@holonomic-ntk/weyl-algebra';
import type { CoefficientStrategy } from './coefficients.ts';
import { type Layout, degreeOf, divides, lcmOf, leftReduce, quotient } from './leftReduction.ts';
import { Budget, type GbOptions } from './options.ts';

interface Pair {
  i: number;
  j: number;
  lcm: number[];
  sugar: number;
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
    throw new DomainError(
      `the term order ${A.order.name} is not a well-order; use weightGroebnerBasis (computes in D^(h)) for weight vectors such as (−w, w)`,
    );
  }
  const budget = new Budget(options);
  const elems: Element<T>[] = [];
  let pairs: Pair[] = [];
  let pairsDone = 0;
  const progress = (degree: number, stage = 'buchberger') =>
    budget.check({ stage, pairsDone, pairsLeft: pairs.length, basisSize: elems.length, degree });

  const reducers = (): Poly<T>[] => elems.map((e) => e.poly);

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
      fresh.push({ i: g, j: h, lcm: l, sugar: s });
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
      if (!divides(layout, lmH, p.lcm)) return true;
      const li = lcmOf(layout, elems[p.i]!.poly.monos[0]!, lmH);
      const lj = lcmOf(layout, elems[p.j]!.poly.monos[0]!, lmH);
      return (li !== null && monoEq(li, p.lcm)) || (lj !== null && monoEq(lj, p.lcm));
    });
    pairs.push(...kept);
    for (const e of elems) if (e.active && divides(layout, lmH, e.poly.monos[0]!)) e.active = false;
    elems.push({ poly: p, sugar, active: true });
  };

  // Inputs: reduce each against those before (drops zeros and duplicates), then add.
  const inputs = generators.filter((g) => g.monos.length > 0).map((g) => S.normalize(g));
  inputs.sort((a, b) => A.order.compare(a.monos[0]!, b.monos[0]!));
  for (const g of inputs) {
    progress(0, 'buchberger (inputs)');
    const r = leftReduce(A, S, layout, g, reducers()).remainder;
    if (r.monos.length > 0) add(r, maxDegree(layout, r));
  }

  const sugar = options.strategy === 'sugar';
  while (pairs.length > 0) {
    // Normal strategy: smallest lcm; sugar strategy: smallest sugar, then smallest lcm.
    let best = 0;
    for (let k = 1; k < pairs.length; k++) {
      const a = pairs[k]!;
      const b = pairs[best]!;
      if (sugar ? a.sugar < b.sugar || (a.sugar === b.sugar && A.order.compare(a.lcm, b.lcm) < 0) : A.order.compare(a.lcm, b.lcm) < 0) best = k;
    }
    const pair = pairs[best]!;
    pairs[best] = pairs[pairs.length - 1]!;
    pairs.pop();
    pairsDone++;
    progress(pair.sugar);
    const sp = sPolynomial(A, S, layout, elems[pair.i]!.poly, elems[pair.j]!.poly, pair.lcm);
    if (sp.monos.length === 0) continue;
    const r = leftReduce(A, S, layout, sp, reducers(), true).remainder;
    if (r.monos.length === 0) continue;
    // Fully reduce the tail too: smaller elements make the later reductions cheaper.
    const full = leftReduce(A, S, layout, r, reducers()).remainder;
    add(full, Math.max(pair.sugar, maxDegree(layout, full)));
  }

  return interreduce(A, S, layout, elems.map((e) => e.poly), budget);
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
export function interreduce<T>(A: WeylAlgebra<T>, S: CoefficientStrategy<T>, layout: Layout, basis: readonly Poly<T>[], budget = new Budget()): Poly<T>[] {
  const polys = basis.filter((p) => p.monos.length > 0);
  polys.sort((a, b) => A.order.compare(a.monos[0]!, b.monos[0]!));
  const minimal: Poly<T>[] = [];
  for (let i = 0; i < polys.length; i++) {
    const lm = polys[i]!.monos[0]!;
    // Sorted increasingly, so a divisor of lm sits earlier; among equal leading monomials keep the first.
    if (minimal.some((g) => divides(layout, g.monos[0]!, lm))) continue;
    minimal.push(polys[i]!);
  }
  const reduced = minimal.map((g, i) => {
    budget.check({ stage: 'interreduce', pairsDone: i, pairsLeft: minimal.length - i, basisSize: minimal.length, degree: 0 });
    const others = minimal.filter((_, k) => k !== i);
    return leftReduce(A, S, layout, g, others).remainder;
  });
  return reduced;
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
