/**
 * Duals of sin, cos and exp (characteristic function of N(0, Λ)):
 *   E[sin u sin v] = (E cos(u − v) − E cos(u + v))/2 = e^{−(a+b)/2} sinh c,
 *   E[cos u cos v] = e^{−(a+b)/2} cosh c,     E[eᵘ eᵛ] = e^{(a+b)/2 + c}.
 * sin′ = cos and cos′ = −sin (the two signs cancel in the product), exp′ = exp.
 */
import { covariance } from '@holonomic-ntk/core';
import type { DualProvider } from './dualProvider.ts';

function sinSin(a: number, c: number, b: number): number {
  const cov = covariance(a, c, b);
  return Math.exp(-(cov.a + cov.b) / 2) * Math.sinh(cov.c);
}

function cosCos(a: number, c: number, b: number): number {
  const cov = covariance(a, c, b);
  return Math.exp(-(cov.a + cov.b) / 2) * Math.cosh(cov.c);
}

function expExp(a: number, c: number, b: number): number {
  const cov = covariance(a, c, b);
  return Math.exp((cov.a + cov.b) / 2 + cov.c);
}

/**
 * sin activation: E[sin u sin v] = e^{−(a+b)/2} sinh c, and σ̇ = cos.
 *
 * @example
 * ```ts
 * import { sinDual } from '@holonomic-ntk/ntk';
 * sinDual.sigma(1, 1, 1); // ≈ 0.43233235838169365
 * sinDual.dsigma(1, 0, 1); // ≈ 0.36787944117144233
 * ```
 */
export const sinDual: DualProvider = { name: 'closed', activation: 'sin', sigma: sinSin, dsigma: cosCos };

/**
 * cos activation: E[cos u cos v] = e^{−(a+b)/2} cosh c, and σ̇ = −sin (the signs cancel in the product).
 *
 * @example
 * ```ts
 * import { cosDual } from '@holonomic-ntk/ntk';
 * cosDual.sigma(1, 0, 1); // ≈ 0.36787944117144233
 * cosDual.dsigma(1, 0, 1); // → 0
 * ```
 */
export const cosDual: DualProvider = { name: 'closed', activation: 'cos', sigma: cosCos, dsigma: sinSin };

/**
 * exp activation: E[eᵘ eᵛ] = e^{(a+b)/2 + c}, finite for every Λ; σ̇ = exp.
 *
 * @example
 * ```ts
 * import { expDual } from '@holonomic-ntk/ntk';
 * expDual.sigma(1, 0, 1); // ≈ 2.718281828459045
 * expDual.dsigma(0, 0, 0); // → 1
 * ```
 */
export const expDual: DualProvider = { name: 'closed', activation: 'exp', sigma: expExp, dsigma: expExp };
