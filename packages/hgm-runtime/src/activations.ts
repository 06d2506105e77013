/**
 * Built-in activations as plain JS functions with their kinks and supports, for the initial values (moments)
 * of the HGM. σ̇ is the derivative used by the NTK (`dsigma` integrand); it is absent for the step, whose
 * derivative is a Dirac delta, not a function.
 */
import type { SigmaSpec } from './moments.ts';
import { erf, expMinusSquare, normalCdf, normalPdf } from './specialFunctions.ts';

export interface BuiltinActivation {
  name: BuiltinActivationName;
  /** The formula, for people. */
  formula: string;
  sigma: SigmaSpec;
  dsigma?: SigmaSpec;
}

export type BuiltinActivationName = 'relu' | 'step' | 'resin' | 'gelu' | 'erf' | 'phi';

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const POSITIVE = [0, Infinity] as const;

const step: SigmaSpec = { sigma: (u) => (u > 0 ? 1 : 0), kinks: [0], support: POSITIVE, scaleParity: 'even' };
const relu: SigmaSpec = { sigma: (u) => (u > 0 ? u : 0), kinks: [0], support: POSITIVE, scaleParity: 'odd' };
const phi: SigmaSpec = { sigma: normalPdf, kinks: [], scaleParity: 'even' };

/**
 * The registry. Each spec object is a stable identity, so moment caches keyed by it are shared.
 *
 * @example
 *   const { sigma, dsigma } = ACTIVATIONS.relu;
 *   sigma.sigma(2); // → 2;  dsigma!.sigma(2) → 1
 */
export const ACTIVATIONS: Readonly<Record<BuiltinActivationName, BuiltinActivation>> = {
  relu: { name: 'relu', formula: 'max(u, 0)', sigma: relu, dsigma: step },
  step: { name: 'step', formula: 'Y(u) (Heaviside)', sigma: step },
  resin: {
    name: 'resin',
    formula: 'Y(u) sin(u)',
    sigma: { sigma: (u) => (u > 0 ? Math.sin(u) : 0), kinks: [0], support: POSITIVE, scaleParity: 'odd' },
    dsigma: { sigma: (u) => (u > 0 ? Math.cos(u) : 0), kinks: [0], support: POSITIVE, scaleParity: 'even' },
  },
  gelu: {
    name: 'gelu',
    formula: 'u Φ(u)',
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
    formula: 'Φ(u) (standard normal CDF)',
    sigma: { sigma: normalCdf, kinks: [] },
    dsigma: phi,
  },
};

/**
 * The built-in activation called `name`, or undefined.
 *
 * @example builtinActivation('gelu')?.formula; // → 'u Φ(u)'
 */
export function builtinActivation(name: string): BuiltinActivation | undefined {
  return Object.hasOwn(ACTIVATIONS, name) ? ACTIVATIONS[name as BuiltinActivationName] : undefined;
}
