import { DomainError } from '@holonomic-ntk/core';
import { axpy, dot, subMulTransposed } from './denseKernels.ts';
import { checkpoint, type SolverControl } from './solverControl.ts';
import { simdInstance, type SimdKernels } from './wasmSimd.ts';

/**
 * Blocked, in-place Cholesky factorisation A = L·Lᵀ of a symmetric positive definite matrix stored row-major in a
 * Float64Array (entry (i, j) at i·n + j), and the triangular solves with L for many right-hand sides.
 *
 * Right-looking blocked algorithm (LAPACK's dpotrf, lower): for each panel of `blockSize` columns, factor the
 * diagonal block, solve the panel below it against that block, then update the trailing lower triangle by
 * C −= P·Pᵀ in column tiles (so that a tile of the panel stays in L1/L2 while the rows below stream past). Row-major
 * storage makes every inner loop a dot product of two contiguous row segments (denseKernels.ts). Only the lower
 * triangle (j ≤ i) is read and written; the strict upper triangle is left as it was.
 *
 * From SIMD_MIN_N on, the panel solve and the trailing update run in WebAssembly SIMD (wasmSimd.ts) on a copy of
 * the matrix in the instance's memory, 3.5–4× faster than the scalar kernels (BENCHMARKS.md); the scalar kernels
 * remain where WebAssembly SIMD is unavailable. Both give the same factor up to rounding.
 */

/**
 * Panel width and column-tile width of the trailing update, from A/B runs in one process on the reference machine
 * (N = 2000 and 4000, under load): panel widths 64–192 are within the noise; tiles of 128 columns were ≈ 10 % faster
 * than 64 at N = 4000 (the panel tile, 128 × 96 doubles, stays in L2 while the rows below stream past).
 */
export const CHOLESKY_BLOCK = 96;
const TILE = 128;

/**
 * The kernels of {@link choleskyInPlace}: 'auto' takes WebAssembly SIMD (wasmSimd.ts) from {@link SIMD_MIN_N} on
 * where the engine has it and the matrix fits a 4 GiB WebAssembly memory, else the scalar TypeScript kernels;
 * 'scalar' and 'simd' force one ('simd' falls back to scalar where SIMD is unavailable).
 */
export type DenseKernels = 'auto' | 'scalar' | 'simd';

/**
 * From this order on 'auto' takes the SIMD kernels: below it the matrix is one or two panels, and instantiating the
 * module and copying the matrix cost about what SIMD saves (measured break-even between n = 96 and 128).
 */
export const SIMD_MIN_N = 128;

/**
 * Overwrite the lower triangle of the row-major n × n matrix `a` with its Cholesky factor L (A = L·Lᵀ); the strict
 * upper triangle is not touched. DomainError when a pivot is not positive (A not positive definite).
 */
export function choleskyInPlace(a: Float64Array, n: number, control?: SolverControl & { blockSize?: number; tile?: number; kernels?: DenseKernels }): void {
  if (a.length < n * n) throw new RangeError(`choleskyInPlace: ${a.length} entries for a ${n}×${n} matrix`);
  const nb = Math.max(1, control?.blockSize ?? CHOLESKY_BLOCK);
  const tile = Math.max(1, control?.tile ?? TILE);
  const kernels = control?.kernels ?? 'auto';
  if (kernels === 'simd' || (kernels === 'auto' && n >= SIMD_MIN_N)) {
    const simd = simdInstance(n * n * 8);
    if (simd) {
      choleskySimd(simd, a, n, nb, tile, control);
      return;
    }
  }
  for (let jb = 0; jb < n; jb += nb) {
    const je = Math.min(jb + nb, n);
    const w = je - jb;
    // 1. The diagonal block (already updated by the earlier panels), unblocked.
    factorDiagonalBlock(a, n, jb, je);
    if (je === n) break;
    // 2. The panel below: rows i ≥ je, columns jb..je, against L11ᵀ.
    for (let i = je; i < n; i++) {
      const ri = i * n;
      for (let j = jb; j < je; j++) {
        const rj = j * n;
        a[ri + j] = (a[ri + j]! - dot(a, ri + jb, a, rj + jb, j - jb)) / a[rj + j]!;
      }
    }
    // 3. Trailing update of the lower triangle, C −= P·Pᵀ, one column tile at a time.
    for (let jj = je; jj < n; jj += tile) {
      const jt = Math.min(jj + tile, n);
      for (let i = jj; i < jt; i++) subMulTransposed(a, i * n + jj, n, a, i * n + jb, n, a, jj * n + jb, n, 1, i - jj + 1, w);
      if (jt < n) subMulTransposed(a, jt * n + jj, n, a, jt * n + jb, n, a, jj * n + jb, n, n - jt, jt - jj, w);
    }
    checkpoint(control, 'cholesky', je, n);
  }
}

/** The unblocked factor of the diagonal block jb..je (already updated by the earlier panels), in place. */
function factorDiagonalBlock(a: Float64Array, n: number, jb: number, je: number): void {
  for (let j = jb; j < je; j++) {
    const rj = j * n;
    const d = a[rj + j]! - dot(a, rj + jb, a, rj + jb, j - jb);
    if (!(d > 0)) throw new DomainError(`matrix is not positive definite (pivot ${d} at ${j}); add diagReg`);
    const ljj = Math.sqrt(d);
    a[rj + j] = ljj;
    for (let i = j + 1; i < je; i++) {
      const ri = i * n;
      a[ri + j] = (a[ri + j]! - dot(a, ri + jb, a, rj + jb, j - jb)) / ljj;
    }
  }
}

/**
 * The same right-looking blocked factorisation with the panel solve and the trailing update in WebAssembly SIMD:
 * the matrix is copied into the instance's memory (one more n² doubles while it runs; the instance and its memory
 * are dropped at the end), factored there, and the lower triangle copied back. The trailing update computes pairs of
 * rows, so on the diagonal tiles it also writes the entry just above the diagonal — in the copy only, never in `a`.
 */
function choleskySimd(k: SimdKernels, a: Float64Array, n: number, nb: number, tile: number, control: SolverControl | undefined): void {
  const v = new Float64Array(k.memory.buffer, 0, n * n);
  v.set(a.subarray(0, n * n));
  const s = n * 8;
  for (let jb = 0; jb < n; jb += nb) {
    const je = Math.min(jb + nb, n);
    const w = je - jb;
    factorDiagonalBlock(v, n, jb, je);
    if (je === n) break;
    k.trsmRows(0, s, 0, s, jb, je, je, n);
    for (let jj = je; jj < n; jj += tile) {
      const jt = Math.min(jj + tile, n);
      for (let i = jj; i < jt; i += 2)
        k.gemmNT((i * n + jj) * 8, s, (i * n + jb) * 8, s, (jj * n + jb) * 8, s, Math.min(2, jt - i), Math.min(i - jj + 2, jt - jj), w);
      if (jt < n) k.gemmNT((jt * n + jj) * 8, s, (jt * n + jb) * 8, s, (jj * n + jb) * 8, s, n - jt, jt - jj, w);
    }
    checkpoint(control, 'cholesky', je, n);
  }
  for (let i = 0; i < n; i++) a.set(v.subarray(i * n, i * n + i + 1), i * n);
}

/**
 * Solve X·Lᵀ = B in place for the m × n row-major B (row r of X is L⁻¹ applied to row r of B): each row of `x` is
 * one right-hand side. Blocked: the update from earlier columns is one C −= A·Bᵀ product per panel.
 */
export function solveLowerRows(
  l: Float64Array,
  n: number,
  x: Float64Array,
  m: number,
  control?: SolverControl & { blockSize?: number; kernels?: DenseKernels },
): void {
  const nb = Math.max(1, control?.blockSize ?? CHOLESKY_BLOCK);
  const kernels = control?.kernels ?? 'auto';
  // Many right-hand sides (the NNGP posterior's test rows): O(m·n²) work, worth copying L and X into WebAssembly
  // memory for the SIMD kernels; one or a few (regression targets) are O(n²) and stay here.
  if (kernels === 'simd' || (kernels === 'auto' && n >= SIMD_MIN_N && m >= 16)) {
    const simd = simdInstance((n * n + m * n) * 8);
    if (simd) {
      solveLowerRowsSimd(simd, l, n, x, m, nb, control);
      return;
    }
  }
  for (let jb = 0; jb < n; jb += nb) {
    const je = Math.min(jb + nb, n);
    if (jb > 0) subMulTransposed(x, jb, n, x, 0, n, l, jb * n, n, m, je - jb, jb);
    for (let r = 0; r < m; r++) {
      const xr = r * n;
      for (let i = jb; i < je; i++) {
        const li = i * n;
        x[xr + i] = (x[xr + i]! - dot(l, li + jb, x, xr + jb, i - jb)) / l[li + i]!;
      }
    }
    if (m > 64) checkpoint(control, 'triangular solve', je, n);
  }
}

/** {@link solveLowerRows} with the SIMD kernels, on copies of L (lower triangle) and X in the instance's memory. */
function solveLowerRowsSimd(k: SimdKernels, l: Float64Array, n: number, x: Float64Array, m: number, nb: number, control: SolverControl | undefined): void {
  const lv = new Float64Array(k.memory.buffer, 0, n * n);
  const xv = new Float64Array(k.memory.buffer, n * n * 8, m * n);
  for (let i = 0; i < n; i++) lv.set(l.subarray(i * n, i * n + i + 1), i * n);
  xv.set(x.subarray(0, m * n));
  const [xo, s] = [n * n * 8, n * 8];
  for (let jb = 0; jb < n; jb += nb) {
    const je = Math.min(jb + nb, n);
    if (jb > 0) k.gemmNT(xo + jb * 8, s, xo, s, jb * s, s, m, je - jb, jb);
    k.trsmRows(xo, s, 0, s, jb, je, 0, m);
    if (m > 64) checkpoint(control, 'triangular solve', je, n);
  }
  x.set(xv);
}

/**
 * Solve X·L = B in place for the m × n row-major B (row r of X is L⁻ᵀ applied to row r of B), by row operations
 * on L (axpy over contiguous rows of L, from the last row up).
 */
export function solveLowerTransposedRows(l: Float64Array, n: number, x: Float64Array, m: number): void {
  for (let r = 0; r < m; r++) {
    const xr = r * n;
    for (let i = n - 1; i >= 0; i--) {
      const li = i * n;
      const xi = x[xr + i]! / l[li + i]!;
      x[xr + i] = xi;
      if (xi !== 0) axpy(-xi, l, li, x, xr, i);
    }
  }
}

/** The m × n transpose of an n × m row-major array. */
export function transpose(b: Float64Array, n: number, m: number): Float64Array {
  const t = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let c = 0; c < m; c++) t[c * n + i] = b[i * m + c]!;
  return t;
}

/**
 * X = (L·Lᵀ)⁻¹·B for the n × m row-major B (a new array), from the factor in the lower triangle of `l`.
 */
export function choleskySolveWith(l: Float64Array, n: number, b: Float64Array, m: number, control?: SolverControl): Float64Array {
  const x = transpose(b, n, m);
  solveLowerRows(l, n, x, m, control);
  solveLowerTransposedRows(l, n, x, m);
  return transpose(x, m, n);
}
