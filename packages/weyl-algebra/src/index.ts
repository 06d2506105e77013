/**
 * @holonomic-ntk/weyl-algebra: exact scalars (BigInt rationals), sparse polynomials and their gcd, rational
 * functions, term orders, the Weyl algebra D = K⟨x, ∂⟩ and its homogenization D^(h), and the text/LaTeX parser and
 * printer for all of them. Rings are explicit values (`R.mul(p, q)`), SymPy style.
 *
 * What only the sibling packages of this monorepo need (content helpers, the term accumulator, the expression AST,
 * bigint utilities) is in `@holonomic-ntk/weyl-algebra/internal` (no semver promise).
 */

// Errors: the project's one hierarchy (from @holonomic-ntk/core), re-exported so that users can catch them here.
export { DomainError, LimitExceededError, NotHolonomicError, ParseError } from './errors.ts';

// Coefficient domains: exact rationals, the integers ZZ and the rationals QQ.
export { Rational } from './rational.ts';
export { type Domain, ZZ, QQ } from './domain.ts';

// Term orders on exponent vectors.
export {
  type Monomial,
  type MonomialOrder,
  type LinearKey,
  lex,
  grlex,
  grevlex,
  revlex,
  weightOrder,
  matrixOrder,
  blockOrder,
  orderByName,
} from './monomialOrder.ts';

// Sparse commutative polynomials and their ring.
export { Poly, PolyRing } from './polynomial.ts';

// Multivariate polynomial gcd, cofactors and lcm over ZZ and QQ.
export { type GcdOptions, type GcdPath, type GcdCofactors, gcdZZ, cofactorsZZ, gcdQQ, cofactorsQQ, lcmQQ } from './polynomialGcd.ts';

// The field Q(x1..xn) of rational functions.
export { RationalFunction, RationalFunctionField } from './rationalFunction.ts';

// The Weyl algebra D (and D^(h)) over a coefficient domain.
export { WeylAlgebra, type WeylAlgebraOptions, type VariablePair, type TermSink } from './weylAlgebra.ts';

// Parsing text into polynomials, operators, rational functions and rationals.
export { parsePolynomial, parsePolynomials, parseOperator, parseOperators, parseRationalFunction, parseRational } from './parser.ts';

// Printing as text (parses back) and LaTeX.
export {
  operatorToText,
  operatorToLatex,
  polynomialToText,
  polynomialToLatex,
  rationalFunctionToText,
  rationalFunctionToLatex,
} from './printer.ts';
export { type PolyTextOptions, polyToText, polyToLatex, variableToLatex } from './polyText.ts';
