import { GAUSS_HERMITE_MAX_ORDER, gaussHermiteRule, gaussHermiteExpectation } from '@holonomic-ntk/core';
import { describe, expect, it } from 'vitest';
import { dop853 } from '../src/ode.ts';
import { tanhSinh } from '../src/tanhSinh.ts';
import { relErr } from './helpers.ts';

describe('tanh-sinh', () => {
  it('∫₀¹ √t dt = 2/3 and ∫₀¹ ln t dt = −1 (endpoint singularities; rel 1e-15)', () => {
    expect(relErr(tanhSinh(Math.sqrt, 0, 1), 2 / 3)).toBeLessThan(1e-15);
    expect(relErr(tanhSinh(Math.log, 0, 1), -1)).toBeLessThan(1e-15);
  });
  it('an interval a few ulps wide contributes (d − c)·f(mid) instead of failing to converge', () => {
    const c = 0.125517002829399;
    expect(tanhSinh((t) => (t > c + 1e-17 ? 1 : 0), c, c + 2 ** -55)).toBeLessThan(1e-16);
  });
});

describe('dense output', () => {
  it('evaluateComponent equals evaluate (exactly the same polynomial)', () => {
    const { dense } = dop853(
      (_t, y, dy) => {
        dy[0] = y[1]!;
        dy[1] = -y[0]!;
      },
      0,
      [0, 1],
      10,
      { dense: true, rtol: 1e-12 },
    );
    for (let t = 0; t <= 10; t += 0.37) {
      const v = dense!.evaluate(t);
      expect(dense!.evaluateComponent(t, 0)).toBe(v[0]);
      expect(dense!.evaluateComponent(t, 1)).toBe(v[1]);
      expect(Math.abs(v[0]! - Math.sin(t))).toBeLessThan(1e-10);
    }
  });
});

describe('Gauss–Hermite', () => {
  it('integrates x^{2k} e^{−x²} exactly for 2k ≤ 2n − 1: Γ(k + ½) (rel 1e-14), n = 1, 7, 20, 100, 180', () => {
    for (const n of [1, 7, 20, 100, 180]) {
      const { nodes: x, weights: w } = gaussHermiteRule(n);
      for (let k = 0; 2 * k <= Math.min(2 * n - 1, 60); k++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += w[i]! * x[i]! ** (2 * k);
        let g = Math.sqrt(Math.PI);
        for (let j = 0; j < k; j++) g *= j + 0.5;
        expect(relErr(s, g), `n=${n} k=${k}`).toBeLessThan(1e-14);
      }
    }
    expect(() => gaussHermiteRule(GAUSS_HERMITE_MAX_ORDER + 1)).toThrow(RangeError);
  });
  it('the 2-D rule is exact for E[uv] = c and converges only slowly for the step (error > 1e-4 at n = 20)', () => {
    expect(
      gaussHermiteExpectation(
        (u) => u,
        (v) => v,
        2,
        0.7,
        3,
        20,
      ),
    ).toBeCloseTo(0.7, 13);
    const Y = (u: number) => (u > 0 ? 1 : 0);
    expect(Math.abs(gaussHermiteExpectation(Y, Y, 1, 0.5, 1, 20) - 1 / 3)).toBeGreaterThan(1e-4);
  });
});
