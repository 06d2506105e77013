/**
 * @holonomic-ntk/groebner/internal: what the sibling packages of this monorepo (restriction, tests and benches)
 * need beyond the public API. No semver promise; for the sibling packages.
 */

// Enforcing GbOptions limits and cancellation inside a computation.
export { Budget } from './options.ts';

// Term orders the engine builds: module orders, homogenized weight orders, ∂-block orders.
export { moduleOrder, homogenizedWeightOrder, derivationBlockOrder } from './orders.ts';

// Coefficient strategies (fraction-free over ZZ, monic over a field).
export { type CoefficientStrategy, integerStrategy, fieldStrategy, rationalStrategy } from './coefficients.ts';

// Left reduction and its exponent-vector layout.
export {
  type Layout,
  divides,
  lcmOf,
  quotient,
  degreeOf,
  isHuge,
  type Reduced,
  leftReduce,
  workspaceFor,
  reduceInWorkspace,
  leftReduceMerging,
} from './leftReduction.ts';

// The Buchberger engine.
export { buchberger, sPolynomial, interreduce } from './buchberger.ts';

// QQ ↔ ZZ twins of an algebra.
export { integerTwin, toIntegerOperator, toMonicRational } from './leftIdeal.ts';

// ∂-monomial helpers of the R = Q(x)⟨∂⟩ ideals.
export { dDivides, dEq, dGrevlexCompare, dText } from './rationalWeyl.ts';

// Matrices over Q(x) and gcd-free factored fractions.
export { matMul, matAdd, matSub, matDiff, isZeroMatrix, matInverse, type FactoredFraction, FactoredArithmetic } from './rationalMatrix.ts';

// Packed order keys, reducer sets and the reduction workspace of the hot loops.
export { registerOrderRows, orderRows, type PackedLayout, packRows, packedKey } from './orderKeys.ts';
export { divMask, ReducerSet } from './reducerSet.ts';
export { type Coef, toCoef, ReductionWorkspace } from './reductionWorkspace.ts';
