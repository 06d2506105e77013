import type { PfaffianArtifact } from '@holonomic-ntk/core';
import { builtinArtifact } from '../src/index.ts';
/**
 * The documented examples of the public API (README.md and the @example tags of the new modules), run: they
 * must stay true. Tolerances: 1e-14 relative unless a line says otherwise.
 */
import { ACTIVATIONS, gaussHermiteExpectation, gaussHermiteRule, parseRationalExpression } from '@holonomic-ntk/core';
import { describe, expect, it } from 'vitest';
import { addPoly, constantPoly, exactDivide, exprToRational, mulPoly, polyEquals, powPoly, totalDegree, variablePoly } from '../src/polynomial.ts';
import { bindChart, covarianceChart } from '../src/covarianceChart.ts';
import { boundaryPoleOrder, pathOffset, pathRhs } from '../src/dualPath.ts';
import { boundaryValue } from '../src/pathCurve.ts';
import { dualActivation, dualActivationBatch, dualActivationCurve } from '../src/dualActivation.ts';

const artifact = (name: string): PfaffianArtifact => builtinArtifact(name);
const close = (x: number, y: number, tol = 1e-14) => expect(Math.abs(x - y)).toBeLessThanOrEqual(tol * Math.abs(y));

describe('README examples', () => {
  it('dualActivation, dualActivationCurve, dualActivationBatch on the relu and gelu artifacts', () => {
    const relu = artifact('relu');
    // E[relu(u)relu(v)] at a = b = 1, ρ = 0.5: (sin θ + (π − θ) cos θ)/(2π), θ = π/3.
    close(dualActivation(relu, ACTIVATIONS.relu, 1, 0.5, 1), (Math.sqrt(3) / 2 + (2 * Math.PI) / 3 / 2) / (2 * Math.PI), 1e-13);
    // σ̇ = step: (π − arccos ρ)/(2π) = 1/3.
    close(dualActivation(relu, ACTIVATIONS.relu, 1, 0.5, 1, { integrand: 'dsigma' }), 1 / 3, 1e-13);
    expect(dualActivation(relu, ACTIVATIONS.relu, 1, -1, 1)).toBe(0);
    const cs = Float64Array.from({ length: 5 }, (_, i) => -1 + i / 2);
    const E = dualActivationCurve(relu, ACTIVATIONS.relu, 1, 1, cs, { integrand: 'dsigma' });
    [0, 1 / 6, 1 / 4, 1 / 3, 1 / 2].forEach((v, i) => (v === 0 ? expect(E[i]).toBe(0) : close(E[i]!, v, 1e-13)));
    const B = dualActivationBatch(
      relu,
      ACTIVATIONS.relu,
      [
        { a: 1, c: 0.5, b: 1 },
        { a: 4, c: 0, b: 9 },
      ],
      { integrand: 'dsigma' },
    );
    close(B[0]!, 1 / 3, 1e-13);
    close(B[1]!, 1 / 4, 1e-13);
    const gelu = artifact('gelu');
    // At ρ = 0 the expectation factorizes: E[gelu(u)]², and E[uΦ(u)] = E[φ(u)] = 1/(2√π) for u ~ N(0, 1) (Stein).
    const Egelu = dualActivation(gelu, ACTIVATIONS.gelu, 1, 0, 1);
    close(Egelu, (1 / (2 * Math.sqrt(Math.PI))) ** 2, 1e-13);
  });

  it('Gauss–Hermite rules and the 2-D tensor rule', () => {
    const { nodes: x, weights: w } = gaussHermiteRule(20);
    close(
      w.reduce((s: number, wi: number, i: number) => s + wi * x[i]! ** 2, 0),
      Math.sqrt(Math.PI) / 2,
      1e-13,
    );
    const Y = ACTIVATIONS.step.sigma.sigma;
    // Degree 20 on a discontinuous integrand: off by 1.8e-2 (why the HGM exists).
    expect(Math.abs(gaussHermiteExpectation(Y, Y, 1, 0.5, 1, 20) - 1 / 3)).toBeLessThan(5e-2);
  });
});

describe('@example tags of covarianceChart.ts, dualPath.ts, pathCurve.ts, polynomial.ts', () => {
  it('covarianceChart / bindChart: M(c, Δ) for the step system equals the chart formula at c = 0', () => {
    const step = artifact('step').systems[0]!;
    const M = new Float64Array(4);
    bindChart(covarianceChart(step), 1, 1).evaluate(0.5, 0.75, M);
    expect(M.every(Number.isFinite)).toBe(true);
    expect(boundaryPoleOrder(step)).toBeCloseTo(1, 1);
    expect(boundaryPoleOrder(artifact('resin').systems[0]!)).toBeCloseTo(3, 1);
    const f = pathRhs(step, 1, 1, 1);
    const dG = new Float64Array(2);
    f(0.5, Float64Array.of(1 / 3, 0.3), dG);
    expect(dG.every(Number.isFinite)).toBe(true);
  });

  it('pathOffset keeps 1 − s accurate near ρ = 0; boundaryValue is the ρ = ±1 value', () => {
    close(pathOffset(1e-9, Math.sqrt(1 - 1e-18)), 1e-9 + 1e-18 / 2 - 1e-18, 1e-8);
    expect(boundaryValue(ACTIVATIONS.step.sigma, ACTIVATIONS.step.sigma, 1, 1, -1)).toBe(0);
    close(boundaryValue(ACTIVATIONS.step.sigma, ACTIVATIONS.step.sigma, 1, 1, 1), 0.5, 1e-15);
  });

  it('polynomials: products, powers, exact division, fractions from expressions', () => {
    const x = variablePoly(0);
    const one = constantPoly(1n);
    const p = powPoly(addPoly(x, one), 2);
    expect(p.size).toBe(3);
    expect(totalDegree(mulPoly(x, variablePoly(2)))).toBe(2);
    expect(polyEquals(exactDivide(p, addPoly(x, one))!, addPoly(x, one))).toBe(true);
    expect(exactDivide(p, addPoly(x, one, -1n))).toBeUndefined();
    const r = exprToRational(parseRationalExpression('x/(2*y)'), ['x', 'y']);
    expect(polyEquals(r.num, x)).toBe(true);
    expect(polyEquals(r.den, mulPoly(constantPoly(2n), variablePoly(1)))).toBe(true);
  });
});

describe('boundaryInterpolant (rank-8 systems at |ρ| > 0.995)', () => {
  it('gelu σ near ρ = 1 and ρ = −1: the interpolant agrees with the 2-D quadrature (rel 1e-13; measured ~1e-15)', async () => {
    const { ChebyshevBoundary } = await import('../src/boundaryInterpolant.ts');
    const { gaussianExpectation2d } = await import('../src/boundaryQuadrature.ts');
    const g = ACTIVATIONS.gelu.sigma;
    for (const q of [1, -1] as const) {
      const p = ChebyshevBoundary.build(g, g, 1, 1, q, 0.05)!;
      expect(p).toBeDefined();
      for (const s of [1e-6, 0.003, 0.02, 0.045]) {
        const t = 1 + s * s;
        close(p.value(s), gaussianExpectation2d(g, g, 1, 1, (q * (1 - s * s)) / t, (2 * s) / t), 1e-13);
      }
    }
  }, 60_000);

  it('curves with many points beyond |ρ| = 0.995 use it: gelu σ over all of [−1, 1] (rel 1e-10 against the quadrature)', async () => {
    const { gaussianExpectation2d } = await import('../src/boundaryQuadrature.ts');
    const gelu = artifact('gelu');
    const g = ACTIVATIONS.gelu.sigma;
    // 49 points per side with |ρ| > 0.995 (≥ 40: the curve builds the interpolant).
    const rhos = Float64Array.from({ length: 20001 }, (_, i) => -1 + i / 10000);
    const E = dualActivationCurve(gelu, ACTIVATIONS.gelu, 1, 1, rhos);
    for (const i of [0, 1, 2, 10, 30, 10000, 19970, 19990, 19999, 20000]) {
      const rho = rhos[i]!;
      const ref = Math.abs(rho) === 1 ? E[i]! : gaussianExpectation2d(g, g, 1, 1, rho, Math.sqrt(1 - rho * rho));
      close(E[i]!, ref, 1e-10);
    }
  }, 120_000);
});
