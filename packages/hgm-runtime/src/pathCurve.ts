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
import { nearBoundaryVector, PATH_DELTA_LIMIT, PATH_STEP_LIMIT, pathCancellation, pathPerturbation, solvePath, type PathOptions } from './dualPath.ts';
import type { IntegrandFunctions } from './hgm.ts';
import type { DenseSolution } from './ode.ts';
import type { SigmaSpec } from '@holonomic-ntk/core';

/** Points this many ulps (of s) below the end of a curve are read at its end. */
const ULPS_AT_END = 64;

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
  /**
   * s at the end of every accepted step, decreasing, the running max of |E| down to it, and |δ_E| there (the
   * perturbation carried along, `pathPerturbation`: the error estimate, `pathError`).
   */
  private readonly stepS: number[] = [];
  private readonly runMax: number[] = [];
  private readonly stepDelta: number[] = [];
  /** The cancellation K of the right-hand side there (`pathCancellation`; 0 where `pathError` does not use it). */
  private readonly stepK: number[] = [];
  private readonly cancel: (s: number, G: ArrayLike<number>) => number;
  private G: Float64Array;
  private readonly delta: Float64Array;
  private sEnd: number;
  /** The path was abandoned at sEnd (its perturbation grew beyond PATH_DELTA_LIMIT): no values below. */
  private stopped = false;

  constructor(
    private readonly system: PfaffianSystem,
    G0: Float64Array,
    private readonly one: number,
    private readonly a: number,
    private readonly b: number,
    private readonly q: 1 | -1,
    private readonly options: PathOptions,
    private readonly sStart = 1,
    startScale?: Float64Array,
  ) {
    this.G = G0;
    this.sEnd = sStart;
    this.delta = pathPerturbation(system, G0, a, b, undefined, startScale);
    this.stepS.push(sStart);
    this.runMax.push(Math.abs(G0[one]!));
    this.stepDelta.push(Math.abs(this.delta[one]!));
    this.stepK.push(0);
    this.cancel = pathCancellation(system, a, b, q);
  }

  /** Integrates from the current end down to s (s < end); dense output appended. */
  private extend(s: number): void {
    let max = this.runMax[this.runMax.length - 1]!;
    const r = this.G.length;
    const sol = solvePath(this.system, this.G, this.a, this.b, this.q, s, {
      ...this.options,
      dense: true,
      solver: 'dop853',
      sStart: this.sEnd,
      delta: this.delta,
      deltaLimit: PATH_DELTA_LIMIT,
      stepLimit: PATH_STEP_LIMIT,
      onStep: (t, y) => {
        max = Math.max(max, Math.abs(y[this.one]!));
        this.stepS.push(t);
        this.runMax.push(max);
        this.stepDelta.push(Math.abs(y[r + this.one]!));
        this.stepK.push(this.cancel(t, y));
      },
    });
    if (sol.dense) this.segments.push(sol.dense);
    this.G = sol.G;
    this.delta.set(sol.delta!);
    this.sEnd = sol.sReached;
    this.stopped = sol.sReached > s;
  }

  /**
   * E at path point s ∈ (0, 1] (with offset = 1 − s computed accurately, `pathOffset`), max |E| over the path from
   * s = 1 down to s (for κ, see dualActivation.ts) and |δ_E| there (the larger of the two step ends around s).
   * Writes [E, maxAbsE, |δ_E|, K] into out (K: `pathCancellation`, the larger of the two step ends); [NaN, NaN,
   * Infinity, 0] where the path was abandoned (PATH_DELTA_LIMIT).
   */
  evaluate(s: number, out: Float64Array, offset = 1 - s): void {
    // A point a few ulps beyond the end of the curve (ρ = 0.6000000000000001 at a = b = 1 after the curve was
    // extended to s = 0.5 exactly) is the end: no step can be that short (DOP853 step size underflow).
    if (s < this.sEnd && this.sEnd - s <= ULPS_AT_END * Number.EPSILON * this.sEnd) s = this.sEnd;
    // At least down to s = 0.5: above it E is read from the interpolant with the accurate offset, never from the
    // end of an integration to the rounded s (ε/|ρ| relative for an odd σ near ρ = 0).
    if (s < this.sEnd && !this.stopped) this.extend(Math.min(s, 0.5));
    if (s < this.sEnd) {
      out[0] = NaN;
      out[1] = NaN;
      out[2] = Infinity;
      out[3] = 0;
      return;
    }
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
    const next = Math.min(lo + 1, this.stepDelta.length - 1);
    out[2] = Math.max(this.stepDelta[lo]!, this.stepDelta[next]!);
    out[3] = Math.max(this.stepK[lo]!, this.stepK[next]!);
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
  startScale?: () => Float64Array,
): PathCurve {
  let cache = curves.get(system);
  if (!cache) curves.set(system, (cache = new Map()));
  const key = `${integrand}:${specId(phi)}:${specId(psi)}:${a}:${b}:${q}:${options.rtol}:${sStart}`;
  let curve = cache.get(key);
  if (!curve) {
    if (cache.size >= CURVES_PER_SYSTEM) cache.delete(cache.keys().next().value!);
    cache.set(key, (curve = new PathCurve(system, G0(), indexOfOne, a, b, q, options, sStart, startScale?.())));
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
  /** s at every accepted step (increasing from s0) and |δ_E| there: δ0 = ±(|G0_l| + quadrature error_l/ε). */
  private readonly stepS: number[] = [];
  private readonly stepDelta: number[] = [];
  /** Where the outward integration ended (sTop, or lower if its perturbation grew beyond PATH_DELTA_LIMIT). */
  readonly sReached: number;

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
    const errors = new Float64Array(system.rank);
    this.G0 = nearBoundaryVector(system, integrand, functions, a, b, (q * (1 - s0 * s0)) / p, (2 * s0) / p, errors);
    // The start's own error (2-D quadratures) in the perturbation's units of ε (see pathError).
    const delta = pathPerturbation(system, this.G0, a, b);
    for (let l = 0; l < delta.length; l++) delta[l] = Math.sign(delta[l]! || 1) * (Math.abs(delta[l]!) + errors[l]! / Number.EPSILON);
    const r = system.rank;
    this.stepS.push(s0);
    this.stepDelta.push(Math.abs(delta[one]!));
    const sol = solvePath(system, this.G0, a, b, q, sTop, {
      ...options,
      dense: true,
      solver: 'dop853',
      sStart: s0,
      delta,
      deltaLimit: PATH_DELTA_LIMIT,
      stepLimit: PATH_STEP_LIMIT,
      onStep: (t, y) => {
        this.stepS.push(t);
        this.stepDelta.push(Math.abs(y[r + one]!));
      },
    });
    this.dense = sol.dense;
    this.sReached = sol.sReached;
  }

  /** E at s ∈ [s0, sReached]. */
  value(s: number): number {
    return this.dense ? this.dense.evaluateComponent(s, this.one) : this.G0[this.one]!;
  }

  /** |δ_E| at s (the larger of the two step ends around it), for `pathError`; Infinity above sReached. */
  deltaAt(s: number): number {
    if (s > this.sReached) return Infinity;
    const t = this.stepS;
    let lo = 0;
    let hi = t.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (t[mid]! <= s) lo = mid;
      else hi = mid - 1;
    }
    return Math.max(this.stepDelta[lo]!, this.stepDelta[Math.min(lo + 1, t.length - 1)]!);
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
