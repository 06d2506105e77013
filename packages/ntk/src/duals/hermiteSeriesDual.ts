/**
 * The Hermite series as a DualProvider: E[σσ] = Σ eₙ(a)eₙ(b)ρⁿ with the coefficients from the annihilator that the
 * activation's Pfaffian artifact states (`activation.annihilator`, and `dsigmaAnnihilator` for σ̇), through
 * hgm-runtime's `hermiteDual` (the method and its error estimate: src/hermiteExpansion.ts there). A third route
 * beside the HGM and the closed forms, from the same artifact: the cross-check of the HGM.
 */
import { DomainError, type Integrand, type PfaffianArtifact, type SigmaSpec } from '@holonomic-ntk/core';
import { type HermiteDualResult, type IntegrandFunctions, artifactFunctions, hermiteDual } from '@holonomic-ntk/hgm-runtime';
import { type ActivationResolver, builtinResolver } from './activationResolver.ts';
import type { DualKind, DualProvider } from './dualProvider.ts';

/**
 * Options of {@link hermiteSeriesDual}.
 *
 * @example
 * ```ts
 * import { hermiteSeriesDual, type HermiteSeriesDualOptions } from '@holonomic-ntk/ntk';
 * const options: HermiteSeriesDualOptions = { maxTerms: 64 };
 * hermiteSeriesDual('erf', options).name; // → 'hermite:64'
 * ```
 */
export interface HermiteSeriesDualOptions {
  /** Where the artifact and σ, σ̇ come from (default: the built-ins, {@link builtinResolver}). */
  resolver?: ActivationResolver;
  /** Use this artifact (it must state `activation.annihilator`) and these functions instead of looking them up. */
  artifact?: PfaffianArtifact;
  functions?: IntegrandFunctions;
  /** Sum until the error estimate is below rtol·|value| (default 1e-14). */
  rtol?: number;
  /** At most this many terms (default 4096; the provider is then called `hermite:<maxTerms>`). */
  maxTerms?: number;
}

/**
 * A Hermite-series dual provider; `estimate` also returns the error estimate and the number of terms.
 *
 * @example
 * ```ts
 * import { hermiteSeriesDual, type HermiteSeriesDual } from '@holonomic-ntk/ntk';
 * const relu: HermiteSeriesDual = hermiteSeriesDual('relu');
 * const r = relu.estimate('sigma', 1, 0.5, 1);
 * r.value; // ≈ 0.30449889052211454 ± 1e-14
 * r.error < 1e-13; // → true
 * ```
 */
export interface HermiteSeriesDual extends DualProvider {
  /** The value of one kind with its estimated absolute error and the terms summed. */
  estimate(kind: DualKind, a: number, c: number, b: number): HermiteDualResult;
}

/**
 * A dual provider by the Hermite series of the activation's annihilator (method `hermite`, or `hermite:<n>` with
 * `maxTerms: n`). Works for every artifact that states its annihilators and σ, σ̇ formulas (the built-ins: relu,
 * step, rectpow:2, erf, phi, resin, gelu). Convergence is geometric in |ρ| < 1 and, at |ρ| = 1, for smooth σ (erf,
 * gelu, phi); a kinked σ at |ρ| = 1 converges algebraically and its `estimate` says how far (ReLU: ~1e-10 relative
 * after 4096 terms). Throws DomainError when the artifact states no annihilator or σ̇ is not a function (the step).
 *
 * @example
 * ```ts
 * import { erfDual, hermiteSeriesDual } from '@holonomic-ntk/ntk';
 * const erf = hermiteSeriesDual('erf');
 * erf.name; // → 'hermite'
 * erf.sigma(1, 0.3, 2); // ≈ erfDual.sigma(1, 0.3, 2) ± 1e-14
 * erf.dsigma(1, 1, 1); // ≈ erfDual.dsigma(1, 1, 1) ± 1e-14
 * hermiteSeriesDual('step').dsigma(1, 0, 1); // throws DomainError
 * ```
 */
export function hermiteSeriesDual(activation: string, options: HermiteSeriesDualOptions = {}): HermiteSeriesDual {
  let artifact = options.artifact;
  let functions = options.functions ?? (artifact ? artifactFunctions(artifact) : undefined);
  if (!artifact || !functions) {
    const loaded = (options.resolver ?? builtinResolver).hgm(activation);
    artifact ??= loaded.artifact;
    functions ??= loaded.functions;
  }
  const act = artifact.activation;
  const maxTerms = options.maxTerms ?? 4096;
  const operator = (k: Integrand): { op: string; spec: SigmaSpec } => {
    const op = act[k === 'sigma' ? 'annihilator' : 'dsigmaAnnihilator'];
    const spec = functions[k];
    if (typeof op !== 'string' || spec === undefined) {
      throw new DomainError(
        k === 'dsigma' && spec === undefined
          ? `${act.name} has no σ̇ as a function (σ̇ is a distribution, e.g. the step): no σ̇ dual`
          : `the artifact of ${act.name} states no ${k === 'sigma' ? 'annihilator' : 'dsigmaAnnihilator'} of ${k === 'sigma' ? 'σ' : 'σ̇'}, which the Hermite series needs`,
      );
    }
    return { op, spec };
  };
  const hermiteOptions = { maxTerms, ...(options.rtol !== undefined ? { rtol: options.rtol } : {}) };
  const estimate = (kind: DualKind, a: number, c: number, b: number): HermiteDualResult => {
    const { op, spec } = operator(kind);
    return hermiteDual(op, spec, a, c, b, hermiteOptions);
  };
  return {
    name: options.maxTerms === undefined ? 'hermite' : `hermite:${maxTerms}`,
    activation: act.name,
    estimate,
    sigma: (a, c, b) => estimate('sigma', a, c, b).value,
    dsigma: (a, c, b) => estimate('dsigma', a, c, b).value,
  };
}
