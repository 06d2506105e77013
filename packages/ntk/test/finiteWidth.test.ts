/**
 * Finite-width check: the empirical NTK Θ̂(x, y) = Σ_p ∂f(x)/∂p · ∂f(y)/∂p of a randomly initialised MLP in
 * neural-tangents' 'ntk' parameterization approaches the analytic Θ of fullyConnected() as the width grows
 * (Jacot et al. 2018; the fluctuations are O(1/√n)). The network and its Jacobian are written out here, without
 * any library code but hgm-runtime's seeded RNG and erf.
 */
import { erf, mulberry32 } from '@holonomic-ntk/core';
import { describe, expect, it } from 'vitest';
import { fullyConnected } from '../src/kernels/stax.ts';
import { toRows, type Matrix } from '../src/regression/linearAlgebra.ts';

const WIDTHS = [64, 256, 1024, 4096];
const SEEDS = [1, 2, 3];
const W_STD = 1.4;
const B_STD = 0.3;

const ACT = {
  relu: { f: (u: number) => (u > 0 ? u : 0), df: (u: number) => (u > 0 ? 1 : 0) },
  erf: { f: erf, df: (u: number) => (2 / Math.sqrt(Math.PI)) * Math.exp(-u * u) },
};

/** Standard normals from mulberry32 by Box–Muller (both outputs used). */
function gaussian(seed: number): () => number {
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
 * Θ̂ on the inputs xs for one initialisation. Layers h¹ = (σw/√d)W¹x + σb b¹, h^{l+1} = (σw/√n)W^{l+1}φ(h^l) +
 * σb b^{l+1}, f = h^{L+1} (one output), all parameters N(0, 1). The Jacobian of f with respect to W^l is the
 * outer product g^l ⊗ (σw/√n_{l−1}) x^{l−1} (g^l = ∂f/∂h^l by backpropagation) and with respect to b^l it is
 * σb g^l, so each layer contributes (g^l(x)·g^l(y)) · (σw² x^{l−1}(x)·x^{l−1}(y)/n_{l−1} + σb²) — the Jacobian
 * rows' inner products, without storing rows of n² entries.
 */
function empiricalNtk(act: keyof typeof ACT, depth: number, width: number, xs: number[][], seed: number): number[][] {
  const { f, df } = ACT[act];
  const z = gaussian(seed);
  const d = xs[0]!.length;
  const sizes = [d, ...Array.from({ length: depth }, () => width), 1];
  const W = sizes.slice(1).map((n, l) => Float64Array.from({ length: n * sizes[l]! }, z));
  const b = sizes.slice(1).map((n) => Float64Array.from({ length: n }, z));
  const L = W.length;
  // Forward: post-activations x^l (x^0 = input) and pre-activations h^l per input.
  const post: Float64Array[][] = [];
  const pre: Float64Array[][] = [];
  for (const x of xs) {
    const xl: Float64Array[] = [Float64Array.from(x)];
    const hl: Float64Array[] = [];
    for (let l = 0; l < L; l++) {
      const nIn = sizes[l]!;
      const nOut = sizes[l + 1]!;
      const s = W_STD / Math.sqrt(nIn);
      const h = new Float64Array(nOut);
      const prev = xl[l]!;
      for (let i = 0; i < nOut; i++) {
        let acc = 0;
        const row = i * nIn;
        for (let j = 0; j < nIn; j++) acc += W[l]![row + j]! * prev[j]!;
        h[i] = s * acc + B_STD * b[l]![i]!;
      }
      hl.push(h);
      xl.push(h.map(f));
    }
    post.push(xl);
    pre.push(hl);
  }
  // Backward: g^l = ∂f/∂h^l.
  const grads = xs.map((_, k) => {
    const g: Float64Array[] = new Array(L);
    g[L - 1] = Float64Array.of(1);
    for (let l = L - 1; l > 0; l--) {
      const nIn = sizes[l]!;
      const nOut = sizes[l + 1]!;
      const s = W_STD / Math.sqrt(nIn);
      const back = new Float64Array(nIn);
      for (let i = 0; i < nOut; i++) {
        const gi = g[l]![i]!;
        const row = i * nIn;
        for (let j = 0; j < nIn; j++) back[j]! += W[l]![row + j]! * gi;
      }
      const h = pre[k]![l - 1]!;
      g[l - 1] = back.map((v, j) => s * v * df(h[j]!));
    }
    return g;
  });
  const dot = (u: Float64Array, v: Float64Array) => u.reduce((acc, t, i) => acc + t * v[i]!, 0);
  return xs.map((_, p) =>
    xs.map((_, q) => {
      let theta = 0;
      for (let l = 0; l < L; l++) {
        theta += dot(grads[p]![l]!, grads[q]![l]!) * ((W_STD * W_STD * dot(post[p]![l]!, post[q]![l]!)) / sizes[l]! + B_STD * B_STD);
      }
      return theta;
    }),
  );
}

const frobeniusRel = (a: number[][], refM: Matrix) => {
  const ref = toRows(refM);
  let num = 0;
  let den = 0;
  a.forEach((row, i) => row.forEach((v, j) => ((num += (v - ref[i]![j]!) ** 2), (den += ref[i]![j]! ** 2))));
  return Math.sqrt(num / den);
};

describe('empirical NTK of a random MLP → the analytic NTK as the width grows', () => {
  const xs = [
    [1, 0.2, -0.5],
    [0.3, -1.1, 0.4],
    [-0.7, 0.5, 0.9],
    [0.2, 0.2, 0.2],
    [1.5, -0.3, 0.1],
  ];
  for (const act of ['relu', 'erf'] as const) {
    for (const depth of [1, 2]) {
      it(`${act}, depth ${depth}: relative Frobenius error (mean of ${SEEDS.length} seeds) decreases over widths ${WIDTHS.join(', ')}`, {
        timeout: 60_000,
      }, () => {
        const theta = fullyConnected({ depth, activation: act, wStd: W_STD, bStd: B_STD }).kernelFn(xs, null, 'ntk');
        const errors = WIDTHS.map(
          (n) => SEEDS.reduce((s, seed) => s + frobeniusRel(empiricalNtk(act, depth, n, xs, 100 * depth + seed), theta), 0) / SEEDS.length,
        );
        // Each 4× in width should shrink the O(1/√n) error by ~2: required strictly decreasing, and 64 → 4096
        // (expected ×8) by at least ×3; the widest within 6 %.
        for (let k = 1; k < errors.length; k++) expect(errors[k]).toBeLessThan(errors[k - 1]!);
        expect(errors.at(-1)!).toBeLessThan(errors[0]! / 3);
        expect(errors.at(-1)!).toBeLessThan(0.06);
      });
    }
  }
});
