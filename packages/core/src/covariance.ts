/**
 * The one validator of a 2×2 covariance Λ = [[a, c], [c, b]] for every dual activation (closed forms, quadratures,
 * Gauss–Hermite, Monte Carlo, the HGM), with its accurate invariants.
 *
 * Every positive semidefinite Λ is accepted: the interior (a, b > 0, |ρ| < 1), the boundary |ρ| = 1, and a = 0 or
 * b = 0 (then c must be 0). |ρ| up to 1 + RHO_SLACK counts as the boundary, because kernel recursions and Λ built
 * in floating point as [[a, √(ab)], …] land a few ulps outside; beyond that it is a DomainError naming the entry.
 *
 * Why the invariants: every closed form is a function of Δ = det Λ = ab − c² and c, and near ρ = ±1 (Δ ≪ ab) the
 * naive ab − c² and ρ = c/√(ab) lose all relative accuracy (at ρ = −0.99999 one ulp of ρ is ~2e-11 relative error
 * in the ReLU dual). Δ from error-free products (Dekker) and formulas in (√Δ, c), e.g. θ = atan2(√Δ, −c), stay
 * accurate to a few ulps up to ρ = ±1.
 */
import { DomainError } from './errors.ts';
import { diffOfProducts } from './exactProducts.ts';

/**
 * |ρ| ≤ 1 + RHO_SLACK is accepted (and treated as |ρ| = 1 when ≥ 1).
 *
 * @example
 * ```ts
 * import { RHO_SLACK, covariance } from '@holonomic-ntk/core';
 * covariance(1, 1 + RHO_SLACK / 2, 1).c; // → 1
 * covariance(1, 1 + 2 * RHO_SLACK, 1); // throws DomainError
 * ```
 */
export const RHO_SLACK = 1e-12;

/**
 * Nonzero variances outside [1/VARIANCE_RANGE, VARIANCE_RANGE] are refused: moments and products over- or underflow
 * there, and a silent 0 or NaN is worse than an error (rescale the inputs instead).
 */
const VARIANCE_RANGE = 1e100;

/** A validated covariance with its accurate invariants. */
export interface Covariance {
  readonly a: number;
  readonly b: number;
  /** c, moved to ±√(ab) if it exceeded it within the slack (0 when a = 0 or b = 0). */
  readonly c: number;
  /** Δ = ab − c² ≥ 0, to a few ulps (0 exactly when |ρ| = 1). */
  readonly det: number;
  /** √Δ. */
  readonly sqrtDet: number;
  /** √(ab). */
  readonly sqrtAb: number;
}

/**
 * Checks that Λ = [[a, c], [c, b]] is finite and positive semidefinite and returns its invariants. Throws
 * DomainError for NaN/∞ entries, negative variances and |ρ| > 1 + RHO_SLACK, naming the offending entry.
 *
 * @example
 * ```ts
 * import { covariance } from '@holonomic-ntk/core';
 * covariance(2, 2, 2).det; // → 0
 * covariance(1, 0.99999, 1).det; // ≈ 1.99999e-5 ± 1e-15
 * covariance(1, 3, 4); // throws DomainError
 * covariance(1e155, 0, 1e155); // throws DomainError
 * ```
 */
export function covariance(a: number, c: number, b: number): Covariance {
  for (const [name, v] of [
    ['a', a],
    ['b', b],
    ['c', c],
  ] as const) {
    if (Number.isNaN(v)) throw new DomainError(`${name} = NaN is not a number (Λ = [[a, c], [c, b]])`);
    if (!Number.isFinite(v)) throw new DomainError(`${name} = ${v} is not finite (Λ = [[a, c], [c, b]])`);
  }
  if (a < 0) throw new DomainError(`a = ${a} < 0: a variance must be ≥ 0`);
  if (b < 0) throw new DomainError(`b = ${b} < 0: a variance must be ≥ 0`);
  for (const [name, v] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (v !== 0 && (v > VARIANCE_RANGE || v < 1 / VARIANCE_RANGE)) {
      throw new DomainError(`${name} = ${v} is outside the supported variances [1e-100, 1e100] (or 0): rescale the inputs`);
    }
  }
  // √(fl(ab)) is within an ulp and gives exactly a when a = b; fall back to √a·√b if ab over/underflows.
  const ab = a * b;
  const sqrtAb = ab > 1e-290 && ab < 1e290 ? Math.sqrt(ab) : Math.sqrt(a) * Math.sqrt(b);
  const absRho = Math.abs(c) / (Math.sqrt(a) * Math.sqrt(b));
  if (c !== 0 && !(absRho <= 1 + RHO_SLACK)) throw new DomainError(`c = ${c} gives |ρ| = ${absRho} > 1 for a = ${a}, b = ${b}`);
  let det = diffOfProducts(a, b, c, c);
  if (det <= 0) {
    // |c| = √(ab) up to the slack: the degenerate case ρ = ±1, made exact.
    det = 0;
    if (sqrtAb === 0) c = 0;
    else if (Math.abs(c) > sqrtAb) c = Math.sign(c) * sqrtAb;
  }
  return { a, b, c, det, sqrtDet: Math.sqrt(det), sqrtAb };
}

export type CovarianceKind =
  /** a, b > 0 and |ρ| < 1: Δ > 0; `tau` = √(1 − ρ²) = √(Δ/(ab)) computed without cancellation. */
  | { kind: 'interior'; rho: number; tau: number }
  /** a, b > 0 and |ρ| = 1 (within the slack): v = sign·√(b/a)·u. */
  | { kind: 'boundary'; sign: 1 | -1 }
  /** a = 0 or b = 0 (and c = 0): u ≡ 0 or v ≡ 0. */
  | { kind: 'degenerate' };

/**
 * Which case Λ is, as the HGM needs it (validated by {@link covariance}).
 *
 * @example
 * ```ts
 * import { classifyCovariance } from '@holonomic-ntk/core';
 * classifyCovariance(1, -2, 4); // → { kind: 'boundary', sign: -1 }
 * classifyCovariance(0, 0, 3); // → { kind: 'degenerate' }
 * ```
 */
export function classifyCovariance(a: number, c: number, b: number): CovarianceKind {
  const cov = covariance(a, c, b);
  if (a === 0 || b === 0) return { kind: 'degenerate' };
  if (!(cov.det > 0)) return { kind: 'boundary', sign: c > 0 ? 1 : -1 };
  // 1 − ρ² = Δ/(ab) keeps its relative accuracy however close |ρ| is to 1.
  return { kind: 'interior', rho: c / (Math.sqrt(a) * Math.sqrt(b)), tau: Math.sqrt(cov.det / a / b) };
}

/**
 * The Cholesky factor L = [[l11, 0], [l21, l22]] of a validated Λ (LLᵀ = Λ), from its accurate invariants:
 * l22 = √(Δ/a), so it keeps its relative accuracy near ρ = ±1; a = 0 forces c = 0, so the first column is then 0.
 *
 * @example
 * ```ts
 * import { choleskyFactor, covariance } from '@holonomic-ntk/core';
 * choleskyFactor(covariance(4, 2, 2)); // → { l11: 2, l21: 1, l22: 1 }
 * ```
 */
export function choleskyFactor(cov: Covariance): { l11: number; l21: number; l22: number } {
  const l11 = Math.sqrt(cov.a);
  const l21 = cov.a > 0 ? cov.c / l11 : 0;
  const l22 = cov.a > 0 ? cov.sqrtDet / l11 : Math.sqrt(cov.b);
  return { l11, l21, l22 };
}
