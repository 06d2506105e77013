/**
 * The annihilator of f′ from that of f, in R = Q(u)⟨∂u⟩ (smooth functions; the Heaviside bookkeeping is in
 * heavisideKinks.ts).
 */
import type { RationalFunction } from '@holonomic-ntk/weyl-algebra';
import { U_FIELD, U_POLY } from './algebra.ts';
import { makeMonic, normalizeOperator, polyToRatOperator, ratOrder, type RatOperator } from './ratOperator.ts';

/**
 * Minimal monic annihilator of f′ given L f = 0, L = a0 + L1∂ with polynomial a_i (after clearing denominators):
 * - a0 = 0: L1 (order r − 1);
 * - otherwise f = −(1/a0)·L1 f′, and differentiating, (∂ − a0′/a0)L1 f′ + a0 f′ = 0, i.e. the classical formula
 *   (a0∂ − a0′)·L1 + a0² of order r. It is minimal: f = −(1/a0)L1 f′ lies in R·f′, so R·f′ = R·f has dimension r.
 * (The same result as the minimal annihilator of ∂·e0 in the companion module, without Q(u)-elimination, which
 * gets slow for high orders with large coefficients.)
 *
 * For example:
 * derivativeAnnihilator([F.zero, F.mul(F.fromInt(2), u), F.one]); // erf: ∂² + 2u∂ ↦ ∂ + 2u
 */
export function derivativeAnnihilator(L: RatOperator): RationalFunction[] {
  const R = U_POLY;
  if (ratOrder(L) === 0) return [U_FIELD.one];
  const a = normalizeOperator(L);
  const r = a.length - 1;
  const a0 = a[0]!;
  if (a0.length === 0) return makeMonic(polyToRatOperator(a.slice(1)));
  const da0 = R.diff(a0, 0);
  // (a0∂ − a0′)·Σ_{i≥1} a_i ∂^(i−1) + a0² = Σ_i [a0 a_i ∂^i + (a0 a_i′ − a0′ a_i) ∂^(i−1)] + a0².
  const q = Array.from({ length: r + 1 }, () => R.zero);
  q[0] = R.mul(a0, a0);
  for (let i = 1; i <= r; i++) {
    q[i] = R.add(q[i]!, R.mul(a0, a[i]!));
    q[i - 1] = R.add(q[i - 1]!, R.sub(R.mul(a0, R.diff(a[i]!, 0)), R.mul(da0, a[i]!)));
  }
  return makeMonic(polyToRatOperator(normalizeOperator(polyToRatOperator(q))));
}
