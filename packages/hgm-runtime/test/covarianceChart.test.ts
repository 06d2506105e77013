/**
 * The covariance chart stored by the compiler (`systems[n].covarianceChart`) against the one the runtime computes
 * from the Pfaffian matrices (the fallback for artifacts without the field): the same entries, the same terms in the
 * same order, the same float coefficients bit for bit, so the two routes give identical dual activations.
 */
import { readFileSync } from 'node:fs';
import { type PfaffianSystem, ACTIVATIONS, readArtifact } from '@holonomic-ntk/core';
import { describe, expect, it } from 'vitest';
import { BUILTIN_ARTIFACT_NAMES, builtinArtifact } from '../src/builtinArtifacts.ts';
import { bindChart, covarianceChart, type CovarianceChart } from '../src/covarianceChart.ts';
import { dualActivationCurve } from '../src/dualActivation.ts';

/** The system without its stored chart: a new object, so the chart cache computes it. */
function bare(system: PfaffianSystem): PfaffianSystem {
  const { covarianceChart: _, ...rest } = system;
  return rest;
}

/** Every number of a chart as plain arrays (toEqual compares floats with Object.is: -0 ≠ 0, bits otherwise). */
function dump(chart: CovarianceChart): unknown {
  return {
    rank: chart.rank,
    terms: chart.terms,
    entries: chart.entries.map((e) =>
      e === undefined
        ? null
        : [e.num, e.den].map((p) => ({
            coef: Array.from(p.coef),
            pa: Array.from(p.pa),
            pb: Array.from(p.pb),
            pc: Array.from(p.pc),
            pd: Array.from(p.pd),
            maxD: p.maxD,
          })),
    ),
  };
}

describe('stored covariance chart = computed covariance chart, exactly', () => {
  for (const name of BUILTIN_ARTIFACT_NAMES) {
    it(`${name}: every system stores its chart, and parsing it gives the computed chart bit for bit`, () => {
      const artifact = builtinArtifact(name);
      for (const system of artifact.systems) {
        expect(system.covarianceChart, `${name} ${system.integrands.join('+')}`).toBeDefined();
        const stored = covarianceChart(system);
        const computed = covarianceChart(bare(system));
        expect(stored).not.toBe(computed);
        expect(dump(stored)).toEqual(dump(computed));
        // Bound at some (a, b) and evaluated: the same bits (same terms in the same order, same summation).
        const M1 = new Float64Array(system.rank ** 2);
        const M2 = new Float64Array(system.rank ** 2);
        for (const [a, b, c] of [
          [1, 1, 0.5],
          [0.05, 3, -0.387],
          [40, 0.7, 5.29],
        ] as const) {
          bindChart(stored, a, b).evaluate(c, a * b - c * c, M1);
          bindChart(computed, a, b).evaluate(c, a * b - c * c, M2);
          expect(Array.from(M1)).toEqual(Array.from(M2));
        }
      }
    });
  }

  it('an artifact without the field (format version 1, hand-written) still loads: the chart is computed', () => {
    const step = readArtifact(readFileSync(new URL('fixtures/step.artifact.json', import.meta.url), 'utf8'));
    expect(step.format).toBe('hgm-pfaffian/1');
    expect(step.systems[0]!.covarianceChart).toBeUndefined();
    const rhos = [-0.999, -0.5, 0, 0.3, 0.9999];
    const cs = rhos.map((rho) => rho * Math.sqrt(1.3 * 0.7));
    // E[Y(u)Y(v)] = (π − arccos ρ)/(2π).
    const exact = rhos.map((rho) => (Math.PI - Math.acos(rho)) / (2 * Math.PI));
    dualActivationCurve(step, ACTIVATIONS.step, 1.3, 0.7, cs).forEach((v, i) => expect(Math.abs(v - exact[i]!)).toBeLessThan(1e-13));
    // The shipped artifact with and without its stored chart: the same bits.
    const shipped = builtinArtifact('step');
    const withField = dualActivationCurve(shipped, ACTIVATIONS.step, 1.3, 0.7, cs);
    const withoutField = dualActivationCurve({ ...shipped, systems: shipped.systems.map(bare) }, ACTIVATIONS.step, 1.3, 0.7, cs);
    expect(Array.from(withoutField)).toEqual(Array.from(withField));
  });
});
