/**
 * Systems that are singular at ρ = 0. The mixed integrand of two pieces of a piecewise activation (ELU's u·Y(u)
 * and e^v·Y(−v)) gives a dual system whose Pfaffian has a pole on x12 = 0 in every basis the compiler tries,
 * although F itself is analytic there (the double integral converges for every x in the cone): the singularity
 * belongs to other solutions of the system. The usual start at ρ = 0 (moment products) then sits on the pole.
 *
 * So F⃗ is summed as a series in ρ whose coefficients are 1-D Gaussian integrals again (MATH.md §9): the Taylor
 * series in x12 of ∂11^i ∂12^j ∂22^k F, whose coefficients are moment products, regrouped as Mehler's expansion at
 * the fixed variances (`seriesVector`). Its terms decay like |ρ|^n, so up to |ρ| = OFFSET_RHO the series is the
 * value itself, and beyond it is the start of the ODE path at ρ = ±OFFSET_RHO, away from the pole.
 */
import {
  DomainError,
  evaluateExpression,
  type Integrand,
  parseDMonomial,
  parseRationalExpression,
  type PfaffianSystem,
  type SigmaSpec,
} from '@holonomic-ntk/core';
import { factorFunction, prepareSystem, type IntegrandFunctions } from './hgm.ts';
import { momentAbsVector, momentVector } from './moments.ts';

/** Below this |ρ| the x12-series is the value; above it, the start of the path (terms ≤ OFFSET_RHO^m). */
export const OFFSET_RHO = 0.25;

/** The path parameter s = √(1 − ρ²)/(1 + |ρ|) of |ρ| = OFFSET_RHO (src/dualPath.ts). */
export const OFFSET_S = Math.sqrt(1 - OFFSET_RHO * OFFSET_RHO) / (1 + OFFSET_RHO);

/** Terms of the series: OFFSET_RHO^40 ≈ 1e-24, far below double precision even with polynomial growth. */
const SERIES_TERMS = 40;

const singular = new WeakMap<PfaffianSystem, boolean>();

/**
 * True when a factor of the system's singular locus vanishes on x12 = 0 (tested at a generic point of the cone).
 *
 * E.g. `singularAtRhoZero(reluArtifact.systems[0])` is false (locus x11, x22, x12² − x11x22).
 */
export function singularAtRhoZero(system: PfaffianSystem): boolean {
  let hit = singular.get(system);
  if (hit === undefined) {
    const at = { x11: -0.7318, x12: 0, x22: -1.2913 };
    hit = system.singularLocus.some((f) => evaluateExpression(parseRationalExpression(f), at) === 0);
    singular.set(system, hit);
  }
  return hit;
}

/**
 * Probabilists' Hermite polynomials He_0..He_N as coefficient rows (He_{n+1} = z·He_n − n·He_{n−1}); entries up to
 * ~1e24 at n = 40 are floats, exact to a relative rounding, which the sum below tolerates (every term is scaled by
 * |ρ|^n ≤ 0.25^n).
 */
const HERMITE: Float64Array[] = (() => {
  const rows = [Float64Array.of(1), Float64Array.of(0, 1)];
  for (let n = 1; n < SERIES_TERMS; n++) {
    const next = new Float64Array(n + 2);
    const he = rows[n]!;
    const prev = rows[n - 1]!;
    for (let m = 0; m <= n; m++) next[m + 1]! += he[m]!;
    for (let m = 0; m < prev.length; m++) next[m]! -= n * prev[m]!;
    rows.push(next);
  }
  return rows;
})();

/**
 * h[p][n] = E[(√a Z)^p σ(√a Z) He_n(Z)] for p ≤ maxP, n ≤ SERIES_TERMS, from the moments at x = −1/(2a), and beside
 * it (index maxP + 1 + p) the same sum with every term taken in absolute value over the moments' own scale
 * (`momentAbsVector`): what its rounding is relative to (He_n's coefficients reach ~1e24 and cancel).
 */
function hermiteTable(spec: SigmaSpec, a: number, maxP: number): Float64Array[] {
  let bySpec = tables.get(spec);
  if (!bySpec) tables.set(spec, (bySpec = new Map()));
  const key = `${a}:${maxP}`;
  const hit = bySpec.get(key);
  if (hit) return hit;
  // M_k = ∫ u^k σ e^{−u²/(2a)} du = √(2πa)·a^{k/2}·E[Z^k σ(√a Z)].
  const M = momentVector(spec, -0.5 / a, maxP + SERIES_TERMS);
  const sa = Math.sqrt(a);
  const norm = 1 / Math.sqrt(2 * Math.PI * a);
  const ez = Float64Array.from(M, (m, k) => (m * norm) / sa ** k); // E[Z^k σ(√a Z)]
  const ezAbs = Float64Array.from(momentAbsVector(spec, -0.5 / a, maxP + SERIES_TERMS), (m, k) => (m * norm) / sa ** k);
  const row = (p: number, z: Float64Array, abs: boolean) =>
    Float64Array.from(HERMITE, (he) => {
      let sum = 0;
      for (let m = 0; m < he.length; m++) if (he[m] !== 0) sum += abs ? Math.abs(he[m]! * z[p + m]!) : he[m]! * z[p + m]!;
      return sa ** p * sum;
    });
  const table = [...Array.from({ length: maxP + 1 }, (_, p) => row(p, ez, false)), ...Array.from({ length: maxP + 1 }, (_, p) => row(p, ezAbs, true))];
  if (bySpec.size >= TABLES_PER_SPEC) bySpec.delete(bySpec.keys().next().value!);
  bySpec.set(key, table);
  return table;
}

const tables = new WeakMap<SigmaSpec, Map<string, Float64Array[]>>();
const TABLES_PER_SPEC = 1024;

/**
 * The E-scaled vector G of the path (src/dualPath.ts) at (a, ρ√(ab), b), |ρ| ≤ OFFSET_RHO: for a monomial basis
 * element ∂11^i ∂12^j ∂22^k, G = 2^j E_ρ[u^{2i+j} v^{2k+j} φ(u)ψ(v)], summed as Mehler's series
 * Σ_n ρ^n/n! E[u^p φ(u) He_n(u/√a)] E[v^q ψ(v) He_n(v/√b)] — the Taylor series in x12 of MATH.md §9 regrouped so that
 * the moments are those of the fixed variances (cached per (a, b)), not of x11(ρ), x22(ρ). Needs a monomial basis
 * (the compiler's default): the recipe's coefficients are known at x12 = 0 only. With `scaleOut`, also the scale
 * each component's rounding is relative to (the same series over the absolute tables of `hermiteTable`): its error is
 * ~SERIES_ROUNDING·ε times that (`seriesError`), and it is the start scale of a path from there (`pathPerturbation`).
 */
export function seriesVector(
  system: PfaffianSystem,
  integrand: Integrand,
  functions: IntegrandFunctions,
  a: number,
  b: number,
  rho: number,
  scaleOut?: Float64Array,
): Float64Array {
  const sys = prepareSystem(system);
  const vec = system.initialValues.vectors.find((v) => v.integrand === integrand);
  const prepared = sys.vectors.get(integrand);
  if (!vec || !prepared) throw new DomainError(`the system serves ${system.integrands.join(', ')}, not '${integrand}'`);
  const phi = factorFunction(functions, vec.factors[0]);
  const psi = factorFunction(functions, vec.factors[1]);
  if (!phi || !psi) throw new DomainError(`'${integrand}' needs the functions ${vec.factors.join(' and ')}; pass them in the functions`);
  const exps = system.basis.map((label) => {
    try {
      return parseDMonomial(label);
    } catch {
      throw new DomainError(`basis element '${label}' is not a ∂-monomial: the system is singular at ρ = 0 and needs a monomial basis to start off it`);
    }
  });
  const hu = hermiteTable(phi, a, prepared.maxU);
  const hv = hermiteTable(psi, b, prepared.maxV);
  const absU = prepared.maxU + 1;
  const absV = prepared.maxV + 1;
  return Float64Array.from(exps, ([i, j, k], l) => {
    const tu = hu[2 * i + j]!;
    const tv = hv[2 * k + j]!;
    const au = hu[absU + 2 * i + j]!;
    const av = hv[absV + 2 * k + j]!;
    let sum = 0;
    let abs = 0;
    let power = 1; // ρ^n / n!
    for (let n = 0; n <= SERIES_TERMS; n++) {
      sum += power * tu[n]! * tv[n]!;
      abs += Math.abs(power) * au[n]! * av[n]!;
      power *= rho / (n + 1);
    }
    if (scaleOut) scaleOut[l] = 2 ** j * abs;
    return 2 ** j * sum;
  });
}

/**
 * Rounding of a `seriesVector` component relative to its scale: the moments' own ~8ε (moments.ts), times the
 * Hermite combination and the series sum (a few roundings each, relative to the sums of absolute values).
 */
export const SERIES_ROUNDING = 64;

/** Error estimate of a `seriesVector` component from its scale (absolute). E.g. `seriesError(1)` ≈ 1.4e-14. */
export function seriesError(scale: number): number {
  return SERIES_ROUNDING * Number.EPSILON * scale;
}
