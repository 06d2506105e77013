/**
 * Gauss–Hermite quadrature ∫ f(x) e^{−x²} dx ≈ Σ w_i f(x_i): the usual peer of the HGM for dual activations
 * (a tensor rule in 2-D). Exact for polynomials of degree ≤ 2n − 1, but only algebraically convergent for the
 * kinked σ (step, ReLU) the HGM handles exactly — which is what the benchmark shows. The one implementation in
 * the workspace (@holonomic-ntk/ntk builds its rules on it).
 *
 * Nodes start from the eigenvalues of the Jacobi matrix (Golub–Welsch's matrix, by Sturm bisection: robust for
 * every n, unlike the asymptotic guesses of Numerical Recipes' gauher, which lose roots beyond n ≈ 150) and are
 * polished by Newton on the orthonormal Hermite recurrence, which stays in float64 range up to n ≈ 700.
 * Weights 2/h̃′ₙ(x)² keep full *relative* accuracy, also the tiny ones of the outer nodes (≈1e-170 for n = 200),
 * whereas eigenvector components would only have absolute accuracy. Measured against 60-digit references:
 * nodes to 2e-16, weights to 7e-14 relative for n ≤ 180.
 */
import { choleskyFactor, covariance } from './covariance.ts';
import { IntegrationError } from './errors.ts';
import type { QuadratureRule } from './gaussLegendre.ts';

const cache = new Map<number, QuadratureRule>();
const normalCache = new Map<number, QuadratureRule>();
const PI_M4 = 0.7511255444649425; // π^{−1/4}
/**
 * Largest order of {@link gaussHermiteRule}: beyond, the recurrence overflows at the largest roots.
 *
 * @example
 * ```ts
 * import { GAUSS_HERMITE_MAX_ORDER, gaussHermiteRule } from '@holonomic-ntk/core';
 * GAUSS_HERMITE_MAX_ORDER; // → 700
 * gaussHermiteRule(GAUSS_HERMITE_MAX_ORDER + 1); // throws RangeError
 * ```
 */
export const GAUSS_HERMITE_MAX_ORDER = 700;

/**
 * The n-point Gauss–Hermite rule for the weight e^{−x²} (physicists'), n in 1..{@link GAUSS_HERMITE_MAX_ORDER}
 * (cached): ∫ e^{−x²} g(x) dx ≈ Σ wᵢ g(xᵢ), exact for polynomials of degree ≤ 2n − 1.
 *
 * @example
 * ```ts
 * import { gaussHermiteRule } from '@holonomic-ntk/core';
 * const { nodes, weights } = gaussHermiteRule(20);
 * weights.reduce((s, w, i) => s + w * nodes[i] ** 2, 0); // ≈ 0.886226925452758
 * ```
 */
export function gaussHermiteRule(n: number): QuadratureRule {
  if (!Number.isInteger(n) || n < 1 || n > GAUSS_HERMITE_MAX_ORDER) {
    throw new RangeError(`n must be an integer in 1..${GAUSS_HERMITE_MAX_ORDER}, got ${n}`);
  }
  const hit = cache.get(n);
  if (hit) return hit;
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const m = (n + 1) >> 1;
  for (let i = 0; i < m; i++) {
    // The i-th largest root: the (n−1−i)-th eigenvalue of the Jacobi matrix, polished by Newton.
    let z = jacobiEigenvalue(n, n - 1 - i);
    for (let it = 0; it < 10; it++) {
      const [p, d] = hermiteOrthonormal(n, z);
      const dz = p / d;
      z -= dz;
      if (Math.abs(dz) <= 1e-16 * Math.max(1, Math.abs(z))) break;
    }
    const pp = hermiteOrthonormal(n, z)[1];
    x[n - 1 - i] = z;
    x[i] = -z;
    w[i] = w[n - 1 - i] = 2 / (pp * pp);
  }
  if (n % 2 === 1) x[m - 1] = 0; // the middle root is exactly 0
  for (let i = 1; i < n; i++) {
    if (!(x[i]! > x[i - 1]!)) throw new IntegrationError(`Gauss–Hermite: Newton iteration lost a root for n = ${n}`);
  }
  const rule = { nodes: x, weights: w };
  cache.set(n, rule);
  return rule;
}

/**
 * The n-point Gauss–Hermite rule for a standard normal: E[g(Z)] ≈ Σ wᵢ g(zᵢ), Σ wᵢ = 1 (zᵢ = √2·xᵢ, wᵢ = Wᵢ/√π
 * from {@link gaussHermiteRule}). Cached.
 *
 * @example
 * ```ts
 * import { gaussHermiteNormalRule } from '@holonomic-ntk/core';
 * const { nodes, weights } = gaussHermiteNormalRule(2);
 * Array.from(nodes); // → [-1, 1]
 * Array.from(weights); // → [0.5, 0.5]
 * ```
 */
export function gaussHermiteNormalRule(n: number): QuadratureRule {
  const hit = normalCache.get(n);
  if (hit) return hit;
  const { nodes, weights } = gaussHermiteRule(n);
  const inv = 1 / Math.sqrt(Math.PI);
  const rule = { nodes: nodes.map((x) => Math.SQRT2 * x), weights: weights.map((w) => w * inv) };
  normalCache.set(n, rule);
  return rule;
}

/**
 * The k-th smallest eigenvalue (0-based) of the n×n symmetric tridiagonal Jacobi matrix of the Hermite
 * polynomials (diagonal 0, off-diagonal √(j/2)), by bisection on the Sturm count (number of eigenvalues < x).
 */
function jacobiEigenvalue(n: number, k: number): number {
  const countBelow = (x: number): number => {
    let count = 0;
    let q = -x;
    if (q < 0) count++;
    for (let j = 1; j < n; j++) {
      const q0 = q === 0 ? 1e-300 : q;
      q = -x - j / 2 / q0;
      if (q < 0) count++;
    }
    return count;
  };
  let lo = -Math.sqrt(2 * n) - 1; // Gershgorin: |x| ≤ 2·max √(j/2) ≤ √(2n)
  let hi = -lo;
  for (let it = 0; it < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(lo)); it++) {
    const mid = (lo + hi) / 2;
    if (mid === lo || mid === hi) break;
    if (countBelow(mid) > k) hi = mid;
    else lo = mid;
  }
  return (lo + hi) / 2;
}

/** Orthonormal Hermite polynomial h̃ₙ(z) (w.r.t. e^{−x²}) and its derivative √(2n)·h̃ₙ₋₁(z). */
function hermiteOrthonormal(n: number, z: number): [number, number] {
  let p1 = PI_M4;
  let p2 = 0;
  for (let j = 1; j <= n; j++) {
    const p3 = p2;
    p2 = p1;
    p1 = z * Math.sqrt(2 / j) * p2 - Math.sqrt((j - 1) / j) * p3;
  }
  return [p1, Math.sqrt(2 * n) * p2];
}

/**
 * E_{(u,v)~N(0,Λ)}[f(u)g(v)] by the n×n Gauss–Hermite product rule (n² evaluations), the baseline of [ST24]:
 * (u, v) = L(z₁, z₂) with the Cholesky factor L of Λ ({@link choleskyFactor}, accurate up to ρ = ±1) and z₁, z₂ iid
 * N(0, 1). Exact for polynomial f, g with deg f + deg g ≤ 2n − 1; for kinked activations it converges only
 * algebraically in n, the accuracy problem the HGM addresses.
 *
 * @example
 * ```ts
 * import { gaussHermiteExpectation } from '@holonomic-ntk/core';
 * gaussHermiteExpectation((u) => u * u, (v) => v * v, 1, 0.5, 1, 3); // ≈ 1.5
 * ```
 */
export function gaussHermiteExpectation(f: (u: number) => number, g: (v: number) => number, a: number, c: number, b: number, n: number): number {
  const { nodes, weights } = gaussHermiteNormalRule(n);
  const { l11, l21, l22 } = choleskyFactor(covariance(a, c, b));
  let total = 0;
  for (let i = 0; i < n; i++) {
    const fu = f(l11 * nodes[i]!);
    if (fu === 0) continue;
    const base = l21 * nodes[i]!;
    let inner = 0;
    for (let j = 0; j < n; j++) inner += weights[j]! * g(base + l22 * nodes[j]!);
    total += weights[i]! * fu * inner;
  }
  return total;
}
