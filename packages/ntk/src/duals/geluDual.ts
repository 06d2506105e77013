/**
 * The GELU dual, σ(u) = uΦ(u), σ′(u) = Φ(u) + uφ(u), in closed form (the form of Tsuchida, Pearce, van der Heide,
 * Roosta, Gallagher, "Avoiding kernel fixed points: computing with ELU and GELU infinite networks", AAAI 2021;
 * derived here independently, so the derivation is recorded):
 *
 * Write uΦ(u) = u·P(ξ₁ ≤ u) with ξ₁ ~ N(0,1) independent, so E[σ(u)σ(v)] = E[u v Y(p) Y(q)] with p = u − ξ₁,
 * q = v − ξ₂ (jointly Gaussian: Var p = A = 1 + a, Var q = B = 1 + b, Cov(p,q) = Cov(u,q) = Cov(v,p) = c,
 * Cov(u,p) = a, Cov(v,q) = b). Stein's lemma in u, then Gaussian conditioning for the δ-terms, gives
 *   E[σσ] = c·E[Y(p)Y(q)] + a(bA − c²)/(2πA√D) + c²/(2πB√D),   D = AB − c² = 1 + a + b + Δ,
 *         = c·T/(2π) + (abAB + c²(1 − ab))/(2πAB√D),   T = π − arccos(c/√(AB)) = atan2(√D, −c).
 * Price's theorem (∂/∂c E[σσ] = E[σ′σ′]) then gives
 *   E[σ′σ′] = T/(2π) + c/(2π√D) + c(AB(2 − ab) − c²(1 − ab))/(2πAB·D^{3/2}).
 * Checks: at c = 0 the first is E[uΦ(u)]E[vΦ(v)] = ab/(2π√(AB)) and the second ¼; both agree with the
 * mpmath references of test/fixtures/dual_refs.json and with adaptive quadrature (test/duals.test.ts).
 * D ≥ 1, so there is no singularity at ρ = ±1.
 */
import { covariance } from '@holonomic-ntk/core';
import type { DualProvider } from './dualProvider.ts';

const TWO_PI = 2 * Math.PI;

/** The quantities both duals are written in: A = 1 + a, B = 1 + b, D = AB − c² = 1 + a + b + Δ, T = atan2(√D, −c). */
function geluTerms(a: number, c: number, b: number): { A: number; B: number; c: number; ab: number; D: number; sD: number; T: number } {
  const cov = covariance(a, c, b);
  const D = 1 + cov.a + cov.b + cov.det;
  const sD = Math.sqrt(D);
  return { A: 1 + cov.a, B: 1 + cov.b, c: cov.c, ab: cov.a * cov.b, D, sD, T: Math.atan2(sD, -cov.c) };
}

/**
 * E[GELU(u) GELU(v)].
 *
 * For example `geluSigma(1, 0, 1)` gives E[uΦ(u)]² = (1/√(4π))² = 1/(4π) = 0.0795774715459477.
 */
export function geluSigma(a: number, c: number, b: number): number {
  const { A, B, c: cc, ab, sD, T } = geluTerms(a, c, b);
  return (cc * T) / TWO_PI + (ab * A * B + cc * cc * (1 - ab)) / (TWO_PI * A * B * sD);
}

/**
 * E[GELU′(u) GELU′(v)], GELU′ = Φ + uφ.
 *
 * For example `geluDsigma(1, 0, 1)` gives → 0.25.
 */
export function geluDsigma(a: number, c: number, b: number): number {
  const { A, B, c: cc, ab, D, sD, T } = geluTerms(a, c, b);
  return T / TWO_PI + cc / (TWO_PI * sD) + (cc * (A * B * (2 - ab) - cc * cc * (1 - ab))) / (TWO_PI * A * B * D * sD);
}

/**
 * GELU u·Φ(u), closed form (see the module comment for the derivation).
 *
 * @example
 * ```ts
 * import { geluDual } from '@holonomic-ntk/ntk';
 * geluDual.sigma(1, 0, 1); // ≈ 0.07957747154594767
 * geluDual.dsigma(1, 0, 1); // ≈ 0.25
 * ```
 */
export const geluDual: DualProvider = { name: 'closed', activation: 'gelu', sigma: geluSigma, dsigma: geluDsigma };
