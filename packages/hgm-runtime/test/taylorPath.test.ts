import { builtinArtifact } from '../src/index.ts';
/**
 * The Taylor path (src/taylorPath.ts) against the DOP853 path it replaces for a new (a, b), on every built-in
 * artifact, and through dualActivation against test/fixtures/dual_refs.json.
 */
import { ACTIVATIONS, type BuiltinActivationName, type PfaffianArtifact } from '@holonomic-ntk/core';
import { describe, expect, it } from 'vitest';
import { dualActivation, KAPPA_SWITCH } from '../src/dualActivation.ts';
import { TAYLOR_MAX_TERMS, taylorPath } from '../src/taylorPath.ts';
import { pathInitialValue, solvePath } from '../src/dualPath.ts';
import { prepareSystem } from '../src/hgm.ts';
import { dualRefs } from '../../../test/support/dualRefs.ts';
import { rng } from './helpers.ts';

const artifact = (name: string): PfaffianArtifact => builtinArtifact(name);

const NAMES: BuiltinActivationName[] = ['relu', 'step', 'erf', 'phi', 'resin', 'gelu'];

/**
 * Points where dualActivation uses the Taylor path: a, b ∈ [0.1, 10] (beyond, resin's oscillating moments make G0
 * itself ill-conditioned: both paths then differ from the 2-D quadrature by ~3e-7 at a = 96), κ ≤ KAPPA_SWITCH
 * (else dualActivation leaves the point to the boundary methods) and within the term budget (else DOP853).
 */
describe('taylorPath agrees with the DOP853 path (rtol 1e-14) to 1e-12 relative, |ρ| ≤ 0.99', () => {
  for (const name of NAMES) {
    const art = artifact(name);
    for (const system of art.systems) {
      const integrand = system.integrands[0]!;
      it(`${name} ${system.integrands.join('/')}`, () => {
        const random = rng(11);
        const one = prepareSystem(system).indexOfOne;
        const out = new Float64Array(system.rank);
        let worst = 0;
        let used = 0;
        for (let k = 0; k < 40; k++) {
          // a, b log-uniform in [0.1, 10]; ρ uniform, plus a few near 0 and near ±0.99.
          const a = 10 ** (2 * random() - 1);
          const b = 10 ** (2 * random() - 1);
          const rho = k < 4 ? (k % 2 ? 1 : -1) * 10 ** (-3 - 3 * random()) : k < 8 ? (k % 2 ? 0.99 : -0.99) : 0.99 * (2 * random() - 1);
          const G0 = pathInitialValue(system, integrand, ACTIVATIONS[name], a, b);
          const stats = taylorPath(system, G0, a, b, rho, out, TAYLOR_MAX_TERMS);
          if (!stats.ok || stats.maxAbsE > KAPPA_SWITCH * Math.abs(out[one]!)) continue;
          used++;
          const tau = Math.sqrt((1 - rho) * (1 + rho));
          // The reference to s ≥ 0.5 through the dense output with the accurate offset 1 − s (as dualActivation).
          const s = tau / (1 + Math.abs(rho));
          const near = s > 0.5;
          const sol = solvePath(system, G0, a, b, rho < 0 ? -1 : 1, near ? 0.5 : s, { rtol: 1e-14, atolFactor: 1e-3, dense: near });
          const offset = (Math.abs(rho) + (rho * rho) / (1 + tau)) / (1 + Math.abs(rho));
          const ref = near ? sol.dense!.evaluateComponentOffset(1, -offset, one) : sol.G[one]!;
          worst = Math.max(worst, Math.abs(out[one]! - ref) / Math.abs(ref));
        }
        console.info(
          `${name} ${system.integrands.join('/')}: taylorPath vs DOP853 max relative difference ${worst.toExponential(1)} over ${used} of 40 (a, b, ρ)`,
        );
        expect(used).toBeGreaterThan(30);
        expect(worst).toBeLessThan(1e-12);
      });
    }
  }
});

describe("dualActivation with integrator: 'taylor' against dual_refs.json (|ρ| ≤ 0.99: the Taylor path; beyond: as by default)", () => {
  const refs = dualRefs();
  for (const name of ['relu', 'erf', 'resin', 'gelu'] as const) {
    for (const kind of ['sigma', 'dsigma'] as const) {
      it(`${name} ${kind}: ≤ 1e-10 relative`, () => {
        const art = artifact(name);
        const pts = refs.filter((r) => r.activation === name && r.kind === kind && Math.abs(r.rho) <= 0.99);
        expect(pts.length).toBeGreaterThan(0);
        let worst = 0;
        for (const p of pts) {
          const got = dualActivation(art, ACTIVATIONS[name], p.a, p.c, p.b, { integrand: kind, integrator: 'taylor' });
          worst = Math.max(worst, p.value === 0 ? Math.abs(got) : Math.abs(got - p.value) / Math.abs(p.value));
        }
        console.info(`${name} ${kind}: Taylor path max relative error ${worst.toExponential(1)} over ${pts.length} dual_refs points`);
        expect(worst).toBeLessThan(1e-10);
      });
    }
  }
});
