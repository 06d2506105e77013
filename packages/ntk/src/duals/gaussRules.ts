/**
 * Gauss–Legendre rules by Newton's method on the three-term recurrence, and the Gauss–Hermite rules of
 * hgm-runtime in this module's shape.
 *
 * Why Newton and not plain Golub–Welsch: the weights come out as 2/(p′ₙ)² with full *relative* accuracy, whereas
 * eigenvector components only have absolute accuracy (the same holds for the Hermite rules, see hgm-runtime's
 * src/gaussHermite.ts).
 */
import { gaussHermiteRule } from '@holonomic-ntk/hgm-runtime';

/** A quadrature rule: ∫ g ≈ Σ weights[i]·g(nodes[i]). Nodes ascending. */
export interface QuadratureRule {
  nodes: Float64Array;
  weights: Float64Array;
}

const legendreCache = new Map<number, QuadratureRule>();
const normalCache = new Map<number, QuadratureRule>();

/**
 * n-point Gauss–Legendre rule on [−1, 1] (exact for polynomials of degree ≤ 2n − 1). Cached.
 *
 * @example const { nodes, weights } = gaussLegendre(2); // nodes ±1/√3, weights 1, 1
 */
export function gaussLegendre(n: number): QuadratureRule {
  checkOrder(n);
  const hit = legendreCache.get(n);
  if (hit) return hit;
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  const m = (n + 1) >> 1;
  for (let i = 0; i < m; i++) {
    // Tricomi's initial guess, then Newton on Pₙ (Bonnet recurrence); quadratic convergence from there.
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 1;
    for (let it = 0; it < 100; it++) {
      const [p, d] = legendreAndDerivative(n, x);
      dp = d;
      const dx = p / d;
      x -= dx;
      if (Math.abs(dx) <= 1e-16) break;
    }
    dp = legendreAndDerivative(n, x)[1];
    const w = 2 / ((1 - x * x) * dp * dp);
    nodes[i] = -x;
    nodes[n - 1 - i] = x;
    weights[i] = w;
    weights[n - 1 - i] = w;
  }
  if (n % 2 === 1) nodes[m - 1] = 0;
  const rule = { nodes, weights };
  legendreCache.set(n, rule);
  return rule;
}

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
