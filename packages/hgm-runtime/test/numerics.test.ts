import { GAUSS_HERMITE_MAX_ORDER, gaussHermiteRule, gaussHermiteExpectation, parseRationalExpression } from '@holonomic-ntk/core';
import { describe, expect, it } from 'vitest';
import { compileExpressionsDd, dop853, sqrtProductDd, tanhSinh } from '../src/index.ts';
import { relErr } from './helpers.ts';

describe('double-double compiled expressions', () => {
  it('keep full float64 accuracy through a cancellation of 2^−40 (rel 1e-15), fold 1/3 in dd', () => {
    const f = compileExpressionsDd(['1/(a*a-b*b)', '(a-b)*3/7', '1/3*a-a/3'].map((e) => parseRationalExpression(e)), ['a', 'b']);
    const out = new Float64Array(3);
    f(Float64Array.of(1 + 2 ** -40, 0, 1, 0), out);
    // (1+h)² − 1 = 2h + h², h = 2^−40, exactly representable in float64.
    expect(relErr(out[0]!, 1 / (2 * 2 ** -40 + 2 ** -80))).toBeLessThan(1e-15);
    expect(relErr(out[1]!, (3 / 7) * 2 ** -40)).toBeLessThan(1e-15);
    expect(Math.abs(out[2]!)).toBeLessThan(1e-31);
  });

  it('√(pq) in dd: lo = (pq − hi²)/(2·hi) with hi² exact in BigInt (rel 1e-14)', () => {
    const [h, l] = sqrtProductDd(2, 3);
    expect(h).toBe(Math.sqrt(6));
    const hb = BigInt(h * 2 ** 51); // h ∈ [2, 4): h·2^51 is an integer
    const residual = Number(6n * 2n ** 102n - hb * hb) / 2 ** 102;
    expect(relErr(l, residual / (2 * h))).toBeLessThan(1e-14);
  });
});

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
    const { dense } = dop853((t, y, dy) => {
      dy[0] = y[1]!;
      dy[1] = -y[0]!;
    }, 0, [0, 1], 10, { dense: true, rtol: 1e-12 });
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
    expect(gaussHermiteExpectation((u) => u, (v) => v, 2, 0.7, 3, 20)).toBeCloseTo(0.7, 13);
    const Y = (u: number) => (u > 0 ? 1 : 0);
    expect(Math.abs(gaussHermiteExpectation(Y, Y, 1, 0.5, 1, 20) - 1 / 3)).toBeGreaterThan(1e-4);
  });
});
