/**
 * The one error hierarchy of every @holonomic-ntk package (as SymPy keeps its in polyerrors.py). Messages are
 * written for the user: they say what was wrong and where. The `hgm` command maps each class to one line and an
 * exit code (2 bad input, 3 not holonomic, 4 a limit); anything that is not a `HolonomicError` is a bug.
 */

/**
 * The base class: every error a library of this project throws on purpose.
 *
 * @example
 * ```ts
 * import { DomainError, HolonomicError } from '@holonomic-ntk/core';
 * new DomainError('variance a = -1 is negative') instanceof HolonomicError; // → true
 * ```
 */
export class HolonomicError extends Error {
  override readonly name: string = 'HolonomicError';
}

/**
 * A syntax error in operator, formula, rational-expression or monomial text. `column` is 1-based; `input` is the
 * text that was parsed; the message ends with the input and a caret under the column.
 *
 * @example
 * ```ts
 * import { ParseError } from '@holonomic-ntk/core';
 * const e = new ParseError('unexpected ")"', 3, 'x+)');
 * e.message; // → 'unexpected ")" at column 3\n  x+)\n    ^'
 * ```
 */
export class ParseError extends HolonomicError {
  override readonly name = 'ParseError';
  constructor(
    message: string,
    readonly column: number,
    readonly input: string,
    readonly expected?: string,
  ) {
    super(`${message} at column ${column}${caret(input, column)}`);
  }
}

function caret(input: string, column: number): string {
  if (input.length === 0 || input.length > 200 || input.includes('\n')) return '';
  return `\n  ${input}\n  ${' '.repeat(Math.max(0, column - 1))}^`;
}

/**
 * An argument outside the mathematical domain of an operation (division by zero, a covariance that is not
 * positive semidefinite, a ≥ 0 for a moment, …).
 *
 * @example
 * ```ts
 * import { classifyCovariance } from '@holonomic-ntk/core';
 * classifyCovariance(1, 2, 1); // throws DomainError
 * ```
 */
export class DomainError extends HolonomicError {
  override readonly name = 'DomainError';
}

/**
 * The ideal or module is proven not holonomic: a verdict, never a limit (a search that stops at a degree or time
 * limit throws LimitExceededError instead). Thrown when the holonomic rank is infinite (a ∂ without a pure power
 * among the leading monomials over Q(x)⟨∂⟩), when elimination proves that in_(−w,w)(I) ∩ Q[θ] = 0 (no b-function
 * at any degree), when the characteristic variety has dimension > n, or when a restricted system is trivial.
 *
 * @example
 * ```ts
 * import { NotHolonomicError } from '@holonomic-ntk/core';
 * new NotHolonomicError('no leading monomial is a pure power of dy').name; // → 'NotHolonomicError'
 * ```
 */
export class NotHolonomicError extends HolonomicError {
  override readonly name = 'NotHolonomicError';
}

/**
 * A user-set limit (time, number of pairs, degree) was reached before the computation finished. `limit` names it,
 * `value` is the limit's value.
 *
 * @example
 * ```ts
 * import { LimitExceededError } from '@holonomic-ntk/core';
 * new LimitExceededError('more than 1000 pairs', 'maxPairs', 1000).limit; // → 'maxPairs'
 * ```
 */
export class LimitExceededError extends HolonomicError {
  override readonly name = 'LimitExceededError';
  constructor(
    message: string,
    readonly limit: string,
    readonly value: number,
  ) {
    super(message);
  }
}

/**
 * A Pfaffian artifact that does not follow the format. `path` names the offending field in JSON-path style,
 * e.g. `systems[0].pfaffian.x12[1][0]`; the message starts with it.
 *
 * @example
 * ```ts
 * import { readArtifact } from '@holonomic-ntk/core';
 * readArtifact('{"format": "hgm-pfaffian/9"}'); // throws ArtifactError
 * ```
 */
export class ArtifactError extends HolonomicError {
  override readonly name = 'ArtifactError';
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${path}: ${detail}`);
  }
}

/**
 * An ODE solver or a quadrature could not reach the requested accuracy (step-size underflow, step limit): a limit
 * of the numerics, reported rather than returning a value worse than asked for.
 *
 * @example
 * ```ts
 * import { IntegrationError, HolonomicError } from '@holonomic-ntk/core';
 * new IntegrationError('step size underflow at t = 0.3') instanceof HolonomicError; // → true
 * ```
 */
export class IntegrationError extends HolonomicError {
  override readonly name = 'IntegrationError';
}

/** Where a distribution check failed: the Gaussian test function exp(−(u − mu)²/(2 s²)). */
export interface TestFunctionSpec {
  readonly mu: number;
  readonly s: number;
}

/**
 * An operator fails to annihilate σ as a distribution: `residual` is |∫σ·P*φ| / ∫|σ|·|P*φ| for the test function
 * `testFunction`, the worst one found.
 *
 * @example
 * ```ts
 * import { AnnihilatorError } from '@holonomic-ntk/core';
 * new AnnihilatorError('u*du does not annihilate u', 0.5, { mu: 0, s: 1 }, 1e-10).residual; // → 0.5
 * ```
 */
export class AnnihilatorError extends HolonomicError {
  override readonly name = 'AnnihilatorError';
  constructor(
    message: string,
    readonly residual: number,
    readonly testFunction: TestFunctionSpec,
    readonly tolerance: number,
  ) {
    super(message);
  }
}
