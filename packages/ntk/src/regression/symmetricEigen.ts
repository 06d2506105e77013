import { LimitExceededError } from '@holonomic-ntk/core';
import { dot, subMulTransposed } from './denseKernels.ts';
import { type DenseKernels, SIMD_MIN_N } from './cholesky.ts';
import { checkpoint, type SolverControl } from './solverControl.ts';
import { simdInstance } from './wasmSimd.ts';

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

/** The panel width of the blocked reduction (measured on the reference machine; 1 = unblocked). */
export const TRIDIAGONAL_BLOCK = 32;
const TILE = 64;

/** p[0..n−m0) = A[m0:, m0:]·v from the lower triangle: row i gives p_i and, by symmetry, v_i·A[i][j] to p_j, j < i. */
function lowerSymv(a: Float64Array, n: number, m0: number, v: Float64Array, p: Float64Array): void {
  p.fill(0, 0, n - m0);
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
}

/**
 * The Householder vector of column k below the diagonal (dlarfg): returns τ (0 when the column is already reduced)
 * and sets e[k] = β; v (v[0] = 1, entries for rows k+1…n−1) goes to `v` and to row k's strict upper part.
 */
function householder(a: Float64Array, n: number, k: number, e: Float64Array, v: Float64Array): number {
  const m0 = k + 1;
  const x0 = a[m0 * n + k]!;
  let sig = 0;
  for (let i = m0 + 1; i < n; i++) sig += a[i * n + k]! * a[i * n + k]!;
  if (sig === 0) {
    e[k] = x0;
    return 0;
  }
  const norm = Math.sqrt(x0 * x0 + sig);
  const beta = x0 <= 0 ? norm : -norm;
  const scale = 1 / (x0 - beta);
  e[k] = beta;
  const rk = k * n;
  v[0] = 1;
  a[rk + m0] = 1;
  for (let i = m0 + 1; i < n; i++) {
    const vi = a[i * n + k]! * scale;
    v[i - m0] = vi;
    a[rk + i] = vi;
  }
  return (beta - x0) / beta;
}

/**
 * Reduce the symmetric row-major n × n matrix `a` (lower triangle read) to tridiagonal form in place. Blocked as
 * LAPACK's dsytrd/dlatrd: per panel of `blockSize` columns the reflectors V and the matrix W are built with
 * A − V·Wᵀ − W·Vᵀ applied lazily, then the trailing lower triangle gets one rank-2·blockSize update by the 2 × 4
 * register-tiled C −= A·Bᵀ kernel; the last 2·blockSize columns are reduced unblocked.
 */
export function tridiagonalizeInPlace(input: Float64Array, n: number, control?: SolverControl & { blockSize?: number; kernels?: DenseKernels }): Tridiagonal {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const tau = new Float64Array(n);
  const nb = Math.max(1, control?.blockSize ?? TRIDIAGONAL_BLOCK);
  let lastReport = performance.now();
  const report = (k: number) => {
    if (control && performance.now() - lastReport > 200) {
      lastReport = performance.now();
      checkpoint(control, 'tridiagonalise', k, n);
    }
  };
  let k0 = 0;
  // With WebAssembly SIMD the reduction runs on a copy in the instance's memory (A, V, W, v, p), the symmetric
  // products and the trailing rank-2·nb updates by its kernels; the result is copied back at the end.
  const kernels = control?.kernels ?? 'auto';
  const useSimd = kernels === 'simd' || (kernels === 'auto' && n >= SIMD_MIN_N);
  const simd = useSimd ? simdInstance((n * n + 2 * n * nb + 2 * n) * 8) : null;
  // Byte offsets in the instance's memory of A, V, W, v, p.
  const [vo, wo, vvo, po] = [n * n * 8, (n * n + n * nb) * 8, (n * n + 2 * n * nb) * 8, (n * n + 2 * n * nb + n) * 8];
  const view = (offset: number, length: number) => (simd ? new Float64Array(simd.memory.buffer, offset, length) : new Float64Array(length));
  const a = simd ? view(0, n * n) : input;
  if (simd) a.set(input.subarray(0, n * n));
  const v = view(vvo, n);
  const p = view(po, n);
  /** p[0..n−m0) = A[m0:, m0:]·v */
  const symv = (m0: number) => {
    if (!simd) return lowerSymv(a, n, m0, v, p);
    p.fill(0, 0, n - m0);
    simd.symvRows(0, n * 8, m0, n, vvo, po);
  };
  if (nb > 1) {
    // V: local row r (global k0 + r), column c; W likewise.
    const vp = view(vo, n * nb);
    const wp = view(wo, n * nb);
    const c1 = new Float64Array(nb);
    const c2 = new Float64Array(nb);
    for (; n - k0 > 2 * nb + 2; k0 += nb) {
      const m = n - k0;
      vp.fill(0, 0, m * nb);
      wp.fill(0, 0, m * nb);
      for (let i = 0; i < nb; i++) {
        const k = k0 + i;
        // 1. Column k (rows k…n−1) brought up to date with the panel's earlier reflectors.
        if (i > 0)
          for (let r = i; r < m; r++) {
            const g = (k0 + r) * n + k;
            a[g] = a[g]! - dot(vp, r * nb, wp, i * nb, i) - dot(wp, r * nb, vp, i * nb, i);
          }
        d[k] = a[k * n + k]!;
        // 2. Its reflector.
        const tk = householder(a, n, k, e, v);
        tau[k] = tk;
        if (tk === 0) continue; // V[:, i] = W[:, i] = 0
        const len = n - k - 1;
        for (let r = 0; r < len; r++) vp[(i + 1 + r) * nb + i] = v[r]!;
        // 3. w = τ(A·v − V(Wᵀv) − W(Vᵀv)) with the original trailing A, then w −= (τ/2)(wᵀv)v.
        symv(k + 1);
        if (i > 0) {
          c1.fill(0);
          c2.fill(0);
          for (let r = 0; r < len; r++) {
            const o = (i + 1 + r) * nb;
            const vr = v[r]!;
            for (let c = 0; c < i; c++) {
              c1[c] = c1[c]! + wp[o + c]! * vr;
              c2[c] = c2[c]! + vp[o + c]! * vr;
            }
          }
          for (let r = 0; r < len; r++) {
            const o = (i + 1 + r) * nb;
            p[r] = p[r]! - dot(vp, o, c1, 0, i) - dot(wp, o, c2, 0, i);
          }
        }
        let pv = 0;
        for (let r = 0; r < len; r++) pv += p[r]! * v[r]!;
        const alpha = -0.5 * tk * tk * pv;
        for (let r = 0; r < len; r++) wp[(i + 1 + r) * nb + i] = tk * p[r]! + alpha * v[r]!;
      }
      // 4. Trailing lower triangle: A −= V·Wᵀ + W·Vᵀ, column tile by column tile.
      const t0 = k0 + nb;
      if (simd) {
        const [s8, b8] = [n * 8, nb * 8];
        for (let jj = t0; jj < n; jj += TILE) {
          const jt = Math.min(jj + TILE, n);
          const vj = (jj - k0) * b8;
          // Pairs of rows on the diagonal tile (the entry above the diagonal is written too: in the copy only).
          for (let i = jj; i < jt; i += 2) {
            const [m, p] = [Math.min(2, jt - i), Math.min(i - jj + 2, jt - jj)];
            const vi = (i - k0) * b8;
            simd.gemmNT((i * n + jj) * 8, s8, vo + vi, b8, wo + vj, b8, m, p, nb);
            simd.gemmNT((i * n + jj) * 8, s8, wo + vi, b8, vo + vj, b8, m, p, nb);
          }
          if (jt < n) {
            const vt = (jt - k0) * b8;
            simd.gemmNT((jt * n + jj) * 8, s8, vo + vt, b8, wo + vj, b8, n - jt, jt - jj, nb);
            simd.gemmNT((jt * n + jj) * 8, s8, wo + vt, b8, vo + vj, b8, n - jt, jt - jj, nb);
          }
        }
        report(k0 + nb);
        continue;
      }
      for (let jj = t0; jj < n; jj += TILE) {
        const jt = Math.min(jj + TILE, n);
        const vj = (jj - k0) * nb;
        for (let i = jj; i < jt; i++) {
          const vi = (i - k0) * nb;
          subMulTransposed(a, i * n + jj, n, vp, vi, nb, wp, vj, nb, 1, i - jj + 1, nb);
          subMulTransposed(a, i * n + jj, n, wp, vi, nb, vp, vj, nb, 1, i - jj + 1, nb);
        }
        if (jt < n) {
          const vt = (jt - k0) * nb;
          subMulTransposed(a, jt * n + jj, n, vp, vt, nb, wp, vj, nb, n - jt, jt - jj, nb);
          subMulTransposed(a, jt * n + jj, n, wp, vt, nb, vp, vj, nb, n - jt, jt - jj, nb);
        }
      }
      report(k0 + nb);
    }
  }
  for (let k = k0; k + 2 < n; k++) {
    const m0 = k + 1;
    const len = n - m0;
    d[k] = a[k * n + k]!;
    const tk = householder(a, n, k, e, v);
    tau[k] = tk;
    if (tk === 0) continue;
    symv(m0);
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
      for (let j = 0; j <= ii; j++) a[ri + j] = a[ri + j]! - vi * p[j]! - wi * v[j]!;
    }
    if ((k & 31) === 31) report(k);
  }
  if (n >= 2) {
    d[n - 2] = a[(n - 2) * n + n - 2]!;
    e[n - 2] = a[(n - 1) * n + n - 2]!;
  }
  if (n >= 1) d[n - 1] = a[(n - 1) * n + n - 1]!;
  if (simd) {
    // The reduced lower triangle and the reflectors (strict upper triangle) go back. The paired rows of the trailing
    // update also wrote the entry (i, i + 1) just above the diagonal; the reflector of row i (v_i[i+1] = 1) then
    // overwrote it, except where there is none (τ_i = 0, and the last two rows): there the input's entry is restored,
    // so the result is the scalar path's to the bit in the upper triangle too.
    for (let i = 0; i + 1 < n; i++) if (tau[i] === 0) a[i * n + i + 1] = input[i * n + i + 1]!;
    input.set(a);
  }
  return { n, d, e, tau, a: input };
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
