/** Seeded PRNG (core's mulberry32) so every benchmark run measures the same inputs. */
export { mulberry32 as rng } from '@holonomic-ntk/core';

/** A random bigint with exactly `bits` bits (top bit set). */
export function randomBits(r: () => number, bits: number): bigint {
  let v = 1n;
  for (let i = 1; i < bits; i++) v = (v << 1n) | (r() < 0.5 ? 1n : 0n);
  return v;
}
