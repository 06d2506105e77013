/**
 * 2-D Gauss–Hermite product rule for E[f(u)g(v)], the baseline of [ST24] (Sakoda–Takayama): (u, v) = L(z₁, z₂)
 * with the Cholesky factor L = [[√a, 0], [c/√a, √(Δ/a)]] of Λ and z₁, z₂ iid N(0, 1), n² evaluations.
 * Exact for polynomial f, g with deg f + deg g ≤ 2n − 1; for kinked activations (relu, step) it converges only
 * algebraically in n — this is the accuracy problem the HGM addresses.
 */
import { DomainError, type SigmaSpec } from '@holonomic-ntk/core';
import { choleskyFactor, covariance } from './covariance.ts';
import type { ActivationFunctions, DualProvider } from './dualProvider.ts';
import { gaussHermiteNormal } from './gaussRules.ts';

/**
 * E[f(u)g(v)] by the n×n Gauss–Hermite product rule.
 *
 * @example gaussHermiteExpectation((u) => u * u, (v) => v * v, 1, 0.5, 1, 3); // E[u²v²] = 1 + 2ρ² = 1.5 (exact)
 */
export function gaussHermiteExpectation(
  f: (u: number) => number,
  g: (v: number) => number,
  a: number,
  c: number,
  b: number,
  n: number,
): number {
  const cov = covariance(a, c, b);
  const { nodes, weights } = gaussHermiteNormal(n);
  const { l11, l21, l22 } = choleskyFactor(cov);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const fu = f(l11 * nodes[i]);
    if (fu === 0) continue;
    const base = l21 * nodes[i];
    let inner = 0;
    for (let j = 0; j < n; j++) inner += weights[j] * g(base + l22 * nodes[j]);
    total += weights[i] * fu * inner;
  }
  return total;
}

/**
 * A DualProvider by the n-point (n² evaluations) Gauss–Hermite product rule.
 *
 * @example gaussHermiteDual(ACTIVATIONS.relu, 20).sigma(1, 0.3, 1); // ≈ closed form, error ~1e-4
 */
export function gaussHermiteDual(act: ActivationFunctions, n: number): DualProvider {
  const f = act.sigma.sigma;
  const df: SigmaSpec['sigma'] | undefined = act.dsigma?.sigma;
  gaussHermiteNormal(n); // validate n and warm the cache
  const batch = (fn: (u: number) => number) =>
    (a: ArrayLike<number>, c: ArrayLike<number>, b: ArrayLike<number>, out = new Float64Array(a.length)): Float64Array => {
      for (let i = 0; i < a.length; i++) out[i] = gaussHermiteExpectation(fn, fn, a[i], c[i], b[i], n);
      return out;
    };
  const noDerivative = () => {
    throw new DomainError(`${act.name} has no derivative as a function (σ̇ is a distribution)`);
  };
  return {
    name: `gauss-hermite-${n}`,
    activation: act.name,
    sigma: (a, c, b) => gaussHermiteExpectation(f, f, a, c, b, n),
    dsigma: (a, c, b) => (df ? gaussHermiteExpectation(df, df, a, c, b, n) : noDerivative()),
    sigmaBatch: batch(f),
    ...(df ? { dsigmaBatch: batch(df) } : {}),
  };
}
