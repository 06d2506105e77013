/**
 * The formal adjoint in a Weyl algebra: the anti-automorphism x ↦ x, ∂ ↦ −∂, so (x^a ∂^b)* = (−∂)^b x^a and
 * (PQ)* = Q*P*. It is what moves an operator onto the test function: ⟨Pσ, φ⟩ = ⟨σ, P*φ⟩.
 */
import type { Poly, WeylAlgebra } from '@holonomic-ntk/weyl-algebra';

/**
 * P* for P in D (or D^(h); h and central variables are fixed by the adjoint), normally ordered.
 *
 * For example:
 * const D = ACTIVATION_ALGEBRA;
 * operatorToText(D, adjoint(D, parseOperator(D, 'u*du - 1'))); // '-u*du - 2'  ((u∂)* = −∂u = −u∂ − 1)
 */
export function adjoint<T>(D: WeylAlgebra<T>, P: Poly<T>): Poly<T> {
  const n = D.n;
  const dom = D.domain;
  let result = D.zero;
  for (let t = 0; t < P.length; t++) {
    const m = P.monos[t]!;
    // (−1)^{|b|} ∂^b · (x^a · the rest), one Weyl product per term.
    let sign = 0;
    const dPart = new Array<number>(m.length).fill(0);
    const xPart = m.slice();
    for (let i = 0; i < n; i++) {
      dPart[n + i] = m[n + i]!;
      xPart[n + i] = 0;
      sign += m[n + i]!;
    }
    const c = sign % 2 === 0 ? P.coeffs[t]! : dom.neg(P.coeffs[t]!);
    result = D.add(result, D.mul(D.monomial(dPart, c), D.monomial(xPart)));
  }
  return result;
}
