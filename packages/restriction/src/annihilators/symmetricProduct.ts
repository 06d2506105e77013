/**
 * Symmetric product in R = Q(u)⟨∂u⟩: the annihilator of f·g when L1 f = 0 and L2 g = 0.
 */
import type { RationalFunction } from '@holonomic-ntk/weyl-algebra';
import { U_FIELD } from './algebra.ts';
import { companionMatrix, minimalAnnihilator, ratOrder, type RatOperator } from './ratOperator.ts';

/**
 * L1 ⊗ L2, monic: the minimal annihilator of f ⊗ g in the tensor product of the companion modules, where ∂ acts
 * by Leibniz, ∂(f^(i) g^(j)) = f^(i+1) g^(j) + f^(i) g^(j+1) (matrix M1 ⊗ 1 + 1 ⊗ M2). The closure rule for
 * products; order at most ord L1 · ord L2.
 *
 * For example:
 * // u (u∂ − 1) times Φ (∂² + u∂): the GeLU operator ∂² + (u − 2/u)∂ − 1 + 2/u² (monic)
 * symmetricProduct([F.fromInt(-1), u], [F.zero, u, F.one]);
 */
export function symmetricProduct(L1: RatOperator, L2: RatOperator): RationalFunction[] {
  const F = U_FIELD;
  const r1 = ratOrder(L1);
  const r2 = ratOrder(L2);
  if (r1 === 0 || r2 === 0) return [F.one]; // a factor is 0, so is the product
  const M1 = companionMatrix(L1);
  const M2 = companionMatrix(L2);
  const n = r1 * r2;
  const M = Array.from({ length: n }, () => Array.from({ length: n }, () => F.zero));
  // Index (i, j) ↦ i·r2 + j. Column (i, j) is ∂ of the basis element f^(i) g^(j).
  for (let i = 0; i < r1; i++) {
    for (let j = 0; j < r2; j++) {
      const col = i * r2 + j;
      for (let k = 0; k < r1; k++) {
        const m = M1[k]![i]!;
        if (!F.isZero(m)) M[k * r2 + j]![col] = F.add(M[k * r2 + j]![col]!, m);
      }
      for (let l = 0; l < r2; l++) {
        const m = M2[l]![j]!;
        if (!F.isZero(m)) M[i * r2 + l]![col] = F.add(M[i * r2 + l]![col]!, m);
      }
    }
  }
  const v = Array.from({ length: n }, (_, i) => (i === 0 ? F.one : F.zero));
  return minimalAnnihilator(M, v, n);
}
