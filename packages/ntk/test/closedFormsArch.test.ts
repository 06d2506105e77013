/**
 * The closed forms added with the architectures — leakyrelu:α, abrelu:a,b, abs, sign — against adaptive quadrature
 * of their σ (1e-10), textbook formulas, Price's theorem (∂/∂c E[σσ] = E[σ̇σ̇]), and the HGM of the catalogue's
 * derived `abs` and `leaky-relu` (α = 1/10) artifacts.
 */
import { describe, expect, it } from 'vitest';
import { abReluDual, absDual, closedFormDual, dualProvider, leakyReluDual, quadratureDual, signDual } from '../src/index.ts';
import { closedFormFunctions } from '../src/duals/closedForms.ts';

const LAMBDAS: [number, number, number][] = [
  [1, 0.3, 2],
  [0.5, -0.4, 0.7],
  [2, 1.9, 2],
  [1, -0.99, 1],
  [3, 0, 0.2],
];

describe('abRelu family', () => {
  it('σ duals = adaptive quadrature of σ (1e-10 relative)', () => {
    for (const name of ['leakyrelu:0.1', 'leakyrelu:-0.5', 'abrelu:0.3,2', 'abrelu:-1.5,0.25', 'abs', 'sign']) {
      const closed = closedFormDual(name)!;
      const q = quadratureDual(closedFormFunctions(name)!);
      for (const [a, c, b] of LAMBDAS) {
        const ref = q.sigma(a, c, b);
        expect(Math.abs(closed.sigma(a, c, b) - ref)).toBeLessThan(1e-10 * Math.max(1e-3, Math.abs(ref)));
        if (name !== 'sign') {
          const dref = q.dsigma(a, c, b);
          expect(Math.abs(closed.dsigma(a, c, b) - dref)).toBeLessThan(1e-10 * Math.max(1e-3, Math.abs(dref)));
        }
      }
    }
  });
  it('textbook forms: E|u||v| = (2/π)(√Δ + c·asin ρ), E[sign·sign] = (2/π)asin ρ, identity = c', () => {
    for (const [a, c, b] of LAMBDAS) {
      const rho = c / Math.sqrt(a * b);
      expect(absDual.sigma(a, c, b)).toBeCloseTo((2 / Math.PI) * (Math.sqrt(a * b - c * c) + c * Math.asin(rho)), 13);
      expect(signDual.sigma(a, c, b)).toBeCloseTo((2 / Math.PI) * Math.asin(rho), 13);
      expect(abReluDual(1, 1).sigma(a, c, b)).toBe(c);
      expect(leakyReluDual(1).dsigma(a, c, b)).toBe(1);
    }
  });
  it("Price's theorem: ∂/∂c of the σ dual is the σ̇ dual (sign: 2δ, so 4·E[δδ])", () => {
    const h = 1e-6;
    for (const p of [leakyReluDual(0.2), abReluDual(-0.7, 1.3), absDual, signDual]) {
      for (const [a, c, b] of LAMBDAS.slice(0, 3)) {
        const fd = (p.sigma(a, c + h, b) - p.sigma(a, c - h, b)) / (2 * h);
        expect(Math.abs(fd - p.dsigma(a, c, b))).toBeLessThan(1e-7 * Math.max(1, Math.abs(fd)));
      }
    }
  });
  it('= the HGM of the derived catalogue artifacts abs and leaky-relu (α = 1/10), 1e-10', () => {
    for (const [closed, hgm] of [
      [absDual, dualProvider('abs', 'hgm')],
      [leakyReluDual(0.1), dualProvider('leaky-relu', 'hgm')],
    ] as const) {
      for (const [a, c, b] of LAMBDAS) {
        expect(Math.abs(hgm.sigma(a, c, b) - closed.sigma(a, c, b))).toBeLessThan(1e-10 * Math.abs(closed.sigma(a, c, b)));
        expect(Math.abs(hgm.dsigma(a, c, b) - closed.dsigma(a, c, b))).toBeLessThan(1e-10 * Math.max(1e-3, Math.abs(closed.dsigma(a, c, b))));
      }
    }
  });
  it('zero variance: σ(0) = 0 and σ̇(0) = 0 (Y(0) = 0); names parse', () => {
    expect(leakyReluDual(0.1).sigma(0, 0, 1)).toBe(0);
    expect(leakyReluDual(0.1).dsigma(0, 0, 1)).toBe(0);
    expect(signDual.sigma(0, 0, 2)).toBe(0);
    expect(closedFormDual('leakyrelu:1e-2')?.activation).toBe('leakyrelu:0.01');
    expect(closedFormDual('abrelu:1,x')).toBeUndefined();
  });
});
