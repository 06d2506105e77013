/**
 * A fully connected network described by plain data, so it can cross a worker boundary (providers are
 * closures and cannot) and be named on the command line: which activation, which dual method, which weights.
 */
import { closedFormDual } from '../duals/closedForms.ts';
import type { DualProvider } from '../duals/dualProvider.ts';
import { gaussHermiteDual } from '../duals/gaussHermiteDual.ts';
import { hgmDual } from '../duals/hgmDual.ts';
import { quadratureDual } from '../duals/quadratureDual.ts';
import { type ActivationResolver, builtinResolver } from '../duals/activationResolver.ts';
import { fullyConnected, type Network, type Parameterization } from './stax.ts';

/**
 * How a dual activation is evaluated: `hgm` (all at once per layer), `hgm-per-entry`, `closed` (closed form),
 * `gh:<n>` (n×n Gauss–Hermite), `quad` (adaptive quadrature, a slow reference).
 */
export type DualMethod = 'hgm' | 'hgm-per-entry' | 'closed' | 'quad' | `gh:${number}`;

export interface KernelSpec {
  /** Hidden layers L ≥ 0. */
  depth: number;
  /** A built-in name (relu, erf, gelu, resin, …) or a formula in u for the HGM (e.g. `heaviside(u)*cos(u)`). */
  activation: string;
  /** Default 'hgm'. */
  method?: DualMethod;
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

/** A typed error for a method name or activation the spec cannot serve (the CLI prints it as a usage error). */
export class KernelSpecError extends Error {
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
 * The DualProvider for an activation and a method.
 *
 * @example dualProvider('resin', 'gh:20').sigma(1, 0.5, 1);
 */
export function dualProvider(activation: string, method: DualMethod = 'hgm', resolver: ActivationResolver = builtinResolver): DualProvider {
  if (method === 'hgm') return hgmDual(activation, { resolver });
  if (method === 'hgm-per-entry') return hgmDual(activation, { resolver, batch: false });
  if (method === 'closed') {
    const p = closedFormDual(activation.replace(/^rectpow:/, 'rectpow'));
    if (!p) throw new KernelSpecError(`no closed form for ${activation}; use --method hgm or gh:<degree>`);
    return p;
  }
  if (method === 'quad') return quadratureDual(resolver.functions(activation));
  const gh = /^gh:(\d+)$/.exec(method);
  if (gh) {
    const n = Number(gh[1]);
    if (!(n >= 1 && n <= 700)) throw new KernelSpecError(`gh:<degree> needs 1 ≤ degree ≤ 700, got ${n}`);
    return gaussHermiteDual(resolver.functions(activation), n);
  }
  throw new KernelSpecError(`unknown dual method "${method as string}": expected hgm, hgm-per-entry, closed, quad or gh:<degree>`);
}

/**
 * The network of a spec (dense → (activation → dense) × depth, neural-tangents layer rules).
 *
 * @example networkFromSpec({ depth: 2, activation: 'relu', method: 'closed' }).kernelFn([[1, 0], [0, 1]], null, 'ntk');
 */
export function networkFromSpec(spec: KernelSpec, resolver: ActivationResolver = builtinResolver): Network {
  return fullyConnected({
    depth: spec.depth,
    activation: dualProvider(spec.activation, spec.method ?? 'hgm', resolver),
    ...(spec.wStd !== undefined ? { wStd: spec.wStd } : {}),
    ...(spec.bStd !== undefined ? { bStd: spec.bStd } : {}),
    ...(spec.parameterization !== undefined ? { parameterization: spec.parameterization } : {}),
    ...(spec.width !== undefined ? { width: spec.width } : {}),
  });
}
