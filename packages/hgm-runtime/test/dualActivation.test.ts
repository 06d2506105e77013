import { ACTIVATIONS, classifyCovariance, DomainError, diffOfProducts, type SigmaSpec } from '@holonomic-ntk/core';
import { describe, expect, it } from 'vitest';
import { boundaryExpectation, gaussianExpectation2d } from '../src/boundaryQuadrature.ts';
import { dualActivation, dualActivationBatch, dualActivationCurve } from '../src/dualActivation.ts';
import { artifactFunctions, builtinArtifact } from '../src/index.ts';
import { relErr, rng, fixtureJson, stepArtifact } from './helpers.ts';

const artifact = stepArtifact();
const step = ACTIVATIONS.step;

/**
 * E[Y(u)Y(v)] = (π − arccos ρ)/(2π), written with atan2(τ, ρ), τ = √(Δ/(ab)) from the exact Δ, so that it keeps
 * full relative accuracy when 1 − |ρ| = 1e-13 (arccos of a rounded ρ would not).
 */
function stepClosedForm(a: number, c: number, b: number): number {
  const tau = Math.sqrt(Math.max(0, diffOfProducts(a, b, c, c)) / a / b);
  const rho = c / (Math.sqrt(a) * Math.sqrt(b));
  return rho < 0 ? Math.atan2(tau, -rho) / (2 * Math.PI) : (Math.PI - Math.atan2(tau, rho)) / (2 * Math.PI);
}

const err = (E: number, ref: number) => (ref === 0 ? Math.abs(E) : relErr(E, ref));

/** ρ = ±(1 − 10^−k), k = 1..13, and ρ = ±1 exactly, as c for variances (a, b). */
function boundaryCs(a: number, b: number): number[] {
  const cs: number[] = [];
  for (const sign of [-1, 1]) {
    for (let k = 1; k <= 13; k++) cs.push(sign * (1 - 10 ** -k) * Math.sqrt(a * b));
    cs.push(sign * Math.sqrt(a) * Math.sqrt(b));
  }
  return cs;
}

const VARIANCES: [number, number][] = [
  [1, 1],
  [0.1, 5],
  [7, 1.5],
  [2, 3],
  [1e-3, 1e3],
];

describe('dual activations at and near |ρ| = 1 (Heaviside-step system)', () => {
  it('single points: ρ = ±(1 − 10^−k), k = 1..13, and ±1 exactly, 5 (a, b) pairs (rel 1e-10; measured ≤ 3e-13)', () => {
    for (const [a, b] of VARIANCES) {
      for (const c of boundaryCs(a, b)) {
        const E = dualActivation(artifact, step, a, c, b);
        expect(err(E, stepClosedForm(a, c, b)), `a=${a} b=${b} ρ=${c / Math.sqrt(a * b)}`).toBeLessThan(1e-10);
      }
    }
  });

  it('the forced forward path alone loses accuracy where E is recessive (ρ → −1), which is why auto switches', () => {
    // Documents the reason for KAPPA_SWITCH: at 1 − |ρ| = 1e-9 the forward path from ρ = 0 is off by > 1e-11.
    const c = -(1 - 1e-9);
    const forward = dualActivation(artifact, step, 1, c, 1, { method: 'path' });
    const auto = dualActivation(artifact, step, 1, c, 1);
    expect(relErr(forward, stepClosedForm(1, c, 1))).toBeGreaterThan(1e-11);
    expect(relErr(auto, stepClosedForm(1, c, 1))).toBeLessThan(1e-13);
  });

  it('curve and batch give the same values near the boundary (rel 1e-10 against the closed form)', () => {
    const items: { a: number; c: number; b: number }[] = [];
    for (const [a, b] of VARIANCES) {
      const cs = boundaryCs(a, b);
      const E = dualActivationCurve(artifact, step, a, b, Float64Array.from(cs));
      cs.forEach((c, i) => {
        expect(err(E[i]!, stepClosedForm(a, c, b)), `curve a=${a} b=${b} c=${c}`).toBeLessThan(1e-10);
        items.push({ a, c, b });
      });
    }
    // Shuffled, so groups are interleaved in the input.
    const random = rng(5);
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    const E = dualActivationBatch(artifact, step, items);
    items.forEach((it, i) => expect(err(E[i]!, stepClosedForm(it.a, it.c, it.b)), `batch ${JSON.stringify(it)}`).toBeLessThan(1e-10));
  });

  it('curve: 10^5 ρ uniform on [−1, 1] at a = b = 1 (rel 1e-10; measured 3e-13)', () => {
    const n = 100_000;
    const cs = Float64Array.from({ length: n }, (_, i) => -1 + (2 * i) / (n - 1));
    const E = dualActivationCurve(artifact, step, 1, 1, cs);
    let worst = 0;
    let at = 0;
    for (let i = 0; i < n; i++) {
      const e = err(E[i]!, stepClosedForm(1, cs[i]!, 1));
      if (e > worst) [worst, at] = [e, cs[i]!];
    }
    expect(worst, `ρ = ${at}`).toBeLessThan(1e-10);
  });

  it('batch of 2000 random Λ over 20 (a, b) groups equals single evaluations (rel 1e-10) and the closed form', () => {
    const random = rng(99);
    const pairs = Array.from({ length: 20 }, () => [0.05 + 10 * random(), 0.05 + 10 * random()] as const);
    const items = Array.from({ length: 2000 }, () => {
      const [a, b] = pairs[Math.floor(random() * pairs.length)]!;
      const rho = 2 * random() - 1;
      return { a, b, c: rho * Math.sqrt(a * b) };
    });
    const E = dualActivationBatch(artifact, step, items);
    items.forEach((it, i) => {
      expect(err(E[i]!, stepClosedForm(it.a, it.c, it.b))).toBeLessThan(1e-10);
      if (i % 50 === 0) expect(err(E[i]!, dualActivation(artifact, step, it.a, it.c, it.b))).toBeLessThan(1e-10);
    });
  });
});

describe('degenerate and invalid Λ', () => {
  it('a = 0 or b = 0: E = σ(0)·E[σ(v)] (exact for these functions)', () => {
    // The registry's step has Y(0) = 0; a step with Y(0) = 1 shows the σ(0) factor.
    const stepAt0: SigmaSpec = { sigma: (u) => (u >= 0 ? 1 : 0), kinks: [0], support: [0, Infinity] };
    expect(dualActivation(artifact, step, 0, 0, 4)).toBe(0);
    expect(dualActivation(artifact, stepAt0, 0, 0, 4)).toBeCloseTo(0.5, 15);
    expect(dualActivation(artifact, stepAt0, 3, 0, 0)).toBeCloseTo(0.5, 15);
    expect(dualActivation(artifact, stepAt0, 0, 0, 0)).toBe(1);
    // 1e-15: the 1-D quadrature is cut at u = 0, ±1, ±4 as well (src/moments.ts FEATURE_POINTS), so 0.5 is a sum of pieces.
    for (const E of dualActivationCurve(artifact, stepAt0, 0, 2, [0, 0])) expect(E).toBeCloseTo(0.5, 15);
  });

  it('|ρ| within 1e-12 above 1 is the boundary; beyond, a DomainError naming the entry', () => {
    expect(dualActivation(artifact, step, 1, 1 + 5e-13, 1)).toBe(0.5);
    expect(dualActivation(artifact, step, 1, -(1 + 5e-13), 1)).toBe(0);
    expect(() => dualActivation(artifact, step, 1, 3, 4)).toThrow('c = 3 gives |ρ| = 1.5 > 1 for a = 1, b = 4');
    expect(() => dualActivation(artifact, step, 1, 1 + 1e-11, 1)).toThrow(/c = 1\.00000000001 gives \|ρ\| = 1\.00000000001 > 1/);
    expect(() => dualActivation(artifact, step, 0, 0.5, 4)).toThrow('c = 0.5 gives |ρ| = Infinity > 1 for a = 0, b = 4');
    expect(() => dualActivation(artifact, step, -1, 0, 4)).toThrow('a = -1 < 0: a variance must be ≥ 0');
    expect(() => dualActivation(artifact, step, 1, 0, -2)).toThrow('b = -2 < 0: a variance must be ≥ 0');
    expect(() => dualActivation(artifact, step, NaN, 0, 1)).toThrow('a = NaN is not a number');
    expect(() => dualActivation(artifact, step, 1, NaN, 1)).toThrow('c = NaN is not a number');
    expect(() => dualActivation(artifact, step, 1, 0, Infinity)).toThrow('b = Infinity is not finite');
    expect(() => dualActivation(artifact, step, 1, 3, 4)).toThrow(DomainError);
    expect(() => dualActivationCurve(artifact, step, 1, 1, [0.5, 2])).toThrow('cs[1]: c = 2 gives |ρ| = 2 > 1 for a = 1, b = 1');
    expect(() =>
      dualActivationBatch(artifact, step, [
        { a: 1, c: 0, b: 1 },
        { a: 2, c: NaN, b: 1 },
      ]),
    ).toThrow('items[1]: c = NaN is not a number');
  });

  it('classifyCovariance computes τ = √(1 − ρ²) without cancellation (rel 1e-15 at 1 − ρ = 2^−40)', () => {
    const c = 1 - 2 ** -40;
    const k = classifyCovariance(1, c, 1);
    expect(k.kind).toBe('interior');
    // 1 − c² = 2^−39 − 2^−80 exactly.
    if (k.kind === 'interior') expect(relErr(k.tau, Math.sqrt(2 ** -39 - 2 ** -80))).toBeLessThan(1e-15);
    expect(classifyCovariance(4, -2, 1)).toEqual({ kind: 'boundary', sign: -1 });
    expect(classifyCovariance(0, 0, 1)).toEqual({ kind: 'degenerate' });
  });
});

describe('direct quadratures against test/fixtures/dual_refs.json (all activations, generic σ)', () => {
  const refs = fixtureJson('dual_refs.json') as any[];

  it('the 152 values with |ρ| ≥ 0.99 of E[σσ], E[σ̇σ̇] for relu, resin, gelu, erf: 2-D tanh-sinh, ρ = ±1 by 1-D (rel 1e-12)', () => {
    // The regime where the runtime uses these quadratures (the rest of the file passes too, but costs ~30 s).
    let worst = 0;
    const near = refs.filter((r) => Math.abs(r.rho) >= 0.99);
    expect(near.length).toBe(152);
    for (const r of near) {
      const act = ACTIVATIONS[r.activation as 'relu'];
      const spec = (r.kind === 'sigma' ? act.sigma : act.dsigma)!;
      const ref = Number(r.value_str);
      const E =
        Math.abs(r.rho) === 1
          ? boundaryExpectation(spec, spec, r.a, r.b, r.rho > 0 ? 1 : -1)
          : gaussianExpectation2d(spec, spec, r.a, r.b, r.c / Math.sqrt(r.a * r.b), Math.sqrt(diffOfProducts(r.a, r.b, r.c, r.c) / r.a / r.b));
      const e = ref === 0 ? Math.abs(E) : Math.abs(E - ref) / Math.abs(ref);
      worst = Math.max(worst, e);
      expect(e, `${r.activation} ${r.kind} a=${r.a} b=${r.b} ρ=${r.rho}`).toBeLessThan(ref === 0 ? 1e-300 : Math.max(1e-12, 10 ** -r.digits));
    }
    expect(worst).toBeLessThan(1e-12);
  }, 60_000);
});

describe('a point a few ulps past the end of a cached curve', () => {
  // ρ = 0.6000000000000001 at a = b = 1 is s = 0.5 − 1 ulp after the curve of side +1 was extended to s = 0.5
  // exactly: DOP853 cannot take that step (it threw "step size underflow" for recos and elu; found by the playground).
  for (const name of ['recos', 'elu']) {
    it(`${name}: 81 points of ρ in order, and the curve, equal fresh single points`, () => {
      const art = structuredClone(builtinArtifact(name));
      const fns = artifactFunctions(art);
      const cs = Array.from({ length: 81 }, (_, i) => -1 + (2 * i) / 80);
      const single = cs.map((c) => dualActivation(art, fns, 1, c, 1));
      const curve = dualActivationCurve(structuredClone(art), fns, 1, 1, cs);
      const i = 64;
      const fresh = dualActivation(structuredClone(art), fns, 1, cs[i]!, 1);
      expect(relErr(single[i]!, fresh)).toBeLessThan(1e-12);
      expect(relErr(curve[i]!, fresh)).toBeLessThan(1e-12);
    });
  }
});
