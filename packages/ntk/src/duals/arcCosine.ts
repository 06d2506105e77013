import { gaussLegendreRule } from '@holonomic-ntk/core';
/**
 * Arc-cosine kernels (Cho & Saul, "Kernel methods for deep learning", NIPS 2009): the duals of the rectified
 * powers σ(u) = uᵐ·Y(u) — step (m = 0), ReLU (m = 1), ReLU² (m = 2), …
 *
 * With θ = arccos ρ and s = π − θ (so cos s = −ρ, sin s = √(1 − ρ²)):
 *   E[uᵐY(u) vᵐY(v)] = (ab)^{m/2} Jₘ(θ)/(2π),   Jₘ(θ) = 2ᵐ m! Iₘ(s),   Iₘ(s) = ∫₀ˢ sinᵐx · sinᵐ(s − x) dx.
 * (Polar coordinates: u = r cos φ, v = r cos(φ − θ); the radial integral gives 2ᵐ m!, and
 * cos(ψ + θ/2)cos(ψ − θ/2) = sin(β + ψ) sin(β − ψ) with 2β = s.) Checks: J₀ = π − θ, J₁ = sin θ + (π − θ)cos θ,
 * J₂ = 3 sin θ cos θ + (π − θ)(1 + 2cos²θ) — Cho & Saul's J₀, J₁, J₂.
 * Integrating (P^{m−1}P′)′ over [0, s] with P(x) = sin x sin(s − x) gives the recursion
 *   4m Iₘ = (m − 1) sin²s Iₘ₋₂ − (4m − 2) cos s Iₘ₋₁,   I₀ = s,   I₁ = (sin s − s cos s)/2.
 * It has only non-negative terms for cos s ≤ 0 (ρ ≥ 0); for ρ < 0 it cancels catastrophically (Iₘ ~ s^{2m+1}
 * as ρ → −1), so there Iₘ is integrated directly: a positive entire integrand, Gauss–Legendre to full precision.
 *
 * All formulas use the invariants (√Δ, c) of {@link covariance}, e.g. s = atan2(√Δ, −c), so they stay accurate
 * up to ρ = ±1; ρ = −1 gives exactly 0 for m ≥ 1.
 */
import { DomainError } from '@holonomic-ntk/core';
import { covariance } from '@holonomic-ntk/core';
import type { DualProvider } from './dualProvider.ts';

const TWO_PI = 2 * Math.PI;

/**
 * E[Y(u)Y(v)] = (π − θ)/(2π) = atan2(√Δ, −c)/(2π) (the degree-0 arc-cosine kernel).
 * At a = 0 or b = 0 the Gaussian is degenerate and the value depends on Y(0): the project's one convention is
 * Y(0) = 0 (docs/MATH.md §5, as the derivative of relu at 0 in autodiff), giving 0.
 *
 * For example `stepSigma(1, 0, 1)` gives → 0.25.
 */
export function stepSigma(a: number, c: number, b: number): number {
  const cov = covariance(a, c, b);
  if (cov.sqrtAb === 0) return 0;
  return Math.atan2(cov.sqrtDet, -cov.c) / TWO_PI;
}

/**
 * E[δ(u)δ(v)] = density of N(0, Λ) at the origin = 1/(2π√Δ) (Price's theorem: ∂/∂c of {@link stepSigma}).
 * Infinite at ρ = ±1 (and for a = 0 or b = 0): DomainError there.
 *
 * For example `stepDsigma(1, 0, 1)` gives 1/(2π).
 */
export function stepDsigma(a: number, c: number, b: number): number {
  const cov = covariance(a, c, b);
  if (cov.det === 0) throw new DomainError('E[δ(u)δ(v)] is infinite on the boundary det Λ = 0 (ρ = ±1, a = 0 or b = 0)');
  return 1 / (TWO_PI * cov.sqrtDet);
}

/**
 * E[relu(u) relu(v)] = √(ab)(sin θ + (π − θ)cos θ)/(2π) = (√Δ + (π − θ)c)/(2π), θ = atan2(√Δ, c).
 * For c < 0 the two terms cancel; there it equals |c|(r − arctan r)/(2π) with r = √Δ/|c| = tan s, and
 * r − arctan r = r³/3 − r⁵/5 + … is summed as a series for r < ½.
 *
 * For example `reluSigma(1, 1, 1)` gives → 0.5.
 */
export function reluSigma(a: number, c: number, b: number): number {
  const { c: cc, sqrtDet, sqrtAb } = covariance(a, c, b);
  if (sqrtAb === 0) return 0; // relu(0) = 0
  if (cc >= 0) {
    const theta = Math.atan2(sqrtDet, cc);
    return (sqrtDet + (Math.PI - theta) * cc) / TWO_PI;
  }
  const ac = -cc;
  const r = sqrtDet / ac;
  if (r >= 0.5) return (sqrtDet - ac * Math.atan2(sqrtDet, ac)) / TWO_PI;
  return (ac * rMinusArctan(r)) / TWO_PI;
}

/** r − arctan r for 0 ≤ r < 1 as Σ_{k≥1} (−1)^{k+1} r^{2k+1}/(2k+1) (alternating, terms shrink by ≥ 4 for r < ½). */
function rMinusArctan(r: number): number {
  const r2 = r * r;
  let pow = r * r2;
  let sum = 0;
  for (let k = 1; k < 200; k++) {
    const term = pow / (2 * k + 1);
    sum += k % 2 === 1 ? term : -term;
    if (term <= 1e-17 * Math.abs(sum)) break;
    pow *= r2;
  }
  return sum;
}

/**
 * Iₘ(s) = ∫₀ˢ sinᵐx sinᵐ(s − x) dx for s ∈ [0, π] given sin s, cos s (accurate) and s.
 *
 * For example `angularIntegral(1, Math.PI / 2, 1, 0)` gives (sin s − s cos s)/2 = 0.5.
 */
export function angularIntegral(m: number, s: number, sinS: number, cosS: number): number {
  if (!Number.isInteger(m) || m < 0) throw new RangeError(`m must be an integer ≥ 0, got ${m}`);
  if (m === 0) return s;
  if (cosS <= 0) {
    // Forward recursion: every term ≥ 0 here (no cancellation).
    let iPrev = s;
    let iCur = (sinS - s * cosS) / 2;
    const sin2 = sinS * sinS;
    for (let k = 2; k <= m; k++) {
      const iNext = ((k - 1) * sin2 * iPrev - (4 * k - 2) * cosS * iCur) / (4 * k);
      iPrev = iCur;
      iCur = iNext;
    }
    return iCur;
  }
  if (s === 0) return 0;
  // Positive entire integrand of "degree" 2m in x: Gauss–Legendre with 2m + 24 points is converged to
  // rounding for s ≤ π/2 (checked against the recursion at s = π/2 and against adaptive quadrature in tests).
  const { nodes, weights } = gaussLegendreRule(2 * m + 24);
  const half = s / 2;
  let sum = 0;
  for (let i = 0; i < nodes.length; i++) {
    const x = half * (1 + nodes[i]!);
    const y = half * (1 - nodes[i]!); // s − x without the rounding of the subtraction
    sum += weights[i]! * (Math.sin(x) * Math.sin(y)) ** m;
  }
  return half * sum;
}

/**
 * E[uᵐY(u) vᵐY(v)] for (u, v) ~ N(0, Λ): the arc-cosine kernel of degree m, (ab)^{m/2} 2ᵐ m! Iₘ(s)/(2π).
 *
 * For example `rectPowSigma(2, 1, 1, 1)` gives E[u⁴ Y(u)] = 3/2.
 */
export function rectPowSigma(m: number, a: number, c: number, b: number): number {
  if (!Number.isInteger(m) || m < 0) throw new RangeError(`m must be an integer ≥ 0, got ${m}`);
  if (m === 0) return stepSigma(a, c, b);
  if (m === 1) return reluSigma(a, c, b);
  const cov = covariance(a, c, b);
  if (cov.sqrtAb === 0) return 0;
  const s = Math.atan2(cov.sqrtDet, -cov.c);
  const sinS = cov.sqrtDet / cov.sqrtAb;
  const cosS = -cov.c / cov.sqrtAb;
  let factor = 1; // 2ᵐ m!
  for (let k = 1; k <= m; k++) factor *= 2 * k;
  return (cov.sqrtAb ** m * factor * angularIntegral(m, s, sinS, cosS)) / TWO_PI;
}

/**
 * The step Y(u) (= relu′): sigma = degree-0 arc-cosine kernel (π − θ)/(2π), dsigma = E[δδ] = 1/(2π√Δ), a
 * DomainError at ρ = ±1 where it is infinite. Y(0) = 0 (docs/MATH.md §5), so a = 0 or b = 0 gives 0.
 *
 * @example
 * ```ts
 * import { stepDual } from '@holonomic-ntk/ntk';
 * stepDual.sigma(1, 0, 1); // ≈ 0.25
 * stepDual.dsigma(1, 0, 1); // ≈ 0.15915494309189535
 * stepDual.dsigma(1, 1, 1); // throws DomainError
 * ```
 */
export const stepDual: DualProvider = {
  name: 'closed',
  activation: 'step',
  sigma: stepSigma,
  dsigma: stepDsigma,
};

/**
 * ReLU max(u, 0): sigma = degree-1 arc-cosine kernel, dsigma = E[Y(u)Y(v)] (relu′ = Y); accurate up to ρ = ±1.
 *
 * @example
 * ```ts
 * import { reluDual } from '@holonomic-ntk/ntk';
 * reluDual.sigma(1, 1, 1); // ≈ 0.5
 * reluDual.sigma(1, 0, 1); // ≈ 0.15915494309189535
 * reluDual.sigma(1, -1, 1); // → 0
 * reluDual.dsigma(1, 0, 1); // ≈ 0.25
 * ```
 */
export const reluDual: DualProvider = {
  name: 'closed',
  activation: 'relu',
  sigma: reluSigma,
  dsigma: stepSigma,
};

/**
 * Dual of the rectified power uᵐY(u) (activation name `rectpow:${m}`, 0 ≤ m ≤ 60); dsigma = m²·(dual of degree
 * m − 1), since σ′ = m·u^{m−1}Y(u).
 *
 * @example
 * ```ts
 * import { rectPowDual } from '@holonomic-ntk/ntk';
 * rectPowDual(2).activation; // → 'rectpow:2'
 * rectPowDual(2).sigma(1, 1, 1); // ≈ 1.5
 * rectPowDual(2).dsigma(1, 1, 1); // ≈ 2
 * rectPowDual(61); // throws RangeError
 * ```
 */
export function rectPowDual(m: number): DualProvider {
  if (!Number.isInteger(m) || m < 0 || m > 60) throw new RangeError(`m must be an integer in 0..60, got ${m}`);
  if (m === 0) return stepDual;
  return {
    name: 'closed',
    activation: `rectpow:${m}`,
    sigma: (a, c, b) => rectPowSigma(m, a, c, b),
    dsigma: (a, c, b) => m * m * rectPowSigma(m - 1, a, c, b),
  };
}
