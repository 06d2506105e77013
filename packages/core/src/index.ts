/**
 * @holonomic-ntk/core: what both sides of the seam share. The Pfaffian artifact format (the one contract between
 * the algebra packages that write artifacts and hgm-runtime that reads them), the one error hierarchy, the one
 * expression parser (text → a ring-free syntax tree; weyl-algebra evaluates it into rings), the activation
 * registry, float special functions, quadrature rules and the covariance validator. Imports nothing.
 */
export {
  HolonomicError,
  ParseError,
  DomainError,
  NotHolonomicError,
  LimitExceededError,
  ArtifactError,
  IntegrationError,
  AnnihilatorError,
  type TestFunctionSpec,
} from './errors.ts';
export {
  ARTIFACT_FORMAT,
  ARTIFACT_FORMATS_READ,
  type ArtifactFormat,
  type ArtifactActivation,
  type ArtifactPiece,
  type FactorName,
  INTEGRANDS,
  type Integrand,
  type MomentTerm,
  type InitialVectorRecipe,
  type InitialValueRecipe,
  type PfaffianMatrices,
  type PfaffianSystem,
  type PfaffianArtifact,
  type CovarianceChartJson,
  type DMonomial,
  parseDMonomial,
  validateArtifact,
  readArtifact,
  findSystem,
} from './artifact.ts';
export { CHART_VARIABLES, type ChartTerm, parseChartPolynomial, chartPolynomialToText } from './chartPolynomial.ts';
export {
  type Expr,
  parseRationalExpression,
  expressionVariables,
  evaluateExpression,
  PFAFFIAN_VARIABLES,
  type PfaffianVariable,
} from './rationalExpression.ts';
export {
  type SigmaSpec,
  type BuiltinActivation,
  type BuiltinActivationName,
  ACTIVATIONS,
  builtinActivation,
  BUILTIN_ACTIVATION_NAMES,
  FORMULA_ACTIVATIONS,
  MAX_RECTPOW,
} from './activations.ts';
export { erf, erfc, normalCdf, normalPdf, expMinusSquare, gammaHalf } from './specialFunctions.ts';
export {
  type ParsedExpr,
  type ParsedOperand,
  type CallExpr,
  type ExprWithCalls,
  type ArityOf,
  parseExpression,
  parseList,
  parseExpressionWithCalls,
} from './expressionParser.ts';
export { type NumericFormula, numericFormula, unknownFunctionError } from './numericFormula.ts';
export { diffOfProducts, twoProductError } from './exactProducts.ts';
export { type QuadratureRule, gaussLegendreRule } from './gaussLegendre.ts';
export { GAUSS_HERMITE_MAX_ORDER, gaussHermiteRule, gaussHermiteNormalRule, gaussHermiteExpectation } from './gaussHermite.ts';
export { RHO_SLACK, type Covariance, covariance, type CovarianceKind, classifyCovariance, choleskyFactor } from './covariance.ts';
export { mulberry32 } from './random.ts';
export { ExactRational } from './exactRational.ts';
