/**
 * The parameterization mapping against published formulas for a one-hidden-layer ReLU network f(x) with input
 * dimension d, hidden width n, weight std σw and bias std σb. With Σ⁰(x, y) = σw² x·y/d + σb², a = Σ⁰(x, x),
 * b = Σ⁰(y, y), θ = arccos(Σ⁰(x, y)/√(ab)), and the arc-cosine kernels (Cho & Saul 2009)
 *   κ₁ = √(ab)(sin θ + (π − θ)cos θ)/(2π) = E[relu(u)relu(v)],  κ₀ = (π − θ)/(2π) = E[Y(u)Y(v)]:
 *
 * - 'ntk' parameterization (Jacot et al. 2018, arXiv:1806.07572, Thm 1; neural-tangents, Novak et al. 2020,
 *   arXiv:1912.02803, `stax.Dense(parameterization='ntk')`):
 *       Θ = σw² κ₁ + σb² + σw² κ₀ · Σ⁰(x, y).
 * - 'standard' parameterization (Sohl-Dickstein, Novak, Schoenholz, Lee 2020, "On the infinite width limit of
 *   neural networks with a standard parameterization", arXiv:2001.07301, §2; neural-tangents
 *   `parameterization='standard'`; W¹ ~ N(0, σw²/d), W² ~ N(0, σw²/n), b ~ N(0, σb²), gradients in W and b):
 *       Θ = n κ₁ + 1 + σw² κ₀ (x·y + 1)
 *   (∂f/∂W² gives Σ_j relu·relu ≈ n κ₁, ∂f/∂b² gives 1, ∂f/∂W¹ and ∂f/∂b¹ give (σw²/n)·n κ₀ (x·y + 1)).
 * The NNGP is σw² κ₁ + σb² in both.
 */
import { describe, expect, it } from 'vitest';
import { fullyConnected } from '../src/kernels/stax.ts';
import { at, randomInputs, relErr } from './helpers.ts';

describe('parameterizations: relu, one hidden layer, against the published closed forms (1e-12 relative)', () => {
  const d = 4;
  const n = 128;
  const wStd = 1.7;
  const bStd = 0.35;
  const x = randomInputs(6, d, 41);
  const dot = (u: number[], v: number[]) => u.reduce((s, t, k) => s + t * v[k]!, 0);
  const parts = (u: number[], v: number[]) => {
    const S = (p: number[], q: number[]) => (wStd ** 2 * dot(p, q)) / d + bStd ** 2;
    const a = S(u, u);
    const b = S(v, v);
    const c = S(u, v);
    const th = u === v ? 0 : Math.acos(Math.max(-1, Math.min(1, c / Math.sqrt(a * b))));
    const k1 = (Math.sqrt(a * b) * (Math.sin(th) + (Math.PI - th) * Math.cos(th))) / (2 * Math.PI);
    const k0 = (Math.PI - th) / (2 * Math.PI);
    return { c, k1, k0 };
  };
  it("'ntk': Θ = σw²κ₁ + σb² + σw²κ₀Σ⁰ (Jacot et al. 2018), NNGP = σw²κ₁ + σb²", () => {
    const net = fullyConnected({ depth: 1, activation: 'relu', wStd, bStd, parameterization: 'ntk' }).kernels(x, null);
    x.forEach((u, i) =>
      x.forEach((v, j) => {
        const { c, k1, k0 } = parts(u, v);
        expect(relErr(at(net.ntk, i, j), wStd ** 2 * k1 + bStd ** 2 + wStd ** 2 * k0 * c)).toBeLessThan(1e-12);
        expect(relErr(at(net.nngp, i, j), wStd ** 2 * k1 + bStd ** 2)).toBeLessThan(1e-12);
      }),
    );
  });
  it("'standard': Θ = nκ₁ + 1 + σw²κ₀(x·y + 1) (Sohl-Dickstein et al. 2020); the NNGP is unchanged", () => {
    const net = fullyConnected({ depth: 1, activation: 'relu', wStd, bStd, parameterization: 'standard', width: n }).kernels(x, null);
    x.forEach((u, i) =>
      x.forEach((v, j) => {
        const { k1, k0 } = parts(u, v);
        expect(relErr(at(net.ntk, i, j), n * k1 + 1 + wStd ** 2 * k0 * (dot(u, v) + 1))).toBeLessThan(1e-12);
        expect(relErr(at(net.nngp, i, j), wStd ** 2 * k1 + bStd ** 2)).toBeLessThan(1e-12);
      }),
    );
  });
});
