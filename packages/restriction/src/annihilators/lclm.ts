/**
 * Least common left multiple in R = Q(u)⟨∂u⟩: the annihilator of f + g when L1 f = 0 and L2 g = 0.
 */
import type { RationalFunction } from '@holonomic-ntk/weyl-algebra';
import { U_FIELD } from './algebra.ts';
import { companionMatrix, minimalAnnihilator, ratOrder, type RatOperator } from './ratOperator.ts';

/**
 * LCLM(L1, L2), monic: the minimal annihilator of the element (1, 1) of the direct sum of the two companion
 * modules (f ⊕ g with f, g generic solutions), so it kills every f + g — the closure rule for sums. Order at most
 * ord L1 + ord L2.
 *
 * For example:
 * // ∂ − 1 (eᵘ) and ∂ + 1 (e⁻ᵘ): ∂² − 1 (cosh, sinh)
 * lclm([F.fromInt(-1), F.one], [F.one, F.one]);
 */
export function lclm(L1: RatOperator, L2: RatOperator): RationalFunction[] {
  const F = U_FIELD;
  const r1 = ratOrder(L1);
  const r2 = ratOrder(L2);
  if (r1 === 0) return L2.map((c) => F.div(c, L2[r2]!)); // L1 = 1: f = 0
  if (r2 === 0) return L1.map((c) => F.div(c, L1[r1]!));
  const M1 = companionMatrix(L1);
  const M2 = companionMatrix(L2);
  const n = r1 + r2;
  const M = Array.from({ length: n }, () => Array.from({ length: n }, () => F.zero));
  for (let i = 0; i < r1; i++) for (let j = 0; j < r1; j++) M[i]![j] = M1[i]![j]!;
  for (let i = 0; i < r2; i++) for (let j = 0; j < r2; j++) M[r1 + i]![r1 + j] = M2[i]![j]!;
  const v = Array.from({ length: n }, (_, i) => (i === 0 || i === r1 ? F.one : F.zero));
  return minimalAnnihilator(M, v, n);
}
