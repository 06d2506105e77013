import { DomainError } from '@holonomic-ntk/core';
/**
 * Small dense linear algebra for kernel regression (row-major Float64Array): Cholesky and the cyclic Jacobi
 * eigenvalue method for symmetric matrices (accurate eigenvectors, O(n³) per sweep, fine for n ≤ 500).
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
 * Lower-triangular L with A = L·Lᵀ for a symmetric positive definite A; DomainError otherwise.
 *
 * For example `cholesky(matrix([[4, 2], [2, 2]])).data` gives [2, 0, 1, 1].
 */
export function cholesky(a: Matrix): Matrix {
  const n = a.rows;
  if (a.cols !== n) throw new RangeError('cholesky needs a square matrix');
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a.data[j * n + j]!;
    for (let k = 0; k < j; k++) d -= l[j * n + k]! * l[j * n + k]!;
    if (!(d > 0)) throw new DomainError(`matrix is not positive definite (pivot ${d} at ${j}); add diagReg`);
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a.data[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = s / ljj;
    }
  }
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
  const m = b.cols;
  const x = Float64Array.from(b.data);
  for (let c = 0; c < m; c++) {
    for (let i = 0; i < n; i++) {
      let s = x[i * m + c]!;
      for (let k = 0; k < i; k++) s -= l.data[i * n + k]! * x[k * m + c]!;
      x[i * m + c] = s / l.data[i * n + i]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = x[i * m + c]!;
      for (let k = i + 1; k < n; k++) s -= l.data[k * n + i]! * x[k * m + c]!;
      x[i * m + c] = s / l.data[i * n + i]!;
    }
  }
  return { rows: n, cols: m, data: x };
}

/**
 * Eigen-decomposition A = V·diag(values)·Vᵀ of a symmetric matrix by cyclic Jacobi rotations (values ascending,
 * eigenvectors in the columns of V). Only the upper triangle's symmetry is assumed; asymmetry is averaged.
 *
 * For example `symmetricEigen(matrix([[2, 1], [1, 2]])).values` gives [1, 3].
 */
export function symmetricEigen(a: Matrix): { values: Float64Array; vectors: Matrix } {
  const n = a.rows;
  if (a.cols !== n) throw new RangeError('symmetricEigen needs a square matrix');
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i * n + j] = (a.data[i * n + j]! + a.data[j * n + i]!) / 2;
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += m[i * n + i]! * m[i * n + i]!;
      for (let j = i + 1; j < n; j++) off += m[i * n + j]! * m[i * n + j]!;
    }
    if (off <= 1e-34 * diag || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        if (apq === 0) continue;
        const app = m[p * n + p]!;
        const aqq = m[q * n + q]!;
        // Rutishauser's stable rotation: t = tan φ, the smaller root of t² + 2θt − 1 = 0.
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p]!;
          const mkq = m[k * n + q]!;
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k]!;
          const mqk = m[q * n + k]!;
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        m[p * n + q] = 0;
        m[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[i * n + i]! - m[j * n + j]!);
  const values = Float64Array.from(order, (i) => m[i * n + i]!);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src]!;
  });
  return { values, vectors: { rows: n, cols: n, data: vectors } };
}
