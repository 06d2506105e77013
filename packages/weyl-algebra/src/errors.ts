/**
 * The errors this package throws: the project's one hierarchy (@holonomic-ntk/core), re-exported so that a user of
 * the algebra alone can catch them by class.
 *
 * @example
 * ```ts
 * import { DomainError, LimitExceededError, NotHolonomicError, ParseError, QQ, Rational, WeylAlgebra, parseOperator } from '@holonomic-ntk/weyl-algebra';
 * const D = new WeylAlgebra(QQ, ['x']);
 * parseOperator(D, 'x*dy'); // throws ParseError
 * Rational.of(1, 0); // throws DomainError
 * // The other two are thrown by groebner and restriction; the classes are core's, shared by every package.
 * [new LimitExceededError('too many pairs', 'maxPairs', 10).limit, new NotHolonomicError('rank ∞').name]; // → ['maxPairs', 'NotHolonomicError']
 * ```
 */
export { DomainError, LimitExceededError, NotHolonomicError, ParseError } from '@holonomic-ntk/core';
