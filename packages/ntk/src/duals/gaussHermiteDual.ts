/**
 * The Gauss–Hermite baseline of [ST24] as a dual provider, on core's one product rule (gaussHermiteExpectation).
 */
import { DomainError, type SigmaSpec, gaussHermiteExpectation, gaussHermiteNormalRule } from '@holonomic-ntk/core';
import type { ActivationFunctions, DualProvider } from './dualProvider.ts';

/**
 * A DualProvider by the n-point (n² evaluations) Gauss–Hermite product rule ([ST24]'s baseline); 1 ≤ n ≤ 700.
 * Kinks limit its accuracy (relu at n = 20: ~2e-3).
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * import { gaussHermiteDual, reluDual } from '@holonomic-ntk/ntk';
 * const gh = gaussHermiteDual(ACTIVATIONS.relu, 20);
 * gh.name; // → 'gh:20'
 * gh.sigma(1, 0.3, 1); // ≈ 0.2434 ± 1e-3
 * Math.abs(gh.sigma(1, 0.3, 1) - reluDual.sigma(1, 0.3, 1)) < 1e-2; // → true
 * ```
 */
export function gaussHermiteDual(act: ActivationFunctions, n: number): DualProvider {
  const f = act.sigma.sigma;
  const df: SigmaSpec['sigma'] | undefined = act.dsigma?.sigma;
  gaussHermiteNormalRule(n); // validate n and warm the cache
  const batch =
    (fn: (u: number) => number) =>
    (a: ArrayLike<number>, c: ArrayLike<number>, b: ArrayLike<number>, out = new Float64Array(a.length)): Float64Array => {
      for (let i = 0; i < a.length; i++) out[i] = gaussHermiteExpectation(fn, fn, a[i]!, c[i]!, b[i]!, n);
      return out;
    };
  const noDerivative = () => {
    throw new DomainError(`${act.name} has no derivative as a function (σ̇ is a distribution)`);
  };
  return {
    name: `gh:${n}`,
    activation: act.name,
    sigma: (a, c, b) => gaussHermiteExpectation(f, f, a, c, b, n),
    dsigma: (a, c, b) => (df ? gaussHermiteExpectation(df, df, a, c, b, n) : noDerivative()),
    sigmaBatch: batch(f),
    ...(df ? { dsigmaBatch: batch(df) } : {}),
  };
}
