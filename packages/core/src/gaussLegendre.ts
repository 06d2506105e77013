/** A quadrature rule: ∫ g·weight ≈ Σ weights[i]·g(nodes[i]), nodes ascending. */
export interface QuadratureRule {
  readonly nodes: Float64Array;
  readonly weights: Float64Array;
}

/**
 * The n-point Gauss–Legendre rule on [−1, 1] (exact for polynomials of degree ≤ 2n − 1), nodes ascending, cached.
 * Tricomi's initial guesses, then Newton on Pₙ by the Bonnet recurrence; the weights 2/((1 − x²)Pₙ′(x)²) keep full
 * relative accuracy (eigenvector-based rules only have absolute accuracy). One rule for the whole project: ntk's
 * quadratures and restriction's distribution checks use it too.
 *
 * @example
 * ```ts
 * import { gaussLegendreRule } from '@holonomic-ntk/core';
 * const { nodes, weights } = gaussLegendreRule(2);
 * nodes[1]; // ≈ 0.5773502691896257
 * weights[0]; // ≈ 1
 * ```
 */
export function gaussLegendreRule(n: number): QuadratureRule {
  if (!Number.isInteger(n) || n < 1 || n > 700) throw new RangeError(`rule order must be an integer in 1..700, got ${n}`);
  const hit = cache.get(n);
  if (hit) return hit;
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const m = (n + 1) >> 1;
  for (let i = 0; i < m; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    for (let it = 0; it < 100; it++) {
      const [p, d] = legendreAndDerivative(n, z);
      const dz = p / d;
      z -= dz;
      if (Math.abs(dz) <= 1e-16) break;
    }
    const dp = legendreAndDerivative(n, z)[1];
    const wi = 2 / ((1 - z * z) * dp * dp);
    x[i] = -z;
    x[n - 1 - i] = z;
    w[i] = wi;
    w[n - 1 - i] = wi;
  }
  if (n % 2 === 1) x[m - 1] = 0;
  const rule = { nodes: x, weights: w };
  cache.set(n, rule);
  return rule;
}

const cache = new Map<number, QuadratureRule>();

function legendreAndDerivative(n: number, x: number): [number, number] {
  let p0 = 1;
  let p1 = x;
  for (let k = 2; k <= n; k++) {
    const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
    p0 = p1;
    p1 = p2;
  }
  if (n === 1) p0 = 1;
  // P′ₙ(x) = n(x Pₙ − Pₙ₋₁)/(x² − 1)
  return [p1, (n * (x * p1 - p0)) / (x * x - 1)];
}
