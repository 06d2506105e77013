import { ACTIVATIONS, DomainError } from '@holonomic-ntk/core';
import { describe, expect, it } from 'vitest';
import { hgmDual, perEntry } from '../src/duals/hgmDual.ts';
import { quadratureDual } from '../src/duals/quadratureDual.ts';
import { reluDual } from '../src/duals/arcCosine.ts';
import type { DualProvider } from '../src/duals/dualProvider.ts';
import { activation, dense, fullyConnected, serial } from '../src/kernels/stax.ts';
import { at, randomInputs, relErr } from './helpers.ts';

/** Λ off the grid of dual_refs.json: unequal variances, both signs of c, |ρ| up to 0.95. */
const COVS: [number, number, number][] = [
  [1, 0.5, 1],
  [2, -0.7, 0.8],
  [0.5, 0.3, 3],
  [1.3, -1.2, 1.25],
  [0.9, 0.85, 0.9],
  [4, 0.1, 0.25],
];

describe('hgmDual: HGM duals from the Pfaffian artifacts', () => {
  for (const act of ['resin', 'gelu'] as const) {
    it(`${act}: σ and σ̇ duals, per entry and batched, equal the adaptive-quadrature reference to 1e-9 relative`, () => {
      const ref = quadratureDual(ACTIVATIONS[act]);
      const h = hgmDual(act);
      const a = COVS.map((v) => v[0]);
      const c = COVS.map((v) => v[1]);
      const b = COVS.map((v) => v[2]);
      const sb = h.sigmaBatch!(a, c, b);
      const db = h.dsigmaBatch!(a, c, b);
      COVS.forEach(([x, y, z], i) => {
        const rs = ref.sigma(x, y, z);
        const rd = ref.dsigma(x, y, z);
        expect(relErr(h.sigma(x, y, z), rs)).toBeLessThan(1e-9);
        expect(relErr(h.dsigma(x, y, z), rd)).toBeLessThan(1e-9);
        expect(relErr(sb[i]!, rs)).toBeLessThan(1e-9);
        expect(relErr(db[i]!, rd)).toBeLessThan(1e-9);
      });
    });
  }

  it('relu: HGM equals the arc-cosine closed form to 1e-12 relative, incl. ρ = ±1', () => {
    const h = hgmDual('relu');
    for (const [a, c, b] of [...COVS, [2, Math.SQRT2 * 1.5, 2.25] as [number, number, number], [1, -1, 1] as [number, number, number]]) {
      expect(relErr(h.sigma(a, c, b), reluDual.sigma(a, c, b))).toBeLessThan(1e-12);
      const d = reluDual.dsigma(a, c, b);
      // ρ = −1: E[Y(u)Y(−u)] = 0 exactly; compare absolutely there.
      expect(d === 0 ? Math.abs(h.dsigma(a, c, b)) : relErr(h.dsigma(a, c, b), d)).toBeLessThan(1e-12);
    }
  });

  it('batch: false and perEntry() drop the batch methods; the step has no σ̇ dual', () => {
    expect(hgmDual('resin', { batch: false }).sigmaBatch).toBeUndefined();
    expect(perEntry(hgmDual('resin')).dsigmaBatch).toBeUndefined();
    expect(hgmDual('rectpow:2').activation).toBe('rectpow:2');
    const step = hgmDual('step');
    expect(step.dsigmaBatch).toBeUndefined();
    expect(() => step.dsigma(1, 0.5, 1)).toThrow(DomainError);
  });

  it('a formula is refused by the built-in resolver with a message that says what to pass', () => {
    expect(() => hgmDual('heaviside(u)*cos(u)')).toThrow(/not a built-in activation.*options\.resolver/);
  });
});

/** Wraps a provider and counts how it is called. */
function counting(p: DualProvider) {
  const calls = { entry: 0, batch: 0, batchItems: 0 };
  const wrapped: DualProvider = {
    name: p.name,
    activation: p.activation,
    sigma: (a, c, b) => (calls.entry++, p.sigma(a, c, b)),
    dsigma: (a, c, b) => (calls.entry++, p.dsigma(a, c, b)),
    sigmaBatch: (a, c, b) => (calls.batch++, (calls.batchItems += a.length), p.sigmaBatch!(a, c, b)),
    dsigmaBatch: (a, c, b) => (calls.batch++, (calls.batchItems += a.length), p.dsigmaBatch!(a, c, b)),
  };
  return { calls, wrapped };
}

describe('kernels through the HGM', () => {
  it('the activation layer makes one batch call per dual for the off-diagonal entries, none per entry but the diagonal', () => {
    const x = randomInputs(7, 3, 11);
    const { calls, wrapped } = counting(hgmDual('resin'));
    serial(dense(), activation(wrapped), dense()).kernelFn(x, null, 'ntk');
    expect(calls.batch).toBe(2);
    expect(calls.batchItems).toBe(2 * ((7 * 6) / 2));
    // The diagonal is ρ = 1 exactly, one 1-D integral per distinct variance and dual.
    expect(calls.entry).toBeLessThanOrEqual(2 * 7);
  });

  for (const act of ['resin', 'gelu'] as const) {
    it(`${act}: NNGP and NTK (depth 2, σw = 1.3, σb = 0.2) via HGM all-at-once and per entry equal the quadrature kernels to 1e-9 relative`, {
      timeout: 60_000,
    }, () => {
      const x = randomInputs(4, 3, 5);
      const x2 = randomInputs(2, 3, 6);
      const net = (p: DualProvider) => fullyConnected({ depth: 2, activation: p, wStd: 1.3, bStd: 0.2 });
      const ref = net(quadratureDual(ACTIVATIONS[act]));
      for (const p of [hgmDual(act), hgmDual(act, { batch: false })]) {
        for (const [u, v] of [
          [x, null],
          [x, x2],
        ] as const) {
          const got = net(p).kernels(u, v);
          const want = ref.kernels(u, v);
          for (const kind of ['nngp', 'ntk'] as const) {
            const g = got[kind];
            for (let i = 0; i < g.rows; i++) for (let j = 0; j < g.cols; j++) expect(relErr(at(g, i, j), at(want[kind], i, j))).toBeLessThan(1e-9);
          }
        }
      }
    });
  }
});
