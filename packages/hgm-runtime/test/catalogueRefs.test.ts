import { describe, expect, it } from 'vitest';
import { catalogueRefs } from '../../../test/support/catalogueRefs.ts';
import { artifactFunctions, builtinArtifact, dualActivation } from '../src/index.ts';

/**
 * Every shipped catalogue artifact against test/fixtures/catalogue_dual_refs.json (mpmath/Arb, two methods agreeing to
 * 25 digits; 88 points per integrand: a, b ∈ {0.01 … 100}, ρ ∈ {−1, −0.999, …, 1}). The tolerances are what the
 * runtime achieves today, measured, and written down here and in ACCURACY.md §9; issue 11 asks 1e-12 everywhere.
 */

/** Relative tolerance per activation and integrand where it is not 1e-12 (the cause in ACCURACY.md §9). */
const TOLERANCE: Readonly<Record<string, number>> = {
  'elu sigma': 5e-12, // ρ = ±1 at a = 0.01 (the 1-D boundary integral)
  'selu sigma': 2e-10, // ρ = 0: the mean 8.5e-11 is a cancellation of O(1) pieces (absolute 1e-20)
  'rectpow:3 sigma': 5e-12,
  'hermite2 sigma': 2e-12,
  'rect-uexp dsigma': 2e-11,
  'step-shifted sigma': 5e-11,
  'recos sigma': 1e-11,
  'recos dsigma': 1e-11,
  'gabor dsigma': 2e-11,
  'sin-relu dsigma': 5e-12,
};

/**
 * Not yet served to a relative tolerance (the open part of issue 11 item 4): an oscillating σ at variance ≥ 10, where
 * the values (down to e^{−100}) are cancellations the 1-D moment quadratures see with an absolute error only; the
 * shifted step where its 2-D quadrature fallback does not converge (it throws: never a silent value).
 */
const OSCILLATING = new Set(['sin', 'cos', 'recos', 'resin2', 'gabor', 'sin-relu', 'ugauss']);
function excluded(name: string, a: number, b: number): boolean {
  return OSCILLATING.has(name) && Math.max(a, b) >= 10;
}

describe('catalogue artifacts against the mpmath/Arb references', () => {
  const refs = catalogueRefs();
  for (const act of refs.activations) {
    const name = act.name;
    for (const kind of ['sigma', 'dsigma'] as const) {
      const points = act.points.filter((p) => p.kind === kind && !p.underflows);
      if (points.length === 0) continue;
      it(`${name} ${kind}`, () => {
        const art = builtinArtifact(name);
        const fns = artifactFunctions(art);
        const tol = TOLERANCE[`${name} ${kind}`] ?? 1e-12;
        let checked = 0;
        for (const p of points) {
          if (excluded(name, p.a, p.b)) continue;
          let v: number;
          try {
            v = dualActivation(art, fns, p.a, p.c, p.b, { integrand: kind });
          } catch (e) {
            // A refusal is not a wrong value; the shifted step's quadrature fallback is the one known case.
            expect([name, (e as Error).name]).toEqual(['step-shifted', 'IntegrationError']);
            continue;
          }
          const where = `a = ${p.a}, ρ = ${p.rho}, b = ${p.b}: ${v} vs ${p.valueStr}`;
          // Exact zeros and values far below the scale √(E[σ(u)²]E[σ(v)²]) (step-shifted at ρ → −1: 1e-91) are
          // compared in absolute terms against the scale.
          if (p.zero !== null || Math.abs(p.value) < 1e-13 * p.scale) expect(Math.abs(v - p.value), where).toBeLessThanOrEqual(1e-14 * p.scale);
          else expect(Math.abs(v - p.value) / Math.abs(p.value), where).toBeLessThanOrEqual(tol);
          checked++;
        }
        expect(checked).toBeGreaterThanOrEqual(points.length / 2);
      });
    }
  }
});
