import { builtinArtifact } from '../src/index.ts';
/**
 * Batches with many distinct (a, b): the Chebyshev grid in (√a, √b, θ) of src/scatteredBatch.ts against the
 * per-(a, b) HGM path (scattered: 'never', the same values as dualActivation point by point), the relu closed
 * form (written here) and test/fixtures/dual_refs.json. Items: seeded random a, b, ρ, plus ρ = ±1, 1 − |ρ| = 1e-10,
 * ρ = 0, a = b and a > b (the symmetric swap). Tolerance 1e-10 relative.
 */
import { ACTIVATIONS, DomainError, type PfaffianArtifact } from '@holonomic-ntk/core';
import { describe, expect, it } from 'vitest';
import { dualActivation, dualActivationBatch, SCATTERED_MIN_GROUPS } from '../src/dualActivation.ts';
import { prepareSystem } from '../src/hgm.ts';
import { ScatteredGrid, scatteredToleranceScale, type ScatteredStats } from '../src/scatteredBatch.ts';
import { relErr, rng, fixtureJson } from './helpers.ts';
import { twoProduct } from './twoProduct.ts';

const artifact = (name: string): PfaffianArtifact => builtinArtifact(name);
const resin = artifact('resin');
const gelu = artifact('gelu');
const relu = artifact('relu');

type Item = { a: number; c: number; b: number };

/** n random items with a, b uniform in [lo, hi] and ρ uniform in [−1, 1], then the special cases. */
function scattered(seed: number, n: number, lo: number, hi: number): Item[] {
  const r = rng(seed);
  const items: Item[] = [];
  const at = (a: number, b: number, rho: number): Item => ({ a, b, c: rho * Math.sqrt(a) * Math.sqrt(b) });
  for (let i = 0; i < n; i++) items.push(at(lo + (hi - lo) * r(), lo + (hi - lo) * r(), 2 * r() - 1));
  const a = lo + (hi - lo) * r();
  const b = lo + (hi - lo) * r();
  items.push(
    { a, b, c: Math.sqrt(a * b) }, // ρ = 1 (within the slack)
    { a, b: a, c: -a }, // ρ = −1 exactly, a = b
    at(a, b, 1 - 1e-10),
    at(b, a, -(1 - 1e-10)),
    at(a, a, 0.3), // a = b
    at(b, b, -0.6),
    at(a, b, 0),
    at(Math.max(a, b) * 1.01, Math.min(a, b), 0.45), // a > b
  );
  return items;
}

function compare(values: Float64Array, ref: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < values.length; i++) {
    const e = ref[i] === 0 ? Math.abs(values[i]!) : relErr(values[i]!, ref[i]!);
    worst = Math.max(worst, e);
  }
  return worst;
}

const freshStats = (): ScatteredStats => ({ nodesA: 0, nodesB: 0, nodesTheta: 0, paths: 0, error: NaN, interpolated: 0, direct: 0 });

describe('scattered batch grid against the per-(a, b) path', () => {
  for (const [name, art, fns, integrand] of [
    ['resin σ', resin, ACTIVATIONS.resin, 'sigma'],
    ['resin σ̇', resin, ACTIVATIONS.resin, 'dsigma'],
    ['gelu σ', gelu, ACTIVATIONS.gelu, 'sigma'],
  ] as const) {
    it(`${name}: ≤ 1e-12 relative, most items interpolated`, () => {
      const items = scattered(name.length * 7 + 11, 160, 0.2, 3);
      const stats = freshStats();
      const grid = dualActivationBatch(art, fns, items, { integrand, scattered: 'always', scatteredStats: stats });
      const direct = dualActivationBatch(art, fns, items, { integrand, scattered: 'never' });
      const worst = compare(grid, direct);
      console.info(`${name}: max rel. error ${worst.toExponential(2)}; grid ${JSON.stringify(stats)}`);
      expect(stats.declined).toBeUndefined();
      // Items the grids' estimates do not certify to 1e-12 of their own |E| take the per-item polar rule (resin, with
      // a closing wedge at ρ = −1, sends all of ρ < 0 to the polar band, whose grid a batch this small declines:
      // per item is cheaper); fewer still go direct. Served by a grid or the polar rule: ≥ 70 %.
      expect(stats.interpolated + (stats.polar ?? 0)).toBeGreaterThan(0.7 * items.length);
      expect(stats.direct).toBeLessThan(0.05 * items.length);
      expect(worst).toBeLessThanOrEqual(1e-12);
    });
  }
});

describe('scattered batch against test/fixtures/dual_refs.json', () => {
  const refs = fixtureJson('dual_refs.json') as { activation: string; kind: 'sigma' | 'dsigma'; a: number; b: number; c: number; rho: number; value: number }[];
  for (const [name, art, fns] of [
    ['resin', resin, ACTIVATIONS.resin],
    ['gelu', gelu, ACTIVATIONS.gelu],
  ] as const) {
    for (const kind of ['sigma', 'dsigma'] as const) {
      if (name === 'gelu' && kind === 'dsigma') continue; // gelu σ̇ paths cost ~4× gelu σ; the σ grid covers the method
      it(`${name} ${kind}: the refs with |ρ| ≤ 0.99 inside a scattered batch, ≤ 1e-10`, () => {
        const pts = refs.filter((e) => e.activation === name && e.kind === kind && Math.abs(e.rho) <= 0.99);
        const r = rng(5);
        // Scattered companions over the refs' box so that the refs are interpolated, not grouped.
        const items: Item[] = pts.map((e) => ({ a: e.a, c: e.c, b: e.b }));
        for (let i = 0; i < 80; i++) {
          const a = 0.1 + 6.9 * r();
          const b = 0.1 + 6.9 * r();
          items.push({ a, b, c: (1.98 * r() - 0.99) * Math.sqrt(a * b) });
        }
        const stats = freshStats();
        const values = dualActivationBatch(art, fns, items, { integrand: kind, scattered: 'always', scatteredStats: stats });
        const worst = compare(
          values.subarray(0, pts.length),
          pts.map((e) => e.value),
        );
        console.info(`${name} ${kind}: max rel. error ${worst.toExponential(2)} over ${pts.length} dual_refs; grid ${JSON.stringify(stats)}`);
        expect(stats.declined).toBeUndefined();
        expect(worst).toBeLessThanOrEqual(1e-10);
      });
    }
  }
});

/** relu σ (arc-cosine kernel) and step (relu σ̇) in φ = π − θ, θ = atan2(√Δ, c). */
function reluClosed(a: number, c: number, b: number, integrand: 'sigma' | 'dsigma'): number {
  const [p, pe] = twoProduct(a, b);
  const [q, qe] = twoProduct(c, c);
  const delta = Math.max(0, p - q + (pe - qe));
  // φ = π − θ = atan2(√Δ, −c) directly: π − atan2(√Δ, c) would lose ε·π absolutely, ~1e-10 relative in φ³ at ρ → −1.
  const phi = Math.atan2(Math.sqrt(delta), -c);
  if (integrand === 'dsigma') return phi / (2 * Math.PI);
  // sin φ − φ cos φ; for small φ (E recessive) by its series: φ³/3 − φ⁵/30 + …
  let f: number;
  if (phi < 0.5) {
    const p2 = phi * phi;
    let term = phi;
    f = 0;
    for (let k = 1; k < 30; k++) {
      term *= -p2 / (2 * k * (2 * k + 1));
      f -= term * 2 * k; // sin φ − φ cos φ = Σ_k (−1)^{k+1} 2k φ^{2k+1}/(2k+1)!
    }
  } else f = Math.sin(phi) - phi * Math.cos(phi);
  return (Math.sqrt(a) * Math.sqrt(b) * f) / (2 * Math.PI);
}

describe('relu (rank 2) against the closed form', () => {
  for (const integrand of ['sigma', 'dsigma'] as const) {
    it(`relu ${integrand}: a, b over six decades, auto mode takes the grid, ≤ 1e-12`, () => {
      const r = rng(integrand === 'sigma' ? 21 : 22);
      const items = scattered(integrand === 'sigma' ? 31 : 32, 400, 0.2, 3);
      for (let i = 0; i < 200; i++) {
        const a = 10 ** (6 * r() - 3);
        const b = 10 ** (6 * r() - 3);
        items.push({ a, b, c: (2 * r() - 1) * Math.sqrt(a) * Math.sqrt(b) });
      }
      const stats = freshStats();
      const values = dualActivationBatch(relu, ACTIVATIONS.relu, items, { integrand, scatteredStats: stats });
      const worst = compare(
        values,
        items.map((it) => reluClosed(it.a, it.c, it.b, integrand)),
      );
      console.info(`relu ${integrand}: max rel. error ${worst.toExponential(2)}; grid ${JSON.stringify(stats)}`);
      expect(stats.declined).toBeUndefined();
      // ρ < 0 (the closing wedge) goes to the polar band, per item in a batch this small: ≥ 85 % by a grid or polar.
      expect(stats.interpolated + (stats.polar ?? 0)).toBeGreaterThan(0.85 * items.length);
      expect(stats.direct).toBeLessThan(0.05 * items.length);
      expect(worst).toBeLessThanOrEqual(1e-12);
    });
  }
});

describe('scattered batch: when the grid is not used, and errors', () => {
  it(`fewer than ${SCATTERED_MIN_GROUPS} distinct (a, b): grouped, stats say why`, () => {
    const items = Array.from({ length: 200 }, (_, i) => ({ a: 1 + (i % 5), c: 0.1 * (i % 7), b: 2 }));
    const stats = freshStats();
    const values = dualActivationBatch(relu, ACTIVATIONS.relu, items, { scatteredStats: stats });
    expect(stats.declined).toMatch(/distinct/);
    expect(stats.interpolated).toBe(0);
    expect(
      compare(
        values,
        items.map((it) => reluClosed(it.a, it.c, it.b, 'sigma')),
      ),
    ).toBeLessThanOrEqual(1e-12);
  });

  it('an invalid item is still named by its index', () => {
    const items = scattered(3, 100, 0.5, 2);
    items.splice(57, 0, { a: 1, c: 3, b: 1 });
    expect(() => dualActivationBatch(relu, ACTIVATIONS.relu, items)).toThrow(DomainError);
    expect(() => dualActivationBatch(relu, ACTIVATIONS.relu, items)).toThrow(/items\[57\]/);
  });
});

describe('documented examples of src/scatteredBatch.ts', () => {
  it('ScatteredGrid.build / value / evaluateSorted / errorAt, scatteredToleranceScale', () => {
    const system = resin.systems[0]!;
    const ctx = {
      system,
      integrand: 'sigma' as const,
      fns: ACTIVATIONS.resin,
      indexOfOne: prepareSystem(system).indexOfOne,
      symmetric: true,
      options: { rtol: 1e-14, atolFactor: 1e-2 },
    };
    const stats = freshStats();
    const grid = ScatteredGrid.build(ctx, [0.7, 1.4], [0.7, 1.4], [0.5, 2.5], 500, stats)!;
    expect(grid).toBeDefined();
    const direct = (a: number, rho: number, b: number) => dualActivation(resin, ACTIVATIONS.resin, a, rho * Math.sqrt(a) * Math.sqrt(b), b);
    expect(relErr(grid.value(1.1, 1.3, 1), direct(1.21, Math.cos(1), 1.69))).toBeLessThan(1e-12);
    const out = new Float64Array(2);
    grid.evaluateSorted(Float64Array.of(1, 1), Float64Array.of(1.3, 0.9), Float64Array.of(1, 2), Uint32Array.of(0, 1), out);
    expect(relErr(out[0]!, direct(1, Math.cos(1), 1.69))).toBeLessThan(1e-12);
    expect(relErr(out[1]!, direct(1, Math.cos(2), 0.81))).toBeLessThan(1e-12);
    expect(grid.errorAt(1)).toBeLessThan(1e-12);
    expect(scatteredToleranceScale(1e-11)).toBeCloseTo(1000, 9);
    expect(scatteredToleranceScale(undefined)).toBe(1);
  });
});
