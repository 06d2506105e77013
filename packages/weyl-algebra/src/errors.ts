/**
 * The errors this package throws: the project's one hierarchy (@holonomic-ntk/core), re-exported so that a user of
 * the algebra alone can catch them by class.
 */
export { DomainError, LimitExceededError, NotHolonomicError, ParseError } from '@holonomic-ntk/core';
