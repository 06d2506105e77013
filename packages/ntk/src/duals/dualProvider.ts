import type { SigmaSpec } from '@holonomic-ntk/core';
/**
 * The interface every dual-activation evaluator implements (closed forms, Gauss–Hermite, Monte Carlo,
 * adaptive quadrature, and later the HGM).
 */

/**
 * Which expectation: E[σ(u)σ(v)] ('sigma', the NNGP map) or E[σ̇(u)σ̇(v)] ('dsigma', the NTK factor).
 *
 * @example
 * ```ts
 * import { reluDual, type DualKind } from '@holonomic-ntk/ntk';
 * const kinds: DualKind[] = ['sigma', 'dsigma'];
 * kinds.map((k) => reluDual[k](1, 1, 1)); // → [0.5, 0.5]
 * ```
 */
export type DualKind = 'sigma' | 'dsigma';

/**
 * Dual activation of σ for (u, v) ~ N(0, Λ), Λ = [[a, c], [c, b]]. Every method accepts the closed PSD set
 * (ρ = ±1 and a = 0 or b = 0 included) and throws DomainError for an invalid Λ.
 *
 * @example
 * ```ts
 * import { CLOSED_FORM_DUALS, type DualProvider } from '@holonomic-ntk/ntk';
 * const relu: DualProvider = CLOSED_FORM_DUALS.relu!;
 * relu.sigma(1, 0, 1); // ≈ 0.15915494309189535
 * relu.dsigma(1, 1, 1); // ≈ 0.5
 * relu.sigma(1, 2, 1); // throws DomainError
 * ```
 */
export interface DualProvider {
  /** How it evaluates, in the method vocabulary: 'hgm', 'closed', 'gh:20', 'quad', 'mc:10000'. */
  readonly name: string;
  /** The activation σ, e.g. 'relu'. */
  readonly activation: string;
  /** E[σ(u)σ(v)]. */
  sigma(a: number, c: number, b: number): number;
  /** E[σ̇(u)σ̇(v)]. */
  dsigma(a: number, c: number, b: number): number;
  /**
   * Optional vectorised σ dual: out[i] = sigma(a[i], c[i], b[i]); a provider that estimates its error writes the
   * estimate of every value into `errors` when given (see `withError`).
   */
  sigmaBatch?(a: ArrayLike<number>, c: ArrayLike<number>, b: ArrayLike<number>, out?: Float64Array, errors?: Float64Array): Float64Array;
  /** Optional vectorised σ̇ dual. */
  dsigmaBatch?(a: ArrayLike<number>, c: ArrayLike<number>, b: ArrayLike<number>, out?: Float64Array, errors?: Float64Array): Float64Array;
  /**
   * Optional: one value with an estimate of its absolute error and the route that produced it (the HGM provider:
   * hgm-runtime's `dualActivationWithError`; its batches fill `errors`).
   */
  withError?(kind: DualKind, a: number, c: number, b: number): { value: number; error: number; route: string };
}

/**
 * An activation as plain functions, for the numerical providers. Structurally the same as core's
 * `BuiltinActivation`, so `ACTIVATIONS.relu` can be passed directly. `kinks`/`support` matter only to the
 * adaptive quadrature (pieces end at kinks).
 *
 * @example
 * ```ts
 * import { gaussHermiteDual, type ActivationFunctions } from '@holonomic-ntk/ntk';
 * const square: ActivationFunctions = { name: 'square', sigma: { sigma: (u) => u * u, kinks: [] }, dsigma: { sigma: (u) => 2 * u, kinks: [] } };
 * gaussHermiteDual(square, 10).sigma(1, 0, 1); // ≈ 1
 * gaussHermiteDual(square, 10).dsigma(1, 1, 1); // ≈ 4
 * ```
 */
export interface ActivationFunctions {
  readonly name: string;
  readonly sigma: SigmaSpec;
  readonly dsigma?: SigmaSpec;
}

/** Evaluate one kind through a provider (helper for code that is generic in the kind). */
export function evaluateDual(p: DualProvider, kind: DualKind, a: number, c: number, b: number): number {
  return kind === 'sigma' ? p.sigma(a, c, b) : p.dsigma(a, c, b);
}
