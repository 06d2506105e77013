/**
 * Issue 12: scattered batches near and at |ρ| = 1 against the quadrature, the built-in systems whose σ has no kink
 * (erf, Φ, gelu; test/boundaryCases.ts).
 */
import { describe } from 'vitest';
import { boundaryCase, SYSTEMS } from './boundaryCases.ts';

describe('scattered batches near and at |ρ| = 1, built-in σ without kinks, against the quadrature', () => {
  SYSTEMS.forEach(([name, integrand], k) => {
    if (['erf', 'phi', 'gelu'].includes(name)) boundaryCase(name, integrand, k);
  });
});
