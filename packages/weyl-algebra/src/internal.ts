/**
 * @holonomic-ntk/weyl-algebra/internal: what the sibling packages of this monorepo (groebner, restriction, their
 * tests and benches) need beyond the public API. No semver promise; for the sibling packages.
 */

// Bigint arithmetic.
export { absBig, gcdBig, bitLength, factorialBig, binomialBig } from './bigintMath.ts';
export { gcdList } from './domain.ts';
export { gcdInt } from './polynomialGcd.ts';

// Content, primitive parts and exact quotients.
export { contentZZ, primitivePartZZ, integerPrimitive, toRationalPoly, monicQQ, exactQuotient } from './content.ts';

// Linear sort keys of term orders.
export { refineKey, revlexKey } from './monomialOrder.ts';

// Exponent-vector helpers.
export { monoDivides, monoMul, monoDiv, monoLcm, monoDegree, monoEq } from './polynomial.ts';

// Term accumulation and the pieces of the Weyl product.
export { TermAccumulator } from './termAccumulator.ts';
export type { TermSink } from './weylAlgebra.ts';
export { powBySquaring, nextMultiIndex, forEachMultiIndex } from './powBySquaring.ts';
export { swapCoefficients } from './weylProduct.ts';

// The expression AST and its evaluation into a target (the parser's machinery).
export {
  type Expr,
  type ExprOperand,
  type ExprTarget,
  TargetError,
  MAX_EXPONENT,
  parseExpression,
  parseList,
  evaluate,
  polynomialTarget,
  operatorTarget,
  rationalFunctionTarget,
  rationalTarget,
} from './parser.ts';
