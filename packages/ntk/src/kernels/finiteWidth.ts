/**
 * The finite network of an architecture: the same layer values, with random weights from a seed (`init`), their
 * forward pass (`apply`) and backpropagation (`vjp`); the empirical NTK Θ̂(x, y) = Σ_θ ∂f(x)/∂θ · ∂f(y)/∂θ of one
 * draw, which approaches the analytic NTK as the widths grow (Jacot et al. 2018).
 */
import { DomainError, mulberry32 } from '@holonomic-ntk/core';
import type { Matrix } from '../regression/linearAlgebra.ts';
import type { Inputs, Layer, Params, Shapes } from './layers/types.ts';

/** Standard normals from a seed (mulberry32, Box–Muller). */
function normals(seed: number): () => number {
  const u = mulberry32(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    const t = 2 * Math.PI * u();
    spare = r * Math.sin(t);
    return r * Math.cos(t);
  };
}

/**
 * A random finite network of an architecture: its parameters, output shape and forward pass for one input.
 *
 * @example
 * ```ts
 * import { activation, conv, dense, flatten, randomNetwork, serial } from '@holonomic-ntk/ntk';
 * const net = serial(conv(4, [2, 2]), activation('relu'), flatten(), dense());
 * const f = randomNetwork(net, [3, 3, 1], 7);
 * f.outShape; // → [1]
 * f.apply([1, 2, 3, 4, 5, 6, 7, 8, 9]).length; // → 1
 * f.apply([1, 2, 3, 4, 5, 6, 7, 8, 9])[0] === randomNetwork(net, [3, 3, 1], 7).apply([1, 2, 3, 4, 5, 6, 7, 8, 9])[0]; // → true
 * ```
 */
export function randomNetwork(
  net: Layer,
  inShape: readonly number[],
  seed: number,
): { params: Params; outShape: Shapes; apply(x: readonly number[] | Float64Array): Float64Array } {
  if (!net.init || !net.apply) throw new DomainError(`${net.name} has no finite-width network`);
  const { params, outShape } = net.init(normals(seed), inShape);
  return {
    params,
    outShape,
    apply: (x) => {
      const y = net.apply!(params, Float64Array.from(x));
      if (!(y instanceof Float64Array)) throw new DomainError(`${net.name} ends in ${y.length} branches`);
      return y;
    },
  };
}

/**
 * Options of {@link empiricalNtk}: the seed of the weights and the shape of one input (default [d]).
 *
 * @example
 * ```ts
 * import { type EmpiricalNtkOptions } from '@holonomic-ntk/ntk';
 * const options: EmpiricalNtkOptions = { seed: 1, shape: [4, 4, 1] };
 * options.seed; // → 1
 * ```
 */
export interface EmpiricalNtkOptions {
  seed: number;
  shape?: readonly number[];
}

/**
 * Θ̂(xᵢ, xⱼ) = ⟨∇θ f(xᵢ), ∇θ f(xⱼ)⟩ for one random draw of a network with one output (end it in `dense()`).
 *
 * @example
 * ```ts
 * import { activation, dense, empiricalNtk, serial } from '@holonomic-ntk/ntk';
 * const net = serial(dense({ width: 2000 }), activation('relu'), dense());
 * const k = empiricalNtk(net, [[1, 0]], { seed: 3 });
 * k.data[0]; // ≈ 0.5 ± 0.05
 * ```
 */
export function empiricalNtk(net: Layer, xs: Inputs, options: EmpiricalNtkOptions): Matrix {
  if (!net.init || !net.vjp) throw new DomainError(`${net.name} has no finite-width network`);
  const shape = options.shape ?? [xs[0]!.length];
  const { params, outShape } = net.init(normals(options.seed), shape);
  if (outShape.length !== 1 || outShape[0] !== 1)
    throw new DomainError(`the empirical NTK needs one output, the network gives [${outShape}]: end it with dense()`);
  const grads = xs.map((x) => {
    const parts: Float64Array[] = [];
    const collect = (p: Params) => {
      for (const e of p) {
        if (e instanceof Float64Array) parts.push(e);
        else collect(e);
      }
    };
    collect(net.vjp!(params, Float64Array.from(x), Float64Array.of(1)).gparams);
    return parts;
  });
  const n = xs.length;
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      const a = grads[i]!;
      const b = grads[j]!;
      for (let t = 0; t < a.length; t++) {
        const u = a[t]!;
        const v = b[t]!;
        for (let e = 0; e < u.length; e++) s += u[e]! * v[e]!;
      }
      data[i * n + j] = s;
      data[j * n + i] = s;
    }
  }
  return { rows: n, cols: n, data };
}
