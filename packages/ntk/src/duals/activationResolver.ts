/**
 * How ntk turns an activation name into what the dual providers need: σ and σ̇ as functions, and for the HGM the
 * Pfaffian artifact. ntk itself knows only the built-ins (core's registry and hgm-runtime's shipped catalogue), so
 * a user of ntk never loads the algebra packages. Whoever can derive new activations (the `hgm` command, a
 * playground's worker) passes its own resolver; for worker threads it names the module that exports it.
 */
import { BUILTIN_ACTIVATION_NAMES, DomainError, type PfaffianArtifact, builtinActivation } from '@holonomic-ntk/core';
import { BUILTIN_ARTIFACT_NAMES, type IntegrandFunctions, artifactFunctions, builtinArtifact } from '@holonomic-ntk/hgm-runtime';
import type { ActivationFunctions } from './dualProvider.ts';

/**
 * What the HGM needs of an activation: its Pfaffian artifact and the functions of its integrands.
 *
 * @example
 * ```ts
 * import { builtinResolver, type HgmActivation } from '@holonomic-ntk/ntk';
 * const relu: HgmActivation = builtinResolver.hgm('relu');
 * relu.artifact.activation.name; // → 'relu'
 * relu.functions.sigma?.sigma(2); // → 2
 * ```
 */
export interface HgmActivation {
  readonly artifact: PfaffianArtifact;
  readonly functions: IntegrandFunctions;
}

/**
 * Resolves activation names (or formulas, if the resolver can) for the dual providers; the hgm command's
 * (`@holonomic-ntk/cli/resolver`) derives formulas in u, a custom one can serve artifacts from anywhere.
 *
 * @example
 * ```ts
 * import { builtinResolver, hgmDual, type ActivationResolver } from '@holonomic-ntk/ntk';
 * // Serve 'rectifier' as another name of the built-in relu.
 * const alias = (name: string) => (name === 'rectifier' ? 'relu' : name);
 * const resolver: ActivationResolver = {
 *   functions: (name) => builtinResolver.functions(alias(name)),
 *   hgm: (name) => builtinResolver.hgm(alias(name)),
 * };
 * hgmDual('rectifier', { resolver }).sigma(1, 1, 1); // ≈ 0.5 ± 1e-10
 * ```
 */
export interface ActivationResolver {
  /** σ and σ̇ as functions, for Gauss–Hermite, quadrature, Monte Carlo and the HGM's initial values. */
  functions(activation: string): ActivationFunctions;
  /** The Pfaffian artifact and the functions of its integrands. */
  hgm(activation: string): HgmActivation;
}

/**
 * The built-in activations only: relu, step, resin, gelu, erf, phi, rectpow:m (functions); artifacts from
 * hgm-runtime's catalogue. Anything else is a DomainError that says how to get more.
 *
 * @example
 * ```ts
 * import { builtinResolver } from '@holonomic-ntk/ntk';
 * builtinResolver.hgm('relu').artifact.systems.length; // → 2
 * builtinResolver.functions('resin').sigma.sigma(1); // ≈ 0.8414709848078965
 * ```
 */
export const builtinResolver: ActivationResolver = {
  functions(activation) {
    const b = builtinActivation(activation);
    if (!b) throw unknownActivation(activation, BUILTIN_ACTIVATION_NAMES);
    return { name: b.name, sigma: b.sigma, ...(b.dsigma ? { dsigma: b.dsigma } : {}) };
  },
  hgm(activation) {
    const b = builtinActivation(activation);
    if (!b || !BUILTIN_ARTIFACT_NAMES.includes(activation)) throw unknownActivation(activation, BUILTIN_ARTIFACT_NAMES);
    return { artifact: builtinArtifact(activation), functions: { sigma: b.sigma, ...(b.dsigma ? { dsigma: b.dsigma } : {}) } };
  },
};

/**
 * The artifact and functions a provider built on an artifact uses (the HGM, the Hermite series): the ones given, and
 * what is missing from the resolver. An artifact that states its σ (format version 2) needs no functions.
 */
export function resolveHgmActivation(
  activation: string,
  options: { artifact?: PfaffianArtifact; functions?: IntegrandFunctions; resolver?: ActivationResolver },
): HgmActivation {
  let artifact = options.artifact;
  let functions = options.functions ?? (artifact ? artifactFunctions(artifact) : undefined);
  if (!artifact || !functions) {
    const loaded = (options.resolver ?? builtinResolver).hgm(activation);
    artifact ??= loaded.artifact;
    functions ??= loaded.functions;
  }
  return { artifact, functions };
}

function unknownActivation(activation: string, known: readonly string[]): DomainError {
  return new DomainError(
    `'${activation}' is not a built-in activation (${known.join(', ')}); a formula or another activation needs a resolver that derives ` +
      `its Pfaffian system, e.g. the hgm command's (@holonomic-ntk/cli), passed as options.resolver`,
  );
}
