/**
 * The erf dual (Williams, "Computing with infinite networks", NIPS 1997) and that of erf′ = (2/√π)e^{−u²}:
 *   E[erf(u) erf(v)]   = (2/π) arcsin(2c/√((1+2a)(1+2b))),
 *   E[erf′(u) erf′(v)] = (4/π)/√((1+2a)(1+2b) − 4c²) = (4/π)/√det(I + 2Λ).
 * Written with Q = (1+2a)(1+2b) − 4c² = 1 + 2a + 2b + 4Δ (a sum of non-negative terms, Δ accurate), and
 * arcsin(2c/√(4c² + Q)) = atan2(2c, √Q): no loss of accuracy anywhere on the closed PSD set.
 */
import { covariance } from '@holonomic-ntk/core';
import type { DualProvider } from './dualProvider.ts';

function q(a: number, c: number, b: number): { c: number; Q: number } {
  const cov = covariance(a, c, b);
  return { c: cov.c, Q: 1 + 2 * cov.a + 2 * cov.b + 4 * cov.det };
}

/**
 * E[erf(u) erf(v)].
 *
 * For example `erfSigma(1, 1, 1)` gives (2/π) arcsin(2/3) = 0.4645590543…
 */
export function erfSigma(a: number, c: number, b: number): number {
  const { c: cc, Q } = q(a, c, b);
  return (2 / Math.PI) * Math.atan2(2 * cc, Math.sqrt(Q));
}

/**
 * E[erf′(u) erf′(v)].
 *
 * For example `erfDsigma(0, 0, 0)` gives erf′(0)² = 4/π.
 */
export function erfDsigma(a: number, c: number, b: number): number {
  return 4 / Math.PI / Math.sqrt(q(a, c, b).Q);
}

/**
 * erf activation, Williams' closed forms: E[erf erf] = (2/π) arcsin(2c/√((1+2a)(1+2b))), E[erf′ erf′] = (4/π)/√det(I + 2Λ).
 *
 * @example
 * ```ts
 * import { erfDual } from '@holonomic-ntk/ntk';
 * erfDual.sigma(1, 1, 1); // ≈ 0.46455905439753997
 * erfDual.dsigma(0, 0, 0); // ≈ 1.2732395447351628
 * ```
 */
export const erfDual: DualProvider = { name: 'closed', activation: 'erf', sigma: erfSigma, dsigma: erfDsigma };
