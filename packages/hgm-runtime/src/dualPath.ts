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
 * rational in s, so x(s) and the Pfaffian matrices at x(s) are evaluated in double-double from the exact
 * float64 s: no cancellation in x11x22 − x12² ∝ s² survives (it would cost ε/s² in float64). The unknown is the
 * E-scaled vector G = √(det x)/π · F⃗ (G_l = 2^j E[u^{2i+j} v^{2k+j} φ(u)ψ(v)] for a monomial basis element),
 * which stays bounded up to |ρ| = 1 while F⃗ itself blows up like 1/√(det Λ):
 *
 *   dG/ds = (Σ_v P_v(x(s)) · dx_v/ds − (d/ds) ln sin θ · I) G,   (d/ds) ln sin θ = (1 − s²)/(s(1 + s²)).
 */
import type { Integrand, PfaffianSystem } from './artifact.ts';
import { parseDMonomial } from './artifact.ts';
import { gaussianExpectation2d } from './boundaryQuadrature.ts';
import { DomainError } from './errors.ts';
import type { SigmaSpec } from './moments.ts';
import { compileExpressionsDd, sqrtProductDd, type CompiledDd } from './doubleDouble.ts';
import { initialVector, prepareSystem, type IntegrandFunctions } from './hgm.ts';
import { DenseSolution, Dop853, type OdeResult, type OdeRhs, type OdeStats } from './ode.ts';
import { solveOdex } from './odex.ts';
import { compileExpressions, parseRationalExpression, PFAFFIAN_VARIABLES, type CompiledExpressions, type Expr } from './rationalExpression.ts';

/** Variables of the compiled path matrix, each a dd pair: s, a, b, r = √(ab), q = ±1. */
const PATH_VARIABLES = ['s', 'a', 'b', 'r', 'q'] as const;

const num = (n: number): Expr => ({ kind: 'num', text: String(n), value: n });
const v = (name: string): Expr => ({ kind: 'var', name });
const bin = (kind: 'add' | 'sub' | 'mul' | 'div', left: Expr, right: Expr): Expr => ({ kind, left, right });
const pow = (base: Expr, exponent: number): Expr => ({ kind: 'pow', base, exponent });

function substitute(e: Expr, map: Readonly<Record<string, Expr>>): Expr {
  switch (e.kind) {
    case 'num':
      return e;
    case 'var':
      return map[e.name] ?? e;
    case 'neg':
      return { kind: 'neg', arg: substitute(e.arg, map) };
    case 'pow':
      return pow(substitute(e.base, map), e.exponent);
    default:
      return bin(e.kind, substitute(e.left, map), substitute(e.right, map));
  }
}

/** The path matrix compiled twice: in dd (near the boundary) and in float64 (cheap, where it is accurate). */
export interface PathMatrix {
  dd: CompiledDd;
  f64: CompiledExpressions;
}

/**
 * Below this s the float64 matrix is not used: its entries lose ~ε/sin²θ to the cancellation in
 * x11x22 − x12², i.e. 100ε at s = 0.05 (1 − |ρ| ≈ 0.005); the dd matrix costs ~10× more per evaluation.
 */
export const DD_BELOW_S = 0.05;

/** Above this s the float64 matrix is trusted without a check (the path of |ρ| ≤ 0.8 ends above it). */
export const DD_CHECK_ABOVE = 0.35;

/** The float64 matrix is not used where an entry is off by more than this relative to its row's max. */
export const F64_ROW_TOLERANCE = 1e-12;

/** A system is "high-degree" where its float64 matrix is off by more than this relative to max|M| above s = 0.05. */
export const F64_NORM_TOLERANCE = 1e-11;

const pathMatrices = new WeakMap<PfaffianSystem, PathMatrix>();
const ddThresholds = new WeakMap<PfaffianSystem, Map<string, DdThreshold>>();

/** Where the float64 path matrix of (a, b, q) stops being accurate (see ddThreshold). */
export interface DdThreshold {
  /** Below this s the matrix is evaluated in dd (≥ DD_BELOW_S). */
  s: number;
  /**
   * The float64 matrix loses more than F64_NORM_TOLERANCE·max|M| above DD_BELOW_S: the expanded high-degree
   * entries of erf/phi σ, resin, gelu (not the rank-2 kinked systems, whose small entries only lose relatively).
   */
  highDegree: boolean;
}

/**
 * The grid 0.35·0.8^k (down to DD_BELOW_S), comparing the float64 matrix with the dd one: `s` is the largest
 * grid point with an entry error above F64_ROW_TOLERANCE·(row max), moved one grid step up (DD_BELOW_S if none).
 * erf σ loses ~1e-11 at s = 0.2 and 1e-5 at s = 0.05 in float64, where the step system loses 1e-12 (ACCURACY.md).
 * A few dd evaluations, cached per (system, a, b, q).
 */
export function ddThreshold(system: PfaffianSystem, a: number, b: number, q: 1 | -1): DdThreshold {
  let cache = ddThresholds.get(system);
  if (!cache) ddThresholds.set(system, (cache = new Map()));
  const key = `${a}:${b}:${q}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const M = pathMatrix(system);
  const r = system.rank;
  const [rh, rl] = sqrtProductDd(a, b);
  const m64 = new Float64Array(r * r);
  const mdd = new Float64Array(r * r);
  const result: DdThreshold = { s: DD_BELOW_S, highDegree: false };
  let prev = DD_CHECK_ABOVE / 0.8;
  let rowBad = false;
  for (let s = DD_CHECK_ABOVE; s > DD_BELOW_S && !(rowBad && result.highDegree); prev = s, s *= 0.8) {
    M.f64([s, a, b, rh, q], m64);
    M.dd(Float64Array.of(s, 0, a, 0, b, 0, rh, rl, q, 0), mdd);
    let norm = 0;
    for (const x of mdd) norm = Math.max(norm, Math.abs(x));
    for (let i = 0; i < r; i++) {
      let rowMax = 0;
      for (let j = 0; j < r; j++) rowMax = Math.max(rowMax, Math.abs(mdd[i * r + j]!));
      for (let j = 0; j < r; j++) {
        const e = Math.abs(m64[i * r + j]! - mdd[i * r + j]!);
        if (!(e <= F64_ROW_TOLERANCE * rowMax) && !rowBad) {
          rowBad = true;
          result.s = prev;
        }
        if (!(e <= F64_NORM_TOLERANCE * norm)) result.highDegree = true;
      }
    }
  }
  if (cache.size > 256) cache.clear();
  cache.set(key, result);
  return result;
}

/**
 * The r×r matrix of dG/ds = M(s) G as one compiled dd function of (s, a, b, √(ab), q) (row-major output).
 *
 * @example
 *   const M = pathMatrix(artifact.systems[0]);
 *   const out = new Float64Array(4);
 *   M.dd(Float64Array.of(0.5, 0, 1, 0, 1, 0, 1, 0, -1, 0), out); // s = 0.5, a = b = 1, q = −1 (dd pairs)
 *   M.f64([0.5, 1, 1, 1, -1], out); // the same in float64
 */
export function pathMatrix(system: PfaffianSystem): PathMatrix {
  const hit = pathMatrices.get(system);
  if (hit) return hit;
  const s = v('s');
  const s2 = pow(s, 2);
  const onePlus = bin('add', num(1), s2);
  const oneMinus = bin('sub', num(1), s2);
  const s3 = pow(s, 3);
  const x11 = { kind: 'neg', arg: bin('div', pow(onePlus, 2), bin('mul', bin('mul', num(8), v('a')), s2)) } as const;
  const x22 = { kind: 'neg', arg: bin('div', pow(onePlus, 2), bin('mul', bin('mul', num(8), v('b')), s2)) } as const;
  const x12 = bin('div', bin('mul', v('q'), bin('sub', num(1), pow(s2, 2))), bin('mul', bin('mul', num(8), v('r')), s2));
  const dx11 = bin('div', bin('mul', onePlus, oneMinus), bin('mul', bin('mul', num(4), v('a')), s3));
  const dx22 = bin('div', bin('mul', onePlus, oneMinus), bin('mul', bin('mul', num(4), v('b')), s3));
  const dx12 = { kind: 'neg', arg: bin('div', bin('mul', v('q'), bin('add', num(1), pow(s2, 2))), bin('mul', bin('mul', num(4), v('r')), s3)) } as const;
  const shift = bin('div', oneMinus, bin('mul', s, onePlus));
  const map = { x11, x12, x22 };
  const derivative = { x11: dx11, x12: dx12, x22: dx22 };
  const r = system.rank;
  const entries: Expr[] = [];
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < r; j++) {
      let e: Expr | undefined;
      for (const name of PFAFFIAN_VARIABLES) {
        const p = parseRationalExpression(system.pfaffian[name][i]![j]!, PFAFFIAN_VARIABLES);
        if (p.kind === 'num' && p.value === 0) continue;
        const term = bin('mul', substitute(p, map), derivative[name]);
        e = e ? bin('add', e, term) : term;
      }
      if (i === j) e = e ? bin('sub', e, shift) : { kind: 'neg', arg: shift };
      entries.push(e ?? num(0));
    }
  }
  const compiled = { dd: compileExpressionsDd(entries, PATH_VARIABLES), f64: compileExpressions(entries, PATH_VARIABLES) };
  pathMatrices.set(system, compiled);
  return compiled;
}

/** Where a Λ = [[a, c], [c, b]] with |ρ| < 1 sits on the path of its (a, b): side q = sign c and s = tan(θ/2). */
export interface PathPoint {
  q: 1 | -1;
  s: number;
}

/**
 * The path coordinate of Λ: with sin θ = √(Δ/(ab)) (Δ = ab − c², accurate) and cos θ = |c|/√(ab),
 * s = sin θ/(1 + cos θ) = tan(θ/2) has a relative error of a few ulps even when 1 − |ρ| = 1e-15.
 *
 * @example pathPoint(1, 0); // { q: 1, s: 1 }
 */
export function pathPoint(tau: number, rho: number): PathPoint {
  return { q: rho < 0 ? -1 : 1, s: tau / (1 + Math.abs(rho)) };
}

export interface PathOptions {
  /** Relative tolerance of the ODE solver (default 1e-13). */
  rtol?: number;
  /** atol = atolFactor · rtol · max|G(ρ = 0)| (default 1). */
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
}

const workspaces = new Map<number, Dop853>();

/** G at s = 1: √(det x)/π · F⃗(−1/(2a), 0, −1/(2b)), det x = 1/(4ab). */
export function pathInitialValue(system: PfaffianSystem, integrand: Integrand, functions: IntegrandFunctions, a: number, b: number): Float64Array {
  const F = initialVector(system, integrand, -0.5 / a, -0.5 / b, functions);
  const scale = 1 / (2 * Math.PI * Math.sqrt(a) * Math.sqrt(b));
  return F.map((f) => f * scale);
}

/**
 * Integrates dG/ds = M(s)G from s = sStart (default 1, i.e. ρ = 0, with G0 from `pathInitialValue`) to
 * sEnd ∈ (0, 1] on side q (see the file comment). Starting near the boundary (G0 from `nearBoundaryVector`) and
 * integrating toward s = 1 is the well-conditioned direction when E is recessive there (ACCURACY.md).
 *
 * @example
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
  options: PathOptions & { dense?: boolean; sStart?: number } = {},
): PathSolution {
  const sStart = options.sStart ?? 1;
  const sys = prepareSystem(system);
  const r = sys.rank;
  const M = pathMatrix(system);
  const [rh, rl] = sqrtProductDd(a, b);
  const xin = Float64Array.of(sStart, 0, a, 0, b, 0, rh, rl, q, 0);
  const x64 = Float64Array.of(sStart, a, b, rh, q);
  const m = new Float64Array(r * r);
  const one = sys.indexOfOne;
  let maxNorm = 0;
  for (const g of G0) maxNorm = Math.max(maxNorm, Math.abs(g));
  let maxAbsE = Math.abs(G0[one]!);
  const ddBelow = Math.min(sStart, sEnd) < DD_CHECK_ABOVE ? ddThreshold(system, a, b, q).s : DD_BELOW_S;
  const rhs: OdeRhs = (s, y, dy) => {
    if (s >= ddBelow) {
      x64[0] = s;
      M.f64(x64, m);
    } else {
      xin[0] = s;
      M.dd(xin, m);
    }
    for (let i = 0; i < r; i++) {
      let acc = 0;
      for (let j = 0; j < r; j++) acc += m[i * r + j]! * y[j]!;
      dy[i] = acc;
    }
  };
  // Only accepted points: stage values of rejected steps can be far off the solution.
  const onStep = (_t: number, y: Float64Array): void => {
    maxAbsE = Math.max(maxAbsE, Math.abs(y[one]!));
  };
  const rtol = options.rtol ?? 1e-13;
  // Absolute tolerance relative to the size of G at ρ = 0: G has no natural unit (E scales with σ).
  const atol = (options.atolFactor ?? 1) * rtol * (maxNorm > 0 ? maxNorm : 1e-300);
  let result: OdeResult;
  if (sEnd === sStart) {
    result = { t: sEnd, y: Float64Array.from(G0), stats: { nfev: 0, naccept: 0, nreject: 0 } };
  } else if (options.solver === 'odex') {
    result = solveOdex(rhs, sStart, G0, sEnd, { rtol, atol });
    onStep(sEnd, result.y); // odex reports no intermediate steps: the ends only
  } else {
    let solver = workspaces.get(r);
    if (!solver) workspaces.set(r, (solver = new Dop853(r)));
    result = solver.solve(rhs, sStart, G0, sEnd, { rtol, atol, dense: options.dense ?? false, onStep });
  }
  if (options.stats) Object.assign(options.stats, result.stats);
  return { G0, G: result.y, maxAbsE, indexOfOne: one, ...(result.dense ? { dense: result.dense } : {}) };
}

/**
 * G at the path point (ρ, τ) by direct 2-D quadrature: G_l = 2^j E[u^{2i+j} v^{2k+j} φ(u)ψ(v)] for the monomial
 * basis element ∂11^i ∂12^j ∂22^k. The start of an outward integration from near the boundary. Needs a monomial
 * basis (an operator label's coefficients are not given away from x12 = 0).
 *
 * @example nearBoundaryVector(system, 'sigma', { sigma: ACTIVATIONS.step.sigma }, 1, 1, -Math.cos(1e-4), Math.sin(1e-4));
 */
export function nearBoundaryVector(
  system: PfaffianSystem,
  integrand: Integrand,
  functions: IntegrandFunctions,
  a: number,
  b: number,
  rho: number,
  tau: number,
): Float64Array {
  const [phi, psi] = factorSpecs(system, integrand, functions);
  return Float64Array.from(system.basis, (label, l) => {
    let e: number[];
    try {
      e = parseDMonomial(label);
    } catch {
      throw new DomainError(`basis element ${l} ('${label}') is not a ∂-monomial: no near-boundary start for this system`);
    }
    const [i, j, k] = e as [number, number, number];
    return 2 ** j * gaussianExpectation2d(phi, psi, a, b, rho, tau, { powerU: 2 * i + j, powerV: 2 * k + j });
  });
}

/** The 1-D functions [φ, ψ] of the integrand's initial-value recipe (normally [σ, σ] or [σ̇, σ̇]). */
export function factorSpecs(system: PfaffianSystem, integrand: Integrand, functions: IntegrandFunctions): [SigmaSpec, SigmaSpec] {
  const vec = system.initialValues.vectors.find((v) => v.integrand === integrand);
  if (!vec) throw new DomainError(`the system serves ${system.integrands.join(', ')}, not '${integrand}'`);
  const phi = functions[vec.factors[0]];
  const psi = functions[vec.factors[1]];
  if (!phi || !psi) throw new DomainError(`'${integrand}' needs the functions ${vec.factors.join(' and ')}; pass them in the functions`);
  return [phi, psi];
}
