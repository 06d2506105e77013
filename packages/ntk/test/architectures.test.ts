/**
 * Convolutional, pooled, residual and normalised architectures: every layer's kernel rule against the independent
 * reference of ./archReference.ts (small shapes, 1e-12 relative), the diagonal-in-space state against the full one,
 * SAME padding edge cases, residual and parallel blocks against hand-derived sums, and every dual provider under the
 * new layers, one batch per layer.
 */
import { describe, expect, it } from 'vitest';
import {
  activation,
  avgPool,
  conv,
  dense,
  dualProvider,
  erfDual,
  fanInConcat,
  fanInSum,
  fanOut,
  flatten,
  globalAvgPool,
  identity,
  layerNorm,
  parallel,
  reluDual,
  serial,
  type DualProvider,
  type Layer,
  type Matrix,
} from '../src/index.ts';
import {
  type RefConv,
  type RefKernel,
  refActivation,
  refAvgPool,
  refConv,
  refDense,
  refFlat,
  refInput,
  refLayerNorm,
  refReadout,
  refSum,
} from './archReference.ts';
import { normals } from './helpers.ts';

function images(n: number, size: number, seed: number): number[][] {
  const z = normals(seed);
  return Array.from({ length: n }, () => Array.from({ length: size }, () => z()));
}

/** Max relative error of a library matrix against a reference (nested rows), relative to the largest |entry|. */
function relErr(m: Matrix, ref: number[][]): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) {
      err = Math.max(err, Math.abs(m.data[i * m.cols + j]! - ref[i]![j]!));
      scale = Math.max(scale, Math.abs(ref[i]![j]!));
    }
  }
  return err / scale;
}

/** Library layers and the matching reference steps, built side by side. */
type Step = [Layer, (k: RefKernel) => RefKernel];
const convStep = (c: RefConv & { wStd: number; bStd: number }): Step => [
  conv(c.channels, c.filter, {
    strides: c.strides,
    padding: c.padding,
    wStd: c.wStd,
    bStd: c.bStd,
    ...(c.standard ? { parameterization: 'standard' as const } : {}),
  }),
  (k) => refConv(k, c),
];
const conv2 = (channels: number, filter: number[], strides: number[], padding: 'VALID' | 'SAME' | 'CIRCULAR', wStd = 1.3, bStd = 0.2): Step =>
  convStep({ channels, filter, strides, padding, w2: wStd * wStd, b2: bStd * bStd, wStd, bStd });
const act = (a: 'relu' | 'erf'): Step => [activation(a), (k) => refActivation(k, a)];

function check(xs: number[][], shape: number[], steps: Step[], readout: 'gap' | 'flatten', tol = 1e-12) {
  const wOut = 1.1;
  const net = serial(...steps.map((s) => s[0]), readout === 'gap' ? globalAvgPool() : flatten(), dense({ wStd: wOut, bStd: 0.1 }));
  let r = refInput(xs, shape);
  for (const s of steps) r = s[1](r);
  const ro = refDense(refFlat(refReadout(r, readout), r.width), wOut * wOut, 0.01);
  const ref = { nngp: ro.nngp.map((row) => row.map((b) => b[0]![0]!)), ntk: ro.ntk.map((row) => row.map((b) => b[0]![0]!)) };
  const got = net.kernels(xs, null, { shape });
  expect(relErr(got.nngp, ref.nngp)).toBeLessThan(tol);
  expect(relErr(got.ntk, ref.ntk)).toBeLessThan(tol);
  // K(x1, x2) with x1 ≠ x2: the rows 0..1 against the rest.
  const cross = net.kernels(xs.slice(0, 2), xs.slice(2), { shape });
  expect(
    relErr(
      cross.ntk,
      ref.ntk.slice(0, 2).map((row) => row.slice(2)),
    ),
  ).toBeLessThan(tol);
  return net;
}

describe('kernel rules against the independent reference (every pixel pair, 1e-12)', () => {
  const xs4 = images(4, 5 * 4 * 2, 1);
  it('2-D conv VALID / SAME / CIRCULAR with strides, relu and erf, GAP and flatten readouts', () => {
    for (const padding of ['VALID', 'SAME', 'CIRCULAR'] as const) {
      check(xs4, [5, 4, 2], [conv2(3, [3, 2], [1, 1], padding), act('relu'), conv2(3, [2, 2], [2, 1], padding), act('erf')], 'gap');
      check(xs4, [5, 4, 2], [conv2(3, [3, 3], [2, 2], padding), act('relu')], 'flatten');
    }
  });
  it('1-D conv with channels and strides; the standard parameterization', () => {
    const xs = images(4, 7 * 3, 2);
    check(xs, [7, 3], [conv2(4, [3], [2], 'SAME'), act('relu'), conv2(4, [2], [1], 'CIRCULAR'), act('relu')], 'gap');
    const std: Step = convStep({
      channels: 5,
      filter: [3],
      strides: [1],
      padding: 'SAME',
      w2: 2,
      b2: 0.09,
      wStd: Math.SQRT2,
      bStd: 0.3,
      standard: true,
      bias: true,
    });
    check(xs, [7, 3], [std, act('relu'), conv2(4, [3], [1], 'VALID')], 'gap');
  });
  it('avgPool VALID / SAME / CIRCULAR, strides, normalizeEdges', () => {
    for (const padding of ['VALID', 'SAME', 'CIRCULAR'] as const) {
      for (const normalizeEdges of [false, true]) {
        const pool: Step = [avgPool([2, 3], { strides: [2, 1], padding, normalizeEdges }), (k) => refAvgPool(k, [2, 3], [2, 1], padding, normalizeEdges)];
        check(xs4, [5, 4, 2], [conv2(3, [2, 2], [1, 1], 'SAME'), act('relu'), pool, conv2(3, [1, 1], [1, 1], 'VALID')], 'gap');
      }
    }
  });
  it('layerNorm over channels and over everything, after a conv', () => {
    for (const axis of ['channel', 'all'] as const) {
      const ln: Step = [layerNorm({ axis, eps: 1e-3 }), (k) => refLayerNorm(k, 1e-3, axis)];
      check(xs4, [5, 4, 2], [conv2(3, [3, 3], [1, 1], 'SAME'), ln, act('relu'), conv2(2, [2, 2], [1, 1], 'VALID'), ln], 'gap');
      check(xs4, [5, 4, 2], [conv2(3, [3, 3], [1, 1], 'SAME'), ln, act('erf')], 'flatten');
    }
    expect(() => serial(conv(2, [1]), activation('relu'), layerNorm(), flatten()).kernelFn([[1, 2]], null, 'nngp', { shape: [2, 1] })).toThrow(/Gaussian/);
  });
  it('a residual conv block (identity + conv(relu(conv))) and a channel concat, against reference sums', () => {
    const xs = images(4, 6 * 2, 3);
    const shape = [6, 2];
    const w = 1.2;
    const net = serial(
      conv(3, [3], { padding: 'SAME', wStd: w }),
      fanOut(2),
      parallel(identity(), serial(activation('relu'), conv(3, [3], { padding: 'CIRCULAR', wStd: w }))),
      fanInSum(),
      activation('relu'),
      globalAvgPool(),
      dense(),
    );
    const c = (padding: 'SAME' | 'CIRCULAR'): RefConv => ({ channels: 3, filter: [3], strides: [1], padding, w2: w * w, b2: 0 });
    const k0 = refConv(refInput(xs, shape), c('SAME'));
    const k1 = refActivation(refSum(k0, refConv(refActivation(k0, 'relu'), c('CIRCULAR'))), 'relu');
    const ref = refDense(refFlat(refReadout(k1, 'gap'), 3), 1, 0);
    const got = net.kernels(xs, null, { shape });
    expect(
      relErr(
        got.nngp,
        ref.nngp.map((r) => r.map((b) => b[0]![0]!)),
      ),
    ).toBeLessThan(1e-12);
    expect(
      relErr(
        got.ntk,
        ref.ntk.map((r) => r.map((b) => b[0]![0]!)),
      ),
    ).toBeLessThan(1e-12);
  });
});

describe('the diagonal-in-space state (a network without pooling) equals the full one', () => {
  it('conv → relu → conv → erf → flatten: diagonal (automatic) = full (forced by a trailing pool of window 1)', () => {
    const xs = images(3, 6 * 5 * 1, 4);
    const body = [
      conv(4, [3, 3], { padding: 'SAME', wStd: 1.4, bStd: 0.1 }),
      activation('relu'),
      conv(4, [2, 2], { strides: [2, 2], padding: 'VALID', wStd: 1.4 }),
      activation('erf'),
    ];
    const diag = serial(...body, flatten(), dense());
    const full = serial(...body, avgPool([1, 1]), flatten(), dense());
    expect(diag.kernelState(xs, null, true, { shape: [6, 5, 1] }).diagonalSpatial).toBe(false); // flat at the end
    const a = diag.kernels(xs, null, { shape: [6, 5, 1] });
    const b = full.kernels(xs, null, { shape: [6, 5, 1] });
    for (let t = 0; t < a.ntk.data.length; t++) {
      expect(Math.abs(a.ntk.data[t]! - b.ntk.data[t]!)).toBeLessThan(1e-13 * Math.abs(b.ntk.data[t]!));
      expect(Math.abs(a.nngp.data[t]! - b.nngp.data[t]!)).toBeLessThan(1e-13 * Math.abs(b.nngp.data[t]!));
    }
    // The decision: flatten needs only same-pixel pairs, pooling every pair.
    expect(diag.needsFull(false)).toBe(false);
    expect(full.needsFull(false)).toBe(true);
  });
  it('blocks of inputs give the one-block kernel (closed form: bitwise)', () => {
    const xs = images(7, 4 * 4, 5);
    const net = serial(conv(2, [3, 3], { padding: 'SAME' }), activation('relu'), globalAvgPool(), dense());
    const one = net.kernels(xs, null, { shape: [4, 4, 1] });
    const blocks = net.kernels(xs, null, { shape: [4, 4, 1], blockEntries: 4 * 256 });
    expect(blocks.ntk.data).toEqual(one.ntk.data);
    expect(blocks.nngp.data).toEqual(one.nngp.data);
    const cross = net.kernels(xs.slice(0, 3), xs, { shape: [4, 4, 1], blockEntries: 256 });
    // K(x1, x2) pools the block of (i, j) itself where K(X, X) mirrors (j, i): equal to rounding.
    for (let i = 0; i < 3; i++) for (let j = 0; j < 7; j++) expect(Math.abs(cross.ntk.data[i * 7 + j]! - one.ntk.data[i * 7 + j]!)).toBeLessThan(1e-15);
  });
});

describe('SAME padding edge cases (1-D, one channel, x = e_t: K(p, q) = [p = q = t])', () => {
  /** nngp of conv(filter, stride, SAME) then every pixel pair as a matrix, for the input e_t of length L. */
  const convPairs = (L: number, f: number, s: number, t: number) => {
    const x = Array.from({ length: L }, (_, i) => (i === t ? 1 : 0));
    const k = serial(conv(1, [f], { strides: [s], padding: 'SAME' })).kernelState([x], null, false, { shape: [L, 1] });
    const Q = k.shape![0]!;
    return { shape: k.shape, diag: Array.from({ length: Q }, (_, o) => k.nngp[k.diagonalSpatial ? o : o * Q + o]!) };
  };
  it('even filter: the extra padding pixel goes after the input (L = 4, f = 2: output o sees o, o + 1)', () => {
    // e_3 is seen by outputs 2 (offset 1) and 3 (offset 0; offset 1 is padding): 1/2 each.
    expect(convPairs(4, 2, 1, 3)).toEqual({ shape: [4], diag: [0, 0, 0.5, 0.5] });
    expect(convPairs(4, 2, 1, 0)).toEqual({ shape: [4], diag: [0.5, 0, 0, 0] });
  });
  it('filter larger than the input (L = 2, f = 5): one padded window per output', () => {
    // lo = 2: output 0 sees −2..2 (both pixels), output 1 sees −1..3 (both pixels).
    expect(convPairs(2, 5, 1, 1)).toEqual({ shape: [2], diag: [0.2, 0.2] });
  });
  it('stride 2 with an odd total padding (L = 5, f = 4): out 3, lo = 1', () => {
    // outputs see pixels −1..2, 1..4, 3..6.
    expect(convPairs(5, 4, 2, 0)).toEqual({ shape: [3], diag: [0.25, 0, 0] });
    expect(convPairs(5, 4, 2, 3)).toEqual({ shape: [3], diag: [0, 0.25, 0.25] });
    expect(convPairs(5, 4, 2, 4)).toEqual({ shape: [3], diag: [0, 0.25, 0.25] });
  });
  it('the finite conv pads the same way (filter of ones: sums of the window)', () => {
    const layer = conv(1, [4], { strides: [2], padding: 'SAME', wStd: 2 }); // σw/√4 = 1
    const { params } = layer.init!(() => 1, [5, 1]);
    const y = layer.apply!([params[0]!, params[1]!], Float64Array.of(1, 2, 3, 4, 5));
    expect(Array.from(y as Float64Array)).toEqual([1 + 2 + 3, 2 + 3 + 4 + 5, 4 + 5]);
  });
});

describe('residual and parallel blocks against hand-derived sums (flat inputs)', () => {
  const x = [
    [1, 0.5, -0.3],
    [0.2, -1, 0.8],
  ];
  const dot = (u: number[], v: number[]) => u.reduce((s, t, i) => s + t * v[i]!, 0) / 3;
  const K0 = x.map((u) => x.map((v) => dot(u, v)));
  it('dense(a) → [identity, relu → dense(b)] → sum → relu → dense', () => {
    const a = 1.5;
    const b = 0.8;
    const net = serial(
      dense({ wStd: a }),
      fanOut(2),
      parallel(identity(), serial(activation('relu'), dense({ wStd: b }))),
      fanInSum(),
      activation('relu'),
      dense(),
    );
    const got = net.kernels(x);
    const S = K0.map((r) => r.map((v) => a * a * v));
    const T = S; // Θ after the first dense ('ntk'): nngp′ + σw²·0
    const ent = (M: number[][], i: number, j: number) => [M[i]![i]!, M[i]![j]!, M[j]![j]!] as const;
    const S1 = S.map((r, i) => r.map((v, j) => v + b * b * reluDual.sigma(...ent(S, i, j))));
    const T1 = S.map((r, i) => r.map((_, j) => T[i]![j]! + (b * b * reluDual.sigma(...ent(S, i, j)) + b * b * T[i]![j]! * reluDual.dsigma(...ent(S, i, j)))));
    const S2 = S1.map((r, i) => r.map((_, j) => reluDual.sigma(...ent(S1, i, j))));
    const T2 = S1.map((r, i) => r.map((_, j) => S2[i]![j]! + T1[i]![j]! * reluDual.dsigma(...ent(S1, i, j))));
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        expect(got.nngp.data[i * 2 + j]).toBeCloseTo(S2[i]![j]!, 13);
        expect(got.ntk.data[i * 2 + j]).toBeCloseTo(T2[i]![j]!, 13);
      }
    }
  });
  it('parallel widths 2 and 6 concatenated: K = (2·K_a + 6·K_b)/8, the NTK likewise', () => {
    const net = serial(
      fanOut(2),
      parallel(dense({ width: 2, wStd: 1 }), serial(dense({ width: 4 }), activation('erf'), dense({ width: 6, wStd: 2 }))),
      fanInConcat(),
    );
    const got = net.kernels(x);
    const e = (i: number, j: number) => [K0[i]![i]!, K0[i]![j]!, K0[j]![j]!] as const;
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        const nb = 4 * erfDual.sigma(...e(i, j));
        const tb = nb + 4 * K0[i]![j]! * erfDual.dsigma(...e(i, j));
        expect(got.nngp.data[i * 2 + j]).toBeCloseTo((2 * K0[i]![j]! + 6 * nb) / 8, 14);
        expect(got.ntk.data[i * 2 + j]).toBeCloseTo((2 * K0[i]![j]! + 6 * tb) / 8, 14);
      }
    }
  });
  it('fanInSum refuses a non-Gaussian branch pair, parallel a wrong branch count', () => {
    expect(() => serial(activation('relu'), fanOut(2), fanInSum()).kernelFn(x, null, 'nngp')).toThrow(/Gaussian/);
    expect(() => serial(fanOut(3), parallel(identity(), identity())).kernelStates(x, null, false)).toThrow(/2 branches/);
  });
});

/** A provider that counts its batch calls. */
function counting(p: DualProvider): DualProvider & { calls: number[] } {
  const calls: number[] = [];
  return {
    name: p.name,
    activation: p.activation,
    sigma: p.sigma,
    dsigma: p.dsigma,
    calls,
    sigmaBatch(a, c, b) {
      calls.push(a.length);
      return p.sigmaBatch ? p.sigmaBatch(a, c, b) : Float64Array.from({ length: a.length }, (_, i) => p.sigma(a[i]!, c[i]!, b[i]!));
    },
    dsigmaBatch(a, c, b) {
      calls.push(a.length);
      return p.dsigmaBatch ? p.dsigmaBatch(a, c, b) : Float64Array.from({ length: a.length }, (_, i) => p.dsigma(a[i]!, c[i]!, b[i]!));
    },
  };
}

describe('every dual provider under the convolutional layers', () => {
  const xs = images(3, 4 * 4, 6);
  const shape = [4, 4, 1];
  const xsSmall = images(2, 3 * 3, 7);
  const shapeSmall = [3, 3, 1];
  const cnn = (p: DualProvider) =>
    serial(
      conv(3, [3, 3], { padding: 'SAME', wStd: 1.4, bStd: 0.1 }),
      activation(p),
      conv(3, [3, 3], { padding: 'SAME', wStd: 1.4, bStd: 0.1 }),
      activation(p),
      globalAvgPool(),
      dense(),
    );
  it('relu: the HGM (all at once and per entry) = the closed form to 1e-10; one batch per layer and kind', () => {
    const ref = cnn(reluDual).kernels(xs, null, { shape });
    const hgm = counting(dualProvider('relu', 'hgm'));
    const got = cnn(hgm).kernels(xs, null, { shape });
    expect(hgm.calls.length).toBe(4); // 2 layers × (σ, σ̇)
    // 3 inputs: 3 pairs i < j × 256 pixel pairs + 3 inputs × 120 pixel pairs within one input (σ over all of them).
    expect(hgm.calls[0]).toBe(3 * 256 + 3 * 120);
    const per = cnn(dualProvider('relu', 'hgm', undefined, true)).kernels(xs, null, { shape });
    for (const k of [got, per]) {
      for (let t = 0; t < 9; t++) {
        expect(Math.abs(k.ntk.data[t]! - ref.ntk.data[t]!)).toBeLessThan(1e-10 * ref.ntk.data[t]!);
        expect(Math.abs(k.nngp.data[t]! - ref.nngp.data[t]!)).toBeLessThan(1e-10 * ref.nngp.data[t]!);
      }
    }
  });
  it('entries at ρ = 1 that repeat (blank pixels: only the bias) go to the provider once; values unchanged', () => {
    // 4×4 images with a blank 2-pixel border band: many pixel pairs have identical (a, c, b) with ρ = 1.
    const blank = images(3, 16, 8).map((x) => x.map((v, i) => (i % 4 < 2 ? 0 : v)));
    const hgm = counting(dualProvider('relu', 'hgm'));
    const net = (p: DualProvider) =>
      serial(conv(2, [1, 1], { bStd: 0.5 }), activation(p), conv(2, [2, 2], { padding: 'SAME', bStd: 0.5 }), activation(p), globalAvgPool(), dense());
    const got = net(hgm).kernels(blank, null, { shape });
    expect(hgm.calls[0]).toBeLessThan(3 * 256 + 3 * 120);
    const ref = net(reluDual).kernels(blank, null, { shape });
    // 1e-9, not 1e-10: second-layer pixel pairs sit at 1 − ρ ≈ 5e-13, where relu's σ̇ dual (π − arccos ρ)/(2π) has
    // slope 1/(2π·√(2(1 − ρ))) ≈ 1.7e5 in ρ, so a 1-ulp difference of the first layer's σ values (HGM against the
    // closed form, both accurate to 2e-16) moves the NTK by ~1.4e-10 relative (measured) without any value being off.
    for (let t = 0; t < 9; t++) expect(Math.abs(got.ntk.data[t]! - ref.ntk.data[t]!)).toBeLessThan(1e-9 * ref.ntk.data[t]!);
    for (let t = 0; t < 9; t++) expect(Math.abs(got.nngp.data[t]! - ref.nngp.data[t]!)).toBeLessThan(1e-13 * ref.nngp.data[t]!);
  });
  it('resin: HGM = adaptive quadrature to 1e-9; Gauss–Hermite 20, the Hermite series and Monte Carlo near them', () => {
    // Small (2 images of 3×3: 153 entries per layer): quadrature and Monte Carlo are slow per entry.
    const q = cnn(dualProvider('resin', 'quad')).kernels(xsSmall, null, { shape: shapeSmall });
    const errs: Record<string, number> = {};
    for (const m of ['hgm', 'gh:20', 'hermite', 'mc:4000'] as const) {
      const k = cnn(dualProvider('resin', m)).kernels(xsSmall, null, { shape: shapeSmall });
      errs[m] = Math.max(...Array.from(k.ntk.data, (v, t) => Math.abs(v - q.ntk.data[t]!) / q.ntk.data[t]!));
    }
    expect(errs['hgm']).toBeLessThan(1e-9);
    expect(errs['hermite']).toBeLessThan(1e-8);
    expect(errs['gh:20']).toBeLessThan(5e-2);
    expect(errs['mc:4000']).toBeLessThan(1e-1);
  });
});
