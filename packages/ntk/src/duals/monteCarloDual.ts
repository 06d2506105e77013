/**
 * Plain Monte Carlo for E[f(u)g(v)] with a seeded generator (mulberry32 + Box–Muller), for sanity baselines.
 * Every call restarts the generator from the seed, so results are reproducible and independent of call order.
 */
import { DomainError, mulberry32 } from '@holonomic-ntk/core';
import { choleskyFactor, covariance } from '@holonomic-ntk/core';
import type { ActivationFunctions, DualKind, DualProvider } from './dualProvider.ts';

/**
 * A Monte Carlo estimate and its standard error (sample standard deviation / √samples).
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * import { monteCarloDual, type MonteCarloEstimate } from '@holonomic-ntk/ntk';
 * const e: MonteCarloEstimate = monteCarloDual(ACTIVATIONS.relu, { samples: 10_000 }).estimate('sigma', 1, 0, 1);
 * e.samples; // → 10000
 * Math.abs(e.mean - 1 / (2 * Math.PI)) < 5 * e.stdError; // → true
 * ```
 */
export interface MonteCarloEstimate {
  mean: number;
  stdError: number;
  samples: number;
}

/**
 * Monte Carlo estimate of E[f(u)g(v)], (u, v) ~ N(0, [[a, c], [c, b]]).
 *
 * For example `monteCarloExpectation((u) => u, (v) => v, 1, 0.5, 1, 1e5, 7).mean` gives ≈ 0.5 ± 0.004.
 */
export function monteCarloExpectation(
  f: (u: number) => number,
  g: (v: number) => number,
  a: number,
  c: number,
  b: number,
  samples: number,
  seed: number,
): MonteCarloEstimate {
  if (!Number.isInteger(samples) || samples < 2) throw new RangeError(`samples must be an integer ≥ 2, got ${samples}`);
  const cov = covariance(a, c, b);
  const rand = mulberry32(seed);
  const { l11, l21, l22 } = choleskyFactor(cov);
  let mean = 0;
  let m2 = 0; // Welford: numerically stable running variance
  for (let k = 1; k <= samples; k++) {
    const r = Math.sqrt(-2 * Math.log(1 - rand()));
    const phi = 2 * Math.PI * rand();
    const z1 = r * Math.cos(phi);
    const z2 = r * Math.sin(phi);
    const x = f(l11 * z1) * g(l21 * z1 + l22 * z2);
    const d = x - mean;
    mean += d / k;
    m2 += d * (x - mean);
  }
  return { mean, stdError: Math.sqrt(m2 / (samples - 1) / samples), samples };
}

/**
 * A Monte Carlo DualProvider; `estimate` also returns the standard error.
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * import { monteCarloDual, type MonteCarloDual } from '@holonomic-ntk/ntk';
 * const mc: MonteCarloDual = monteCarloDual(ACTIVATIONS.erf, { samples: 1000, seed: 3 });
 * mc.sigma(1, 0.5, 1) === mc.estimate('sigma', 1, 0.5, 1).mean; // → true
 * ```
 */
export interface MonteCarloDual extends DualProvider {
  estimate(kind: DualKind, a: number, c: number, b: number): MonteCarloEstimate;
}

/**
 * Monte Carlo dual with `samples` draws per value (default 100 000) and a fixed seed (default 1): every call
 * restarts the generator, so values are reproducible. A sanity baseline, not a method for kernels.
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * import { monteCarloDual } from '@holonomic-ntk/ntk';
 * const mc = monteCarloDual(ACTIVATIONS.relu, { samples: 10_000 });
 * mc.name; // → 'mc:10000'
 * mc.sigma(1, 0, 1); // ≈ 0.159 ± 0.01
 * mc.sigma(1, 0, 1) === mc.sigma(1, 0, 1); // → true
 * ```
 */
export function monteCarloDual(act: ActivationFunctions, options: { samples?: number; seed?: number } = {}): MonteCarloDual {
  const samples = options.samples ?? 100_000;
  const seed = options.seed ?? 1;
  const estimate = (kind: DualKind, a: number, c: number, b: number): MonteCarloEstimate => {
    const spec = kind === 'sigma' ? act.sigma : act.dsigma;
    if (!spec) throw new DomainError(`${act.name} has no derivative as a function (σ̇ is a distribution)`);
    return monteCarloExpectation(spec.sigma, spec.sigma, a, c, b, samples, seed);
  };
  return {
    name: `mc:${samples}`,
    activation: act.name,
    estimate,
    sigma: (a, c, b) => estimate('sigma', a, c, b).mean,
    dsigma: (a, c, b) => estimate('dsigma', a, c, b).mean,
  };
}
