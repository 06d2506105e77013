/**
 * An independent reference for the architecture kernels, written for the tests from the published formulas
 * (neural-tangents' layer rules as stated in docs/MATH.md §"Architectures") with nested arrays and explicit
 * multi-indices: no code shared with packages/ntk/src/kernels. It computes K(X, X) for all inputs at once, the
 * covariance of one input being its diagonal block, and always over every pixel pair.
 */
import { ERF_DUAL } from '../../../test/support/closedFormDuals.ts';

/** K[i][j][p][q] (pixels p, q flattened row-major) and the NTK, with the spatial shape and channel count. */
export interface RefKernel {
  shape: number[];
  nngp: number[][][][];
  ntk: number[][][][];
  width: number;
}

const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Multi-index of a flat pixel index. */
function unflat(p: number, shape: readonly number[]): number[] {
  const out: number[] = [];
  for (let k = shape.length - 1; k >= 0; k--) {
    out.unshift(p % shape[k]!);
    p = Math.floor(p / shape[k]!);
  }
  return out;
}

function flat(idx: readonly number[], shape: readonly number[]): number {
  return idx.reduce((acc, v, k) => acc * shape[k]! + v, 0);
}

function map4(f: (i: number, j: number, p: number, q: number) => number, n: number, P: number): number[][][][] {
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => Array.from({ length: P }, (_, p) => Array.from({ length: P }, (_, q) => f(i, j, p, q)))),
  );
}

/** Input kernel: Σ_c x_i[p, c]·x_j[q, c]/C, NTK 0. */
export function refInput(xs: number[][], shape: number[]): RefKernel {
  const C = shape[shape.length - 1]!;
  const sp = shape.slice(0, -1);
  const P = prod(sp);
  const n = xs.length;
  const nngp = map4(
    (i, j, p, q) => {
      let s = 0;
      for (let c = 0; c < C; c++) s += xs[i]![p * C + c]! * xs[j]![q * C + c]!;
      return s / C;
    },
    n,
    P,
  );
  return { shape: sp, nngp, ntk: map4(() => 0, n, P), width: C };
}

/** Per-dimension geometry: output size and the low padding (XLA's SAME: the odd pixel of padding goes after). */
export function refGeometry(L: number, f: number, s: number, padding: 'VALID' | 'SAME' | 'CIRCULAR'): { out: number; lo: number } {
  if (padding === 'VALID') return { out: Math.floor((L - f) / s) + 1, lo: 0 };
  const out = Math.ceil(L / s);
  const total = Math.max((out - 1) * s + f - L, 0);
  return { out, lo: Math.floor(total / 2) };
}

/** The input pixel (multi-index) at output o and offset δ, or null for a padded zero. */
function source(o: number[], delta: number[], inShape: number[], f: number[], s: number[], padding: 'VALID' | 'SAME' | 'CIRCULAR'): number[] | null {
  const t: number[] = [];
  for (let k = 0; k < o.length; k++) {
    const { lo } = refGeometry(inShape[k]!, f[k]!, s[k]!, padding);
    let v = o[k]! * s[k]! + delta[k]! - lo;
    const L = inShape[k]!;
    if (v < 0 || v >= L) {
      if (padding !== 'CIRCULAR') return null;
      v = ((v % L) + L) % L;
    }
    t.push(v);
  }
  return t;
}

export interface RefConv {
  filter: number[];
  strides: number[];
  padding: 'VALID' | 'SAME' | 'CIRCULAR';
  w2: number;
  b2: number;
  channels: number;
  standard?: boolean;
  bias?: boolean;
}

/** Conv: 𝒜K(o, o′) = (1/|F|) Σ_δ K(src(o, δ), src(o′, δ)); nngp′ = w2·𝒜nngp + b2, ntk per parameterization. */
export function refConv(K: RefKernel, c: RefConv): RefKernel {
  const outShape = K.shape.map((L, k) => refGeometry(L, c.filter[k]!, c.strides[k]!, c.padding).out);
  const Q = prod(outShape);
  const F = prod(c.filter);
  const n = K.nngp.length;
  const avg = (M: number[][][][], i: number, j: number, o: number, o2: number) => {
    let s = 0;
    for (let d = 0; d < F; d++) {
      const delta = unflat(d, c.filter);
      const a = source(unflat(o, outShape), delta, K.shape, c.filter, c.strides, c.padding);
      const b = source(unflat(o2, outShape), delta, K.shape, c.filter, c.strides, c.padding);
      if (a && b) s += M[i]![j]![flat(a, K.shape)]![flat(b, K.shape)]!;
    }
    return s / F;
  };
  const nngp = map4((i, j, o, o2) => c.w2 * avg(K.nngp, i, j, o, o2) + c.b2, n, Q);
  const ntk = map4(
    (i, j, o, o2) =>
      c.standard
        ? K.width * F * avg(K.nngp, i, j, o, o2) + c.w2 * avg(K.ntk, i, j, o, o2) + (c.bias ? 1 : 0)
        : c.w2 * avg(K.ntk, i, j, o, o2) + nngp[i]![j]![o]![o2]!,
    n,
    Q,
  );
  return { shape: outShape, nngp, ntk, width: c.channels };
}

/** Dense per pixel ('ntk' parameterization). */
export function refDense(K: RefKernel, w2: number, b2: number, width = 1): RefKernel {
  const n = K.nngp.length;
  const P = prod(K.shape);
  const nngp = map4((i, j, p, q) => w2 * K.nngp[i]![j]![p]![q]! + b2, n, P);
  return { shape: K.shape, nngp, ntk: map4((i, j, p, q) => nngp[i]![j]![p]![q]! + w2 * K.ntk[i]![j]![p]![q]!, n, P), width };
}

/** Textbook duals: ReLU by Cho & Saul's arc-cosine formulas (Math.acos), erf by Williams' arcsine formula. */
const DUALS = {
  relu: {
    sigma: (a: number, b: number, c: number) => {
      const rho = Math.min(1, Math.max(-1, c / Math.sqrt(a * b)));
      const th = Math.acos(rho);
      return (Math.sqrt(a * b) * (Math.sin(th) + (Math.PI - th) * Math.cos(th))) / (2 * Math.PI);
    },
    dsigma: (a: number, b: number, c: number) => (Math.PI - Math.acos(Math.min(1, Math.max(-1, c / Math.sqrt(a * b))))) / (2 * Math.PI),
  },
  erf: ERF_DUAL,
};

/** Activation: (a, b) are the variances of pixel p of input i and pixel q of input j (diagonal blocks). */
export function refActivation(K: RefKernel, act: 'relu' | 'erf'): RefKernel {
  const n = K.nngp.length;
  const P = prod(K.shape);
  const d = DUALS[act];
  const args = (i: number, j: number, p: number, q: number): [number, number, number] => [
    K.nngp[i]![i]![p]![p]!,
    K.nngp[j]![j]![q]![q]!,
    K.nngp[i]![j]![p]![q]!,
  ];
  return {
    shape: K.shape,
    nngp: map4((i, j, p, q) => d.sigma(...args(i, j, p, q)), n, P),
    ntk: map4((i, j, p, q) => K.ntk[i]![j]![p]![q]! * d.dsigma(...args(i, j, p, q)), n, P),
    width: K.width,
  };
}

/** Average pooling: (1/|W|²) Σ_{δ, δ′} K(src(o, δ), src(o′, δ′)), or 1/(n(o)·n(o′)) with normalizeEdges. */
export function refAvgPool(K: RefKernel, window: number[], strides: number[], padding: 'VALID' | 'SAME' | 'CIRCULAR', normalizeEdges = false): RefKernel {
  const outShape = K.shape.map((L, k) => refGeometry(L, window[k]!, strides[k]!, padding).out);
  const Q = prod(outShape);
  const W = prod(window);
  const n = K.nngp.length;
  const sources = (o: number) => {
    const out: number[] = [];
    for (let d = 0; d < W; d++) {
      const a = source(unflat(o, outShape), unflat(d, window), K.shape, window, strides, padding);
      if (a) out.push(flat(a, K.shape));
    }
    return out;
  };
  const pool = (M: number[][][][]) =>
    map4(
      (i, j, o, o2) => {
        const A = sources(o);
        const B = sources(o2);
        let s = 0;
        for (const a of A) for (const b of B) s += M[i]![j]![a]![b]!;
        return normalizeEdges && padding === 'SAME' ? s / (A.length * B.length) : s / (W * W);
      },
      n,
      Q,
    );
  return { shape: outShape, nngp: pool(K.nngp), ntk: pool(K.ntk), width: K.width };
}

/** Global average pooling (mean of all pixel pairs) or flatten (mean of the same-pixel pairs): flat n × n kernels. */
export function refReadout(K: RefKernel, kind: 'gap' | 'flatten'): { nngp: number[][]; ntk: number[][] } {
  const P = prod(K.shape);
  const red = (M: number[][][][]) =>
    M.map((row) =>
      row.map((blk) => {
        let s = 0;
        if (kind === 'gap') for (let p = 0; p < P; p++) for (let q = 0; q < P; q++) s += blk[p]![q]!;
        else for (let p = 0; p < P; p++) s += blk[p]![p]!;
        return kind === 'gap' ? s / (P * P) : s / P;
      }),
    );
  return { nngp: red(K.nngp), ntk: red(K.ntk) };
}

/** A flat kernel as a RefKernel with one pixel (to continue with dense/activation after a readout). */
export function refFlat(k: { nngp: number[][]; ntk: number[][] }, width: number): RefKernel {
  return { shape: [], nngp: k.nngp.map((r) => r.map((v) => [[v]])), ntk: k.ntk.map((r) => r.map((v) => [[v]])), width };
}

/** Layer norm over the channels of each pixel: K(p, q)/√((ε + v_i(p))(ε + v_j(q))). */
export function refLayerNorm(K: RefKernel, eps: number, axis: 'channel' | 'all' = 'channel'): RefKernel {
  const n = K.nngp.length;
  const P = prod(K.shape);
  const v = (i: number, p: number) => {
    if (axis === 'channel') return eps + K.nngp[i]![i]![p]![p]!;
    let s = 0;
    for (let r = 0; r < P; r++) s += K.nngp[i]![i]![r]![r]!;
    return eps + s / P;
  };
  const f = (M: number[][][][]) => map4((i, j, p, q) => M[i]![j]![p]![q]! / Math.sqrt(v(i, p) * v(j, q)), n, P);
  return { shape: K.shape, nngp: f(K.nngp), ntk: f(K.ntk), width: K.width };
}

/** Sum of independent branches. */
export function refSum(...ks: RefKernel[]): RefKernel {
  const n = ks[0]!.nngp.length;
  const P = prod(ks[0]!.shape);
  return {
    shape: ks[0]!.shape,
    nngp: map4((i, j, p, q) => ks.reduce((s, k) => s + k.nngp[i]![j]![p]![q]!, 0), n, P),
    ntk: map4((i, j, p, q) => ks.reduce((s, k) => s + k.ntk[i]![j]![p]![q]!, 0), n, P),
    width: ks[0]!.width,
  };
}
