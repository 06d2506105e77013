import { DomainError, diffOfProducts } from '@holonomic-ntk/core';
/**
 * Validation and accurate invariants of a 2×2 covariance Λ = [[a, c], [c, b]].
 *
 * Why: every closed form is a function of Δ = det Λ = ab − c² and c, and near ρ = ±1 (Δ ≪ ab) the naive
 * ab − c² and ρ = c/√(ab) lose all relative accuracy (at ρ = −0.99999 one ulp of ρ is ~2e-11 relative error
 * in the ReLU dual). Computing Δ with error-free products (Dekker) and writing the formulas in terms of
 * (√Δ, c), e.g. θ = atan2(√Δ, c), keeps them accurate to a few ulps up to ρ = ±1.
 */

/**
 * Relative slack for c² ≤ ab: kernel recursions produce off-diagonal entries of (nearly) parallel inputs with
 * |c| exceeding √(ab) by rounding; up to this factor they are treated as ρ = ±1, beyond it Λ is rejected.
 */
export const PSD_SLACK = 1e-12;

/** A validated covariance with its accurate invariants. */
export interface Covariance {
  a: number;
  b: number;
  /** c, moved to ±√(ab) if it exceeded it within {@link PSD_SLACK}. */
  c: number;
  /** Δ = ab − c² ≥ 0, to a few ulps (0 exactly when ρ = ±1). */
  det: number;
  /** √Δ. */
  sqrtDet: number;
  /** √(ab). */
  sqrtAb: number;
}

/**
 * ab − c² with a small relative error even under cancellation: {@link diffOfProducts} from hgm-runtime (both
 * products exact by Dekker's splitting; the difference of the leading parts is exact by Sterbenz when they are close).
 *
 * @example det2(1, 1, 0.99999); // → 1.99999e-5 (naive 1 − 0.99999² has error ~1e-17 absolute, ~5e-13 relative)
 */
export function det2(a: number, b: number, c: number): number {
  return diffOfProducts(a, b, c, c);
}

/**
 * Checks that Λ = [[a, c], [c, b]] is a finite positive semidefinite matrix and returns its invariants.
 * Throws DomainError for NaN/∞, a < 0, b < 0, or c² > ab·(1 + PSD_SLACK)².
 *
 * @example covariance(2, 2, 2).det; // → 0 (ρ = 1)
 */
export function covariance(a: number, c: number, b: number): Covariance {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c)) {
    throw new DomainError(`covariance entries must be finite, got a=${a}, c=${c}, b=${b}`);
  }
  if (a < 0 || b < 0) throw new DomainError(`variances must be ≥ 0, got a=${a}, b=${b}`);
  // √(fl(ab)) is within an ulp and gives exactly a when a = b; fall back to √a·√b if ab over/underflows.
  const ab = a * b;
  const sqrtAb = ab > 1e-290 && ab < 1e290 ? Math.sqrt(ab) : Math.sqrt(a) * Math.sqrt(b);
  if (Math.abs(c) > sqrtAb * (1 + PSD_SLACK)) {
    throw new DomainError(`not positive semidefinite: c² > ab for a=${a}, c=${c}, b=${b}`);
  }
  let det = det2(a, b, c);
  if (det <= 0) {
    // |c| = √(ab) up to the slack: the degenerate case ρ = ±1, made exact.
    det = 0;
    if (sqrtAb === 0) c = 0;
    else if (Math.abs(c) > sqrtAb) c = Math.sign(c) * sqrtAb;
  }
  return { a, b, c, det, sqrtDet: Math.sqrt(det), sqrtAb };
}

/**
 * The Cholesky factor L = [[l11, 0], [l21, l22]] of a validated Λ (LLᵀ = Λ), from its accurate invariants:
 * l22 = √(Δ/a), so it keeps its relative accuracy near ρ = ±1. a = 0 forces c = 0 (checked by
 * {@link covariance}), so the first column is then zero.
 *
 * @example choleskyFactor(covariance(4, 2, 2)); // { l11: 2, l21: 1, l22: 1 }
 */
export function choleskyFactor(cov: Covariance): { l11: number; l21: number; l22: number } {
  const l11 = Math.sqrt(cov.a);
  const l21 = cov.a > 0 ? cov.c / l11 : 0;
  const l22 = cov.a > 0 ? cov.sqrtDet / l11 : Math.sqrt(cov.b);
  return { l11, l21, l22 };
}
