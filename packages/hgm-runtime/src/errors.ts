/**
 * Typed errors of the runtime. hgm-runtime may not import the algebra packages, so it has its own classes;
 * the names match the project-wide ones (`ParseError`, `DomainError`) so callers can treat them alike.
 */

/** A syntax error in a rational-expression or basis-monomial text. `column` is 1-based. */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  constructor(
    message: string,
    readonly column: number,
    readonly input: string,
  ) {
    super(`${message} at column ${column}${caret(input, column)}`);
  }
}

function caret(input: string, column: number): string {
  if (input.length === 0 || input.length > 200 || input.includes('\n')) return '';
  return `\n  ${input}\n  ${' '.repeat(Math.max(0, column - 1))}^`;
}

/**
 * A Pfaffian artifact that does not follow the format. `path` names the offending field in JSON-path style,
 * e.g. `systems[0].pfaffian.x12[1][0]`; the message starts with it.
 */
export class ArtifactError extends Error {
  override readonly name = 'ArtifactError';
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${path}: ${detail}`);
  }
}

/** An argument outside the domain of an operation (x not negative definite, a ≥ 0 for a moment, ...). */
export class DomainError extends Error {
  override readonly name = 'DomainError';
}

/** An ODE solver or a quadrature could not reach the requested accuracy (step size underflow, step limit). */
export class IntegrationError extends Error {
  override readonly name = 'IntegrationError';
}
