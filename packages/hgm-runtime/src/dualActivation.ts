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
 *   (src/scatteredBatch.ts) instead of one path per (a, b); items the grid cannot serve to 1e-11 fall back to the above.
 */
import {
  type Integrand,
  type PfaffianArtifact,
  type PfaffianSystem,
  classifyCovariance,
  DomainError,
  IntegrationError,
  diffOfProducts,
  parseDMonomial,
} from '@holonomic-ntk/core';
import { boundaryExpectation, gaussianExpectation2d } from './boundaryQuadrature.ts';
import {
  boundaryPoleOrder,
  factorSpecs,
  pathOffset,
  STRONG_BOUNDARY_MIN_S,
  nearBoundaryVector,
  pathInitialValue,
  solvePath,
  type PathOptions,
} from './dualPath.ts';
import { prepareSystem, type IntegrandFunctions } from './hgm.ts';
import { pieceFunctions } from './artifactFunctions.ts';
import { hermiteDualOfSum, hermiteSummands } from './hermiteExpansion.ts';
import { OFFSET_RHO, OFFSET_S, seriesVector, singularAtRhoZero } from './offsetStart.ts';
import type { SigmaSpec } from '@holonomic-ntk/core';
import { boundaryCurve, boundaryValue, pathCurve } from './pathCurve.ts';
import { boundaryInterpolant } from './boundaryInterpolant.ts';
import { TAYLOR_MAX_TERMS, taylorPath } from './taylorPath.ts';
import { SCATTERED_ITEM_TOL, ScatteredGrid, scatteredToleranceScale, type ScatteredStats } from './scatteredBatch.ts';

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
}

/** Largest |E(100·rtol) − E(rtol)|/|E| accepted on a guarded system (see `grownTrusted`). */
const GROWTH_CHECK = 5e-11;

/** Defaults of the path solver, chosen by measurement (ACCURACY.md). */
const RTOL = 1e-14;
const ATOL_FACTOR = 1e-2;

interface Resolved {
  system: PfaffianSystem;
  integrand: Integrand;
  fns: IntegrandFunctions;
  phi: SigmaSpec;
  psi: SigmaSpec;
  indexOfOne: number;
  /** Check every path value against a looser second solve (see GROWTH_CHECK). */
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

/**
 * The systems whose sum is the dual of `integrand`: one, or for an integrand split into pieces σ = Σ σ_i one per
 * pair i ≤ j, twice (the second swapped) when i < j, since E[σ_j(u)σ_i(v)] at (a, c, b) is E[σ_i(u)σ_j(v)] at (b, c, a).
 */
function resolveTerms(artifact: PfaffianArtifact, functions: SigmaSpec | IntegrandFunctions, integrand: Integrand): Term[] {
  let fns: IntegrandFunctions =
    typeof (functions as SigmaSpec).sigma === 'function' ? { [integrand]: functions as SigmaSpec } : (functions as IntegrandFunctions);
  if (fns.name !== undefined && fns.name !== artifact.activation.name) {
    throw new DomainError(`the artifact is for '${artifact.activation.name}', the functions are for '${fns.name}'`);
  }
  if (artifact.activation.pieces?.[integrand] === undefined) {
    const system = artifact.systems.find((s) => s.integrands.includes(integrand));
    if (!system) throw new DomainError(`the artifact for '${artifact.activation.name}' has no system for '${integrand}'`);
    return [{ r: resolve(system, integrand, fns, unmeasured(artifact)), swap: false }];
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
  return terms;
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
 * `DomainError` for NaN, negative variances or |ρ| > 1 + 1e-12.
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
  const terms = resolveTerms(artifact, functions, options.integrand ?? 'sigma');
  if (terms.length === 1) return dualOfSystem(terms[0]!.r, a, c, b, options);
  classifyCovariance(a, c, b); // a DomainError before any term is computed
  let sum = 0;
  let abs = 0;
  for (const t of terms) {
    const v = t.swap ? dualOfSystem(t.r, b, c, a, options) : dualOfSystem(t.r, a, c, b, options);
    sum += v;
    abs += Math.abs(v);
  }
  return cancels(abs, sum, options) ? sumByHermite(artifact, options.integrand ?? 'sigma', a, c, b, sum, abs) : sum;
}

/**
 * Pair terms that cancel: Σ|terms| > CANCELLATION·|Σ terms| (SELU's mean at unit variance, gabor σ̇ at large
 * variances) multiplies each term's error (~1e-13 relative) by that ratio.
 */
const CANCELLATION = 8;

function cancels(abs: number, sum: number, options: DualActivationOptions): boolean {
  return abs > CANCELLATION * Math.abs(sum) && options.method !== 'path' && options.method !== 'quadrature';
}

/**
 * A pieced dual whose pair terms cancel, by the Hermite series of the summed coefficients instead (the pieces are
 * added before the products are formed, so nothing cancels at the end; src/hermiteExpansion.ts), when the series'
 * own error estimate is below the sum's, Σ|terms|·HGM_TERM_ERROR (it is not at |ρ| → 1 for kinked σ̇).
 */
function sumByHermite(artifact: PfaffianArtifact, integrand: Integrand, a: number, c: number, b: number, sum: number, abs: number): number {
  const parts = hermiteSummands(artifact, integrand);
  if (!parts) return sum;
  let h: { value: number; error: number };
  try {
    h = hermiteDualOfSum(parts, a, c, b);
  } catch (e) {
    // The series is a second opinion: where its own quadratures give up (gabor σ̇), the sum stands.
    if (e instanceof IntegrationError) return sum;
    throw e;
  }
  return h.error < HGM_TERM_ERROR * abs ? h.value : sum;
}

/** The relative accuracy stated for one HGM value (ACCURACY.md): the scale of a pair term's error. */
const HGM_TERM_ERROR = 1e-12;

/** `dualActivation` for one system and its two factors. */
function dualOfSystem(r: Resolved, a: number, c: number, b: number, options: DualActivationOptions): number {
  const kind = classifyCovariance(a, c, b);
  if (kind.kind === 'degenerate') return boundaryExpectation(r.phi, r.psi, a, b, 1);
  if (kind.kind === 'boundary') return boundaryExpectation(r.phi, r.psi, a, b, kind.sign);
  const { rho, tau } = kind;
  if (options.method === 'quadrature') return gaussianExpectation2d(r.phi, r.psi, a, b, rho, tau);
  const s = tau / (1 + Math.abs(rho));
  const q = rho < 0 ? -1 : 1;
  if (options.method !== 'path' && s < STRONG_BOUNDARY_MIN_S && boundaryPoleOrder(r.system) > STRONG_POLE_ORDER) {
    // Repeated points of this (a, b, side) use the Chebyshev interpolant of E on [0, 0.05] (src/boundaryInterpolant.ts).
    const p = boundaryInterpolant(r.phi, r.psi, a, b, q, STRONG_BOUNDARY_MIN_S, KAPPA_SWITCH);
    return p ? p.value(s) : gaussianExpectation2d(r.phi, r.psi, a, b, rho, tau);
  }
  let E: number;
  let maxAbsE: number;
  const offset = singularAtRhoZero(r.system);
  if (offset && Math.abs(rho) <= OFFSET_RHO) return seriesVector(r.system, r.integrand, r.fns, a, b, rho)[r.indexOfOne]!;
  const G = taylorScratch(r.system.rank);
  const taylor =
    !r.guarded && usesDefaults(options) && s >= TAYLOR_MIN_S && useTaylor(r, a, b, options.integrator ?? 'auto')
      ? taylorPath(r.system, pathInitialValue(r.system, r.integrand, r.fns, a, b), a, b, rho, G, TAYLOR_MAX_TERMS)
      : undefined;
  if (taylor?.ok) {
    // A new (a, b): one Taylor solve, no dense path (5–10× cheaper than the DOP853 path, ACCURACY.md §3). A stiff
    // path (term budget exceeded) falls through to the DOP853 curve.
    maxAbsE = taylor.maxAbsE;
    E = G[r.indexOfOne]!;
  } else if (usesDefaults(options)) {
    // Repeated use: the path of (a, b) is kept with dense output and extended on demand (src/pathCurve.ts). A
    // system with a pole at ρ = 0 starts at ρ = ±OFFSET_RHO from the x12-series (src/offsetStart.ts).
    const curve = (rtol: number) =>
      pathCurve(
        r.system,
        r.integrand,
        r.phi,
        r.psi,
        a,
        b,
        q,
        () => (offset ? seriesVector(r.system, r.integrand, r.fns, a, b, q * OFFSET_RHO) : pathInitialValue(r.system, r.integrand, r.fns, a, b)),
        r.indexOfOne,
        { ...pathOptions(options), rtol },
        offset ? OFFSET_S : 1,
      );
    curve(RTOL).evaluate(s, scratch, pathOffset(rho, tau));
    E = scratch[0]!;
    maxAbsE = scratch[1]!;
    if (r.guarded && options.method !== 'path') {
      // The same path at 100× the tolerance (see `grownTrusted`), also kept: one more interpolation per point.
      curve(100 * RTOL).evaluate(s, scratch, pathOffset(rho, tau));
      if (!(Math.abs(scratch[0]! - E) <= GROWTH_CHECK * Math.abs(E))) return gaussianExpectation2d(r.phi, r.psi, a, b, rho, tau);
    }
  } else if (offset) {
    const G0 = seriesVector(r.system, r.integrand, r.fns, a, b, q * OFFSET_RHO);
    const sol = solvePath(r.system, G0, a, b, q, s, { ...pathOptions(options), sStart: OFFSET_S });
    E = sol.G[r.indexOfOne]!;
    maxAbsE = Math.max(sol.maxAbsE, Math.abs(E));
    if (r.guarded && options.method !== 'path' && !grownTrusted(r, a, b, q, rho, s, E, options)) return gaussianExpectation2d(r.phi, r.psi, a, b, rho, tau);
  } else {
    // Above s = 0.5 through the interpolant and the accurate offset 1 − s (see PathCurve.evaluate); odex has
    // no dense output, so it integrates to the rounded s.
    const near = s > 0.5 && options.solver !== 'odex';
    const sol = solvePath(r.system, pathInitialValue(r.system, r.integrand, r.fns, a, b), a, b, q, near ? 0.5 : s, { ...pathOptions(options), dense: near });
    E = near && sol.dense ? sol.dense.evaluateComponentOffset(1, -pathOffset(rho, tau), r.indexOfOne) : sol.G[r.indexOfOne]!;
    maxAbsE = Math.max(sol.maxAbsE, Math.abs(E));
    if (r.guarded && options.method !== 'path' && !grownTrusted(r, a, b, q, rho, s, E, options)) return gaussianExpectation2d(r.phi, r.psi, a, b, rho, tau);
  }
  if (r.guarded && options.method !== 'path' && !(Math.abs(E) <= SCHWARZ_SLACK * schwarzBound(r, a, b))) {
    // |E[φψ]| ≤ ‖φ‖‖ψ‖: a value beyond it is not E (initial moments of an oscillating σ at large variance are tiny
    // cancellations with absolute errors only, and the path amplifies them); the 2-D quadrature has absolute accuracy.
    return gaussianExpectation2d(r.phi, r.psi, a, b, rho, tau);
  }
  if (options.method !== 'path' && !(maxAbsE <= KAPPA_SWITCH * Math.abs(E)) && recessiveAtBoundary(r, a, b, q, maxAbsE)) {
    // E recessive: the outward curve from near the boundary (cached per (a, b, q); one start serves every later
    // point of the side). Needs a monomial basis and a regular boundary point (pole order 1, the rank-2
    // systems); the rank-8 systems are stiff in both directions there (ACCURACY.md), so 2-D quadrature.
    if (usesDefaults(options) && monomialBasis(r.system) && boundaryPoleOrder(r.system) <= STRONG_POLE_ORDER) {
      return boundaryCurve(r.system, r.integrand, r.fns, r.phi, r.psi, a, b, q, s, 1, r.indexOfOne, pathOptions(options)).value(s);
    }
    return gaussianExpectation2d(r.phi, r.psi, a, b, rho, tau);
  }
  return E;
}

/**
 * A guarded system's path value E is trusted when a second solve at 100× the tolerance agrees with it to
 * GROWTH_CHECK·|E|: solver errors grow along the path like the dominant solutions, so the loose solve's error is ~100×
 * the tight one's and the tight value is then within ~GROWTH_CHECK/50 relative.
 */
function grownTrusted(r: Resolved, a: number, b: number, q: 1 | -1, rho: number, s: number, E: number, options: DualActivationOptions): boolean {
  const offset = singularAtRhoZero(r.system);
  const sStart = offset ? OFFSET_S : 1;
  if (s >= sStart) return true; // the x12-series itself, or ρ = 0
  const G0 = offset ? seriesVector(r.system, r.integrand, r.fns, a, b, q * OFFSET_RHO) : pathInitialValue(r.system, r.integrand, r.fns, a, b);
  const opts = pathOptions(options);
  const loose = solvePath(r.system, G0, a, b, q, s, { ...opts, rtol: 100 * opts.rtol!, sStart }).G[r.indexOfOne]!;
  return Math.abs(loose - E) <= GROWTH_CHECK * Math.abs(E) && Math.abs(rho) <= 1;
}

/** Slack of the Cauchy–Schwarz check (the norms are quadratures, accurate to ~1e-15 relative). */
const SCHWARZ_SLACK = 1 + 1e-9;

const norms = new WeakMap<SigmaSpec, Map<number, number>>();
/** ‖σ(√a Z)‖ = √E[σ(√a Z)²] by one 1-D quadrature, cached per (σ, a). */
function normOf(spec: SigmaSpec, a: number): number {
  let bySpec = norms.get(spec);
  if (!bySpec) norms.set(spec, (bySpec = new Map()));
  let n = bySpec.get(a);
  if (n === undefined) {
    if (bySpec.size >= 4096) bySpec.delete(bySpec.keys().next().value!);
    bySpec.set(a, (n = Math.sqrt(Math.abs(boundaryExpectation(spec, spec, a, a, 1)))));
  }
  return n;
}

/** The Cauchy–Schwarz bound ‖φ(u)‖·‖ψ(v)‖ of |E[φ(u)ψ(v)]|. */
function schwarzBound(r: Resolved, a: number, b: number): number {
  return normOf(r.phi, a) * normOf(r.psi, b);
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

/** Systems whose path matrix has a pole of order above this at the boundary leave |ρ| > 0.995 to quadrature. */
const STRONG_POLE_ORDER = 1.5;

const scratch = new Float64Array(2);

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
  const terms = resolveTerms(artifact, functions, options.integrand ?? 'sigma');
  const { out, abs } = sumOfTerms(terms, cs.length, (t, part) =>
    curveInto(t.r, t.swap ? b : a, t.swap ? a : b, cs, part, undefined, options, (i) => `cs[${i}]`),
  );
  for (let k = 0; k < cs.length; k++) {
    if (cancels(abs[k]!, out[k]!, options)) out[k] = sumByHermite(artifact, options.integrand ?? 'sigma', a, cs[k]!, b, out[k]!, abs[k]!);
  }
  return out;
}

/** Σ over the terms of what `fill` writes for each, and Σ of their absolute values (one term: the same array). */
function sumOfTerms(terms: readonly Term[], n: number, fill: (t: Term, out: Float64Array) => void): { out: Float64Array; abs: Float64Array } {
  const out = new Float64Array(n);
  fill(terms[0]!, out);
  if (terms.length === 1) return { out, abs: out.map(Math.abs) };
  const abs = out.map(Math.abs);
  const part = new Float64Array(n);
  for (let k = 1; k < terms.length; k++) {
    fill(terms[k]!, part);
    for (let i = 0; i < n; i++) {
      out[i]! += part[i]!;
      abs[i]! += Math.abs(part[i]!);
    }
  }
  return { out, abs };
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
  const terms = resolveTerms(artifact, functions, options.integrand ?? 'sigma');
  const swapped = terms.some((t) => t.swap) ? items.map(({ a, c, b }) => ({ a: b, c, b: a })) : items;
  const { out, abs } = sumOfTerms(terms, items.length, (t, part) => batchInto(t.r, t.swap ? swapped : items, part, options));
  if (terms.length > 1) {
    for (let k = 0; k < items.length; k++) {
      const { a, c, b } = items[k]!;
      if (cancels(abs[k]!, out[k]!, options)) out[k] = sumByHermite(artifact, options.integrand ?? 'sigma', a, c, b, out[k]!, abs[k]!);
    }
  }
  return out;
}

/** `dualActivationBatch` for one system and its two factors, into `out`. */
function batchInto(r: Resolved, items: readonly { a: number; c: number; b: number }[], out: Float64Array, options: DualActivationOptions): void {
  const rest =
    options.method === 'path' || options.method === 'quadrature' || options.scattered === 'never' || r.guarded
      ? undefined
      : scatteredInto(r, items, out, options);
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
    curveInto(r, a, b, cs, out, idx, options, (k) => `items[${idx[k]}]`);
  }
}

/** Below this many distinct (a, b) a batch is not worth a grid: the first level alone has 28 node paths + 12 checks. */
export const SCATTERED_MIN_GROUPS = 64;

/**
 * The grid may use at most this fraction of the group count in node paths: above it, grouping is cheaper (the
 * per-item interpolation and a declined attempt have to be paid from the difference).
 */
const SCATTERED_MAX_PATH_FRACTION = 0.5;

/**
 * Strong-boundary (rank-8) systems: the grid covers |ρ| ≤ 0.99 only (s ≥ 0.0709). Between 0.99 and 0.995 the
 * forward path drifts to ~2e-11 (ACCURACY.md §4), more than the grid's 1e-12 check can tell from interpolation
 * error (gelu σ did not converge in 64 intervals); those items take the per-(a, b) path.
 */
const SCATTERED_STRONG_MIN_S = Math.sqrt(1 - 0.99 * 0.99) / 1.99;

/**
 * Interpolates the interior items of a scattered batch on a (a or √a, b or √b, θ) grid (src/scatteredBatch.ts) and
 * returns the indices left to the per-(a, b) path, or undefined when no grid was used (few groups, or it would need too many
 * node paths).
 */
function scatteredInto(
  r: Resolved,
  items: readonly { a: number; c: number; b: number }[],
  out: Float64Array,
  options: DualActivationOptions,
): number[] | undefined {
  const stats: ScatteredStats = options.scatteredStats ?? { nodesA: 0, nodesB: 0, nodesTheta: 0, paths: 0, error: NaN, interpolated: 0, direct: items.length };
  Object.assign(stats, { nodesA: 0, nodesB: 0, nodesTheta: 0, paths: 0, error: NaN, interpolated: 0, direct: items.length });
  delete stats.declined;
  const n = items.length;
  const symmetric = r.phi === r.psi;
  const strong = boundaryPoleOrder(r.system) > STRONG_POLE_ORDER;
  // Grid coordinate per axis: a when σ(t·u) has a parity in t (E is then a function of a, after dividing by √a if
  // odd), else √a (E entire in √a); ACCURACY.md §7 compares a, √a and log a.
  const coordA: (v: number) => number = r.phi.scaleParity ? (v) => v : Math.sqrt;
  const coordB: (v: number) => number = r.psi.scaleParity ? (v) => v : Math.sqrt;
  const ta = new Float64Array(n);
  const tb = new Float64Array(n);
  const theta = new Float64Array(n);
  const inGrid = new Uint8Array(n);
  // Distinct (a, b), as a cost heuristic only: a numeric key hashes far faster than a string (10^5 items), and a
  // rare collision merely undercounts.
  const keys = new Set<number>();
  let loA = Infinity;
  let hiA = -Infinity;
  let loB = Infinity;
  let hiB = -Infinity;
  let loT = Infinity;
  let hiT = -Infinity;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const { a, c, b } = items[i]!;
    if (!(a > 0 && b > 0 && a < Infinity && b < Infinity && Number.isFinite(c))) continue;
    const delta = diffOfProducts(a, b, c, c);
    if (!(delta > 0)) continue; // |ρ| ≥ 1 or invalid: the group path classifies (and names) it
    const tau = Math.sqrt(delta / a / b);
    const rho = c / Math.sqrt(a) / Math.sqrt(b);
    if (strong && tau / (1 + Math.abs(rho)) < SCATTERED_STRONG_MIN_S) continue;
    // E(a, b, ρ) = E(b, a, ρ) when φ = ψ: ordering puts every item into the half a ≤ b (fewer distinct a). ta, tb:
    // the grid coordinates (a or √a).
    const swap = symmetric && a > b;
    ta[i] = coordA(swap ? b : a);
    tb[i] = coordB(swap ? a : b);
    theta[i] = Math.atan2(tau, rho);
    inGrid[i] = 1;
    count++;
    keys.add(a + Math.PI * b);
    loA = Math.min(loA, ta[i]!);
    hiA = Math.max(hiA, ta[i]!);
    loB = Math.min(loB, tb[i]!);
    hiB = Math.max(hiB, tb[i]!);
    loT = Math.min(loT, theta[i]!);
    hiT = Math.max(hiT, theta[i]!);
  }
  if (count === 0 || (options.scattered !== 'always' && keys.size < SCATTERED_MIN_GROUPS)) {
    stats.declined = `${keys.size} distinct (a, b)`;
    return undefined;
  }
  if (symmetric) {
    loA = loB = Math.min(loA, loB);
    hiA = hiB = Math.max(hiA, hiB);
  }
  // E/(√a·√b) where φ (ψ) vanishes at 0: then E is odd or O(t) in t = √a, so the quotient stays entire (a function
  // of a for an odd scale parity), and the grid's error becomes relative to √(ab) (relu: E ∝ √(ab) exactly). √E[φ²]
  // would be the natural scale, but its square root has complex branch points near the box: resin σ needed 65
  // nodes per axis instead of 17.
  const normed = (f: SigmaSpec): boolean => (f.scaleParity ? f.scaleParity === 'odd' : vanishesAtZero(f));
  const variance = (f: SigmaSpec) => (f.scaleParity ? (x: number) => x : (x: number) => x * x);
  const ctx = {
    system: r.system,
    integrand: r.integrand,
    fns: r.fns,
    indexOfOne: r.indexOfOne,
    symmetric,
    options: pathOptions(options),
    varianceA: variance(r.phi),
    varianceB: variance(r.psi),
    ...(normed(r.phi) ? { normA: Math.sqrt } : {}),
    ...(normed(r.psi) ? { normB: Math.sqrt } : {}),
  };
  const maxPaths = options.scattered === 'always' ? Infinity : Math.floor(keys.size * SCATTERED_MAX_PATH_FRACTION);
  const grid = ScatteredGrid.build(ctx, [loA, hiA], [loB, hiB], [loT, hiT], maxPaths, stats);
  if (!grid) return undefined;
  const order = new Uint32Array(count);
  for (let i = 0, k = 0; i < n; i++) if (inGrid[i]) order[k++] = i;
  order.sort((x, y) => ta[x]! - ta[y]!);
  const scale = new Float64Array(n);
  grid.evaluateSorted(ta, tb, theta, order, out, scale);
  const rest: number[] = [];
  const itemTol = SCATTERED_ITEM_TOL * scatteredToleranceScale(options.rtol);
  for (let i = 0; i < n; i++) {
    // The estimate is relative to the local scale, not to E: small |E| (zero crossings, recessive sides) goes direct.
    if (!inGrid[i] || !(grid.errorAt(theta[i]!) * scale[i]! <= itemTol * Math.abs(out[i]!))) rest.push(i);
  }
  stats.interpolated = n - rest.length;
  stats.direct = rest.length;
  return rest;
}

/** Writes E for (a, cs[k], b) into out[where ? where[k] : k]. */
function curveInto(
  r: Resolved,
  a: number,
  b: number,
  cs: ArrayLike<number>,
  out: Float64Array,
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
  if (r.guarded) {
    // Every path value is checked by a second solve (or the path starts off ρ = 0): point by point.
    for (let k = 0; k < n; k++) {
      try {
        out[at(k)] = dualOfSystem(r, a, cs[k]!, b, options);
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
      if (Number.isNaN(value)) value = boundaryExpectation(r.phi, r.psi, a, b, 1);
      out[at(k)] = value;
    }
    return;
  }
  if (!Number.isFinite(a) || !Number.isFinite(b)) fail(0, new DomainError(`a = ${a}, b = ${b} must be finite`));
  // Path coordinates: s[k] ∈ (0, 1] for interior points, side[k] = ±1; side 0 marks a boundary point |ρ| = 1.
  const s = new Float64Array(n);
  const offset = new Float64Array(n); // 1 − s, accurate near ρ = 0 (pathOffset)
  const side = new Int8Array(n);
  const sa = Math.sqrt(a);
  const sb = Math.sqrt(b);
  const sqrtAB = sa * sb;
  const sMin = [1, 1]; // per side (index 0: q = −1, 1: q = +1)
  const boundaryValue: [number, number] = [NaN, NaN];
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
    if (Number.isNaN(boundaryValue[q])) boundaryValue[q] = boundaryExpectation(r.phi, r.psi, a, b, q === 0 ? -1 : 1);
    out[at(k)] = boundaryValue[q];
    side[k] = 0;
  }
  const G0 = pathInitialValue(r.system, r.integrand, r.fns, a, b);
  const one = r.indexOfOne;
  const opts = pathOptions(options);
  for (const q of [-1, 1] as const) {
    let end = sMin[q < 0 ? 0 : 1]!;
    if (options.method !== 'path' && options.method !== 'quadrature' && end < STRONG_BOUNDARY_MIN_S && boundaryPoleOrder(r.system) > STRONG_POLE_ORDER) {
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
          out[at(k)] = p ? p.value(s[k]!) : quadratureAt(r, a, b, cs[k]!);
          side[k] = 0;
        } else if (s[k]! < end) end = s[k]!;
      }
    }
    let any = false;
    for (let k = 0; k < n && !any; k++) any = side[k] === q;
    if (!any) continue;
    if (options.method === 'quadrature') {
      for (let k = 0; k < n; k++) if (side[k] === q) out[at(k)] = quadratureAt(r, a, b, cs[k]!);
      continue;
    }
    const sol = solvePath(r.system, G0, a, b, q, end, { ...opts, dense: true, solver: 'dop853' });
    const dense = sol.dense;
    // Recessive points (κ > KAPPA_SWITCH) are redone from the boundary side: one 2-D quadrature of G at the point
    // nearest the boundary, one outward integration over every point up to the farthest recessive one.
    let badHi = -Infinity;
    let first = -1;
    const limit = sol.maxAbsE / KAPPA_SWITCH;
    for (let k = 0; k < n; k++) {
      if (side[k] !== q) continue;
      const sk = s[k]!;
      if (first < 0 || sk < s[first]!) first = k;
      const E = !dense ? G0[one]! : sk > 0.5 ? dense.evaluateComponentOffset(1, -offset[k]!, one) : dense.evaluateComponent(sk, one);
      out[at(k)] = E;
      if (options.method !== 'path' && !(Math.abs(E) >= limit) && sk > badHi) badHi = sk;
    }
    if (badHi < 0 || !recessiveAtBoundary(r, a, b, q, sol.maxAbsE)) continue;
    const c = cs[first]!;
    const Gb = nearBoundaryVector(r.system, r.integrand, r.fns, a, b, c / sqrtAB, Math.sqrt(diffOfProducts(a, b, c, c) / a / b));
    const back = solvePath(r.system, Gb, a, b, q, badHi, { ...opts, dense: true, solver: 'dop853', sStart: s[first]! });
    for (let k = 0; k < n; k++) {
      if (side[k] !== q || s[k]! > badHi) continue;
      out[at(k)] = back.dense ? back.dense.evaluateComponent(s[k]!, one) : Gb[one]!;
    }
  }
}

/** φ(±1e-6) is O(1e-6) of φ(±1): φ vanishes at 0 (relu, resin σ, gelu σ, erf), unlike the step or σ̇ of resin. */
function vanishesAtZero(f: SigmaSpec): boolean {
  const h = 1e-6;
  return Math.abs(f.sigma(h)) + Math.abs(f.sigma(-h)) <= 10 * h * (Math.abs(f.sigma(1)) + Math.abs(f.sigma(-1)));
}

function quadratureAt(r: Resolved, a: number, b: number, c: number): number {
  const kind = classifyCovariance(a, c, b);
  if (kind.kind !== 'interior') return NaN; // not reached: boundary points are handled before
  return gaussianExpectation2d(r.phi, r.psi, a, b, kind.rho, kind.tau);
}
