/**
 * Shared machinery of the spatial layers: windows (convolution filters, pooling windows) over a spatial shape with
 * neural-tangents' paddings, and linear maps applied to every pixel-pair block of a kernel state.
 */
import type { KernelState } from './types.ts';
import { pixels } from './types.ts';

/**
 * Padding of a convolution or pooling window (neural-tangents' `Padding`): 'VALID' (no padding), 'SAME' (zeros,
 * output size ⌈L/stride⌉, the extra pixel of an odd total padding after the image, as XLA), 'CIRCULAR' (the image
 * is a torus: SAME's geometry with wrapped pixels instead of zeros).
 *
 * @example
 * ```ts
 * import { conv, type Padding } from '@holonomic-ntk/ntk';
 * const padding: Padding = 'SAME';
 * conv(2, [3], { padding }).init!(() => 0, [5, 1]).outShape; // → [5, 2]
 * ```
 */
export type Padding = 'VALID' | 'SAME' | 'CIRCULAR';

/** A window over a spatial shape: for output pixel o and window offset δ, the input pixel (−1 for a padded zero). */
export interface Window {
  inShape: readonly number[];
  outShape: readonly number[];
  /** Pixels of the input and of the output, and window size |W|. */
  pin: number;
  pout: number;
  size: number;
  /** pout × size input pixel indices, −1 for padding. */
  table: Int32Array;
  /** Valid (non-padding) entries per output pixel. */
  count: Float64Array;
}

/** The window table of a filter/pool shape with strides and padding. */
export function makeWindow(inShape: readonly number[], window: readonly number[], strides: readonly number[], padding: Padding, what: string): Window {
  const d = inShape.length;
  if (window.length !== d || strides.length !== d) {
    throw new RangeError(`${what}: a ${window.length}-D window with ${strides.length} strides on a ${d}-D input of shape [${inShape}]`);
  }
  const outShape: number[] = [];
  const lo: number[] = [];
  for (let k = 0; k < d; k++) {
    const L = inShape[k]!;
    const f = window[k]!;
    const s = strides[k]!;
    if (padding === 'VALID') {
      if (L < f) throw new RangeError(`${what}: window ${f} larger than the input size ${L} with VALID padding`);
      outShape.push(Math.floor((L - f) / s) + 1);
      lo.push(0);
    } else {
      const out = Math.ceil(L / s);
      outShape.push(out);
      lo.push(Math.floor(Math.max((out - 1) * s + f - L, 0) / 2));
    }
  }
  const pin = pixels(inShape);
  const pout = pixels(outShape);
  const size = pixels(window);
  const table = new Int32Array(pout * size);
  const count = new Float64Array(pout);
  const o = new Array<number>(d).fill(0);
  for (let op = 0; op < pout; op++) {
    // Multi-index of op, row-major.
    let r = op;
    for (let k = d - 1; k >= 0; k--) {
      o[k] = r % outShape[k]!;
      r = Math.floor(r / outShape[k]!);
    }
    for (let w = 0; w < size; w++) {
      let rw = w;
      let idx = 0;
      let valid = true;
      const delta = new Array<number>(d);
      for (let k = d - 1; k >= 0; k--) {
        delta[k] = rw % window[k]!;
        rw = Math.floor(rw / window[k]!);
      }
      for (let k = 0; k < d; k++) {
        const L = inShape[k]!;
        let t = o[k]! * strides[k]! + delta[k]! - lo[k]!;
        if (t < 0 || t >= L) {
          if (padding === 'CIRCULAR') t = ((t % L) + L) % L;
          else valid = false;
        }
        idx = idx * L + t;
      }
      table[op * size + w] = valid ? idx : -1;
      if (valid) count[op]!++;
    }
  }
  return { inShape, outShape, pin, pout, size, table, count };
}

/** Checked positive integers of a window or strides argument (a number means the same in every dimension). */
export function intTuple(v: number | readonly number[], d: number, what: string): number[] {
  const t = typeof v === 'number' ? new Array<number>(d).fill(v) : [...v];
  if (!t.every((x) => Number.isInteger(x) && x > 0)) throw new RangeError(`${what} must be positive integers, got [${t}]`);
  return t;
}

/**
 * Applies a linear map of pixel-pair blocks to every block of a state: `mapFull(in, inAt, out, outAt)` on P×P blocks,
 * `mapDiag` on P blocks (null: the layer needs every pixel pair). Returns the new arrays with the output shape.
 */
export function mapSpatial(
  k: KernelState,
  outShape: readonly number[],
  mapFull: (src: Float64Array, at: number, dst: Float64Array, to: number) => void,
  mapDiag: ((src: Float64Array, at: number, dst: Float64Array, to: number) => void) | null,
  what: string,
): { cov1: Float64Array; cov2: Float64Array; nngp: Float64Array; ntk: Float64Array | null; diagonalSpatial: boolean } {
  const P = pixels(k.shape);
  const Q = pixels(outShape);
  const diag = P > 1 && (k.diagonalSpatial ?? false);
  if (diag && !mapDiag) throw new RangeError(`${what} needs the covariance of every pixel pair, but the state keeps the same-pixel pairs only`);
  const sIn = diag ? P : P * P;
  const outDiag = diag && Q > 1;
  const sOut = outDiag ? Q : Q * Q;
  const f = diag ? mapDiag! : mapFull;
  const map = (src: Float64Array, blocks: number) => {
    const dst = new Float64Array(blocks * sOut);
    for (let b = 0; b < blocks; b++) f(src, b * sIn, dst, b * sOut);
    return dst;
  };
  const cov2 = map(k.cov2, k.n2);
  const cov1 = k.same ? cov2.subarray(0, k.n1 * sOut) : map(k.cov1, k.n1);
  return { cov1, cov2, nngp: map(k.nngp, k.n1 * k.n2), ntk: k.ntk && map(k.ntk, k.n1 * k.n2), diagonalSpatial: outDiag };
}
