import { LimitExceededError } from '@holonomic-ntk/core';
import { choleskyInPlace } from './cholesky.ts';
import { dot } from './denseKernels.ts';
import { checkpoint, type SolverControl } from './solverControl.ts';
import { norm2, symmetricMatVec } from './symmetricMatVec.ts';

/**
 * Preconditioned conjugate gradients for (K + shift·I)·x = b with a kernel matrix K (symmetric positive
 * semi-definite, row-major, full storage, never copied or modified), and the low-rank preconditioner
 * P = L·Lᵀ + σ·I from a partial pivoted Cholesky factorisation K ≈ L·Lᵀ (greedy largest residual diagonal,
 * Harbrecht–Peters–Schneider 2012; the preconditioner of GPyTorch, Gardner et al. 2018). P⁻¹ is applied by the
 * Woodbury identity through the Cholesky factor of the small r × r matrix σ·I + LᵀL.
 *
 * Stopping rule: the recursively updated residual ‖b − (K + shift·I)x‖ ≤ tol·‖b‖; the result's residual is then
 * recomputed with one more product (the residual check) and reported, and a LimitExceededError is thrown when it
 * exceeds 10·tol (after maxIterations, or when rounding stalls the recursion).
 */

/** A partial pivoted Cholesky factor: K ≈ L·Lᵀ with the columns of L stored as the rows of `l` (rank × n). */
export interface PivotedCholesky {
  rank: number;
  n: number;
  /** rank × n, row q = column q of L. */
  l: Float64Array;
  /** The trace of the remainder K − L·Lᵀ. */
  residualTrace: number;
  pivots: Int32Array;
}

/**
 * Greedy pivoted Cholesky of K (full, row-major) up to `maxRank` columns or until the remainder's trace is
 * ≤ relTol·tr K. O(n·rank²) time, rank·n memory.
 */
export function pivotedCholesky(k: Float64Array, n: number, maxRank: number, relTol = 0, control?: SolverControl): PivotedCholesky {
  const r = Math.min(maxRank, n);
  const l = new Float64Array(r * n);
  const diag = new Float64Array(n);
  let trace = 0;
  for (let i = 0; i < n; i++) {
    diag[i] = k[i * n + i]!;
    trace += diag[i]!;
  }
  const pivots = new Int32Array(r);
  let rest = trace;
  let rank = 0;
  for (let q = 0; q < r; q++) {
    let p = 0;
    let best = -Infinity;
    for (let i = 0; i < n; i++)
      if (diag[i]! > best) {
        best = diag[i]!;
        p = i;
      }
    if (!(best > 0) || rest <= relTol * trace) break;
    const piv = Math.sqrt(best);
    const lq = q * n;
    // Column q of L: (K[:, p] − Σ_{s<q} L[:, s]·L[p, s]) / √d_p; K[:, p] = row p by symmetry.
    for (let i = 0; i < n; i++) l[lq + i] = k[p * n + i]!;
    for (let s = 0; s < q; s++) {
      const f = l[s * n + p]!;
      if (f === 0) continue;
      const ls = s * n;
      for (let i = 0; i < n; i++) l[lq + i] = l[lq + i]! - f * l[ls + i]!;
    }
    rest = 0;
    for (let i = 0; i < n; i++) {
      const v = l[lq + i]! / piv;
      l[lq + i] = v;
      diag[i] = diag[i]! - v * v;
      rest += Math.max(diag[i]!, 0);
    }
    diag[p] = 0;
    pivots[q] = p;
    rank = q + 1;
    if ((q & 15) === 15) checkpoint(control, 'pivoted cholesky', q + 1, r);
  }
  return { rank, n, l: l.subarray(0, rank * n), residualTrace: rest, pivots: pivots.subarray(0, rank) };
}

/** x ↦ (L·Lᵀ + σI)⁻¹·x by the Woodbury identity. */
export function woodburyPreconditioner(pc: PivotedCholesky, sigma: number): (x: Float64Array, out: Float64Array) => void {
  const { rank: r, n, l } = pc;
  // M = σI + LᵀL (r × r), factored once.
  const m = new Float64Array(r * r);
  for (let a = 0; a < r; a++)
    for (let b = 0; b <= a; b++) {
      const v = dot(l, a * n, l, b * n, n) + (a === b ? sigma : 0);
      m[a * r + b] = v;
      m[b * r + a] = v;
    }
  if (r > 0) choleskyInPlace(m, r);
  const z = new Float64Array(r);
  return (x, out) => {
    for (let a = 0; a < r; a++) z[a] = dot(l, a * n, x, 0, n);
    for (let a = 0; a < r; a++) {
      let s = z[a]!;
      for (let b = 0; b < a; b++) s -= m[a * r + b]! * z[b]!;
      z[a] = s / m[a * r + a]!;
    }
    for (let a = r - 1; a >= 0; a--) {
      let s = z[a]!;
      for (let b = a + 1; b < r; b++) s -= m[b * r + a]! * z[b]!;
      z[a] = s / m[a * r + a]!;
    }
    for (let i = 0; i < n; i++) out[i] = x[i]!;
    for (let a = 0; a < r; a++) {
      const za = z[a]!;
      const la = a * n;
      for (let i = 0; i < n; i++) out[i] = out[i]! - za * l[la + i]!;
    }
    for (let i = 0; i < n; i++) out[i] = out[i]! / sigma;
  };
}

/** Options of {@link conjugateGradient}. */
export interface CgOptions extends SolverControl {
  /** Relative residual ‖b − Ax‖/‖b‖ to reach (default 1e-10). */
  tol?: number;
  /** Default min(n, 2000). */
  maxIterations?: number;
  /** Rank of the pivoted-Cholesky preconditioner (default min(n, 100); 0: no preconditioner). */
  preconditionerRank?: number;
  /** A preconditioner built earlier for the same K (and shift), reused across right-hand sides. */
  preconditioner?: (x: Float64Array, out: Float64Array) => void;
}

/** What {@link conjugateGradient} did: iterations and the recomputed relative residual. */
export interface CgResult {
  x: Float64Array;
  iterations: number;
  /** ‖b − (K + shift·I)x‖ / ‖b‖, recomputed from x. */
  residual: number;
}

/** The preconditioner CG uses by default for K + shift·I: rank-r pivoted Cholesky and σ = shift + remainder trace / n. */
export function defaultPreconditioner(
  k: Float64Array,
  n: number,
  shift: number,
  rank: number,
  control?: SolverControl,
): (x: Float64Array, out: Float64Array) => void {
  if (rank <= 0) return (x, out) => out.set(x);
  const pc = pivotedCholesky(k, n, rank, 1e-14, control);
  const sigma = Math.max(shift + pc.residualTrace / n, 1e-15 * (pc.residualTrace + shift + 1));
  return woodburyPreconditioner(pc, sigma);
}

/** Solve (K + shift·I)·x = b by preconditioned CG (see the module comment). */
export function conjugateGradient(k: Float64Array, n: number, shift: number, b: Float64Array, options: CgOptions = {}): CgResult {
  const tol = options.tol ?? 1e-10;
  const maxIt = options.maxIterations ?? Math.min(n, 2000);
  const precond = options.preconditioner ?? defaultPreconditioner(k, n, shift, options.preconditionerRank ?? Math.min(n, 100), options);
  const x = new Float64Array(n);
  const bn = norm2(b);
  if (bn === 0) return { x, iterations: 0, residual: 0 };
  const r = Float64Array.from(b);
  const z = new Float64Array(n);
  const p = new Float64Array(n);
  const q = new Float64Array(n);
  precond(r, z);
  p.set(z);
  let rz = dot(r, 0, z, 0, n);
  let it = 0;
  let lastReport = performance.now();
  while (it < maxIt && norm2(r) > tol * bn) {
    symmetricMatVec(k, n, shift, p, q);
    const pq = dot(p, 0, q, 0, n);
    if (!(pq > 0)) break; // K + shift·I singular along p (or indefinite): stop, the residual check decides
    const alpha = rz / pq;
    for (let i = 0; i < n; i++) {
      x[i] = x[i]! + alpha * p[i]!;
      r[i] = r[i]! - alpha * q[i]!;
    }
    precond(r, z);
    const rzNew = dot(r, 0, z, 0, n);
    const beta = rzNew / rz;
    rz = rzNew;
    for (let i = 0; i < n; i++) p[i] = z[i]! + beta * p[i]!;
    it++;
    if (performance.now() - lastReport > 250) {
      lastReport = performance.now();
      checkpoint(options, 'cg', it, maxIt);
    }
  }
  symmetricMatVec(k, n, shift, x, q);
  for (let i = 0; i < n; i++) q[i] = b[i]! - q[i]!;
  const residual = norm2(q) / bn;
  if (!(residual <= 10 * tol)) {
    throw new LimitExceededError(
      `conjugate gradients reached a relative residual of ${residual.toExponential(2)} after ${it} iterations, not the tolerance ${tol}: ` +
        'raise the tolerance or the iteration limit, add diagReg, or use the dense solver (cholesky)',
      'maxIterations',
      it,
    );
  }
  return { x, iterations: it, residual };
}
