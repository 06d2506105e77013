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
import { activation, dense, serial, type Inputs, type Layer, type Network } from './stax.ts';

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
 * @example cSigma(CLOSED_FORM_DUALS.relu); // → 2
 */
export function cSigma(dual: DualProvider): number {
  return 1 / dual.sigma(1, 1, 1);
}

/**
 * NNGP Σᴸ and NTK Θ of [Arora19] for inputs x1, x2 (x2 = null: x1), by the direct recursion.
 *
 * @example aroraKernels([[1, 0], [0, 1]], null, { depth: 1, dual: CLOSED_FORM_DUALS.relu }).ntk;
 */
export function aroraKernels(x1: Inputs, x2: Inputs | null, o: AroraOptions): { nngp: number[][]; ntk: number[][] } {
  if (!Number.isInteger(o.depth) || o.depth < 0) throw new RangeError(`depth must be an integer ≥ 0, got ${o.depth}`);
  const c = o.cSigma ?? cSigma(o.dual);
  const same = x2 === null;
  const y = x2 ?? x1;
  const dot = (u: ArrayLike<number>, v: ArrayLike<number>) => {
    let s = 0;
    for (let t = 0; t < u.length; t++) s += u[t] * v[t];
    return s;
  };
  let var1 = x1.map((v) => dot(v, v));
  let var2 = same ? var1 : y.map((v) => dot(v, v));
  let sigma = x1.map((u) => y.map((v) => dot(u, v)));
  let theta = sigma.map((row) => row.slice());
  for (let h = 1; h <= o.depth; h++) {
    const next = sigma.map((row, i) =>
      row.map((s, j) => {
        const cc = same && i === j ? var1[i] : s; // ρ = 1 exactly on the diagonal
        const sh = c * o.dual.sigma(var1[i], cc, var2[j]);
        theta[i][j] = sh + c * o.dual.dsigma(var1[i], cc, var2[j]) * theta[i][j];
        return sh;
      }),
    );
    const nv1 = var1.map((v) => c * o.dual.sigma(v, v, v));
    var2 = same ? nv1 : var2.map((v) => c * o.dual.sigma(v, v, v));
    var1 = nv1;
    sigma = next;
  }
  return { nngp: sigma, ntk: theta };
}

/**
 * The neural-tangents network equal to the [Arora19] kernels (see the module comment).
 *
 * @example aroraAsStax(3, 2, CLOSED_FORM_DUALS.relu).kernelFn(x, null, 'ntk'); // = aroraKernels(x, null, …).ntk
 */
export function aroraAsStax(inputDim: number, depth: number, dual: DualProvider, c: number = cSigma(dual)): Network {
  const layers: Layer[] = [dense({ wStd: Math.sqrt(inputDim), bStd: 0 })];
  for (let h = 0; h < depth; h++) layers.push(activation(dual), dense({ wStd: Math.sqrt(c), bStd: 0 }));
  return serial(...layers);
}
