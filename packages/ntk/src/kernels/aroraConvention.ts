/**
 * The NTK in the convention of Arora et al. 2019 ([Arora19], arXiv:1904.11955, Thm 3.1) used by Sakoda–Takayama
 * ([ST24]), MATH.md §6:
 *   Σ⁰ = x·x′,  Σʰ = c_σ E[σ(u)σ(v)],  Σ̇ʰ = c_σ E[σ̇(u)σ̇(v)],  (u, v) ~ N(0, Λʰ) built from Σ^{h−1},
 *   Θ = Σ_{h=1}^{L+1} Σ^{h−1} Π_{h′=h}^{L+1} Σ̇^{h′},  Σ̇^{L+1} = 1,  c_σ = 1/E_{z~N(0,1)}[σ(z)²].
 * Horner form used here: Θ⁰ = Σ⁰, Θʰ = Σʰ + Σ̇ʰ Θ^{h−1} (h = 1..L), Θ = Θᴸ; the NNGP is Σᴸ.
 *
 * Exact mapping to neural-tangents' 'ntk' parameterization (checked to rounding in test/kernels.test.ts):
 *   serial(dense({ wStd: √d, bStd: 0 }), [activation(σ), dense({ wStd: √c_σ, bStd: 0 })] × L)
 * — the first layer's σw² = d undoes neural-tangents' input normalisation x·x′/d, the others carry c_σ, and the
 * last dense layer plays the role of Σ̇^{L+1} = 1. (With σw = √c_σ everywhere instead, the two agree only for
 * positively homogeneous σ such as ReLU, up to the factor c_σ/d.)
 */
import type { DualProvider } from '../duals/dualProvider.ts';
import type { Matrix } from '../regression/linearAlgebra.ts';
import { activation, dense, serial, type Inputs, type Layer, type Network } from './stax.ts';

/**
 * Options of {@link aroraKernels}.
 *
 * @example
 * ```ts
 * import { aroraKernels, reluDual, type AroraOptions } from '@holonomic-ntk/ntk';
 * const options: AroraOptions = { depth: 1, dual: reluDual, cSigma: 2 };
 * aroraKernels([[1, 0]], null, options).ntk.data; // → Float64Array.of(2)
 * ```
 */
export interface AroraOptions {
  /** Number of hidden layers L. */
  depth: number;
  dual: DualProvider;
  /** c_σ; default 1/E[σ(z)²] = 1/dual.sigma(1, 1, 1). */
  cSigma?: number;
}

/**
 * c_σ = 1/E_{z~N(0,1)}[σ(z)²] (ReLU: 2).
 *
 * @example
 * ```ts
 * import { cSigma, erfDual, reluDual } from '@holonomic-ntk/ntk';
 * cSigma(reluDual); // → 2
 * cSigma(erfDual); // ≈ 2.1525788606075986
 * ```
 */
export function cSigma(dual: DualProvider): number {
  return 1 / dual.sigma(1, 1, 1);
}

/**
 * NNGP Σᴸ and NTK Θ of [Arora19] for inputs x1, x2 (x2 = null: x1), by the direct recursion.
 *
 * @example
 * ```ts
 * import { aroraKernels, reluDual, toRows } from '@holonomic-ntk/ntk';
 * const { nngp, ntk } = aroraKernels([[1, 0], [0, 1]], null, { depth: 1, dual: reluDual });
 * toRows(nngp)[0]; // → [1, 1 / Math.PI]
 * toRows(ntk)[0]; // → [2, 1 / Math.PI]
 * ```
 */
export function aroraKernels(x1: Inputs, x2: Inputs | null, o: AroraOptions): { nngp: Matrix; ntk: Matrix } {
  if (!Number.isInteger(o.depth) || o.depth < 0) throw new RangeError(`depth must be an integer ≥ 0, got ${o.depth}`);
  const c = o.cSigma ?? cSigma(o.dual);
  const same = x2 === null;
  const y = x2 ?? x1;
  const dot = (u: ArrayLike<number>, v: ArrayLike<number>) => {
    let s = 0;
    for (let t = 0; t < u.length; t++) s += u[t]! * v[t]!;
    return s;
  };
  const n1 = x1.length;
  const n2 = y.length;
  let var1 = Float64Array.from(x1, (v) => dot(v, v));
  let var2 = same ? var1 : Float64Array.from(y, (v) => dot(v, v));
  let sigma = new Float64Array(n1 * n2);
  for (let i = 0; i < n1; i++) for (let j = 0; j < n2; j++) sigma[i * n2 + j] = dot(x1[i]!, y[j]!);
  const theta = Float64Array.from(sigma);
  for (let h = 1; h <= o.depth; h++) {
    const next = new Float64Array(n1 * n2);
    for (let i = 0; i < n1; i++) {
      const a = var1[i]!;
      for (let j = 0; j < n2; j++) {
        const idx = i * n2 + j;
        const cc = same && i === j ? a : sigma[idx]!; // ρ = 1 exactly on the diagonal
        const b = var2[j]!;
        const sh = c * o.dual.sigma(a, cc, b);
        theta[idx] = sh + c * o.dual.dsigma(a, cc, b) * theta[idx]!;
        next[idx] = sh;
      }
    }
    const nv1 = var1.map((v) => c * o.dual.sigma(v, v, v));
    var2 = same ? nv1 : var2.map((v) => c * o.dual.sigma(v, v, v));
    var1 = nv1;
    sigma = next;
  }
  return { nngp: { rows: n1, cols: n2, data: sigma }, ntk: { rows: n1, cols: n2, data: theta } };
}

/**
 * The neural-tangents network equal to the [Arora19] kernels (see the module comment).
 *
 * @example
 * ```ts
 * import { aroraAsStax, aroraKernels, reluDual } from '@holonomic-ntk/ntk';
 * const x = [[1, 0, 0], [0.6, 0.8, 0]];
 * const stax = aroraAsStax(3, 2, reluDual).kernelFn(x, null, 'ntk');
 * const direct = aroraKernels(x, null, { depth: 2, dual: reluDual }).ntk;
 * stax.data.every((v, i) => Math.abs(v - direct.data[i]!) < 1e-13 * Math.abs(v)); // → true
 * ```
 */
export function aroraAsStax(inputDim: number, depth: number, dual: DualProvider, c: number = cSigma(dual)): Network {
  const layers: Layer[] = [dense({ wStd: Math.sqrt(inputDim), bStd: 0 })];
  for (let h = 0; h < depth; h++) layers.push(activation(dual), dense({ wStd: Math.sqrt(c), bStd: 0 }));
  return serial(...layers);
}
