import { DomainError, type Poly, QQ, type Rational, WeylAlgebra, operatorToText, parseOperator, parseOperators } from '@holonomic-ntk/weyl-algebra';

/**
 * The Weyl algebra D_{y,x} = Q⟨y1, y2, x11, x12, x22, ∂y1, …, ∂x22⟩ in which the dual-activation integral
 * F(x, y) = ∫∫ φ(u) ψ(v) exp(x11u² + 2x12uv + x22v² + y1u + y2v) du dv is annihilated (MATH.md §5).
 * y comes first so that the restricted variables are easy to read in printed operators; immutable, shared.
 */
export const DUAL_ALGEBRA: WeylAlgebra<Rational> = new WeylAlgebra(QQ, ['y1', 'y2', 'x11', 'x12', 'x22']);

/** Q⟨u, ∂u⟩: where an activation annihilator P(u, ∂u) is written (text such as `u*du-1`). */
export const TRANSFER_SOURCE_ALGEBRA: WeylAlgebra<Rational> = new WeylAlgebra(QQ, ['u']);

/** The heat equations tying ∂x to ∂y²: ∂x11 − ∂y1², ∂x12 − 2∂y1∂y2, ∂x22 − ∂y2² (x-derivatives of the exponent). */
export const HEAT_EQUATIONS = 'dx11-dy1^2; dx12-2*dy1*dy2; dx22-dy2^2';

/** Images of (u, ∂u) for the u-factor and of (v, ∂v) for the v-factor under the transfer rule ι. */
const IMAGES = {
  u: { x: 'dy1', d: '-(y1 + 2*x11*dy1 + 2*x12*dy2)' },
  v: { x: 'dy2', d: '-(y2 + 2*x12*dy1 + 2*x22*dy2)' },
} as const;

/**
 * The transfer rule ι restricted to one integration variable: P(u, ∂u) ↦ ι(P) with u ↦ ∂y1,
 * ∂u ↦ −(y1 + 2x11∂y1 + 2x12∂y2) (`factor: 'u'`) or, for the v-factor, v ↦ ∂y2, ∂v ↦ −(y2 + 2x12∂y1 + 2x22∂y2).
 * Why it works: multiplying the integrand by u is ∂y1 of the exponential, and ∂u of the exponential is
 * (2x11u + 2x12v + y1)·exp; integration by parts (Gaussian decay, no boundary terms) turns P(u, ∂u)φ = 0 into
 * ι(P)F = 0. The homomorphism checks the Weyl relations of the images itself.
 *
 * For example:
 * transferImage(parseOperator(TRANSFER_SOURCE_ALGEBRA, 'u*du-1'), 'u');
 * // −(2x11∂y1² + 2x12∂y1∂y2 + y1∂y1 + 2)   (MATH.md §5, ReLU)
 */
export function transferImage(P: Poly<Rational>, factor: 'u' | 'v'): Poly<Rational> {
  let map = maps.get(factor);
  if (!map) {
    const im = IMAGES[factor];
    const D = DUAL_ALGEBRA;
    map = TRANSFER_SOURCE_ALGEBRA.homomorphism(D, { u: parseOperator(D, im.x), du: parseOperator(D, im.d) });
    maps.set(factor, map);
  }
  return map(P);
}

/** The two homomorphisms, built (and relation-checked) once. */
const maps = new Map<'u' | 'v', (p: Poly<Rational>) => Poly<Rational>>();

/**
 * Parses an activation annihilator in u and ∂u (`du`), e.g. `u*du-1`, `u^2*(du^2+1)`. Throws `ParseError` for
 * bad text (including other variables) and `DomainError` for the zero operator, which annihilates everything.
 *
 * For example, `parseActivationOperator('u*du - 1'); // u∂u − 1 in Q⟨u, ∂u⟩`
 */
export function parseActivationOperator(text: string): Poly<Rational> {
  const P = parseOperator(TRANSFER_SOURCE_ALGEBRA, text);
  if (P.monos.length === 0) throw new DomainError(`the annihilator "${text}" is the zero operator`);
  return P;
}

/** Normally ordered compact text of an operator in u, ∂u (the canonical form written into provenance). */
export function activationOperatorText(P: Poly<Rational>): string {
  return operatorToText(TRANSFER_SOURCE_ALGEBRA, P, { compact: true });
}

/**
 * I1 ⊂ D_{y,x}: ⟨ι(P(u, ∂u)), ι(P(v, ∂v)), ∂x11 − ∂y1², ∂x12 − 2∂y1∂y2, ∂x22 − ∂y2²⟩, an ideal annihilating
 * F(x, y) for φ = ψ annihilated by P (`Q` for ψ when the two factors differ, e.g. mixed products).
 *
 * For example:
 * const I1 = dualIntegralIdeal(parseActivationOperator('u*du-1'));
 * I1.length; // 5
 */
export function dualIntegralIdeal(P: Poly<Rational>, Q: Poly<Rational> = P): Poly<Rational>[] {
  return [transferImage(P, 'u'), transferImage(Q, 'v'), ...parseOperators(DUAL_ALGEBRA, HEAT_EQUATIONS)];
}
