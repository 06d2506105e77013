import { describe, expect, it } from 'vitest';
import { catalogueRefs } from '../../../test/support/catalogueRefs.ts';
import { artifactFunctions, builtinArtifact, dualActivationWithError } from '../src/index.ts';

/**
 * Every shipped catalogue artifact against test/fixtures/catalogue_dual_refs.json (mpmath/Arb, two methods agreeing to
 * 25 digits; 88 points per integrand: a, b ∈ {0.01 … 100}, ρ ∈ {−1, −0.999, …, 1}). The tolerances are what the
 * runtime's stated accuracy, max(1e-12·|E|, 1e-13·S) (ACCURACY.md §8–9), with the error estimate of every value. The
 * oscillating σ at variances ≥ 10 are in (their starts are walked up from smaller variances, src/varianceWalk.ts).
 */

/** Per activation and kind: gabor σ̇ takes ~30 s alone and twice that beside other test files on 2 cores. */
const CASE_TIMEOUT_MS = 240_000;

/** How far an error may exceed its estimate here (the pieced and guarded routes' estimates are not calibrated bounds). */
const ESTIMATE_SLACK = 8;

describe('catalogue artifacts against the mpmath/Arb references', () => {
  const refs = catalogueRefs();
  for (const act of refs.activations) {
    const name = act.name;
    for (const kind of ['sigma', 'dsigma'] as const) {
      const points = act.points.filter((p) => p.kind === kind && !p.underflows);
      if (points.length === 0) continue;
      it(
        `${name} ${kind}`,
        () => {
          const art = builtinArtifact(name);
          const fns = artifactFunctions(art);
          const tol = 1e-12;
          for (const p of points) {
            // Every point is served: a refusal (IntegrationError) fails the test.
            const { value: v, error: estimate } = dualActivationWithError(art, fns, p.a, p.c, p.b, { integrand: kind });
            const where = `a = ${p.a}, ρ = ${p.rho}, b = ${p.b}: ${v} vs ${p.valueStr}`;
            // The stated accuracy (ACCURACY.md §8): max(tol·|E|, 1e-13·S), S = √(E[σ(u)²]E[σ(v)²]); relative wherever
            // |E| ≥ 0.1·S. Exact zeros and values far below S (step-shifted at ρ → −1: 1e-91) are met absolutely.
            const error = Math.abs(v - p.value);
            expect(error, where).toBeLessThanOrEqual(Math.max(tol * Math.abs(p.value), 1e-13 * p.scale));
            // The estimate has the error's size: within ESTIMATE_SLACK of it (measured ≤ 5×: the shifted step at a = 0.01,
            // ρ = 0.9, a recessive value 1.6e-25), up to the references' own rounding.
            expect(error, `${where}: estimate ${estimate}`).toBeLessThanOrEqual(
              Math.max(ESTIMATE_SLACK * estimate, 1e-16 * Math.abs(p.value), 1e-17 * p.scale),
            );
          }
        },
        CASE_TIMEOUT_MS,
      );
    }
  }
});
