import { LimitExceededError } from '@holonomic-ntk/core';
import { checkpoint, type SolverControl } from './solverControl.ts';

/**
 * Symmetric eigen-decomposition A = Q·T·Qᵀ = V·Λ·Vᵀ in two steps, as LAPACK's dsyev:
 *
 *  1. Householder tridiagonalisation in place (dsytd2, lower): Qᵀ·A·Q = T with Q = H₀·H₁⋯H_{n−3},
 *     H_k = I − τ_k·v_k·v_kᵀ. Only the lower triangle of the row-major matrix is read and updated (a symmetric
 *     matrix–vector product by a dot and an axpy per row, then the rank-2 update, all over contiguous rows);
 *     v_k is stored in the strict upper part of row k (contiguous), so applying Q or Qᵀ to a vector streams rows.
 *  2. Implicit QL with Wilkinson-type shifts on T (EISPACK tql2), T = W·Λ·Wᵀ. The plane rotations either
 *     update Wᵀ (rows of a row-major array: eigenvectors as contiguous rows) or are recorded in a
 *     {@link RotationLog}: then Wᵀ·z and W·y cost O(#rotations) = O(n²) per vector, and no n × n eigenvector
 *     matrix is ever formed. Regression at many times t needs only Vᵀ·r and V·(g(Λ)∘·), so this is how
 *     kernelRegression uses it: the only O(n³) work is step 1.
 */

/** The tridiagonal T (diagonal d, off-diagonal e[i] = T[i][i+1], e[n−1] = 0) and the reflectors of Q. */
export interface Tridiagonal {
  n: number;
  d: Float64Array;
  e: Float64Array;
  /** τ_k of H_k (0: H_k = I); v_k (with v_k[k+1] = 1) is row k, columns k+1…n−1, of the factored matrix. */
  tau: Float64Array;
  /** The factored matrix (reflector vectors in its strict upper triangle). */
  a: Float64Array;
}

/**
 * Reduce the symmetric row-major n × n matrix `a` (lower triangle read) to tridiagonal form in place.
 */
export function tridiagonalizeInPlace(a: Float64Array, n: number, control?: SolverControl): Tridiagonal {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const tau = new Float64Array(n);
  const v = new Float64Array(n);
  const p = new Float64Array(n);
  let lastReport = performance.now();
  for (let k = 0; k + 2 < n; k++) {
    const m0 = k + 1;
    const len = n - m0;
    d[k] = a[k * n + k]!;
    const x0 = a[m0 * n + k]!;
    let sig = 0;
    for (let i = m0 + 1; i < n; i++) sig += a[i * n + k]! * a[i * n + k]!;
    if (sig === 0) {
      e[k] = x0;
      tau[k] = 0;
      continue;
    }
    const norm = Math.sqrt(x0 * x0 + sig);
    const beta = x0 <= 0 ? norm : -norm;
    const tk = (beta - x0) / beta;
    const scale = 1 / (x0 - beta);
    e[k] = beta;
    tau[k] = tk;
    const rk = k * n;
    v[0] = 1;
    a[rk + m0] = 1;
    for (let i = m0 + 1; i < n; i++) {
      const vi = a[i * n + k]! * scale;
      v[i - m0] = vi;
      a[rk + i] = vi;
    }
    // p = A22·v from the lower triangle: row i gives p_i (its part left of and on the diagonal) and, by symmetry,
    // adds v_i·A[i][j] to p_j for j < i.
    p.fill(0, 0, len);
    for (let i = m0; i < n; i++) {
      const ri = i * n + m0;
      const ii = i - m0;
      const vi = v[ii]!;
      let s0 = a[ri + ii]! * vi;
      let s1 = 0;
      let j = 0;
      for (; j + 1 < ii; j += 2) {
        const a0 = a[ri + j]!;
        const a1 = a[ri + j + 1]!;
        s0 += a0 * v[j]!;
        s1 += a1 * v[j + 1]!;
        p[j] = p[j]! + vi * a0;
        p[j + 1] = p[j + 1]! + vi * a1;
      }
      for (; j < ii; j++) {
        const a0 = a[ri + j]!;
        s0 += a0 * v[j]!;
        p[j] = p[j]! + vi * a0;
      }
      p[ii] = p[ii]! + s0 + s1;
    }
    // w = τp − (τ²/2)(pᵀv)v, then A22 −= v·wᵀ + w·vᵀ (w kept in p).
    let pv = 0;
    for (let j = 0; j < len; j++) pv += p[j]! * v[j]!;
    const kk = 0.5 * tk * tk * pv;
    for (let j = 0; j < len; j++) p[j] = tk * p[j]! - kk * v[j]!;
    for (let i = m0; i < n; i++) {
      const ri = i * n + m0;
      const ii = i - m0;
      const vi = v[ii]!;
      const wi = p[ii]!;
      let j = 0;
      for (; j + 1 <= ii; j += 2) {
        a[ri + j] = a[ri + j]! - vi * p[j]! - wi * v[j]!;
        a[ri + j + 1] = a[ri + j + 1]! - vi * p[j + 1]! - wi * v[j + 1]!;
      }
      for (; j <= ii; j++) a[ri + j] = a[ri + j]! - vi * p[j]! - wi * v[j]!;
    }
    if (control && (k & 31) === 31 && performance.now() - lastReport > 200) {
      lastReport = performance.now();
      checkpoint(control, 'tridiagonalise', k, n);
    }
  }
  if (n >= 2) {
    d[n - 2] = a[(n - 2) * n + n - 2]!;
    e[n - 2] = a[(n - 1) * n + n - 2]!;
  }
  if (n >= 1) d[n - 1] = a[(n - 1) * n + n - 1]!;
  return { n, d, e, tau, a };
}

/** y ← Qᵀ·y (H₀ first). */
export function applyQTransposed(t: Tridiagonal, y: Float64Array): void {
  for (let k = 0; k + 2 < t.n; k++) reflect(t, k, y);
}

/** y ← Q·y (H_{n−3} first). */
export function applyQ(t: Tridiagonal, y: Float64Array): void {
  for (let k = t.n - 3; k >= 0; k--) reflect(t, k, y);
}

function reflect(t: Tridiagonal, k: number, y: Float64Array): void {
  const tk = t.tau[k]!;
  if (tk === 0) return;
  const { a, n } = t;
  const o = k * n;
  let s = 0;
  for (let i = k + 1; i < n; i++) s += a[o + i]! * y[i]!;
  s *= tk;
  for (let i = k + 1; i < n; i++) y[i] = y[i]! - s * a[o + i]!;
}

/** The plane rotations of an implicit QL run, in order: W = G₁·G₂⋯G_m, G_r acting on coordinates (i_r, i_r + 1). */
export class RotationLog {
  index = new Int32Array(1024);
  cs = new Float64Array(2048);
  length = 0;

  push(i: number, c: number, s: number): void {
    if (this.length === this.index.length) {
      const index = new Int32Array(this.index.length * 2);
      index.set(this.index);
      const cs = new Float64Array(this.cs.length * 2);
      cs.set(this.cs);
      this.index = index;
      this.cs = cs;
    }
    this.index[this.length] = i;
    this.cs[2 * this.length] = c;
    this.cs[2 * this.length + 1] = s;
    this.length++;
  }

  /** z ← Wᵀ·z. */
  applyTransposed(z: Float64Array): void {
    const { index, cs } = this;
    for (let r = 0; r < this.length; r++) {
      const i = index[r]!;
      const c = cs[2 * r]!;
      const s = cs[2 * r + 1]!;
      const zi = z[i]!;
      const zj = z[i + 1]!;
      z[i] = c * zi - s * zj;
      z[i + 1] = s * zi + c * zj;
    }
  }

  /** y ← W·y. */
  apply(y: Float64Array): void {
    const { index, cs } = this;
    for (let r = this.length - 1; r >= 0; r--) {
      const i = index[r]!;
      const c = cs[2 * r]!;
      const s = cs[2 * r + 1]!;
      const yi = y[i]!;
      const yj = y[i + 1]!;
      y[i] = c * yi + s * yj;
      y[i + 1] = c * yj - s * yi;
    }
  }
}

function hypot(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x > y) {
    const r = y / x;
    return x * Math.sqrt(1 + r * r);
  }
  if (y === 0) return 0;
  const r = x / y;
  return y * Math.sqrt(1 + r * r);
}

/**
 * Eigenvalues of the symmetric tridiagonal (d, e) by implicit QL (tql2), overwriting d (unsorted; e is destroyed).
 * With `vectors` (n × n row-major, initially I or Qᵀ) the rotations update its rows: row i ends as eigenvector i
 * (transposed); with `log` they are recorded instead.
 */
export function tridiagonalQL(d: Float64Array, e: Float64Array, out: { vectors?: Float64Array; log?: RotationLog } = {}, control?: SolverControl): void {
  const n = d.length;
  const z = out.vectors;
  const log = out.log;
  const eps = 2 ** -52;
  let f = 0;
  let tst1 = 0;
  e[n - 1] = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]!) > eps * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) throw new LimitExceededError('implicit QL: no convergence after 60 iterations for one eigenvalue', 'qlIterations', 60);
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i] = d[i]! - h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          if (z) {
            const ri = i * n;
            const rj = ri + n;
            for (let k = 0; k < n; k++) {
              const zi = z[ri + k]!;
              const zj = z[rj + k]!;
              z[ri + k] = c * zi - s * zj;
              z[rj + k] = s * zi + c * zj;
            }
          }
          log?.push(i, c, s);
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
    if (z && control && (l & 63) === 63) checkpoint(control, 'eigenvalues', l, n);
  }
}

/**
 * A = V·diag(values)·Vᵀ for the symmetric row-major n × n `a` (not modified; its lower triangle is read): values
 * ascending, eigenvector p in column p of the row-major `vectors`.
 */
export function symmetricEigenDense(a: Float64Array, n: number, control?: SolverControl): { values: Float64Array; vectors: Float64Array } {
  const work = Float64Array.from(a.subarray(0, n * n));
  const t = tridiagonalizeInPlace(work, n, control);
  // zt = Qᵀ (row i = Q·e_i), then rotated by the QL sweeps into Vᵀ = Wᵀ·Qᵀ: eigenvectors as rows.
  const zt = new Float64Array(n * n);
  const col = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    col.fill(0);
    col[i] = 1;
    applyQ(t, col); // column i of Q = row i of Qᵀ
    for (let r = 0; r < n; r++) zt[i * n + r] = col[r]!;
  }
  const d = t.d;
  tridiagonalQL(d, t.e, { vectors: zt }, control);
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[i]! - d[j]!);
  const values = Float64Array.from(order, (i) => d[i]!);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    for (let k = 0; k < n; k++) vectors[k * n + dst] = zt[src * n + k]!;
  });
  return { values, vectors };
}
