/**
 * Tanh-sinh (double-exponential) quadrature on a finite interval: ∫_c^d f(t) dt. Converges geometrically in the
 * number of points when f is analytic inside (c, d), even with algebraic singularities or kinks at the ends, which
 * is why every piece is cut at the kinks of σ. Shared by the moments (src/moments.ts) and the boundary
 * quadratures (src/boundaryQuadrature.ts).
 */
import { IntegrationError } from './errors.ts';

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
 * @example tanhSinhNodes(0).x.length; // 4 (τ = 1, 2, 3, 4)
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
 * ∫_c^d f(t) dt by tanh-sinh, halving the step until the change is below 0.1·√rtol of ∫|f| (the error after a
 * halving is about the square of the change, so the result is then accurate to ~rtol relative to ∫|f|).
 * Throws `IntegrationError` if 12 levels do not suffice (f not analytic inside: a kink was not split off).
 *
 * @example tanhSinh((t) => Math.sqrt(t), 0, 1); // 2/3 to ~1e-16
 */
export function tanhSinh(f: (t: number) => number, c: number, d: number, rtol = 1e-16): number {
  if (!(d > c)) return 0;
  const half = (d - c) / 2;
  const mid = (c + d) / 2;
  // A piece a few ulps wide (two kinks that coincide up to rounding) has no resolvable interior; the nodes
  // collapse onto its ends and a jump of f there would defeat the convergence test. Its contribution is
  // (d − c)·f, at the rounding level of the neighbouring pieces.
  if (d - c <= 64 * Number.EPSILON * Math.max(Math.abs(c), Math.abs(d))) return (d - c) * f(mid);
  let sum = 0;
  let abs = 0;
  const add = (t: number, w: number): void => {
    const v = w * f(t);
    sum += v;
    abs += Math.abs(v);
  };
  // Near the ends the δ form keeps the distance to the end exact; near the middle the x form avoids the
  // cancellation c + half·δ ≈ mid.
  const addLevel = (level: number): void => {
    const { x, delta, omega } = tanhSinhNodes(level);
    for (let i = 0; i < delta.length; i++) {
      const w = half * omega[i]!;
      if (x[i]! < 0.5) {
        add(mid - half * x[i]!, w);
        add(mid + half * x[i]!, w);
      } else {
        add(c + half * delta[i]!, w);
        add(d - half * delta[i]!, w);
      }
    }
  };
  add(mid, half * HALF_PI);
  addLevel(0);
  let h = 1;
  let prev = sum;
  const target = 0.1 * Math.sqrt(rtol);
  for (let level = 1; level <= MAX_LEVEL; level++) {
    h /= 2;
    addLevel(level);
    const now = h * sum;
    if (level >= 3 && Math.abs(now - prev) <= target * h * abs + 1e-300) return now;
    prev = now;
  }
  throw new IntegrationError(`tanh-sinh quadrature on [${c}, ${d}] did not converge in ${MAX_LEVEL} levels`);
}
