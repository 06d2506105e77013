/**
 * The error raised when an operator does not annihilate an activation (numerically, as a distribution).
 */

/** Where the check failed: the Gaussian test function exp(−(u − mu)²/(2 s²)). */
export interface TestFunctionSpec {
  readonly mu: number;
  readonly s: number;
}

/**
 * An operator fails to annihilate σ as a distribution: `residual` is |∫σ·P*φ| / ∫|σ|·|P*φ| for the test function
 * `testFunction`, the worst one found.
 */
export class AnnihilatorError extends Error {
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
