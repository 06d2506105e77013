/**
 * Systems that are singular at ρ = 0. The mixed integrand of two pieces of a piecewise activation (ELU's u·Y(u)
 * and e^v·Y(−v)) gives a dual system whose Pfaffian has a pole on x12 = 0 in every basis the compiler tries,
 * although F itself is analytic there (the double integral converges for every x in the cone): the singularity
 * belongs to other solutions of the system. The usual start at ρ = 0 (moment products) then sits on the pole.
 *
 * So F⃗ is summed as its Taylor series in x12, whose coefficients are moment products again (MATH.md §9):
 *
 *   ∂11^i ∂12^j ∂22^k F(x11, x12, x22) = Σ_m (2 x12)^m / m! · 2^j · M^φ_{2i+j+m}(x11) · M^ψ_{2k+j+m}(x22),
 *
 * M^φ_n(x11) = ∫ u^n φ(u) e^{x11 u²} du. Its terms decay like |ρ|^m, so up to |ρ| = OFFSET_RHO the series is the
 * value itself (≈ 30 terms), and beyond it is the start of the ODE path at ρ = ±OFFSET_RHO, away from the pole.
 */
import { DomainError, evaluateExpression, type Integrand, parseDMonomial, parseRationalExpression, type PfaffianSystem } from '@holonomic-ntk/core';
import { factorFunction, prepareSystem, type IntegrandFunctions } from './hgm.ts';
import { momentVector } from './moments.ts';

/** Below this |ρ| the x12-series is the value; above it, the start of the path (terms ≤ OFFSET_RHO^m). */
export const OFFSET_RHO = 0.25;

/** Terms of the x12-series: OFFSET_RHO^60 ≈ 1e-36, far below double precision even with polynomial growth. */
const SERIES_TERMS = 60;

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
 * The E-scaled vector G = √(det x)/π · F⃗ of the path (src/dualPath.ts) at (a, ρ√(ab), b), |ρ| < 1, from the
 * x12-series. Needs a monomial basis (the compiler's default): the recipe's coefficients are known at x12 = 0 only.
 */
export function seriesVector(system: PfaffianSystem, integrand: Integrand, functions: IntegrandFunctions, a: number, b: number, rho: number): Float64Array {
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
  const sab = Math.sqrt(a) * Math.sqrt(b);
  const c = rho * sab;
  const delta = a * b * (1 - rho) * (1 + rho);
  const x11 = -b / (2 * delta);
  const x22 = -a / (2 * delta);
  const x12 = c / (2 * delta);
  const mu = momentVector(phi, x11, prepared.maxU + SERIES_TERMS);
  const mv = momentVector(psi, x22, prepared.maxV + SERIES_TERMS);
  const scale = 1 / (2 * Math.PI * Math.sqrt(delta));
  return Float64Array.from(exps, ([i, j, k]) => {
    let sum = 0;
    let power = 2 ** j; // 2^j (2 x12)^m / m!
    for (let m = 0; m <= SERIES_TERMS; m++) {
      sum += power * mu[2 * i + j + m]! * mv[2 * k + j + m]!;
      power *= (2 * x12) / (m + 1);
    }
    return sum * scale;
  });
}
