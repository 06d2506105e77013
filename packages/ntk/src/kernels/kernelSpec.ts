import { HolonomicError } from '@holonomic-ntk/core';
/**
 * A fully connected network described by plain data, so it can cross a worker boundary (providers are
 * closures and cannot) and be named on the command line: which activation, which dual method, which weights.
 */
import { closedFormDual } from '../duals/closedForms.ts';
import type { DualProvider } from '../duals/dualProvider.ts';
import { gaussHermiteDual } from '../duals/gaussHermiteDual.ts';
import { hgmDual } from '../duals/hgmDual.ts';
import { hermiteSeriesDual } from '../duals/hermiteSeriesDual.ts';
import { quadratureDual } from '../duals/quadratureDual.ts';
import { monteCarloDual } from '../duals/monteCarloDual.ts';
import { type DualMethod, parseDualMethod } from '../duals/dualMethod.ts';
import { type ActivationResolver, builtinResolver } from '../duals/activationResolver.ts';
import { fullyConnected, type Network, type Parameterization } from './stax.ts';

/**
 * A fully connected network described by plain data (it can cross a worker boundary and be named on the command
 * line): which activation, which dual method, which weights.
 *
 * @example
 * ```ts
 * import { networkFromSpec, type KernelSpec } from '@holonomic-ntk/ntk';
 * const spec: KernelSpec = { depth: 1, activation: 'relu', method: 'closed', wStd: 1, bStd: 0 };
 * networkFromSpec(spec).kernelFn([[1, 0]], null, 'ntk').data[0]; // ≈ 0.5
 * ```
 */
export interface KernelSpec {
  /** Hidden layers L ≥ 0. */
  depth: number;
  /** A built-in name (relu, erf, gelu, resin, …) or a formula in u for the HGM (e.g. `heaviside(u)*cos(u)`). */
  activation: string;
  /** How the duals are evaluated (default 'hgm'). */
  method?: DualMethod;
  /** The HGM entry by entry instead of all at once per layer (default false). */
  perEntry?: boolean;
  wStd?: number;
  bStd?: number | null;
  parameterization?: Parameterization;
  /** Hidden width (the 'standard' parameterization needs it). */
  width?: number;
  /**
   * URL of an ES module that exports `activationResolver` (an {@link ActivationResolver}), for activations beyond
   * the built-ins; worker threads import it, since a resolver object cannot cross the thread boundary.
   */
  resolverModule?: string;
}

/**
 * A typed error for a method name or activation the spec cannot serve (the CLI prints it as a usage error).
 *
 * @example
 * ```ts
 * import { KernelSpecError, dualProvider } from '@holonomic-ntk/ntk';
 * dualProvider('resin', 'closed'); // throws KernelSpecError
 * new KernelSpecError('no closed form').name; // → 'KernelSpecError'
 * ```
 */
export class KernelSpecError extends HolonomicError {
  override readonly name = 'KernelSpecError';
}

/** The resolver a spec names (its `resolverModule`), else the built-ins. */
export async function specResolver(spec: KernelSpec): Promise<ActivationResolver> {
  if (spec.resolverModule === undefined) return builtinResolver;
  const mod = (await import(spec.resolverModule)) as { activationResolver?: ActivationResolver };
  if (!mod.activationResolver) throw new KernelSpecError(`${spec.resolverModule} exports no activationResolver`);
  return mod.activationResolver;
}

/**
 * The DualProvider for an activation and a method (default 'hgm'), with a resolver for activations beyond the
 * built-ins; `perEntry` gives the HGM without its batch methods.
 *
 * @example
 * ```ts
 * import { dualProvider } from '@holonomic-ntk/ntk';
 * dualProvider('relu', 'closed').name; // → 'closed'
 * dualProvider('resin', 'gh:20').name; // → 'gh:20'
 * dualProvider('resin', 'hermite').name; // → 'hermite'
 * dualProvider('relu', 'hgm', undefined, true).sigmaBatch; // → undefined
 * dualProvider('relu', 'closed').sigma(1, 1, 1); // ≈ 0.5
 * ```
 */
export function dualProvider(activation: string, method: DualMethod = 'hgm', resolver: ActivationResolver = builtinResolver, perEntry = false): DualProvider {
  const m = parseDualMethod(method);
  if (m === 'hgm') return hgmDual(activation, { resolver, ...(perEntry ? { batch: false } : {}) });
  if (m === 'closed') {
    const p = closedFormDual(activation);
    if (!p) throw new KernelSpecError(`no closed form for ${activation}; use the method hgm, quad or gh:<n>`);
    return p;
  }
  if (m === 'quad') return quadratureDual(resolver.functions(activation));
  if (m === 'hermite') return hermiteSeriesDual(activation, { resolver });
  if (m.startsWith('hermite:')) return hermiteSeriesDual(activation, { resolver, maxTerms: Number(m.slice('hermite:'.length)) });
  const n = Number(m.slice(3));
  return m.startsWith('gh:') ? gaussHermiteDual(resolver.functions(activation), n) : monteCarloDual(resolver.functions(activation), { samples: n });
}

/**
 * The network of a spec (dense → (activation → dense) × depth, neural-tangents layer rules).
 *
 * @example
 * ```ts
 * import { networkFromSpec } from '@holonomic-ntk/ntk';
 * const net = networkFromSpec({ depth: 2, activation: 'relu', method: 'closed' });
 * net.layers.length; // → 5
 * net.kernelFn([[1, 0], [0, 1]], null, 'ntk').rows; // → 2
 * ```
 */
export function networkFromSpec(spec: KernelSpec, resolver: ActivationResolver = builtinResolver): Network {
  return fullyConnected({
    depth: spec.depth,
    activation: dualProvider(spec.activation, spec.method ?? 'hgm', resolver, spec.perEntry ?? false),
    ...(spec.wStd !== undefined ? { wStd: spec.wStd } : {}),
    ...(spec.bStd !== undefined ? { bStd: spec.bStd } : {}),
    ...(spec.parameterization !== undefined ? { parameterization: spec.parameterization } : {}),
    ...(spec.width !== undefined ? { width: spec.width } : {}),
  });
}
