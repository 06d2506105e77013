/**
 * Issue 12: scattered batches near and at |ρ| = 1 against the quadrature, the built-in systems whose σ has a kink
 * (relu, step, rectpow:2, resin; test/boundaryCases.ts), and the polar rule itself. σ without kinks:
 * scatteredBoundarySmooth.test.ts (two files to keep each under a minute).
 */
import { ACTIVATIONS } from '@holonomic-ntk/core';
import { describe, expect, it } from 'vitest';
import { boundaryExpectation } from '../src/boundaryQuadrature.ts';
import { polarExpectation } from '../src/polarQuadrature.ts';
import { boundaryCase, SYSTEMS } from './boundaryCases.ts';

describe('scattered batches near and at |ρ| = 1, built-in σ with kinks, against the quadrature', () => {
  SYSTEMS.forEach(([name, integrand], k) => {
    if (!['erf', 'phi', 'gelu'].includes(name)) boundaryCase(name, integrand, k);
  });
});

describe('polarExpectation', () => {
  it('at |ρ| = 1 exactly and 1 − |ρ| = 1e-15 agrees with the 1-D boundary integral, with an honest estimate', () => {
    for (const [name, spec] of [
      ['resin', ACTIVATIONS.resin.sigma],
      ['relu σ̇', ACTIVATIONS.relu.dsigma!],
      ['gelu', ACTIVATIONS.gelu.sigma],
    ] as const) {
      for (const q of [1, -1] as const) {
        const ref = boundaryExpectation(spec, spec, 0.7, 2.3, q);
        const est = { abs: 0, error: 0 };
        for (const tau of [0, Math.sqrt(2e-15)]) {
          const v = polarExpectation(spec, spec, 0.7, 2.3, q * (1 - (tau * tau) / 2), tau, est);
          const scale = Math.max(Math.abs(ref), 1e-300);
          // E moves by O(τ) ≈ 4e-8 between ρ = 1 and 1 − 1e-15 only for τ > 0: compare at τ = 0 tightly.
          if (tau === 0) expect(Math.abs(v - ref) / scale, `${name} q = ${q}`).toBeLessThanOrEqual(1e-13);
          expect(est.error).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(v), 1e-300) + 1e-300);
        }
      }
    }
  });
});
