/**
 * Precomputed expansions for repeated single points: the HGM path of one (system, integrand, φ, ψ, a, b, side q)
 * kept as DOP853 dense output (piecewise degree-7 polynomials in s), extended toward the boundary on demand.
 * A later single point with the same variances is one interpolation (~0.1 µs plus lookup) instead of an ODE
 * solve (0.1–3 ms for the rank-8 systems): this is what makes the single-point latency of `dualActivation` small
 * in the repeated-use case (variances seen before, a new c each call; ACCURACY.md). The dense output has the
 * accuracy of the integration itself (the batch path has always used it: ≤ 3e-13 on the step, ACCURACY.md).
 */
import type { Integrand, PfaffianSystem } from '@holonomic-ntk/core';
import { boundaryExpectation } from './boundaryQuadrature.ts';
import { nearBoundaryVector, solvePath, type PathOptions } from './dualPath.ts';
import type { IntegrandFunctions } from './hgm.ts';
import type { DenseSolution } from './ode.ts';
import type { SigmaSpec } from '@holonomic-ntk/core';

/** Curves kept per system; at most ~30 kB each (rank 8, ~60 steps), so ≲ 8 MB per system. */
const CURVES_PER_SYSTEM = 256;

/** One side of the path of (a, b), covering s ∈ [sEnd, sStart] (sStart = 1, i.e. ρ = 0, unless the system needs a
 * start off ρ = 0: src/offsetStart.ts).
 *
 * For instance (illustration, not run):
 *   const curve = new PathCurve(system, pathInitialValue(system, 'sigma', fns, 1, 1), 0, 1, 1, 1, {});
 *   const out = new Float64Array(2);
 *   curve.evaluate(0.5, out); // out[0] = E at ρ = cos(2 atan 0.5) = 0.6
 */
export class PathCurve {
  private readonly segments: DenseSolution[] = [];
  /** s at the end of every accepted step, decreasing, and the running max of |E| down to it. */
  private readonly stepS: number[] = [];
  private readonly runMax: number[] = [];
  private G: Float64Array;
  private sEnd: number;

  constructor(
    private readonly system: PfaffianSystem,
    G0: Float64Array,
    private readonly one: number,
    private readonly a: number,
    private readonly b: number,
    private readonly q: 1 | -1,
    private readonly options: PathOptions,
    private readonly sStart = 1,
  ) {
    this.G = G0;
    this.sEnd = sStart;
    this.stepS.push(sStart);
    this.runMax.push(Math.abs(G0[one]!));
  }

  /** Integrates from the current end down to s (s < end); dense output appended. */
  private extend(s: number): void {
    let max = this.runMax[this.runMax.length - 1]!;
    const sol = solvePath(this.system, this.G, this.a, this.b, this.q, s, {
      ...this.options,
      dense: true,
      solver: 'dop853',
      sStart: this.sEnd,
      onStep: (t, y) => {
        max = Math.max(max, Math.abs(y[this.one]!));
        this.stepS.push(t);
        this.runMax.push(max);
      },
    });
    if (sol.dense) this.segments.push(sol.dense);
    this.G = sol.G;
    this.sEnd = s;
  }

  /**
   * E at path point s ∈ (0, 1] (with offset = 1 − s computed accurately, `pathOffset`) and max |E| over the
   * path from s = 1 down to s (for κ, see dualActivation.ts). Writes [E, maxAbsE] into out.
   */
  evaluate(s: number, out: Float64Array, offset = 1 - s): void {
    // At least down to s = 0.5: above it E is read from the interpolant with the accurate offset, never from the
    // end of an integration to the rounded s (ε/|ρ| relative for an odd σ near ρ = 0).
    if (s < this.sEnd) this.extend(Math.min(s, 0.5));
    let E = this.G[this.one]!;
    if (s !== this.sEnd) {
      // Segments are ordered from s = 1 downward; each covers [its end, its start]. The first one starts at
      // exactly 1, so above s = 0.5 the offset 1 − s (accurate near ρ = 0: pathOffset) locates s within it
      // (ode.ts); below, s itself is the accurate one.
      for (let k = 0; k < this.segments.length; k++) {
        const seg = this.segments[k]!;
        if (k === this.segments.length - 1 || s >= seg.tEnd) {
          E = k === 0 && s > 0.5 && this.sStart === 1 ? seg.evaluateComponentOffset(1, -offset, this.one) : seg.evaluateComponent(s, this.one);
          break;
        }
      }
    }
    // Running max at the last accepted step at or above s (binary search in the decreasing stepS).
    let lo = 0;
    let hi = this.stepS.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.stepS[mid]! >= s) lo = mid;
      else hi = mid - 1;
    }
    out[0] = E;
    out[1] = Math.max(this.runMax[lo]!, Math.abs(E));
  }
}

const curves = new WeakMap<PfaffianSystem, Map<string, PathCurve>>();
const specIds = new WeakMap<SigmaSpec, number>();
let nextSpecId = 0;
const specId = (s: SigmaSpec): number => {
  let id = specIds.get(s);
  if (id === undefined) specIds.set(s, (id = nextSpecId++));
  return id;
};

/**
 * The cached curve of (system, integrand, φ, ψ, a, b, q, its tolerance and start), created with `G0()` on first use.
 *
 * For instance (illustration, not run):
 *   const curve = pathCurve(system, 'sigma', phi, psi, 1, 1, -1, () => pathInitialValue(...), 0, {});
 *   const out = new Float64Array(2);
 *   curve.evaluate(0.3, out); // out[0] = E at s = 0.3
 */
export function pathCurve(
  system: PfaffianSystem,
  integrand: Integrand,
  phi: SigmaSpec,
  psi: SigmaSpec,
  a: number,
  b: number,
  q: 1 | -1,
  G0: () => Float64Array,
  indexOfOne: number,
  options: PathOptions,
  sStart = 1,
): PathCurve {
  let cache = curves.get(system);
  if (!cache) curves.set(system, (cache = new Map()));
  const key = `${integrand}:${specId(phi)}:${specId(psi)}:${a}:${b}:${q}:${options.rtol}:${sStart}`;
  let curve = cache.get(key);
  if (!curve) {
    if (cache.size >= CURVES_PER_SYSTEM) cache.delete(cache.keys().next().value!);
    cache.set(key, (curve = new PathCurve(system, G0(), indexOfOne, a, b, q, options, sStart)));
  }
  return curve;
}

/**
 * Where a boundary curve starts (or lower, if asked for a smaller s): 1 − |ρ| ≈ 2s² = 2e-14. The 2-D quadrature
 * of the start vector is accurate to ~1e-15 there (ACCURACY.md), and one start serves every later point above it.
 */
export const BOUNDARY_START_S = 1e-7;

/**
 * The path of (a, b) on side q integrated OUTWARD, from a start s0 near the boundary (G(s0) by 2-D quadrature of
 * every component, `nearBoundaryVector`) up to sTop, with dense output: the well-conditioned direction where the
 * forward path loses accuracy (E recessive, κ > 8; or the strong boundary singularity of the rank-8 systems).
 * One start costs r 2-D quadratures (ms to s); every point in [s0, sTop] is then an interpolation.
 *
 * E.g. `new BoundaryCurve(stepSystem, 'sigma', ACTIVATIONS.step, 0, 1, 1, -1, 1e-7, 1, {}).value(1e-3)` gives ≈ 2·atan(1e-3)/(2π).
 */
export class BoundaryCurve {
  private readonly dense: DenseSolution | undefined;
  private readonly G0: Float64Array;

  constructor(
    system: PfaffianSystem,
    integrand: Integrand,
    functions: IntegrandFunctions,
    private readonly one: number,
    a: number,
    b: number,
    q: 1 | -1,
    readonly s0: number,
    readonly sTop: number,
    options: PathOptions,
  ) {
    const p = 1 + s0 * s0;
    this.G0 = nearBoundaryVector(system, integrand, functions, a, b, (q * (1 - s0 * s0)) / p, (2 * s0) / p);
    this.dense = solvePath(system, this.G0, a, b, q, sTop, { ...options, dense: true, solver: 'dop853', sStart: s0 }).dense;
  }

  /** E at s ∈ [s0, sTop]. */
  value(s: number): number {
    return this.dense ? this.dense.evaluateComponent(s, this.one) : this.G0[this.one]!;
  }
}

const boundaryCurves = new WeakMap<PfaffianSystem, Map<string, BoundaryCurve>>();

/**
 * The cached outward curve of (system, integrand, φ, ψ, a, b, q) that covers s (rebuilt from
 * min(s, BOUNDARY_START_S) when s is below the cached start, or above its top).
 *
 * E.g. `boundaryCurve(system, 'sigma', fns, phi, psi, 1, 1, -1, 1e-3, 1, 0, {}).value(1e-3)`.
 */
export function boundaryCurve(
  system: PfaffianSystem,
  integrand: Integrand,
  functions: IntegrandFunctions,
  phi: SigmaSpec,
  psi: SigmaSpec,
  a: number,
  b: number,
  q: 1 | -1,
  s: number,
  sTop: number,
  indexOfOne: number,
  options: PathOptions,
): BoundaryCurve {
  let cache = boundaryCurves.get(system);
  if (!cache) boundaryCurves.set(system, (cache = new Map()));
  const key = `${integrand}:${specId(phi)}:${specId(psi)}:${a}:${b}:${q}`;
  let curve = cache.get(key);
  if (!curve || s < curve.s0 || s > curve.sTop) {
    if (cache.size >= CURVES_PER_SYSTEM) cache.delete(cache.keys().next().value!);
    const top = Math.max(sTop, curve?.sTop ?? 0, s);
    cache.set(key, (curve = new BoundaryCurve(system, integrand, functions, indexOfOne, a, b, q, Math.min(s, BOUNDARY_START_S), top, options)));
  }
  return curve;
}

const boundaryValues = new Map<string, number>();
const BOUNDARY_VALUES_KEPT = 4096;

/**
 * E at the boundary ρ = q (a 1-D quadrature, `boundaryExpectation`), cached. The κ switch of dualActivation.ts
 * applies only where this is small (E recessive at the boundary, e.g. the step or ReLU at ρ = −1); a large κ
 * with a boundary value of normal size is a zero crossing of E inside (odd σ, gelu at ρ < 0), where every method
 * (the 2-D quadrature too, whose tolerance is relative to ∫|φψ|) is accurate only absolutely.
 *
 * E.g. `boundaryValue(ACTIVATIONS.step.sigma, ACTIVATIONS.step.sigma, 1, 1, -1)` gives 0.
 */
export function boundaryValue(phi: SigmaSpec, psi: SigmaSpec, a: number, b: number, q: 1 | -1): number {
  const key = `${specId(phi)}:${specId(psi)}:${a}:${b}:${q}`;
  let v = boundaryValues.get(key);
  if (v === undefined) {
    if (boundaryValues.size >= BOUNDARY_VALUES_KEPT) boundaryValues.delete(boundaryValues.keys().next().value!);
    boundaryValues.set(key, (v = boundaryExpectation(phi, psi, a, b, q)));
  }
  return v;
}
