/**
 * The built-in activations as the algebra sees them: core's registry entry (formula, σ and σ̇ as plain functions —
 * independent of this folder's Taylor evaluator, so the distribution checks test one against the other) joined with
 * the expected annihilators of MATH.md §5.
 */
import { BUILTIN_ACTIVATION_NAMES, MAX_RECTPOW, builtinActivation } from '@holonomic-ntk/core';
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

/**
 * The expected annihilators of σ and of σ̇ (MATH.md §5), the algebra's half of each built-in activation; the
 * numeric half (formula, σ, σ̇, kinks) is core's registry, so each activation is described once.
 * - resin: u²(∂² + 1) kills Y sin and Y cos (one rank-8 system for both).
 * - gelu: σ̇ = Φ + uφ from σ̇′ = (2 − u²)φ, σ̇″ = (u³ − 4u)φ; the derivative rule on the GeLU operator.
 * - step: σ̇ = 0 almost everywhere; its annihilator is 1.
 */
const OPERATORS: Readonly<Record<'relu' | 'step' | 'resin' | 'gelu' | 'erf' | 'phi' | 'sin' | 'cos' | 'exp', { operator: string; dsigmaOperator: string }>> = {
  relu: { operator: 'u*du - 1', dsigmaOperator: 'u*du' },
  step: { operator: 'u*du', dsigmaOperator: '1' },
  resin: { operator: 'u*(du^2 + 1)', dsigmaOperator: 'u^2*(du^2 + 1)' },
  gelu: { operator: 'u^2*du^2 + (u^3 - 2*u)*du - u^2 + 2', dsigmaOperator: '(u^2 - 2)*du^2 + (u^3 - 4*u)*du' },
  erf: { operator: 'du^2 + 2*u*du', dsigmaOperator: 'du + 2*u' },
  phi: { operator: 'du^2 + u*du', dsigmaOperator: 'du + u' },
  sin: { operator: 'du^2 + 1', dsigmaOperator: 'du^2 + 1' },
  cos: { operator: 'du^2 + 1', dsigmaOperator: 'du^2 + 1' },
  exp: { operator: 'du - 1', dsigmaOperator: 'du - 1' },
};

/** The registry entry joined with its annihilators (σ̇ = 0 off the kink where the registry has no σ̇, the step). */
function withOperators(name: string, operators: { operator: string; dsigmaOperator: string }): BuiltinAnnihilator {
  const b = builtinActivation(name);
  if (!b) throw new DomainError(`${name} is not in core's activation registry`);
  const dsigma = b.dsigma?.sigma ?? (() => 0);
  return { name: b.name, formula: b.formula, ...operators, sigma: b.sigma.sigma, dsigma, kinks: b.sigma.kinks };
}

/** The fixed built-ins; rectpow:m is made on demand by {@link builtinAnnihilator}. */
export const BUILTIN_ANNIHILATORS: Readonly<Record<keyof typeof OPERATORS, BuiltinAnnihilator>> = Object.fromEntries(
  Object.entries(OPERATORS).map(([name, ops]) => [name, withOperators(name, ops)]),
) as Record<keyof typeof OPERATORS, BuiltinAnnihilator>;

/** Names accepted by {@link builtinAnnihilator}. */
export const BUILTIN_NAMES: readonly string[] = BUILTIN_ACTIVATION_NAMES;

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
  const m = /^rectpow:(0|[1-9]\d*)$/.exec(name);
  if (m) {
    const k = Number(m[1]);
    if (k > MAX_RECTPOW) throw new DomainError(`rectpow:${k}: the power must be at most ${MAX_RECTPOW}`);
    return rectpow(k);
  }
  throw new DomainError(`unknown activation "${name}"; expected one of ${BUILTIN_NAMES.join(', ')}`);
}

/** u^m·Y(u): annihilated by u∂ − m (u·δ·u^m = 0 for every m ≥ 0, and u∂ for m = 0). */
function rectpow(m: number): BuiltinAnnihilator {
  return withOperators(`rectpow:${m}`, {
    operator: m === 0 ? 'u*du' : `u*du - ${m}`,
    dsigmaOperator: m === 0 ? '1' : m === 1 ? 'u*du' : `u*du - ${m - 1}`,
  });
}
