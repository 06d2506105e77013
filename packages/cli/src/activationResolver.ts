/**
 * The hgm command's activation resolver: ntk's built-ins, plus every formula in u (`heaviside(u)*cos(u)`) and
 * built-in without a shipped artifact (rectpow:m), derived with the restriction compiler on first use and cached on
 * disk (activationArtifact.ts). Kernel worker threads import this module by its URL (KernelSpec.resolverModule).
 */
import { readArtifact } from '@holonomic-ntk/core';
import type { ActivationResolver } from '@holonomic-ntk/ntk';
import { activationArtifactText, activationFunctions, isBuiltinActivationName } from './activationArtifact.ts';

/**
 * Resolves built-in names and formulas, deriving what is not shipped.
 *
 * @example
 * ```ts
 * import { activationResolver } from '@holonomic-ntk/cli/resolver';
 * activationResolver.functions('heaviside(u)*cos(u)').sigma.sigma(0.5); // ≈ 0.8775825618903728
 * ```
 */
export const activationResolver: ActivationResolver = {
  functions: (activation) => activationFunctions(activation),
  hgm(activation) {
    const src = isBuiltinActivationName(activation) ? { name: activation } : { expr: activation };
    const loaded = activationArtifactText(src);
    return { artifact: readArtifact(loaded.text), functions: loaded.functions ?? activationFunctions(activation) };
  },
};

/**
 * This module's URL, for KernelSpec.resolverModule: worker threads import the resolver from it.
 *
 * @example
 * ```ts
 * import { kernelMatrix } from '@holonomic-ntk/ntk/node';
 * import { RESOLVER_MODULE } from '@holonomic-ntk/cli/resolver';
 * const spec = { depth: 1, activation: 'heaviside(u)*sin(u)', method: 'gh:20' as const, resolverModule: RESOLVER_MODULE };
 * (await kernelMatrix(spec, [[1, 0], [0, 1]], null, { workers: 0 })).ntk?.rows; // → 2
 * ```
 */
export const RESOLVER_MODULE: string = import.meta.url;
