/**
 * The HGM path for dual activations at fixed variances (a, b): all Λ = [[a, c], [c, b]] with c of one sign lie
 * on ONE curve x(c) = −½Λ⁻¹ in x-space, and the Pfaffian system restricted to that curve is an ODE in one
 * variable. Integrating it once with dense output gives E for every c of that sign (the batch API), and a single
 * c is the same integration without dense output.
 *
 * Parametrization (see ACCURACY.md for why): ρ = q·cos θ with q = ±1 the side, and s = tan(θ/2) ∈ (0, 1],
 * so s = 1 is ρ = 0 (x12 = 0, initial values from 1-D moments) and s → 0 is ρ → q. Then
 *
 *   sin θ = 2s/(1+s²),  x11 = −(1+s²)²/(8a s²),  x22 = −(1+s²)²/(8b s²),  x12 = q(1−s⁴)/(8√(ab) s²),
 *
 * rational in s. The unknown is the E-scaled vector G = √(det x)/π · F⃗ (G_l = 2^j E[u^{2i+j} v^{2k+j} φ(u)ψ(v)]
 * for a monomial basis element), which stays bounded up to |ρ| = 1 while F⃗ itself blows up like 1/√(det Λ):
 *
 *   dG/ds = (Σ_v P_v(x(s)) · dx_v/ds − (d/ds) ln sin θ · I) G,   (d/ds) ln sin θ = (1 − s²)/(s(1 + s²)).
 *
 * The matrix is evaluated in the covariance chart (src/covarianceChart.ts: the sum formed exactly and rewritten
 * in a, b, c, Δ = ab − c², then float64), which is accurate to a few ulps up to |ρ| = 1 for every built-in
 * system (ACCURACY.md §1 has why the earlier evaluation, x(s) substituted into the expanded entries, was retired).
 */
import { type Integrand, type PfaffianSystem, parseDMonomial, DomainError } from '@holonomic-ntk/core';
import { gaussianExpectation2d, type QuadratureEstimate } from './boundaryQuadrature.ts';
import type { SigmaSpec } from '@holonomic-ntk/core';
import { factorFunction, prepareSystem, type IntegrandFunctions } from './hgm.ts';
import { walkedInitialVector } from './varianceWalk.ts';
import { bindChart, covarianceChart, type BoundChart } from './covarianceChart.ts';
import { type DenseSolution, Dop853, type OdeResult, type OdeRhs, type OdeStats } from './ode.ts';
import { solveOdex } from './odex.ts';

/**
 * 1 − s for the path point of (ρ, τ), accurate relative to itself: 1 − τ/(1 + |ρ|) = (|ρ| + ρ²/(1 + τ))/(1 + |ρ|)
 * (1 − τ = ρ²/(1 + τ)). Near ρ = 0 the rounded s has an absolute error ~ε, i.e. ε/|ρ| relative to 1 − s.
 *
 * E.g. `pathOffset(1e-9, Math.sqrt(1 - 1e-18))` gives ≈ 1e-9.
 */
export function pathOffset(rho: number, tau: number): number {
  const r = Math.abs(rho);
  return (r + (rho * rho) / (1 + tau)) / (1 + r);
}

/**
 * Solver settings of the HGM path (the base of `DualActivationOptions`). Setting any of them bypasses the caches of
 * `dualActivation` (each call integrates afresh), which is what measurements want.
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * import { builtinArtifact, dualActivation, type OdeStats, type PathOptions } from '@holonomic-ntk/hgm-runtime';
 * const stats: OdeStats = { nfev: 0, naccept: 0, nreject: 0 };
 * const options: PathOptions = { rtol: 1e-12, stats };
 * dualActivation(builtinArtifact('relu'), ACTIVATIONS.relu, 1, 0.5, 1, options); // ≈ 0.30449889052211465 ± 1e-11
 * stats.naccept > 0; // → true
 * ```
 */
export interface PathOptions {
  /** Relative tolerance of the ODE solver (default 1e-13 here; dualActivation passes 1e-14). */
  rtol?: number;
  /**
   * atol_l = atolFactor · rtol · w_l · max_k |G0_k|/w_k with w_l = a^{p/2} b^{q/2} the size of u^p v^q for basis
   * element l (default factor 1; see `componentAtol`).
   */
  atolFactor?: number;
  /** `dop853` (default) or `odex` (no dense output). */
  solver?: 'dop853' | 'odex';
  stats?: OdeStats;
}

/** One integration along the path of (a, b) on side q, from s = 1 to `sEnd`. */
export interface PathSolution {
  /** G at the start. */
  readonly G0: Float64Array;
  /** G at sEnd. */
  readonly G: Float64Array;
  /**
   * max |E| over the accepted points of the path (E = G at the basis element "1"). κ = maxAbsE/|E(s)| measures
   * how far E has decayed along the path in its own units: where it has decayed a lot it is recessive and the
   * forward path loses ~rtol·κ (ACCURACY.md).
   */
  readonly maxAbsE: number;
  readonly indexOfOne: number;
  readonly dense?: DenseSolution;
  /**
   * With `delta` given: the perturbation carried along the path to where the integration ended (`sEnd`, or where
   * `deltaLimit` stopped it), the measure of the path's conditioning (ACCURACY.md §8).
   */
  readonly delta?: Float64Array;
  /** Where the integration ended: sEnd, or earlier when `deltaLimit` stopped it. */
  readonly sReached: number;
}

/**
 * Signs of the perturbation δ0_l = sign_l·|G0_l| the paths carry along (`pathPerturbation`): fixed, so that results are
 * reproducible, and mixed, so that no growing mode of the path is missed by symmetry.
 */
const PERTURBATION_SIGNS = [1, -1, 1, 1, -1, 1, -1, -1, 1, 1, -1, 1, -1, -1, -1, 1];

/**
 * The start of the perturbation a path carries along to measure its conditioning: δ0_l = ±(|G0_l| + ε·s_l), a
 * relative change of every start component by 1 (its rounding, in units of ε), with s_l = w_l·max_k |G0_k|/w_k its
 * natural size (`componentAtol`'s scale). A component that is 0 up to its moments' rounding (E(ρ = 0) of an odd σ:
 * m_0(a)·m_0(b), each ~ε of its scale, so ~ε² together; the two moments of a component always have the same parity)
 * gets that second-order size, so an estimate from δ keeps such structural zeros (E ∝ ρ near ρ = 0). With
 * `startScale` (`pathInitialScale`), |G0_l| is replaced by the larger scale a component's moments were computed at
 * (they cancel: resin σ̇ at b = 100, E(ρ = 0) ~ 1e-23 is known to ~1e-18).
 *
 * E.g. `pathPerturbation(reluSystem, Float64Array.of(0.25, 0.1), 1, 1)` gives ≈ [0.25, −0.1].
 */
export function pathPerturbation(
  system: PfaffianSystem,
  G0: Float64Array,
  a: number,
  b: number,
  out: Float64Array = new Float64Array(G0.length),
  startScale?: ArrayLike<number>,
): Float64Array {
  const scale = componentAtol(system, G0, a, b, Number.EPSILON);
  for (let l = 0; l < G0.length; l++) {
    const size = startScale ? Math.max(Math.abs(G0[l]!), startScale[l]!) : Math.abs(G0[l]!);
    out[l] = PERTURBATION_SIGNS[l % PERTURBATION_SIGNS.length]! * (size + scale[l]!);
  }
  return out;
}

/**
 * Error estimate of a path value E (absolute), from the perturbation δ the path carried along (`pathPerturbation`:
 * δ_E is E's response to a relative change of 1 in every start component, with mixed signs) and the solver's
 * tolerance `tol` (DOP853: rtol; Taylor: its tail tolerance 1e-16), and near |ρ| = 1 of the rank-8 systems the
 * cancellation K of the right-hand side (`pathCancellation`, CANCELLATION_MAX_S):
 * (PATH_ROUNDING·ε + PATH_SOLVER·tol + PATH_CANCELLATION·ε·K²)·(|δ_E| + |E|) + PATH_DENSE·tol·|E|.
 * |δ_E| ≫ |E| is what the path amplifies: growing solutions of the system that the rounding of the start vector
 * and of every step excites while E does not grow (gelu σ̇ at small variances: ~e^{|ρ|/a}), or E recessive (κ).
 * The Taylor path also adds each step's own rounding, ε·Σ|g_n||h|^n, to δ (taylorPath.ts). PATH_DENSE covers
 * DOP853's dense output inside its first, long steps (up to 3.4e-13 relative, 34·rtol, at ρ = −0.5 for erf σ at
 * (0.01, 10)), relative to E itself: near a zero crossing of E it must not scale with δ. The factors are
 * calibrated on the references of test/fixtures/accuracy_refs.json (ACCURACY.md §8: error/estimate ≤ 0.75 wherever
 * the estimate is below 1e-12·|E|, i.e. wherever the path's value is returned; rounding injected along a DOP853 path
 * is amplified like the start's, 1–20× the start's alone, up to ~300× where the path is hopeless anyway, gelu σ̇ at
 * a = 0.03, estimate ≥ 1e-7).
 *
 * E.g. `pathError(0.25, 3e3, 1e-16)` gives ≈ 8.6e-11 (gelu σ̇ at a = b = 0.05, ρ = 0.5: the path is 5e-12 off).
 */
export function pathError(E: number, deltaE: number, tol: number, cancellation = 0): number {
  const amplified = PATH_ROUNDING * Number.EPSILON + PATH_SOLVER * tol + PATH_CANCELLATION * Number.EPSILON * cancellation * cancellation;
  return amplified * (Math.abs(deltaE) + Math.abs(E)) + PATH_DENSE * tol * Math.abs(E);
}
/** See `pathError`. */
export const PATH_ROUNDING = 128;
export const PATH_SOLVER = 4;
export const PATH_CANCELLATION = 2;
export const PATH_DENSE = 30;

/**
 * Where the cancellation term of `pathError` applies: systems with a strong boundary singularity
 * (`boundaryPoleOrder` > 1.5: resin, gelu) at |ρ| > 0.9 (s below this). There the pole of order 3 makes M·G cancel
 * (K = `pathCancellation` grows like ~s^−2.5: 18 at |ρ| = 0.95, 140 at 0.99 for gelu σ at a = b = 0.3) and the paths
 * lose ε·K²/2 and more (1.9e-12 at ρ = 0.99), which the perturbation δ (E's sensitivity to the start, 4× there)
 * does not show. Inside (|ρ| ≤ 0.9) K measures slow flow, not injected rounding (gelu σ near its zero crossing:
 * K ~ 50, error 1e-15), and the calibration needs no such term (ACCURACY.md §8).
 */
export const CANCELLATION_MAX_S = Math.sqrt(1 - 0.9 * 0.9) / 1.9;

/**
 * A path whose perturbation grows beyond this (`perturbationSize`) is abandoned: its values could not be better than
 * ~1e-4 relative (pathError), every later point needs another route, and integrating on would only cost (the
 * growing solutions make the system stiff: gelu σ̇ at a = 0.01 ran into DOP853's 10^5-step limit).
 */
export const PATH_DELTA_LIMIT = 1e10;

/**
 * Paths stop after this many accepted steps (`stepLimit`; normal paths take 10–300; gelu σ̇ at
 * a = 0.05 took ~10^4 to ρ = 0.99 and at a = 0.01 ran into the 10^5 limit of DOP853: stiff, which an explicit method
 * pays in steps). The 2-D quadrature serves such points in milliseconds.
 */
export const PATH_STEP_LIMIT = 2000;

/**
 * max_l |δ_l|/s_l over max_l |G_l|/s_l with s_l = w_l = a^{p/2} b^{q/2} (`componentAtol`'s weights, passed as w):
 * the size of a perturbation δ in units of G's own size.
 */
export function perturbationSize(delta: ArrayLike<number>, G: ArrayLike<number>, w: ArrayLike<number>, r: number): number {
  let g = 0;
  let d = 0;
  for (let l = 0; l < r; l++) {
    g = Math.max(g, Math.abs(G[l]!) / w[l]!);
    d = Math.max(d, Math.abs(delta[l]!) / w[l]!);
  }
  return d / g;
}

const workspaces = new Map<number, Dop853>();

/** G at s = 1: √(det x)/π · F⃗(−1/(2a), 0, −1/(2b)), det x = 1/(4ab); F⃗ from the 1-D moments, or where they cancel
 * (oscillating σ at large variances) walked up from smaller variances by the system (src/varianceWalk.ts).
 *
 * E.g. `pathInitialValue(stepArtifact.systems[0], 'sigma', { sigma: ACTIVATIONS.step.sigma }, 1, 1)` gives [1/4, 1/π]: E and 2E[uY(u)]E[vY(v)].
 * With `scaleOut`, also `pathInitialScale` (from the same coefficients and moments).
 */
export function pathInitialValue(
  system: PfaffianSystem,
  integrand: Integrand,
  functions: IntegrandFunctions,
  a: number,
  b: number,
  scaleOut?: Float64Array,
): Float64Array {
  const F = walkedInitialVector(system, integrand, -0.5 / a, -0.5 / b, functions, scaleOut ?? new Float64Array(system.rank));
  const scale = 1 / (2 * Math.PI * Math.sqrt(a) * Math.sqrt(b));
  if (scaleOut) for (let l = 0; l < scaleOut.length; l++) scaleOut[l]! *= scale;
  return F.map((f) => f * scale);
}

/**
 * The scale each component of `pathInitialValue` is computed at (`initialVectorScale`, in G's units): |G0_l| unless its
 * moments cancel, for `pathPerturbation`.
 *
 * E.g. `pathInitialScale(resinSystem, 'dsigma', ACTIVATIONS.resin, 0.01, 100)[0]` gives ~1e-2 while G0[0] ~ 1e-23.
 */
export function pathInitialScale(system: PfaffianSystem, integrand: Integrand, functions: IntegrandFunctions, a: number, b: number): Float64Array {
  const e = new Float64Array(system.rank);
  walkedInitialVector(system, integrand, -0.5 / a, -0.5 / b, functions, e);
  const scale = 1 / (2 * Math.PI * Math.sqrt(a) * Math.sqrt(b));
  for (let l = 0; l < e.length; l++) e[l]! *= scale;
  return e;
}

/**
 * Integrates dG/ds = M(s)G from s = sStart (default 1, i.e. ρ = 0, with G0 from `pathInitialValue`) to
 * sEnd ∈ (0, 1] on side q (see the file comment). Starting near the boundary (G0 from `nearBoundaryVector`) and
 * integrating toward s = 1 is the well-conditioned direction when E is recessive there (ACCURACY.md).
 *
 * For instance (illustration, not run):
 *   const G0 = pathInitialValue(system, 'sigma', { sigma: ACTIVATIONS.step.sigma }, 1, 1);
 *   const sol = solvePath(system, G0, 1, 1, -1, 0.01, { dense: true });
 *   sol.G[0]; // E[Y(u)Y(v)] at ρ = −cos(2 atan 0.01) = (2 atan 0.01)/(2π)
 */
export function solvePath(
  system: PfaffianSystem,
  G0: Float64Array,
  a: number,
  b: number,
  q: 1 | -1,
  sEnd: number,
  options: PathOptions & {
    dense?: boolean;
    sStart?: number;
    /** Called after every accepted step with G and, when `delta` is given, the perturbation at y[r..2r). */
    onStep?: (s: number, y: Float64Array) => void;
    /**
     * A perturbation δ0 (`pathPerturbation`) carried along with the same steps (same matrix, not in the error
     * control); the result's `delta` is δ at the end.
     */
    delta?: Float64Array;
    /** Stop the integration where the perturbation's size (`perturbationSize`) exceeds this. */
    deltaLimit?: number;
    /** Stop the integration after this many accepted steps (PATH_STEP_LIMIT: stiff). */
    stepLimit?: number;
  } = {},
): PathSolution {
  const sStart = options.sStart ?? 1;
  const sys = prepareSystem(system);
  const r = sys.rank;
  const withDelta = options.delta !== undefined;
  const n = withDelta ? 2 * r : r;
  const rhs = pathRhs(system, a, b, q, withDelta ? 2 : 1);
  const one = sys.indexOfOne;
  let maxAbsE = Math.abs(G0[one]!);
  // Only accepted points: stage values of rejected steps can be far off the solution.
  const onStep = (t: number, y: Float64Array): void => {
    maxAbsE = Math.max(maxAbsE, Math.abs(y[one]!));
    options.onStep?.(t, y);
  };
  const rtol = options.rtol ?? 1e-13;
  const atolG = componentAtol(system, G0, a, b, (options.atolFactor ?? 1) * rtol);
  const atol = withDelta ? Float64Array.from({ length: n }, (_, l) => (l < r ? atolG[l]! : atolG[l - r]! / rtol)) : atolG;
  const y0 = withDelta ? Float64Array.from({ length: n }, (_, l) => (l < r ? G0[l]! : options.delta![l - r]!)) : G0;
  const limit = options.deltaLimit ?? Infinity;
  const w = limit < Infinity ? componentAtol(system, G0, a, b, 1) : undefined;
  // A stiff path (explicit DOP853, limited by stability, not accuracy) is one the accurate route serves faster.
  const stepLimit = options.stepLimit ?? Infinity;
  let steps = 0;
  const stop =
    w || stepLimit < Infinity
      ? (_t: number, y: Float64Array): boolean => ++steps > stepLimit || (w !== undefined && !(perturbationSize(y.subarray(r), y, w, r) <= limit))
      : undefined;
  let result: OdeResult;
  if (sEnd === sStart) {
    result = { t: sEnd, y: Float64Array.from(y0), stats: { nfev: 0, naccept: 0, nreject: 0 } };
  } else if (options.solver === 'odex') {
    // odex has no passengers: the perturbation is integrated under the same tolerances (a measurement option).
    result = solveOdex(rhs, sStart, y0, sEnd, { rtol, atol });
    onStep(sEnd, result.y); // odex reports no intermediate steps: the ends only
  } else {
    let solver = workspaces.get(n);
    if (!solver) workspaces.set(n, (solver = new Dop853(n)));
    result = solver.solve(rhs, sStart, y0, sEnd, { rtol, atol, dense: options.dense ?? false, onStep, controlled: r, ...(stop ? { stop } : {}) });
  }
  if (options.stats) Object.assign(options.stats, result.stats);
  return {
    G0,
    G: withDelta ? result.y.slice(0, r) : result.y,
    maxAbsE,
    indexOfOne: one,
    ...(result.dense ? { dense: result.dense } : {}),
    ...(withDelta ? { delta: result.y.slice(r) } : {}),
    sReached: result.t,
  };
}

/**
 * Below this s (|ρ| > 0.995) the forward path is not used for systems with a strong boundary singularity
 * (`boundaryPoleOrder` > 1.5: the rank-8 resin and gelu systems, M ~ 1/s³). Their path matrix maps the bounded
 * G onto a combination that vanishes at the boundary, so errors transverse to it grow ~1/s²; measured forward
 * error (a, b) ∈ {(0.5, 0.5), (2, 2), (7, 1.5)}: ≤ 2e-11 for |ρ| ≤ 0.995 (s ≥ 0.05), up to 2e-10 at |ρ| = 0.999.
 */
export const STRONG_BOUNDARY_MIN_S = 0.05;

/** Systems whose path matrix has a pole of order above this at the boundary leave |ρ| > 0.995 to other routes. */
export const STRONG_POLE_ORDER = 1.5;

/**
 * The system has a strong boundary singularity (`boundaryPoleOrder` > STRONG_POLE_ORDER: the rank-8 resin and gelu).
 *
 * E.g. `strongBoundary(geluArtifact.systems[0])` gives true, `strongBoundary(reluArtifact.systems[0])` false.
 */
export function strongBoundary(system: PfaffianSystem): boolean {
  return boundaryPoleOrder(system) > STRONG_POLE_ORDER;
}

const poleOrders = new WeakMap<PfaffianSystem, number>();

/**
 * The order k of the pole of the path matrix at the boundary s = 0 (max|M(s)| ~ s^−k), measured at a = b = 1 from
 * s = 1e-3 and 2e-3 on both sides: 1 for the rank-2 systems (a regular singular point), 3 for resin and gelu.
 *
 * E.g. `boundaryPoleOrder(reluArtifact.systems[0])` gives ≈ 1.
 */
export function boundaryPoleOrder(system: PfaffianSystem): number {
  const hit = poleOrders.get(system);
  if (hit !== undefined) return hit;
  const r = system.rank;
  const y = new Float64Array(r);
  const dy = new Float64Array(r);
  let order = 0;
  for (const q of [1, -1] as const) {
    const f = pathRhs(system, 1, 1, q);
    const norm = (s: number): number => {
      let m = 0;
      for (let j = 0; j < r; j++) {
        y.fill(0);
        y[j] = 1;
        f(s, y, dy);
        for (const v of dy) m = Math.max(m, Math.abs(v));
      }
      return m;
    };
    order = Math.max(order, Math.log2(norm(1e-3) / norm(2e-3)));
  }
  poleOrders.set(system, order);
  return order;
}

const basisPowers = new WeakMap<PfaffianSystem, [number, number][] | null>();

/**
 * Absolute tolerances per component: G has no natural unit (E scales with σ), and its components scale very
 * differently, G_l = 2^j E[u^p v^q φψ] ~ a^{p/2} b^{q/2}·E. One scalar atol from max|G0| let the E component
 * drift by ~rtol·a^{p/2}b^{q/2} relative (3e-11 for relu at a, b ~ 1e5–1e6, test/closedForms.test.ts); with
 * w_l = a^{p/2} b^{q/2}, atol_l = factor · w_l · max_k |G0_k|/w_k. Operator (non-monomial) bases: scalar.
 *
 *
 * E.g. `componentAtol(reluArtifact.systems[0], G0, 4, 9, 1e-16)` gives atol of E and of 2E[uv·σσ] (the latter ×6).
 */
export function componentAtol(system: PfaffianSystem, G0: Float64Array, a: number, b: number, factor: number): Float64Array {
  let powers = basisPowers.get(system);
  if (powers === undefined) {
    try {
      powers = system.basis.map((label) => {
        const [i, j, k] = parseDMonomial(label);
        return [2 * i + j, 2 * k + j] as [number, number];
      });
    } catch {
      powers = null;
    }
    basisPowers.set(system, powers);
  }
  const r = G0.length;
  const w = new Float64Array(r);
  for (let l = 0; l < r; l++) w[l] = powers ? Math.sqrt(a) ** powers[l]![0] * Math.sqrt(b) ** powers[l]![1] : 1;
  let m = 0;
  for (let l = 0; l < r; l++) m = Math.max(m, Math.abs(G0[l]!) / w[l]!);
  if (!(m > 0)) m = 1e-300;
  for (let l = 0; l < r; l++) w[l] = factor * w[l]! * m;
  return w;
}

/** Bound charts of recently used (a, b), per system: binding costs one pass over all chart terms. */
const boundCharts = new WeakMap<PfaffianSystem, Map<string, BoundChart>>();
const BOUND_CHART_CACHE = 64;

function boundChartFor(system: PfaffianSystem, a: number, b: number): BoundChart {
  let cache = boundCharts.get(system);
  if (!cache) boundCharts.set(system, (cache = new Map()));
  const key = `${a}:${b}`;
  let hit = cache.get(key);
  if (!hit) {
    if (cache.size >= BOUND_CHART_CACHE) cache.delete(cache.keys().next().value!);
    cache.set(key, (hit = bindChart(covarianceChart(system), a, b)));
  }
  return hit;
}

/**
 * The cancellation in the path's right-hand side at s for the vector G: K = max_i Σ_j |M_ij G_j|/w_i over
 * max_i |Σ_j M_ij G_j|/w_i (w_i = a^{p/2}b^{q/2}, the components' natural sizes). Near |ρ| = 1 the rank-8 systems'
 * matrix maps G onto a combination that nearly vanishes (pole of order 3, ACCURACY.md §4): K grows to 10²–10³, and
 * the rounding of every step, relative to the terms and not to their sum, is what the path then loses (`pathError`).
 * Returns a function of (s, G) that reuses its scratch; it gives 0 for the systems without a strong boundary singularity
 * and for s ≥ CANCELLATION_MAX_S (where `pathError` does not use it).
 *
 * E.g. `pathCancellation(geluSystem, 0.3, 0.3, 1)(0.0709, G)` gives ≈ 140 (ρ = 0.99).
 */
export function pathCancellation(system: PfaffianSystem, a: number, b: number, q: 1 | -1): (s: number, G: ArrayLike<number>) => number {
  if (!strongBoundary(system)) return () => 0;
  const r = system.rank;
  const sab = Math.sqrt(a) * Math.sqrt(b);
  const ab = a * b;
  // Bound on first use (binding the chart costs 24–67 µs for a new (a, b); most calls are at s ≥ CANCELLATION_MAX_S).
  let chart: BoundChart | undefined;
  let w: Float64Array | undefined;
  let m: Float64Array | undefined;
  return (s, G) => {
    if (!(s < CANCELLATION_MAX_S)) return 0;
    if (!chart) {
      chart = boundChartFor(system, a, b);
      w = componentAtol(system, new Float64Array(r).fill(1), a, b, 1);
      m = new Float64Array(r * r);
    }
    const s2 = s * s;
    const p = 1 + s2;
    chart.evaluate((q * sab * (1 - s2)) / p, ab * ((4 * s2) / (p * p)), m!);
    let terms = 0;
    let sum = 0;
    for (let i = 0; i < r; i++) {
      let t = 0;
      let u = 0;
      for (let j = 0; j < r; j++) {
        const v = m![i * r + j]! * G[j]!;
        t += Math.abs(v);
        u += v;
      }
      terms = Math.max(terms, t / w![i]!);
      sum = Math.max(sum, Math.abs(u) / w![i]!);
    }
    return sum > 0 ? terms / sum : 1;
  };
}

/**
 * dG/ds = M(s)G on side q of (a, b) (for `copies` blocks of r components at once), from the covariance chart (src/covarianceChart.ts): with p = 1 + s²,
 * c = q√(ab)(1 − s²)/p, Δ = ab·4s²/p² (no cancellation: c² + Δ = ab exactly in real arithmetic) and
 * dG/ds = dc/ds · M_c(c, Δ) G, dc/ds = −4q√(ab)·s/p². Allocation-free per call.
 *
 * For instance (illustration, not run):
 *   const f = pathRhs(system, 1, 1, 1);
 *   const dG = new Float64Array(system.rank);
 *   f(0.5, G, dG);
 */
export function pathRhs(system: PfaffianSystem, a: number, b: number, q: 1 | -1, copies = 1): OdeRhs {
  const r = system.rank;
  const chart = boundChartFor(system, a, b);
  const sab = Math.sqrt(a) * Math.sqrt(b);
  const ab = a * b;
  const m = new Float64Array(r * r);
  return (s, y, dy) => {
    const s2 = s * s;
    const p = 1 + s2;
    const c = (q * sab * (1 - s2)) / p;
    const delta = ab * ((4 * s2) / (p * p));
    const dcds = (-4 * q * sab * s) / (p * p);
    chart.evaluate(c, delta, m);
    // copies > 1: the same matrix applied to each block of r components (G, then a perturbation).
    for (let k = 0, o = 0; k < copies; k++, o += r) {
      for (let i = 0; i < r; i++) {
        let acc = 0;
        for (let j = 0; j < r; j++) acc += m[i * r + j]! * y[o + j]!;
        dy[o + i] = dcds * acc;
      }
    }
  };
}

/**
 * G at the path point (ρ, τ) by direct 2-D quadrature: G_l = 2^j E[u^{2i+j} v^{2k+j} φ(u)ψ(v)] for the monomial
 * basis element ∂11^i ∂12^j ∂22^k. The start of an outward integration from near the boundary. Needs a monomial
 * basis (an operator label's coefficients are not given away from x12 = 0). With `errors`, the quadratures' error
 * estimates per component are written there.
 *
 * E.g. `nearBoundaryVector(system, 'sigma', { sigma: ACTIVATIONS.step.sigma }, 1, 1, -Math.cos(1e-4), Math.sin(1e-4))`.
 */
export function nearBoundaryVector(
  system: PfaffianSystem,
  integrand: Integrand,
  functions: IntegrandFunctions,
  a: number,
  b: number,
  rho: number,
  tau: number,
  errors?: Float64Array,
): Float64Array {
  const [phi, psi] = factorSpecs(system, integrand, functions);
  const estimate: QuadratureEstimate = { abs: 0, error: 0 };
  return Float64Array.from(system.basis, (label, l) => {
    let e: number[];
    try {
      e = parseDMonomial(label);
    } catch {
      throw new DomainError(`basis element ${l} ('${label}') is not a ∂-monomial: no near-boundary start for this system`);
    }
    const [i, j, k] = e as [number, number, number];
    const v = 2 ** j * gaussianExpectation2d(phi, psi, a, b, rho, tau, { powerU: 2 * i + j, powerV: 2 * k + j, ...(errors ? { estimate } : {}) });
    if (errors) errors[l] = 2 ** j * estimate.error;
    return v;
  });
}

/** The 1-D functions [φ, ψ] of the integrand's initial-value recipe (normally [σ, σ] or [σ̇, σ̇]).
 *
 * E.g. `factorSpecs(reluArtifact.systems[1], 'dsigma', ACTIVATIONS.relu)` gives [step spec, step spec].
 */
export function factorSpecs(system: PfaffianSystem, integrand: Integrand, functions: IntegrandFunctions): [SigmaSpec, SigmaSpec] {
  const vec = system.initialValues.vectors.find((v) => v.integrand === integrand);
  if (!vec) throw new DomainError(`the system serves ${system.integrands.join(', ')}, not '${integrand}'`);
  const phi = factorFunction(functions, vec.factors[0]);
  const psi = factorFunction(functions, vec.factors[1]);
  if (!phi || !psi) throw new DomainError(`'${integrand}' needs the functions ${vec.factors.join(' and ')}; pass them in the functions`);
  return [phi, psi];
}
