/**
 * Classification and validation of a 2×2 covariance Λ = [[a, c], [c, b]] for the dual activations.
 *
 * Every positive semidefinite Λ is accepted: the interior (a, b > 0, |ρ| < 1), the boundary |ρ| = 1, and
 * a = 0 or b = 0 (then c must be 0). |ρ| up to 1 + 1e-12 counts as the boundary, because a Λ built in floating
 * point as [[a, √(ab)], …] can land a few ulps outside; beyond that it is a DomainError naming the entry.
 */
import { DomainError } from './errors.ts';
import { diffOfProducts } from './exactProducts.ts';

/** |ρ| ≤ 1 + RHO_SLACK is accepted (and treated as |ρ| = 1 when ≥ 1). */
export const RHO_SLACK = 1e-12;

export type CovarianceKind =
  /** a, b > 0 and |ρ| < 1: Δ = ab − c² > 0; `tau` = √(1 − ρ²) = √(Δ/(ab)) computed without cancellation. */
  | { kind: 'interior'; rho: number; tau: number }
  /** a, b > 0 and |ρ| = 1 (within the slack): v = sign·√(b/a)·u. */
  | { kind: 'boundary'; sign: 1 | -1 }
  /** a = 0 or b = 0 (and c = 0): u ≡ 0 or v ≡ 0. */
  | { kind: 'degenerate' };

/**
 * Checks Λ = [[a, c], [c, b]] and says which case it is. Throws `DomainError` for NaN/∞ entries, negative
 * variances and |ρ| > 1 + 1e-12, naming the offending entry.
 *
 * @example
 *   classifyCovariance(1, 0.5, 1);  // { kind: 'interior', rho: 0.5, tau: 0.866… }
 *   classifyCovariance(1, -2, 4);   // { kind: 'boundary', sign: -1 }
 *   classifyCovariance(1, 3, 4);    // DomainError: c = 3 gives |ρ| = 1.5 > 1 for a = 1, b = 4
 */
export function classifyCovariance(a: number, c: number, b: number): CovarianceKind {
  for (const [name, v] of [['a', a], ['b', b], ['c', c]] as const) {
    if (Number.isNaN(v)) throw new DomainError(`${name} = NaN is not a number (Λ = [[a, c], [c, b]])`);
    if (!Number.isFinite(v)) throw new DomainError(`${name} = ${v} is not finite (Λ = [[a, c], [c, b]])`);
  }
  if (a < 0) throw new DomainError(`a = ${a} < 0: a variance must be ≥ 0`);
  if (b < 0) throw new DomainError(`b = ${b} < 0: a variance must be ≥ 0`);
  const absRho = Math.abs(c) / (Math.sqrt(a) * Math.sqrt(b)); // √a·√b: no underflow of a·b
  if (c !== 0 && !(absRho <= 1 + RHO_SLACK)) {
    throw new DomainError(`c = ${c} gives |ρ| = ${absRho} > 1 for a = ${a}, b = ${b}`);
  }
  if (a === 0 || b === 0) return { kind: 'degenerate' };
  // Δ with one rounding: 1 − ρ² = Δ/(ab) keeps its relative accuracy however close |ρ| is to 1.
  const delta = diffOfProducts(a, b, c, c);
  if (!(delta > 0)) return { kind: 'boundary', sign: c > 0 ? 1 : -1 };
  const tau = Math.sqrt(delta / a / b);
  return { kind: 'interior', rho: c / (Math.sqrt(a) * Math.sqrt(b)), tau };
}
