/** Seeded PRNG (mulberry32) so every benchmark run measures the same inputs. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random bigint with exactly `bits` bits (top bit set). */
export function randomBits(r: () => number, bits: number): bigint {
  let v = 1n;
  for (let i = 1; i < bits; i++) v = (v << 1n) | (r() < 0.5 ? 1n : 0n);
  return v;
}
