/**
 * Registry of the closed-form duals by activation name (the providers `activation('relu')` etc. use).
 */
import { covariance } from '@holonomic-ntk/core';
import { reluDual, reluSigma, rectPowDual, stepDual, stepSigma } from './arcCosine.ts';
import type { ActivationFunctions, DualProvider } from './dualProvider.ts';
import { erfDual } from './erfDual.ts';
import { geluDual } from './geluDual.ts';
import { cosDual, expDual, sinDual } from './trigDuals.ts';

/**
 * σ(u) = a·min(u, 0) + b·max(u, 0) (neural-tangents' `ABRelu`): with K the ReLU dual and S the step dual (arc-cosine
 * kernels of degree 1 and 0), and relu(u) − relu(−u) = u,
 *   E[σ(u)σ(v)] = (a − b)²·K(Λ) + ab·c,   E[σ̇(u)σ̇(v)] = (a − b)²·S(Λ) + ab
 * (expand σ = b·relu(u) − a·relu(−u); E[relu(u)relu(−v)] = K(Λ) − c/2 and E[Y(u)Y(−v)] = ½ − S(Λ) by u ↦ −u).
 * σ̇ = a·Y(−u) + b·Y(u) with Y(0) = 0 (docs/MATH.md §5), so a zero variance gives σ̇ = 0 there: dsigma = 0.
 * Named `abrelu:<a>,<b>`; leakyRelu(α) = abRelu(α, 1) (`leakyrelu:<α>`), abs = abRelu(−1, 1).
 *
 * @example
 * ```ts
 * import { abReluDual, reluDual } from '@holonomic-ntk/ntk';
 * abReluDual(0, 1).sigma(1, 0.3, 2); // ≈ 0.3051626110243451
 * reluDual.sigma(1, 0.3, 2); // ≈ 0.3051626110243451
 * abReluDual(1, 1).sigma(1, 0.3, 2); // ≈ 0.3
 * abReluDual(-1, 1).dsigma(1, 0, 1); // ≈ 0
 * abReluDual(0.5, 2).activation; // → 'abrelu:0.5,2'
 * abReluDual(Number.NaN, 1); // throws RangeError
 * ```
 */
export function abReluDual(a: number, b: number, name = `abrelu:${a},${b}`): DualProvider {
  if (!Number.isFinite(a) || !Number.isFinite(b)) throw new RangeError(`abRelu slopes must be finite, got ${a}, ${b}`);
  const d2 = (a - b) * (a - b);
  return {
    name: 'closed',
    activation: name,
    sigma: (A, C, B) => {
      const cov = covariance(A, C, B);
      return d2 === 0 ? a * b * cov.c : d2 * reluSigma(A, C, B) + a * b * cov.c;
    },
    dsigma: (A, C, B) => {
      const cov = covariance(A, C, B);
      if (cov.sqrtAb === 0) return 0;
      return d2 * stepSigma(A, C, B) + a * b;
    },
  };
}

/**
 * Leaky ReLU max(u, 0) + α·min(u, 0) = abRelu(α, 1) (`leakyrelu:<α>`).
 *
 * @example
 * ```ts
 * import { leakyReluDual } from '@holonomic-ntk/ntk';
 * leakyReluDual(0.1).sigma(1, 1, 1); // ≈ 0.505
 * leakyReluDual(0.1).dsigma(1, 1, 1); // ≈ 0.505
 * leakyReluDual(0.1).activation; // → 'leakyrelu:0.1'
 * ```
 */
export function leakyReluDual(alpha: number): DualProvider {
  return abReluDual(alpha, 1, `leakyrelu:${alpha}`);
}

/**
 * |u| = abRelu(−1, 1): E[|u||v|] = 4K(Λ) − c = (2/π)(√Δ + c·asin ρ), and σ̇ = sign.
 *
 * @example
 * ```ts
 * import { absDual } from '@holonomic-ntk/ntk';
 * absDual.sigma(1, 1, 1); // ≈ 1
 * absDual.sigma(1, 0, 1); // ≈ 0.6366197723675814
 * absDual.dsigma(1, 0, 1); // ≈ 0
 * ```
 */
export const absDual: DualProvider = abReluDual(-1, 1, 'abs');

/**
 * sign(u) (sign(0) = 0): E[sign u sign v] = (2/π)·asin ρ = (2/π)·atan2(c, √Δ); σ̇ = 2δ, so
 * E[σ̇σ̇] = 4·E[δ(u)δ(v)] = 2/(π√Δ), infinite at ρ = ±1 (a DomainError, as for the step). neural-tangents' `Sign`
 * takes the derivative 0 (autodiff) instead; here it is the distributional one, as for the step (docs/MATH.md §5).
 *
 * @example
 * ```ts
 * import { signDual } from '@holonomic-ntk/ntk';
 * signDual.sigma(1, 1, 1); // ≈ 1
 * signDual.sigma(1, 0.5, 1); // ≈ 0.3333333333333333
 * signDual.dsigma(1, 0, 1); // ≈ 0.6366197723675814
 * signDual.dsigma(1, 1, 1); // throws DomainError
 * ```
 */
export const signDual: DualProvider = {
  name: 'closed',
  activation: 'sign',
  sigma: (A, C, B) => {
    const cov = covariance(A, C, B);
    if (cov.sqrtAb === 0) return 0;
    return (2 / Math.PI) * Math.atan2(cov.c, cov.sqrtDet);
  },
  dsigma: (A, C, B) => 4 * stepDual.dsigma(A, C, B),
};

/**
 * Closed-form duals: relu, step, erf, gelu, sin, cos, exp, abs, sign, and rectpow:2, rectpow:3 (rectpow:m for any m
 * via rectPowDual(m); `leakyrelu:<α>` and `abrelu:<a>,<b>` through {@link closedFormDual}).
 *
 * @example
 * ```ts
 * import { CLOSED_FORM_DUALS } from '@holonomic-ntk/ntk';
 * Object.keys(CLOSED_FORM_DUALS); // → ['relu', 'step', 'erf', 'gelu', 'sin', 'cos', 'exp', 'abs', 'sign', 'rectpow:2', 'rectpow:3']
 * CLOSED_FORM_DUALS.erf!.sigma(1, 1, 1); // ≈ 0.46455905439753997
 * ```
 */
export const CLOSED_FORM_DUALS: Readonly<Record<string, DualProvider>> = Object.freeze({
  relu: reluDual,
  step: stepDual,
  erf: erfDual,
  gelu: geluDual,
  sin: sinDual,
  cos: cosDual,
  exp: expDual,
  abs: absDual,
  sign: signDual,
  'rectpow:2': rectPowDual(2),
  'rectpow:3': rectPowDual(3),
});

const NUMBER = '(-?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)';
const LEAKY = new RegExp(`^leakyrelu:${NUMBER}$`);
const AB = new RegExp(`^abrelu:${NUMBER},${NUMBER}$`);

/**
 * The closed-form dual called `name` (`rectpow:m` for any m, `leakyrelu:<α>`, `abrelu:<a>,<b>`), or undefined.
 *
 * @example
 * ```ts
 * import { closedFormDual } from '@holonomic-ntk/ntk';
 * closedFormDual('rectpow:4')?.sigma(1, 1, 1); // ≈ 52.5
 * closedFormDual('leakyrelu:0.2')?.sigma(1, 1, 1); // ≈ 0.52
 * closedFormDual('abrelu:-1,1')?.sigma(1, 1, 1); // ≈ 1
 * closedFormDual('resin'); // → undefined
 * ```
 */
export function closedFormDual(name: string): DualProvider | undefined {
  if (Object.hasOwn(CLOSED_FORM_DUALS, name)) return CLOSED_FORM_DUALS[name];
  const m = /^rectpow:(0|[1-9]\d*)$/.exec(name);
  if (m) return rectPowDual(Number(m[1]));
  const l = LEAKY.exec(name);
  if (l) return leakyReluDual(Number(l[1]));
  const ab = AB.exec(name);
  return ab ? abReluDual(Number(ab[1]), Number(ab[2])) : undefined;
}

/**
 * σ and σ̇ as functions for the closed forms core's registry does not know (leakyrelu:α, abrelu:a,b, abs, sign), for
 * the finite network; undefined otherwise. σ̇(0) = 0 (Y(0) = 0); the sign has no σ̇ function (it is 2δ).
 *
 * For example `closedFormFunctions('leakyrelu:0.1')!.sigma.sigma(-2)` gives −0.2.
 */
export function closedFormFunctions(name: string): ActivationFunctions | undefined {
  if (name === 'sign') return { name, sigma: { sigma: Math.sign, kinks: [0] } };
  let a: number;
  let b: number;
  const l = LEAKY.exec(name);
  const ab = AB.exec(name);
  if (name === 'abs') [a, b] = [-1, 1];
  else if (l) [a, b] = [Number(l[1]), 1];
  else if (ab) [a, b] = [Number(ab[1]), Number(ab[2])];
  else return undefined;
  return {
    name,
    sigma: { sigma: (u) => (u > 0 ? b * u : a * u), kinks: [0] },
    dsigma: { sigma: (u) => (u > 0 ? b : u < 0 ? a : 0), kinks: [0] },
  };
}
