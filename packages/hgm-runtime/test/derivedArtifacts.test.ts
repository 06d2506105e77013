/**
 * The derived artifacts of packages/restriction (erf, phi, resin, gelu) near |ρ| = 1, where the expanded
 * high-degree Pfaffian entries lose digits in float64 and the path solver used to stop with IntegrationError
 * (ACCURACY.md, "High-degree systems"). Points: every entry of test/fixtures/dual_refs.json with |ρ| ≥ 0.95
 * (phi, which has no entries there, at the (a, b, c) of the erf entries against its closed form).
 */
import { ACTIVATIONS, type PfaffianArtifact } from '@holonomic-ntk/core';
import { describe, expect, it } from 'vitest';
import { builtinArtifact, dualActivation, dualActivationBatch } from '../src/index.ts';
import { type DualRef, dualRefs } from '../../../test/support/dualRefs.ts';
import { ERF_DUAL, PHI_DUAL } from '../../../test/support/closedFormDuals.ts';

const artifact = (name: string): PfaffianArtifact => builtinArtifact(name);

const refs = dualRefs();

const CLOSED = { erf: ERF_DUAL, phi: PHI_DUAL };

const err = (got: number, want: number) => (want === 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want));

describe('derived artifacts (packages/hgm-runtime/artifacts) at |ρ| ≥ 0.95: no IntegrationError, ≤ 1e-10', () => {
  for (const name of ['erf', 'phi', 'resin', 'gelu'] as const) {
    for (const kind of ['sigma', 'dsigma'] as const) {
      it(`${name} ${kind}`, () => {
        const art = artifact(name);
        const fns = ACTIVATIONS[name];
        const pts = refs.filter((r) => r.activation === (name === 'phi' ? 'erf' : name) && r.kind === kind && Math.abs(r.rho) >= 0.95);
        expect(pts.length).toBe(20);
        const want = (r: DualRef) => (name === 'phi' ? CLOSED.phi[kind](r.a, r.b, r.c) : r.value);
        let worst = 0;
        for (const r of pts) {
          const got = dualActivation(art, fns, r.a, r.c, r.b, { integrand: kind });
          const e = err(got, want(r));
          worst = Math.max(worst, e);
          expect(e, `${name} ${kind} a=${r.a} b=${r.b} ρ=${r.rho}: got ${got}, want ${want(r)}`).toBeLessThan(1e-10);
          if (name === 'erf') expect(err(got, CLOSED.erf[kind](r.a, r.b, r.c)), `closed form, ρ=${r.rho}`).toBeLessThan(1e-10);
        }
        const batch = dualActivationBatch(art, fns, pts, { integrand: kind });
        pts.forEach((r, i) => expect(err(batch[i]!, want(r)), `batch ${name} ${kind} a=${r.a} b=${r.b} ρ=${r.rho}`).toBeLessThan(1e-10));
        console.info(`${name} ${kind}: max relative error ${worst.toExponential(1)} over ${pts.length} points with |ρ| ≥ 0.95`);
      }, 120_000);
    }
  }
});

describe('every entry of dual_refs.json through dualActivation (the |ρ| ≥ 0.95 ones of erf, resin, gelu are above)', () => {
  for (const name of ['relu', 'erf', 'resin', 'gelu'] as const) {
    for (const kind of ['sigma', 'dsigma'] as const) {
      it(`${name} ${kind}: ≤ 1e-10 relative (exactly 0 where the reference is 0)`, () => {
        const art = artifact(name);
        const pts = refs.filter((r) => r.activation === name && r.kind === kind && (name === 'relu' || Math.abs(r.rho) < 0.95));
        expect(pts.length).toBe(name === 'relu' ? 40 : 20);
        let worst = 0;
        for (const r of pts) {
          const got = dualActivation(art, ACTIVATIONS[name], r.a, r.c, r.b, { integrand: kind });
          const e = r.value === 0 ? (got === 0 ? 0 : Infinity) : err(got, r.value);
          worst = Math.max(worst, e);
          expect(e, `${name} ${kind} a=${r.a} b=${r.b} ρ=${r.rho}: got ${got}, want ${r.value}`).toBeLessThan(1e-10);
        }
        console.info(`${name} ${kind}: max relative error ${worst.toExponential(1)} over ${pts.length} dual_refs points`);
      }, 120_000);
    }
  }
});
