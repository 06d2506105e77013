/**
 * The rings every annihilator computation of this folder lives in, built once: D = Q⟨u, ∂u⟩ (the generator of ∂u
 * is named `du`), the field Q(u) of its rational coefficients, and Q[u] (the field's own polynomial ring, so
 * numerators and denominators can be handed back and forth without conversion).
 */
import { QQ, RationalFunctionField, WeylAlgebra, type Poly, type PolyRing, type Rational } from '@holonomic-ntk/weyl-algebra';

/**
 * D = Q⟨u, ∂u⟩ with ∂u written `du`: the algebra of activation annihilators.
 *
 * @example
 * ```ts
 * import { operatorToText, parseOperator } from '@holonomic-ntk/weyl-algebra';
 * import { ACTIVATION_ALGEBRA } from '@holonomic-ntk/restriction';
 * const D = ACTIVATION_ALGEBRA;
 * operatorToText(D, parseOperator(D, 'du*u')); // → 'u*du + 1'
 * D.xNames; // → ['u']
 * ```
 */
export const ACTIVATION_ALGEBRA: WeylAlgebra<Rational> = new WeylAlgebra(QQ, [{ x: 'u', d: 'du' }]);

/** Q(u), the coefficient field of R = Q(u)⟨∂u⟩, where the closure rules are linear algebra. */
export const U_FIELD: RationalFunctionField = new RationalFunctionField(['u']);

/** Q[u], the polynomial ring of U_FIELD's numerators and denominators. */
export const U_POLY: PolyRing<Rational> = U_FIELD.polyRing;

/** Exponent vector of u^a ∂u^b in ACTIVATION_ALGEBRA. */
export function weylMonomial(a: number, b: number): number[] {
  return [a, b];
}

/** A polynomial of Q[u] (U_POLY) has the exponent vectors [a]; this is its degree (−Infinity for 0). */
export function polyDegree(p: Poly<Rational>): number {
  return U_POLY.degree(p);
}
