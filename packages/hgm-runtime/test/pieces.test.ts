import { type Integrand, mulberry32 } from '@holonomic-ntk/core';
import { describe, expect, it } from 'vitest';
import {
  artifactFunctions,
  builtinArtifact,
  dualActivation,
  dualActivationBatch,
  dualActivationCurve,
  hermiteDualOfSum,
  hermiteDual,
  hermiteSummands,
} from '../src/index.ts';
import { gaussianExpectation2d } from '../src/boundaryQuadrature.ts';
import { factorFunction } from '../src/hgm.ts';
import { OFFSET_RHO, seriesVector, singularAtRhoZero } from '../src/offsetStart.ts';

/** The catalogue activations whose artifacts hold pair systems, and one plain formula artifact (rect-erf). */
const PIECED = ['elu', 'selu', 'sin-relu', 'rect-uexp', 'ugauss', 'gabor'];

/** The Hermite series of the whole integrand: an independent route (1-D quadrature + recurrence, no ODE). */
function hermiteReference(name: string, integrand: Integrand, a: number, c: number, b: number) {
  const art = builtinArtifact(name);
  const parts = hermiteSummands(art, integrand);
  if (parts) return hermiteDualOfSum(parts, a, c, b);
  const op = art.activation[integrand === 'sigma' ? 'annihilator' : 'dsigmaAnnihilator'] as string;
  return hermiteDual(op, artifactFunctions(art)[integrand]!, a, c, b);
}

const integrandsOf = (name: string): Integrand[] =>
  (['sigma', 'dsigma'] as const).filter((i) => builtinArtifact(name).systems.some((s) => s.integrands.includes(i)));

describe('activations split into pieces: the sum of the pair systems', () => {
  // Tolerance: 2e-12 relative to the value, plus twice the series' own estimate (which carries the cancellation of
  // the pieces, e.g. SELU's mean ≈ 8e-11 at ρ = 0 from O(1) pieces), plus 1e-15 absolute for values that vanish by
  // symmetry (ugauss at ρ = 0).
  for (const name of PIECED) {
    for (const integrand of integrandsOf(name)) {
      it(`${name} ${integrand}: HGM = Hermite series (a, b ∈ {0.05, 1, 10}, |ρ| ≤ 0.9)`, () => {
        const art = builtinArtifact(name);
        const fns = artifactFunctions(art);
        for (const [a, b] of [
          [1, 1],
          [0.05, 0.05],
          [0.05, 1],
          [10, 1],
          [10, 10],
        ] as const) {
          for (const rho of [-0.9, -0.5, -0.2, 0, 0.1, 0.24, 0.26, 0.5, 0.9]) {
            const c = rho * Math.sqrt(a * b);
            const v = dualActivation(art, fns, a, c, b, { integrand });
            const ref = hermiteReference(name, integrand, a, c, b);
            expect(Math.abs(v - ref.value), `${a}, ${c}, ${b}: ${v} vs ${ref.value} ± ${ref.error}`).toBeLessThanOrEqual(
              2e-12 * Math.abs(ref.value) + 2 * ref.error + 1e-15,
            );
          }
        }
      });
    }
  }

  it('E[σσ] is symmetric in a ↔ b: the pairs i < j enter in both orders', () => {
    const art = builtinArtifact('elu');
    const fns = artifactFunctions(art);
    for (const [a, c, b] of [
      [1, 0.5, 3],
      [0.2, -0.1, 2],
      [5, 1, 0.5],
    ] as const) {
      for (const integrand of ['sigma', 'dsigma'] as const) {
        const v = dualActivation(art, fns, a, c, b, { integrand });
        expect(Math.abs(v - dualActivation(art, fns, b, c, a, { integrand }))).toBeLessThanOrEqual(1e-14 * Math.abs(v));
      }
    }
  });

  it('curves and batches equal single points; |ρ| = 1 by the 1-D boundary integral', () => {
    const art = builtinArtifact('elu');
    const fns = artifactFunctions(art);
    const rnd = mulberry32(11);
    const items = Array.from({ length: 40 }, () => {
      const a = 0.1 + 3 * rnd();
      const b = 0.1 + 3 * rnd();
      return { a, b, c: (2 * rnd() - 1) * Math.sqrt(a * b) };
    });
    items.push({ a: 1, b: 4, c: 2 }, { a: 1, b: 4, c: -2 });
    const batch = dualActivationBatch(art, fns, items);
    items.forEach((it, k) => {
      const v = dualActivation(art, fns, it.a, it.c, it.b);
      expect(Math.abs(batch[k]! - v)).toBeLessThanOrEqual(1e-13 * Math.abs(v) + 1e-16);
    });
    const cs = [-2, -1.9, -0.5, 0, 0.3, 1.5, 2];
    const curve = dualActivationCurve(art, fns, 1, 4, cs);
    cs.forEach((c, k) => expect(Math.abs(curve[k]! - dualActivation(art, fns, 1, c, 4))).toBeLessThanOrEqual(1e-13 * Math.abs(curve[k]!)));
  });
});

describe('pair systems with a pole at ρ = 0 start off it', () => {
  it('the mixed pairs of ELU with e^v·Y(−v) are singular at x12 = 0, the plain systems are not', () => {
    const elu = builtinArtifact('elu');
    expect(elu.systems.map((s) => singularAtRhoZero(s))).toEqual(elu.systems.map((s) => s.singularLocus.includes('x12')));
    expect(elu.systems.some((s) => singularAtRhoZero(s))).toBe(true);
    expect(builtinArtifact('relu').systems.some((s) => singularAtRhoZero(s))).toBe(false);
  });

  it('the start vector (Mehler series) equals the 2-D quadrature of every component at |ρ| ≤ OFFSET_RHO (rel 1e-13)', () => {
    const art = builtinArtifact('elu');
    const fns = artifactFunctions(art);
    for (const system of art.systems.filter((s) => singularAtRhoZero(s))) {
      const integrand = system.integrands[0]!;
      const vec = system.initialValues.vectors[0]!;
      const phi = factorFunction(fns, vec.factors[0])!;
      const psi = factorFunction(fns, vec.factors[1])!;
      for (const [a, b, rho] of [
        [1, 2, OFFSET_RHO],
        [0.3, 5, -OFFSET_RHO],
        [2, 2, 0.1],
      ] as const) {
        const G = seriesVector(system, integrand, fns, a, b, rho);
        const tau = Math.sqrt(1 - rho * rho);
        system.basis.forEach((label, l) => {
          const [i, j, k] = label === '1' ? [0, 0, 0] : parseMonomial(label);
          const ref = 2 ** j * gaussianExpectation2d(phi, psi, a, b, rho, tau, { powerU: 2 * i + j, powerV: 2 * k + j });
          expect(Math.abs(G[l]! - ref), `${label} at ${a}, ${b}, ${rho}`).toBeLessThanOrEqual(1e-13 * Math.abs(ref) + 1e-16);
        });
      }
    }
  });
});

function parseMonomial(label: string): [number, number, number] {
  const e: [number, number, number] = [0, 0, 0];
  for (const f of label.split('*')) {
    const [v, p] = f.split('^');
    e[['dx11', 'dx12', 'dx22'].indexOf(v!)] = Number(p ?? 1);
  }
  return e;
}
