import type { GbOptions } from '@holonomic-ntk/groebner';
import { type Integrand, type PfaffianArtifact, validateArtifact } from '@holonomic-ntk/core';
import { TRANSFER_SOURCE_ALGEBRA, parseActivationOperator } from './transferRule.ts';
import { type CompiledSystem, REGENERATE_COMMAND, buildArtifact } from './artifact.ts';
import { type DualSystemOptions, dualSystem } from './dualSystem.ts';

export interface CompileOptions extends GbOptions {
  /** ∂-orders tried for the default basis (see `DEFAULT_DERIVATION_ORDERS`). */
  derivationOrders?: DualSystemOptions['derivationOrders'];
  /** Exact integrability check of every Pfaffian (default true). */
  checkIntegrability?: boolean;
  /** Recorded in provenance.command (default: the regeneration script). */
  command?: string;
}

export interface CompileSpec {
  /** The artifact's activation name (e.g. `relu`); hgm-runtime matches it against the functions it is given. */
  name: string;
  /** Annihilator of σ as a distribution, operator text in u and du (e.g. `u*du-1`). */
  sigmaOperator: string;
  /**
   * Annihilator of σ̇ (e.g. `u*du` for relu). Omit it for no σ̇ system (the step: σ̇ = δ is not a function the
   * runtime can take moments of). An operator equal to `sigmaOperator` (after parsing) means one system serves
   * both integrands (`integrands: ["sigma","dsigma"]`, e.g. resin with u²(∂²+1), which kills Y·sin and Y·cos).
   */
  dsigmaOperator?: string;
  /**
   * σ as a formula in the grammar of `hgm derive --expr` (e.g. `heaviside(u)*sin(u)`), written into
   * `activation.sigma` with its kinks, so the runtime can evaluate the initial values from the artifact alone.
   */
  sigmaFormula?: string;
  /** σ̇ as a formula; default `diff(σ)` when there is a σ̇ system; null: none (see ActivationDescription.dsigma). */
  dsigmaFormula?: string | null;
  note?: string;
  /** User bases (operator texts in x, dx), e.g. ['1', 'dx12']; default: chosen by `dualSystem`. */
  sigmaBasis?: readonly string[];
  dsigmaBasis?: readonly string[];
  options?: CompileOptions;
}

/**
 * The compiler: activation annihilators → Pfaffian artifact "hgm-pfaffian/1" (ARTIFACT.md) that hgm-runtime
 * evaluates. Per integrand: transfer rule → I1 → restriction to y = 0 → Gröbner basis over Q(x)⟨∂⟩ → Pfaffian
 * for a basis without spurious poles on x12 = 0 → exact integrability check; then the artifact is assembled and
 * checked with hgm-runtime's `validateArtifact`. Long stages honour `options.signal`, `onProgress`, `limits`.
 *
 * @example
 * ```ts
 * import { compileActivation } from '@holonomic-ntk/restriction';
 * const step = compileActivation({ name: 'step', sigmaOperator: 'u*du', sigmaFormula: 'heaviside(u)' });
 * step.format; // → 'hgm-pfaffian/2'
 * step.systems.map((s) => [s.integrands, s.rank, s.basis]); // → [[['sigma'], 2, ['1', 'dx12']]]
 * step.activation; // → { name: 'step', sigma: 'heaviside(u)', kinks: [0], annihilator: 'u*du' }
 * ```
 */
export function compileActivation(spec: CompileSpec): PfaffianArtifact {
  return compileActivationSystems(spec).artifact;
}

/** `compileActivation` that also returns the exact systems (restriction ideals, matrices as rational functions). */
export function compileActivationSystems(spec: CompileSpec): { artifact: PfaffianArtifact; systems: CompiledSystem[] } {
  const o = spec.options ?? {};
  const base: DualSystemOptions = {
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    ...(o.limits ? { limits: o.limits } : {}),
    ...(o.strategy ? { strategy: o.strategy } : {}),
    ...(o.derivationOrders ? { derivationOrders: o.derivationOrders } : {}),
    ...(o.checkIntegrability !== undefined ? { checkIntegrability: o.checkIntegrability } : {}),
  };
  const P = parseActivationOperator(spec.sigmaOperator);
  const Q = spec.dsigmaOperator === undefined ? undefined : parseActivationOperator(spec.dsigmaOperator);
  const shared = Q !== undefined && TRANSFER_SOURCE_ALGEBRA.eq(P, Q);
  const systems: CompiledSystem[] = [];
  const sigmaIntegrands: Integrand[] = shared ? ['sigma', 'dsigma'] : ['sigma'];
  systems.push({ integrands: sigmaIntegrands, system: dualSystem(P, { ...base, ...(spec.sigmaBasis ? { basis: spec.sigmaBasis } : {}) }) });
  if (Q !== undefined && !shared) {
    systems.push({ integrands: ['dsigma'], system: dualSystem(Q, { ...base, ...(spec.dsigmaBasis ? { basis: spec.dsigmaBasis } : {}) }) });
  }
  const artifact = buildArtifact(
    {
      name: spec.name,
      ...(spec.sigmaFormula !== undefined ? { sigma: spec.sigmaFormula } : {}),
      ...(spec.dsigmaFormula !== undefined ? { dsigma: spec.dsigmaFormula } : {}),
      ...(spec.note !== undefined ? { note: spec.note } : {}),
    },
    systems,
    o.command ?? REGENERATE_COMMAND,
  );
  // The artifact is the contract: refuse to hand out one the runtime would reject.
  validateArtifact(artifact);
  return { artifact, systems };
}
