/**
 * A seeded PRNG for reproducible tests, benchmarks and Monte Carlo baselines (one copy for the workspace:
 * @holonomic-ntk/ntk imports it from here).
 */

/**
 * Deterministic uniform generator on [0, 1) (mulberry32, 32-bit state).
 *
 * @example const next = mulberry32(1); next(); // same value on every run
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
