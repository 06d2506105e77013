/**
 * Adaptive Gauss–Legendre quadrature on pieces where the integrand is analytic (the caller splits at kinks),
 * returning ∫f and ∫|f| from the same nodes (the second is the scale of the first's rounding and cancellation).
 */
import { gaussLegendreRule } from '@holonomic-ntk/core';

export interface QuadratureResult {
  value: number;
  abs: number;
}

/** One 20-point rule on [a, b]. */
export function gaussPiece(f: (u: number) => number, a: number, b: number): QuadratureResult {
  const { nodes: x, weights: w } = gaussLegendreRule(20);
  const half = (b - a) / 2;
  const mid = (a + b) / 2;
  let value = 0;
  let abs = 0;
  for (let i = 0; i < x.length; i++) {
    const v = w[i]! * f(mid + half * x[i]!);
    value += v;
    abs += Math.abs(v);
  }
  return { value: value * half, abs: abs * half };
}

/**
 * ∫_a^b f by bisection until the 20-point rule on [a, b] and on its halves agree to `absTol` (or to rounding,
 * 1e-15 of ∫|f| on the piece); the result is the halves' sum. f must be analytic on (a, b).
 *
 * For example:
 * adaptiveGauss((u) => Math.exp(-u * u), -8, 8, 1e-16).value; // √π
 */
export function adaptiveGauss(f: (u: number) => number, a: number, b: number, absTol: number, depth = 0, whole = gaussPiece(f, a, b)): QuadratureResult {
  return refine(f, a, b, absTol, depth, whole, { left: MAX_EVALUATIONS });
}

/** Evaluation budget of one adaptiveGauss call: noise-limited integrands must not bisect without end. */
export const MAX_EVALUATIONS = 200_000;

function refine(
  f: (u: number) => number,
  a: number,
  b: number,
  absTol: number,
  depth: number,
  whole: QuadratureResult,
  budget: { left: number },
): QuadratureResult {
  const m = (a + b) / 2;
  budget.left -= 40;
  const left = gaussPiece(f, a, m);
  const right = gaussPiece(f, m, b);
  const value = left.value + right.value;
  const abs = left.abs + right.abs;
  // Converged, or at the rounding level of this piece (then bisecting cannot help).
  const diff = Math.abs(value - whole.value);
  if (diff <= absTol || diff <= 1e-15 * abs || depth >= 30 || budget.left <= 0 || !(m > a && m < b)) return { value, abs };
  const l = refine(f, a, m, absTol, depth + 1, left, budget);
  const r = refine(f, m, b, absTol, depth + 1, right, budget);
  return { value: l.value + r.value, abs: l.abs + r.abs };
}
