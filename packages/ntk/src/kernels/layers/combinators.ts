/**
 * Combinators (neural_tangents/_src/stax/combinators.py: `serial`, `parallel`; branching.py: `FanOut`, `FanInSum`,
 * `FanInConcat`) and the network: a serial composition is itself a layer, so it nests.
 *
 *   fanOut(n):      n copies of the state (the same input to n branches);
 *   parallel(…):    the i-th layer on the i-th branch;
 *   fanInSum():     K = Σ_b K_b — the branches are independent centred Gaussians (every branch but one must hold a
 *                   dense or conv layer of its own; neural-tangents assumes the same and only warns), so the cross
 *                   covariances vanish;
 *   fanInConcat():  channel concatenation, K = Σ_b n_b K_b / Σ_b n_b with n_b the branch widths (equal weights when
 *                   the widths are equal or unknown; neural-tangents `_concat_kernels` along the channel axis).
 */
import { DomainError } from '@holonomic-ntk/core';
import type { Matrix } from '../../regression/linearAlgebra.ts';
import { inputKernel } from './input.ts';
import {
  type Inputs,
  type KernelKind,
  type KernelState,
  type Kernels,
  type Layer,
  type Need,
  type Params,
  type Shapes,
  type Values,
  pixels,
  single,
} from './types.ts';

/** One layer on one or several states. */
function step(layer: Layer, k: Kernels): Kernels {
  return layer.mapKernels ? layer.mapKernels(k) : layer.kernel(single(k, layer.name));
}

function anyNeed(n: Need): boolean {
  return typeof n === 'boolean' ? n : n.some((x) => x);
}

/**
 * Options of a network's kernel functions: `shape` of one input (spatial dimensions then channels, e.g. [8, 8, 1];
 * omitted: vectors), `blockEntries`: pixel-pair entries per block of inputs (default 2²¹) — larger image sets are
 * computed block by block (K(X, X) by blocks I ≤ J, mirrored), each block one batch per activation layer.
 *
 * @example
 * ```ts
 * import { conv, flatten, serial, type KernelFnOptions } from '@holonomic-ntk/ntk';
 * const options: KernelFnOptions = { shape: [2, 2, 1] };
 * serial(conv(3, [2, 2]), flatten()).kernelFn([[1, 0, 0, 1]], null, 'nngp', options).data[0]; // ≈ 0.5
 * ```
 */
export interface KernelFnOptions {
  shape?: readonly number[];
  blockEntries?: number;
}

/**
 * A network: its layers, its kernel functions and its finite-width counterpart; also a {@link Layer} (it nests).
 * Kernels are {@link Matrix} values (row-major Float64Array).
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
export interface Network extends Layer {
  readonly layers: readonly Layer[];
  /**
   * K(x1, x2) as an n1×n2 matrix; x2 = null or omitted means x2 = x1.
   *
   * Returns a {@link Matrix}, e.g. `net.kernelFn(x, null, 'ntk')`.
   */
  kernelFn(x1: Inputs, x2: Inputs | null | undefined, get: KernelKind, options?: KernelFnOptions): Matrix;
  /** Both kernels at once (one pass). */
  kernels(x1: Inputs, x2?: Inputs | null, options?: KernelFnOptions): { nngp: Matrix; ntk: Matrix };
  /** The final kernel state (for chaining or inspection); one block, whatever the size. */
  kernelState(x1: Inputs, x2: Inputs | null | undefined, withNtk: boolean, options?: KernelFnOptions): KernelState;
  /** The final state or states (a network that ends in branches). */
  kernelStates(x1: Inputs, x2: Inputs | null | undefined, withNtk: boolean, options?: KernelFnOptions): Kernels;
  needsFull(outputNeedsFull: Need): Need;
  init(normal: () => number, inShape: Shapes): { params: Params; outShape: Shapes };
  apply(params: Params, x: Values): Values;
  vjp(params: Params, x: Values, gy: Values): { gx: Values; gparams: Params };
}

/** The finite parts of a layer, or a typed error. */
function finite(layer: Layer): Required<Pick<Layer, 'init' | 'apply' | 'vjp'>> {
  if (!layer.init || !layer.apply || !layer.vjp) throw new DomainError(`${layer.name} has no finite-width network (init/apply/vjp)`);
  return layer as Required<Pick<Layer, 'init' | 'apply' | 'vjp'>>;
}

/**
 * Composition of layers (neural-tangents `stax.serial`); the result is a layer too.
 *
 * @example
 * ```ts
 * import { activation, dense, serial } from '@holonomic-ntk/ntk';
 * const block = serial(dense({ wStd: 1.5, bStd: 0.1 }), activation('relu'));
 * const net = serial(block, block, dense({ wStd: 1.5, bStd: 0.1 }));
 * net.layers.length; // → 3
 * const { nngp, ntk } = net.kernels([[1, 0], [0.6, 0.8]]);
 * nngp.data[1] === nngp.data[2] && ntk.data[1] === ntk.data[2]; // → true
 * ```
 */
export function serial(...layers: Layer[]): Network {
  const name = `serial(${layers.map((l) => l.name).join(', ')})`;
  const run = (k: Kernels): Kernels => {
    for (const layer of layers) k = step(layer, k);
    return k;
  };
  const needsFull = (out: Need): Need => {
    let n = out;
    for (let i = layers.length - 1; i >= 0; i--) n = layers[i]!.needsFull ? layers[i]!.needsFull!(n) : n;
    return n;
  };
  const kernelStates = (x1: Inputs, x2: Inputs | null | undefined, withNtk: boolean, options: KernelFnOptions = {}, x1IsPrefix = false): Kernels => {
    const diagonalSpatial = !anyNeed(needsFull(false));
    return run(inputKernel(x1, x2 ?? null, withNtk, x1IsPrefix, { shape: options.shape, diagonalSpatial }));
  };
  const kernelState = (x1: Inputs, x2: Inputs | null | undefined, withNtk: boolean, options?: KernelFnOptions): KernelState =>
    single(kernelStates(x1, x2, withNtk, options), name);
  const matrices = (x1: Inputs, x2: Inputs | null | undefined, withNtk: boolean, options: KernelFnOptions = {}) => {
    const shape = options.shape;
    const P = shape ? pixels(shape.slice(0, -1)) : 1;
    const perPair = anyNeed(needsFull(false)) ? P * P : P;
    const target = options.blockEntries ?? 2 ** 21;
    const blk = Math.max(1, Math.floor(Math.sqrt(target / perPair)));
    const n1 = x1.length;
    const n2 = (x2 ?? x1).length;
    const flat = (k: KernelState) => {
      if ((k.shape ?? []).length > 0)
        throw new RangeError(`the network ends on a spatial state of shape [${k.shape}]: end it with flatten() or globalAvgPool()`);
      return k;
    };
    if (n1 <= blk && n2 <= blk) {
      const k = flat(kernelState(x1, x2, withNtk, options));
      if (k.same && (options.shape ?? []).length > 1) {
        // Pooling sums a mirrored pixel-pair block in another order: restore the exact symmetry of K(X, X).
        for (let i = 0; i < n1; i++) {
          for (let j = 0; j < i; j++) {
            k.nngp[i * n2 + j] = k.nngp[j * n2 + i]!;
            if (k.ntk) k.ntk[i * n2 + j] = k.ntk[j * n2 + i]!;
          }
        }
      }
      return { nngp: k.nngp, ntk: k.ntk };
    }
    const same = x2 === null || x2 === undefined || x2 === x1;
    const y = x2 ?? x1;
    const nngp = new Float64Array(n1 * n2);
    const ntk = withNtk ? new Float64Array(n1 * n2) : null;
    for (let r0 = 0; r0 < n1; r0 += blk) {
      const r1 = Math.min(n1, r0 + blk);
      for (let c0 = same ? r0 : 0; c0 < n2; c0 += blk) {
        const c1 = Math.min(n2, c0 + blk);
        const diagBlock = same && c0 === r0;
        const k = flat(kernelState(x1.slice(r0, r1), diagBlock ? null : y.slice(c0, c1), withNtk, options));
        const w = c1 - c0;
        for (let i = r0; i < r1; i++) {
          for (let j = diagBlock ? i : c0; j < c1; j++) {
            const v = k.nngp[(i - r0) * w + (j - c0)]!;
            nngp[i * n2 + j] = v;
            if (same) nngp[j * n2 + i] = v;
            if (ntk) {
              const u = k.ntk![(i - r0) * w + (j - c0)]!;
              ntk[i * n2 + j] = u;
              if (same) ntk[j * n2 + i] = u;
            }
          }
        }
      }
    }
    return { nngp, ntk };
  };
  return {
    name,
    layers,
    kernel: (k) => single(run(k), name),
    mapKernels: run,
    kernels(x1, x2, options) {
      const m = matrices(x1, x2, true, options);
      const n2 = (x2 ?? x1).length;
      return { nngp: { rows: x1.length, cols: n2, data: m.nngp }, ntk: { rows: x1.length, cols: n2, data: m.ntk! } };
    },
    kernelFn(x1, x2, get, options) {
      const m = matrices(x1, x2, get === 'ntk', options);
      return { rows: x1.length, cols: (x2 ?? x1).length, data: get === 'ntk' ? m.ntk! : m.nngp };
    },
    kernelState,
    kernelStates: (x1, x2, withNtk, options) => kernelStates(x1, x2, withNtk, options),
    needsFull,
    init(normal, inShape) {
      const params: Params[] = [];
      let s = inShape;
      for (const layer of layers) {
        const r = finite(layer).init(normal, s);
        params.push(r.params);
        s = r.outShape;
      }
      return { params, outShape: s };
    },
    apply(params, x) {
      let v = x;
      layers.forEach((layer, i) => {
        v = finite(layer).apply(params[i] as Params, v);
      });
      return v;
    },
    vjp(params, x, gy) {
      const inputs: Values[] = [];
      let v = x;
      layers.forEach((layer, i) => {
        inputs.push(v);
        v = finite(layer).apply(params[i] as Params, v);
      });
      const gparams: Params[] = new Array(layers.length);
      let g = gy;
      for (let i = layers.length - 1; i >= 0; i--) {
        const r = finite(layers[i]!).vjp(params[i] as Params, inputs[i]!, g);
        gparams[i] = r.gparams;
        g = r.gx;
      }
      return { gx: g, gparams };
    },
  };
}

/**
 * The identity layer (neural-tangents `Identity`): the skip branch of a residual block.
 *
 * @example
 * ```ts
 * import { identity, serial } from '@holonomic-ntk/ntk';
 * serial(identity()).kernelFn([[1, 2]], null, 'nngp').data[0]; // ≈ 2.5
 * identity().apply!([], Float64Array.of(3)); // → Float64Array.of(3)
 * ```
 */
export function identity(): Layer {
  return {
    name: 'identity()',
    kernel: (k) => k,
    init: (_normal, inShape) => ({ params: [], outShape: inShape }),
    apply: (_params, x) => x,
    vjp: (_params, _x, gy) => ({ gx: gy, gparams: [] }),
  };
}

/**
 * Copies of the input for `n` branches (neural-tangents `FanOut`).
 *
 * @example
 * ```ts
 * import { dense, fanInSum, fanOut, identity, parallel, serial } from '@holonomic-ntk/ntk';
 * // x + W·x: K = K_x + σw²·K_x.
 * serial(dense(), fanOut(2), parallel(identity(), dense({ wStd: 2 })), fanInSum()).kernelFn([[1, 1]], null, 'nngp').data[0]; // ≈ 5
 * fanOut(0); // throws RangeError
 * ```
 */
export function fanOut(n: number): Layer {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`fanOut needs n ≥ 1 branches, got ${n}`);
  const name = `fanOut(${n})`;
  return {
    name,
    kernel: () => {
      throw new RangeError(`${name} makes ${n} branches: use it inside serial()`);
    },
    mapKernels: (k) => Array.from({ length: n }, () => single(k, name)),
    needsFull: (out) => anyNeed(out),
    init: (_normal, inShape) => ({ params: [], outShape: Array.from({ length: n }, () => inShape as readonly number[]) }),
    apply: (_params, x) => Array.from({ length: n }, () => x as Float64Array),
    vjp(_params, x, gy) {
      const gs = gy as readonly Float64Array[];
      const gx = new Float64Array((x as Float64Array).length);
      for (const g of gs) for (let i = 0; i < gx.length; i++) gx[i]! += g[i]!;
      return { gx, gparams: [] };
    },
  };
}

/**
 * One layer per branch (neural-tangents `parallel`); the layers may be serial compositions.
 *
 * @example
 * ```ts
 * import { dense, fanInConcat, fanOut, parallel, serial } from '@holonomic-ntk/ntk';
 * // Widths 1 and 3: K = (1·1 + 3·4)/4 · K_x.
 * const net = serial(fanOut(2), parallel(dense({ width: 1 }), dense({ width: 3, wStd: 2 })), fanInConcat());
 * net.kernelFn([[2]], null, 'nngp').data[0]; // ≈ 13
 * ```
 */
export function parallel(...layers: Layer[]): Layer {
  const name = `parallel(${layers.map((l) => l.name).join(', ')})`;
  const branches = <T>(x: T | readonly T[], what: string): readonly T[] => {
    if (!Array.isArray(x) || x.length !== layers.length)
      throw new RangeError(`${name} needs ${layers.length} branches of ${what} (use fanOut(${layers.length}) first)`);
    return x as readonly T[];
  };
  return {
    name,
    kernel: () => {
      throw new RangeError(`${name} needs ${layers.length} branches: use it after fanOut(${layers.length}) inside serial()`);
    },
    mapKernels: (k) => branches(k as Kernels, 'kernel states').map((kb, i) => single(step(layers[i]!, kb), layers[i]!.name)),
    needsFull: (out) =>
      layers.map((l, i) => {
        const o = typeof out === 'boolean' ? out : out[i]!;
        return anyNeed(l.needsFull ? l.needsFull(o) : o);
      }),
    init(normal, inShape) {
      const shapes = branches(inShape as readonly (readonly number[])[], 'shapes');
      const rs = layers.map((l, i) => finite(l).init(normal, shapes[i]!));
      return { params: rs.map((r) => r.params), outShape: rs.map((r) => r.outShape as readonly number[]) };
    },
    apply: (params, x) => branches(x as readonly Float64Array[], 'values').map((v, i) => finite(layers[i]!).apply(params[i] as Params, v) as Float64Array),
    vjp(params, x, gy) {
      const xs = branches(x as readonly Float64Array[], 'values');
      const gs = branches(gy as readonly Float64Array[], 'cotangents');
      const rs = layers.map((l, i) => finite(l).vjp(params[i] as Params, xs[i]!, gs[i]!));
      return { gx: rs.map((r) => r.gx as Float64Array), gparams: rs.map((r) => r.gparams) };
    },
  };
}

function branchStates(k: Kernels, name: string): readonly KernelState[] {
  if (!Array.isArray(k)) return [k as KernelState];
  const ks = k as readonly KernelState[];
  const a = ks[0]!;
  for (const b of ks) {
    if (
      b.n1 !== a.n1 ||
      b.n2 !== a.n2 ||
      b.nngp.length !== a.nngp.length ||
      `${b.shape ?? []}` !== `${a.shape ?? []}` ||
      (b.ntk === null) !== (a.ntk === null)
    ) {
      throw new RangeError(`${name}: the branches have different shapes`);
    }
  }
  return ks;
}

/**
 * Sum of the branches (neural-tangents `FanInSum`): K = Σ_b K_b, for independent centred Gaussian branches.
 *
 * @example
 * ```ts
 * import { dense, fanInSum, fanOut, parallel, serial } from '@holonomic-ntk/ntk';
 * const net = serial(fanOut(2), parallel(dense(), dense({ wStd: 3 })), fanInSum());
 * net.kernels([[1, 0]]).ntk.data[0]; // ≈ 5
 * serial(fanOut(2), fanInSum()).kernelFn([[1]], null, 'nngp'); // throws DomainError
 * ```
 */
export function fanInSum(): Layer {
  const name = 'fanInSum()';
  return {
    name,
    kernel: (k) => k,
    mapKernels(k) {
      const ks = branchStates(k, name);
      if (ks.length > 1 && ks.some((b) => b.gaussian === false)) {
        throw new DomainError(
          `${name}: every branch must end Gaussian (in a dense or conv layer, or be the identity of a Gaussian state), as neural-tangents' FanInSum`,
        );
      }
      const sum = (get: (b: KernelState) => Float64Array) => {
        const out = Float64Array.from(get(ks[0]!));
        for (let b = 1; b < ks.length; b++) {
          const v = get(ks[b]!);
          for (let i = 0; i < out.length; i++) out[i]! += v[i]!;
        }
        return out;
      };
      const a = ks[0]!;
      const cov2 = sum((b) => b.cov2);
      return {
        ...a,
        cov2,
        cov1: a.same ? cov2.subarray(0, a.cov1.length) : sum((b) => b.cov1),
        nngp: sum((b) => b.nngp),
        ntk: a.ntk && sum((b) => b.ntk!),
        gaussian: ks.every((b) => b.gaussian !== false),
      };
    },
    needsFull: (out) => anyNeed(out),
    init: (_normal, inShape) => ({ params: [], outShape: (inShape as readonly (readonly number[])[])[0]! }),
    apply(_params, x) {
      const xs = x as readonly Float64Array[];
      const y = Float64Array.from(xs[0]!);
      for (let b = 1; b < xs.length; b++) for (let i = 0; i < y.length; i++) y[i]! += xs[b]![i]!;
      return y;
    },
    vjp: (_params, x, gy) => ({ gx: (x as readonly Float64Array[]).map(() => gy as Float64Array), gparams: [] }),
  };
}

/**
 * Channel concatenation of the branches (neural-tangents `FanInConcat` on the channel axis): the kernel is the
 * width-weighted mean of the branch kernels.
 *
 * @example
 * ```ts
 * import { conv, fanInConcat, fanOut, flatten, parallel, serial } from '@holonomic-ntk/ntk';
 * const net = serial(fanOut(2), parallel(conv(2, [1]), conv(6, [1], { wStd: 3 })), fanInConcat(), flatten());
 * net.kernelFn([[1, 1]], null, 'nngp', { shape: [2, 1] }).data[0]; // ≈ 7
 * ```
 */
export function fanInConcat(): Layer {
  const name = 'fanInConcat()';
  let finiteChannels: number[] | undefined;
  return {
    name,
    kernel: (k) => k,
    mapKernels(k) {
      const ks = branchStates(k, name);
      const widths = ks.map((b) => b.width);
      const known = widths.every((w) => w !== undefined);
      if (!known && widths.some((w) => w !== undefined)) throw new DomainError(`${name}: give every branch's last layer a width (some are unknown)`);
      const wts = known ? (widths as number[]) : widths.map(() => 1);
      const total = wts.reduce((s, w) => s + w, 0);
      const mix = (get: (b: KernelState) => Float64Array) => {
        const out = new Float64Array(get(ks[0]!).length);
        ks.forEach((b, i) => {
          const v = get(b);
          const w = wts[i]! / total;
          for (let e = 0; e < out.length; e++) out[e]! += w * v[e]!;
        });
        return out;
      };
      const a = ks[0]!;
      const cov2 = mix((b) => b.cov2);
      return {
        ...a,
        cov2,
        cov1: a.same ? cov2.subarray(0, a.cov1.length) : mix((b) => b.cov1),
        nngp: mix((b) => b.nngp),
        ntk: a.ntk && mix((b) => b.ntk!),
        width: known ? total : undefined,
        gaussian: false,
      };
    },
    needsFull: (out) => anyNeed(out),
    init(_normal, inShape) {
      const shapes = inShape as readonly (readonly number[])[];
      finiteChannels = shapes.map((s) => s[s.length - 1]!);
      const s0 = shapes[0]!;
      return { params: [], outShape: [...s0.slice(0, -1), finiteChannels.reduce((s, c) => s + c, 0)] };
    },
    apply(_params, x) {
      const xs = x as readonly Float64Array[];
      const cs = finiteChannels!;
      const C = cs.reduce((s, c) => s + c, 0);
      const P = xs[0]!.length / cs[0]!;
      const y = new Float64Array(P * C);
      let off = 0;
      xs.forEach((v, b) => {
        for (let p = 0; p < P; p++) for (let c = 0; c < cs[b]!; c++) y[p * C + off + c] = v[p * cs[b]! + c]!;
        off += cs[b]!;
      });
      return y;
    },
    vjp(_params, x, gy) {
      const xs = x as readonly Float64Array[];
      const g = gy as Float64Array;
      const cs = finiteChannels!;
      const C = cs.reduce((s, c) => s + c, 0);
      const P = xs[0]!.length / cs[0]!;
      let off = 0;
      const gx = xs.map((_, b) => {
        const out = new Float64Array(P * cs[b]!);
        for (let p = 0; p < P; p++) for (let c = 0; c < cs[b]!; c++) out[p * cs[b]! + c] = g[p * C + off + c]!;
        off += cs[b]!;
        return out;
      });
      return { gx, gparams: [] };
    },
  };
}
