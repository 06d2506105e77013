/**
 * Batches whose variances (a, b) are scattered (an NTK Gram matrix of N inputs of different norms has ~N²/2
 * distinct pairs): grouping by (a, b) would integrate one ODE path per pair (0.4–2.3 ms each for the rank-8
 * systems). Instead, E(a, b, ρ) is interpolated from a few HGM paths at tensor Chebyshev–Lobatto nodes.
 *
 * Coordinates, chosen by measurement (ACCURACY.md §7):
 * - a or √a per axis, not log a: σ(t·u) is analytic in t = √a for the built-in σ (Y(tu) = Y(u) for t > 0), so E is
 *   entire in (√a, √b); when σ(tu) has a parity in t (`SigmaSpec.scaleParity`) E, or E/√a, is a function of a,
 *   whose interpolant needs about half the degree (resin σ: 12 intervals instead of 16 for 1e-15).
 * - θ = atan2(τ, ρ) ∈ [0, π] along the path, not c or s per side: one variable for both signs of ρ, accurate near
 *   |ρ| = 1, and E is analytic in θ (arc-cosine kernels are entire in θ).
 * Node paths are integrated with dense output, sampled at Lobatto nodes in θ, and every item is a 3-D barycentric
 * interpolation (node counts doubled until the interpolant matches the next level's nodes at check points).
 *
 * The interpolation error is relative to a local scale (√(ab) where σ vanishes at 0, else 1), not to E itself;
 * items whose |E| is too small for it (zero crossings, E recessive at the boundary) are left to the caller's other
 * routes, as are a = 0, b = 0. Near |ρ| = 1 the caller (src/dualActivation.ts) builds a second grid per side whose
 * node values come from `ScatteredContext.nodeValue` (polar quadratures) instead of HGM paths, and may divide a
 * known factor in θ out of E (`thetaScale`: the closing wedge at ρ = −1).
 */
import type { Integrand, PfaffianSystem } from '@holonomic-ntk/core';
import { PATH_STEP_LIMIT, pathCancellation, pathError, pathInitialScale, pathInitialValue, pathPerturbation, solvePath, type PathOptions } from './dualPath.ts';
import type { IntegrandFunctions } from './hgm.ts';
import type { DenseSolution } from './ode.ts';

/** Intervals of the first grid per (a, b) axis and in θ; each doubling reuses the earlier nodes (Lobatto nesting). */
const FIRST_AB_INTERVALS = 6;
const FIRST_THETA_INTERVALS = 16;
/** Nested levels FIRST·2^k (the node index arithmetic needs the levels to divide 2·MAX). */
const MAX_AB_INTERVALS = FIRST_AB_INTERVALS * 8;
const MAX_THETA_INTERVALS = 256;
/** A doubling of the (a, b) grid must shrink the check difference at least this much, or the build stops. */
const STALL_FACTOR = 10;

/**
 * Grid accepted when it differs from the next level's check nodes (and the θ interpolant of half the θ nodes from
 * the other half) by at most this fraction of max|E/scale| (normally ≤ 1). A tenth of the 1e-12 an item must meet
 * relative to its own |E| (items with |E| well below the box's maximum still qualify); the node paths carry their own
 * ODE error (~1e-14 relative with rtol 1e-14, in the estimate through their pathError), and a doubling that gains less
 * than STALL_FACTOR (their noise) stops the build.
 */
export const SCATTERED_GRID_TOL = 1e-13;

/**
 * An item is interpolated only if the grid's error estimate is below this fraction of its own |E|; otherwise it
 * takes the direct path (the 1e-10 target with a margin of 10).
 */
export const SCATTERED_ITEM_TOL = 1e-11;

/**
 * The node paths' own error estimates (`pathError`: rounding and ODE tolerance, amplified by the path's conditioning)
 * enter the grid's times this factor (the interpolant's Lebesgue constant acts on node errors, but those of neighbouring
 * nodes are alike, and the check differences already contain their effect at the check nodes). It replaces the
 * earlier fixed floor of 1e-13 times the largest |E| the path passed.
 */
const NODE_ERROR_FACTOR = 1;

/**
 * The three tolerances above are for the default rtol 1e-14; a looser rtol (node paths that much less accurate)
 * scales all of them, so that a looser batch still interpolates instead of sending every item to the direct path.
 *
 * E.g. `scatteredToleranceScale(1e-11)` gives 1000.
 */
export function scatteredToleranceScale(rtol: number | undefined): number {
  return Math.max(1, (rtol ?? 1e-14) / 1e-14);
}

export interface ScatteredContext {
  system: PfaffianSystem;
  integrand: Integrand;
  fns: IntegrandFunctions;
  indexOfOne: number;
  /** φ = ψ: E(a, b, ρ) = E(b, a, ρ), one node path serves (a, b) and (b, a). */
  symmetric: boolean;
  options: PathOptions;
  /**
   * A local scale of E per axis, positive and analytic on the box (dualActivation.ts passes √a where φ vanishes at
   * 0, so that E/(normA·normB) stays entire). The grid interpolates E/(normA·normB) and multiplies the exact
   * factor back per item, so its error is relative to that scale instead of max|E| over the box (E of relu ∝ √(ab)
   * varies by 10^6 over a, b ∈ [1e-3, 1e3]). Omitted: 1.
   */
  normA?: (a: number) => number;
  normB?: (b: number) => number;
  /** The variance at grid coordinate x of each axis (x = √a: x², x = a: x). Default x². */
  varianceA?: (x: number) => number;
  varianceB?: (x: number) => number;
  /**
   * Node values from elsewhere than an HGM path: E and its error estimate at (a, b, θ) (ρ = cos θ, τ = sin θ). The
   * near-boundary grid of the rank-8 systems uses the polar quadrature (src/polarQuadrature.ts) here, because their
   * path ODE loses accuracy near |ρ| = 1. Omitted: node paths.
   */
  nodeValue?: (a: number, b: number, theta: number) => { value: number; error: number };
  /**
   * A positive factor of E in θ that the grid divides out (node values and their estimates at θ), e.g. w^k with
   * w = π − θ where E vanishes like w^k at ρ = −1 (dualActivation.ts: the closing wedge of σ supported on [0, ∞)).
   * The grid's values and `evaluateSorted` are then E/thetaScale: the caller multiplies the factor back per item.
   */
  thetaScale?: (theta: number) => number;
}

/** What the grid needs of a node: its values and error estimates at the current θ nodes, divided by `norm`. */
interface GridNode {
  readonly norm: number;
  values: Float64Array;
  errors: Float64Array;
  sample(thetas: Float64Array, one: number): void;
}

/** A node whose values come from `ScatteredContext.nodeValue` (memoized per θ: nested θ levels reuse them). */
class ValueNode implements GridNode {
  values = new Float64Array(0);
  errors = new Float64Array(0);
  private readonly memo = new Map<number, { value: number; error: number }>();
  constructor(
    private readonly f: (a: number, b: number, theta: number) => { value: number; error: number },
    private readonly a: number,
    private readonly b: number,
    readonly norm: number,
    private readonly thetaScale: (theta: number) => number,
  ) {}
  sample(thetas: Float64Array): void {
    if (this.values.length !== thetas.length) {
      this.values = new Float64Array(thetas.length);
      this.errors = new Float64Array(thetas.length);
    }
    for (let m = 0; m < thetas.length; m++) {
      const t = thetas[m]!;
      let v = this.memo.get(t);
      if (!v) this.memo.set(t, (v = this.f(this.a, this.b, t)));
      const f = this.norm * this.thetaScale(t);
      this.values[m] = v.value / f;
      this.errors[m] = v.error / f;
    }
  }
}

/**
 * What the scattered grid of a `dualActivationBatch` did (pass an object as `scatteredStats`; it is overwritten).
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * import { builtinArtifact, dualActivationBatch, type ScatteredStats } from '@holonomic-ntk/hgm-runtime';
 * const stats = {} as ScatteredStats;
 * dualActivationBatch(builtinArtifact('relu'), ACTIVATIONS.relu, [{ a: 1, c: 0.5, b: 1 }, { a: 2, c: 0, b: 3 }], { scatteredStats: stats });
 * stats.declined; // → '2 distinct (a, b)'
 * stats.direct; // → 2
 * ```
 */
export interface ScatteredStats {
  /** Nodes per axis (a or √a, b or √b) and in θ of the accepted grid; 0 if none was accepted. */
  nodesA: number;
  nodesB: number;
  nodesTheta: number;
  /** Node paths integrated (a symmetric grid integrates one per unordered pair). */
  paths: number;
  /** Largest error estimate of the grid, relative to the local scale (check differences plus the node paths' estimates). */
  error: number;
  /** Items interpolated / left to the direct path. */
  interpolated: number;
  direct: number;
  /**
   * Of `interpolated`: items near |ρ| = 1 (rank-8 systems, |ρ| > 0.9, and |ρ| = 1 exactly) served by the boundary grid,
   * whose nodes are polar quadratures (src/polarQuadrature.ts); its node evaluations. Absent when no band grid was built.
   */
  band?: number;
  bandNodes?: number;
  /** Items the grids (and the series) could not certify that the per-item polar quadrature served (not counted in `direct`). */
  polar?: number;
  /** Why the boundary grid was not used, if it was not. */
  bandDeclined?: string;
  /**
   * Items served by the Hermite series per item (σ without kinks: gelu, erf, Φ, whose band takes no grid), not counted
   * in `direct`.
   */
  series?: number;
  /** Why no grid was used, if none was. */
  declined?: string;
}

/** Chebyshev–Lobatto nodes of n intervals on [lo, hi] (one node if n = 0). */
function lobatto(lo: number, hi: number, n: number): Float64Array {
  if (n === 0) return Float64Array.of(lo);
  const mid = (lo + hi) / 2;
  const half = (hi - lo) / 2;
  const x = new Float64Array(n + 1);
  for (let j = 0; j <= n; j++) x[j] = j === 0 ? lo : j === n ? hi : mid - half * Math.cos((Math.PI * j) / n);
  return x;
}

/**
 * Normalized barycentric weights of x for Lobatto nodes (weights (−1)^j, halved at the ends), written into w:
 * the interpolant at x is Σ w_j f_j. Exact node hits give a unit vector.
 */
function baryWeights(nodes: Float64Array, x: number, w: Float64Array, offset = 0): void {
  const n = nodes.length - 1;
  if (n === 0) {
    w[offset] = 1;
    return;
  }
  let den = 0;
  for (let j = 0; j <= n; j++) {
    const d = x - nodes[j]!;
    if (d === 0) {
      for (let i = 0; i <= n; i++) w[offset + i] = i === j ? 1 : 0;
      return;
    }
    const v = (((j & 1) === 0 ? 1 : -1) * (j === 0 || j === n ? 0.5 : 1)) / d;
    w[offset + j] = v;
    den += v;
  }
  for (let j = 0; j <= n; j++) w[offset + j] = w[offset + j]! / den;
}

/** The HGM path of one node (a, b), both sides as needed, read as a function of θ. */
class NodePath implements GridNode {
  private readonly plus: DenseSolution | undefined;
  private readonly minus: DenseSolution | undefined;
  private readonly G0one: number;
  /** Per side (0: ρ < 0, 1: ρ > 0): s at every accepted step (decreasing) and |δ_E| there (`pathError`). */
  private readonly stepS: [number[], number[]] = [[1], [1]];
  private readonly stepDelta: [number[], number[]];
  /** Per side: the cancellation K at every step (`pathCancellation`). */
  private readonly stepK: [number[], number[]] = [[0], [0]];
  private readonly rtol: number;
  /** Values at the current θ nodes, and their error estimates (`pathError`), both divided by `norm`. */
  values = new Float64Array(0);
  errors = new Float64Array(0);

  constructor(
    ctx: ScatteredContext,
    a: number,
    b: number,
    sPlus: number,
    sMinus: number,
    /** normA(a)·normB(b): values are stored divided by it (and by thetaScale(θ)). */
    readonly norm: number,
    private readonly thetaScale: (theta: number) => number = () => 1,
  ) {
    const G0 = pathInitialValue(ctx.system, ctx.integrand, ctx.fns, a, b);
    const one = ctx.indexOfOne;
    const r = G0.length;
    this.G0one = G0[one]!;
    this.rtol = ctx.options.rtol ?? 1e-13;
    const e0 = pathInitialScale(ctx.system, ctx.integrand, ctx.fns, a, b);
    const d0 = Math.abs(pathPerturbation(ctx.system, G0, a, b, undefined, e0)[one]!);
    this.stepDelta = [[d0], [d0]];
    const solve = (q: 1 | -1, sEnd: number): DenseSolution | undefined => {
      const k = q > 0 ? 1 : 0;
      const cancel = pathCancellation(ctx.system, a, b, q);
      const sol = solvePath(ctx.system, G0, a, b, q, sEnd, {
        ...ctx.options,
        dense: true,
        solver: 'dop853',
        delta: pathPerturbation(ctx.system, G0, a, b, undefined, e0),
        // No deltaLimit: the grid wants values to its absolute tolerance, also where E is recessive (items there go
        // direct by their estimate); stiff paths stop (no estimate beyond: Infinity).
        stepLimit: PATH_STEP_LIMIT,
        onStep: (t, y) => {
          this.stepS[k].push(t);
          this.stepDelta[k].push(Math.abs(y[r + one]!));
          this.stepK[k].push(cancel(t, y));
        },
      });
      // Stopped short of sEnd: no estimate below (Infinity), so no item there is interpolated.
      if (sol.sReached > sEnd) {
        this.stepS[k].push(0);
        this.stepDelta[k].push(Infinity);
        this.stepK[k].push(0);
      }
      return sol.dense;
    };
    this.plus = sPlus < 1 ? solve(1, sPlus) : undefined;
    this.minus = sMinus < 1 ? solve(-1, sMinus) : undefined;
  }

  value(theta: number, one: number): number {
    const right = theta <= Math.PI / 2;
    const s = Math.tan((right ? theta : Math.PI - theta) / 2);
    const dense = right ? this.plus : this.minus;
    return s >= 1 || !dense ? this.G0one : dense.evaluateComponent(Math.max(s, dense.tEnd), one);
  }

  /** pathError of value v at θ, from |δ_E| and K at the two step ends around it (the larger of each). */
  private errorAt(theta: number, v: number): number {
    const right = theta <= Math.PI / 2;
    const s = Math.tan((right ? theta : Math.PI - theta) / 2);
    const t = this.stepS[right ? 1 : 0];
    const d = this.stepDelta[right ? 1 : 0];
    const K = this.stepK[right ? 1 : 0];
    let lo = 0;
    let hi = t.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (t[mid]! >= s) lo = mid;
      else hi = mid - 1;
    }
    const next = Math.min(lo + 1, d.length - 1);
    return pathError(v, Math.max(d[lo]!, d[next]!), this.rtol, Math.max(K[lo]!, K[next]!));
  }

  sample(thetas: Float64Array, one: number): void {
    if (this.values.length !== thetas.length) {
      this.values = new Float64Array(thetas.length);
      this.errors = new Float64Array(thetas.length);
    }
    for (let m = 0; m < thetas.length; m++) {
      const v = this.value(thetas[m]!, one);
      const f = this.norm * this.thetaScale(thetas[m]!);
      this.values[m] = v / f;
      this.errors[m] = this.errorAt(thetas[m]!, v) / f;
    }
  }
}

/**
 * E on a box in the grid coordinates (x_a, x_b, θ) (x = √a or a): normalized values
 * V[(k·KB + l)·KT + m] = E/(normA·normB) at the tensor Lobatto nodes; E ≈ normA·normB·P(x_a, x_b, θ), P their
 * tensor interpolant.
 */
export class ScatteredGrid {
  private constructor(
    readonly tA: Float64Array,
    readonly tB: Float64Array,
    readonly theta: Float64Array,
    /** The local scale normA·normB as functions of the grid coordinates (exact, not interpolated: √a in the
     * coordinate a would converge slowly). */
    private readonly scaleA: (x: number) => number,
    private readonly scaleB: (x: number) => number,
    private readonly V: Float64Array,
    /**
     * Error estimate per θ node, relative to the local scale normA·normB (empty for the grids of the build that are only
     * checked): the check differences there plus NODE_ERROR_FACTOR times the largest error estimate of a node path
     * there (`pathError`: rounding and ODE tolerance amplified by the path's conditioning, which grows where E is
     * recessive or the variances are small).
     */
    private readonly errors: Float64Array,
  ) {}

  /**
   * Error estimate at θ relative to the local scale: the largest of the four θ nodes around it.
   *
   * E.g. `grid.errorAt(1) * normA(a) * normB(b)` gives absolute error bound used to accept an item (dualActivation.ts).
   */
  errorAt(theta: number): number {
    const t = this.theta;
    let lo = 0;
    let hi = t.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (t[mid]! <= theta) lo = mid;
      else hi = mid - 1;
    }
    let e = 0;
    for (let m = Math.max(0, lo - 1); m <= Math.min(t.length - 1, lo + 2); m++) e = Math.max(e, this.errors[m]!);
    return e;
  }

  /**
   * Builds the grid over x_a ∈ boxA, x_b ∈ boxB (grid coordinates: √a by default, see `varianceA`), θ ∈ thetaBox,
   * doubling node counts until the grid agrees with the next level's check nodes to SCATTERED_GRID_TOL (tol scales
   * up with a looser rtol); undefined (reason in stats.declined) when that needs more than maxPaths node paths or
   * does not converge (the caller then integrates per (a, b)).
   *
   * For instance (illustration, not run):
   *   const resin = readArtifact(readFileSync('packages/hgm-runtime/artifacts/resin.artifact.json', 'utf8'));
   *   const system = resin.systems[0]!;
   *   const ctx = { system, integrand: 'sigma' as const, fns: ACTIVATIONS.resin, indexOfOne: prepareSystem(system).indexOfOne, symmetric: true, options: { rtol: 1e-14, atolFactor: 1e-2 } };
   *   const stats = { nodesA: 0, nodesB: 0, nodesTheta: 0, paths: 0, error: NaN, interpolated: 0, direct: 0 };
   *   const grid = ScatteredGrid.build(ctx, [0.7, 1.4], [0.7, 1.4], [0.5, 2.5], 500, stats)!; // coordinates √a, √b, θ
   *   grid.value(1.1, 1.3, 1); // = dualActivation(resin, ACTIVATIONS.resin, 1.21, 1.43 * Math.cos(1), 1.69) to ~1e-13
   */
  static build(
    ctx: ScatteredContext,
    boxA: readonly [number, number],
    boxB: readonly [number, number],
    thetaBox: readonly [number, number],
    maxPaths: number,
    stats: ScatteredStats,
  ): ScatteredGrid | undefined {
    const one = ctx.indexOfOne;
    const symmetric = ctx.symmetric && boxA[0] === boxB[0] && boxA[1] === boxB[1];
    const square = (x: number): number => x * x;
    const varA = ctx.varianceA ?? square;
    const varB = ctx.varianceB ?? square;
    const normA = ctx.normA;
    const normB = ctx.normB;
    const scaleA = normA ? (x: number): number => normA(varA(x)) : (): number => 1;
    const scaleB = normB ? (x: number): number => normB(varB(x)) : (): number => 1;
    const f = scatteredToleranceScale(ctx.options.rtol);
    const tol = SCATTERED_GRID_TOL * f;
    // Path ends per side: θ ≤ π/2 is side +1 with s = tan(θ/2), θ > π/2 side −1 with s = tan((π − θ)/2).
    const sPlus = thetaBox[0] <= Math.PI / 2 ? Math.tan(thetaBox[0] / 2) : 1;
    const sMinus = thetaBox[1] > Math.PI / 2 ? Math.tan((Math.PI - thetaBox[1]) / 2) : 1;
    // Node j of n intervals has index j·(FINE/n) at the finest level: nested grids share paths; the check nodes
    // of the last level are at 2·MAX_AB_INTERVALS.
    const FINE = 2 * MAX_AB_INTERVALS;
    const paths = new Map<number, GridNode>();
    const fineA = lobatto(boxA[0], boxA[1], boxA[0] === boxA[1] ? 0 : FINE);
    const fineB = lobatto(boxB[0], boxB[1], boxB[0] === boxB[1] ? 0 : FINE);
    let nA = boxA[0] === boxA[1] ? 0 : FIRST_AB_INTERVALS;
    let nB = boxB[0] === boxB[1] ? 0 : FIRST_AB_INTERVALS;
    let nT = thetaBox[0] === thetaBox[1] ? 0 : FIRST_THETA_INTERVALS;
    let thetas = lobatto(thetaBox[0], thetaBox[1], nT);
    const keyOf = (gi: number, gj: number): number => (symmetric && gi > gj ? gj * (FINE + 1) + gi : gi * (FINE + 1) + gj);
    const pathAt = (gi: number, gj: number): GridNode => {
      const key = keyOf(gi, gj);
      let p = paths.get(key);
      if (!p) {
        const i = symmetric && gi > gj ? gj : gi;
        const j = symmetric && gi > gj ? gi : gj;
        const ta = fineA[i]!;
        const tb = fineB[j]!;
        const a = varA(ta);
        const b = varB(tb);
        const norm = (ctx.normA?.(a) ?? 1) * (ctx.normB?.(b) ?? 1);
        const n = norm > 0 && norm < Infinity ? norm : 1;
        const ts = ctx.thetaScale ?? ((): number => 1);
        p = ctx.nodeValue ? new ValueNode(ctx.nodeValue, a, b, n, ts) : new NodePath(ctx, a, b, sPlus, sMinus, n, ts);
        paths.set(key, p);
        p.sample(thetas, one);
      }
      return p;
    };
    const fine = (j: number, n: number): number => (n ? (j * FINE) / n : 0);
    /**
     * Check nodes of level n: nodes of level 2n that level n lacks, one per odd index on each axis, paired with a
     * scattered odd index (cell centres, where the error of a tensor interpolant peaks) and with an edge of the
     * other axis. 2·max(nA, nB) paths instead of the ~3n² of the whole finer level; a level that fails reuses them.
     */
    const checkNodes = (na: number, nb: number): number[] => {
      const pts: number[] = [];
      const P = Math.max(na, nb);
      for (let p = 0; p < P; p++) {
        const i = na ? 2 * (p % na) + 1 : 0;
        pts.push(fine(i, 2 * na), fine(nb ? 2 * ((7 * p + 3) % nb) + 1 : 0, 2 * nb));
        pts.push(fine(i, 2 * na), fine(nb ? (p % 2 ? 2 * nb : 0) : 0, 2 * nb));
        if (!symmetric) {
          const j = nb ? 2 * (p % nb) + 1 : 0;
          pts.push(fine(na ? (p % 2 ? 2 * na : 0) : 0, 2 * na), fine(j, 2 * nb));
        }
      }
      return pts;
    };
    const countNew = (na: number, nb: number, checks: number[]): number => {
      const seen = new Set<number>();
      for (let i = 0; i <= na; i++) for (let j = 0; j <= nb; j++) seen.add(keyOf(fine(i, na), fine(j, nb)));
      for (let p = 0; p < checks.length; p += 2) seen.add(keyOf(checks[p]!, checks[p + 1]!));
      let k = 0;
      for (const key of seen) if (!paths.has(key)) k++;
      return k;
    };
    /** Values of the (na, nb) grid at the current θ nodes, layout [k][l][m]. */
    const gather = (na: number, nb: number): Float64Array => {
      const KT = thetas.length;
      const V = new Float64Array((na + 1) * (nb + 1) * KT);
      for (let i = 0; i <= na; i++) {
        for (let j = 0; j <= nb; j++) V.set(pathAt(fine(i, na), fine(j, nb)).values, (i * (nb + 1) + j) * KT);
      }
      return V;
    };
    const maxAbs = (): number => {
      let m = 0;
      for (const p of paths.values()) for (const v of p.values) m = Math.max(m, Math.abs(v));
      return m;
    };
    /** Per θ node: max over paths of |θ-interpolant of half the nodes − value| at the odd node next to it. */
    let thErr = new Float64Array(thetas.length);
    const thetaDiff = (): number => {
      thErr = new Float64Array(thetas.length);
      if (nT === 0) return 0;
      const coarse = lobatto(thetaBox[0], thetaBox[1], nT / 2);
      const w = new Float64Array(coarse.length);
      let d = 0;
      for (let m = 1; m <= nT; m += 2) {
        baryWeights(coarse, thetas[m]!, w);
        let dm = 0;
        for (const p of paths.values()) {
          let v = 0;
          for (let c = 0; c < coarse.length; c++) v += w[c]! * p.values[2 * c]!;
          dm = Math.max(dm, Math.abs(v - p.values[m]!));
        }
        for (let k = m - 1; k <= m + 1; k++) thErr[k] = Math.max(thErr[k]!, dm);
        d = Math.max(d, dm);
      }
      return d;
    };
    const decline = (why: string): undefined => {
      stats.declined = why;
      stats.paths = paths.size;
      return undefined;
    };
    let previousDiff = Infinity;
    for (;;) {
      const checks = nA === 0 && nB === 0 ? [] : checkNodes(nA, nB);
      const needed = paths.size + countNew(nA, nB, checks);
      if (needed > maxPaths) return decline(`${needed} node paths for ${nA + 1}×${nB + 1} nodes and checks exceed the ${maxPaths} allowed`);
      gather(nA, nB);
      for (let p = 0; p < checks.length; p += 2) pathAt(checks[p]!, checks[p + 1]!);
      // θ first: every path is already integrated, refining θ is only sampling.
      let scale = maxAbs();
      let thDiff = thetaDiff();
      while (thDiff > tol * scale && nT > 0 && nT < MAX_THETA_INTERVALS) {
        nT *= 2;
        thetas = lobatto(thetaBox[0], thetaBox[1], nT);
        for (const p of paths.values()) p.sample(thetas, one);
        scale = maxAbs();
        thDiff = thetaDiff();
      }
      if (thDiff > tol * scale) return decline(`θ interpolant not converged in ${MAX_THETA_INTERVALS} intervals`);
      const grid = new ScatteredGrid(lobatto(boxA[0], boxA[1], nA), lobatto(boxB[0], boxB[1], nB), thetas, scaleA, scaleB, gather(nA, nB), new Float64Array(0));
      let abDiff = 0;
      const abErr = new Float64Array(thetas.length);
      if (checks.length > 0) {
        const KT = thetas.length;
        const count = (checks.length / 2) * KT;
        const qa = new Float64Array(count);
        const qb = new Float64Array(count);
        const qt = new Float64Array(count);
        const order = new Uint32Array(count);
        const got = new Float64Array(count);
        for (let p = 0, n = 0; p < checks.length; p += 2) {
          for (let m = 0; m < KT; m++, n++) {
            qa[n] = fineA[checks[p]!]!;
            qb[n] = fineB[checks[p + 1]!]!;
            qt[n] = thetas[m]!;
            order[n] = n;
          }
        }
        order.sort((x, y) => qa[x]! - qa[y]!);
        grid.evaluateSorted(qa, qb, qt, order, got);
        for (let p = 0, n = 0; p < checks.length; p += 2) {
          // P against the normalized path values: in units of the check node's own scale.
          const path = pathAt(checks[p]!, checks[p + 1]!);
          for (let m = 0; m < KT; m++, n++) abErr[m] = Math.max(abErr[m]!, Math.abs(got[n]! / path.norm - path.values[m]!));
        }
      }
      for (const e of abErr) abDiff = Math.max(abDiff, e);
      if (abDiff <= tol * scale) {
        const KT = thetas.length;
        const errors = new Float64Array(KT);
        // Plus the node paths' own estimates (pathError: their conditioning; Infinity where a path stopped short).
        const nodeErr = new Float64Array(KT);
        for (const p of paths.values()) for (let m = 0; m < KT; m++) nodeErr[m] = Math.max(nodeErr[m]!, p.errors[m]!);
        for (let m = 0; m < KT; m++) errors[m] = abErr[m]! + thErr[m]! + NODE_ERROR_FACTOR * nodeErr[m]!;
        const errorRel = Math.max(...errors);
        stats.nodesA = nA + 1;
        stats.nodesB = nB + 1;
        stats.nodesTheta = thetas.length;
        stats.paths = paths.size;
        stats.error = errorRel;
        return new ScatteredGrid(grid.tA, grid.tB, thetas, scaleA, scaleB, grid.values, errors);
      }
      if (nA * 2 > MAX_AB_INTERVALS || nB * 2 > MAX_AB_INTERVALS) return decline(`(a, b) interpolant not converged in ${MAX_AB_INTERVALS} intervals`);
      // E is entire in (√a, √b): each doubling gains orders of magnitude (measured on resin: 2e-3, 5e-7, 2e-14).
      // A gain below STALL_FACTOR means the node values are noisier than the tolerance (the ODE near |ρ| = 1).
      if (abDiff > previousDiff / STALL_FACTOR) return decline(`(a, b) check stalled at ${(abDiff / scale).toExponential(1)} of max|E| (node noise)`);
      previousDiff = abDiff;
      nA *= 2;
      nB *= 2;
    }
  }

  /** Node values, layout [k][l][m]. */
  get values(): Float64Array {
    return this.V;
  }

  /**
   * E at grid coordinates (ta, tb, θ) by tensor barycentric interpolation (allocates three weight vectors: for
   * checks and single values, not for batches).
   *
   * E.g. `grid.value(1.1, 1.3, 1)` (see `build`).
   */
  value(ta: number, tb: number, theta: number): number {
    const wa = new Float64Array(this.tA.length);
    const wb = new Float64Array(this.tB.length);
    const wt = new Float64Array(this.theta.length);
    baryWeights(this.tA, ta, wa);
    baryWeights(this.tB, tb, wb);
    baryWeights(this.theta, theta, wt);
    const KB = this.tB.length;
    const KT = this.theta.length;
    let v = 0;
    const na = this.scaleA(ta);
    const nb = this.scaleB(tb);
    for (let k = 0; k < wa.length; k++) {
      if (wa[k] === 0) continue;
      for (let l = 0; l < KB; l++) {
        const w = wa[k]! * wb[l]!;
        if (w === 0) continue;
        const base = (k * KB + l) * KT;
        let s = 0;
        for (let m = 0; m < KT; m++) s += wt[m]! * this.V[base + m]!;
        v += w * s;
      }
    }
    return na * nb * v;
  }

  /**
   * Interpolated E for items ta[i], tb[i], theta[i] (i in `order`, which must list items with equal ta
   * consecutively), written to out[i], and the local scale normA·normB to scaleOut[i] if given (errors are relative to
   * it). Per distinct ta the a-sum is done once (K_a·K_b·K_θ), so an item costs K_b·K_θ multiply-adds; no
   * allocation per item.
   *
   * For instance (illustration, not run):
   *   const out = new Float64Array(2);
   *   grid.evaluateSorted(Float64Array.of(1, 1), Float64Array.of(1.3, 0.9), Float64Array.of(1, 2), Uint32Array.of(0, 1), out);
   *   // out = [E at (a, b, ρ) = (1, 1.69, cos 1), E at (1, 0.81, cos 2)]
   */
  evaluateSorted(ta: Float64Array, tb: Float64Array, theta: Float64Array, order: Uint32Array, out: Float64Array, scaleOut?: Float64Array): void {
    const KA = this.tA.length;
    const KB = this.tB.length;
    const KT = this.theta.length;
    const wa = new Float64Array(KA);
    const wb = new Float64Array(KB);
    const wt = new Float64Array(KT);
    const P = new Float64Array(KB * KT);
    const V = this.V;
    let current = NaN;
    let na = 1;
    for (let n = 0; n < order.length; n++) {
      const i = order[n]!;
      if (ta[i] !== current) {
        current = ta[i]!;
        baryWeights(this.tA, current, wa);
        P.fill(0);
        na = this.scaleA(current);
        for (let k = 0; k < KA; k++) {
          const w = wa[k]!;
          if (w === 0) continue;
          const base = k * KB * KT;
          for (let j = 0; j < KB * KT; j++) P[j] = P[j]! + w * V[base + j]!;
        }
      }
      baryWeights(this.tB, tb[i]!, wb);
      baryWeights(this.theta, theta[i]!, wt);
      let v = 0;
      const nb = this.scaleB(tb[i]!);
      for (let l = 0; l < KB; l++) {
        const w = wb[l]!;
        if (w === 0) continue;
        const base = l * KT;
        let s = 0;
        for (let m = 0; m < KT; m++) s += wt[m]! * P[base + m]!;
        v += w * s;
      }
      out[i] = na * nb * v;
      if (scaleOut) scaleOut[i] = Math.abs(na * nb);
    }
  }
}
