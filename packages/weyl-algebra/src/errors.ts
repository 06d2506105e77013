/**
 * Typed errors shared by every package. Messages are written for the user: they say what was wrong and where.
 */

/** A syntax error in operator or formula text. `column` is 1-based; `input` is the text that was parsed. */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  constructor(
    message: string,
    readonly column: number,
    readonly input: string,
    readonly expected?: string,
  ) {
    super(`${message} at column ${column}${ParseError.caret(input, column)}`);
  }

  private static caret(input: string, column: number): string {
    if (input.length === 0 || input.length > 200 || input.includes('\n')) return '';
    return `\n  ${input}\n  ${' '.repeat(Math.max(0, column - 1))}^`;
  }
}

/** An argument outside the mathematical domain of an operation (division by zero, negative variance, ...). */
export class DomainError extends Error {
  override readonly name = 'DomainError';
}

/** The ideal or module is not holonomic (infinite rank, no b-function within the degree cap, ...). */
export class NotHolonomicError extends Error {
  override readonly name = 'NotHolonomicError';
}

/** A user-set limit (time, number of pairs, degree) was reached before the computation finished. */
export class LimitExceededError extends Error {
  override readonly name = 'LimitExceededError';
  constructor(
    message: string,
    readonly limit: string,
    readonly value: number,
  ) {
    super(message);
  }
}
