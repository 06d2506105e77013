/**
 * Built-in activations as plain JS functions with their kinks and supports, for the initial values (moments)
 * of the HGM. σ̇ is the derivative used by the NTK (`dsigma` integrand); it is absent for the step, whose
 * derivative is a Dirac delta, not a function.
 */
import { numericFormula } from './numericFormula.ts';
import { erf, expMinusSquare, normalCdf, normalPdf } from './specialFunctions.ts';

/** A 1-D function (σ or σ̇) for moments and quadratures: its values, the points where it is not analytic, its support. */
export interface SigmaSpec {
  sigma(u: number): number;
  /** Points where σ is not analytic (e.g. [0] for ReLU and the step); quadrature pieces end there. */
  kinks: readonly number[];
  /** σ = 0 outside [lo, hi] (e.g. [0, Infinity] for ReLU); saves half the work. Default: the real line. */
  support?: readonly [number, number];
  /**
   * Parity of t ↦ σ(t·u) (t > 0, continued analytically to t ∈ ℝ, every u): 'odd' for σ = Y·f with f odd (relu,
   * resin σ) or an odd smooth σ (erf), 'even' for f even (step, resin σ̇) or an even σ. Then E[φ(√a z₁)ψ(√b z₂)] is a
   * function of a (times √a if odd), which the scattered-batch grid interpolates in a instead of √a: resin σ at
   * n = 12 Chebyshev nodes 2e-15 instead of 1e-11 (ACCURACY.md §7). Omitted: no parity known (gelu, Φ).
   */
  scaleParity?: 'even' | 'odd';
}

export interface BuiltinActivation {
  /** The registry's spelling: relu, …, or rectpow:m. */
  name: string;
  /** σ in the formula grammar of `hgm derive --expr` (heaviside, Phi, exp, sin, cos, erf, polynomials). */
  formula: string;
  sigma: SigmaSpec;
  dsigma?: SigmaSpec;
}

export type BuiltinActivationName = 'relu' | 'step' | 'resin' | 'gelu' | 'erf' | 'phi' | 'sin' | 'cos' | 'exp';

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const POSITIVE = [0, Infinity] as const;

const step: SigmaSpec = { sigma: (u) => (u > 0 ? 1 : 0), kinks: [0], support: POSITIVE, scaleParity: 'even' };
const relu: SigmaSpec = { sigma: (u) => (u > 0 ? u : 0), kinks: [0], support: POSITIVE, scaleParity: 'odd' };
const phi: SigmaSpec = { sigma: normalPdf, kinks: [], scaleParity: 'even' };

/**
 * The registry. Each spec object is a stable identity, so moment caches keyed by it are shared.
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * const { formula, sigma, dsigma } = ACTIVATIONS.relu;
 * formula; // → 'u*heaviside(u)'
 * sigma.sigma(2); // → 2
 * dsigma?.sigma(2); // → 1
 * sigma.kinks; // → [0]
 * ```
 */
export const ACTIVATIONS: Readonly<Record<BuiltinActivationName, BuiltinActivation>> = {
  relu: { name: 'relu', formula: 'u*heaviside(u)', sigma: relu, dsigma: step },
  step: { name: 'step', formula: 'heaviside(u)', sigma: step },
  resin: {
    name: 'resin',
    formula: 'heaviside(u)*sin(u)',
    sigma: { sigma: (u) => (u > 0 ? Math.sin(u) : 0), kinks: [0], support: POSITIVE, scaleParity: 'odd' },
    dsigma: { sigma: (u) => (u > 0 ? Math.cos(u) : 0), kinks: [0], support: POSITIVE, scaleParity: 'even' },
  },
  gelu: {
    name: 'gelu',
    formula: 'u*Phi(u)',
    sigma: { sigma: (u) => u * normalCdf(u), kinks: [] },
    dsigma: { sigma: (u) => normalCdf(u) + u * normalPdf(u), kinks: [] },
  },
  erf: {
    name: 'erf',
    formula: 'erf(u)',
    sigma: { sigma: erf, kinks: [], scaleParity: 'odd' },
    dsigma: { sigma: (u) => TWO_OVER_SQRT_PI * expMinusSquare(u), kinks: [], scaleParity: 'even' },
  },
  phi: {
    name: 'phi',
    formula: 'Phi(u)',
    sigma: { sigma: normalCdf, kinks: [] },
    dsigma: phi,
  },
  sin: {
    name: 'sin',
    formula: 'sin(u)',
    sigma: { sigma: Math.sin, kinks: [], scaleParity: 'odd' },
    dsigma: { sigma: Math.cos, kinks: [], scaleParity: 'even' },
  },
  cos: {
    name: 'cos',
    formula: 'cos(u)',
    sigma: { sigma: Math.cos, kinks: [], scaleParity: 'even' },
    dsigma: { sigma: (u) => -Math.sin(u), kinks: [], scaleParity: 'odd' },
  },
  exp: { name: 'exp', formula: 'exp(u)', sigma: { sigma: Math.exp, kinks: [] }, dsigma: { sigma: Math.exp, kinks: [] } },
};

/**
 * Largest m of the rectified powers `rectpow:m` = u^m·Y(u).
 *
 * @example
 * ```ts
 * import { MAX_RECTPOW, builtinActivation } from '@holonomic-ntk/core';
 * builtinActivation(`rectpow:${MAX_RECTPOW}`)?.name; // → 'rectpow:32'
 * builtinActivation(`rectpow:${MAX_RECTPOW + 1}`); // → undefined
 * ```
 */
export const MAX_RECTPOW = 32;

const rectpowCache = new Map<number, BuiltinActivation>();

/** u^m·Y(u), m = 0..MAX_RECTPOW; one object per m, so moment caches keyed by the spec are shared. */
function rectpow(m: number): BuiltinActivation {
  const hit = rectpowCache.get(m);
  if (hit) return hit;
  const parity = m % 2 === 0 ? 'even' : 'odd';
  const dparity = m % 2 === 0 ? 'odd' : 'even';
  const made: BuiltinActivation = {
    name: `rectpow:${m}`,
    formula: m === 0 ? 'heaviside(u)' : `u^${m}*heaviside(u)`,
    sigma: { sigma: (u) => (u > 0 ? u ** m : 0), kinks: [0], support: POSITIVE, scaleParity: parity },
    ...(m > 0 ? { dsigma: { sigma: (u: number) => (u > 0 ? m * u ** (m - 1) : 0), kinks: [0], support: POSITIVE, scaleParity: dparity } } : {}),
  };
  rectpowCache.set(m, made);
  return made;
}

/**
 * The catalogue of common activations given by formula alone (issue 11's list; hgm-runtime ships their artifacts):
 * name → σ in the grammar of `hgm derive --expr`. SELU's λ = 1.0507, α = 1.6733 are the published constants to
 * five digits (rational, as the derive grammar needs).
 *
 * @example
 * ```ts
 * import { FORMULA_ACTIVATIONS, builtinActivation } from '@holonomic-ntk/core';
 * FORMULA_ACTIVATIONS.elu; // → 'u*heaviside(u) + heaviside(-u)*(exp(u)-1)'
 * builtinActivation('elu')?.sigma.sigma(-1); // ≈ Math.exp(-1) - 1
 * builtinActivation('elu')?.dsigma?.sigma(-1); // ≈ Math.exp(-1)
 * ```
 */
export const FORMULA_ACTIVATIONS: Readonly<Record<string, string>> = {
  elu: 'u*heaviside(u) + heaviside(-u)*(exp(u)-1)',
  selu: '10507/10000*(u*heaviside(u) + 16733/10000*heaviside(-u)*(exp(u)-1))',
  'leaky-relu': 'u*heaviside(u) + 1/10*u*heaviside(-u)',
  abs: 'u*heaviside(u) - u*heaviside(-u)',
  'step-shifted': 'heaviside(u-1)',
  recos: 'heaviside(u)*cos(u)',
  resin2: 'heaviside(u)*sin(2*u)',
  'rect-uexp': 'heaviside(u)*u*exp(-u)',
  gauss: 'exp(-u^2/2)',
  ugauss: 'u*exp(-u^2/2)',
  gabor: 'exp(-u^2/2)*cos(3*u)',
  'sin-relu': 'sin(u) + u*heaviside(u)',
  'rect-erf': 'erf(u)*heaviside(u)',
  cube: 'u^3',
  hermite2: 'u^2-1',
};

const formulaCache = new Map<string, BuiltinActivation>();

/** A catalogue entry's σ and σ̇ from core's numeric formula evaluator; one object per name (moment caches). */
function formulaActivation(name: string): BuiltinActivation {
  const hit = formulaCache.get(name);
  if (hit) return hit;
  const formula = FORMULA_ACTIVATIONS[name]!;
  const f = numericFormula(formula);
  // A step's σ̇ is 0 almost everywhere (a δ at the jump): no σ̇ function, as for the step itself.
  const made: BuiltinActivation = { name, formula, sigma: f.sigma, ...(name === 'step-shifted' ? {} : { dsigma: f.dsigma }) };
  formulaCache.set(name, made);
  return made;
}

/**
 * The built-in activation called `name` (the registry's one spelling: relu, step, resin, gelu, erf, phi, sin, cos,
 * exp, `rectpow:m` for u^m·Y(u), 0 ≤ m ≤ 32, or a name of {@link FORMULA_ACTIVATIONS}), or undefined.
 *
 * @example
 * ```ts
 * import { builtinActivation } from '@holonomic-ntk/core';
 * builtinActivation('gelu')?.formula; // → 'u*Phi(u)'
 * builtinActivation('rectpow:3')?.sigma.sigma(2); // → 8
 * builtinActivation('tanh'); // → undefined
 * ```
 */
export function builtinActivation(name: string): BuiltinActivation | undefined {
  if (Object.hasOwn(ACTIVATIONS, name)) return ACTIVATIONS[name as BuiltinActivationName];
  const m = /^rectpow:(0|[1-9]\d*)$/.exec(name);
  if (m && Number(m[1]) <= MAX_RECTPOW) return rectpow(Number(m[1]));
  if (Object.hasOwn(FORMULA_ACTIVATIONS, name)) return formulaActivation(name);
  return undefined;
}

/**
 * The names {@link builtinActivation} knows, for messages (`rectpow:m` stands for the family).
 *
 * @example
 * ```ts
 * import { BUILTIN_ACTIVATION_NAMES } from '@holonomic-ntk/core';
 * BUILTIN_ACTIVATION_NAMES.slice(0, 10); // → ['relu', 'step', 'resin', 'gelu', 'erf', 'phi', 'sin', 'cos', 'exp', 'rectpow:m']
 * BUILTIN_ACTIVATION_NAMES.includes('elu'); // → true
 * ```
 */
export const BUILTIN_ACTIVATION_NAMES: readonly string[] = [...Object.keys(ACTIVATIONS), 'rectpow:m', ...Object.keys(FORMULA_ACTIVATIONS)];
