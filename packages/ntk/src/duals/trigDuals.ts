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
 * sin activation.
 *
 * @example sinDual.sigma(1, 1, 1); // E[sin²u] = (1 − e^{−2})/2
 */
export const sinDual: DualProvider = { name: 'closed-form', activation: 'sin', sigma: sinSin, dsigma: cosCos };

/** cos activation. */
export const cosDual: DualProvider = { name: 'closed-form', activation: 'cos', sigma: cosCos, dsigma: sinSin };

/** exp activation (the dual is finite for every Λ). */
export const expDual: DualProvider = { name: 'closed-form', activation: 'exp', sigma: expExp, dsigma: expExp };
