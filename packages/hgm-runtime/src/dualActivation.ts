/**
 * Dual activations E_{(u,v)~N(0,Λ)}[φ(u)ψ(v)] for every positive semidefinite Λ = [[a, c], [c, b]], one at a
 * time or all at once. The method per point (ACCURACY.md has the measurements behind each choice):
 *
 * - a = 0 or b = 0, or |ρ| = 1: 1-D quadrature (src/boundaryQuadrature.ts);
 * - otherwise the HGM path of (a, b) (src/dualPath.ts, matrix from the covariance chart) from ρ = 0 toward the
 *   target; single points with default options read it from a cached dense path of (a, b) (src/pathCurve.ts),
 *   so repeated variances cost one interpolation; the first point of an (a, b) with |ρ| ≤ 0.99 is instead one
 *   Taylor-series solve in ρ (src/taylorPath.ts, 5–20× cheaper than a DOP853 path, nothing kept);
 * - where E is recessive at the boundary (κ = max_path|E|/|E| > KAPPA_SWITCH and the boundary value itself below
 *   max|E|/KAPPA_SWITCH, e.g. the step near ρ = −1, where E ~ √(1+ρ) while the other solution stays O(1)), the
 *   forward ODE would lose ~rtol·κ: the path is integrated outward from near the boundary (the well-conditioned
 *   direction), with a start vector from ONE 2-D quadrature per component (cached per (a, b, side) for single
 *   points, once per call for a curve or batch);
 * - systems with a strong boundary singularity (pole order > 1.5: the rank-8 resin and gelu) leave
 *   |ρ| > 0.995 and their recessive points to the 2-D quadrature: both integration directions are unstable there;
 * - a batch with many distinct (a, b) (an NTK Gram matrix) is interpolated from node paths on a Chebyshev grid
 *   (src/scatteredBatch.ts) instead of one path per (a, b); near |ρ| = 1 (rank-8 |ρ| > 0.9, ρ = ±1, and all of ρ < 0
 *   where both σ live on [0, ∞)) from a second grid whose nodes are polar quadratures (src/polarQuadrature.ts), or
 *   for σ without kinks by the Hermite series per item; items no grid certifies try the series and the polar rule
 *   per item, and only then fall back to the above (ScatteredStats counts each route).
 */
import {
  type Integrand,
  type PfaffianArtifact,
  type PfaffianSystem,
  classifyCovariance,
  DomainError,
  diffOfProducts,
  IntegrationError,
  parseDMonomial,
} from '@holonomic-ntk/core';
import { boundaryExpectation, gaussHermite2d, gaussianExpectation2d, type QuadratureEstimate } from './boundaryQuadrature.ts';
import {
  boundaryPoleOrder,
  factorSpecs,
  pathError,
  pathOffset,
  pathPerturbation,
  PATH_DELTA_LIMIT,
  PATH_STEP_LIMIT,
  CANCELLATION_MAX_S,
  strongBoundary,
  pathCancellation,
  STRONG_BOUNDARY_MIN_S,
  STRONG_POLE_ORDER,
  nearBoundaryVector,
  pathInitialScale,
  pathInitialValue,
  solvePath,
  type PathOptions,
} from './dualPath.ts';
import { prepareSystem, type IntegrandFunctions } from './hgm.ts';
import { artifactFunctions, pieceFunctions } from './artifactFunctions.ts';
import { hermiteDualOfSum, hermiteSeriesEvaluator, hermiteSummands } from './hermiteExpansion.ts';
import { OFFSET_RHO, OFFSET_S, seriesError, seriesVector, singularAtRhoZero } from './offsetStart.ts';
import type { SigmaSpec } from '@holonomic-ntk/core';
import { boundaryCurve, boundaryValue, type PathCurve, pathCurve } from './pathCurve.ts';
import { boundaryInterpolant } from './boundaryInterpolant.ts';
import { TAYLOR_MAX_TERMS, taylorPath, type TaylorStats } from './taylorPath.ts';
import { SCATTERED_ITEM_TOL, ScatteredGrid, scatteredToleranceScale, type ScatteredContext, type ScatteredStats } from './scatteredBatch.ts';
import { polarApplicable, polarExpectation } from './polarQuadrature.ts';

/**
 * Above this κ = max_path |E| / |E(s)| the forward path is not trusted. Measured on the step system (ACCURACY.md):
 * with rtol 1e-14 the forward error is ≤ 3e-13 for κ ≤ 8 and grows roughly like κ beyond.
 */
export const KAPPA_SWITCH = 8;

/**
 * Options of `dualActivation`, `dualActivationCurve` and `dualActivationBatch`: the integrand, the method, and the
 * solver settings of `PathOptions` (leave those unset for the measured defaults and the caches).
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * import { builtinArtifact, dualActivation, type DualActivationOptions } from '@holonomic-ntk/hgm-runtime';
 * const relu = builtinArtifact('relu');
 * // E[Y(u)Y(v)] for the derivative Y = relu' (the step): (π − arccos ρ)/(2π) = 1/3 at ρ = 0.5.
 * const options: DualActivationOptions = { integrand: 'dsigma' };
 * dualActivation(relu, ACTIVATIONS.relu, 1, 0.5, 1, options); // ≈ 1 / 3
 * // The direct 2-D quadrature, a slow reference:
 * dualActivation(relu, ACTIVATIONS.relu, 1, 0.5, 1, { ...options, method: 'quadrature' }); // ≈ 1 / 3
 * ```
 */
export interface DualActivationOptions extends PathOptions {
  /** `sigma` (default) for E[σσ], `dsigma` for E[σ̇σ̇]. */
  integrand?: Integrand;
  /**
   * `auto` (default): as in the file comment. `path`: always the HGM path from ρ = 0 (for measurements).
   * `quadrature`: always direct quadrature (slow; a reference).
   */
  method?: 'auto' | 'path' | 'quadrature';
  /**
   * Batches only. `auto` (default): when the items have at least SCATTERED_MIN_GROUPS distinct (a, b), interpolate
   * from node paths on a Chebyshev grid in (√a, √b, θ) if that needs fewer paths than the groups
   * (src/scatteredBatch.ts); `never`: one path per (a, b); `always`: try the grid whatever the group count.
   */
  scattered?: 'auto' | 'never' | 'always';
  /** Batches only: filled with what the scattered grid did. */
  scatteredStats?: ScatteredStats;
  /**
   * Single points with |ρ| ≤ 0.99. `auto` (default): Taylor series in ρ (src/taylorPath.ts) for the first point of
   * an (a, b), the cached DOP853 dense path from the second on (repeated variances then cost one interpolation);
   * `taylor`: always the Taylor series (no curve is kept); `dop853`: always the cached DOP853 path.
   * ACCURACY.md §3 has the measurements behind the default.
   */
  integrator?: 'auto' | 'taylor' | 'dop853';
  /**
   * Relative tolerance of the result (default 1e-12, the accuracy ACCURACY.md states; none for the forced methods
   * `path` and `quadrature`). Every route estimates its error (`dualActivationWithError`); with method `auto` a value
   * whose estimate exceeds tolerance·|E| (and `absoluteTolerance`) is recomputed by an accurate route (Gauss–Hermite
   * rules or 2-D quadrature), and if that misses it too, `IntegrationError` is thrown: nothing is returned above the
   * tolerance. `Infinity` returns the best value whatever its estimate.
   */
  tolerance?: number;
  /**
   * Absolute tolerance, met where the relative one cannot be (E = 0 or a zero crossing of E inside): default
   * 1e-13·√(E[φ(u)²]E[ψ(v)²]), ~450 ulps of the integrand's scale (what every route's own estimate stays below there).
   */
  absoluteTolerance?: number;
  /** Curves and batches: filled with the error estimate of every value (absolute, in the order of the values). */
  errors?: Float64Array;
  /**
   * Batches only: called as items are served, with the count done and the total (items × the pair terms of an
   * activation split into pieces), after the scattered grid and after each group of one (a, b): for a progress bar.
   */
  onProgress?: (done: number, total: number) => void;
}

/** Defaults of the path solver, chosen by measurement (ACCURACY.md). */
const RTOL = 1e-14;
const ATOL_FACTOR = 1e-2;

/** The two factors of an expectation E[φ(u)ψ(v)]. */
type Factors = { phi: SigmaSpec; psi: SigmaSpec };

interface Resolved {
  system: PfaffianSystem;
  integrand: Integrand;
  fns: IntegrandFunctions;
  phi: SigmaSpec;
  psi: SigmaSpec;
  indexOfOne: number;
  /** Check every path value against a looser second solve (see `grownError`). */
  guarded: boolean;
}

function resolve(system: PfaffianSystem, integrand: Integrand, fns: IntegrandFunctions, growth: boolean): Resolved {
  const [phi, psi] = factorSpecs(system, integrand, fns);
  return { system, integrand, fns, phi, psi, indexOfOne: prepareSystem(system).indexOfOne, guarded: growth || singularAtRhoZero(system) };
}

/**
 * The systems whose routes ACCURACY.md measured (the original built-ins). Any other system (a derived activation,
 * the pieces of a piecewise one) may have solutions that grow along the path far faster than E (ELU's e^v·Y(v)
 * beside e^v·Y(−v) grows like e^{(a+b+2c)/2}) and swamp it at large variances: its path values are checked.
 */
const MEASURED_ACTIVATIONS: ReadonlySet<string> = new Set(['step', 'relu', 'rectpow:2', 'phi', 'erf', 'resin', 'gelu']);

function unmeasured(artifact: PfaffianArtifact): boolean {
  return !MEASURED_ACTIVATIONS.has(artifact.activation.name) || artifact.activation.pieces !== undefined;
}

/** One system's share of a dual: E[φ(u)ψ(v)] at (a, c, b), or at (b, c, a) when `swap` (MATH.md §9). */
interface Term {
  r: Resolved;
  swap: boolean;
}

/** A dual activation as the sum of its terms (one, or the pair terms of an activation split into pieces). */
interface Dual {
  artifact: PfaffianArtifact;
  integrand: Integrand;
  terms: Term[];
  /** The whole integrand's function (pieces only, when known): its scale S and the last resort of `settleSum`. */
  whole: SigmaSpec | undefined;
}

/**
 * The systems whose sum is the dual of `integrand`: one, or for an integrand split into pieces σ = Σ σ_i one per
 * pair i ≤ j, twice (the second swapped) when i < j, since E[σ_j(u)σ_i(v)] at (a, c, b) is E[σ_i(u)σ_j(v)] at (b, c, a).
 */
function resolveTerms(artifact: PfaffianArtifact, functions: SigmaSpec | IntegrandFunctions, integrand: Integrand): Dual {
  let fns: IntegrandFunctions =
    typeof (functions as SigmaSpec).sigma === 'function' ? { [integrand]: functions as SigmaSpec } : (functions as IntegrandFunctions);
  if (fns.name !== undefined && fns.name !== artifact.activation.name) {
    throw new DomainError(`the artifact is for '${artifact.activation.name}', the functions are for '${fns.name}'`);
  }
  if (artifact.activation.pieces?.[integrand] === undefined) {
    const system = artifact.systems.find((s) => s.integrands.includes(integrand));
    if (!system) throw new DomainError(`the artifact for '${artifact.activation.name}' has no system for '${integrand}'`);
    return { artifact, integrand, terms: [{ r: resolve(system, integrand, fns, unmeasured(artifact)), swap: false }], whole: undefined };
  }
  // The pieces' functions come from the artifact's formulas unless the caller passed them.
  fns = { ...pieceFunctions(artifact, integrand), ...fns };
  const terms: Term[] = [];
  for (const system of artifact.systems) {
    if (!system.pair || system.integrands[0] !== integrand) continue;
    const r = resolve(system, integrand, fns, unmeasured(artifact));
    terms.push({ r, swap: false });
    if (system.pair[0] !== system.pair[1]) terms.push({ r, swap: true });
  }
  return { artifact, integrand, terms, whole: fns[integrand] ?? wholeFunction(artifact, integrand) };
}

/** The whole integrand from the artifact's formula, if it states one (format version 2). */
function wholeFunction(artifact: PfaffianArtifact, integrand: Integrand): SigmaSpec | undefined {
  try {
    return artifactFunctions(artifact)[integrand];
  } catch (e) {
    if (e instanceof DomainError) return undefined;
    throw e;
  }
}

function pathOptions(options: DualActivationOptions): PathOptions {
  return {
    rtol: options.rtol ?? RTOL,
    atolFactor: options.atolFactor ?? ATOL_FACTOR,
    ...(options.solver ? { solver: options.solver } : {}),
    ...(options.stats ? { stats: options.stats } : {}),
  };
}

/**
 * E_{(u,v)~N(0,Λ)}[σ(u)σ(v)] (or [σ̇σ̇] with `integrand: 'dsigma'`) for any positive semidefinite
 * Λ = [[a, c], [c, b]], including |ρ| = 1 and a = 0 or b = 0. `functions` is a `SigmaSpec` (used for the
 * requested integrand) or an object with `sigma`/`dsigma` specs such as a built-in activation. Throws
 * `DomainError` for NaN, negative variances or |ρ| > 1 + 1e-12, and `IntegrationError` if no route meets the
 * tolerance (`DualActivationOptions.tolerance`, default 1e-12 relative; `dualActivationWithError` returns the
 * estimate).
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * import { builtinArtifact, dualActivation } from '@holonomic-ntk/hgm-runtime';
 * const relu = builtinArtifact('relu');
 * // The arc-cosine kernel: (sin θ + (π − θ) cos θ)/(2π) with cos θ = ρ = 0.5.
 * dualActivation(relu, ACTIVATIONS.relu, 1, 0.5, 1); // ≈ (Math.sqrt(3) / 2 + (Math.PI - Math.acos(0.5)) * 0.5) / (2 * Math.PI)
 * dualActivation(relu, ACTIVATIONS.relu, 1, 0.5, 1); // ≈ 0.30449889052211465
 * dualActivation(relu, ACTIVATIONS.relu, 1, 0.5, 1, { integrand: 'dsigma' }); // ≈ 1 / 3
 * dualActivation(relu, ACTIVATIONS.relu, 1, -1, 1); // → 0
 * dualActivation(relu, ACTIVATIONS.relu, 1, 2, 1); // throws DomainError
 * ```
 */
export function dualActivation(
  artifact: PfaffianArtifact,
  functions: SigmaSpec | IntegrandFunctions,
  a: number,
  c: number,
  b: number,
  options: DualActivationOptions = {},
): number {
  return dualActivationWithError(artifact, functions, a, c, b, options).value;
}

/**
 * `dualActivation` with its error estimate: `{ value, error, route }`, `error` an estimate of |value − E| (absolute)
 * from the route that produced the value (ACCURACY.md §8: the path's perturbation, the quadrature's last change, the
 * interpolant's check). Absolute, so the estimates of a sum of terms add: Σ c_k E_k has error ≤ Σ |c_k|·error_k (an
 * activation split into pieces is such a sum, route `pieces`). The tolerance is enforced as in `dualActivation`
 * (pass `tolerance: Infinity` to get whatever the best route gave).
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * import { builtinArtifact, dualActivationWithError } from '@holonomic-ntk/hgm-runtime';
 * const gelu = builtinArtifact('gelu');
 * const r = dualActivationWithError(gelu, ACTIVATIONS.gelu, 1, 0.5, 1, { integrand: 'dsigma' });
 * r.value; // ≈ 0.3422672424594431
 * r.error < 1e-12 * r.value; // → true
 * r.route; // → 'taylor'
 * // Small variances: the path is ill-conditioned there (its estimate says so), a quadrature serves the point.
 * dualActivationWithError(gelu, ACTIVATIONS.gelu, 0.05, -0.045, 0.05, { integrand: 'dsigma' }).route; // → 'gauss-hermite'
 * ```
 */
export function dualActivationWithError(
  artifact: PfaffianArtifact,
  functions: SigmaSpec | IntegrandFunctions,
  a: number,
  c: number,
  b: number,
  options: DualActivationOptions = {},
): DualEstimate {
  const dual = resolveTerms(artifact, functions, options.integrand ?? 'sigma');
  const p = dualOfTerms(dual, a, c, b, options);
  enforceTolerance(dual, a, c, b, p, options);
  return { value: p.value, error: p.error, route: p.route };
}

/**
 * A value with an estimate of its absolute error and the route that produced it (`dualActivationWithError`).
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * import { builtinArtifact, dualActivationWithError, type DualEstimate } from '@holonomic-ntk/hgm-runtime';
 * const r: DualEstimate = dualActivationWithError(builtinArtifact('relu'), ACTIVATIONS.relu, 1, -1, 1);
 * r; // → { value: 0, error: 0, route: 'boundary' }
 * ```
 */
export interface DualEstimate {
  value: number;
  /** Estimate of |value − E|, absolute (estimates of terms add). */
  error: number;
  route: DualRoute;
}

/**
 * Which route produced a value: `boundary` (1-D quadrature: |ρ| = 1, a = 0 or b = 0), `taylor` (Taylor series of the
 * path in ρ), `path` (DOP853 path from ρ = 0), `outward` (path integrated from near |ρ| = 1, E recessive there),
 * `interpolant` (Chebyshev interpolant near |ρ| = 1 of the rank-8 systems), `gauss-hermite` (product rule, smooth σ),
 * `quadrature` (nested 2-D tanh-sinh), `grid` (scattered-batch interpolation), `series` (the x12-series near ρ = 0 of
 * a system singular there, src/offsetStart.ts), `pieces` (the sum of the pair terms of an activation split into
 * pieces), `hermite` (the Hermite series of the summed pieces, where the pair terms cancel).
 *
 * @example
 * ```ts
 * import type { DualRoute } from '@holonomic-ntk/hgm-runtime';
 * const route: DualRoute = 'taylor';
 * route; // → 'taylor'
 * ```
 */
export type DualRoute = 'boundary' | 'taylor' | 'path' | 'outward' | 'interpolant' | 'gauss-hermite' | 'quadrature' | 'grid' | 'series' | 'pieces' | 'hermite';

/** The default relative tolerance of method 'auto' (the accuracy this runtime states, ACCURACY.md). */
export const DEFAULT_TOLERANCE = 1e-12;

/**
 * Default absolute tolerance, in units of S = √(E[φ(u)²]E[ψ(v)²]) (≥ |E|, Cauchy–Schwarz): ~450 ulps of the
 * integrand's own scale, what every route's estimate stays below where E is 0 or nearly (a zero crossing inside,
 * gelu σ at ρ < 0; a resin value ~1e-16 at ρ = 1), where a relative tolerance cannot be met and the estimates, which
 * are relative to the terms rather than to E there, are pessimistic by 10–100. The stated accuracy is therefore
 * max(1e-12·|E|, 1e-13·S): relative for |E| ≥ 0.1·S. (The values themselves are ~1e-16·S off there: ACCURACY.md §8.)
 */
const ABSOLUTE_FLOOR = 1e-13;

/** The result of the last `dualPoint` (reused: no allocation on the hot path). */
const point: DualEstimate = { value: NaN, error: NaN, route: 'path' };

function setPoint(value: number, error: number, route: DualRoute): DualEstimate {
  point.value = value;
  point.error = error;
  point.route = route;
  return point;
}

/** Relative tolerance that decides routing and enforcement: the option, else the default (method 'auto') or none. */
function toleranceOf(options: DualActivationOptions): number {
  return options.tolerance ?? (options.method === 'path' || options.method === 'quadrature' ? Infinity : DEFAULT_TOLERANCE);
}

/** error ≤ max(tolerance·|value|, absolute tolerance): the absolute one (S·ABSOLUTE_FLOOR by default) only if needed. */
function acceptable(r: Factors, a: number, b: number, value: number, error: number, tolerance: number, options: DualActivationOptions): boolean {
  if (error <= tolerance * Math.abs(value)) return true;
  if (!(error < Infinity)) return false;
  return error <= (options.absoluteTolerance ?? ABSOLUTE_FLOOR * integrandScale(r, a, b));
}

/** `acceptable` for a whole dual (one term, or the sum of the pair terms of pieces): its scale is `dualScale`. */
function dualAcceptable(dual: Dual, a: number, b: number, value: number, error: number, tolerance: number, options: DualActivationOptions): boolean {
  if (error <= tolerance * Math.abs(value)) return true;
  if (!(error < Infinity)) return false;
  return error <= (options.absoluteTolerance ?? ABSOLUTE_FLOOR * dualScale(dual, a, b));
}

/** S = √(E[φ(u)²]·E[ψ(v)²]), u ~ N(0, a), v ~ N(0, b) (1-D quadratures, cached per (spec, variance)). */
function integrandScale(r: Factors, a: number, b: number): number {
  return Math.sqrt(Math.abs(boundaryValue(r.phi, r.phi, a, a, 1)) * Math.abs(boundaryValue(r.psi, r.psi, b, b, 1)));
}

/**
 * S of a whole dual: of its one system's factors, or for pieces of the whole σ (φ = ψ = Σ σ_i) when its function is
 * known, else Σ over the pair terms of theirs (≥ the whole's, by the triangle inequality: a looser absolute tolerance).
 */
function dualScale(dual: Dual, a: number, b: number): number {
  if (dual.terms.length === 1) return integrandScale(dual.terms[0]!.r, a, b);
  if (dual.whole) return integrandScale({ phi: dual.whole, psi: dual.whole }, a, b);
  let sum = 0;
  for (const t of dual.terms) sum += t.swap ? integrandScale(t.r, b, a) : integrandScale(t.r, a, b);
  return sum;
}

function enforceTolerance(
  dual: Dual,
  a: number,
  c: number,
  b: number,
  p: { value: number; error: number; route?: DualRoute },
  options: DualActivationOptions,
  name = '',
): void {
  const tolerance = toleranceOf(options);
  if (tolerance === Infinity || dualAcceptable(dual, a, b, p.value, p.error, tolerance, options)) return;
  throw new IntegrationError(
    `${name}E[${dual.integrand === 'sigma' ? 'σσ' : 'σ̇σ̇'}] at (a, c, b) = (${a}, ${c}, ${b}): estimated error ${p.error.toExponential(1)}${p.route ? ` (route '${p.route}')` : ''} exceeds the tolerance ${tolerance}·|E| = ${(tolerance * Math.abs(p.value)).toExponential(1)} and the absolute ` +
      `${(options.absoluteTolerance ?? ABSOLUTE_FLOOR * dualScale(dual, a, b)).toExponential(1)}; pass a larger \`tolerance\` to accept it`,
  );
}

/** One value of a whole dual: its one system's `dualPoint`, or the sum of the pair terms of pieces (`settleSum`). */
function dualOfTerms(dual: Dual, a: number, c: number, b: number, options: DualActivationOptions): DualEstimate {
  if (dual.terms.length === 1) return dualPoint(dual.terms[0]!.r, a, c, b, options);
  classifyCovariance(a, c, b); // a DomainError before any term is computed
  let sum = 0;
  let abs = 0;
  let error = 0;
  for (const t of dual.terms) {
    const p = t.swap ? dualPoint(t.r, b, c, a, options) : dualPoint(t.r, a, c, b, options);
    sum += p.value;
    abs += Math.abs(p.value);
    error += p.error;
  }
  return settleSum(dual, a, c, b, sum, abs, error, options);
}

/**
 * The sum of the pair terms with the sum of their estimates, unless that misses the tolerance of the sum (the terms
 * cancel: SELU's mean at unit variance, gabor σ̇ at large variances, where each term's error is relative to the term):
 * then the Hermite series of the summed coefficients (the pieces are added before the products are formed, so
 * nothing cancels at the end; src/hermiteExpansion.ts), else the 2-D quadrature of the whole integrand, whichever
 * estimate is smallest.
 */
function settleSum(dual: Dual, a: number, c: number, b: number, sum: number, abs: number, error: number, options: DualActivationOptions): DualEstimate {
  const tolerance = toleranceOf(options);
  if (options.method === 'path' || options.method === 'quadrature') return setPoint(sum, error, 'pieces');
  let best = { value: sum, error, route: 'pieces' as DualRoute };
  const accepted = () => dualAcceptable(dual, a, b, best.value, best.error, tolerance, options);
  // The terms again, each to its share of the sum's tolerance: their own routing looked at their own size.
  const budget = accepted() ? 0 : Math.max(tolerance * Math.abs(sum), options.absoluteTolerance ?? ABSOLUTE_FLOOR * dualScale(dual, a, b)) / dual.terms.length;
  if (budget > 0) {
    const share: DualActivationOptions = { ...options, tolerance: 0, absoluteTolerance: budget };
    let again = 0;
    let againError = 0;
    for (const t of dual.terms) {
      const p = t.swap ? dualPoint(t.r, b, c, a, share) : dualPoint(t.r, a, c, b, share);
      again += p.value;
      againError += p.error;
    }
    if (againError < best.error) best = { value: again, error: againError, route: 'pieces' };
  }
  // Terms that cancel (Σ|terms| > CANCELLATION·|Σ|) meet the tolerance at best absolutely: the Hermite series of the
  // summed pieces may give the small value relatively (SELU's mean at ρ = 0, 8.5e-11 of O(1) terms).
  if (!accepted() || (abs > CANCELLATION * Math.abs(sum) && best.error > tolerance * Math.abs(best.value))) {
    const h = hermiteOfSum(dual, a, c, b);
    if (h && h.error < best.error) best = { value: h.value, error: h.error, route: 'hermite' };
  }
  if (dual.whole && !dualAcceptable(dual, a, b, best.value, best.error, tolerance, options)) {
    const kind = classifyCovariance(a, c, b);
    const f = { phi: dual.whole, psi: dual.whole };
    const p =
      kind.kind === 'interior'
        ? tryQuadraturePoint(f, a, b, kind.rho, kind.tau)
        : setPoint(
            boundaryExpectation(dual.whole, dual.whole, a, b, kind.kind === 'boundary' ? kind.sign : 1, 1e-16, quadratureEstimate),
            quadratureEstimate.error,
            'boundary',
          );
    if (p && p.error < best.error) best = { value: p.value, error: p.error, route: p.route };
  }
  return setPoint(best.value, best.error, best.route);
}

/** Terms that cancel: Σ|terms| > CANCELLATION·|Σ terms| multiplies each term's relative error by that ratio. */
const CANCELLATION = 8;

/**
 * The Hermite series of the summed pieces (src/hermiteExpansion.ts) with its estimate; undefined where the artifact
 * has no such series or its own quadratures give up (gabor σ̇): it is a second opinion, the sum stands.
 */
function hermiteOfSum(dual: Dual, a: number, c: number, b: number): { value: number; error: number } | undefined {
  const parts = hermiteSummands(dual.artifact, dual.integrand);
  if (!parts) return undefined;
  try {
    return hermiteDualOfSum(parts, a, c, b);
  } catch (e) {
    if (e instanceof IntegrationError) return undefined;
    throw e;
  }
}

/** σ is entire (no kinks, no finite support): Gauss–Hermite product rules converge geometrically (small variances). */
function smooth(f: SigmaSpec): boolean {
  return f.kinks.length === 0 && !f.support;
}

/** The accurate route of an interior point: Gauss–Hermite rules for smooth φ, ψ if they converge, else nested tanh-sinh. */
function quadraturePoint(r: Factors, a: number, b: number, rho: number, tau: number): DualEstimate {
  if (smooth(r.phi) && smooth(r.psi)) {
    const v = gaussHermite2d(r.phi, r.psi, a, b, rho, tau, 0, quadratureEstimate);
    if (v !== undefined) return setPoint(v, quadratureEstimate.error, 'gauss-hermite');
  }
  const v = gaussianExpectation2d(r.phi, r.psi, a, b, rho, tau, { estimate: quadratureEstimate });
  return setPoint(v, quadratureEstimate.error, 'quadrature');
}
const quadratureEstimate: QuadratureEstimate = { abs: 0, error: 0 };

/**
 * `quadraturePoint` as a second opinion: undefined where its quadratures do not converge (IntegrationError), so the
 * value it was to improve stands with its own estimate (and the caller's tolerance check decides).
 */
function tryQuadraturePoint(r: Factors, a: number, b: number, rho: number, tau: number): DualEstimate | undefined {
  try {
    return quadraturePoint(r, a, b, rho, tau);
  } catch (e) {
    if (e instanceof IntegrationError) return undefined;
    throw e;
  }
}

/** `quadraturePoint` as a node evaluator of the Chebyshev interpolants (src/boundaryInterpolant.ts). */
function quadratureNode(r: Factors, a: number, b: number): (rho: number, tau: number, estimate: QuadratureEstimate) => number {
  return (rho, tau, estimate) => {
    const p = quadraturePoint(r, a, b, rho, tau);
    estimate.error = p.error;
    return p.value;
  };
}

/**
 * A curve side with at least WHOLE_SIDE_POINTS points the paths do not certify (outside the rank-8 band) gets one
 * interpolant on s ∈ [0, WHOLE_SIDE] (up to 65 quadrature nodes: fewer points are cheaper one by one).
 */
const WHOLE_SIDE = 1;
const WHOLE_SIDE_POINTS = 65;

/**
 * One point of one system, by the routes of the file comment, with its error estimate (into the reused `point`). With
 * method 'auto', a value whose estimate misses the tolerance is recomputed by the accurate route (`quadraturePoint`),
 * and the better of the two estimates is kept. Enforcing the tolerance (throwing) is the caller's: a sum of terms
 * checks its sum.
 */
function dualPoint(r: Resolved, a: number, c: number, b: number, options: DualActivationOptions): DualEstimate {
  const kind = classifyCovariance(a, c, b);
  if (kind.kind !== 'interior') {
    const v = boundaryExpectation(r.phi, r.psi, a, b, kind.kind === 'boundary' ? kind.sign : 1, 1e-16, quadratureEstimate);
    return setPoint(v, quadratureEstimate.error, 'boundary');
  }
  const { rho, tau } = kind;
  if (options.method === 'quadrature') {
    const v = gaussianExpectation2d(r.phi, r.psi, a, b, rho, tau, { estimate: quadratureEstimate });
    return setPoint(v, quadratureEstimate.error, 'quadrature');
  }
  const auto = options.method !== 'path';
  const tolerance = toleranceOf(options);
  const s = tau / (1 + Math.abs(rho));
  const q = rho < 0 ? -1 : 1;
  if (auto && s < STRONG_BOUNDARY_MIN_S && boundaryPoleOrder(r.system) > STRONG_POLE_ORDER) {
    // Repeated points of this (a, b, side) use the Chebyshev interpolant of E on [0, 0.05] (src/boundaryInterpolant.ts).
    const p = boundaryInterpolant(r.phi, r.psi, a, b, q, STRONG_BOUNDARY_MIN_S, KAPPA_SWITCH);
    if (p) {
      const v = p.value(s);
      if (acceptable(r, a, b, v, p.error, tolerance, options)) return setPoint(v, p.error, 'interpolant');
    }
    return quadraturePoint(r, a, b, rho, tau);
  }
  let E: number;
  let maxAbsE: number;
  let deltaE: number;
  let tol: number;
  let cancellation = 0;
  let route: DualRoute = 'path';
  /** What the guarded checks add to the path's estimate (`grownError`, Cauchy–Schwarz). */
  let extra = 0;
  const offset = singularAtRhoZero(r.system);
  if (offset && Math.abs(rho) <= OFFSET_RHO) {
    const scale = scaleScratch(r.system.rank);
    const G = seriesVector(r.system, r.integrand, r.fns, a, b, rho, scale);
    return setPoint(G[r.indexOfOne]!, seriesError(scale[r.indexOfOne]!), 'series');
  }
  const G = taylorScratch(r.system.rank);
  const defaults = usesDefaults(options);
  let taylor: TaylorStats | undefined;
  if (!r.guarded && defaults && s >= TAYLOR_MIN_S && useTaylor(r, a, b, options.integrator ?? 'auto')) {
    const scale0 = scaleScratch(r.system.rank);
    const G0 = pathInitialValue(r.system, r.integrand, r.fns, a, b, scale0);
    const delta = pathPerturbation(r.system, G0, a, b, deltaScratch(r.system.rank), scale0);
    // The forced path (a measurement) is never abandoned.
    taylor = taylorPath(r.system, G0, a, b, rho, G, TAYLOR_MAX_TERMS, delta, auto ? PATH_DELTA_LIMIT : Infinity);
  }
  if (taylor?.ok) {
    // A new (a, b): one Taylor solve, no dense path (5–10× cheaper than the DOP853 path, ACCURACY.md §3). A stiff
    // path (term budget exceeded) falls through to the DOP853 curve.
    maxAbsE = taylor.maxAbsE;
    E = G[r.indexOfOne]!;
    deltaE = deltaScratch(r.system.rank)[r.indexOfOne]!;
    tol = TAYLOR_TOLERANCE;
    route = 'taylor';
    cancellation = s < CANCELLATION_MAX_S ? pathCancellation(r.system, a, b, q)(s, G) : 0;
  } else if (taylor?.abandoned) {
    // The perturbation outgrew PATH_DELTA_LIMIT: no path serves this point (the DOP853 curve would stop too).
    E = NaN;
    maxAbsE = NaN;
    deltaE = Infinity;
    tol = 0;
  } else if (defaults && auto) {
    // Repeated use: the path of (a, b) is kept with dense output and extended on demand (src/pathCurve.ts). A
    // system with a pole at ρ = 0 starts at ρ = ±OFFSET_RHO from the x12-series (src/offsetStart.ts).
    cachedCurve(r, a, b, q, options, RTOL).evaluate(s, scratch, pathOffset(rho, tau));
    E = scratch[0]!;
    maxAbsE = scratch[1]!;
    deltaE = scratch[2]!;
    cancellation = scratch[3]!;
    tol = RTOL;
    if (r.guarded) {
      // The same path at 100× the tolerance (see `grownError`), also kept: one more interpolation per point.
      cachedCurve(r, a, b, q, options, 100 * RTOL).evaluate(s, scratch, pathOffset(rho, tau));
      extra = grownError(E, scratch[0]!);
    }
  } else {
    // Solver options of the caller or the forced path (no cache, never abandoned). Above s = 0.5 through the
    // interpolant and the accurate offset 1 − s (see PathCurve.evaluate); odex has no dense output, so it integrates
    // to the rounded s. A system with a pole at ρ = 0 starts off it (src/offsetStart.ts).
    const sStart = offset ? OFFSET_S : 1;
    const near = !offset && s > 0.5 && options.solver !== 'odex';
    const G0 = pathStart(r, a, b, q);
    const scale0 = pathStartScale(r, a, b, q);
    const sol = solvePath(r.system, G0, a, b, q, near ? 0.5 : s, {
      ...pathOptions(options),
      dense: near,
      sStart,
      delta: pathPerturbation(r.system, G0, a, b, undefined, scale0),
    });
    E = near && sol.dense ? sol.dense.evaluateComponentOffset(1, -pathOffset(rho, tau), r.indexOfOne) : sol.G[r.indexOfOne]!;
    maxAbsE = Math.max(sol.maxAbsE, Math.abs(E));
    deltaE = Math.abs(sol.delta![r.indexOfOne]!);
    tol = options.rtol ?? RTOL;
    cancellation = near ? 0 : pathCancellation(r.system, a, b, q)(s, sol.G);
    if (r.guarded && auto && s < sStart) {
      const loose = solvePath(r.system, G0, a, b, q, s, { ...pathOptions(options), rtol: 100 * tol, sStart }).G[r.indexOfOne]!;
      extra = grownError(E, loose);
    }
  }
  if (r.guarded && auto && !(Math.abs(E) <= SCHWARZ_SLACK * integrandScale(r, a, b))) {
    // |E[φψ]| ≤ ‖φ‖‖ψ‖: a value beyond it is not E (initial moments of an oscillating σ at large variance are tiny
    // cancellations with absolute errors only, and the path amplifies them).
    extra = Infinity;
  }
  if (!auto) return setPoint(E, pathError(E, deltaE, tol, cancellation), route);
  if (!(maxAbsE <= KAPPA_SWITCH * Math.abs(E)) && maxAbsE < Infinity && recessiveAtBoundary(r, a, b, q, maxAbsE)) {
    // E recessive: the outward curve from near the boundary (cached per (a, b, q); one start serves every later
    // point of the side). Needs a monomial basis and a regular boundary point (pole order 1, the rank-2
    // systems); the rank-8 systems are stiff in both directions there (ACCURACY.md), so 2-D quadrature.
    if (defaults && monomialBasis(r.system) && boundaryPoleOrder(r.system) <= STRONG_POLE_ORDER) {
      const bc = boundaryCurve(r.system, r.integrand, r.fns, r.phi, r.psi, a, b, q, s, 1, r.indexOfOne, pathOptions(options));
      if (s <= bc.sReached) {
        const v = bc.value(s);
        const error = pathError(v, bc.deltaAt(s), RTOL);
        if (acceptable(r, a, b, v, error, tolerance, options)) return setPoint(v, error, 'outward');
      }
    }
    return tryQuadraturePoint(r, a, b, rho, tau) ?? setPoint(E, pathError(E, deltaE, tol, cancellation) + extra, route);
  }
  // NaN: the path was abandoned (no value), or a check could not be made.
  const estimated = pathError(E, deltaE, tol, cancellation) + extra;
  const error = Number.isNaN(estimated) ? Infinity : estimated;
  if (acceptable(r, a, b, E, error, tolerance, options)) return setPoint(E, error, route);
  if (route === 'path') {
    // The DOP853 curve's estimate carries its rtol; the Taylor series (tail 1e-16) may certify the point.
    const t = defaults && !r.guarded ? taylorPoint(r, a, b, rho, s) : undefined;
    if (t && acceptable(r, a, b, t.value, t.error, tolerance, options)) return setPoint(t.value, t.error, 'taylor');
  }
  if (defaults && !(s < CANCELLATION_MAX_S && strongBoundary(r.system))) {
    // Kept like the default curve (src/pathCurve.ts): repeated points of this (a, b, side) are one interpolation.
    cachedCurve(r, a, b, q, options, TIGHT_RTOL).evaluate(s, scratch, pathOffset(rho, tau));
    const t = scratch[0]!;
    const e = pathError(t, scratch[2]!, TIGHT_RTOL, scratch[3]!);
    if (acceptable(r, a, b, t, e, tolerance, options)) return setPoint(t, e, 'path');
  }
  // The path's estimate misses the tolerance (ill-conditioned: small variances of gelu σ̇; the band |ρ| > 0.9 of the
  // rank-8 systems, ACCURACY.md §8): the accurate route, unless the path was still the better one. In the band,
  // repeated points of an (a, b, side) use a Chebyshev interpolant of E on [0, CANCELLATION_MAX_S] (built from 2-D
  // quadratures at the BUILD_AFTER_POINTS-th such point).
  if (s < CANCELLATION_MAX_S && strongBoundary(r.system)) {
    const p = boundaryInterpolant(r.phi, r.psi, a, b, q, CANCELLATION_MAX_S, KAPPA_SWITCH, false, quadratureNode(r, a, b));
    if (p) {
      const v = p.value(s);
      if (acceptable(r, a, b, v, p.error, tolerance, options)) return setPoint(v, p.error, 'interpolant');
    }
  } else if (defaults) {
    // Repeated points of this (a, b, side) that the paths do not certify: an interpolant over the whole side, built at
    // the BUILD_AFTER_POINTS-th such point (a quadrature each until then).
    const p = boundaryInterpolant(r.phi, r.psi, a, b, q, WHOLE_SIDE, KAPPA_SWITCH, false, quadratureNode(r, a, b));
    if (p) {
      const v = p.value(s);
      if (acceptable(r, a, b, v, p.error, tolerance, options)) return setPoint(v, p.error, 'interpolant');
    }
  }
  const p = tryQuadraturePoint(r, a, b, rho, tau);
  return p && p.error < error ? p : setPoint(E, error, route);
}

/**
 * Solver tolerance of the retry of a path value whose estimate missed the tolerance: DOP853's own terms (PATH_SOLVER,
 * PATH_DENSE) are most of the estimate where E is small against the terms that make it (gelu σ at −0.9 < ρ < −0.5:
 * estimates 1.1–3e-12·|E| at rtol 1e-14, 0.35–1.1e-12 at 1e-16, errors ~1e-14, measured), so one more path at this
 * tolerance (1–20 ms, one per curve side) certifies most of them before a quadrature (0.2–0.3 s per point) is needed.
 */
const TIGHT_RTOL = 1e-16;

/** Error tolerance of the Taylor path's series (its TAIL_TOLERANCE), for `pathError`. */
const TAYLOR_TOLERANCE = 1e-16;

/**
 * The Taylor path alone for one interior point (|ρ| ≤ 0.99), with its estimate: the second try of a point the DOP853
 * path's estimate did not certify (its rtol terms are ~100× the Taylor series' 1e-16), before a quadrature.
 * Undefined if the series needs more than its term budget or the perturbation was abandoned.
 */
function taylorPoint(r: Resolved, a: number, b: number, rho: number, s: number): { value: number; error: number } | undefined {
  if (s < TAYLOR_MIN_S) return undefined;
  const G = taylorScratch(r.system.rank);
  const scale0 = scaleScratch(r.system.rank);
  const G0 = pathInitialValue(r.system, r.integrand, r.fns, a, b, scale0);
  const delta = pathPerturbation(r.system, G0, a, b, deltaScratch(r.system.rank), scale0);
  const t = taylorPath(r.system, G0, a, b, rho, G, TAYLOR_MAX_TERMS, delta, PATH_DELTA_LIMIT);
  if (!t.ok) return undefined;
  const E = G[r.indexOfOne]!;
  const K = s < CANCELLATION_MAX_S ? pathCancellation(r.system, a, b, rho < 0 ? -1 : 1)(s, G) : 0;
  return { value: E, error: pathError(E, delta[r.indexOfOne]!, TAYLOR_TOLERANCE, K) };
}

const scaleOut = new Map<number, Float64Array>();
function scaleScratch(rank: number): Float64Array {
  let hit = scaleOut.get(rank);
  if (!hit) scaleOut.set(rank, (hit = new Float64Array(rank)));
  return hit;
}

const deltaOut = new Map<number, Float64Array>();
function deltaScratch(rank: number): Float64Array {
  let hit = deltaOut.get(rank);
  if (!hit) deltaOut.set(rank, (hit = new Float64Array(rank)));
  return hit;
}

/**
 * A guarded system's path value E against the same path solved at 100× the tolerance (`loose`): solver errors grow
 * along the path like the dominant solutions, so the loose solve's error is ~100× the tight one's and
 * |loose − E|/GROWTH_RATIO bounds the tight one's with a margin of 4 (the path's own estimate, `pathError`, follows
 * the start's rounding, not a solution that outgrows E: ELU's e^v·Y(v) beside e^v·Y(−v) at large variances).
 */
function grownError(E: number, loose: number): number {
  const d = Math.abs(loose - E);
  return Number.isNaN(d) ? Infinity : d / GROWTH_RATIO;
}
const GROWTH_RATIO = 25;

/** Slack of the Cauchy–Schwarz check (the norms are quadratures, accurate to ~1e-15 relative). */
const SCHWARZ_SLACK = 1 + 1e-9;

/**
 * The start vector of the path of (a, b) on side q: at ρ = 0 (moment products), or for a system singular at ρ = 0 the
 * x12-series at ρ = q·OFFSET_RHO (src/offsetStart.ts; the path then starts at s = OFFSET_S).
 */
function pathStart(r: Resolved, a: number, b: number, q: 1 | -1): Float64Array {
  return singularAtRhoZero(r.system) ? seriesVector(r.system, r.integrand, r.fns, a, b, q * OFFSET_RHO) : pathInitialValue(r.system, r.integrand, r.fns, a, b);
}

/** The scale each component of `pathStart` is computed at (its rounding is relative to it), a fresh array. */
function pathStartScale(r: Resolved, a: number, b: number, q: 1 | -1): Float64Array {
  if (!singularAtRhoZero(r.system)) return pathInitialScale(r.system, r.integrand, r.fns, a, b);
  const scale = new Float64Array(r.system.rank);
  seriesVector(r.system, r.integrand, r.fns, a, b, q * OFFSET_RHO, scale);
  return scale;
}

/** The cached dense path of (a, b) on side q at this solver tolerance (src/pathCurve.ts), from `pathStart`. */
function cachedCurve(r: Resolved, a: number, b: number, q: 1 | -1, options: DualActivationOptions, rtol: number): PathCurve {
  return pathCurve(
    r.system,
    r.integrand,
    r.phi,
    r.psi,
    a,
    b,
    q,
    () => pathStart(r, a, b, q),
    r.indexOfOne,
    { ...pathOptions(options), rtol },
    singularAtRhoZero(r.system) ? OFFSET_S : 1,
    () => pathStartScale(r, a, b, q),
  );
}

/** The boundary value of E is below max|E|/KAPPA_SWITCH: large κ means recessive, not a zero crossing. */
function recessiveAtBoundary(r: Resolved, a: number, b: number, q: 1 | -1, maxAbsE: number): boolean {
  return Math.abs(boundaryValue(r.phi, r.psi, a, b, q)) * KAPPA_SWITCH <= maxAbsE;
}

const monomialBases = new WeakMap<PfaffianSystem, boolean>();
function monomialBasis(system: PfaffianSystem): boolean {
  let hit = monomialBases.get(system);
  if (hit === undefined) {
    hit = system.basis.every((label) => {
      try {
        parseDMonomial(label);
        return true;
      } catch {
        return false;
      }
    });
    monomialBases.set(system, hit);
  }
  return hit;
}

/** A curve or batch builds the boundary interpolant when it has at least this many points with |ρ| > 0.995 on a side. */
const CURVE_INTERPOLANT_POINTS = 40;

const scratch = new Float64Array(4);

/** The Taylor path serves |ρ| ≤ 0.99 (s ≥ this); closer to the boundary its steps shrink with 1 − |ρ|. */
const TAYLOR_MIN_S = Math.sqrt(1 - 0.99 * 0.99) / 1.99;

const taylorOut = new Map<number, Float64Array>();
function taylorScratch(rank: number): Float64Array {
  let hit = taylorOut.get(rank);
  if (!hit) taylorOut.set(rank, (hit = new Float64Array(rank)));
  return hit;
}

/** (a, b) pairs seen by single points, per system and integrand: the second point of a pair builds the dense path. */
const seenPairs = new WeakMap<PfaffianSystem, Set<string>>();
const SEEN_PAIRS = 4096;

function useTaylor(r: Resolved, a: number, b: number, integrator: 'auto' | 'taylor' | 'dop853'): boolean {
  if (integrator !== 'auto') return integrator === 'taylor';
  let seen = seenPairs.get(r.system);
  if (!seen) seenPairs.set(r.system, (seen = new Set()));
  const key = `${r.integrand}:${a}:${b}`;
  if (seen.has(key)) return false;
  if (seen.size >= SEEN_PAIRS) seen.delete(seen.values().next().value!);
  seen.add(key);
  return true;
}

/** Default solver settings and no statistics requested: the cached curve gives the same values. */
function usesDefaults(options: DualActivationOptions): boolean {
  return options.rtol === undefined && options.atolFactor === undefined && options.solver === undefined && options.stats === undefined;
}

/**
 * All-at-once evaluation for one (a, b) and many c: per sign of c ONE integration of the HGM path with dense
 * output, then each value is an interpolation (~0.1 µs). Values in the order of `cs`.
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * import { builtinArtifact, dualActivationCurve } from '@holonomic-ntk/hgm-runtime';
 * // E[Y(u)Y(v)] for relu' = Y at a = b = 1: (π − arccos c)/(2π).
 * const E = dualActivationCurve(builtinArtifact('relu'), ACTIVATIONS.relu, 1, 1, [-1, -0.5, 0, 0.5, 1], { integrand: 'dsigma' });
 * E[0]; // → 0
 * E[1]; // ≈ 1 / 6
 * E[2]; // ≈ 1 / 4
 * E[3]; // ≈ 1 / 3
 * E[4]; // ≈ 1 / 2
 * ```
 */
export function dualActivationCurve(
  artifact: PfaffianArtifact,
  functions: SigmaSpec | IntegrandFunctions,
  a: number,
  b: number,
  cs: ArrayLike<number>,
  options: DualActivationOptions = {},
): Float64Array {
  const dual = resolveTerms(artifact, functions, options.integrand ?? 'sigma');
  const name = (i: number) => `cs[${i}]`;
  const { out, err, abs } = sumOfTerms(dual, cs.length, options, (t, part, partErr) =>
    curveInto(t.r, t.swap ? b : a, t.swap ? a : b, cs, part, partErr, undefined, options, name),
  );
  settleAll(
    dual,
    () => a,
    (k) => cs[k]!,
    () => b,
    out,
    err,
    abs,
    options,
  );
  enforceAll(
    dual,
    () => a,
    (k) => cs[k]!,
    () => b,
    out,
    err,
    options,
    name,
  );
  return out;
}

/**
 * Σ over the terms of a dual of what `fill` writes for each, values and estimates (one term: written in place; the
 * estimates into the `errors` option when given).
 */
function sumOfTerms(
  dual: Dual,
  n: number,
  options: DualActivationOptions,
  fill: (t: Term, out: Float64Array, err: Float64Array) => void,
): { out: Float64Array; err: Float64Array; abs: Float64Array } {
  const out = new Float64Array(n);
  const err = errorsOf(options, n);
  fill(dual.terms[0]!, out, err);
  if (dual.terms.length === 1) return { out, err, abs: out };
  const abs = out.map(Math.abs);
  const part = new Float64Array(n);
  const partErr = new Float64Array(n);
  for (let k = 1; k < dual.terms.length; k++) {
    fill(dual.terms[k]!, part, partErr);
    for (let i = 0; i < n; i++) {
      out[i]! += part[i]!;
      abs[i]! += Math.abs(part[i]!);
      err[i]! += partErr[i]!;
    }
  }
  return { out, err, abs };
}

/** Sums of pair terms whose estimates miss the tolerance of the sum: `settleSum`, point by point. */
function settleAll(
  dual: Dual,
  a: (k: number) => number,
  c: (k: number) => number,
  b: (k: number) => number,
  out: Float64Array,
  err: Float64Array,
  abs: Float64Array,
  options: DualActivationOptions,
): void {
  if (dual.terms.length === 1) return;
  for (let k = 0; k < out.length; k++) {
    const p = settleSum(dual, a(k), c(k), b(k), out[k]!, abs[k]!, err[k]!, options);
    out[k] = p.value;
    err[k] = p.error;
  }
}

/** The `errors` option if it has room for n estimates (RangeError if it is too short), else a scratch array. */
function errorsOf(options: DualActivationOptions, n: number): Float64Array {
  if (!options.errors) return new Float64Array(n);
  if (options.errors.length < n) throw new RangeError(`errors has length ${options.errors.length}, need ${n}`);
  return options.errors;
}

/**
 * Many Λ at once, in any order. Few distinct (a, b): grouped by (a, b), each group evaluated as a curve
 * (`dualActivationCurve`). Many (≥ SCATTERED_MIN_GROUPS, e.g. a Gram matrix of inputs with different norms):
 * interpolated from node paths on an adaptive Chebyshev grid in (a or √a, b or √b, θ) (src/scatteredBatch.ts), with
 * the items the grid cannot serve to ≤ 1e-11 relative (|ρ| = 1, rank-8 |ρ| > 0.99, small |E|) left to the groups.
 * Values in input order. A DomainError names the offending item, e.g. `items[3]: c = 3 gives |ρ| = 1.5 > 1 …`.
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * import { builtinArtifact, dualActivationBatch } from '@holonomic-ntk/hgm-runtime';
 * const relu = builtinArtifact('relu');
 * const items = [{ a: 1, c: 0.5, b: 1 }, { a: 4, c: 0, b: 9 }, { a: 2, c: -2, b: 2 }];
 * const E = dualActivationBatch(relu, ACTIVATIONS.relu, items, { integrand: 'dsigma' });
 * E[0]; // ≈ 1 / 3
 * E[1]; // ≈ 1 / 4
 * E[2]; // → 0
 * dualActivationBatch(relu, ACTIVATIONS.relu, [{ a: 1, c: 3, b: 1 }]); // throws DomainError
 * ```
 */
export function dualActivationBatch(
  artifact: PfaffianArtifact,
  functions: SigmaSpec | IntegrandFunctions,
  items: readonly { a: number; c: number; b: number }[],
  options: DualActivationOptions = {},
): Float64Array {
  const dual = resolveTerms(artifact, functions, options.integrand ?? 'sigma');
  const swapped = dual.terms.some((t) => t.swap) ? items.map(({ a, c, b }) => ({ a: b, c, b: a })) : items;
  const total = items.length * dual.terms.length;
  let done = 0;
  const progress = options.onProgress ? (n: number) => options.onProgress!((done += n), total) : undefined;
  const { out, err, abs } = sumOfTerms(dual, items.length, options, (t, part, partErr) =>
    batchInto(t.r, t.swap ? swapped : items, part, partErr, options, progress, dual.terms.length === 1 ? annihilatorOf(dual) : undefined),
  );
  settleAll(
    dual,
    (k) => items[k]!.a,
    (k) => items[k]!.c,
    (k) => items[k]!.b,
    out,
    err,
    abs,
    options,
  );
  enforceAll(
    dual,
    (k) => items[k]!.a,
    (k) => items[k]!.c,
    (k) => items[k]!.b,
    out,
    err,
    options,
    (k) => `items[${k}]`,
  );
  return out;
}

/** `dualActivationBatch` for one system and its two factors, into `out` and `err`. */
function batchInto(
  r: Resolved,
  items: readonly { a: number; c: number; b: number }[],
  out: Float64Array,
  err: Float64Array,
  options: DualActivationOptions,
  progress?: (served: number) => void,
  /** The annihilator of the integrand's σ (one-term duals), for the Hermite series of smooth σ near |ρ| = 1. */
  annihilator?: string,
): void {
  const rest =
    options.method === 'path' || options.method === 'quadrature' || options.scattered === 'never' || r.guarded
      ? undefined
      : scatteredInto(r, items, out, err, options, annihilator);
  if (rest) progress?.(items.length - rest.length);
  const groups = new Map<string, number[]>();
  const add = (i: number): void => {
    const it = items[i]!;
    const key = `${it.a}:${it.b}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(i);
  };
  if (rest) for (const i of rest) add(i);
  else for (let i = 0; i < items.length; i++) add(i);
  for (const idx of groups.values()) {
    const { a, b } = items[idx[0]!]!;
    const cs = Float64Array.from(idx, (i) => items[i]!.c);
    curveInto(r, a, b, cs, out, err, idx, options, (k) => `items[${idx[k]}]`);
    progress?.(idx.length);
  }
}

/** The annihilator the artifact states for the dual's integrand (σ or σ̇), if any. */
function annihilatorOf(dual: Dual): string | undefined {
  const op: unknown = dual.artifact.activation[dual.integrand === 'sigma' ? 'annihilator' : 'dsigmaAnnihilator'];
  return typeof op === 'string' ? op : undefined;
}

/** Tolerance of the scattered grid's node paths (default options): see scatteredInto. */
const SCATTERED_NODE_RTOL = 1e-15;

/** Below this many distinct (a, b) a batch is not worth a grid: the first level alone has 28 node paths + 12 checks. */
export const SCATTERED_MIN_GROUPS = 64;

/**
 * The grid may use at most this fraction of the group count in node paths: above it, grouping is cheaper (the
 * per-item interpolation and a declined attempt have to be paid from the difference).
 */
const SCATTERED_MAX_PATH_FRACTION = 0.5;

/**
 * Strong-boundary (rank-8) systems: the grid covers |ρ| ≤ 0.9 only (s ≥ CANCELLATION_MAX_S). Beyond, the node paths
 * carry the error of the matrix cancellation (pathError's K term: ~2e-12 at |ρ| = 0.99 for gelu σ, ACCURACY.md §8),
 * which the grid's checks cannot tell from interpolation error (they stalled at 5e-13); those items take the
 * per-(a, b) routes. (Before the estimates, 0.99: the node paths' 1e-12 there went unnoticed.)
 */
const SCATTERED_STRONG_MIN_S = CANCELLATION_MAX_S;

/**
 * The order k of E ~ w^k as the wedge u, v > 0 closes (w = π − θ → 0) for φ, ψ supported on [0, ∞): 1 + p + q with
 * σ(u) ~ u^p at 0+ (relu, resin σ: p = 1; step, resin σ̇: 0), read off σ(2h)/σ(h); 0 (no normalization) for other
 * supports or an order that is not a clear integer.
 */
function wedgeOrder(phi: SigmaSpec, psi: SigmaSpec): number {
  const half = (f: SigmaSpec): boolean => f.support !== undefined && f.support[0] === 0 && f.support[1] === Infinity;
  if (!half(phi) || !half(psi)) return 0;
  const order = (f: SigmaSpec): number => {
    const h = 1e-4;
    const q = Math.log2(f.sigma(2 * h) / f.sigma(h));
    const p = Math.round(q);
    return Number.isFinite(q) && p >= 0 && Math.abs(q - p) < 1e-3 ? p : NaN;
  };
  const k = 1 + order(phi) + order(psi);
  return Number.isFinite(k) ? k : 0;
}

/** The band grid's polar nodes stop at the middle level when it meets this relative estimate (the grid's own tolerance is 1e-13 of max|E|). */
const BAND_NODE_RTOL = 1e-14;

/** θ nodes per band-grid node path as measured (33–65): the path budget of a band grid is its item count over this. */
const BAND_THETA_NODES = 33;

/**
 * Interpolates the interior items of a scattered batch on a (a or √a, b or √b, θ) grid (src/scatteredBatch.ts) and
 * returns the indices left to the per-(a, b) path, or undefined when no grid was used (few groups, or it would need too many
 * node paths).
 */
function scatteredInto(
  r: Resolved,
  items: readonly { a: number; c: number; b: number }[],
  out: Float64Array,
  err: Float64Array,
  options: DualActivationOptions,
  annihilator?: string,
): number[] | undefined {
  const stats: ScatteredStats = options.scatteredStats ?? { nodesA: 0, nodesB: 0, nodesTheta: 0, paths: 0, error: NaN, interpolated: 0, direct: items.length };
  Object.assign(stats, { nodesA: 0, nodesB: 0, nodesTheta: 0, paths: 0, error: NaN, interpolated: 0, direct: items.length });
  delete stats.declined;
  delete stats.band;
  delete stats.bandNodes;
  delete stats.polar;
  delete stats.bandDeclined;
  delete stats.series;
  const n = items.length;
  const symmetric = r.phi === r.psi;
  const strong = boundaryPoleOrder(r.system) > STRONG_POLE_ORDER;
  // The near-boundary band (rank-8 |ρ| > 0.9, and |ρ| = 1 exactly for every system) goes to a second grid whose node
  // values are polar quadratures (src/polarQuadrature.ts), where σ allows it (kinks only at 0).
  const polar = polarApplicable(r.phi) && polarApplicable(r.psi);
  // Both σ supported on [0, ∞): E lives on the wedge u, v > 0 of angle w = π − θ and vanishes like w^wedge as
  // ρ → −1 (wedge = 1 + the orders of φ and ψ at 0+), so relative to √(ab) the ρ < 0 band is recessive and no
  // grid certifies it to 1e-12 of |E|. E/w^wedge is analytic in w and nonzero: the band grid interpolates that.
  const wedge = polar ? wedgeOrder(r.phi, r.psi) : 0;
  // σ without kinks (gelu, erf, Φ): the Hermite series Σ eₙ(a)eₙ(b)ρⁿ converges geometrically up to |ρ| = 1, at ~1 µs
  // per item once each variance's coefficients are known (N per Gram matrix); the polar rule costs ~10 ms per value
  // for them (their σ cost ~0.6 µs an evaluation). Their band items take the series per item, no band grid.
  const series =
    annihilator !== undefined && r.phi === r.psi && r.phi.kinks.length === 0 && !r.phi.support ? hermiteSeriesEvaluator(annihilator, r.phi) : undefined;
  // Grid coordinate per axis: a when σ(t·u) has a parity in t (E is then a function of a, after dividing by √a if
  // odd), else √a (E entire in √a); ACCURACY.md §7 compares a, √a and log a.
  const coordA: (v: number) => number = r.phi.scaleParity ? (v) => v : Math.sqrt;
  const coordB: (v: number) => number = r.psi.scaleParity ? (v) => v : Math.sqrt;
  const ta = new Float64Array(n);
  const tb = new Float64Array(n);
  const theta = new Float64Array(n);
  const tauOf = new Float64Array(n);
  /** 0: not gridded; 1: interior grid; 2: band of ρ > 0; 3: band of ρ < 0. */
  const inGrid = new Uint8Array(n);
  // Distinct (a, b), as a cost heuristic only: a numeric key hashes far faster than a string (10^5 items), and a
  // rare collision merely undercounts.
  const keys = new Set<number>();
  // Boxes [loA, hiA, loB, hiB, loT, hiT] of the interior and of the two bands.
  const boxes = [0, 1, 2].map(() => [Infinity, -Infinity, Infinity, -Infinity, Infinity, -Infinity]);
  const counts = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const { a, c, b } = items[i]!;
    if (!(a > 0 && b > 0 && a < Infinity && b < Infinity && Number.isFinite(c))) continue;
    const delta = diffOfProducts(a, b, c, c);
    if (!(delta >= 0)) continue; // |ρ| > 1 or invalid: the group path classifies (and names) it
    const tau = Math.sqrt(delta / a / b);
    const rho = Math.max(-1, Math.min(1, c / Math.sqrt(a) / Math.sqrt(b)));
    // With a closing wedge the whole ρ < 0 side goes to the polar band: the node paths' error is absolute (relative
    // to max|E| along the path), and E/w^wedge there is small (resin σ at ρ ≈ −0.88: 5e-12 of E measured).
    const boundary = delta === 0 || (strong && tau / (1 + Math.abs(rho)) < SCATTERED_STRONG_MIN_S) || (wedge > 0 && rho < 0);
    if (boundary && !polar) continue;
    // ρ = −1 exactly where the wedge has closed (E = 0): the polar rule per item gives it exactly.
    if (delta === 0 && rho < 0 && wedge > 0) continue;
    // E(a, b, ρ) = E(b, a, ρ) when φ = ψ: ordering puts every item into the half a ≤ b (fewer distinct a). ta, tb:
    // the grid coordinates (a or √a).
    const swap = symmetric && a > b;
    ta[i] = coordA(swap ? b : a);
    tb[i] = coordB(swap ? a : b);
    theta[i] = delta === 0 ? (rho > 0 ? 0 : Math.PI) : Math.atan2(tau, rho);
    tauOf[i] = tau;
    const g = boundary ? (rho > 0 ? 1 : 2) : 0;
    inGrid[i] = g + 1;
    counts[g]!++;
    keys.add(a + Math.PI * b);
    const box = boxes[g]!;
    box[0] = Math.min(box[0]!, ta[i]!);
    box[1] = Math.max(box[1]!, ta[i]!);
    box[2] = Math.min(box[2]!, tb[i]!);
    box[3] = Math.max(box[3]!, tb[i]!);
    box[4] = Math.min(box[4]!, theta[i]!);
    box[5] = Math.max(box[5]!, theta[i]!);
  }
  if (counts[0]! + counts[1]! + counts[2]! === 0 || (options.scattered !== 'always' && keys.size < SCATTERED_MIN_GROUPS)) {
    stats.declined = `${keys.size} distinct (a, b)`;
    return undefined;
  }
  // E/(√a·√b) where φ (ψ) vanishes at 0: then E is odd or O(t) in t = √a, so the quotient stays entire (a function
  // of a for an odd scale parity), and the grid's error becomes relative to √(ab) (relu: E ∝ √(ab) exactly). √E[φ²]
  // would be the natural scale, but its square root has complex branch points near the box: resin σ needed 65
  // nodes per axis instead of 17.
  const normed = (f: SigmaSpec): boolean => (f.scaleParity ? f.scaleParity === 'odd' : vanishesAtZero(f));
  const variance = (f: SigmaSpec) => (f.scaleParity ? (x: number) => x : (x: number) => x * x);
  const ctx: ScatteredContext = {
    system: r.system,
    integrand: r.integrand,
    fns: r.fns,
    indexOfOne: r.indexOfOne,
    symmetric,
    // Node paths at rtol 1e-15 (unless the caller set one): their estimates (pathError) enter every item's, and an
    // item must meet 1e-12 of its own |E| (ACCURACY.md §8); ~1.3× the steps of 1e-14.
    options: { ...pathOptions(options), ...(options.rtol === undefined ? { rtol: SCATTERED_NODE_RTOL } : {}) },
    varianceA: variance(r.phi),
    varianceB: variance(r.psi),
    ...(normed(r.phi) ? { normA: Math.sqrt } : {}),
    ...(normed(r.psi) ? { normB: Math.sqrt } : {}),
    // No node at w = 0: ρ = −1 exactly is not gridded when wedge > 0 (see above).
    ...(wedge > 0 ? { thetaScale: (t: number) => (Math.PI - t) ** wedge } : {}),
  };
  const itemTol = Math.min(SCATTERED_ITEM_TOL * scatteredToleranceScale(options.rtol), toleranceOf(options));
  const done = new Uint8Array(n);
  let served = 0;
  let bandServed = 0;
  let bandNodes = 0;
  const gridPass = (g: number, grid: ScatteredGrid): void => {
    const order = new Uint32Array(counts[g]!);
    for (let i = 0, k = 0; i < n; i++) if (inGrid[i] === g + 1) order[k++] = i;
    order.sort((x, y) => ta[x]! - ta[y]!);
    const scale = new Float64Array(n);
    grid.evaluateSorted(ta, tb, theta, order, out, scale);
    if (wedge > 0) {
      for (const i of order) {
        const f = Math.atan2(tauOf[i]!, -Math.cos(theta[i]!)) ** wedge;
        out[i] = out[i]! * f;
        scale[i] = scale[i]! * f;
      }
    }
    for (const i of order) {
      // The estimate is relative to the local scale, not to E: small |E| (zero crossings, recessive sides) goes direct.
      const e = grid.errorAt(theta[i]!) * scale[i]!;
      if (e <= itemTol * Math.abs(out[i]!)) {
        err[i] = e;
        done[i] = 1;
        served++;
        if (g > 0) bandServed++;
      }
    }
  };
  const maxPaths = options.scattered === 'always' ? Infinity : Math.floor(keys.size * SCATTERED_MAX_PATH_FRACTION);
  const symmetricBox = (box: number[]): [readonly [number, number], readonly [number, number]] =>
    symmetric
      ? [
          [Math.min(box[0]!, box[2]!), Math.max(box[1]!, box[3]!)],
          [Math.min(box[0]!, box[2]!), Math.max(box[1]!, box[3]!)],
        ]
      : [
          [box[0]!, box[1]!],
          [box[2]!, box[3]!],
        ];
  if (counts[0]! > 0) {
    const [bA, bB] = symmetricBox(boxes[0]!);
    const grid = ScatteredGrid.build(ctx, bA, bB, [boxes[0]![4]!, boxes[0]![5]!], maxPaths, stats);
    if (grid) gridPass(0, grid);
  }
  const interior = { ...stats };
  if (counts[1]! + counts[2]! > 0 && !series) {
    const estimate: QuadratureEstimate = { abs: 0, error: 0 };
    const bandCtx = (): ScatteredContext => ({
      ...ctx,
      nodeValue: (a, b, t) => {
        bandNodes++;
        const right = t <= Math.PI / 2;
        const value = polarExpectation(r.phi, r.psi, a, b, Math.cos(t), Math.sin(right ? t : Math.PI - t), estimate, BAND_NODE_RTOL);
        return { value, error: estimate.error };
      },
    });
    const reasons: string[] = [];
    for (const g of [1, 2]) {
      if (counts[g] === 0) continue;
      const [bA, bB] = symmetricBox(boxes[g]!);
      const bandStats = { ...stats };
      // A node evaluation costs one per-item polar quadrature: the grid pays when its nodes (~BAND_THETA_NODES per
      // path) are fewer than the band's items.
      const grid = ScatteredGrid.build(bandCtx(), bA, bB, [boxes[g]![4]!, boxes[g]![5]!], Math.max(28, counts[g]! / BAND_THETA_NODES), bandStats);
      if (grid) gridPass(g, grid);
      else reasons.push(`ρ ${g === 1 ? '> 0' : '< 0'}: ${bandStats.declined}`);
    }
    if (reasons.length) stats.bandDeclined = reasons.join('; ');
  }
  // The interior grid's description stays in stats (the band's grids may overwrite node counts): restore it.
  Object.assign(stats, { nodesA: interior.nodesA, nodesB: interior.nodesB, nodesTheta: interior.nodesTheta, paths: interior.paths, error: interior.error });
  if (interior.declined !== undefined) stats.declined = interior.declined;
  else delete stats.declined;
  // What the grids could not certify: the polar quadrature per item (a slower exact route, ~0.2 ms for kinked σ,
  // ~10 ms for gelu), then the per-(a, b) routes.
  let polarServed = 0;
  let seriesServed = 0;
  const rest: number[] = [];
  const estimate: QuadratureEstimate = { abs: 0, error: 0 };
  for (let i = 0; i < n; i++) {
    if (done[i]) continue;
    if (series && inGrid[i]) {
      const { a, c, b } = items[i]!;
      try {
        const h = series(a, c, b, { rtol: itemTol });
        if (h.error <= itemTol * Math.abs(h.value)) {
          out[i] = h.value;
          err[i] = h.error;
          seriesServed++;
          continue;
        }
      } catch (e) {
        // No fit of the recurrence (IntegrationError) or a variance out of its reach: the next route.
        if (!(e instanceof IntegrationError || e instanceof DomainError)) throw e;
      }
    }
    if (polar && inGrid[i]) {
      const { a, c, b } = items[i]!;
      const rho = Math.max(-1, Math.min(1, c / Math.sqrt(a) / Math.sqrt(b)));
      const v = polarExpectation(r.phi, r.psi, a, b, rho, tauOf[i]!, estimate, itemTol);
      if (estimate.error <= itemTol * Math.abs(v)) {
        out[i] = v;
        err[i] = estimate.error;
        polarServed++;
        continue;
      }
    }
    rest.push(i);
  }
  stats.interpolated = served;
  stats.direct = rest.length;
  if (counts[1]! + counts[2]! > 0) {
    stats.band = bandServed;
    stats.bandNodes = bandNodes;
  }
  if (polar) stats.polar = polarServed;
  if (series) stats.series = seriesServed;
  return rest;
}

/**
 * Writes E for (a, cs[k], b) into out[where ? where[k] : k] and its error estimate into err at the same index. With
 * method 'auto', points whose estimate misses the tolerance are recomputed by the accurate route (`quadraturePoint`).
 */
function curveInto(
  r: Resolved,
  a: number,
  b: number,
  cs: ArrayLike<number>,
  out: Float64Array,
  err: Float64Array,
  where: readonly number[] | undefined,
  options: DualActivationOptions,
  name: (k: number) => string,
): void {
  const n = cs.length;
  const at = (k: number) => (where ? where[k]! : k);
  const fail = (k: number, e: unknown): never => {
    if (e instanceof DomainError) throw new DomainError(`${name(k)}: ${e.message}`);
    throw e;
  };
  const estimate: QuadratureEstimate = { abs: 0, error: 0 };
  if (r.guarded) {
    // Every path value is checked by a second solve (or the path starts off ρ = 0): point by point.
    for (let k = 0; k < n; k++) {
      try {
        const p = dualPoint(r, a, cs[k]!, b, options);
        out[at(k)] = p.value;
        err[at(k)] = p.error;
      } catch (e) {
        fail(k, e);
      }
    }
    return;
  }
  // a = 0 or b = 0: every c must be 0 and every value is the same 1-D integral.
  if (!(a > 0 && b > 0)) {
    let value = NaN;
    for (let k = 0; k < n; k++) {
      try {
        classifyCovariance(a, cs[k]!, b);
      } catch (e) {
        fail(k, e);
      }
      if (Number.isNaN(value)) value = boundaryExpectation(r.phi, r.psi, a, b, 1, 1e-16, estimate);
      out[at(k)] = value;
      err[at(k)] = estimate.error;
    }
    return;
  }
  if (!Number.isFinite(a) || !Number.isFinite(b)) fail(0, new DomainError(`a = ${a}, b = ${b} must be finite`));
  // Path coordinates: s[k] ∈ (0, 1] for interior points, side[k] = ±1; side 0 marks a point already served.
  const s = new Float64Array(n);
  const offset = new Float64Array(n); // 1 − s, accurate near ρ = 0 (pathOffset)
  const side = new Int8Array(n);
  const sa = Math.sqrt(a);
  const sb = Math.sqrt(b);
  const sqrtAB = sa * sb;
  const sMin = [1, 1]; // per side (index 0: q = −1, 1: q = +1)
  const boundaryValue: [number, number] = [NaN, NaN];
  const boundaryError: [number, number] = [NaN, NaN];
  for (let k = 0; k < n; k++) {
    const c = cs[k]!;
    const delta = diffOfProducts(a, b, c, c);
    if (delta > 0 && Number.isFinite(c)) {
      // Interior (inline classifyCovariance: this loop runs 10^6 times).
      const tau = Math.sqrt(delta / a / b);
      const rk = Math.abs(c) / sqrtAB;
      const sk = tau / (1 + rk);
      s[k] = sk;
      offset[k] = (rk + (rk * rk) / (1 + tau)) / (1 + rk);
      const q = c < 0 ? 0 : 1;
      side[k] = c < 0 ? -1 : 1;
      if (sk < sMin[q]!) sMin[q] = sk;
      continue;
    }
    let sign = 1;
    try {
      const kind = classifyCovariance(a, c, b);
      if (kind.kind === 'boundary') sign = kind.sign;
    } catch (e) {
      fail(k, e);
    }
    // Not interior: |ρ| = 1 within the slack.
    const q = sign < 0 ? 0 : 1;
    if (Number.isNaN(boundaryValue[q])) {
      boundaryValue[q] = boundaryExpectation(r.phi, r.psi, a, b, q === 0 ? -1 : 1, 1e-16, estimate);
      boundaryError[q] = estimate.error;
    }
    out[at(k)] = boundaryValue[q];
    err[at(k)] = boundaryError[q];
    side[k] = 0;
  }
  const G0 = pathInitialValue(r.system, r.integrand, r.fns, a, b);
  const one = r.indexOfOne;
  const rank = r.system.rank;
  const opts = pathOptions(options);
  const rtol = opts.rtol ?? RTOL;
  const auto = options.method !== 'path' && options.method !== 'quadrature';
  const tolerance = toleranceOf(options);
  const quadrature = (k: number, accurate: boolean): void => {
    const c = cs[k]!;
    const kind = classifyCovariance(a, c, b);
    if (kind.kind !== 'interior') return; // not reached: boundary points are served above
    if (accurate) quadraturePoint(r, a, b, kind.rho, kind.tau);
    else setPoint(gaussianExpectation2d(r.phi, r.psi, a, b, kind.rho, kind.tau, { estimate }), estimate.error, 'quadrature');
    out[at(k)] = point.value;
    err[at(k)] = point.error;
  };
  for (const q of [-1, 1] as const) {
    let end = sMin[q < 0 ? 0 : 1]!;
    if (auto && end < STRONG_BOUNDARY_MIN_S && boundaryPoleOrder(r.system) > STRONG_POLE_ORDER) {
      // |ρ| > 0.995 on a system with a strong boundary singularity: the Chebyshev interpolant of E on [0, 0.05]
      // when there are enough such points to pay for its 17–65 quadratures, else a 2-D quadrature each; the path
      // serves the rest.
      end = 1;
      let near = 0;
      for (let k = 0; k < n; k++) if (side[k] === q && s[k]! < STRONG_BOUNDARY_MIN_S) near++;
      const p = near >= CURVE_INTERPOLANT_POINTS ? boundaryInterpolant(r.phi, r.psi, a, b, q, STRONG_BOUNDARY_MIN_S, KAPPA_SWITCH, true) : undefined;
      for (let k = 0; k < n; k++) {
        if (side[k] !== q) continue;
        if (s[k]! < STRONG_BOUNDARY_MIN_S) {
          if (p) {
            out[at(k)] = p.value(s[k]!);
            err[at(k)] = p.error;
          } else quadrature(k, true);
          side[k] = 0;
        } else if (s[k]! < end) end = s[k]!;
      }
    }
    let any = false;
    for (let k = 0; k < n && !any; k++) any = side[k] === q;
    if (!any) continue;
    if (options.method === 'quadrature') {
      for (let k = 0; k < n; k++) if (side[k] === q) quadrature(k, false);
      continue;
    }
    // The perturbation rides along (pathError); the path stops where it outgrows PATH_DELTA_LIMIT.
    const stepS: number[] = [1];
    const stepDelta: number[] = [];
    const stepK: number[] = [0];
    const cancel = pathCancellation(r.system, a, b, q);
    const delta0 = pathPerturbation(r.system, G0, a, b, undefined, pathInitialScale(r.system, r.integrand, r.fns, a, b));
    stepDelta.push(Math.abs(delta0[one]!));
    const sol = solvePath(r.system, G0, a, b, q, end, {
      ...opts,
      dense: true,
      solver: 'dop853',
      delta: delta0,
      ...(auto ? { deltaLimit: PATH_DELTA_LIMIT, stepLimit: PATH_STEP_LIMIT } : {}),
      onStep: (t, y) => {
        stepS.push(t);
        stepDelta.push(Math.abs(y[rank + one]!));
        stepK.push(cancel(t, y));
      },
    });
    const dense = sol.dense;
    const errorAt = (x: number, E: number): number => stepError(stepS, stepDelta, stepK, x, E, rtol);
    /**
     * The bad points outside the rank-8 band again, from one path of this side at TIGHT_RTOL (dense); returns those
     * it does not certify either.
     */
    const retryTight = (bad: number[]): number[] => {
      let lo = 1;
      for (const k of bad) if (!(strongBoundary(r.system) && s[k]! < CANCELLATION_MAX_S) && s[k]! < lo) lo = s[k]!;
      if (!(lo < 1)) return bad;
      const tS: number[] = [1];
      const tDelta: number[] = [];
      const tK: number[] = [0];
      const tDelta0 = pathPerturbation(r.system, G0, a, b, undefined, pathInitialScale(r.system, r.integrand, r.fns, a, b));
      tDelta.push(Math.abs(tDelta0[one]!));
      const tight = solvePath(r.system, G0, a, b, q, lo, {
        ...opts,
        rtol: TIGHT_RTOL,
        dense: true,
        solver: 'dop853',
        delta: tDelta0,
        deltaLimit: PATH_DELTA_LIMIT,
        stepLimit: PATH_STEP_LIMIT,
        onStep: (t, y) => {
          tS.push(t);
          tDelta.push(Math.abs(y[rank + one]!));
          tK.push(cancel(t, y));
        },
      });
      const rest: number[] = [];
      for (const k of bad) {
        const sk = s[k]!;
        if (!tight.dense || sk < tight.sReached || (strongBoundary(r.system) && sk < CANCELLATION_MAX_S)) {
          rest.push(k);
          continue;
        }
        const E = sk > 0.5 ? tight.dense.evaluateComponentOffset(1, -offset[k]!, one) : tight.dense.evaluateComponent(sk, one);
        const e = stepError(tS, tDelta, tK, sk, E, TIGHT_RTOL);
        if (e < err[at(k)]! && acceptable(r, a, b, E, e, tolerance, options)) {
          out[at(k)] = E;
          err[at(k)] = e;
        } else rest.push(k);
      }
      return rest;
    };
    // Recessive points (κ > KAPPA_SWITCH) are redone from the boundary side: one 2-D quadrature of G at the point
    // nearest the boundary, one outward integration over every point up to the farthest recessive one.
    let badHi = -Infinity;
    let first = -1;
    const limit = sol.maxAbsE / KAPPA_SWITCH;
    for (let k = 0; k < n; k++) {
      if (side[k] !== q) continue;
      const sk = s[k]!;
      if (sk < sol.sReached) {
        // Beyond where the path was abandoned: the accurate route (or, forced path, no value).
        if (auto) quadrature(k, true);
        else {
          out[at(k)] = NaN;
          err[at(k)] = Infinity;
        }
        side[k] = 0;
        continue;
      }
      if (first < 0 || sk < s[first]!) first = k;
      const E = !dense ? G0[one]! : sk > 0.5 ? dense.evaluateComponentOffset(1, -offset[k]!, one) : dense.evaluateComponent(sk, one);
      out[at(k)] = E;
      err[at(k)] = errorAt(sk, E);
      if (options.method !== 'path' && !(Math.abs(E) >= limit) && sk > badHi) badHi = sk;
    }
    if (badHi >= 0 && first >= 0 && recessiveAtBoundary(r, a, b, q, sol.maxAbsE)) {
      const c = cs[first]!;
      const errors = new Float64Array(rank);
      const Gb = nearBoundaryVector(r.system, r.integrand, r.fns, a, b, c / sqrtAB, Math.sqrt(diffOfProducts(a, b, c, c) / a / b), errors);
      const backS: number[] = [s[first]!];
      const backDelta: number[] = [];
      const deltaB = pathPerturbation(r.system, Gb, a, b);
      for (let l = 0; l < rank; l++) deltaB[l] = Math.sign(deltaB[l]! || 1) * (Math.abs(deltaB[l]!) + errors[l]! / Number.EPSILON);
      backDelta.push(Math.abs(deltaB[one]!));
      const back = solvePath(r.system, Gb, a, b, q, badHi, {
        ...opts,
        dense: true,
        solver: 'dop853',
        sStart: s[first]!,
        delta: deltaB,
        deltaLimit: PATH_DELTA_LIMIT,
        stepLimit: PATH_STEP_LIMIT,
        onStep: (t, y) => {
          backS.push(t);
          backDelta.push(Math.abs(y[rank + one]!));
        },
      });
      for (let k = 0; k < n; k++) {
        if (side[k] !== q || s[k]! > badHi) continue;
        if (s[k]! > back.sReached) {
          quadrature(k, true);
          continue;
        }
        const E = back.dense ? back.dense.evaluateComponent(s[k]!, one) : Gb[one]!;
        let lo = 0;
        let hi = backS.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (backS[mid]! <= s[k]!) lo = mid;
          else hi = mid - 1;
        }
        out[at(k)] = E;
        err[at(k)] = pathError(E, Math.max(backDelta[lo]!, backDelta[Math.min(lo + 1, backDelta.length - 1)]!), rtol);
      }
    }
    if (!auto) continue;
    // Points the path (forward or outward) serves worse than the tolerance: the accurate route. Many of them in the
    // band |ρ| > 0.9 of a rank-8 system: one Chebyshev interpolant of E on [0, CANCELLATION_MAX_S] serves them all.
    const strong = strongBoundary(r.system);
    let bad: number[] = [];
    for (let k = 0; k < n; k++) if (side[k] === q && !acceptable(r, a, b, out[at(k)]!, err[at(k)]!, tolerance, options)) bad.push(k);
    if (bad.length > 0 && usesDefaults(options)) bad = retryTight(bad);
    let inBand = 0;
    for (const k of bad) if (s[k]! < CANCELLATION_MAX_S) inBand++;
    const band =
      inBand >= CURVE_INTERPOLANT_POINTS && strong
        ? boundaryInterpolant(r.phi, r.psi, a, b, q, CANCELLATION_MAX_S, KAPPA_SWITCH, true, quadratureNode(r, a, b))
        : undefined;
    // Elsewhere (estimates that miss the tolerance narrowly where E is small against the terms that make it, e.g. gelu σ
    // at ρ ≈ −0.9): one interpolant over the whole side instead of a quadrature per point.
    const outside = bad.length - (strong ? inBand : 0);
    const side1 =
      outside >= WHOLE_SIDE_POINTS ? boundaryInterpolant(r.phi, r.psi, a, b, q, WHOLE_SIDE, KAPPA_SWITCH, true, quadratureNode(r, a, b)) : undefined;
    for (const k of bad) {
      const i = at(k);
      const e = err[i]!;
      const p = band && s[k]! < CANCELLATION_MAX_S ? band : side1;
      if (p && p.error < e && acceptable(r, a, b, p.value(s[k]!), p.error, tolerance, options)) {
        out[i] = p.value(s[k]!);
        err[i] = p.error;
        continue;
      }
      // The DOP853 estimate carries its rtol: the Taylor series (~50–150 µs) may certify the point.
      const t = usesDefaults(options) && !(s[k]! < CANCELLATION_MAX_S && strongBoundary(r.system)) ? taylorPoint(r, a, b, cs[k]! / sqrtAB, s[k]!) : undefined;
      if (t && acceptable(r, a, b, t.value, t.error, tolerance, options)) {
        out[i] = t.value;
        err[i] = t.error;
        continue;
      }
      const kind = classifyCovariance(a, cs[k]!, b);
      const accurate = kind.kind === 'interior' ? tryQuadraturePoint(r, a, b, kind.rho, kind.tau) : undefined;
      if (accurate && accurate.error < e) {
        out[i] = accurate.value;
        err[i] = accurate.error;
      }
    }
  }
}

/** pathError at s from the larger |δ_E| and K of the two step ends around it (stepS decreasing from 1). */
function stepError(stepS: number[], stepDelta: number[], stepK: number[], x: number, E: number, rtol: number): number {
  let lo = 0;
  let hi = stepS.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (stepS[mid]! >= x) lo = mid;
    else hi = mid - 1;
  }
  const next = Math.min(lo + 1, stepS.length - 1);
  return pathError(E, Math.max(stepDelta[lo]!, stepDelta[next]!), rtol, Math.max(stepK[lo]!, stepK[next]!));
}

/** The tolerance check of a curve or batch: IntegrationError naming the first value whose estimate misses it. */
function enforceAll(
  dual: Dual,
  a: (k: number) => number,
  c: (k: number) => number,
  b: (k: number) => number,
  out: Float64Array,
  err: Float64Array,
  options: DualActivationOptions,
  name: (k: number) => string,
): void {
  const tolerance = toleranceOf(options);
  if (tolerance === Infinity) return;
  for (let k = 0; k < out.length; k++) {
    if (err[k]! <= tolerance * Math.abs(out[k]!)) continue;
    enforceTolerance(dual, a(k), c(k), b(k), { value: out[k]!, error: err[k]! }, options, `${name(k)}: `);
  }
}

/** φ(±1e-6) is O(1e-6) of φ(±1): φ vanishes at 0 (relu, resin σ, gelu σ, erf), unlike the step or σ̇ of resin. */
function vanishesAtZero(f: SigmaSpec): boolean {
  const h = 1e-6;
  return Math.abs(f.sigma(h)) + Math.abs(f.sigma(-h)) <= 10 * h * (Math.abs(f.sigma(1)) + Math.abs(f.sigma(-1)));
}
