/**
 * The input kernel of neural-tangents (a `Kernel` made from the inputs): x·x′/C per pixel pair, where C is the channel
 * count (the last axis of `shape`), ntk = 0 (no parameters yet).
 */
import type { Inputs, KernelState } from './types.ts';

/**
 * Options of {@link inputKernel}: the shape of one input ([d] or omitted for vectors, [L, C], [H, W, C] for images,
 * channel last) and whether only same-pixel pairs are kept.
 */
export interface InputKernelOptions {
  shape?: readonly number[] | undefined;
  diagonalSpatial?: boolean;
}

/**
 * The input kernel. `x1IsPrefix`: x1 is x2's first rows (a row tile of K(X, X), see KernelState.same).
 *
 * For example `inputKernel([[1, 0], [0, 1]], null, true).nngp` gives [0.5, 0, 0, 0.5]; with `{ shape: [2, 1] }` the
 * same rows are two pixels of one channel, nngp (2 × 2 × 2 × 2) = [1, 0, 0, 0,  0, 0, 0, 0,  0, 0, 0, 0,  0, 0, 0, 1].
 */
export function inputKernel(x1: Inputs, x2: Inputs | null, withNtk: boolean, x1IsPrefix = false, options: InputKernelOptions = {}): KernelState {
  const same = x2 === null || x2 === x1 || x1IsPrefix;
  const y = x2 ?? x1;
  if (x1.length === 0 || y.length === 0) throw new RangeError('need at least one input vector on each side');
  if (x1IsPrefix && x1.length > y.length) throw new RangeError('x1 cannot be a prefix of a shorter x2');
  const d = x1[0]!.length;
  for (const v of [...x1, ...y]) {
    if (v.length !== d) throw new RangeError(`all inputs must have dimension ${d}, got ${v.length}`);
    for (const t of v) if (!Number.isFinite(t)) throw new RangeError('inputs must be finite');
  }
  const full = options.shape ?? [d];
  if (full.length === 0 || !full.every((s) => Number.isInteger(s) && s > 0)) throw new RangeError(`shape must be positive integers, got [${full}]`);
  let size = 1;
  for (const s of full) size *= s;
  if (size !== d) throw new RangeError(`shape [${full}] has ${size} entries but the inputs have ${d}`);
  const spatial = full.slice(0, -1);
  const C = full[full.length - 1]!;
  const P = d / C;
  const diag = P > 1 && (options.diagonalSpatial ?? false);
  const n1 = x1.length;
  const n2 = y.length;
  // ⟨u[p, ·], v[q, ·]⟩ / C
  const dot = (u: ArrayLike<number>, p: number, v: ArrayLike<number>, q: number) => {
    let s = 0;
    for (let t = 0; t < C; t++) s += u[p * C + t]! * v[q * C + t]!;
    return s / C;
  };
  const block = diag ? P : P * P;
  const pair = (u: ArrayLike<number>, v: ArrayLike<number>, out: Float64Array, at: number) => {
    if (diag) for (let p = 0; p < P; p++) out[at + p] = dot(u, p, v, p);
    else for (let p = 0; p < P; p++) for (let q = 0; q < P; q++) out[at + p * P + q] = dot(u, p, v, q);
  };
  const nngp = new Float64Array(n1 * n2 * block);
  for (let i = 0; i < n1; i++) for (let j = 0; j < n2; j++) pair(x1[i]!, y[j]!, nngp, (i * n2 + j) * block);
  const cov2 = new Float64Array(n2 * block);
  for (let j = 0; j < n2; j++) pair(y[j]!, y[j]!, cov2, j * block);
  let cov1 = cov2.subarray(0, n1 * block);
  if (!same) {
    cov1 = new Float64Array(n1 * block);
    for (let i = 0; i < n1; i++) pair(x1[i]!, x1[i]!, cov1, i * block);
  }
  return {
    n1,
    n2,
    cov1,
    cov2,
    nngp,
    ntk: withNtk ? new Float64Array(n1 * n2 * block) : null,
    same,
    width: C,
    shape: spatial,
    diagonalSpatial: diag,
    gaussian: false,
  };
}
