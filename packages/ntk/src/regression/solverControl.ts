/**
 * Progress and cancellation of the long-running solver steps (factorisation, tridiagonalisation, Krylov
 * iterations). The steps are synchronous: they call `onProgress` between blocks (about every 0.1–0.5 s at
 * N = 4000) and check `signal.aborted` there, so an abort requested from a progress callback, a worker's
 * owner or any code that runs between blocks stops the step with an AbortError.
 */

/**
 * Where a long solver step stands: `done` of `total` units of the step named `step`.
 *
 * @example
 * ```ts
 * import { gradientDescentMse, matrix, type SolverProgress } from '@holonomic-ntk/ntk';
 * const seen: SolverProgress[] = [];
 * gradientDescentMse(matrix([[2, 0], [0, 2]]), [1, 1], { onProgress: (p) => seen.push(p) })({ kTestTrain: matrix([[1, 0]]) });
 * seen.every((p) => p.done <= p.total); // → true
 * ```
 */
export interface SolverProgress {
  /** 'cholesky' | 'triangular solve' | 'tridiagonalise' | 'eigenvalues' | 'cg' | 'lanczos' | 'pivoted cholesky'. */
  step: string;
  done: number;
  total: number;
}

/**
 * The progress callback and abort signal a solver step honours (part of RegressionOptions).
 *
 * @example
 * ```ts
 * import { gradientDescentMse, matrix, type SolverControl } from '@holonomic-ntk/ntk';
 * const control: SolverControl = { signal: AbortSignal.abort() };
 * const k = matrix(Array.from({ length: 300 }, (_, i) => Array.from({ length: 300 }, (_, j) => (i === j ? 2 : 1))));
 * gradientDescentMse(k, new Array(300).fill(1), { ...control, solver: 'cholesky' })({ kTestTrain: k }); // throws AbortError
 * ```
 */
export interface SolverControl {
  signal?: AbortSignal;
  onProgress?: (p: SolverProgress) => void;
}

export function abortError(step: string): Error {
  return new DOMException(`the ${step} was cancelled`, 'AbortError');
}

/** Report progress, then throw an AbortError if the signal was aborted. */
export function checkpoint(control: SolverControl | undefined, step: string, done: number, total: number): void {
  if (!control) return;
  control.onProgress?.({ step, done, total });
  if (control.signal?.aborted) throw abortError(step);
}
