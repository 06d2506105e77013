import { Budget } from '@holonomic-ntk/groebner/internal';
import { DomainError, type Monomial, Poly, QQ, type Rational, WeylAlgebra, grevlex } from '@holonomic-ntk/weyl-algebra';
import { type BFunctionOptions, type BFunctionResult, bFunction, restrictionWeight, s0AsNumber } from './bFunction.ts';

/**
 * The restriction module of D/I to t = 0 ([SST] Alg. 5.2.8, MATH.md §3 steps 3–5): a presentation
 * ⊕_{β∈B} D_x·∂t^β / N as a left module over the Weyl algebra D_x of the remaining variables.
 *
 * `zero` when b has no integer root ≥ 0 (then the module is 0, and the restriction ideal is (1)).
 */
export type RestrictionModule =
  | { kind: 'zero'; reason: string; bFunction: BFunctionResult; algebra: WeylAlgebra<Rational> }
  | {
      kind: 'module';
      bFunction: BFunctionResult;
      /** D_x: the Weyl algebra over the variables that are not restricted (grevlex). */
      algebra: WeylAlgebra<Rational>;
      /** The exponents β of the symbols ∂t^β, one per component; ∂t^0 is the LAST component. */
      basis: number[][];
      /** Text of each basis symbol, e.g. "dy1", "1". */
      basisText: string[];
      /** Generators of N ⊂ D_x^|B| (nonzero vectors, entries in `algebra`). */
      generators: Poly<Rational>[][];
    };

export interface RestrictionOptions extends BFunctionOptions {
  /** Refuse s0 above this (the basis B grows like s0^m). Default 1000. */
  maxS0?: number;
  /** Reuse a b-function computed earlier for the same ideal and weight. */
  bFunction?: BFunctionResult;
}

/**
 * D_x for the unrestricted variables of D, as a Weyl algebra over QQ with grevlex. Restricting every variable (to a
 * point) leaves the Weyl algebra with no pairs, Q itself: the restriction module is then a Q-vector space.
 *
 * For example:
 * const D = new WeylAlgebra(QQ, ['t', 'x']);
 * restrictedAlgebra(D, ['t']).xNames; // ['x']
 */
export function restrictedAlgebra(D: WeylAlgebra<Rational>, tVars: readonly string[]): WeylAlgebra<Rational> {
  const keep = D.pairs().filter((p) => !tVars.includes(p.x));
  return new WeylAlgebra(QQ, keep, { order: grevlex });
}

/**
 * All β ∈ N^m with w·β ≤ s0, sorted by decreasing weight, then decreasing lexicographically, so ∂t^0 comes last
 * (the order the restriction ideal's POT elimination needs).
 *
 * For example:
 * restrictionBasis([1, 1], 1); // [[1, 0], [0, 1], [0, 0]]
 */
export function restrictionBasis(weights: readonly number[], s0: number): number[][] {
  const out: number[][] = [];
  const cur = new Array<number>(weights.length).fill(0);
  const walk = (i: number, left: number) => {
    if (i === weights.length) {
      out.push(cur.slice());
      return;
    }
    for (let e = 0; e * weights[i]! <= left; e++) {
      cur[i] = e;
      walk(i + 1, left - e * weights[i]!);
    }
    cur[i] = 0;
  };
  if (s0 >= 0) walk(0, s0);
  const wt = (b: number[]) => b.reduce((s, e, i) => s + e * weights[i]!, 0);
  out.sort((a, b) => {
    const d = wt(b) - wt(a);
    if (d !== 0) return d;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return b[i]! - a[i]!;
    return 0;
  });
  return out;
}

/**
 * The restriction module of D/D·gens along t = 0 for the weight w on t (positive integers).
 *
 * With G a Gröbner basis for (−w, w) and s0 the largest integer root of the b-function: for g ∈ G with
 * ord_(−w,w)(g) = k and every β with w·β ≤ s0 − k, the normal form of ∂t^β·g with t = 0 is a D_x-combination of
 * the symbols ∂t^γ, γ ∈ B = {w·γ ≤ s0} (every term of ∂t^β·g has weight ≤ s0, and without t its weight is w·γ).
 * Those vectors generate N.
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { restrictionModule } from '@holonomic-ntk/restriction';
 * const D = new WeylAlgebra(QQ, ['x', 'y']);
 * const M = restrictionModule(D, parseOperators(D, 'x*dx-1; y*dy-1'), ['x'], [1]);
 * M.kind; // → 'module'
 * // Generators of N ⊂ D_y^2 in the basis [∂x, 1]: (0, y*dy-1), (y*dy-1, 0), (0, -1).
 * M.kind === 'module' && M.basisText; // → ['dx', '1']
 * ```
 */
export function restrictionModule(
  D: WeylAlgebra<Rational>,
  gens: readonly Poly<Rational>[],
  tVars: readonly string[],
  weights: readonly number[],
  options: RestrictionOptions = {},
): RestrictionModule {
  const weight = restrictionWeight(D, tVars, weights);
  const b = options.bFunction ?? bFunction(D, gens, tVars, weights, options);
  if (b.weight.length !== weight.length || b.weight.some((x, i) => x !== weight[i])) {
    throw new DomainError(`the given b-function is for the weight (${b.weight.join(',')}), not for (${weight.join(',')})`);
  }
  const Dx = restrictedAlgebra(D, tVars);
  if (b.s0 === null || b.s0 < 0n) {
    return {
      kind: 'zero',
      reason: b.s0 === null ? `the b-function ${b.text} has no integer root` : `the largest integer root of the b-function ${b.text} is ${b.s0} < 0`,
      bFunction: b,
      algebra: Dx,
    };
  }
  const s0 = s0AsNumber(b.s0, options.maxS0);
  const basis = restrictionBasis(weights, s0);
  const wb = b.weightBasis;
  const R = wb.ring;
  const tIdx = tVars.map((t) => D.xNames.indexOf(t));
  const keepIdx = D.xNames.map((_, i) => i).filter((i) => !tIdx.includes(i));
  const basisKey = new Map(basis.map((beta, k) => [beta.join(','), k]));
  const budget = new Budget(options);
  const generators: Poly<Rational>[][] = [];
  const seen = new Set<string>();
  wb.basis.forEach((g, gi) => {
    const k = R.ord(g, weight);
    // k may be negative (g = t·…): then β ranges beyond B, and ∂t^β·g still lands in B once t = 0.
    for (const beta of restrictionBasis(weights, s0 - k)) {
      budget.check({ stage: 'restriction module', pairsDone: gi, pairsLeft: wb.basis.length - gi, basisSize: generators.length, degree: k });
      const p = restrictedProduct(g, beta, D.n, tIdx);
      if (p.monos.length === 0) continue;
      const v = toVector(p, D.n, tIdx, keepIdx, basisKey, Dx, basis.length);
      // The terms of p are added up only in toVector: they may cancel to 0 there.
      if (v.every((e) => e.monos.length === 0)) continue;
      // Different (g, β) can give the same vector; keep one.
      const id = v.map((e) => e.monos.map((mm, i) => `${mm.join('.')}:${e.coeffs[i]}`).join(' ')).join('|');
      if (seen.has(id)) continue;
      seen.add(id);
      generators.push(v);
    }
  });
  return {
    kind: 'module',
    bFunction: b,
    algebra: Dx,
    basis,
    basisText: basis.map((beta) => symbolText(D, tIdx, beta)),
    generators,
  };
}

/**
 * ∂t^β·g with t = 0 afterwards, term by term: ∂^β t^a = Σ_j C(β,j)C(a,j) j! t^(a−j) ∂^(β−j) per restricted pair,
 * and t = 0 keeps only j = a, so a term c·t^a ∂t^b·(rest) gives c·β!/(β−a)!·∂t^(β−a+b)·(rest) when a ≤ β and
 * nothing otherwise. The other pairs commute with ∂t. Same result as the full Weyl product followed by
 * substituteX (the tests compare with the definition), without expanding the terms that t = 0 removes.
 * The terms come unsorted and may repeat a monomial (toVector adds them up); `tIdx` are the positions of t in x.
 */
export function restrictedProduct(g: Poly<Rational>, beta: readonly number[], n: number, tIdx: readonly number[]): Poly<Rational> {
  const monos: Monomial[] = [];
  const coeffs: Rational[] = [];
  for (let s = 0; s < g.monos.length; s++) {
    const mu = g.monos[s]!;
    let factor = 1n;
    let ok = true;
    for (let j = 0; j < tIdx.length && ok; j++) {
      const a = mu[tIdx[j]!]!;
      const b = beta[j]!;
      if (a > b) ok = false;
      else for (let r = b - a + 1; r <= b; r++) factor *= BigInt(r);
    }
    if (!ok) continue;
    const m = mu.slice();
    tIdx.forEach((i, j) => {
      m[n + i] = m[n + i]! + beta[j]! - m[i]!;
      m[i] = 0;
    });
    monos.push(m);
    coeffs.push(factor === 1n ? g.coeffs[s]! : g.coeffs[s]!.mulInt(factor));
  }
  return new Poly(monos, coeffs);
}

/** Splits p (t already set to 0) into its ∂t^γ-components with coefficients in D_x. */
function toVector(
  p: Poly<Rational>,
  n: number,
  tIdx: readonly number[],
  keepIdx: readonly number[],
  basisKey: ReadonlyMap<string, number>,
  Dx: WeylAlgebra<Rational>,
  rank: number,
): Poly<Rational>[] {
  const parts = Array.from({ length: rank }, () => ({ monos: [] as Monomial[], coeffs: [] as Rational[] }));
  for (let i = 0; i < p.monos.length; i++) {
    const m = p.monos[i]!;
    const gamma = tIdx.map((t) => m[n + t]!);
    const k = basisKey.get(gamma.join(','));
    // Cannot happen for a correct (−w,w) Gröbner basis and b-function: every term has weight ≤ s0.
    if (k === undefined) throw new Error(`restriction module: the term with ∂t-exponent (${gamma.join(',')}) lies outside the basis B`);
    parts[k]!.monos.push([...keepIdx.map((j) => m[j]!), ...keepIdx.map((j) => m[n + j]!)]);
    parts[k]!.coeffs.push(p.coeffs[i]!);
  }
  return parts.map((t) => Dx.poly.fromTerms(t.monos, t.coeffs));
}

function symbolText(D: WeylAlgebra<Rational>, tIdx: readonly number[], beta: readonly number[]): string {
  const parts: string[] = [];
  tIdx.forEach((i, j) => {
    const e = beta[j]!;
    if (e === 1) parts.push(D.dNames[i]!);
    else if (e > 1) parts.push(`${D.dNames[i]}^${e}`);
  });
  return parts.length ? parts.join('*') : '1';
}
