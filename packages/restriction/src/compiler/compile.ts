import type { GbOptions } from '@holonomic-ntk/groebner';
import { type ArtifactPiece, DomainError, type Integrand, type PfaffianArtifact, validateArtifact } from '@holonomic-ntk/core';
import { activationPieces, dualSystemsOfPieces } from './pieces.ts';
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
  const base = dualSystemOptions(o);
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

function dualSystemOptions(o: CompileOptions): DualSystemOptions {
  return {
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    ...(o.limits ? { limits: o.limits } : {}),
    ...(o.strategy ? { strategy: o.strategy } : {}),
    ...(o.derivationOrders ? { derivationOrders: o.derivationOrders } : {}),
    ...(o.checkIntegrability !== undefined ? { checkIntegrability: o.checkIntegrability } : {}),
  };
}

/** An activation given by its formula alone; the compiler finds the annihilators. */
export interface FormulaCompileSpec {
  /** The artifact's activation name (e.g. `elu`, or `expr:<formula>` for an anonymous formula). */
  name: string;
  /** σ in the grammar of `hgm derive --expr`, e.g. `u*heaviside(u) + heaviside(-u)*(exp(u)-1)`. */
  formula: string;
  note?: string;
  options?: CompileOptions;
  /** Told which system is derived next (e.g. `σ pieces [0, 2]: u*du - 1 × u*du`), for progress displays. */
  onSystem?: (message: string) => void;
}

/**
 * The compiler for a formula, by linearity (MATH.md §9): σ and σ̇ are split into pieces with small annihilators
 * (`activationPieces`); an integrand with one piece gets one system (as `compileActivation`), one with several
 * pieces one system per pair of pieces, and the runtime sums them. ELU's σ has three first-order pieces instead of
 * one third-order annihilator whose system does not derive in minutes.
 *
 * @example
 * ```ts
 * import { compileFormula } from '@holonomic-ntk/restriction';
 * const leaky = compileFormula({ name: 'leaky', formula: 'u*heaviside(u) + 1/10*u*heaviside(-u)' });
 * leaky.systems.map((s) => [s.integrands, s.rank]); // → [[['sigma'], 2], [['dsigma'], 2]]
 * const shifted = compileFormula({ name: 'sinrelu', formula: 'sin(u) + u*heaviside(u)' });
 * shifted.activation.pieces?.sigma?.map((p) => p.annihilator); // → ['du^2 + 1', 'u*du - 1']
 * shifted.systems.filter((s) => s.integrands[0] === 'sigma').map((s) => s.pair); // → [[0, 0], [0, 1], [1, 1]]
 * ```
 */
export function compileFormula(spec: FormulaCompileSpec): PfaffianArtifact {
  return compileFormulaSystems(spec).artifact;
}

/** `compileFormula` that also returns the exact systems. */
export function compileFormulaSystems(spec: FormulaCompileSpec): { artifact: PfaffianArtifact; systems: CompiledSystem[] } {
  const sigmaPieces = activationPieces(spec.formula, 'sigma');
  if (sigmaPieces.length === 0) throw new DomainError(`σ = ${spec.formula} vanishes almost everywhere: its dual is 0`);
  const dsigmaPieces = activationPieces(spec.formula, 'dsigma');
  const o = spec.options ?? {};
  if (sigmaPieces.length === 1 && dsigmaPieces.length <= 1) {
    return compileActivationSystems({
      name: spec.name,
      sigmaOperator: sigmaPieces[0]!.text,
      ...(dsigmaPieces.length === 1 ? { dsigmaOperator: dsigmaPieces[0]!.text } : {}),
      sigmaFormula: spec.formula,
      ...(spec.note !== undefined ? { note: spec.note } : {}),
      options: o,
    });
  }
  const base = dualSystemOptions(o);
  const systems: CompiledSystem[] = [];
  const pieces: Partial<Record<Integrand, ArtifactPiece[]>> = {};
  const symbol = { sigma: 'σ', dsigma: 'σ̇' } as const;
  const lists = [
    ['sigma', sigmaPieces],
    ['dsigma', dsigmaPieces],
  ] as const;
  const total = lists.reduce((n, [, list]) => n + (list.length * (list.length + 1)) / 2, 0);
  let started = 0;
  const announce = (what: string) => spec.onSystem?.(`system ${++started} of ${total}, ${what}`);
  for (const [integrand, list] of lists) {
    if (list.length === 0) continue;
    if (list.length === 1) {
      announce(`${symbol[integrand]}: ${list[0]!.text}`);
      systems.push({ integrands: [integrand], system: dualSystem(list[0]!.operator, base) });
      continue;
    }
    pieces[integrand] = list.map((p) => ({ formula: p.formula, annihilator: p.text, kinks: p.kinks }));
    const onPair = (i: number, j: number) => announce(`${symbol[integrand]} pieces [${i}, ${j}]: ${list[i]!.text} × ${list[j]!.text}`);
    for (const p of dualSystemsOfPieces(list, base, onPair)) systems.push({ integrands: [integrand], system: p.system, pair: [p.i, p.j] });
  }
  const artifact = buildArtifact(
    { name: spec.name, sigma: spec.formula, pieces, ...(spec.note !== undefined ? { note: spec.note } : {}) },
    systems,
    o.command ?? REGENERATE_COMMAND,
  );
  validateArtifact(artifact);
  return { artifact, systems };
}
