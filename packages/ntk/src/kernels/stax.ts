/**
 * Infinite-width NNGP and NTK in the style of neural-tangents' `stax`:
 *   serial(dense(), activation('relu'), dense()).kernelFn(x1, x2, 'ntk')
 * The layers live in ./layers/ (one concept per file: dense, conv, pooling, layerNorm, activation, combinators);
 * this module re-exports them and builds the fully connected stack.
 *
 * The kernel state follows neural-tangents' `Kernel` (cov1, nngp, cov2, ntk) and its layer rules, read from
 * neural_tangents/_src/stax/linear.py (Dense.kernel_fn) and elementwise.py:
 *
 *  input:  nngp = x·x′/d, cov = |x|²/d, ntk = 0 (no parameters), width = d.
 *  dense, parameterization 'ntk' (default; f = (σw/√n)·W·x + σb·b with W, b ~ N(0, 1)):
 *          nngp′ = σw²·nngp + σb²,   ntk′ = nngp′ + σw²·ntk.
 *  dense, parameterization 'standard' (W ~ N(0, σw²/n), b ~ N(0, σb²), gradients taken w.r.t. W and b):
 *          ntk′ = n·nngp + σw²·ntk + [bias present ? 1 : 0],   nngp′ = σw²·nngp + σb²,
 *          n = width of the layer's input (d for the first dense layer, then the `width` of the previous dense).
 *          (∂f/∂W_ij = x_j contributes Σ_j x_j x′_j = n·nngp; ∂f/∂b = 1 contributes 1 — whatever σb is.)
 *  activation σ:  nngp′ = E[σ(u)σ(v)],  ntk′ = ntk·E[σ̇(u)σ̇(v)],  (u, v) ~ N(0, [[cov1, nngp], [nngp, cov2]]).
 *
 * For 'ntk' this is MATH.md §6: Σʰ = σw² E[σσ] + σb², Θʰ = Σʰ + σw² E[σ̇σ̇] Θ^{h−1}. The NNGP is the same in
 * both parameterizations; the standard NTK grows with the widths.
 * Diagonal entries of K(X, X) use ρ = 1 exactly (c is set to a); float64 throughout.
 */
import type { DualProvider } from '../duals/dualProvider.ts';
import { activation } from './layers/activation.ts';
import { type Network, serial } from './layers/combinators.ts';
import { dense } from './layers/dense.ts';
import type { Layer, Parameterization } from './layers/types.ts';

export { activation, type ActivationOptions } from './layers/activation.ts';
export { fanInConcat, fanInSum, fanOut, identity, parallel, serial, type KernelFnOptions, type Network } from './layers/combinators.ts';
export { conv, type ConvOptions } from './layers/conv.ts';
export { dense, type DenseOptions } from './layers/dense.ts';
export { inputKernel, type InputKernelOptions } from './layers/input.ts';
export { layerNorm, type LayerNormOptions } from './layers/layerNorm.ts';
export { avgPool, flatten, globalAvgPool, type AvgPoolOptions } from './layers/pooling.ts';
export type { Padding } from './layers/spatial.ts';
export type { Inputs, KernelKind, KernelState, Kernels, Layer, Need, Parameterization, Params, Shapes, Values } from './layers/types.ts';

/**
 * Options of {@link fullyConnected}.
 *
 * @example
 * ```ts
 * import { fullyConnected, type FullyConnectedOptions } from '@holonomic-ntk/ntk';
 * const options: FullyConnectedOptions = { depth: 2, activation: 'erf', wStd: 1.2, bStd: 0.1 };
 * fullyConnected(options).layers.length; // → 5
 * ```
 */
export interface FullyConnectedOptions {
  /** Number of hidden layers L ≥ 0 (L + 1 dense layers). */
  depth: number;
  activation: string | DualProvider;
  wStd?: number;
  bStd?: number | null;
  parameterization?: Parameterization;
  /** Hidden width (needed for 'standard'). */
  width?: number;
}

/**
 * dense → (activation → dense) × depth, the same options for every dense layer.
 *
 * @example
 * ```ts
 * import { activation, dense, fullyConnected, serial } from '@holonomic-ntk/ntk';
 * const x = [[1, 0], [0.6, 0.8]];
 * const a = fullyConnected({ depth: 1, activation: 'relu', wStd: Math.SQRT2 }).kernelFn(x, null, 'ntk');
 * const b = serial(dense({ wStd: Math.SQRT2 }), activation('relu'), dense({ wStd: Math.SQRT2 })).kernelFn(x, null, 'ntk');
 * a; // → b
 * fullyConnected({ depth: -1, activation: 'relu' }); // throws RangeError
 * ```
 */
export function fullyConnected(o: FullyConnectedOptions): Network {
  if (!Number.isInteger(o.depth) || o.depth < 0) throw new RangeError(`depth must be an integer ≥ 0, got ${o.depth}`);
  const d = (width?: number) => dense({ wStd: o.wStd, bStd: o.bStd, parameterization: o.parameterization, width });
  const act = activation(o.activation);
  const layers: Layer[] = [d(o.width)];
  for (let h = 0; h < o.depth; h++) layers.push(act, d(h === o.depth - 1 ? 1 : o.width));
  return serial(...layers);
}
