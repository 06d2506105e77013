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

export type Parameterization = 'ntk' | 'standard';
export type KernelKind = 'nngp' | 'ntk';
/** Input vectors, one per row. */
export type Inputs = readonly (readonly number[] | Float64Array)[];

/** The kernel between two sets of inputs after some layers (row-major n1×n2 matrices). */
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

/** A layer: a map of kernel states. */
export interface Layer {
  readonly name: string;
  kernel(k: KernelState): KernelState;
}

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
 * A fully connected layer.
 *
 * @example dense({ wStd: Math.SQRT2, bStd: 0.1 });
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
          for (let i = 0; i < ntk.length; i++) ntk[i] = nngp[i] + w2 * k.ntk[i];
        } else {
          const n = k.width;
          if (n === undefined) {
            throw new Error("'standard' parameterization needs the width of this layer's input: give the previous dense layer a width");
          }
          const bias = bStd === null ? 0 : 1;
          for (let i = 0; i < ntk.length; i++) ntk[i] = n * k.nngp[i] + w2 * k.ntk[i] + bias;
        }
      }
      const cov2 = affine(k.cov2);
      return { ...k, cov1: k.same ? cov2.subarray(0, k.n1) : affine(k.cov1), cov2, nngp, ntk, width: options.width };
    },
  };
}

/**
 * An elementwise nonlinearity, given by its dual: a closed-form name ('relu', 'erf', 'gelu', 'step', 'sin',
 * 'cos', 'exp', 'rectpow<m>') or any DualProvider (Gauss–Hermite, quadrature, HGM, …). A provider with
 * `sigmaBatch`/`dsigmaBatch` gets all off-diagonal entries of the layer in one call (the HGM's "all at once":
 * one path per (a, b) for every c); otherwise the entries are evaluated one by one.
 *
 * @example activation('relu'); activation(gaussHermiteDual(ACTIVATIONS.resin, 50)); activation(hgmDual('resin'));
 */
export function activation(dual: string | DualProvider): Layer {
  const p = typeof dual === 'string' ? closedFormDual(dual) : dual;
  if (!p) {
    throw new Error(`no closed-form dual for '${dual as string}': pass a DualProvider, e.g. hgmDual('${dual as string}') or gaussHermiteDual(ACTIVATIONS.${dual as string}, 50)`);
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
          const a = cov1[i];
          const b = cov2[j];
          A[m] = a <= b ? a : b;
          B[m] = a <= b ? b : a;
          C[m] = k.nngp[idx];
          at[m++] = idx;
        }
      }
      const sig = p.sigmaBatch ? p.sigmaBatch(A, C, B) : entryByEntry(p.sigma, A, C, B);
      const nngp = new Float64Array(n1 * n2);
      for (let t = 0; t < count; t++) nngp[at[t]] = sig[t];
      let ntk: Float64Array | null = null;
      if (k.ntk) {
        const dsig = p.dsigmaBatch ? p.dsigmaBatch(A, C, B) : entryByEntry(p.dsigma, A, C, B);
        ntk = new Float64Array(n1 * n2);
        for (let t = 0; t < count; t++) ntk[at[t]] = k.ntk[at[t]] * dsig[t];
      }
      if (same) {
        for (let i = 0; i < n1; i++) {
          const ii = i * n2 + i;
          // Same input ⇒ ρ = 1 exactly, whatever rounding did to the off-diagonal recursion.
          nngp[ii] = newCov2[i];
          if (ntk) ntk[ii] = k.ntk![ii] * diagDsigma!(cov2[i]);
          for (let j = 0; j < i; j++) {
            nngp[i * n2 + j] = nngp[j * n2 + i];
            if (ntk) ntk[i * n2 + j] = ntk[j * n2 + i];
          }
        }
      }
      return { ...k, cov1: newCov1, cov2: newCov2, nngp, ntk };
    },
  };
}

function entryByEntry(f: (a: number, c: number, b: number) => number, A: Float64Array, C: Float64Array, B: Float64Array): Float64Array {
  const out = new Float64Array(A.length);
  for (let t = 0; t < A.length; t++) out[t] = f(A[t], C[t], B[t]);
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

/** A network: its layers and its kernel function. */
export interface Network {
  readonly layers: readonly Layer[];
  /**
   * K(x1, x2) as an n1×n2 array; x2 = null or omitted means x2 = x1.
   *
   * @example net.kernelFn(x, null, 'ntk');
   */
  kernelFn(x1: Inputs, x2: Inputs | null | undefined, get: KernelKind): number[][];
  /** Both kernels at once (one pass). */
  kernels(x1: Inputs, x2?: Inputs | null): { nngp: number[][]; ntk: number[][] };
  /** The final kernel state (for chaining or inspection). */
  kernelState(x1: Inputs, x2: Inputs | null | undefined, withNtk: boolean): KernelState;
}

/**
 * Composition of layers (neural-tangents `stax.serial`).
 *
 * @example
 *   const net = serial(dense({ wStd: 1.5, bStd: 0.1 }), activation('relu'), dense({ wStd: 1.5, bStd: 0.1 }));
 *   net.kernelFn([[1, 0], [0.6, 0.8]], null, 'ntk'); // 2×2 NTK
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
      return toRows(get === 'ntk' ? k.ntk! : k.nngp, k.n1, k.n2);
    },
    kernels(x1, x2) {
      const k = kernelState(x1, x2, true);
      return { nngp: toRows(k.nngp, k.n1, k.n2), ntk: toRows(k.ntk!, k.n1, k.n2) };
    },
  };
}

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
 * @example fullyConnected({ depth: 2, activation: 'relu', wStd: Math.SQRT2 }).kernelFn(x, null, 'ntk');
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
 * @example inputKernel([[1, 0], [0, 1]], null, true).nngp; // [0.5, 0, 0, 0.5]
 */
export function inputKernel(x1: Inputs, x2: Inputs | null, withNtk: boolean, x1IsPrefix = false): KernelState {
  const same = x2 === null || x2 === x1 || x1IsPrefix;
  const y = x2 ?? x1;
  if (x1.length === 0 || y.length === 0) throw new RangeError('need at least one input vector on each side');
  if (x1IsPrefix && x1.length > y.length) throw new RangeError('x1 cannot be a prefix of a shorter x2');
  const d = x1[0].length;
  for (const v of [...x1, ...y]) {
    if (v.length !== d) throw new RangeError(`all inputs must have dimension ${d}, got ${v.length}`);
    for (const t of v) if (!Number.isFinite(t)) throw new RangeError('inputs must be finite');
  }
  const dot = (u: ArrayLike<number>, v: ArrayLike<number>) => {
    let s = 0;
    for (let t = 0; t < d; t++) s += u[t] * v[t];
    return s / d;
  };
  const n1 = x1.length;
  const n2 = y.length;
  const nngp = new Float64Array(n1 * n2);
  for (let i = 0; i < n1; i++) for (let j = 0; j < n2; j++) nngp[i * n2 + j] = dot(x1[i], y[j]);
  const cov2 = Float64Array.from(y, (v) => dot(v, v));
  const cov1 = same ? cov2.subarray(0, n1) : Float64Array.from(x1, (v) => dot(v, v));
  return { n1, n2, cov1, cov2, nngp, ntk: withNtk ? new Float64Array(n1 * n2) : null, same, width: d };
}

function toRows(m: Float64Array, n1: number, n2: number): number[][] {
  return Array.from({ length: n1 }, (_, i) => Array.from(m.subarray(i * n2, (i + 1) * n2)));
}
