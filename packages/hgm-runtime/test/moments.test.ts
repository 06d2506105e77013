import { ACTIVATIONS, DomainError, gammaHalf, type SigmaSpec } from '@holonomic-ntk/core';
import { describe, expect, it } from 'vitest';
import { moment, momentVector } from '../src/moments.ts';
import { relErr } from './helpers.ts';

/** The reference: the Heaviside step's moments in closed form, ∫₀^∞ u^j e^{a u²} du = Γ((j+1)/2) / (2 (−a)^{(j+1)/2}). */
function heavisideMoment(j: number, a: number): number {
  return gammaHalf(j + 1) / (2 * (-a) ** ((j + 1) / 2));
}

const A_VALUES = [-1e-3, -0.05, -0.5, -1, -3.7, -50, -1e4];

describe('moments m_j(a) = ∫ u^j σ(u) e^{a u²} du', () => {
  it('Heaviside step: quadrature = Γ((j+1)/2)/(2(−a)^{(j+1)/2}) to 2e-15 relative, j ≤ 14', () => {
    // The closed form itself carries a few roundings (Γ products, pow): about 2e-16.
    const noSupport: SigmaSpec = { sigma: ACTIVATIONS.step.sigma.sigma, kinks: [0] };
    for (const spec of [ACTIVATIONS.step.sigma, noSupport]) {
      for (const a of A_VALUES) {
        const m = momentVector(spec, a, 14);
        for (let j = 0; j <= 14; j++) expect(relErr(m[j]!, heavisideMoment(j, a)), `a=${a} j=${j}`).toBeLessThan(2e-15);
      }
    }
  });

  it('ReLU: m_j(relu) = m_{j+1}(step) (2e-15 relative)', () => {
    for (const a of A_VALUES) {
      for (let j = 0; j <= 6; j++) expect(relErr(moment(ACTIVATIONS.relu.sigma, j, a), heavisideMoment(j + 1, a))).toBeLessThan(2e-15);
    }
  });

  it('smooth σ on the whole line: erf, erf′, Φ, GELU against closed forms (2e-15 relative)', () => {
    for (const p of [0.01, 0.3, 1, 7, 200]) {
      const a = -p;
      // ∫ u erf(u) e^{−pu²} du = 1/(p√(1+p));  ∫ u Φ(u) e^{−pu²} du = 1/(2p√(1+2p)) = ∫ GELU(u) e^{−pu²} du.
      expect(relErr(moment(ACTIVATIONS.erf.sigma, 1, a), 1 / (p * Math.sqrt(1 + p))), `erf p=${p}`).toBeLessThan(2e-15);
      // u·Φ(u) = u/2 + u·erf(u/√2)/2: the odd half cancels, so the error is relative to ∫|u|Φ e^{−pu²} ≈ 1/(2p).
      const phi1 = 1 / (2 * p * Math.sqrt(1 + 2 * p));
      const l1 = 1 / (2 * p);
      expect(Math.abs(moment(ACTIVATIONS.phi.sigma, 1, a) - phi1) / l1, `Φ p=${p}`).toBeLessThan(2e-15);
      expect(Math.abs(moment(ACTIVATIONS.gelu.sigma, 0, a) - phi1) / l1, `gelu p=${p}`).toBeLessThan(2e-15);
      // Φ: m_0 = ½∫e^{−pu²} = ½√(π/p).
      expect(relErr(moment(ACTIVATIONS.phi.sigma, 0, a), 0.5 * Math.sqrt(Math.PI / p))).toBeLessThan(2e-15);
      // erf′ = (2/√π) e^{−u²}: m_{2n} = (2/√π) Γ(n+½)/(1+p)^{n+½}; odd moments vanish (absolute 4e-16·m_0: the
      // line is cut into 6 pieces at u = 0, ±1, ±4, FEATURE_POINTS, each rounding on its own; measured 3.1e-16).
      const m = momentVector(ACTIVATIONS.erf.dsigma!, a, 8);
      for (let j = 0; j <= 8; j++) {
        if (j % 2 === 0) expect(relErr(m[j]!, ((2 / Math.sqrt(Math.PI)) * gammaHalf(j + 1)) / (1 + p) ** ((j + 1) / 2))).toBeLessThan(2e-15);
        else expect(Math.abs(m[j]!)).toBeLessThan(4e-16 * m[0]!);
      }
    }
  });

  it('caches per (σ, a) and recomputes for higher orders', () => {
    let calls = 0;
    const spec: SigmaSpec = { sigma: (u) => (calls++, u > 0 ? u * u : 0), kinks: [0], support: [0, Infinity] };
    const m1 = momentVector(spec, -2, 3);
    const n1 = calls;
    expect(momentVector(spec, -2, 2)).toEqual(m1.subarray(0, 3));
    expect(calls).toBe(n1); // served from the cache
    momentVector(spec, -2, 6);
    expect(calls).toBeGreaterThan(n1);
    expect(relErr(moment(spec, 4, -2), heavisideMoment(6, -2))).toBeLessThan(2e-15);
  });

  it('refuses a ≥ 0 (no Gaussian decay)', () => {
    expect(() => moment(ACTIVATIONS.step.sigma, 0, 0)).toThrow(DomainError);
    expect(() => moment(ACTIVATIONS.step.sigma, 0, 0.5)).toThrow(DomainError);
  });
});
