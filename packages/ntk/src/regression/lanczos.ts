import { LimitExceededError } from '@holonomic-ntk/core';
import { axpy, dot } from './denseKernels.ts';
import { checkpoint, type SolverControl } from './solverControl.ts';
import { norm2, symmetricMatVec } from './symmetricMatVec.ts';
import { tridiagonalQL } from './symmetricEigen.ts';

/**
 * Krylov (Lanczos) evaluation of f(A)·b for several functions f at once, A = K + shift·I symmetric (row-major,
 * full storage, read only): m steps of Lanczos with full reorthogonalisation (two Gram–Schmidt passes) give
 * A·Q_m = Q_m·T_m + β_m q_{m+1}e_mᵀ and f(A)·b ≈ ‖b‖·Q_m·f(T_m)·e₁ (Saad 1992; Higham, Functions of Matrices §13.2),
 * with f(T_m)·e₁ from the eigen-decomposition of the small tridiagonal T_m.
 *
 * Error estimate: every `checkEvery` steps the coefficients are recomputed; ‖b‖·‖y_m − y_{m−d}‖ (Q orthonormal) is
 * the change of the approximation since the previous check. For the smooth functions of gradient flow the
 * convergence is superlinear, so the change over the last d steps bounds the remaining error of the earlier iterate
 * and, a fortiori, of the returned one. Iteration stops when every function's estimate is ≤ tol·‖f(A)b‖, or on an
 * invariant subspace (β_m ≈ 0: then the result is exact up to rounding).
 */

/** Options of {@link lanczosFunctions}. */
export interface LanczosOptions extends SolverControl {
  /** Relative error to reach, per function (default 1e-10). */
  tol?: number;
  /** Default min(n, 1000). */
  maxIterations?: number;
  /** Steps between convergence checks (default 8). */
  checkEvery?: number;
}

/** f(A)·b per function, the error estimate of each (absolute, 2-norm) and the number of Lanczos steps. */
export interface LanczosResult {
  values: Float64Array[];
  errorEstimates: number[];
  iterations: number;
}

/** f_i(K + shift·I)·b for each f_i (see the module comment). */
export function lanczosFunctions(
  k: Float64Array,
  n: number,
  shift: number,
  b: Float64Array,
  fns: readonly ((theta: number) => number)[],
  options: LanczosOptions = {},
): LanczosResult {
  const tol = options.tol ?? 1e-10;
  const maxIt = Math.min(options.maxIterations ?? 1000, n);
  const every = Math.max(1, options.checkEvery ?? 8);
  const bn = norm2(b);
  if (bn === 0) return { values: fns.map(() => new Float64Array(n)), errorEstimates: fns.map(() => 0), iterations: 0 };
  const q: Float64Array[] = [Float64Array.from(b, (v) => v / bn)];
  const alpha: number[] = [];
  const beta: number[] = [];
  const w = new Float64Array(n);
  let previous: Float64Array[] | undefined;
  let estimates = fns.map(() => Infinity);
  let coefficients: Float64Array[] = [];
  let lastReport = performance.now();
  let m = 0;
  for (;;) {
    const qj = q[m]!;
    symmetricMatVec(k, n, shift, qj, w);
    const aj = dot(qj, 0, w, 0, n);
    alpha.push(aj);
    axpy(-aj, qj, 0, w, 0, n);
    if (m > 0) axpy(-beta[m - 1]!, q[m - 1]!, 0, w, 0, n);
    for (let pass = 0; pass < 2; pass++)
      for (let i = 0; i <= m; i++) {
        const c = dot(q[i]!, 0, w, 0, n);
        if (c !== 0) axpy(-c, q[i]!, 0, w, 0, n);
      }
    const bj = norm2(w);
    m++;
    const scale = Math.max(...alpha.map(Math.abs), ...beta);
    const breakdown = !(bj > 1e-13 * scale) || m === n;
    if (breakdown || m % every === 0 || m >= maxIt) {
      coefficients = functionCoefficients(alpha, beta, fns, bn);
      if (breakdown) estimates = fns.map(() => 0);
      else if (previous) {
        estimates = coefficients.map((y, f) => {
          const prev = previous![f]!;
          let s = 0;
          for (let i = 0; i < m; i++) s += (y[i]! - (i < prev.length ? prev[i]! : 0)) ** 2;
          return Math.sqrt(s);
        });
      }
      previous = coefficients;
      const done = breakdown || estimates.every((e, f) => e <= tol * norm2(coefficients[f]!));
      if (done) break;
      if (m >= maxIt) {
        throw new LimitExceededError(
          `Lanczos: error estimate ${Math.max(...estimates).toExponential(2)} after ${m} steps, not within the tolerance ${tol}: raise the tolerance or the iteration limit, or use the dense solver (eigen)`,
          'maxIterations',
          m,
        );
      }
    }
    beta.push(bj);
    q.push(Float64Array.from(w, (v) => v / bj));
    if (performance.now() - lastReport > 250) {
      lastReport = performance.now();
      checkpoint(options, 'lanczos', m, maxIt);
    }
  }
  const values = coefficients.map((y) => {
    const out = new Float64Array(n);
    for (let i = 0; i < m; i++) if (y[i] !== 0) axpy(y[i]!, q[i]!, 0, out, 0, n);
    return out;
  });
  return { values, errorEstimates: estimates, iterations: m };
}

/** ‖b‖·f(T)·e₁ for the m × m tridiagonal T (diagonal alpha, off-diagonal beta), per f. */
function functionCoefficients(alpha: readonly number[], beta: readonly number[], fns: readonly ((theta: number) => number)[], bn: number): Float64Array[] {
  const m = alpha.length;
  const d = Float64Array.from(alpha);
  const e = new Float64Array(m);
  for (let i = 0; i + 1 < m; i++) e[i] = beta[i]!;
  const z = new Float64Array(m * m);
  for (let i = 0; i < m; i++) z[i * m + i] = 1;
  tridiagonalQL(d, e, { vectors: z });
  // Row p of z is eigenvector p of T: f(T)e₁ = Σ_p f(θ_p)·z[p][0]·z[p].
  return fns.map((f) => {
    const y = new Float64Array(m);
    for (let p = 0; p < m; p++) {
      const c = f(d[p]!) * z[p * m]! * bn;
      if (c !== 0) axpy(c, z, p * m, y, 0, m);
    }
    return y;
  });
}
