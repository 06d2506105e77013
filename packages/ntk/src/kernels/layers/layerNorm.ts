/**
 * Layer normalisation (neural_tangents/_src/stax/linear.py, `LayerNorm.kernel_fn`): at infinite width the mean over
 * the channels vanishes and their variance is the state's own variance, so every covariance is divided by
 * √((ε + v(x, p))(ε + v(x′, q))), v the variance of the pixel ('channel') or its mean over the pixels ('all'); the
 * NTK is divided by the same factor. Like neural-tangents, only for a Gaussian state (after a dense or convolutional
 * layer): after a nonlinearity the mean over channels does not vanish.
 */
import { DomainError } from '@holonomic-ntk/core';
import { type Layer, pixels, singleValue } from './types.ts';

/**
 * Options of {@link layerNorm}: normalise over the channels of each pixel ('channel', default; neural-tangents'
 * axis = −1) or over the channels and pixels together ('all'), with ε added to the variance (default 1e-12).
 *
 * @example
 * ```ts
 * import { layerNorm, type LayerNormOptions } from '@holonomic-ntk/ntk';
 * const options: LayerNormOptions = { axis: 'all', eps: 1e-6 };
 * layerNorm(options).name; // → 'layerNorm(all, eps=0.000001)'
 * ```
 */
export interface LayerNormOptions {
  axis?: 'channel' | 'all';
  eps?: number;
}

/**
 * Layer normalisation: (x − mean)/√(ε + variance) over the channels of a pixel (or the whole input).
 *
 * @example
 * ```ts
 * import { dense, layerNorm, serial } from '@holonomic-ntk/ntk';
 * const k = serial(dense({ wStd: 3 }), layerNorm()).kernelFn([[1, 0], [0.6, 0.8]], null, 'nngp');
 * k.data[1]; // ≈ 0.6
 * k.data[0]; // ≈ 1
 * serial(layerNorm()).kernelFn([[1, 0]], null, 'nngp'); // throws DomainError
 * ```
 */
export function layerNorm(options: LayerNormOptions = {}): Layer {
  const axis = options.axis ?? 'channel';
  const eps = options.eps ?? 1e-12;
  if (!(eps >= 0 && Number.isFinite(eps))) throw new RangeError(`eps must be ≥ 0, got ${eps}`);
  const name = `layerNorm(${axis}, eps=${eps})`;
  let finite: { P: number; C: number } | undefined;
  const geometry = (v: Float64Array) => {
    if (!finite || v.length !== finite.P * finite.C) throw new RangeError(`${name}: apply before init for this input shape`);
    return finite;
  };
  /** Groups of entries normalised together: G consecutive groups of `size` entries. */
  const groups = (v: Float64Array) => {
    const { P, C } = geometry(v);
    return axis === 'all' ? { G: 1, size: P * C } : { G: P, size: C };
  };
  return {
    name,
    kernel(k) {
      if (k.gaussian === false) {
        throw new DomainError(
          `${name} needs a Gaussian state (after a dense or conv layer, not after an activation or at the input), as neural-tangents' LayerNorm`,
        );
      }
      const P = pixels(k.shape);
      const diag = P > 1 && (k.diagonalSpatial ?? false);
      const full = P > 1 && !diag;
      const S = full ? P * P : P;
      const variances = (cov: Float64Array, n: number) => {
        const v = new Float64Array(n * P);
        for (let i = 0; i < n; i++) for (let p = 0; p < P; p++) v[i * P + p] = full ? cov[(i * P + p) * P + p]! : cov[i * P + p]!;
        if (axis === 'all') {
          for (let i = 0; i < n; i++) {
            let s = 0;
            for (let p = 0; p < P; p++) s += v[i * P + p]!;
            v.fill(s / P, i * P, (i + 1) * P);
          }
        }
        return v.map((x) => Math.sqrt(eps + x));
      };
      const s1 = variances(k.cov1, k.n1);
      const s2 = variances(k.cov2, k.n2);
      const scale = (src: Float64Array, n1: number, n2: number, a: Float64Array, b: Float64Array, pairs: boolean) => {
        const out = new Float64Array(src.length);
        for (let i = 0; i < n1; i++) {
          for (let j = 0; j < (pairs ? n2 : 1); j++) {
            const jj = pairs ? j : i;
            const base = pairs ? (i * n2 + j) * S : i * S;
            if (full) for (let p = 0; p < P; p++) for (let q = 0; q < P; q++) out[base + p * P + q] = src[base + p * P + q]! / (a[i * P + p]! * b[jj * P + q]!);
            else for (let p = 0; p < P; p++) out[base + p] = src[base + p]! / (a[i * P + p]! * b[jj * P + p]!);
          }
        }
        return out;
      };
      const cov2 = scale(k.cov2, k.n2, 0, s2, s2, false);
      const cov1 = k.same ? cov2.subarray(0, k.cov1.length) : scale(k.cov1, k.n1, 0, s1, s1, false);
      const nngp = scale(k.nngp, k.n1, k.n2, s1, s2, true);
      const ntk = k.ntk && scale(k.ntk, k.n1, k.n2, s1, s2, true);
      if (k.same) {
        // ρ = 1 exactly on the diagonal of K(X, X): the normalised variance is v/(ε + v).
        for (let i = 0; i < k.n1; i++) {
          for (let p = 0; p < P; p++) {
            const e = full ? p * P + p : p;
            nngp[(i * k.n2 + i) * S + e] = cov2[i * S + e]!;
          }
        }
      }
      return { ...k, cov1, cov2, nngp, ntk };
    },
    init(_normal, inShape) {
      const s = inShape as readonly number[];
      finite = { P: pixels(s.slice(0, -1)), C: s[s.length - 1]! };
      return { params: [], outShape: inShape };
    },
    apply(_params, x) {
      const v = singleValue(x, name);
      const { G, size } = groups(v);
      const y = new Float64Array(v.length);
      for (let g = 0; g < G; g++) {
        const { mean, sd } = stats(v, g * size, size, eps);
        for (let t = 0; t < size; t++) y[g * size + t] = (v[g * size + t]! - mean) / sd;
      }
      return y;
    },
    vjp(_params, x, gy) {
      const v = singleValue(x, name);
      const gv = singleValue(gy, name);
      const { G, size } = groups(v);
      const gx = new Float64Array(v.length);
      for (let g = 0; g < G; g++) {
        const o = g * size;
        const { mean, sd } = stats(v, o, size, eps);
        let mg = 0;
        let mgx = 0;
        for (let t = 0; t < size; t++) {
          mg += gv[o + t]!;
          mgx += (gv[o + t]! * (v[o + t]! - mean)) / sd;
        }
        mg /= size;
        mgx /= size;
        for (let t = 0; t < size; t++) gx[o + t] = (gv[o + t]! - mg - ((v[o + t]! - mean) / sd) * mgx) / sd;
      }
      return { gx, gparams: [] };
    },
  };
}

function stats(v: Float64Array, o: number, n: number, eps: number): { mean: number; sd: number } {
  let mean = 0;
  for (let t = 0; t < n; t++) mean += v[o + t]!;
  mean /= n;
  let vr = 0;
  for (let t = 0; t < n; t++) vr += (v[o + t]! - mean) ** 2;
  return { mean, sd: Math.sqrt(eps + vr / n) };
}
