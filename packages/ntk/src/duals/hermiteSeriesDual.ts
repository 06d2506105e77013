/**
 * The Hermite series as a DualProvider: E[σσ] = Σ eₙ(a)eₙ(b)ρⁿ with the coefficients from the annihilator that the
 * activation's Pfaffian artifact states (`activation.annihilator`, and `dsigmaAnnihilator` for σ̇), through
 * hgm-runtime's `hermiteDual` (the method and its error estimate: src/hermiteExpansion.ts there); where the artifact
 * splits the integrand into pieces instead (`activation.pieces`, ELU, SELU, sin u + u·Y(u)), from the pieces'
 * annihilators by linearity through `hermiteDualOfSum`. A third route beside the HGM and the closed forms, from the
 * same artifact: the cross-check of the HGM.
 */
import { DomainError, type Integrand, type PfaffianArtifact, type SigmaSpec } from '@holonomic-ntk/core';
import {
  type HermiteDualResult,
  type HermiteSummand,
  type IntegrandFunctions,
  hermiteDual,
  hermiteDualOfSum,
  hermiteSummands,
} from '@holonomic-ntk/hgm-runtime';
import { type ActivationResolver, resolveHgmActivation } from './activationResolver.ts';
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
  /**
   * Use this artifact (it must state `activation.annihilator`, or `activation.pieces` with their annihilators) and
   * these functions instead of looking them up.
   */
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
 * step, rectpow:2, erf, phi, resin, gelu), and for one that splits σ or σ̇ into pieces, each with its annihilator
 * (elu, selu, sin-relu; rect-uexp, ugauss, gabor σ̇): the coefficients are the sums of the pieces' (a whole
 * annihilator, where the artifact states one, is used first). Convergence is geometric in |ρ| < 1 and, at |ρ| = 1,
 * for smooth σ (erf, gelu, phi); a kinked σ at |ρ| = 1 converges algebraically and its `estimate` says how far (ReLU:
 * ~1e-10 relative after 4096 terms; a σ̇ with a jump, SELU's, ~1e-3). Where pieces cancel (ELU at a variance of
 * 1e-4: pieces of size 1, σ of size 0.01) the absolute error grows with the pieces, and the estimate with it. Throws
 * DomainError when the artifact states neither an annihilator nor pieces, or σ̇ is not a function (the step).
 *
 * @example
 * ```ts
 * import { erfDual, hermiteSeriesDual } from '@holonomic-ntk/ntk';
 * const erf = hermiteSeriesDual('erf');
 * erf.name; // → 'hermite'
 * erf.sigma(1, 0.3, 2); // ≈ erfDual.sigma(1, 0.3, 2) ± 1e-14
 * erf.dsigma(1, 1, 1); // ≈ erfDual.dsigma(1, 1, 1) ± 1e-14
 * hermiteSeriesDual('step').dsigma(1, 0, 1); // throws DomainError
 * // ELU's artifact states pieces u·Y(u), e^u·Y(−u), −Y(−u) with their annihilators, not one for the whole σ.
 * const elu = hermiteSeriesDual('elu').estimate('sigma', 1, 0.5, 2);
 * elu.value; // ≈ 0.3236417988688031 ± 1e-13
 * elu.error < 1e-14; // → true
 * ```
 */
export function hermiteSeriesDual(activation: string, options: HermiteSeriesDualOptions = {}): HermiteSeriesDual {
  const { artifact, functions } = resolveHgmActivation(activation, options);
  const act = artifact.activation;
  const maxTerms = options.maxTerms ?? 4096;
  type Route = { op: string; spec: SigmaSpec } | { parts: readonly HermiteSummand[] };
  const route = (k: Integrand): Route => {
    const op = act[k === 'sigma' ? 'annihilator' : 'dsigmaAnnihilator'];
    const spec = functions[k];
    const parts = hermiteSummands(artifact, k);
    // A whole annihilator first (one recurrence, no cancellation between pieces), else the pieces by linearity.
    if (typeof op === 'string' && spec !== undefined) return { op, spec };
    if (parts !== undefined) return { parts };
    throw new DomainError(
      k === 'dsigma' && spec === undefined
        ? `${act.name} has no σ̇ as a function (σ̇ is a distribution, e.g. the step): no σ̇ dual`
        : `the artifact of ${act.name} states no ${k === 'sigma' ? 'annihilator' : 'dsigmaAnnihilator'} of ${k === 'sigma' ? 'σ' : 'σ̇'} and no pieces with annihilators, which the Hermite series needs`,
    );
  };
  const hermiteOptions = { maxTerms, ...(options.rtol !== undefined ? { rtol: options.rtol } : {}) };
  const estimate = (kind: DualKind, a: number, c: number, b: number): HermiteDualResult => {
    const r = route(kind);
    return 'parts' in r ? hermiteDualOfSum(r.parts, a, c, b, hermiteOptions) : hermiteDual(r.op, r.spec, a, c, b, hermiteOptions);
  };
  return {
    name: options.maxTerms === undefined ? 'hermite' : `hermite:${maxTerms}`,
    activation: act.name,
    estimate,
    sigma: (a, c, b) => estimate('sigma', a, c, b).value,
    dsigma: (a, c, b) => estimate('dsigma', a, c, b).value,
  };
}
