/**
 * Convolution with shared weights, 1-D, 2-D or any number of spatial dimensions (neural-tangents' `Conv`, read from
 * neural_tangents/_src/stax/linear.py: `_Conv.kernel_fn`, `_conv_kernel_full_spatial_shared`,
 * `_conv_kernel_diagonal_spatial`). With 𝒜 the average over the filter offsets δ of a pixel pair moved together,
 *   𝒜K(o, o′) = (1/|F|) Σ_δ K(s·o + δ − pad, s·o′ + δ − pad)   (padded pixels contribute 0; CIRCULAR wraps),
 * the rules are nngp′ = σw²·𝒜nngp + σb² (cov likewise) and
 *   'ntk':      ntk′ = σw²·𝒜ntk + nngp′,
 *   'standard': ntk′ = C·|F|·𝒜nngp + σw²·𝒜ntk + [bias],  C = input channels.
 * 𝒜 keeps the offset o′ − o of a pair, so same-pixel pairs map from same-pixel pairs: the rule also holds on the
 * diagonal-in-space state (then 𝒜 averages K(s·o + δ − pad) over δ).
 */
import { DomainError } from '@holonomic-ntk/core';
import { type Padding, intTuple, makeWindow, mapSpatial, type Window } from './spatial.ts';
import { type Layer, type Parameterization, type Params, singleShape, singleValue } from './types.ts';

/**
 * Options of {@link conv}.
 *
 * @example
 * ```ts
 * import { conv, type ConvOptions } from '@holonomic-ntk/ntk';
 * const options: ConvOptions = { padding: 'SAME', strides: [2, 2], wStd: 1.4, bStd: 0.1 };
 * conv(8, [3, 3], options).init!(() => 0, [8, 8, 1]).outShape; // → [4, 4, 8]
 * ```
 */
export interface ConvOptions {
  /** Default 1 in every dimension. */
  strides?: number | readonly number[];
  /** Default 'VALID' (as neural-tangents). */
  padding?: Padding;
  /** σw (default 1). */
  wStd?: number;
  /** σb (default 0); null: no bias parameter. */
  bStd?: number | null;
  /** Default 'ntk'. */
  parameterization?: Parameterization;
}

/**
 * A convolution with `channels` output channels and a filter of shape `filter` (one entry per spatial dimension,
 * e.g. [3] for sequences, [3, 3] for images). Finite network ('ntk'): y[o, ·] = σw/√(C·|F|) Σ_δ W_δ·x[s·o + δ − pad]
 * + σb·b with W, b ~ N(0, 1); 'standard' draws W ~ N(0, σw²/(C·|F|)), b ~ N(0, σb²).
 *
 * @example
 * ```ts
 * import { conv, flatten, serial } from '@holonomic-ntk/ntk';
 * // One 1-D image of 3 pixels, one channel; flatten averages the two same-pixel pairs: ((1 + 4) / 2 + (4 + 9) / 2) / 2.
 * const k = serial(conv(4, [2]), flatten()).kernelFn([[1, 2, 3]], null, 'nngp', { shape: [3, 1] });
 * k.data[0]; // ≈ 4.5
 * conv(4, [3, 3], { padding: 'FULL' as never }); // throws RangeError
 * ```
 */
export function conv(channels: number, filter: readonly number[], options: ConvOptions = {}): Layer {
  if (!(Number.isInteger(channels) && channels > 0)) throw new RangeError(`channels must be a positive integer, got ${channels}`);
  const d = filter.length;
  if (d === 0) throw new RangeError('the filter needs at least one spatial dimension');
  const f = intTuple(filter, d, 'filter');
  const strides = intTuple(options.strides ?? 1, d, 'strides');
  const padding = options.padding ?? 'VALID';
  if (padding !== 'VALID' && padding !== 'SAME' && padding !== 'CIRCULAR') throw new RangeError(`padding must be VALID, SAME or CIRCULAR, got ${padding}`);
  const wStd = options.wStd ?? 1;
  const bStd = options.bStd === undefined ? 0 : options.bStd;
  if (!Number.isFinite(wStd) || (bStd !== null && !Number.isFinite(bStd))) throw new RangeError('wStd and bStd must be finite');
  const param = options.parameterization ?? 'ntk';
  const w2 = wStd * wStd;
  const b2 = bStd === null ? 0 : bStd * bStd;
  const name = `conv(${channels}, [${f}], strides=[${strides}], ${padding}, ${param}, wStd=${wStd}, bStd=${bStd})`;
  const windows = new Map<string, Window>();
  let finite: { w: Window; C: number } | undefined;
  const windowFor = (shape: readonly number[]) => {
    const key = shape.join(',');
    let w = windows.get(key);
    if (!w) windows.set(key, (w = makeWindow(shape, f, strides, padding, name)));
    return w;
  };
  return {
    name,
    kernel(k) {
      const shape = k.shape ?? [];
      if (shape.length !== d) throw new RangeError(`${name}: a ${d}-D filter on a state of spatial shape [${shape}]; give kernelFn { shape: [...] }`);
      const w = windowFor(shape);
      const { pin: P, pout: Q, size, table } = w;
      const inv = 1 / size;
      // 𝒜 on a P×P block into a Q×Q block.
      const full = (src: Float64Array, at: number, dst: Float64Array, to: number) => {
        for (let o = 0; o < Q; o++) {
          for (let o2 = 0; o2 < Q; o2++) {
            let s = 0;
            for (let t = 0; t < size; t++) {
              const p = table[o * size + t]!;
              const q = table[o2 * size + t]!;
              if (p >= 0 && q >= 0) s += src[at + p * P + q]!;
            }
            dst[to + o * Q + o2] = s * inv;
          }
        }
      };
      const diagonal = (src: Float64Array, at: number, dst: Float64Array, to: number) => {
        for (let o = 0; o < Q; o++) {
          let s = 0;
          for (let t = 0; t < size; t++) {
            const p = table[o * size + t]!;
            if (p >= 0) s += src[at + p]!;
          }
          dst[to + o] = s * inv;
        }
      };
      const m = mapSpatial(k, w.outShape, full, diagonal, name);
      const affine = (x: Float64Array) => {
        for (let i = 0; i < x.length; i++) x[i] = w2 * x[i]! + b2;
        return x;
      };
      const cov2 = affine(m.cov2);
      const cov1 = k.same ? cov2.subarray(0, m.cov1.length) : affine(m.cov1);
      let ntk: Float64Array | null = null;
      let nngp: Float64Array;
      if (param === 'ntk') {
        nngp = affine(m.nngp);
        if (m.ntk) {
          ntk = m.ntk;
          for (let i = 0; i < ntk.length; i++) ntk[i] = w2 * ntk[i]! + nngp[i]!;
        }
      } else {
        if (m.ntk) {
          if (k.width === undefined)
            throw new DomainError(`${name}: 'standard' parameterization needs the channel count of the input: give the previous layer a width`);
          const fanIn = k.width * size;
          const bias = bStd === null ? 0 : 1;
          ntk = m.ntk;
          for (let i = 0; i < ntk.length; i++) ntk[i] = fanIn * m.nngp[i]! + w2 * ntk[i]! + bias;
        }
        nngp = affine(m.nngp);
      }
      return { ...k, cov1, cov2, nngp, ntk, shape: w.outShape, diagonalSpatial: m.diagonalSpatial, width: channels, gaussian: true };
    },
    init(normal, inShape) {
      const s = singleShape(inShape, name);
      if (s.length !== d + 1) throw new RangeError(`${name}: input shape [${s}] is not ${d} spatial dimensions and channels`);
      const w = windowFor(s.slice(0, d));
      const C = s[d]!;
      finite = { w, C };
      const fanIn = C * w.size;
      const wScale = param === 'standard' ? wStd / Math.sqrt(fanIn) : 1;
      const W = Float64Array.from({ length: w.size * C * channels }, () => wScale * normal());
      const b = Float64Array.from({ length: bStd === null ? 0 : channels }, () => (param === 'standard' ? bStd! : 1) * normal());
      return { params: [W, b], outShape: [...w.outShape, channels] };
    },
    apply(params, x) {
      const v = singleValue(x, name);
      const [W, b] = params as [Float64Array, Float64Array];
      const { w, C, sw, sb } = geometry(W, v);
      const { pout: Q, size, table } = w;
      const y = new Float64Array(Q * channels);
      for (let o = 0; o < Q; o++) {
        for (let co = 0; co < channels; co++) y[o * channels + co] = b.length > 0 ? sb * b[co]! : 0;
        for (let t = 0; t < size; t++) {
          const p = table[o * size + t]!;
          if (p < 0) continue;
          for (let c = 0; c < C; c++) {
            const xv = sw * v[p * C + c]!;
            if (xv === 0) continue;
            const row = (t * C + c) * channels;
            for (let co = 0; co < channels; co++) y[o * channels + co]! += xv * W[row + co]!;
          }
        }
      }
      return y;
    },
    vjp(params, x, gy) {
      const v = singleValue(x, name);
      const g = singleValue(gy, name);
      const [W, b] = params as [Float64Array, Float64Array];
      const { w, C, sw, sb } = geometry(W, v);
      const { pout: Q, size, table } = w;
      const gx = new Float64Array(v.length);
      const gW = new Float64Array(W.length);
      const gb = new Float64Array(b.length);
      for (let o = 0; o < Q; o++) {
        if (gb.length > 0) for (let co = 0; co < channels; co++) gb[co]! += sb * g[o * channels + co]!;
        for (let t = 0; t < size; t++) {
          const p = table[o * size + t]!;
          if (p < 0) continue;
          for (let c = 0; c < C; c++) {
            const row = (t * C + c) * channels;
            const xv = sw * v[p * C + c]!;
            let acc = 0;
            for (let co = 0; co < channels; co++) {
              const go = g[o * channels + co]!;
              gW[row + co]! += xv * go;
              acc += W[row + co]! * go;
            }
            gx[p * C + c]! += sw * acc;
          }
        }
      }
      return { gx, gparams: [gW, gb] as Params };
    },
  };

  /** The window and scales of the finite input shape of the last init. */
  function geometry(W: Float64Array, v: Float64Array) {
    if (!finite || v.length !== finite.w.pin * finite.C || W.length !== finite.w.size * finite.C * channels) {
      throw new RangeError(`${name}: apply before init for this input shape`);
    }
    const { w, C } = finite;
    const sw = param === 'ntk' ? wStd / Math.sqrt(C * w.size) : 1;
    const sb = param === 'ntk' ? (bStd ?? 0) : 1;
    return { w, C, sw, sb };
  }
}
