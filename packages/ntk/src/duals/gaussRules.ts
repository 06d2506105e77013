import { gaussHermiteRule, gaussLegendreRule } from '@holonomic-ntk/core';
/**
 * The Gauss–Legendre and Gauss–Hermite rules of hgm-runtime (Newton on the three-term recurrences) in this
 * module's shape.
 *
 * Why Newton and not plain Golub–Welsch: the weights come out as 2/(p′ₙ)² with full *relative* accuracy, whereas
 * eigenvector components only have absolute accuracy (the same holds for the Hermite rules, see hgm-runtime's
 * src/gaussHermite.ts).
 */

/** A quadrature rule: ∫ g ≈ Σ weights[i]·g(nodes[i]). Nodes ascending. */
export interface QuadratureRule {
  nodes: Float64Array;
  weights: Float64Array;
}

const normalCache = new Map<number, QuadratureRule>();

/**
 * n-point Gauss–Legendre rule on [−1, 1] (exact for polynomials of degree ≤ 2n − 1). Cached.
 *
 * @example const { nodes, weights } = gaussLegendre(2); // nodes ±1/√3, weights 1, 1
 */
export function gaussLegendre(n: number): QuadratureRule {
  const { x, w } = gaussLegendreRule(n);
  return { nodes: x, weights: w };
}

/**
 * n-point Gauss–Hermite rule for the weight e^{−x²} (physicists'): ∫ e^{−x²} g(x) dx ≈ Σ wᵢ g(xᵢ), exact for
 * polynomials of degree ≤ 2n − 1. Accurate nodes and weights for n up to several hundred. The rule is
 * hgm-runtime's `gaussHermiteRule` (cached there), in this module's {@link QuadratureRule} shape.
 *
 * @example gaussHermite(1); // nodes [0], weights [√π]
 */
export function gaussHermite(n: number): QuadratureRule {
  checkOrder(n);
  const { x, w } = gaussHermiteRule(n);
  return { nodes: x, weights: w };
}

/**
 * The n-point Gauss–Hermite rule for a standard normal: E[g(Z)] ≈ Σ wᵢ g(zᵢ), Σ wᵢ = 1
 * (zᵢ = √2·xᵢ, wᵢ = Wᵢ/√π from {@link gaussHermite}).
 *
 * @example const r = gaussHermiteNormal(2); // nodes ±1, weights 1/2, 1/2
 */
export function gaussHermiteNormal(n: number): QuadratureRule {
  const hit = normalCache.get(n);
  if (hit) return hit;
  const { nodes, weights } = gaussHermite(n);
  const inv = 1 / Math.sqrt(Math.PI);
  const rule = { nodes: nodes.map((x) => Math.SQRT2 * x), weights: weights.map((w) => w * inv) };
  normalCache.set(n, rule);
  return rule;
}

function checkOrder(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > 700) throw new RangeError(`rule order must be an integer in 1..700, got ${n}`);
}
