/**
 * The inner loops of the dense solvers, written for V8: flat Float64Array, explicit offsets and strides, dot products
 * over contiguous memory unrolled four ways, and a 2 × 4 register tile for C −= A·Bᵀ (8 accumulators and 6 loads per
 * step, which V8 keeps in the 16 xmm registers of x86-64).
 */

/** Σ_{k<len} x[xo + k]·y[yo + k], four partial sums. */
export function dot(x: Float64Array, xo: number, y: Float64Array, yo: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < len; k += 4) {
    s0 += x[xo + k]! * y[yo + k]!;
    s1 += x[xo + k + 1]! * y[yo + k + 1]!;
    s2 += x[xo + k + 2]! * y[yo + k + 2]!;
    s3 += x[xo + k + 3]! * y[yo + k + 3]!;
  }
  for (; k < len; k++) s0 += x[xo + k]! * y[yo + k]!;
  return s0 + s1 + (s2 + s3);
}

/** y[yo + k] += alpha·x[xo + k] for k < len. */
export function axpy(alpha: number, x: Float64Array, xo: number, y: Float64Array, yo: number, len: number): void {
  let k = 0;
  for (; k + 3 < len; k += 4) {
    y[yo + k] = y[yo + k]! + alpha * x[xo + k]!;
    y[yo + k + 1] = y[yo + k + 1]! + alpha * x[xo + k + 1]!;
    y[yo + k + 2] = y[yo + k + 2]! + alpha * x[xo + k + 2]!;
    y[yo + k + 3] = y[yo + k + 3]! + alpha * x[xo + k + 3]!;
  }
  for (; k < len; k++) y[yo + k] = y[yo + k]! + alpha * x[xo + k]!;
}

/**
 * C[i][j] −= Σ_{k<kk} A[i][k]·B[j][k] for i < m, j < p: a product with the transpose, every operand row-major
 * (row r of X starts at xo + r·xs), so all three inner loops read contiguous memory.
 */
export function subMulTransposed(
  c: Float64Array,
  co: number,
  cs: number,
  a: Float64Array,
  ao: number,
  as: number,
  b: Float64Array,
  bo: number,
  bs: number,
  m: number,
  p: number,
  kk: number,
): void {
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const a0 = ao + i * as;
    const a1 = a0 + as;
    const c0 = co + i * cs;
    const c1 = c0 + cs;
    let j = 0;
    for (; j + 3 < p; j += 4) {
      const b0 = bo + j * bs;
      const b1 = b0 + bs;
      const b2 = b1 + bs;
      const b3 = b2 + bs;
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      for (let k = 0; k < kk; k++) {
        const x0 = a[a0 + k]!;
        const x1 = a[a1 + k]!;
        const y0 = b[b0 + k]!;
        const y1 = b[b1 + k]!;
        const y2 = b[b2 + k]!;
        const y3 = b[b3 + k]!;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
      }
      c[c0 + j] = c[c0 + j]! - s00;
      c[c0 + j + 1] = c[c0 + j + 1]! - s01;
      c[c0 + j + 2] = c[c0 + j + 2]! - s02;
      c[c0 + j + 3] = c[c0 + j + 3]! - s03;
      c[c1 + j] = c[c1 + j]! - s10;
      c[c1 + j + 1] = c[c1 + j + 1]! - s11;
      c[c1 + j + 2] = c[c1 + j + 2]! - s12;
      c[c1 + j + 3] = c[c1 + j + 3]! - s13;
    }
    for (; j < p; j++) {
      const b0 = bo + j * bs;
      c[c0 + j] = c[c0 + j]! - dot(a, a0, b, b0, kk);
      c[c1 + j] = c[c1 + j]! - dot(a, a1, b, b0, kk);
    }
  }
  if (i < m) {
    const a0 = ao + i * as;
    const c0 = co + i * cs;
    for (let j = 0; j < p; j++) c[c0 + j] = c[c0 + j]! - dot(a, a0, b, bo + j * bs, kk);
  }
}
