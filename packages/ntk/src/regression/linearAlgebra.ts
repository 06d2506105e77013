import { choleskyInPlace, choleskySolveWith } from './cholesky.ts';
import { symmetricEigenDense } from './symmetricEigen.ts';
/**
 * The matrix type of kernels and regression (row-major Float64Array) and Matrix-level wrappers of the solvers:
 * blocked Cholesky (cholesky.ts) and the symmetric eigen-decomposition (symmetricEigen.ts).
 */

/**
 * A row-major matrix: entry (i, j) is `data[i * cols + j]`. The one matrix type of kernels and regression:
 * `Network.kernelFn` and `kernelMatrix` return it, `gradientDescentMse` and `nngpPosterior` take and return it.
 *
 * @example
 * ```ts
 * import { fullyConnected, type Matrix } from '@holonomic-ntk/ntk';
 * const k: Matrix = fullyConnected({ depth: 1, activation: 'relu' }).kernelFn([[1, 0], [0, 1], [0.6, 0.8]], null, 'ntk');
 * [k.rows, k.cols, k.data.length]; // → [3, 3, 9]
 * k.data[0 * k.cols + 2] === k.data[2 * k.cols + 0]; // → true
 * ```
 */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

/**
 * A {@link Matrix} from rows (copied); all rows must have the same length.
 *
 * @example
 * ```ts
 * import { matrix } from '@holonomic-ntk/ntk';
 * matrix([[1, 2], [3, 4]]); // → { rows: 2, cols: 2, data: Float64Array.of(1, 2, 3, 4) }
 * matrix([[1, 2], [3]]); // throws RangeError
 * ```
 */
export function matrix(rows: readonly (readonly number[] | Float64Array)[]): Matrix {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0]!.length;
  const data = new Float64Array(r * c);
  rows.forEach((row, i) => {
    if (row.length !== c) throw new RangeError(`row ${i} has ${row.length} entries, expected ${c}`);
    data.set(row, i * c);
  });
  return { rows: r, cols: c, data };
}

/**
 * The rows of a {@link Matrix} as plain arrays (for JSON, CSV or code that indexes `m[i][j]`).
 *
 * @example
 * ```ts
 * import { matrix, toRows } from '@holonomic-ntk/ntk';
 * toRows(matrix([[1, 2], [3, 4]])); // → [[1, 2], [3, 4]]
 * toRows({ rows: 2, cols: 1, data: Float64Array.of(5, 6) }); // → [[5], [6]]
 * ```
 */
export function toRows(m: Matrix): number[][] {
  return Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
}

/** C = A·B. */
export function multiply(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.rows) throw new RangeError(`shape mismatch ${a.rows}×${a.cols} · ${b.rows}×${b.cols}`);
  const out = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < a.cols; k++) {
      const aik = a.data[i * a.cols + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < b.cols; j++) out[i * b.cols + j]! += aik * b.data[k * b.cols + j]!;
    }
  }
  return { rows: a.rows, cols: b.cols, data: out };
}

/**
 * Lower-triangular L with A = L·Lᵀ for a symmetric positive definite A (lower triangle read); DomainError otherwise.
 * A new matrix, by the blocked factorisation of cholesky.ts.
 *
 * For example `cholesky(matrix([[4, 2], [2, 2]])).data` gives [2, 0, 1, 1].
 */
export function cholesky(a: Matrix): Matrix {
  const n = a.rows;
  if (a.cols !== n) throw new RangeError('cholesky needs a square matrix');
  const l = Float64Array.from(a.data);
  choleskyInPlace(l, n);
  for (let i = 0; i < n; i++) l.fill(0, i * n + i + 1, (i + 1) * n);
  return { rows: n, cols: n, data: l };
}

/**
 * X with (L·Lᵀ)·X = B, from the Cholesky factor L.
 *
 * For example `choleskySolve(cholesky(matrix([[4, 2], [2, 2]])), matrix([[2], [2]]))` gives [[0], [1]].
 */
export function choleskySolve(l: Matrix, b: Matrix): Matrix {
  const n = l.rows;
  if (b.rows !== n) throw new RangeError('right-hand side has the wrong number of rows');
  return { rows: n, cols: b.cols, data: choleskySolveWith(l.data, n, b.data, b.cols) };
}

/**
 * Eigen-decomposition A = V·diag(values)·Vᵀ of a symmetric matrix (values ascending, eigenvectors in the columns
 * of V) by Householder tridiagonalisation and implicit QL (symmetricEigen.ts). The lower triangle is read.
 *
 * For example `symmetricEigen(matrix([[2, 1], [1, 2]])).values` gives [1, 3].
 */
export function symmetricEigen(a: Matrix): { values: Float64Array; vectors: Matrix } {
  const n = a.rows;
  if (a.cols !== n) throw new RangeError('symmetricEigen needs a square matrix');
  const { values, vectors } = symmetricEigenDense(a.data, n);
  return { values, vectors: { rows: n, cols: n, data: vectors } };
}
