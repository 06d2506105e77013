/**
 * The values layers are made of (neural-tangents' `Kernel` and its layer triple, in TypeScript): the kernel state a
 * layer maps, and the finite-width parts (parameters, forward pass, vector–Jacobian product) that give the same
 * architecture as a random network. docs/ARCHITECTURE.md §"Layers" explains the layout.
 */

/**
 * neural-tangents' two parameterizations of a dense or convolutional layer (see docs/MATH.md §6); the NNGP is the
 * same in both.
 *
 * @example
 * ```ts
 * import { fullyConnected, type Parameterization } from '@holonomic-ntk/ntk';
 * const x = [[1, 0], [0.6, 0.8]];
 * const ntk = (parameterization: Parameterization) => fullyConnected({ depth: 1, activation: 'relu', parameterization, width: 100 }).kernelFn(x, null, 'ntk');
 * ntk('standard').data[0]! > 10 * ntk('ntk').data[0]!; // → true
 * ```
 */
export type Parameterization = 'ntk' | 'standard';

/**
 * Which kernel `Network.kernelFn` returns.
 *
 * @example
 * ```ts
 * import { fullyConnected, type KernelKind } from '@holonomic-ntk/ntk';
 * const get: KernelKind = 'nngp';
 * fullyConnected({ depth: 1, activation: 'relu' }).kernelFn([[1, 0]], null, get).data[0]; // ≈ 0.25
 * ```
 */
export type KernelKind = 'nngp' | 'ntk';

/**
 * Input vectors, one per row (arrays or Float64Arrays of the same length). Images are rows too: pixels in row-major
 * order with the channel last (NHWC without the N), their shape given to `kernelFn` as `{ shape: [H, W, C] }`.
 *
 * @example
 * ```ts
 * import { serial, dense, type Inputs } from '@holonomic-ntk/ntk';
 * const x: Inputs = [[1, 2], Float64Array.of(3, 4)];
 * serial(dense()).kernelFn(x, null, 'nngp').data; // → Float64Array.of(2.5, 5.5, 5.5, 12.5)
 * ```
 */
export type Inputs = readonly (readonly number[] | Float64Array)[];

/**
 * The kernel between two sets of inputs after some layers: what a {@link Layer} maps.
 *
 * Layout (row-major Float64Arrays), with P the number of pixels of `shape` (1 for a flat state):
 * - `diagonalSpatial` false (every pixel pair): nngp and ntk are n1 × n2 × P × P, cov1 is n1 × P × P (the covariance
 *   of every pixel pair of one input), cov2 is n2 × P × P;
 * - `diagonalSpatial` true (pairs at the same pixel only, neural-tangents' `diagonal_spatial`): n1 × n2 × P, n1 × P, n2 × P.
 *
 * @example
 * ```ts
 * import { activation, dense, serial, type KernelState } from '@holonomic-ntk/ntk';
 * const k: KernelState = serial(dense(), activation('relu')).kernelState([[1, 0], [0, 1]], null, true);
 * [k.n1, k.n2, k.same]; // → [2, 2, true]
 * k.cov1; // → Float64Array.of(0.25, 0.25)
 * k.shape; // → []
 * ```
 */
export interface KernelState {
  n1: number;
  n2: number;
  /** Covariances within each x1 point (its variance, or its pixel-pair covariances). */
  cov1: Float64Array;
  /** The same for the x2 points. */
  cov2: Float64Array;
  nngp: Float64Array;
  /** Null when only the NNGP was requested. */
  ntk: Float64Array | null;
  /**
   * x1 is a prefix of x2 (x1[i] = x2[i] for i < n1; x2 = x1 is the case n1 = n2, a row tile of K(X, X) the case
   * "rows r0.. of X against columns r0.."): those diagonal entries use ρ = 1 exactly, cov1 = cov2[0..n1), and
   * the entries below the diagonal are the mirror images of those above, so K(X, X) is exactly symmetric.
   */
  same: boolean;
  /** Channel count of the current representation (undefined: a dense layer without `width`). */
  width: number | undefined;
  /** Spatial shape ([] for a flat state; [L] for sequences, [H, W] for images). Absent means []. */
  shape?: readonly number[];
  /** Only the same-pixel covariances are kept (see the layout above). Absent means false. */
  diagonalSpatial?: boolean;
  /**
   * The representation is a centred Gaussian process (after a dense or convolutional layer and linear maps of one);
   * layerNorm and fanInSum of several branches need it (neural-tangents' `is_gaussian`). Absent means true.
   */
  gaussian?: boolean;
}

/**
 * One kernel state, or one per branch (between `fanOut`/`parallel` and a fan-in).
 *
 * @example
 * ```ts
 * import { dense, fanOut, identity, parallel, serial, type Kernels } from '@holonomic-ntk/ntk';
 * const ks: Kernels = serial(fanOut(2), parallel(dense({ wStd: 2 }), identity())).kernelStates([[1, 1]], null, false);
 * Array.isArray(ks) && ks.map((k) => k.nngp[0]); // → [4, 1]
 * ```
 */
export type Kernels = KernelState | readonly KernelState[];

/**
 * Shape of one input of a layer in the finite network: spatial dimensions then channels ([C], [L, C], [H, W, C]), or
 * one shape per branch.
 *
 * @example
 * ```ts
 * import { conv, type Shapes } from '@holonomic-ntk/ntk';
 * const s: Shapes = [8, 8, 1];
 * conv(4, [3, 3], { padding: 'VALID' }).init!(() => 0, s).outShape; // → [6, 6, 4]
 * ```
 */
export type Shapes = readonly number[] | readonly (readonly number[])[];

/**
 * Activations of one input in the finite network (row-major, channel last), or one per branch.
 *
 * @example
 * ```ts
 * import { activation, type Values } from '@holonomic-ntk/ntk';
 * const v: Values = Float64Array.of(-1, 2);
 * activation('relu').apply!([], v); // → Float64Array.of(0, 2)
 * ```
 */
export type Values = Float64Array | readonly Float64Array[];

/**
 * Parameters of a finite network: Float64Arrays of a layer, nested for combinators.
 *
 * @example
 * ```ts
 * import { dense, type Params } from '@holonomic-ntk/ntk';
 * const p: Params = dense({ width: 2 }).init!(() => 1, [3]).params;
 * p.length; // → 2
 * ```
 */
export type Params = readonly (Float64Array | Params)[];

/**
 * A layer: a kernel rule and (optionally) a finite-width forward pass. Write one to add a layer kind (here: scale
 * both kernels); only `name` and `kernel` are required.
 *
 * - `mapKernels`: for layers between branches (fanOut, parallel, fan-ins, serial): maps one or several states.
 * - `needsFull`: given whether the layer's output needs every pixel pair, whether its input does (default: the
 *   same); this is how a network decides on neural-tangents' `diagonal_spatial`.
 * - `init` / `apply` / `vjp`: the finite network (N(0, 1) draws from `normal`), its forward pass for one input and
 *   the product of a cotangent of the output with the Jacobians (with respect to the input and to the parameters).
 *
 * @example
 * ```ts
 * import { activation, dense, serial, type Layer } from '@holonomic-ntk/ntk';
 * const scale = (s: number): Layer => ({
 *   name: `scale(${s})`,
 *   kernel: (k) => ({ ...k, cov1: k.cov1.map((v) => s * v), cov2: k.cov2.map((v) => s * v), nngp: k.nngp.map((v) => s * v), ntk: k.ntk && k.ntk.map((v) => s * v) }),
 * });
 * serial(dense(), activation('relu'), scale(2)).kernelFn([[1, 0]], null, 'nngp').data[0]; // ≈ 0.5
 * ```
 */
export interface Layer {
  readonly name: string;
  kernel(k: KernelState): KernelState;
  mapKernels?(k: Kernels): Kernels;
  needsFull?(outputNeedsFull: Need): Need;
  init?(normal: () => number, inShape: Shapes): { params: Params; outShape: Shapes };
  apply?(params: Params, x: Values): Values;
  vjp?(params: Params, x: Values, gy: Values): { gx: Values; gparams: Params };
}

/**
 * Whether every pixel pair is needed: one answer, or one per branch.
 *
 * @example
 * ```ts
 * import { globalAvgPool, type Need } from '@holonomic-ntk/ntk';
 * const n: Need = globalAvgPool().needsFull!(false);
 * n; // → true
 * ```
 */
export type Need = boolean | readonly boolean[];

/** Number of pixels of a spatial shape. */
export function pixels(shape: readonly number[] | undefined): number {
  let p = 1;
  for (const s of shape ?? []) p *= s;
  return p;
}

/** The one state of a single-branch value, or a typed error naming the layer. */
export function single(k: Kernels, layer: string): KernelState {
  if (Array.isArray(k)) {
    throw new RangeError(`${layer} takes one input, got ${(k as readonly KernelState[]).length} branches: close them with fanInSum() or fanInConcat()`);
  }
  return k as KernelState;
}

/** The one value of a single-branch finite input. */
export function singleValue(x: Values, layer: string): Float64Array {
  if (!(x instanceof Float64Array)) throw new RangeError(`${layer} takes one input, got ${x.length} branches`);
  return x;
}

/** The one shape of a single-branch finite input. */
export function singleShape(s: Shapes, layer: string): readonly number[] {
  if (s.length > 0 && Array.isArray(s[0])) throw new RangeError(`${layer} takes one input, got ${s.length} branches`);
  return s as readonly number[];
}
