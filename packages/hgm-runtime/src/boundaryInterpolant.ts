/**
 * A precomputed expansion of E near |ρ| = 1 for the systems whose path ODE cannot be integrated there (the rank-8
 * resin and gelu systems have an irregular singular point at s = 0; both directions are unstable, ACCURACY.md §4):
 * the Chebyshev interpolant of E(s) on [0, S] through 2-D quadrature values (the node s = 0 is the 1-D boundary
 * integral). E is analytic in s = tan(θ/2) at s = 0 (smooth σ: E is analytic in c across |ρ| = 1; σ = Y·f: E is a
 * wedge integral whose angle is linear in θ), so the interpolant converges geometrically. One interpolant per
 * (a, b, side) serves every later point with |ρ| > 0.995: a repeated single point costs ~0.3 µs instead of a 2-D
 * quadrature (1–800 ms).
 *
 * Only for sides where E does not vanish at the boundary: the error is ~1e-14·max|E| absolutely, which is not
 * relative accuracy where E → 0 (resin at ρ = −1 keeps the quadrature per point).
 */
import { boundaryExpectation, gaussianExpectation2d, type QuadratureEstimate } from './boundaryQuadrature.ts';
import type { SigmaSpec } from '@holonomic-ntk/core';

/** Node counts tried (Chebyshev–Lobatto points are nested: each doubling reuses every earlier value). */
const NODE_COUNTS = [8, 16, 32, 64] as const;
/** Bound of the Lebesgue constant of Chebyshev–Lobatto interpolation with ≤ 64 intervals (2/π·ln n + 1 ≈ 3.7): node noise × it. */
const LEBESGUE = 4;
/** Converged when the interpolants of n and 2n intervals agree to this fraction of max|E| at the new nodes. */
const AGREEMENT = 1e-14;

/**
 * E on [0, sMax] of side q as a Chebyshev–Lobatto interpolant, or undefined if 64 intervals do not converge.
 *
 * For instance (illustration, not run):
 *   const p = ChebyshevBoundary.build(ACTIVATIONS.gelu.sigma, ACTIVATIONS.gelu.sigma, 1, 1, 1, 0.05);
 *   p?.value(0.01); // E[gelu(u)gelu(v)] at ρ = (1 − 1e-4)/(1 + 1e-4)
 */
export class ChebyshevBoundary {
  private constructor(
    private readonly nodes: Float64Array,
    private readonly values: Float64Array,
    /**
     * Error estimate (absolute, on all of [0, sMax]): the last agreement check (the coarser interpolant against the
     * new nodes, which bounds the finer one's error with a wide margin: it converges geometrically) plus the largest
     * error estimate of the node quadratures times the Lebesgue constant.
     */
    readonly error: number,
  ) {}

  static build(
    phi: SigmaSpec,
    psi: SigmaSpec,
    a: number,
    b: number,
    q: 1 | -1,
    sMax: number,
    evaluate?: (rho: number, tau: number, estimate: QuadratureEstimate) => number,
  ): ChebyshevBoundary | undefined {
    const estimate: QuadratureEstimate = { abs: 0, error: 0 };
    let nodeError = 0;
    const E = (s: number): number => {
      let v: number;
      if (s === 0) v = boundaryExpectation(phi, psi, a, b, q, 1e-16, estimate);
      else {
        const p = 1 + s * s;
        const rho = (q * (1 - s * s)) / p;
        const tau = (2 * s) / p;
        v = evaluate ? evaluate(rho, tau, estimate) : gaussianExpectation2d(phi, psi, a, b, rho, tau, { estimate });
      }
      nodeError = Math.max(nodeError, estimate.error);
      return v;
    };
    // Lobatto node j of n intervals: s = sMax(1 − cos(πj/n))/2, s = 0 first.
    const node = (j: number, n: number): number => (sMax * (1 - Math.cos((Math.PI * j) / n))) / 2;
    let n: number = NODE_COUNTS[0];
    let values = Float64Array.from({ length: n + 1 }, (_, j) => E(node(j, n)));
    for (const next of NODE_COUNTS.slice(1)) {
      const coarse = new ChebyshevBoundary(
        Float64Array.from({ length: n + 1 }, (_, j) => node(j, n)),
        values,
        0,
      );
      const fine = new Float64Array(next + 1);
      let max = 0;
      let diff = 0;
      for (let j = 0; j <= next; j++) {
        fine[j] = j % 2 === 0 ? values[j / 2]! : E(node(j, next));
        max = Math.max(max, Math.abs(fine[j]!));
      }
      for (let j = 1; j <= next; j += 2) diff = Math.max(diff, Math.abs(fine[j]! - coarse.value(node(j, next))));
      n = next;
      values = fine;
      if (diff <= AGREEMENT * max)
        return new ChebyshevBoundary(
          Float64Array.from({ length: n + 1 }, (_, j) => node(j, n)),
          values,
          diff + LEBESGUE * nodeError,
        );
    }
    return undefined;
  }

  /** E at s ∈ [0, sMax] by the barycentric formula (weights ±1, halved at the ends). No allocation. */
  value(s: number): number {
    const { nodes, values } = this;
    const n = nodes.length - 1;
    let num = 0;
    let den = 0;
    for (let j = 0; j <= n; j++) {
      const d = s - nodes[j]!;
      if (d === 0) return values[j]!;
      const w = (j % 2 === 0 ? 1 : -1) * (j === 0 || j === n ? 0.5 : 1);
      num += (w * values[j]!) / d;
      den += w / d;
    }
    return num / den;
  }

  /** |E(0)|·k ≥ max|E| on the nodes: E does not (nearly) vanish at the boundary, so the absolute accuracy is relative. */
  boundaryNotSmall(k: number): boolean {
    let max = 0;
    for (const v of this.values) max = Math.max(max, Math.abs(v));
    return Math.abs(this.values[0]!) * k >= max;
  }
}

/**
 * Single points near the boundary of one (a, b, side) answered by quadrature before the interpolant is built at the
 * next one. The build costs 17–65 quadratures (measured: 17 for gelu at a = b = 1, 65 for gelu σ̇ at (100, 50)),
 * so after 16 points the build at most ~4× what the points so far cost, and every later point is ~0.3 µs.
 */
export const BUILD_AFTER_POINTS = 16;

interface Entry {
  requests: number;
  /** undefined: not built yet; null: not buildable (no convergence, or E small at the boundary). */
  interpolant: ChebyshevBoundary | null | undefined;
}
const entries = new Map<string, Entry>();
const ENTRIES_KEPT = 1024;
const specIds = new WeakMap<SigmaSpec, number>();
let nextId = 0;
const idOf = (s: SigmaSpec): number => {
  let id = specIds.get(s);
  if (id === undefined) specIds.set(s, (id = nextId++));
  return id;
};

/**
 * The cached interpolant of (φ, ψ, a, b, q) on [0, sMax] once it exists: built at the BUILD_AFTER_POINTS-th request
 * (or at the first with `force`, for curves with many points), never if E is small at the boundary (ratio `kappa`)
 * or 64 intervals do not converge. Undefined means: use the 2-D quadrature for this point. `node` evaluates E and its
 * estimate at a node (default: the 2-D tanh-sinh quadrature; dualActivation.ts passes Gauss–Hermite first).
 *
 * E.g. `boundaryInterpolant(ACTIVATIONS.gelu.sigma, ACTIVATIONS.gelu.sigma, 1, 1, 1, 0.05, 8, true)?.value(0.01)`.
 */
export function boundaryInterpolant(
  phi: SigmaSpec,
  psi: SigmaSpec,
  a: number,
  b: number,
  q: 1 | -1,
  sMax: number,
  kappa: number,
  force = false,
  node?: (rho: number, tau: number, estimate: QuadratureEstimate) => number,
): ChebyshevBoundary | undefined {
  const key = `${idOf(phi)}:${idOf(psi)}:${a}:${b}:${q}:${sMax}`;
  let e = entries.get(key);
  if (!e) {
    if (entries.size >= ENTRIES_KEPT) entries.delete(entries.keys().next().value!);
    entries.set(key, (e = { requests: 0, interpolant: undefined }));
  }
  e.requests++;
  if (e.interpolant === undefined && (force || e.requests >= BUILD_AFTER_POINTS)) {
    const built = ChebyshevBoundary.build(phi, psi, a, b, q, sMax, node);
    e.interpolant = built?.boundaryNotSmall(kappa) ? built : null;
  }
  return e.interpolant ?? undefined;
}
