import { ACTIVATIONS } from '@holonomic-ntk/core';
import { describe, expect, it } from 'vitest';
import {
  CLOSED_FORM_DUALS,
  activation,
  aroraAsStax,
  aroraKernels,
  cSigma,
  dense,
  fullyConnected,
  matrix,
  quadratureDual,
  serial,
  type Matrix,
} from '../src/index.ts';
import { at, maxRelMatrix, normals, randomInputs } from './helpers.ts';

/** Independent ReLU recursion with the textbook arc-cosine formulas (Math.acos, no shared code). */
function directReluKernels(x: number[][], depth: number, wStd: number, bStd: number) {
  const d = x[0]!.length;
  const n = x.length;
  const w2 = wStd * wStd;
  const b2 = bStd * bStd;
  let S = x.map((u) => x.map((v) => (w2 * u.reduce((s, t, k) => s + t * v[k]!, 0)) / d + b2));
  let T = S.map((r) => r.slice());
  for (let h = 0; h < depth; h++) {
    const S2 = S.map((r) => r.slice());
    const T2 = T.map((r) => r.slice());
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const a = S[i]![i]!;
        const b = S[j]![j]!;
        const rho = i === j ? 1 : Math.min(1, Math.max(-1, S[i]![j]! / Math.sqrt(a * b)));
        const th = Math.acos(rho);
        const k1 = (Math.sqrt(a * b) * (Math.sin(th) + (Math.PI - th) * Math.cos(th))) / (2 * Math.PI);
        const k0 = (Math.PI - th) / (2 * Math.PI);
        S2[i]![j] = w2 * k1 + b2;
        T2[i]![j] = S2[i]![j]! + w2 * k0 * T[i]![j]!;
      }
    }
    S = S2;
    T = T2;
  }
  return { nngp: matrix(S), ntk: matrix(T) };
}

describe('fully connected NNGP/NTK, neural-tangents "ntk" parameterization', () => {
  it('ReLU, depth 1..4, vs an independent direct arc-cosine recursion (1e-12 relative)', () => {
    const x = randomInputs(7, 5, 11);
    for (const depth of [1, 2, 3, 4]) {
      for (const [wStd, bStd] of [
        [1, 0],
        [Math.SQRT2, 0.1],
        [1.7, 0.5],
      ] as const) {
        const net = fullyConnected({ depth, activation: 'relu', wStd, bStd });
        const got = net.kernels(x);
        const ref = directReluKernels(x, depth, wStd, bStd);
        expect(maxRelMatrix(got.nngp, ref.nngp)).toBeLessThan(1e-12);
        expect(maxRelMatrix(got.ntk, ref.ntk)).toBeLessThan(1e-12);
      }
    }
  });

  it('hand-derived one-hidden-layer ReLU values for orthogonal inputs (σw = 1, σb = 0, d = 2)', () => {
    // Σ⁰ = x·x′/2: a = b = ½, c = 0 (θ = π/2) off the diagonal, c = a (θ = 0) on it.
    // NNGP = κ₁: diagonal ½·π/(2π) = ¼, off-diagonal ½·1/(2π) = 1/(4π).
    // NTK = κ₁ + κ₀·Σ⁰: diagonal ¼ + ½·½ = ½, off-diagonal 1/(4π) + ¼·0 = 1/(4π).
    const net = serial(dense(), activation('relu'), dense());
    const { nngp, ntk } = net.kernels([
      [1, 0],
      [0, 1],
    ]);
    expect(at(nngp, 0, 0)).toBeCloseTo(0.25, 15);
    expect(at(nngp, 0, 1)).toBeCloseTo(1 / (4 * Math.PI), 15);
    expect(at(ntk, 1, 1)).toBeCloseTo(0.5, 15);
    expect(at(ntk, 1, 0)).toBeCloseTo(1 / (4 * Math.PI), 15);
  });

  it('hand-derived with bias: Θ = σw²κ₁(Σ⁰) + σb² + σw²κ₀(Σ⁰)·Σ⁰ for x = (1,1), x′ = (1,−1)', () => {
    const wStd = 2;
    const bStd = 1; // Σ⁰(x,x) = 4·2/2 + 1 = 5, Σ⁰(x,x′) = 0 + 1 = 1, ρ = 1/5
    const th = Math.acos(0.2);
    const k1 = (5 * (Math.sin(th) + (Math.PI - th) * 0.2)) / (2 * Math.PI);
    const k0 = (Math.PI - th) / (2 * Math.PI);
    const net = serial(dense({ wStd, bStd }), activation('relu'), dense({ wStd, bStd }));
    const ntk = net.kernelFn([[1, 1]], [[1, -1]], 'ntk');
    expect(at(ntk, 0, 0)).toBeCloseTo(4 * k1 + 1 + 4 * k0 * 1, 13);
    // diagonal: κ₁ = 5/2, κ₀ = ½ → Θ = 4·2.5 + 1 + 4·½·5 = 21
    expect(at(net.kernelFn([[1, 1]], null, 'ntk'), 0, 0)).toBeCloseTo(21, 13);
  });

  it('diagonal and duplicated inputs use ρ = 1 exactly', () => {
    const x = [
      [0.3, -1.2, 2.2],
      [0.3, -1.2, 2.2],
    ];
    for (const act of ['relu', 'erf', 'gelu']) {
      const k = fullyConnected({ depth: 3, activation: act, wStd: 1.3, bStd: 0.2 }).kernels(x);
      expect(at(k.ntk, 0, 1)).toBe(at(k.ntk, 0, 0));
      expect(at(k.nngp, 1, 0)).toBe(at(k.nngp, 1, 1));
    }
  });

  it('K(X1, X2) is the off-diagonal block of K(X1 ∪ X2), and the NNGP does not depend on the parameterization', () => {
    const x1 = randomInputs(3, 4, 1);
    const x2 = randomInputs(2, 4, 2);
    const net = fullyConnected({ depth: 2, activation: 'erf', wStd: 1.2, bStd: 0.3 });
    const whole = net.kernels([...x1, ...x2]);
    const cross = net.kernels(x1, x2);
    const block = (m: Matrix) => matrix(Array.from({ length: 3 }, (_, i) => Array.from(m.data.subarray(i * m.cols + 3, (i + 1) * m.cols))));
    expect(maxRelMatrix(cross.ntk, block(whole.ntk))).toBeLessThan(1e-14);
    const std = fullyConnected({ depth: 2, activation: 'erf', wStd: 1.2, bStd: 0.3, parameterization: 'standard', width: 64 });
    expect(maxRelMatrix(std.kernelFn(x1, x2, 'nngp'), cross.nngp)).toBe(0);
  });
});

describe('"standard" parameterization', () => {
  it('follows neural-tangents Dense: ntk′ = n·nngp + σw²·ntk + 1 (one hidden ReLU layer, by hand)', () => {
    const wStd = 1.5;
    const bStd = 0.4;
    const n = 50;
    const x = [0.6, -0.2, 1.1];
    const y = [-0.3, 0.9, 0.5];
    const d = 3;
    const dot = (u: number[], v: number[]) => u.reduce((s, t, k) => s + t * v[k]!, 0);
    const S = (u: number[], v: number[]) => (wStd ** 2 * dot(u, v)) / d + bStd ** 2;
    const a = S(x, x);
    const b = S(y, y);
    const c = S(x, y);
    const th = Math.acos(c / Math.sqrt(a * b));
    const k1 = (Math.sqrt(a * b) * (Math.sin(th) + (Math.PI - th) * Math.cos(th))) / (2 * Math.PI);
    const k0 = (Math.PI - th) / (2 * Math.PI);
    // first dense: d·(x·y/d) + 1 = x·y + 1; relu: ×κ₀; second dense: n·κ₁ + σw²·κ₀(x·y + 1) + 1
    const expected = n * k1 + wStd ** 2 * k0 * (dot(x, y) + 1) + 1;
    const net = serial(dense({ width: n, wStd, bStd, parameterization: 'standard' }), activation('relu'), dense({ wStd, bStd, parameterization: 'standard' }));
    expect(at(net.kernelFn([x], [y], 'ntk'), 0, 0)).toBeCloseTo(expected, 12);
    // without bias parameters (bStd: null) the two +1 terms disappear
    const noBias = serial(
      dense({ width: n, wStd, bStd: null, parameterization: 'standard' }),
      activation('relu'),
      dense({ wStd, bStd: null, parameterization: 'standard' }),
    );
    const a0 = (wStd ** 2 * dot(x, x)) / d;
    const b0 = (wStd ** 2 * dot(y, y)) / d;
    const c0 = (wStd ** 2 * dot(x, y)) / d;
    const t0 = Math.acos(c0 / Math.sqrt(a0 * b0));
    const e0 =
      (n * Math.sqrt(a0 * b0) * (Math.sin(t0) + (Math.PI - t0) * Math.cos(t0))) / (2 * Math.PI) + (wStd ** 2 * (Math.PI - t0) * dot(x, y)) / (2 * Math.PI);
    expect(at(noBias.kernelFn([x], [y], 'ntk'), 0, 0)).toBeCloseTo(e0, 12);
  });

  it('needs the width of the layer feeding a standard dense layer', () => {
    const net = serial(dense(), activation('relu'), dense({ parameterization: 'standard' }));
    expect(() => net.kernelFn([[1, 2]], null, 'ntk')).toThrow(/width/);
  });
});

/**
 * Empirical NTK of a random one-hidden-layer ReLU network of width n (sum over parameters of ∂f/∂p(x)∂f/∂p(y)),
 * written directly from the two definitions, as an independent check of both parameterizations.
 */
function empiricalNtk(param: 'ntk' | 'standard', n: number, wStd: number, bStd: number, x: number[], y: number[], seed: number): number {
  const z = normals(seed);
  const d = x.length;
  let total = 0;
  for (let j = 0; j < n; j++) {
    const w = Array.from({ length: d }, () => z());
    const b1 = z();
    const v = z();
    if (param === 'ntk') {
      // f = (σw/√n) Σ v_j relu(h_j) + σb b₂,  h_j = (σw/√d) w_j·x + σb b1_j; all parameters N(0, 1)
      const hx = (wStd / Math.sqrt(d)) * w.reduce((s, t, k) => s + t * x[k]!, 0) + bStd * b1;
      const hy = (wStd / Math.sqrt(d)) * w.reduce((s, t, k) => s + t * y[k]!, 0) + bStd * b1;
      const gx = (wStd / Math.sqrt(n)) * v * (hx > 0 ? 1 : 0);
      const gy = (wStd / Math.sqrt(n)) * v * (hy > 0 ? 1 : 0);
      total += ((wStd * wStd) / n) * Math.max(hx, 0) * Math.max(hy, 0); // ∂/∂v_j
      total += gx * gy * ((wStd * wStd * x.reduce((s, t, k) => s + t * y[k]!, 0)) / d + bStd * bStd); // ∂/∂w_j, ∂/∂b1_j
    } else {
      // f = Σ V_j relu(h_j) + b₂,  h_j = W_j·x + b1_j,  W ~ N(0, σw²/d), b ~ N(0, σb²), V ~ N(0, σw²/n)
      const W = w.map((t) => (wStd / Math.sqrt(d)) * t);
      const hx = W.reduce((s, t, k) => s + t * x[k]!, 0) + bStd * b1;
      const hy = W.reduce((s, t, k) => s + t * y[k]!, 0) + bStd * b1;
      const V = (wStd / Math.sqrt(n)) * v;
      total += Math.max(hx, 0) * Math.max(hy, 0);
      total += V * V * (hx > 0 ? 1 : 0) * (hy > 0 ? 1 : 0) * (x.reduce((s, t, k) => s + t * y[k]!, 0) + 1);
    }
  }
  return total + (param === 'ntk' ? bStd * bStd : 1); // ∂/∂b₂
}

describe('both parameterizations against a finite-width empirical NTK (Monte Carlo over the initialisation)', () => {
  for (const param of ['ntk', 'standard'] as const) {
    it(`${param}: width 40000 agrees within 2%`, () => {
      const n = 40_000;
      const wStd = 1.3;
      const bStd = 0.5;
      const x = [0.6, -0.2, 1.1];
      const y = [-0.3, 0.9, 0.5];
      const net = serial(dense({ width: n, wStd, bStd, parameterization: param }), activation('relu'), dense({ wStd, bStd, parameterization: param }));
      for (const [u, v] of [
        [x, y],
        [x, x],
      ] as const) {
        const exact = at(net.kernelFn([u], [v], 'ntk'), 0, 0);
        const emp = empiricalNtk(param, n, wStd, bStd, u, v, 5);
        expect(Math.abs(emp - exact) / Math.abs(exact)).toBeLessThan(0.02);
      }
    });
  }
});

describe('[Arora19]/[ST24] c_σ convention', () => {
  it('c_σ: ReLU 2, GeLU 2.35172…, ReSin 4.62607…', () => {
    expect(cSigma(CLOSED_FORM_DUALS.relu!)).toBe(2);
    expect(cSigma(CLOSED_FORM_DUALS.gelu!)).toBeCloseTo(2.35172, 5);
    expect(cSigma(quadratureDual(ACTIVATIONS.resin))).toBeCloseTo(4.62607, 5);
  });

  it('equals neural-tangents "ntk" with σw = √d (first layer), √c_σ (others), σb = 0 — to rounding', () => {
    const x = randomInputs(5, 4, 3);
    for (const act of ['relu', 'erf', 'gelu']) {
      const dual = CLOSED_FORM_DUALS[act]!;
      for (const depth of [1, 2, 4]) {
        const direct = aroraKernels(x, null, { depth, dual });
        const stax = aroraAsStax(4, depth, dual).kernels(x);
        expect(maxRelMatrix(stax.ntk, direct.ntk)).toBeLessThan(1e-13);
        expect(maxRelMatrix(stax.nngp, direct.nngp)).toBeLessThan(1e-13);
      }
    }
  });

  it('for ReLU (positively homogeneous), σw = √2 everywhere gives (2/d)·Θ_Arora', () => {
    const x = randomInputs(4, 6, 8);
    const arora = aroraKernels(x, null, { depth: 3, dual: CLOSED_FORM_DUALS.relu! }).ntk;
    const nt = fullyConnected({ depth: 3, activation: 'relu', wStd: Math.SQRT2 }).kernelFn(x, null, 'ntk');
    expect(maxRelMatrix(nt, { ...arora, data: arora.data.map((v) => (2 / 6) * v) })).toBeLessThan(1e-13);
  });
});
