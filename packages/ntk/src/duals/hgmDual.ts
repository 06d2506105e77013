/**
 * The holonomic gradient method as a DualProvider: E[σσ] and E[σ̇σ̇] from the activation's Pfaffian artifact
 * through hgm-runtime. `sigmaBatch`/`dsigmaBatch` are the "all-at-once" path (hgm-runtime's dualActivationBatch
 * groups the Λ sharing (a, b) and integrates ONE path per group and sign of c, reading every c off its dense
 * output); `sigma`/`dsigma` integrate one path per entry. With `batch: false` the provider has no batch methods,
 * so kernel code falls back to per-entry evaluation — the "HGM per entry" method of the benchmarks.
 */
import { DomainError, type Integrand, type PfaffianArtifact } from '@holonomic-ntk/core';
import { type DualActivationOptions, type IntegrandFunctions, dualActivation, dualActivationBatch, dualActivationWithError } from '@holonomic-ntk/hgm-runtime';
import { type ActivationResolver, resolveHgmActivation } from './activationResolver.ts';
import type { DualProvider } from './dualProvider.ts';

/**
 * Options of {@link hgmDual}.
 *
 * @example
 * ```ts
 * import { hgmDual, type HgmDualOptions } from '@holonomic-ntk/ntk';
 * const options: HgmDualOptions = { batch: false, runtime: { rtol: 1e-12 } };
 * const p = hgmDual('relu', options);
 * [p.name, p.sigmaBatch]; // → ['hgm', undefined]
 * p.sigma(1, 0, 1); // ≈ 0.15915494309189535 ± 1e-10
 * ```
 */
export interface HgmDualOptions {
  /** Where the artifact and σ, σ̇ come from (default: the built-ins, {@link builtinResolver}). */
  resolver?: ActivationResolver;
  /** Offer sigmaBatch/dsigmaBatch (default true). false: per-entry evaluation only. */
  batch?: boolean;
  /** Path-solver and method options of hgm-runtime (rtol, atolFactor, method: 'auto' | 'path' | 'quadrature'). */
  runtime?: Omit<DualActivationOptions, 'integrand'>;
  /** Use this artifact and these functions instead of looking the activation up (e.g. one read from a file). */
  artifact?: PfaffianArtifact;
  functions?: IntegrandFunctions;
}

/**
 * An HGM dual provider. `activation` is a built-in name with a shipped artifact (relu, step, rectpow:2, erf, phi,
 * resin, gelu) or anything `options.resolver` resolves (the hgm command's resolver derives a formula in u such as
 * `heaviside(u)*cos(u)` on first use and caches it on disk, like `hgm derive --expr`). `sigma`/`dsigma` integrate
 * one path per value; `sigmaBatch`/`dsigmaBatch` one path per (a, b) for all the c given — what kernels use.
 *
 * @example
 * ```ts
 * import { hgmDual, reluDual } from '@holonomic-ntk/ntk';
 * const relu = hgmDual('relu');
 * relu.sigma(1, 0.5, 1); // ≈ 0.30449889052211454 ± 1e-10
 * const both = relu.sigmaBatch!([1, 1], [0.2, 0.5], [1, 1]); // one path for both
 * both[1]; // ≈ 0.30449889052211454 ± 1e-10
 * Math.abs(both[0]! - reluDual.sigma(1, 0.2, 1)) < 1e-10; // → true
 * relu.withError!('sigma', 1, 0.5, 1).error < 1e-12; // → true
 * hgmDual('tanh'); // throws DomainError
 * ```
 */
export function hgmDual(activation: string, options: HgmDualOptions = {}): DualProvider {
  const { artifact, functions } = resolveHgmActivation(activation, options);
  const art = artifact;
  const fns: IntegrandFunctions = { ...functions };
  // The runtime checks a given name against the artifact's; a resolver's name may be the formula instead.
  delete fns.name;
  const has = (k: Integrand) => art.systems.some((s) => s.integrands.includes(k)) && fns[k] !== undefined;
  const need = (k: Integrand): void => {
    if (!has(k))
      throw new DomainError(
        `${art.activation.name} has no ${k === 'dsigma' ? 'σ̇' : 'σ'} dual system${k === 'dsigma' ? ' (σ̇ is not a function, e.g. the step)' : ''}`,
      );
  };
  const runtime = options.runtime ?? {};
  const one = (k: Integrand) => (a: number, c: number, b: number) => {
    need(k);
    return dualActivation(art, fns, a, c, b, { ...runtime, integrand: k });
  };
  const many =
    (k: Integrand) =>
    (a: ArrayLike<number>, c: ArrayLike<number>, b: ArrayLike<number>, out?: Float64Array, errors?: Float64Array): Float64Array => {
      need(k);
      const n = a.length;
      if (c.length !== n || b.length !== n) throw new RangeError(`a, c, b must have the same length (${n}, ${c.length}, ${b.length})`);
      const items = new Array<{ a: number; c: number; b: number }>(n);
      for (let i = 0; i < n; i++) items[i] = { a: a[i]!, c: c[i]!, b: b[i]! };
      const values = dualActivationBatch(art, fns, items, { ...runtime, integrand: k, ...(errors ? { errors } : {}) });
      if (!out) return values;
      out.set(values);
      return out;
    };
  const batch = options.batch !== false;
  return {
    name: 'hgm',
    activation: art.activation.name,
    sigma: one('sigma'),
    dsigma: one('dsigma'),
    withError: (k, a, c, b) => {
      need(k);
      return dualActivationWithError(art, fns, a, c, b, { ...runtime, integrand: k });
    },
    ...(batch ? { sigmaBatch: many('sigma'), ...(has('dsigma') ? { dsigmaBatch: many('dsigma') } : {}) } : {}),
  };
}

/**
 * The same provider without its batch methods: kernels then evaluate entry by entry (its name, a method of the
 * vocabulary, is unchanged: per entry is how it is called, not how it evaluates).
 *
 * @example
 * ```ts
 * import { hgmDual, perEntry } from '@holonomic-ntk/ntk';
 * const p = perEntry(hgmDual('relu'));
 * [p.name, p.sigmaBatch]; // → ['hgm', undefined]
 * ```
 */
export function perEntry(p: DualProvider): DualProvider {
  return { name: p.name, activation: p.activation, sigma: (a, c, b) => p.sigma(a, c, b), dsigma: (a, c, b) => p.dsigma(a, c, b) };
}
