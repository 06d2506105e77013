/**
 * The holonomic gradient method for dual activations: initial values F⃗ at (x11, 0, x22) from 1-D moments, then
 * dF⃗/dx12 = P_12(x11, x12, x22) F⃗ along x12 at fixed x11, x22, which stays inside the negative-definite cone
 * (MATH.md §5). Works from the artifact alone.
 */
import {
  type Integrand,
  type PfaffianArtifact,
  type PfaffianSystem,
  parseDMonomial,
  DomainError,
  diffOfProducts,
  parseRationalExpression,
  PFAFFIAN_VARIABLES,
} from '@holonomic-ntk/core';
import { compileExpressions, compilePfaffian, type CompiledExpressions, type PfaffianEvaluator } from './compiledExpressions.ts';
import type { FactorName, SigmaSpec } from '@holonomic-ntk/core';
import { momentAbsVector, momentVector } from './moments.ts';
import { Dop853, type OdeResult, type OdeRhs, type OdeStats } from './ode.ts';
import { solveOdex } from './odex.ts';

/**
 * The 1-D functions whose moments give the initial values, by the name the recipe uses (`sigma`, `dsigma`, or
 * `sigma#i` for piece i of an activation split into pieces), and optionally the activation's name (checked against
 * the artifact's). A built-in activation of core's registry is one.
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * import { builtinArtifact, dualActivation, type IntegrandFunctions } from '@holonomic-ntk/hgm-runtime';
 * const fns: IntegrandFunctions = { name: 'relu', sigma: ACTIVATIONS.relu.sigma };
 * dualActivation(builtinArtifact('relu'), fns, 1, 0.5, 1); // ≈ 0.30449889052211465
 * dualActivation(builtinArtifact('step'), fns, 1, 0.5, 1); // throws DomainError
 * ```
 */
export type IntegrandFunctions = Partial<Record<Integrand, SigmaSpec>> & { name?: string };

/** The function a recipe names (`sigma`, `dsigma`, or a piece's `sigma#i`, an extra key of the object). */
export function factorFunction(functions: IntegrandFunctions, name: FactorName): SigmaSpec | undefined {
  return (functions as Readonly<Record<string, SigmaSpec | undefined>>)[name];
}

/**
 * Options of `evaluateSystem`.
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * import { builtinArtifact, evaluateSystem, type HgmOptions } from '@holonomic-ntk/hgm-runtime';
 * const options: HgmOptions = { rtol: 1e-12, stats: { nfev: 0, naccept: 0, nreject: 0 } };
 * evaluateSystem(builtinArtifact('relu'), 0, 'sigma', -1, 0.5, -1, ACTIVATIONS.relu, options)[0]; // ≈ 0.7363998587187 ± 1e-10
 * options.stats!.nfev > 0; // → true
 * ```
 */
export interface HgmOptions {
  /** Relative tolerance of the ODE solver (default 1e-13). */
  rtol?: number;
  /** Absolute tolerance; default rtol · max|F⃗(x11, 0, x22)|, so it scales with F (which has no natural unit). */
  atol?: number;
  /** `dop853` (default) or `odex`. */
  solver?: 'dop853' | 'odex';
  /** Filled with the ODE solver's work counts. */
  stats?: OdeStats;
}

/** An artifact system compiled for evaluation; cached per system object. */
export interface PreparedSystem {
  readonly rank: number;
  /** All three Pfaffian matrices in one function; out has 3·r² entries: P_11, P_12, P_22 (row-major). */
  readonly pfaffian: PfaffianEvaluator;
  /** P_12 alone (what the ODE along x12 needs). */
  readonly p12: PfaffianEvaluator;
  /** Index of the basis element "1" (F itself). */
  readonly indexOfOne: number;
  /** Values of the singular-locus polynomials (one per entry) at x. */
  readonly singular: CompiledExpressions;
  readonly singularCount: number;
  /** @internal */
  readonly vectors: ReadonlyMap<Integrand, PreparedVector>;
}

interface PreparedVector {
  factors: [FactorName, FactorName];
  /** Per term: element index, i, j, k; coefficients evaluated by `coeffs` in the same order. */
  terms: { element: number; i: number; j: number; k: number }[];
  coeffs: CompiledExpressions;
  maxU: number;
  maxV: number;
}

const prepared = new WeakMap<PfaffianSystem, PreparedSystem>();

/**
 * Compiles a (validated) system once: Pfaffian evaluators, initial-value recipe, singular locus.
 *
 * For instance (illustration, not run):
 *   const sys = prepareSystem(artifact.systems[0]);
 *   const P = new Float64Array(3 * sys.rank ** 2);
 *   sys.pfaffian(-1, 0.2, -1, P); // P_11, P_12, P_22 at x
 */
export function prepareSystem(system: PfaffianSystem): PreparedSystem {
  const hit = prepared.get(system);
  if (hit) return hit;
  const parseMatrix = (m: string[][]) => m.map((row) => row.map((e) => parseRationalExpression(e, PFAFFIAN_VARIABLES)));
  const matrices = PFAFFIAN_VARIABLES.map((v) => parseMatrix(system.pfaffian[v]));
  const vectors = new Map<Integrand, PreparedVector>();
  for (const vec of system.initialValues.vectors) {
    const terms: PreparedVector['terms'] = [];
    const coeffs: string[] = [];
    let maxU = 0;
    let maxV = 0;
    vec.elements.forEach((element, l) => {
      for (const t of element) {
        terms.push({ element: l, i: t.i, j: t.j, k: t.k });
        coeffs.push(t.coeff);
        maxU = Math.max(maxU, 2 * t.i + t.j);
        maxV = Math.max(maxV, 2 * t.k + t.j);
      }
    });
    vectors.set(vec.integrand, {
      factors: vec.factors,
      terms,
      coeffs: compileExpressions(
        coeffs.map((c) => parseRationalExpression(c, PFAFFIAN_VARIABLES)),
        PFAFFIAN_VARIABLES,
      ),
      maxU,
      maxV,
    });
  }
  const indexOfOne = system.basis.findIndex((b) => {
    try {
      return parseDMonomial(b).every((e) => e === 0);
    } catch {
      return false;
    }
  });
  const result: PreparedSystem = {
    rank: system.rank,
    pfaffian: compilePfaffian(matrices),
    p12: compilePfaffian([matrices[1]!]),
    indexOfOne,
    singular: compileExpressions(
      system.singularLocus.map((e) => parseRationalExpression(e, PFAFFIAN_VARIABLES)),
      PFAFFIAN_VARIABLES,
    ),
    singularCount: system.singularLocus.length,
    vectors,
  };
  prepared.set(system, result);
  return result;
}

/**
 * F⃗ = (s_1•F, …, s_r•F) at (x11, 0, x22) from the recipe: Σ coeff · 2^j m^u_{2i+j}(x11) m^v_{2k+j}(x22).
 *
 * E.g. `initialVector(stepArtifact.systems[0], 'sigma', -1, -1, { sigma: ACTIVATIONS.step.sigma })` gives [π/4, 1/2].
 */
export function initialVector(
  system: PfaffianSystem,
  integrand: Integrand,
  x11: number,
  x22: number,
  functions: IntegrandFunctions,
  scaleOut?: Float64Array,
): Float64Array {
  const sys = prepareSystem(system);
  const vec = sys.vectors.get(integrand);
  if (!vec) throw new DomainError(`the system serves ${system.integrands.join(', ')}, not '${integrand}'`);
  const fu = factorFunction(functions, vec.factors[0]);
  const fv = factorFunction(functions, vec.factors[1]);
  if (!fu || !fv) {
    throw new DomainError(`initial values of '${integrand}' need the moments of ${vec.factors.join(' and ')}; pass them in the functions`);
  }
  const mu = momentVector(fu, x11, vec.maxU);
  const mv = momentVector(fv, x22, vec.maxV);
  const c = new Float64Array(vec.terms.length);
  vec.coeffs([x11, 0, x22], c);
  const F = new Float64Array(sys.rank);
  vec.terms.forEach((t, n) => {
    F[t.element]! += c[n]! * 2 ** t.j * mu[2 * t.i + t.j]! * mv[2 * t.k + t.j]!;
  });
  if (scaleOut) {
    // initialVectorScale, from the same coefficients and moments.
    const Au = momentAbsVector(fu, x11, vec.maxU);
    const Av = momentAbsVector(fv, x22, vec.maxV);
    scaleOut.fill(0);
    vec.terms.forEach((t, n) => {
      const p = 2 * t.i + t.j;
      const q = 2 * t.k + t.j;
      scaleOut[t.element]! += (Math.abs(c[n]!) * 2 ** t.j * (Math.abs(mu[p]!) * Av[q]! + Au[p]! * Math.abs(mv[q]!))) / 2;
    });
  }
  return F;
}

/**
 * The scale each element of `initialVector` is computed at: Σ |coeff|·2^j·(|m^u|·A^v + A^u·|m^v|)/2 with A_j the
 * moments of |u^j σ| (`momentAbsVector`), the sizes the moments' rounding is relative to. It equals |F_l| for an
 * element of one term whose moments do not cancel (A = |m|); where a moment cancels to nearly 0 (the moments of
 * Y·cos(10u) at variance 100 are ~e^{−50} of A), the element is known only to ε times this, not ε times its value.
 * Two moments that both cancel (an odd σ's m_0·m_0) give a second-order size, as they should.
 *
 * For instance (illustration, not run):
 *   initialVectorScale(system, 'dsigma', -50, -0.005, ACTIVATIONS.resin); // E's element: ≈ |m_0(−50)|·A_0(−0.005)/2
 */
export function initialVectorScale(system: PfaffianSystem, integrand: Integrand, x11: number, x22: number, functions: IntegrandFunctions): Float64Array {
  const out = new Float64Array(system.rank);
  initialVector(system, integrand, x11, x22, functions, out);
  return out;
}

/** One solver workspace per dimension: evaluations are synchronous, so sharing is safe and saves garbage. */
const workspaces = new Map<number, Dop853>();

/**
 * F⃗(x11, x12, x22) = (s_1•F, …, s_r•F) for `integrand` of system `systemIndex`, by the HGM along x12 from 0 (the
 * x-space method; `dualActivation` is the covariance-space one). F(x) = ∫∫ φ(u)ψ(v) e^{x11 u² + 2 x12 uv + x22 v²},
 * the basis elements s_l are the artifact's (`system.basis`). x must be negative definite and off the singular locus.
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * import { builtinArtifact, evaluateSystem } from '@holonomic-ntk/hgm-runtime';
 * const relu = builtinArtifact('relu');
 * relu.systems[0].basis; // → ['1', 'dx12']
 * // At x12 = 0 the integral factorizes: F = (∫₀^∞ u e^{−u²} du)² = 1/4.
 * evaluateSystem(relu, 0, 'sigma', -1, 0, -1, ACTIVATIONS.relu)[0]; // ≈ 0.25
 * // x = −½Λ⁻¹ for Λ = [[2/3, 1/3], [1/3, 2/3]] (ρ = 0.5): F = 2π√(det Λ)·E[relu(u)relu(v)].
 * const E = (2 / 3) * (Math.sqrt(3) / 2 + (Math.PI - Math.acos(0.5)) * 0.5) / (2 * Math.PI);
 * evaluateSystem(relu, 0, 'sigma', -1, 0.5, -1, ACTIVATIONS.relu)[0]; // ≈ 2 * Math.PI * Math.sqrt(1 / 3) * E ± 1e-12
 * evaluateSystem(relu, 0, 'sigma', -1, 1, -1, ACTIVATIONS.relu); // throws DomainError
 * ```
 */
export function evaluateSystem(
  artifact: PfaffianArtifact,
  systemIndex: number,
  integrand: Integrand,
  x11: number,
  x12: number,
  x22: number,
  functions: IntegrandFunctions,
  options: HgmOptions = {},
): Float64Array {
  const system = artifact.systems[systemIndex];
  if (!system) throw new RangeError(`the artifact has ${artifact.systems.length} systems; no index ${systemIndex}`);
  if (functions.name !== undefined && functions.name !== artifact.activation.name) {
    throw new DomainError(`the artifact is for '${artifact.activation.name}', the functions are for '${functions.name}'`);
  }
  if (!(x11 < 0 && x22 < 0 && diffOfProducts(x11, x22, x12, x12) > 0)) {
    throw new DomainError(`x = [[${x11}, ${x12}], [${x12}, ${x22}]] is not negative definite (|ρ| ≥ 1 or a variance ≤ 0)`);
  }
  const sys = prepareSystem(system);
  checkNotSingular(sys, x11, 0, x22);
  checkNotSingular(sys, x11, x12, x22);
  const F0 = initialVector(system, integrand, x11, x22, functions);
  if (x12 === 0) return F0;

  const r = sys.rank;
  const rtol = options.rtol ?? 1e-13;
  let scale = 0;
  for (const v of F0) scale = Math.max(scale, Math.abs(v));
  const atol = options.atol ?? rtol * (scale > 0 ? scale : 1e-300);
  const P = new Float64Array(r * r);
  const rhs: OdeRhs = (t, y, dy) => {
    sys.p12(x11, t, x22, P);
    for (let i = 0; i < r; i++) {
      let s = 0;
      for (let j = 0; j < r; j++) s += P[i * r + j]! * y[j]!;
      dy[i] = s;
    }
  };
  let result: OdeResult;
  if (options.solver === 'odex') {
    result = solveOdex(rhs, 0, F0, x12, { rtol, atol });
  } else {
    let solver = workspaces.get(r);
    if (!solver) workspaces.set(r, (solver = new Dop853(r)));
    result = solver.solve(rhs, 0, F0, x12, { rtol, atol });
  }
  if (options.stats) Object.assign(options.stats, result.stats);
  return result.y;
}

function checkNotSingular(sys: PreparedSystem, x11: number, x12: number, x22: number): void {
  if (sys.singularCount === 0) return;
  const v = new Float64Array(sys.singularCount);
  sys.singular([x11, x12, x22], v);
  const k = v.findIndex((s) => s === 0 || !Number.isFinite(s));
  if (k >= 0) throw new DomainError(`x = (${x11}, ${x12}, ${x22}) lies on the singular locus (entry ${k})`);
}
