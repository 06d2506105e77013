/**
 * The finite networks of the architecture layers: backpropagation (vjp) against finite differences, and the
 * empirical NTK of one random draw approaching the analytic NTK as the widths grow (relative Frobenius error, mean of
 * 3 seeds, decreasing over 4 widths) for a CNN with global average pooling, a 1-D residual network with layer norm
 * and pooling, and a fully connected net with a channel concatenation. Small images keep it fast.
 */
import { describe, expect, it } from 'vitest';
import {
  activation,
  avgPool,
  conv,
  dense,
  empiricalNtk,
  fanInConcat,
  fanInSum,
  fanOut,
  flatten,
  globalAvgPool,
  identity,
  layerNorm,
  parallel,
  randomNetwork,
  serial,
  type Layer,
  type Network,
  type Params,
} from '../src/index.ts';
import { normals } from './helpers.ts';

function inputs(n: number, size: number, seed: number): number[][] {
  const z = normals(seed);
  return Array.from({ length: n }, () => Array.from({ length: size }, () => z()));
}

function frobeniusRel(a: Float64Array, b: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

const SEEDS = [1, 2, 3];

function convergence(make: (width: number) => Network, widths: number[], xs: number[][], shape: number[]): number[] {
  const analytic = make(widths[0]!).kernelFn(xs, null, 'ntk', { shape });
  return widths.map((w) => {
    const net = make(w);
    // Same analytic kernel whatever the width ('ntk' parameterization; concat weights are ratios of widths).
    const errs = SEEDS.map((seed) => frobeniusRel(empiricalNtk(net, xs, { seed, shape }).data, analytic.data));
    return errs.reduce((s, e) => s + e, 0) / errs.length;
  });
}

describe('backpropagation of the finite layers = finite differences', () => {
  it('a net with every layer kind: input and parameter gradients to 1e-6', () => {
    const net: Layer = serial(
      conv(3, [2, 2], { padding: 'SAME', bStd: 0.2 }),
      fanOut(2),
      parallel(identity(), serial(activation('gelu'), conv(3, [3, 3], { padding: 'CIRCULAR', strides: [1, 1] }))),
      fanInSum(),
      layerNorm(),
      activation('erf'),
      avgPool([2, 2], { strides: [2, 2], padding: 'SAME', normalizeEdges: true }),
      fanOut(2),
      parallel(conv(2, [1, 1]), conv(4, [1, 1], { wStd: 1.5 })),
      fanInConcat(),
      activation('leakyrelu:0.2'),
      flatten(),
      dense({ bStd: 0.3 }),
    );
    const shape = [3, 4, 2];
    const f = randomNetwork(net, shape, 11);
    const x = Float64Array.from(inputs(1, 24, 12)[0]!);
    const { gx, gparams } = net.vjp!(f.params, x, Float64Array.of(1));
    const h = 1e-6;
    for (const t of [0, 5, 13, 23]) {
      const xp = Float64Array.from(x);
      const xm = Float64Array.from(x);
      xp[t]! += h;
      xm[t]! -= h;
      const fd = (f.apply(xp)[0]! - f.apply(xm)[0]!) / (2 * h);
      expect(Math.abs(fd - (gx as Float64Array)[t]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
    }
    // Parameters: perturb a few entries of every array in place.
    const arrays: [Float64Array, Float64Array][] = [];
    const walk = (p: Params, g: Params) => p.forEach((e, i) => (e instanceof Float64Array ? arrays.push([e, g[i] as Float64Array]) : walk(e, g[i] as Params)));
    walk(f.params, gparams);
    expect(arrays.length).toBeGreaterThan(6);
    for (const [p, g] of arrays) {
      for (const t of [0, p.length - 1]) {
        if (p.length === 0) continue;
        const v = p[t]!;
        p[t] = v + h;
        const up = f.apply(x)[0]!;
        p[t] = v - h;
        const down = f.apply(x)[0]!;
        p[t] = v;
        const fd = (up - down) / (2 * h);
        expect(Math.abs(fd - g[t]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
      }
    }
  });
});

describe('the empirical NTK approaches the analytic NTK as the width grows', () => {
  it('CNN + global average pooling (2 SAME convs, relu), 3 images of 4×4', () => {
    const make = (c: number) =>
      serial(
        conv(c, [3, 3], { padding: 'SAME', wStd: 1.4, bStd: 0.1 }),
        activation('relu'),
        conv(c, [3, 3], { padding: 'SAME', wStd: 1.4, bStd: 0.1 }),
        activation('relu'),
        globalAvgPool(),
        dense({ wStd: 1.4 }),
      );
    const errs = convergence(make, [8, 32, 128, 512], inputs(3, 16, 21), [4, 4, 1]);
    for (let i = 1; i < errs.length; i++) expect(errs[i]!).toBeLessThan(errs[i - 1]!);
    expect(errs[3]!).toBeLessThan(0.1);
  });
  it('1-D residual net: conv → [identity, erf → conv] → sum → layerNorm → relu → avgPool → flatten → dense', () => {
    const make = (c: number) =>
      serial(
        conv(c, [3], { padding: 'CIRCULAR', wStd: 1.3 }),
        fanOut(2),
        parallel(identity(), serial(activation('erf'), conv(c, [3], { padding: 'SAME', wStd: 1.3 }))),
        fanInSum(),
        layerNorm(),
        activation('relu'),
        avgPool([2], { strides: [2] }),
        flatten(),
        dense(),
      );
    const errs = convergence(make, [8, 32, 128, 512], inputs(3, 6 * 2, 22), [6, 2]);
    for (let i = 1; i < errs.length; i++) expect(errs[i]!).toBeLessThan(errs[i - 1]!);
    expect(errs[3]!).toBeLessThan(0.1);
  });
  it('fully connected with a channel concatenation of two branches of widths n and 3n', () => {
    const make = (n: number) =>
      serial(
        dense({ width: n, bStd: 0.2 }),
        fanOut(2),
        parallel(serial(activation('abs'), dense({ width: n })), serial(activation('relu'), dense({ width: 3 * n, wStd: 1.5 }))),
        fanInConcat(),
        activation('erf'),
        dense(),
      );
    const errs = convergence(make, [8, 32, 128, 512], inputs(4, 5, 23), [5]);
    for (let i = 1; i < errs.length; i++) expect(errs[i]!).toBeLessThan(errs[i - 1]!);
    expect(errs[3]!).toBeLessThan(0.1);
  });
});
