/**
 * Pooling and readouts (neural_tangents/_src/stax/linear.py: `_Pool.kernel_fn` with `_pool_kernel` and `_normalize`,
 * `_GlobalPool.kernel_fn`, `Flatten.kernel_fn`):
 *   avgPool:        K′(o, o′) = (1/|W|²) Σ_{δ, δ′} K(s·o + δ − pad, s·o′ + δ′ − pad)  (or 1/(n(o)·n(o′)) with
 *                   normalizeEdges, n the window's pixels inside the image),
 *   globalAvgPool:  K′ = (1/P²) Σ_{p, q} K(p, q),
 *   flatten:        K′ = (1/P) Σ_p K(p, p)  (the channels of every pixel side by side: ⟨x, x′⟩/(P·C)).
 * Pooling mixes different pixels, so it needs every pixel pair; flatten needs only the same-pixel pairs, which is
 * what lets a network without pooling keep the diagonal-in-space state (neural-tangents' `diagonal_spatial`).
 */
import { type Padding, intTuple, makeWindow, mapSpatial, type Window } from './spatial.ts';
import { type Layer, pixels, singleShape, singleValue } from './types.ts';

/**
 * Options of {@link avgPool}.
 *
 * @example
 * ```ts
 * import { avgPool, type AvgPoolOptions } from '@holonomic-ntk/ntk';
 * const options: AvgPoolOptions = { strides: [2, 2], padding: 'SAME' };
 * avgPool([2, 2], options).init!(() => 0, [5, 5, 3]).outShape; // → [3, 3, 3]
 * ```
 */
export interface AvgPoolOptions {
  /** Default 1 in every dimension (as neural-tangents). */
  strides?: number | readonly number[];
  /** Default 'VALID'. */
  padding?: Padding;
  /** Divide by the window's pixels inside the image instead of the window size (SAME only; default false). */
  normalizeEdges?: boolean;
}

/**
 * Average pooling over a window (one entry per spatial dimension).
 *
 * @example
 * ```ts
 * import { avgPool, flatten, serial } from '@holonomic-ntk/ntk';
 * // Two pixels averaged: K′ = (K(0,0) + K(0,1) + K(1,0) + K(1,1)) / 4 = (1 + 2 + 2 + 4) / 4.
 * serial(avgPool([2]), flatten()).kernelFn([[1, 2]], null, 'nngp', { shape: [2, 1] }).data[0]; // ≈ 2.25
 * const pool = avgPool([2]);
 * pool.init!(() => 0, [2, 1]).outShape; // → [1, 1]
 * pool.apply!([], Float64Array.of(1, 2)); // → Float64Array.of(1.5)
 * ```
 */
export function avgPool(window: readonly number[], options: AvgPoolOptions = {}): Layer {
  const d = window.length;
  if (d === 0) throw new RangeError('the window needs at least one spatial dimension');
  const win = intTuple(window, d, 'window');
  const strides = intTuple(options.strides ?? 1, d, 'strides');
  const padding = options.padding ?? 'VALID';
  if (padding !== 'VALID' && padding !== 'SAME' && padding !== 'CIRCULAR') throw new RangeError(`padding must be VALID, SAME or CIRCULAR, got ${padding}`);
  const edges = (options.normalizeEdges ?? false) && padding === 'SAME';
  const name = `avgPool([${win}], strides=[${strides}], ${padding}${edges ? ', normalizeEdges' : ''})`;
  const windows = new Map<string, Window>();
  const windowFor = (shape: readonly number[]) => {
    const key = shape.join(',');
    let w = windows.get(key);
    if (!w) windows.set(key, (w = makeWindow(shape, win, strides, padding, name)));
    return w;
  };
  let finite: { w: Window; C: number } | undefined;
  const weights = (w: Window) => Float64Array.from(w.count, (n) => 1 / (edges ? n : w.size));
  return {
    name,
    needsFull: () => true,
    kernel(k) {
      const shape = k.shape ?? [];
      if (shape.length !== d) throw new RangeError(`${name}: a ${d}-D window on a state of spatial shape [${shape}]`);
      const w = windowFor(shape);
      const { pin: P, pout: Q, size, table } = w;
      const wt = weights(w);
      const tmp = new Float64Array(Q * P);
      const full = (src: Float64Array, at: number, dst: Float64Array, to: number) => {
        // Rows first (tmp[o, q] = Σ_δ K(t(o, δ), q)), then columns.
        tmp.fill(0);
        for (let o = 0; o < Q; o++) {
          for (let t = 0; t < size; t++) {
            const p = table[o * size + t]!;
            if (p < 0) continue;
            for (let q = 0; q < P; q++) tmp[o * P + q]! += src[at + p * P + q]!;
          }
        }
        for (let o = 0; o < Q; o++) {
          for (let o2 = 0; o2 < Q; o2++) {
            let s = 0;
            for (let t = 0; t < size; t++) {
              const q = table[o2 * size + t]!;
              if (q >= 0) s += tmp[o * P + q]!;
            }
            dst[to + o * Q + o2] = s * wt[o]! * wt[o2]!;
          }
        }
      };
      const m = mapSpatial(k, w.outShape, full, null, name);
      return { ...k, ...m, shape: w.outShape };
    },
    init: (_normal, inShape) => {
      const s = singleShape(inShape, name);
      const w = windowFor(s.slice(0, d));
      finite = { w, C: s[d]! };
      return { params: [], outShape: [...w.outShape, s[d]!] };
    },
    apply(_params, x) {
      const v = singleValue(x, name);
      const { w, C } = finiteWindow(v);
      const wt = weights(w);
      const y = new Float64Array(w.pout * C);
      for (let o = 0; o < w.pout; o++) {
        for (let t = 0; t < w.size; t++) {
          const p = w.table[o * w.size + t]!;
          if (p >= 0) for (let c = 0; c < C; c++) y[o * C + c]! += wt[o]! * v[p * C + c]!;
        }
      }
      return y;
    },
    vjp(_params, x, gy) {
      const v = singleValue(x, name);
      const g = singleValue(gy, name);
      const { w, C } = finiteWindow(v);
      const wt = weights(w);
      const gx = new Float64Array(v.length);
      for (let o = 0; o < w.pout; o++) {
        for (let t = 0; t < w.size; t++) {
          const p = w.table[o * w.size + t]!;
          if (p >= 0) for (let c = 0; c < C; c++) gx[p * C + c]! += wt[o]! * g[o * C + c]!;
        }
      }
      return { gx, gparams: [] };
    },
  };

  function finiteWindow(v: Float64Array): { w: Window; C: number } {
    if (!finite || v.length !== finite.w.pin * finite.C) throw new RangeError(`${name}: apply before init for this input shape`);
    return finite;
  }
}

/**
 * Global average pooling: the mean over all pixels of every channel; the state becomes flat.
 *
 * @example
 * ```ts
 * import { globalAvgPool, serial } from '@holonomic-ntk/ntk';
 * // (1/P²) Σ_{p,q} x_p·x_q = (mean x)² for one channel.
 * serial(globalAvgPool()).kernelFn([[1, 2, 3, 6]], null, 'nngp', { shape: [2, 2, 1] }).data[0]; // ≈ 9
 * globalAvgPool().apply!([], Float64Array.of(1, 10, 3, 20)); // throws RangeError
 * ```
 */
export function globalAvgPool(): Layer {
  const name = 'globalAvgPool()';
  let finite: { P: number; C: number } | undefined;
  const geometry = (v: Float64Array) => {
    if (!finite || v.length !== finite.P * finite.C) throw new RangeError(`${name}: apply before init for this input shape`);
    return finite;
  };
  return {
    name,
    needsFull: () => true,
    kernel(k) {
      const P = pixels(k.shape);
      const inv = 1 / (P * P);
      const full = (src: Float64Array, at: number, dst: Float64Array, to: number) => {
        let s = 0;
        for (let e = 0; e < P * P; e++) s += src[at + e]!;
        dst[to] = s * inv;
      };
      const m = mapSpatial(k, [], full, null, name);
      return { ...k, ...m, shape: [] };
    },
    init(_normal, inShape) {
      const s = singleShape(inShape, name);
      finite = { P: pixels(s.slice(0, -1)), C: s[s.length - 1]! };
      return { params: [], outShape: [finite.C] };
    },
    apply(_params, x) {
      const v = singleValue(x, name);
      const { P, C } = geometry(v);
      const y = new Float64Array(C);
      for (let p = 0; p < P; p++) for (let c = 0; c < C; c++) y[c]! += v[p * C + c]! / P;
      return y;
    },
    vjp(_params, x, gy) {
      const v = singleValue(x, name);
      const g = singleValue(gy, name);
      const { P, C } = geometry(v);
      const gx = new Float64Array(v.length);
      for (let p = 0; p < P; p++) for (let c = 0; c < C; c++) gx[p * C + c] = g[c]! / P;
      return { gx, gparams: [] };
    },
  };
}

/**
 * Flatten: the channels of all pixels side by side (width P·C); the state becomes flat and keeps only the
 * same-pixel pairs before it, so a network without pooling never forms the P × P pixel-pair blocks.
 *
 * @example
 * ```ts
 * import { flatten, serial } from '@holonomic-ntk/ntk';
 * // ⟨x, x⟩/(P·C) = (1 + 4 + 9 + 36)/4.
 * serial(flatten()).kernelFn([[1, 2, 3, 6]], null, 'nngp', { shape: [2, 2, 1] }).data[0]; // ≈ 12.5
 * flatten().needsFull!(true); // → false
 * ```
 */
export function flatten(): Layer {
  const name = 'flatten()';
  return {
    name,
    needsFull: () => false,
    kernel(k) {
      const P = pixels(k.shape);
      const diag = P > 1 && (k.diagonalSpatial ?? false);
      const full = (src: Float64Array, at: number, dst: Float64Array, to: number) => {
        let s = 0;
        for (let p = 0; p < P; p++) s += src[at + p * P + p]!;
        dst[to] = s / P;
      };
      const diagonal = (src: Float64Array, at: number, dst: Float64Array, to: number) => {
        let s = 0;
        for (let p = 0; p < P; p++) s += src[at + p]!;
        dst[to] = s / P;
      };
      const m = P === 1 && !diag ? null : mapSpatial(k, [], full, diagonal, name);
      return { ...k, ...(m ?? {}), shape: [], diagonalSpatial: false, width: k.width === undefined ? undefined : k.width * P };
    },
    init: (_normal, inShape) => ({ params: [], outShape: [pixels(singleShape(inShape, name))] }),
    apply: (_params, x) => singleValue(x, name),
    vjp: (_params, _x, gy) => ({ gx: singleValue(gy, name), gparams: [] }),
  };
}
