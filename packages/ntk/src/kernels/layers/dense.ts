/**
 * The dense (fully connected) layer. On a spatial state it acts on the channels of every pixel, as neural-tangents'
 * `Dense` (which contracts the channel axis only), so the kernel rule is the same entrywise affine map for every pixel
 * pair (neural_tangents/_src/stax/linear.py, `Dense.kernel_fn` and `_affine`).
 */
import { DomainError } from '@holonomic-ntk/core';
import { type Layer, type Parameterization, type Params, singleShape, singleValue } from './types.ts';

/**
 * Options of {@link dense}.
 *
 * @example
 * ```ts
 * import { dense, serial, type DenseOptions } from '@holonomic-ntk/ntk';
 * const options: DenseOptions = { wStd: 2, bStd: 0.5 };
 * serial(dense(options)).kernelFn([[1, 1]], null, 'nngp').data[0]; // ≈ 4.25
 * ```
 */
export interface DenseOptions {
  /** Output width: the 'standard' parameterization of a following layer needs it; the finite network uses it (default 1). */
  width?: number;
  /** σw (default 1). */
  wStd?: number;
  /** σb (default 0). null: no bias parameter at all (matters for 'standard', where a bias adds 1 to the NTK). */
  bStd?: number | null;
  /** Default 'ntk'. */
  parameterization?: Parameterization;
}

/**
 * A fully connected layer: nngp′ = σw²·nngp + σb², and the NTK rule of its parameterization
 * ('ntk': ntk′ = nngp′ + σw²·ntk; 'standard': ntk′ = n·nngp + σw²·ntk + [bias], n the input width).
 * In the finite network (width n_out): 'ntk' y = (σw/√n)·W·x + σb·b with W, b ~ N(0, 1); 'standard' y = W·x + b
 * with W ~ N(0, σw²/n), b ~ N(0, σb²).
 *
 * @example
 * ```ts
 * import { dense, serial } from '@holonomic-ntk/ntk';
 * const k = serial(dense({ wStd: 2, bStd: 0.5 })).kernels([[1, 1], [1, -1]]);
 * k.nngp.data; // → Float64Array.of(4.25, 0.25, 0.25, 4.25)
 * k.ntk.data; // → Float64Array.of(4.25, 0.25, 0.25, 4.25)
 * dense({ width: 0 }); // throws RangeError
 * ```
 */
export function dense(options: DenseOptions = {}): Layer {
  const wStd = options.wStd ?? 1;
  const bStd = options.bStd === undefined ? 0 : options.bStd;
  const param = options.parameterization ?? 'ntk';
  if (!Number.isFinite(wStd) || (bStd !== null && !Number.isFinite(bStd))) throw new RangeError('wStd and bStd must be finite');
  if (options.width !== undefined && !(Number.isInteger(options.width) && options.width > 0)) {
    throw new RangeError(`width must be a positive integer, got ${options.width}`);
  }
  const w2 = wStd * wStd;
  const b2 = bStd === null ? 0 : bStd * bStd;
  const name = `dense(${param}, wStd=${wStd}, bStd=${bStd})`;
  const out = options.width ?? 1;
  return {
    name,
    kernel(k) {
      const affine = (x: Float64Array) => x.map((v) => w2 * v + b2);
      let ntk: Float64Array | null = null;
      const nngp = affine(k.nngp);
      if (k.ntk) {
        ntk = new Float64Array(nngp.length);
        if (param === 'ntk') {
          for (let i = 0; i < ntk.length; i++) ntk[i] = nngp[i]! + w2 * k.ntk[i]!;
        } else {
          const n = k.width;
          if (n === undefined) {
            throw new DomainError("'standard' parameterization needs the width of this layer's input: give the previous dense layer a width");
          }
          const bias = bStd === null ? 0 : 1;
          for (let i = 0; i < ntk.length; i++) ntk[i] = n * k.nngp[i]! + w2 * k.ntk[i]! + bias;
        }
      }
      const cov2 = affine(k.cov2);
      return { ...k, cov1: k.same ? cov2.subarray(0, k.cov1.length) : affine(k.cov1), cov2, nngp, ntk, width: options.width, gaussian: true };
    },
    init(normal, inShape) {
      const s = singleShape(inShape, name);
      const n = s[s.length - 1]!;
      const wScale = param === 'standard' ? wStd / Math.sqrt(n) : 1;
      const W = Float64Array.from({ length: n * out }, () => wScale * normal());
      const b = Float64Array.from({ length: bStd === null ? 0 : out }, () => (param === 'standard' ? bStd! : 1) * normal());
      return { params: [W, b], outShape: [...s.slice(0, -1), out] };
    },
    apply(params, x) {
      const v = singleValue(x, name);
      const [W, b] = params as [Float64Array, Float64Array];
      const n = W.length / out;
      const P = v.length / n;
      const sw = param === 'ntk' ? wStd / Math.sqrt(n) : 1;
      const sb = param === 'ntk' ? (bStd ?? 0) : 1;
      const y = new Float64Array(P * out);
      for (let p = 0; p < P; p++) {
        for (let o = 0; o < out; o++) {
          let acc = 0;
          for (let c = 0; c < n; c++) acc += v[p * n + c]! * W[c * out + o]!;
          y[p * out + o] = sw * acc + (b.length > 0 ? sb * b[o]! : 0);
        }
      }
      return y;
    },
    vjp(params, x, gy) {
      const v = singleValue(x, name);
      const g = singleValue(gy, name);
      const [W, b] = params as [Float64Array, Float64Array];
      const n = W.length / out;
      const P = v.length / n;
      const sw = param === 'ntk' ? wStd / Math.sqrt(n) : 1;
      const sb = param === 'ntk' ? (bStd ?? 0) : 1;
      const gx = new Float64Array(v.length);
      const gW = new Float64Array(W.length);
      const gb = new Float64Array(b.length);
      for (let p = 0; p < P; p++) {
        for (let o = 0; o < out; o++) {
          const go = g[p * out + o]!;
          if (go === 0) continue;
          for (let c = 0; c < n; c++) {
            gx[p * n + c]! += sw * W[c * out + o]! * go;
            gW[c * out + o]! += sw * v[p * n + c]! * go;
          }
          if (gb.length > 0) gb[o]! += sb * go;
        }
      }
      return { gx, gparams: [gW, gb] as Params };
    },
  };
}
