/**
 * Gauss–Legendre and Gauss–Hermite rules by Newton's method on the three-term recurrences.
 *
 * Why Newton and not plain Golub–Welsch: the weights come out as 2/(p′ₙ)² with full *relative* accuracy, also
 * the tiny Hermite weights of the outer nodes (≈1e-170 for n = 200), whereas eigenvector components only have
 * absolute accuracy. Hermite nodes start from the Jacobi-matrix eigenvalues (Golub–Welsch's matrix, by Sturm
 * bisection) and are polished by Newton on the orthonormal recurrence (as in Numerical Recipes' gauher), which
 * stays in float64 range up to n ≈ 700.
 */

/** A quadrature rule: ∫ g ≈ Σ weights[i]·g(nodes[i]). Nodes ascending. */
export interface QuadratureRule {
  nodes: Float64Array;
  weights: Float64Array;
}

const legendreCache = new Map<number, QuadratureRule>();
const hermiteCache = new Map<number, QuadratureRule>();
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
 * polynomials of degree ≤ 2n − 1. Accurate nodes and weights for n up to several hundred. Cached.
 *
 * @example gaussHermite(1); // nodes [0], weights [√π]
 */
export function gaussHermite(n: number): QuadratureRule {
  checkOrder(n);
  const hit = hermiteCache.get(n);
  if (hit) return hit;
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  const m = (n + 1) >> 1;
  for (let i = 0; i < m; i++) {
    // Initial guess: the (n−1−i)-th eigenvalue of the Jacobi matrix (zero diagonal, off-diagonal √(k/2)), i.e.
    // the i-th largest root, by Sturm-sequence bisection — robust for every n, unlike asymptotic guesses
    // (those of Numerical Recipes lose roots beyond n ≈ 150). Newton on the recurrence then polishes it.
    let z = jacobiEigenvalue(n, n - 1 - i);
    let pp = 1;
    for (let it = 0; it < 10; it++) {
      const [p, d] = hermiteOrthonormal(n, z);
      const dz = p / d;
      z -= dz;
      if (Math.abs(dz) <= 1e-16 * Math.max(1, Math.abs(z))) break;
    }
    pp = hermiteOrthonormal(n, z)[1];
    const w = 2 / (pp * pp);
    nodes[n - 1 - i] = z;
    nodes[i] = -z;
    weights[i] = w;
    weights[n - 1 - i] = w;
  }
  if (n % 2 === 1) nodes[m - 1] = 0;
  for (let i = 1; i < n; i++) {
    if (!(nodes[i] > nodes[i - 1])) throw new Error(`gaussHermite(${n}): Newton iteration lost a root`);
  }
  const rule = { nodes, weights };
  hermiteCache.set(n, rule);
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
  let p1 = 0.7511255444649425; // π^{−1/4}
  let p2 = 0;
  for (let j = 1; j <= n; j++) {
    const p3 = p2;
    p2 = p1;
    p1 = z * Math.sqrt(2 / j) * p2 - Math.sqrt((j - 1) / j) * p3;
  }
  return [p1, Math.sqrt(2 * n) * p2];
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
