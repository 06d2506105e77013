/**
 * Issue 12: an NTK matrix of inputs of R² with varied norms (most pairs have distinct (a, b), many have |ρ| near 1,
 * and some inputs are parallel or opposite, |ρ| = 1 exactly in the first layer) through the HGM's scattered batches,
 * against the same network with the quadrature dual (nested adaptive quadrature, ~1e-13): resin and relu, depth 2,
 * `ntk` parameterization. Every entry is compared, and the HGM's batches must have used the near-boundary routes.
 */
import { ACTIVATIONS } from '@holonomic-ntk/core';
import type { ScatteredStats } from '@holonomic-ntk/hgm-runtime';
import { describe, expect, it } from 'vitest';
import { hgmDual } from '../src/duals/hgmDual.ts';
import { quadratureDual } from '../src/duals/quadratureDual.ts';
import type { DualProvider } from '../src/duals/dualProvider.ts';
import { fullyConnected } from '../src/kernels/stax.ts';
import { randomInputs } from './helpers.ts';

function kernel(p: DualProvider, x: number[][]): Float64Array {
  return Float64Array.from(fullyConnected({ depth: 2, activation: p, wStd: 1.5, bStd: 0.1, parameterization: 'ntk' }).kernelFn(x, null, 'ntk').data);
}

/** 14 inputs of R², norms spread over [0.5, 2], plus a parallel and an opposite copy of the first one. */
function inputs(): number[][] {
  const x = randomInputs(14, 2, 1212).map((v, i) => {
    const r = Math.hypot(...v);
    const norm = 0.5 + 1.5 * ((i * 0.6180339887498949) % 1);
    return v.map((t) => (t / r) * norm);
  });
  x.push(
    x[0]!.map((t) => 1.7 * t),
    x[0]!.map((t) => -0.6 * t),
  );
  return x;
}

describe('NTK in R² with varied norms: HGM scattered batches against the quadrature kernel', () => {
  for (const act of ['resin', 'relu'] as const) {
    it(`${act}, depth 2: every entry within 1e-12 relative`, () => {
      const x = inputs();
      const stats: ScatteredStats[] = [];
      const base = hgmDual(act);
      // Every batch through the scattered route (136 pairs are above its 64-group threshold only in the first
      // layer's distinct (a, b); 'always' makes every layer use it), recording what it did.
      const p: DualProvider = {
        ...base,
        sigmaBatch: (a, c, b, out, err) => {
          const s = {} as ScatteredStats;
          const r = hgmDual(act, { runtime: { scatteredStats: s, scattered: 'always' } }).sigmaBatch!(a, c, b, out, err);
          stats.push(s);
          return r;
        },
        dsigmaBatch: (a, c, b, out, err) => {
          const s = {} as ScatteredStats;
          const r = hgmDual(act, { runtime: { scatteredStats: s, scattered: 'always' } }).dsigmaBatch!(a, c, b, out, err);
          stats.push(s);
          return r;
        },
      };
      const K = kernel(p, x);
      const Q = kernel(quadratureDual(ACTIVATIONS[act]), x);
      let worst = 0;
      for (let i = 0; i < K.length; i++) worst = Math.max(worst, Math.abs(K[i]! - Q[i]!) / Math.abs(Q[i]!));
      console.info(`${act}: worst ${worst.toExponential(2)}; batches ${JSON.stringify(stats)}`);
      expect(stats.length).toBeGreaterThan(0);
      // The near-boundary routes (band grid or per-item polar rule) served items, and almost nothing went direct.
      expect(stats.some((s) => (s.band ?? 0) + (s.polar ?? 0) > 0)).toBe(true);
      expect(worst).toBeLessThanOrEqual(1e-12);
    });
  }
});
