import { ACTIVATIONS, DomainError } from '@holonomic-ntk/core';
import { describe, expect, it } from 'vitest';
import { dualActivation } from '../src/dualActivation.ts';
import { evaluateSystem, initialVector, prepareSystem } from '../src/hgm.ts';
import type { OdeStats } from '../src/ode.ts';
import { relErr, rng, fixtureJson, stepArtifact } from './helpers.ts';

const artifact = stepArtifact();
const step = ACTIVATIONS.step.sigma;

/** E[Y(u)Y(v)] = (π − arccos ρ)/(2π) (MATH.md §7). */
const stepClosedForm = (a: number, c: number, b: number) => (Math.PI - Math.acos(c / Math.sqrt(a * b))) / (2 * Math.PI);

/**
 * Closed form of the fixture's F⃗ = (f, ∂12 f) (pfaffian.json): with D = x11x22 − x12², θ = arccos(x12/√(x11x22)),
 * f = (π − θ)/(2√D) and ∂12 f = 1/(2D) + (π − θ)·x12/(2 D^{3/2}) (dθ/dx12 = −1/√D).
 */
function closedF(x11: number, x12: number, x22: number): [number, number] {
  const D = x11 * x22 - x12 * x12;
  const t = Math.PI - Math.acos(x12 / Math.sqrt(x11 * x22));
  return [t / (2 * Math.sqrt(D)), 1 / (2 * D) + (t * x12) / (2 * D ** 1.5)];
}

/** A random point of the negative-definite cone with |ρ| ≤ rhoMax. */
function randomX(random: () => number, rhoMax: number): [number, number, number] {
  const x11 = -(0.05 + 5 * random());
  const x22 = -(0.05 + 5 * random());
  const x12 = (2 * random() - 1) * rhoMax * Math.sqrt(x11 * x22);
  return [x11, x12, x22];
}

describe('HGM on the Heaviside-step system (fixture from test/fixtures/pfaffian.json)', () => {
  it('initial vector at (−1, 0, −1) is [π/4, 1/2] as in pfaffian.json (rel 1e-15)', () => {
    const F = initialVector(artifact.systems[0]!, 'sigma', -1, -1, { sigma: step });
    expect(relErr(F[0]!, Math.PI / 4)).toBeLessThan(1e-15);
    expect(relErr(F[1]!, 0.5)).toBeLessThan(1e-15);
  });

  it('E[Y(u)Y(v)] equals (π − arccos ρ)/(2π) for 10^4 random Λ, a, b ∈ [0.1, 10], |ρ| ≤ 0.999 (rel 1e-10)', () => {
    const random = rng(20241024);
    let worst = 0;
    let worstAt = '';
    for (let n = 0; n < 10_000; n++) {
      const a = 0.1 + 9.9 * random();
      const b = 0.1 + 9.9 * random();
      const rho = (2 * random() - 1) * 0.999;
      const c = rho * Math.sqrt(a * b);
      const e = relErr(dualActivation(artifact, step, a, c, b), stepClosedForm(a, c, b));
      if (e > worst) [worst, worstAt] = [e, `a=${a} b=${b} ρ=${rho}`];
    }
    expect(worst, worstAt).toBeLessThan(1e-10);
  });

  it('matches test/fixtures/dual_refs.json, relu dsigma (relu′ = step), all 40 entries including ρ = ±1 (rel 1e-11; abs 1e-300 where the value is 0)', () => {
    // Measured worst: 2.6e-13 (ACCURACY.md). ρ = −1 exactly gives E = 0: compared absolutely.
    const refs = (fixtureJson('dual_refs.json') as any[]).filter((r) => r.activation === 'relu' && r.kind === 'dsigma');
    expect(refs.length).toBe(40);
    expect(refs.filter((r) => Math.abs(r.rho) === 1).length).toBe(8);
    for (const r of refs) {
      const E = dualActivation(artifact, step, r.a, r.c, r.b);
      const ref = Number(r.value_str);
      if (ref === 0) expect(Math.abs(E), `a=${r.a} b=${r.b} ρ=${r.rho}`).toBeLessThanOrEqual(1e-300);
      else expect(relErr(E, ref), `a=${r.a} b=${r.b} ρ=${r.rho}`).toBeLessThan(1e-11);
    }
  });

  it('the fixture is consistent: compiled P_v F⃗ = ∂F⃗/∂x_v of the closed form at random points (4th-order differences, rel 1e-8)', () => {
    const sys = prepareSystem(artifact.systems[0]!);
    const P = new Float64Array(12);
    const random = rng(7);
    for (let n = 0; n < 500; n++) {
      const x = randomX(random, 0.95);
      const F = closedF(...x);
      sys.pfaffian(x[0], x[1], x[2], P);
      for (let v = 0; v < 3; v++) {
        // Central 4th-order difference, h relative to the distance to the singular locus: truncation h⁴·F⁽⁵⁾/F
        // ≈ 1e-13, rounding ε/h ≈ 1e-12.
        const h = 3e-4 * Math.min(Math.abs(x[0]), Math.abs(x[2]), Math.sqrt(x[0] * x[2] - x[1] * x[1]));
        const at = (s: number) => closedF(...(x.map((xi, i) => (i === v ? xi + s * h : xi)) as [number, number, number]));
        const [p1, m1, p2, m2] = [at(1), at(-1), at(2), at(-2)];
        for (let i = 0; i < 2; i++) {
          const dF = (8 * (p1[i]! - m1[i]!) - (p2[i]! - m2[i]!)) / (12 * h);
          const PF = P[v * 4 + i * 2]! * F[0] + P[v * 4 + i * 2 + 1]! * F[1];
          const scale = Math.abs(P[v * 4 + i * 2]! * F[0]) + Math.abs(P[v * 4 + i * 2 + 1]! * F[1]);
          expect(Math.abs(dF - PF) / scale, `x=${x} v=${v} i=${i}`).toBeLessThan(1e-8);
        }
      }
    }
  });

  it('the fixture is integrable: ∂_j P_i − ∂_i P_j + P_i P_j − P_j P_i = 0 (central differences, abs 1e-6·scale)', () => {
    const sys = prepareSystem(artifact.systems[0]!);
    const random = rng(11);
    const P = new Float64Array(12);
    const Pp = new Float64Array(12);
    const Pm = new Float64Array(12);
    const deriv = (x: number[], v: number, out: Float64Array) => {
      const h = 1e-5 * Math.abs(x[v] || 1);
      const xp = [...x];
      const xm = [...x];
      xp[v]! += h;
      xm[v]! -= h;
      sys.pfaffian(xp[0]!, xp[1]!, xp[2]!, Pp);
      sys.pfaffian(xm[0]!, xm[1]!, xm[2]!, Pm);
      for (let k = 0; k < 12; k++) out[k] = (Pp[k]! - Pm[k]!) / (2 * h);
    };
    const dP = [new Float64Array(12), new Float64Array(12), new Float64Array(12)];
    for (let n = 0; n < 200; n++) {
      const x = randomX(random, 0.9);
      sys.pfaffian(x[0], x[1], x[2], P);
      for (let v = 0; v < 3; v++) deriv(x, v, dP[v]!);
      for (const [i, j] of [
        [0, 1],
        [0, 2],
        [1, 2],
      ] as const) {
        for (let r = 0; r < 2; r++) {
          for (let c = 0; c < 2; c++) {
            // ∂_j P_i − ∂_i P_j + P_i P_j − P_j P_i, entry (r, c).
            let v = dP[j]![i * 4 + r * 2 + c]! - dP[i]![j * 4 + r * 2 + c]!;
            let scale = Math.abs(dP[j]![i * 4 + r * 2 + c]!) + Math.abs(dP[i]![j * 4 + r * 2 + c]!);
            for (let k = 0; k < 2; k++) {
              const ab = P[i * 4 + r * 2 + k]! * P[j * 4 + k * 2 + c]!;
              const ba = P[j * 4 + r * 2 + k]! * P[i * 4 + k * 2 + c]!;
              v += ab - ba;
              scale += Math.abs(ab) + Math.abs(ba);
            }
            expect(Math.abs(v), `x=${x} (${i},${j}) [${r},${c}]`).toBeLessThan(1e-6 * scale + 1e-300);
          }
        }
      }
    }
  });

  it('evaluateSystem returns F⃗ = (F, ∂12 F); DOP853 and odex agree with the closed form (rel 1e-11)', () => {
    const random = rng(3);
    for (let n = 0; n < 200; n++) {
      const x = randomX(random, 0.99);
      const ref = closedF(...x);
      const stats: OdeStats = { nfev: 0, naccept: 0, nreject: 0 };
      const F = evaluateSystem(artifact, 0, 'sigma', ...x, { sigma: step }, { stats });
      const G = evaluateSystem(artifact, 0, 'sigma', ...x, { sigma: step }, { solver: 'odex' });
      expect(stats.naccept).toBeGreaterThan(0);
      for (let i = 0; i < 2; i++) {
        expect(relErr(F[i]!, ref[i]!), `dop853 x=${x} i=${i}`).toBeLessThan(1e-11);
        expect(relErr(G[i]!, ref[i]!), `odex x=${x} i=${i}`).toBeLessThan(1e-11);
      }
    }
  });

  it('refuses points outside the cone, a missing integrand function, and a mismatched activation', () => {
    expect(() => evaluateSystem(artifact, 0, 'sigma', -1, 1, -1, { sigma: step })).toThrow(DomainError);
    expect(() => evaluateSystem(artifact, 0, 'sigma', 1, 0, -1, { sigma: step })).toThrow(DomainError);
    expect(() => evaluateSystem(artifact, 0, 'sigma', -1, 0.5, -1, {})).toThrow(/need the moments of sigma/);
    expect(() => dualActivation(artifact, ACTIVATIONS.relu, 1, 0.5, 1)).toThrow(/artifact is for 'step'/);
    expect(() => dualActivation(artifact, step, 1, 0.5, 1, { integrand: 'dsigma' })).toThrow(/no system for 'dsigma'/);
    expect(dualActivation(artifact, step, 1, 1, 1)).toBe(0.5); // ρ = 1 is the boundary now, not an error
    expect(dualActivation(artifact, ACTIVATIONS.step, 2, 0, 3)).toBeCloseTo(0.25, 15);
  });
});
