/**
 * Text and LaTeX for Weyl-algebra elements, polynomials and rational functions, chosen so that every printed text
 * parses back to the same element with parser.ts. Elements are stored normally ordered and polyText prints each
 * monomial's factors in variable index order (x's, then ∂'s, then h), so reading the text as a left-to-right Weyl
 * product rebuilds exactly the stored normal form. The polynomial printer itself is polyText.ts: this file only
 * picks the names.
 */
import type { Poly, PolyRing } from './polynomial.ts';
import { polyToLatex, polyToText, variableToLatex, type PolyTextOptions } from './polyText.ts';
import type { RationalFunction, RationalFunctionField } from './rationalFunction.ts';
import type { WeylAlgebra } from './weylAlgebra.ts';

/**
 * Normally ordered text of a Weyl-algebra element; parses back with `parseOperator`. `{ compact: true }` drops the
 * spaces around + and −.
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, operatorToText, parseOperator } from '@holonomic-ntk/weyl-algebra';
 * const D = new WeylAlgebra(QQ, ['x']);
 * operatorToText(D, parseOperator(D, 'dx*x')); // → 'x*dx + 1'
 * operatorToText(D, parseOperator(D, 'dx*x'), { compact: true }); // → 'x*dx+1'
 * ```
 */
export function operatorToText<T>(ring: WeylAlgebra<T>, p: Poly<T>, options?: PolyTextOptions): string {
  return polyToText(ring.vars, ring.domain, p, options);
}

/**
 * LaTeX of a Weyl-algebra element, ∂ written `\partial_{x}` whatever the ∂-name is.
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, operatorToLatex, parseOperator } from '@holonomic-ntk/weyl-algebra';
 * const D = new WeylAlgebra(QQ, ['x11']);
 * operatorToLatex(D, parseOperator(D, 'dx11*x11')); // → 'x_{11} \\partial_{x_{11}} + 1'
 * ```
 */
export function operatorToLatex<T>(ring: WeylAlgebra<T>, p: Poly<T>): string {
  return polyToLatex(operatorLatexNames(ring), ring.domain, p);
}

/** The names handed to polyToLatex: x-names as they are, `\partial_{x}` for each ∂ (custom ∂-names too), h. */
function operatorLatexNames<T>(ring: WeylAlgebra<T>): string[] {
  const partials = ring.xNames.map((x) => `\\partial_{${variableToLatex(x)}}`);
  return [...ring.xNames, ...partials, ...(ring.hName !== undefined ? [ring.hName] : [])];
}

/**
 * Text of a polynomial; parses back with `parsePolynomial`.
 *
 * @example
 * ```ts
 * import { PolyRing, QQ, parsePolynomial, polynomialToText } from '@holonomic-ntk/weyl-algebra';
 * const R = new PolyRing(QQ, ['x', 'y']);
 * polynomialToText(R, parsePolynomial(R, '(x-y)*(x+y)')); // → 'x^2 - y^2'
 * ```
 */
export function polynomialToText<T>(ring: PolyRing<T>, p: Poly<T>, options?: PolyTextOptions): string {
  return polyToText(ring.vars, ring.domain, p, options);
}

/**
 * LaTeX of a polynomial (`x12` → `x_{12}`).
 *
 * @example
 * ```ts
 * import { PolyRing, QQ, parsePolynomial, polynomialToLatex } from '@holonomic-ntk/weyl-algebra';
 * const R = new PolyRing(QQ, ['x11']);
 * polynomialToLatex(R, parsePolynomial(R, '3/4*x11^2')); // → '\\frac{3}{4} x_{11}^{2}'
 * ```
 */
export function polynomialToLatex<T>(ring: PolyRing<T>, p: Poly<T>): string {
  return polyToLatex(ring.vars, ring.domain, p);
}

/**
 * Text of a rational function (the field's canonical text); parses back with `parseRationalFunction`.
 *
 * @example
 * ```ts
 * import { RationalFunctionField, parseRationalFunction, rationalFunctionToText } from '@holonomic-ntk/weyl-algebra';
 * const F = new RationalFunctionField(['a', 'b']);
 * rationalFunctionToText(F, parseRationalFunction(F, '(a^2-1)/(a*b-b)')); // → '(a+1)/b'
 * ```
 */
export function rationalFunctionToText(field: RationalFunctionField, f: RationalFunction): string {
  return field.toString(f);
}

/**
 * LaTeX of a rational function (`\frac{…}{…}`).
 *
 * @example
 * ```ts
 * import { RationalFunctionField, parseRationalFunction, rationalFunctionToLatex } from '@holonomic-ntk/weyl-algebra';
 * const F = new RationalFunctionField(['a']);
 * rationalFunctionToLatex(F, parseRationalFunction(F, '1/(2*a)')); // → '\\frac{1}{2 a}'
 * ```
 */
export function rationalFunctionToLatex(field: RationalFunctionField, f: RationalFunction): string {
  return field.toLatex(f);
}
