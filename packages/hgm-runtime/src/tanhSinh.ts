import { IntegrationError } from '@holonomic-ntk/core';
/**
 * Tanh-sinh (double-exponential) quadrature on a finite interval: ∫_c^d f(t) dt. Converges geometrically in the
 * number of points when f is analytic inside (c, d), even with algebraic singularities or kinks at the ends, which
 * is why every piece is cut at the kinks of σ. Shared by the moments (src/moments.ts) and the boundary
 * quadratures (src/boundaryQuadrature.ts).
 */

/** Beyond |τ| = 4 the weights are below 1e-35 (relative to a bounded integrand). */
export const TAU_MAX = 4;
export const MAX_LEVEL = 12;
const HALF_PI = Math.PI / 2;

export interface TanhSinhLevel {
  /** tanh(u) at the nodes τ > 0 new at this level, u = (π/2) sinh τ. */
  x: Float64Array;
  /** 1 − tanh(u), computed without cancellation. */
  delta: Float64Array;
  /** The weight (π/2) cosh τ / cosh² u. */
  omega: Float64Array;
}
const NODES: TanhSinhLevel[] = [];

/**
 * Tanh-sinh nodes τ > 0 new at `level` (τ = 1, 2, 3, 4 at level 0; odd multiples of 2^−level after), as
 * x = tanh(u), δ = 1 − tanh(u) = 2E/(1+E) and ω = (π/2) cosh τ / cosh² u = (π/2) cosh τ · 4E/(1+E)², E = e^{−2u}:
 * written with E so the points next to the ends keep full relative precision. Computed once.
 *
 * E.g. `tanhSinhNodes(0).x.length` gives 4 (τ = 1, 2, 3, 4).
 */
export function tanhSinhNodes(level: number): TanhSinhLevel {
  for (let l = NODES.length; l <= level; l++) {
    const h = 2 ** -l;
    const taus: number[] = [];
    for (let tau = l === 0 ? 1 : h; tau <= TAU_MAX; tau += l === 0 ? 1 : 2 * h) taus.push(tau);
    const x = new Float64Array(taus.length);
    const delta = new Float64Array(taus.length);
    const omega = new Float64Array(taus.length);
    taus.forEach((tau, i) => {
      const u = HALF_PI * Math.sinh(tau);
      const E = Math.exp(-2 * u);
      x[i] = Math.tanh(u);
      delta[i] = (2 * E) / (1 + E);
      omega[i] = HALF_PI * Math.cosh(tau) * ((4 * E) / ((1 + E) * (1 + E)));
    });
    NODES.push({ x, delta, omega });
  }
  return NODES[level]!;
}

/**
 * Rounding floor of a tanh-sinh estimate, relative to ∫|f|: the sum of a few hundred weighted values, each with a
 * relative error of a few ulps (the special functions of σ); measured ≤ 5ε·∫|f| (ACCURACY.md §8).
 */
const TANH_SINH_ROUNDING = 8 * Number.EPSILON;

/**
 * `tanhSinh` with an error estimate: returns ∫_c^d f and writes [∫|f|, estimate of the absolute error] into `info`
 * (the estimate as in `tanhSinhVector`). Throws `IntegrationError` as `tanhSinh` does.
 *
 * E.g. `tanhSinhWithError((t) => Math.sqrt(t), 0, 1, 1e-16, info)` gives 2/3 and info ≈ [2/3, ~1e-14].
 */
export function tanhSinhWithError(f: (t: number) => number, c: number, d: number, rtol: number, info: Float64Array): number {
  if (!(d > c)) {
    info[0] = 0;
    info[1] = 0;
    return 0;
  }
  if (d - c <= 64 * Number.EPSILON * Math.max(Math.abs(c), Math.abs(d))) {
    // As in tanhSinh: a piece a few ulps wide, its whole value counted as its error.
    const v = (d - c) * f((c + d) / 2);
    info[0] = Math.abs(v);
    info[1] = Math.abs(v);
    return v;
  }
  const out = new Float64Array(1);
  const est = new Float64Array(1);
  const absOut = new Float64Array(1);
  const add = (t: number, w: number, sum: Float64Array, abs: Float64Array): void => {
    const v = w * f(t);
    sum[0]! += v;
    abs[0]! += Math.abs(v);
  };
  if (!tanhSinhVector(add, c, d, 1, rtol, out, est, absOut)) {
    throw new IntegrationError(`tanh-sinh quadrature on [${c}, ${d}] did not converge in ${MAX_LEVEL} levels`);
  }
  info[0] = absOut[0]!;
  info[1] = est[0]!;
  return out[0]!;
}

/**
 * ∫_c^d f(t) dt by tanh-sinh, halving the step until the change is below 0.1·√rtol of ∫|f| (the error after a
 * halving is about the square of the change, so the result is then accurate to ~rtol relative to ∫|f|).
 * Throws `IntegrationError` if 12 levels do not suffice (f not analytic inside: a kink was not split off).
 *
 * E.g. `tanhSinh((t) => Math.sqrt(t), 0, 1)` gives 2/3 to ~1e-16.
 */
export function tanhSinh(f: (t: number) => number, c: number, d: number, rtol = 1e-16): number {
  if (!(d > c)) return 0;
  // A piece a few ulps wide (two kinks that coincide up to rounding) has no resolvable interior; the nodes
  // collapse onto its ends and a jump of f there would defeat the convergence test. Its contribution is
  // (d − c)·f, at the rounding level of the neighbouring pieces.
  if (d - c <= 64 * Number.EPSILON * Math.max(Math.abs(c), Math.abs(d))) return (d - c) * f((c + d) / 2);
  const out = new Float64Array(1);
  const add = (t: number, w: number, sum: Float64Array, abs: Float64Array): void => {
    const v = w * f(t);
    sum[0]! += v;
    abs[0]! += Math.abs(v);
  };
  if (!tanhSinhVector(add, c, d, 1, rtol, out)) {
    throw new IntegrationError(`tanh-sinh quadrature on [${c}, ${d}] did not converge in ${MAX_LEVEL} levels`);
  }
  return out[0]!;
}

/**
 * Adds w·F(t) into `sum` and w·|F(t)| (componentwise) into `abs` for one quadrature point t with weight w.
 * It may skip points where F(t) = 0.
 */
export type TanhSinhAccumulator = (t: number, w: number, sum: Float64Array, abs: Float64Array) => void;

/**
 * Vector-valued tanh-sinh: ∫_c^d F(t) dt for F with `dim` components into `out` (c < d), the one driver
 * behind `tanhSinh` and the moments (src/moments.ts, F(t) = (t^j g(t))_j from one g evaluation per point).
 * The step is halved until, for every component k, the change is below 0.1·√rtol of ∫|F_k| (as in `tanhSinh`).
 * Returns false, leaving `out` unchanged, if MAX_LEVEL levels do not suffice. With `estimate`, also an estimate of
 * each component's absolute error: A·max((change/A)^1.5, 8ε) with A = ∫|F_k| (into `absOut` if given) and the
 * last change (the previous level's error; double-exponential convergence about squares the relative error per
 * halving, 1.5 leaves a margin), plus the rounding of a sum of a few hundred values of a few ulps each. Only the
 * first `checked` components (default all) must converge; the others are summed along.
 *
 * For instance (illustration, not run):
 *   const out = new Float64Array(2);
 *   tanhSinhVector((t, w, s, a) => { s[0] += w; a[0] += w; s[1] += w * t; a[1] += w * t; }, 0, 1, 2, 1e-16, out);
 *   // out ≈ [1, 1/2]
 */
export function tanhSinhVector(
  add: TanhSinhAccumulator,
  c: number,
  d: number,
  dim: number,
  rtol: number,
  out: Float64Array,
  estimate?: Float64Array,
  absOut?: Float64Array,
  checked = dim,
): boolean {
  const half = (d - c) / 2;
  const mid = (c + d) / 2;
  const sum = new Float64Array(dim); // Σ w F over all points so far (without the step h)
  const abs = new Float64Array(dim); // Σ w |F|
  const prev = new Float64Array(dim);
  // Node τ ≠ 0 gives the pair mid ∓ half·x = c + half·δ, d − half·δ (x = tanh u, δ = 1 − x) with weight half·ω.
  // Near the ends the δ form keeps the distance to the end exact; near the middle the x form avoids the
  // cancellation c + half·δ ≈ mid, whose absolute error half·ε matters when the integrand is narrow there.
  const addLevel = (level: number): void => {
    const { x, delta, omega } = tanhSinhNodes(level);
    for (let i = 0; i < delta.length; i++) {
      const w = half * omega[i]!;
      if (x[i]! < 0.5) {
        add(mid - half * x[i]!, w, sum, abs);
        add(mid + half * x[i]!, w, sum, abs);
      } else {
        add(c + half * delta[i]!, w, sum, abs);
        add(d - half * delta[i]!, w, sum, abs);
      }
    }
  };
  add(mid, half * HALF_PI, sum, abs);
  addLevel(0);
  let h = 1;
  for (let k = 0; k < dim; k++) prev[k] = h * sum[k]!;
  const target = 0.1 * Math.sqrt(rtol);
  for (let level = 1; level <= MAX_LEVEL; level++) {
    h /= 2;
    addLevel(level);
    let converged = level >= 3;
    for (let k = 0; k < dim; k++) {
      const now = h * sum[k]!;
      const change = Math.abs(now - prev[k]!);
      // 1e-300: a component that is identically 0 (all points 0) has converged; a NaN never has.
      if (k < checked && !(change <= target * h * abs[k]! + 1e-300)) converged = false;
      if (estimate) {
        // Error of the new level: the change is about the previous level's error, and each halving of the step
        // raises the relative error to a power ~2 (double-exponential convergence); 1.5 leaves a margin for
        // integrands not yet in that regime. Plus the rounding of the sum and of the integrand's values.
        const A = h * abs[k]!;
        estimate[k] = A > 0 ? A * Math.max((change / A) ** 1.5, TANH_SINH_ROUNDING) : 0;
      }
      prev[k] = now;
    }
    if (converged) {
      out.set(prev);
      if (absOut) for (let k = 0; k < dim; k++) absOut[k] = h * abs[k]!;
      return true;
    }
  }
  return false;
}
