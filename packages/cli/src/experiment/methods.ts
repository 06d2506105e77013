/**
 * The dual-activation methods the experiment compares, and the reference its kernel errors are measured against.
 */
import { ACTIVATIONS, type BuiltinActivation, numericFormula } from '@holonomic-ntk/core';
import { activationResolver } from '../activationResolver.ts';
import { closedFormDual, type DualProvider, hgmDual, type DualMethod } from '@holonomic-ntk/ntk';

/** Identifiers of the compared methods, in table order. */
export type MethodId = 'closed-form' | 'gauss-hermite-20' | 'hgm-per-entry' | 'hgm-all-at-once';

export interface ExperimentMethod {
  id: MethodId;
  /** Table label, e.g. 'HGM all-at-once'. */
  label: string;
  /** How the kernel code evaluates the duals (kernels/kernelSpec.ts). */
  dual: DualMethod;
  /** The HGM entry by entry (KernelSpec.perEntry). */
  perEntry?: boolean;
}

/** The Gauss–Hermite degree of the baseline ([ST24] compares against the 20-point rule). */
export const GAUSS_HERMITE_DEGREE = 20;

/** rtol of the HGM path solver for the reference kernel: ten times tighter than the runtime's default 1e-14. */
export const REFERENCE_RTOL = 1e-15;

/**
 * Activations the experiment accepts: the built-ins of hgm-runtime whose σ̇ is a function (the NTK needs
 * E[σ̇σ̇]; the step's σ̇ is a Dirac delta).
 *
 * For example `experimentActivations()` gives ['relu', 'resin', 'gelu', 'erf', 'phi'].
 */
export function experimentActivations(): string[] {
  return Object.values(ACTIVATIONS)
    .filter((a) => a.dsigma !== undefined)
    .map((a) => a.name);
}

/**
 * The activation of an experiment: a built-in with a σ̇ function, a holonomic formula in u, or an artifact file (the
 * command's activation spec), or a RangeError saying why not.
 *
 * For example `experimentActivation('resin').formula` gives 'heaviside(u)*sin(u)'.
 */
export function experimentActivation(name: string): BuiltinActivation {
  const builtin = Object.hasOwn(ACTIVATIONS, name) ? ACTIVATIONS[name as keyof typeof ACTIVATIONS] : undefined;
  if (builtin) {
    if (!builtin.dsigma)
      throw new RangeError(
        `${name} has no σ̇ function (its derivative is a distribution), so it has no NTK; expected one of ${experimentActivations().join(', ')}`,
      );
    return builtin;
  }
  const isFile = name.endsWith('.json');
  // A bare word is a misspelt name, not a formula in some variable other than u.
  if (!isFile && /^[A-Za-z_][\w:]*$/.test(name)) {
    throw new RangeError(`unknown activation "${name}"; expected one of ${experimentActivations().join(', ')}, a formula in u or an artifact file`);
  }
  if (!isFile && !numericFormula(name).holonomic) throw new RangeError(`${name} is not holonomic: the HGM rows of the experiment cannot serve it`);
  const fns = activationResolver.functions(name);
  if (!fns.dsigma) throw new RangeError(`${name} has no σ̇ function, so it has no NTK`);
  const formula = isFile ? (activationResolver.hgm(name).artifact.activation.sigma ?? name) : name;
  return { name, formula, sigma: fns.sigma, dsigma: fns.dsigma };
}

/**
 * The methods for `activation`, in table order: the closed form (when the activation has one), 2-D Gauss–Hermite
 * of degree 20, the HGM entry by entry, the HGM all at once (one path per layer and sign of c).
 *
 * For example `experimentMethods('resin').map((m) => m.label)` gives ['Gauss–Hermite 20', 'HGM per entry', 'HGM all-at-once'].
 */
export function experimentMethods(activation: string): ExperimentMethod[] {
  experimentActivation(activation);
  const methods: ExperimentMethod[] = [];
  if (closedFormDual(activation)) methods.push({ id: 'closed-form', label: 'closed form', dual: 'closed' });
  methods.push({ id: 'gauss-hermite-20', label: `Gauss–Hermite ${GAUSS_HERMITE_DEGREE}`, dual: `gh:${GAUSS_HERMITE_DEGREE}` });
  methods.push({ id: 'hgm-per-entry', label: 'HGM per entry', dual: 'hgm', perEntry: true });
  methods.push({ id: 'hgm-all-at-once', label: 'HGM all-at-once', dual: 'hgm' });
  return methods;
}

export interface ReferenceDual {
  kind: 'closed-form' | 'hgm-tight';
  provider: DualProvider;
  /** For people: what the reference is. */
  description: string;
}

/**
 * The high-accuracy reference for the kernel error: the closed form when one exists; otherwise the HGM entry by
 * entry with the path solver at rtol 1e-15 (the experiment then cross-checks it against adaptive quadrature on a
 * subset of the training points).
 *
 * For example `referenceDual('relu').kind` gives 'closed-form'.
 */
export function referenceDual(activation: string): ReferenceDual {
  experimentActivation(activation);
  const closed = closedFormDual(activation);
  if (closed) return { kind: 'closed-form', provider: closed, description: `closed form of the ${activation} dual` };
  return {
    kind: 'hgm-tight',
    provider: hgmDual(activation, { resolver: activationResolver, batch: false, runtime: { rtol: REFERENCE_RTOL } }),
    description: `HGM entry by entry at path rtol ${REFERENCE_RTOL}, cross-checked against adaptive quadrature on a subset`,
  };
}
