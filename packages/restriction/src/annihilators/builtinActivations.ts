/**
 * The built-in activations: formula, σ and σ̇ as plain functions (from hgm-runtime where it has them, so the
 * check is independent of this folder's Taylor evaluator), and the expected annihilators of MATH.md §5.
 */
import { ACTIVATIONS, erf, normalCdf, normalPdf } from '@holonomic-ntk/core';
import { DomainError } from '@holonomic-ntk/weyl-algebra';

export interface BuiltinAnnihilator {
  /** Canonical name (`rectpow:3`, not an alias). */
  readonly name: string;
  /** The formula in the grammar of formula.ts. */
  readonly formula: string;
  /** The expected normalized annihilator of σ as a distribution (MATH.md §5), as operator text in u, du. */
  readonly operator: string;
  /** The expected annihilator of the almost-everywhere derivative σ̇ as a distribution. */
  readonly dsigmaOperator: string;
  readonly sigma: (u: number) => number;
  /** σ̇ almost everywhere (0 for the step: its derivative is 0 off the kink). */
  readonly dsigma: (u: number) => number;
  readonly kinks: readonly number[];
}

const step = (u: number): number => (u > 0 ? 1 : 0);

/** The fixed built-ins; rectpow:m is made on demand by {@link builtinAnnihilator}. */
export const BUILTIN_ANNIHILATORS: Readonly<Record<'relu' | 'step' | 'resin' | 'gelu' | 'erf' | 'phi', BuiltinAnnihilator>> = {
  relu: {
    name: 'relu',
    formula: 'u*heaviside(u)',
    operator: 'u*du - 1',
    dsigmaOperator: 'u*du',
    sigma: ACTIVATIONS.relu.sigma.sigma,
    dsigma: step,
    kinks: [0],
  },
  step: {
    name: 'step',
    formula: 'heaviside(u)',
    operator: 'u*du',
    // σ̇ = 0 almost everywhere; its annihilator is 1.
    dsigmaOperator: '1',
    sigma: ACTIVATIONS.step.sigma.sigma,
    dsigma: () => 0,
    kinks: [0],
  },
  resin: {
    name: 'resin',
    formula: 'heaviside(u)*sin(u)',
    operator: 'u*(du^2 + 1)',
    dsigmaOperator: 'u^2*(du^2 + 1)',
    sigma: ACTIVATIONS.resin.sigma.sigma,
    dsigma: ACTIVATIONS.resin.dsigma!.sigma,
    kinks: [0],
  },
  gelu: {
    name: 'gelu',
    formula: 'u*Phi(u)',
    operator: 'u^2*du^2 + (u^3 - 2*u)*du - u^2 + 2',
    // σ̇ = Φ + uφ; the derivative rule on the GeLU operator (solutions 1 and Φ + uφ).
    dsigmaOperator: '(u^2 - 2)*du^2 + (u^3 - 4*u)*du',
    sigma: ACTIVATIONS.gelu.sigma.sigma,
    dsigma: (u) => normalCdf(u) + u * normalPdf(u),
    kinks: [],
  },
  erf: {
    name: 'erf',
    formula: 'erf(u)',
    operator: 'du^2 + 2*u*du',
    dsigmaOperator: 'du + 2*u',
    sigma: erf,
    dsigma: ACTIVATIONS.erf.dsigma!.sigma,
    kinks: [],
  },
  phi: {
    name: 'phi',
    formula: 'Phi(u)',
    operator: 'du^2 + u*du',
    dsigmaOperator: 'du + u',
    sigma: normalCdf,
    dsigma: normalPdf,
    kinks: [],
  },
};

/** Largest m accepted in rectpow:m. */
export const MAX_RECTPOW = 32;

/** Names accepted by {@link builtinAnnihilator}. */
export const BUILTIN_NAMES: readonly string[] = ['relu', 'step', 'rectpow:m', 'resin', 'gelu', 'erf', 'phi'];

/**
 * The built-in activation called `name` (`rectpow:m` is u^m·Y(u), m = 0..32), or a
 * DomainError listing the names.
 *
 * @example
 * ```ts
 * import { builtinAnnihilator } from '@holonomic-ntk/restriction';
 * builtinAnnihilator('rectpow:3').operator; // → 'u*du - 3'
 * builtinAnnihilator('relu').formula; // → 'u*heaviside(u)'
 * builtinAnnihilator('relu').sigma(-1); // → 0
 * builtinAnnihilator('tanh'); // throws DomainError
 * ```
 */
export function builtinAnnihilator(name: string): BuiltinAnnihilator {
  if (Object.hasOwn(BUILTIN_ANNIHILATORS, name)) return BUILTIN_ANNIHILATORS[name as keyof typeof BUILTIN_ANNIHILATORS];
  const m = /^rectpow:(\d+)$/.exec(name);
  if (m) {
    const k = Number(m[1]);
    if (k > MAX_RECTPOW) throw new DomainError(`rectpow:${k}: the power must be at most ${MAX_RECTPOW}`);
    return rectpow(k);
  }
  throw new DomainError(`unknown activation "${name}"; expected one of ${BUILTIN_NAMES.join(', ')}`);
}

/** u^m·Y(u): annihilated by u∂ − m (u·δ·u^m = 0 for every m ≥ 0, and u∂ for m = 0). */
function rectpow(m: number): BuiltinAnnihilator {
  return {
    name: `rectpow:${m}`,
    formula: m === 0 ? 'heaviside(u)' : `u^${m}*heaviside(u)`,
    operator: m === 0 ? 'u*du' : `u*du - ${m}`,
    dsigmaOperator: m === 0 ? '1' : m === 1 ? 'u*du' : `u*du - ${m - 1}`,
    sigma: (u) => (u > 0 ? u ** m : 0),
    dsigma: (u) => (u > 0 && m > 0 ? m * u ** (m - 1) : 0),
    kinks: [0],
  };
}
