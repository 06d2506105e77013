import { DomainError } from '@holonomic-ntk/core';
/**
 * Infinite-width NNGP and NTK of fully connected networks, in the style of neural-tangents' `stax`:
 *   serial(dense(), activation('relu'), dense()).kernelFn(x1, x2, 'ntk')
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
import { closedFormDual } from '../duals/closedForms.ts';
import type { DualProvider } from '../duals/dualProvider.ts';
import type { Matrix } from '../regression/linearAlgebra.ts';

/**
 * neural-tangents' two parameterizations of a dense layer (see the module comment); the NNGP is the same in both.
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
 * Input vectors, one per row (arrays or Float64Arrays of the same length).
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
 * The kernel between two sets of inputs after some layers (row-major n1×n2 Float64Arrays): what a {@link Layer} maps.
 *
 * @example
 * ```ts
 * import { activation, dense, serial, type KernelState } from '@holonomic-ntk/ntk';
 * const k: KernelState = serial(dense(), activation('relu')).kernelState([[1, 0], [0, 1]], null, true);
 * [k.n1, k.n2, k.same]; // → [2, 2, true]
 * k.cov1; // → Float64Array.of(0.25, 0.25)
 * ```
 */
export interface KernelState {
  n1: number;
  n2: number;
  /** Variances of the x1 points (the diagonal of K(x1, x1)). */
  cov1: Float64Array;
  /** Variances of the x2 points. */
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
}

/**
 * A layer: a map of kernel states. Write one to add a layer kind (here: scale both kernels).
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
}

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
  /** Output width; only needed when a following dense layer uses the 'standard' parameterization. */
  width?: number;
  /** σw (default 1). */
  wStd?: number;
  /** σb (default 0). null: no bias parameter at all (matters for 'standard', where a bias adds 1 to the NTK). */
  bStd?: number | null;
  /** Default 'ntk'. */
  parameterization?: Parameterization;
}

/**
 * A fully connected layer: nngp′ = σw²·nngp + σb², and the NTK rule of its parameterization (module comment).
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
  return {
    name: `dense(${param}, wStd=${wStd}, bStd=${bStd})`,
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
      return { ...k, cov1: k.same ? cov2.subarray(0, k.n1) : affine(k.cov1), cov2, nngp, ntk, width: options.width };
    },
  };
}

/**
 * An elementwise nonlinearity, given by its dual: a closed-form name ('relu', 'erf', 'gelu', 'step', 'sin',
 * 'cos', 'exp', 'rectpow:<m>') or any DualProvider (Gauss–Hermite, quadrature, HGM, …). A provider with
 * `sigmaBatch`/`dsigmaBatch` gets all off-diagonal entries of the layer in one call (the HGM's "all at once":
 * one path per (a, b) for every c); otherwise the entries are evaluated one by one.
 *
 * @example
 * ```ts
 * import { activation, dense, hgmDual, serial } from '@holonomic-ntk/ntk';
 * const x = [[1, 0], [0.6, 0.8]];
 * const closed = serial(dense(), activation('relu'), dense()).kernelFn(x, null, 'ntk');
 * const hgm = serial(dense(), activation(hgmDual('relu')), dense()).kernelFn(x, null, 'ntk');
 * Math.abs(hgm.data[1]! - closed.data[1]!) < 1e-10; // → true
 * activation('tanh'); // throws DomainError
 * ```
 */
export function activation(dual: string | DualProvider): Layer {
  const p = typeof dual === 'string' ? closedFormDual(dual) : dual;
  if (!p) {
    throw new DomainError(
      `no closed-form dual for '${dual as string}': pass a DualProvider, e.g. dualProvider('${dual as string}', 'hgm') or dualProvider('${dual as string}', 'gh:50')`,
    );
  }
  return {
    name: `activation(${p.activation}, ${p.name})`,
    kernel(k) {
      const { n1, n2, cov1, cov2, same } = k;
      // ρ = 1 duals of the variances; inputs of equal norm (e.g. on the sphere) share one evaluation.
      const diagSigma = memo((x) => p.sigma(x, x, x));
      const newCov2 = cov2.map(diagSigma);
      const newCov1 = same ? newCov2.subarray(0, n1) : cov1.map(diagSigma);
      const diagDsigma = k.ntk ? memo((x) => p.dsigma(x, x, x)) : null;
      // Entries to evaluate: all of them, or for x1 ⊂ x2 those above the diagonal (the rest are mirrors).
      let count = 0;
      for (let i = 0; i < n1; i++) count += same ? n2 - i - 1 : n2;
      const A = new Float64Array(count);
      const C = new Float64Array(count);
      const B = new Float64Array(count);
      const at = new Uint32Array(count);
      let m = 0;
      for (let i = 0; i < n1; i++) {
        for (let j = same ? i + 1 : 0; j < n2; j++) {
          const idx = i * n2 + j;
          // E[σ(u)σ(v)] is symmetric in (u, v): ordering the variances lets (a, b) and (b, a) share an HGM path.
          const a = cov1[i]!;
          const b = cov2[j]!;
          A[m] = a <= b ? a : b;
          B[m] = a <= b ? b : a;
          C[m] = k.nngp[idx]!;
          at[m++] = idx;
        }
      }
      const sig = p.sigmaBatch ? p.sigmaBatch(A, C, B) : entryByEntry(p.sigma, A, C, B);
      const nngp = new Float64Array(n1 * n2);
      for (let t = 0; t < count; t++) nngp[at[t]!] = sig[t]!;
      let ntk: Float64Array | null = null;
      if (k.ntk) {
        const dsig = p.dsigmaBatch ? p.dsigmaBatch(A, C, B) : entryByEntry(p.dsigma, A, C, B);
        ntk = new Float64Array(n1 * n2);
        for (let t = 0; t < count; t++) ntk[at[t]!] = k.ntk[at[t]!]! * dsig[t]!;
      }
      if (same) {
        for (let i = 0; i < n1; i++) {
          const ii = i * n2 + i;
          // Same input ⇒ ρ = 1 exactly, whatever rounding did to the off-diagonal recursion.
          nngp[ii] = newCov2[i]!;
          if (ntk) ntk[ii] = k.ntk![ii]! * diagDsigma!(cov2[i]!);
          for (let j = 0; j < i; j++) {
            nngp[i * n2 + j] = nngp[j * n2 + i]!;
            if (ntk) ntk[i * n2 + j] = ntk[j * n2 + i]!;
          }
        }
      }
      return { ...k, cov1: newCov1, cov2: newCov2, nngp, ntk };
    },
  };
}

function entryByEntry(f: (a: number, c: number, b: number) => number, A: Float64Array, C: Float64Array, B: Float64Array): Float64Array {
  const out = new Float64Array(A.length);
  for (let t = 0; t < A.length; t++) out[t] = f(A[t]!, C[t]!, B[t]!);
  return out;
}

function memo(f: (x: number) => number): (x: number) => number {
  const seen = new Map<number, number>();
  return (x) => {
    let v = seen.get(x);
    if (v === undefined) seen.set(x, (v = f(x)));
    return v;
  };
}

/**
 * A network: its layers and its kernel function. Kernels are {@link Matrix} values (row-major Float64Array).
 *
 * @example
 * ```ts
 * import { activation, dense, serial, toRows, type Network } from '@holonomic-ntk/ntk';
 * const net: Network = serial(dense(), activation('relu'), dense());
 * const k = net.kernelFn([[1, 0], [0, 1]], null, 'ntk');
 * [k.rows, k.cols]; // → [2, 2]
 * toRows(k)[1]![1]; // ≈ 0.5
 * net.kernels([[1, 0]], [[0, 1]]).nngp.data[0]; // ≈ 0.07957747154594767
 * ```
 */
export interface Network {
  readonly layers: readonly Layer[];
  /**
   * K(x1, x2) as an n1×n2 matrix; x2 = null or omitted means x2 = x1.
   *
   * Returns a {@link Matrix}, e.g. `net.kernelFn(x, null, 'ntk')`.
   */
  kernelFn(x1: Inputs, x2: Inputs | null | undefined, get: KernelKind): Matrix;
  /** Both kernels at once (one pass). */
  kernels(x1: Inputs, x2?: Inputs | null): { nngp: Matrix; ntk: Matrix };
  /** The final kernel state (for chaining or inspection). */
  kernelState(x1: Inputs, x2: Inputs | null | undefined, withNtk: boolean): KernelState;
}

/**
 * Composition of layers (neural-tangents `stax.serial`).
 *
 * @example
 * ```ts
 * import { activation, dense, serial } from '@holonomic-ntk/ntk';
 * const net = serial(dense({ wStd: 1.5, bStd: 0.1 }), activation('relu'), dense({ wStd: 1.5, bStd: 0.1 }));
 * net.layers.length; // → 3
 * const { nngp, ntk } = net.kernels([[1, 0], [0.6, 0.8]]);
 * nngp.data[1] === nngp.data[2] && ntk.data[1] === ntk.data[2]; // → true
 * ```
 */
export function serial(...layers: Layer[]): Network {
  const kernelState = (x1: Inputs, x2: Inputs | null | undefined, withNtk: boolean): KernelState => {
    let k = inputKernel(x1, x2 ?? null, withNtk);
    for (const layer of layers) k = layer.kernel(k);
    return k;
  };
  return {
    layers,
    kernelState,
    kernelFn(x1, x2, get) {
      const k = kernelState(x1, x2, get === 'ntk');
      return { rows: k.n1, cols: k.n2, data: get === 'ntk' ? k.ntk! : k.nngp };
    },
    kernels(x1, x2) {
      const k = kernelState(x1, x2, true);
      return { nngp: { rows: k.n1, cols: k.n2, data: k.nngp }, ntk: { rows: k.n1, cols: k.n2, data: k.ntk! } };
    },
  };
}

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

/**
 * The input kernel of neural-tangents: x·x′/d, ntk = 0. `x1IsPrefix`: x1 is x2's first rows (a row tile of
 * K(X, X), see KernelState.same).
 *
 * For example `inputKernel([[1, 0], [0, 1]], null, true).nngp` gives [0.5, 0, 0, 0.5].
 */
export function inputKernel(x1: Inputs, x2: Inputs | null, withNtk: boolean, x1IsPrefix = false): KernelState {
  const same = x2 === null || x2 === x1 || x1IsPrefix;
  const y = x2 ?? x1;
  if (x1.length === 0 || y.length === 0) throw new RangeError('need at least one input vector on each side');
  if (x1IsPrefix && x1.length > y.length) throw new RangeError('x1 cannot be a prefix of a shorter x2');
  const d = x1[0]!.length;
  for (const v of [...x1, ...y]) {
    if (v.length !== d) throw new RangeError(`all inputs must have dimension ${d}, got ${v.length}`);
    for (const t of v) if (!Number.isFinite(t)) throw new RangeError('inputs must be finite');
  }
  const dot = (u: ArrayLike<number>, v: ArrayLike<number>) => {
    let s = 0;
    for (let t = 0; t < d; t++) s += u[t]! * v[t]!;
    return s / d;
  };
  const n1 = x1.length;
  const n2 = y.length;
  const nngp = new Float64Array(n1 * n2);
  for (let i = 0; i < n1; i++) for (let j = 0; j < n2; j++) nngp[i * n2 + j] = dot(x1[i]!, y[j]!);
  const cov2 = Float64Array.from(y, (v) => dot(v, v));
  const cov1 = same ? cov2.subarray(0, n1) : Float64Array.from(x1, (v) => dot(v, v));
  return { n1, n2, cov1, cov2, nngp, ntk: withNtk ? new Float64Array(n1 * n2) : null, same, width: d };
}
