import { ACTIVATIONS } from '@holonomic-ntk/core';
import { describe, expect, it } from 'vitest';
import { initialVector } from '../src/hgm.ts';
import { builtinArtifact } from '../src/index.ts';
import { walkedInitialVector } from '../src/varianceWalk.ts';

/**
 * The start F⃗(x11, 0, x22) walked up from smaller variances, against the textbook Gaussian moments of sin:
 * ∫ u sin(u) e^{x u²} du = √π/(2|x|^{3/2})·e^{−1/(4|x|)} (x < 0), so for sin σ (basis 1, dx12) the start is
 * (m_0 m_0, 2 m_1 m_1) with m_0 = 0 by symmetry.
 */
const m1 = (x: number): number => (Math.sqrt(Math.PI) / (2 * Math.abs(x) ** 1.5)) * Math.exp(-1 / (4 * Math.abs(x)));

describe('walkedInitialVector', () => {
  const sin = builtinArtifact('sin');
  const system = sin.systems.find((s) => s.integrands.includes('sigma'))!;

  for (const [a, b] of [
    [100, 100],
    [10, 100],
    [32, 32],
    [1, 100],
  ] as const) {
    it(`sin σ at variances (${a}, ${b}): relative to the closed form, within its returned scale`, () => {
      const x11 = -0.5 / a;
      const x22 = -0.5 / b;
      const scale = new Float64Array(system.rank);
      const F = walkedInitialVector(system, 'sigma', x11, x22, ACTIVATIONS.sin, scale);
      const exact = 2 * m1(x11) * m1(x22);
      const error = Math.abs(F[1]! - exact);
      // What the path is told about its start: error ≤ a few ε of the returned scale, and that scale is small.
      expect(error).toBeLessThanOrEqual(16 * Number.EPSILON * scale[1]!);
      expect(error).toBeLessThanOrEqual(1e-13 * exact);
      // E at ρ = 0 is 0 (odd σ); the walked component stays at its rounding, far below the other.
      expect(Math.abs(F[0]!)).toBeLessThanOrEqual(1e-20 * exact);
    });
  }

  it('the moments alone lose that start (so the walk is what serves it)', () => {
    const scale = new Float64Array(system.rank);
    const F = initialVector(system, 'sigma', -0.005, -0.005, ACTIVATIONS.sin, scale);
    const exact = 2 * m1(-0.005) ** 2;
    expect(Math.abs(F[1]! - exact)).toBeGreaterThan(exact);
  });

  it('leaves a well-conditioned start as the moments give it', () => {
    const relu = builtinArtifact('relu').systems[0]!;
    const s1 = new Float64Array(relu.rank);
    const s2 = new Float64Array(relu.rank);
    const walked = walkedInitialVector(relu, 'sigma', -0.005, -0.5, ACTIVATIONS.relu, s1);
    const moments = initialVector(relu, 'sigma', -0.005, -0.5, ACTIVATIONS.relu, s2);
    expect(Array.from(walked)).toEqual(Array.from(moments));
    expect(Array.from(s1)).toEqual(Array.from(s2));
  });
});
