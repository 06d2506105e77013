/**
 * A seeded PRNG for reproducible tests, benchmarks and Monte Carlo baselines (one copy for the workspace:
 * @holonomic-ntk/ntk imports it from here).
 */

/**
 * Deterministic uniform generator on [0, 1) (mulberry32, 32-bit state).
 *
 * @example
 * ```ts
 * import { mulberry32 } from '@holonomic-ntk/core';
 * const next = mulberry32(1);
 * next(); // → 0.6270739405881613
 * next(); // → 0.002735721180215478
 * ```
 */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
