import { ACTIVATIONS } from '@holonomic-ntk/core';
import { describe, expect, it } from 'vitest';
import { artifactFunctions, builtinArtifact, dualActivationBatch } from '../src/index.ts';

/** `onProgress` of dualActivationBatch: what a progress bar needs (counts rise to the total, which is reached). */
describe('batch progress', () => {
  const items = (n: number) =>
    Array.from({ length: n }, (_, i) => {
      const [a, b] = [
        [1, 2],
        [0.5, 0.5],
        [3, 1],
      ][i % 3]!;
      const rho = -0.9 + (1.8 * i) / (n - 1);
      return { a: a!, b: b!, c: rho * Math.sqrt(a! * b!) };
    });

  it('one system: counts rise to the item count, values unchanged by the callback', () => {
    const seen: [number, number][] = [];
    const xs = items(60);
    const v = dualActivationBatch(builtinArtifact('relu'), ACTIVATIONS.relu, xs, { onProgress: (d, t) => seen.push([d, t]) });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every(([, t]) => t === 60)).toBe(true);
    expect(seen.every(([d], i) => i === 0 || d > seen[i - 1]![0])).toBe(true);
    expect(seen[seen.length - 1]![0]).toBe(60);
    expect(v).toEqual(dualActivationBatch(builtinArtifact('relu'), ACTIVATIONS.relu, xs));
  });

  it('an activation split into pieces: the total counts every pair term', () => {
    const art = builtinArtifact('leaky-relu');
    const seen: number[] = [];
    let total = 0;
    dualActivationBatch(art, artifactFunctions(art), items(9), {
      onProgress: (d, t) => {
        seen.push(d);
        total = t;
      },
    });
    const terms = art.systems.filter((s) => s.integrands[0] === 'sigma').reduce((n, s) => n + (s.pair && s.pair[0] !== s.pair[1] ? 2 : 1), 0);
    expect(total).toBe(9 * terms);
    expect(seen[seen.length - 1]).toBe(total);
  });
});
