/**
 * Issue 11, item 4: accuracy everywhere, stated and checked (ACCURACY.md §8).
 *
 * - The GELU σ̇ small-variance hole (the path from ρ = 0 is ill-conditioned there: its perturbation grows like
 *   e^{|ρ|/a}) is detected by the path's own error estimate and served by an accurate route: ≤ 1e-12.
 * - Every route's error estimate bounds the true error against test/fixtures/accuracy_refs.json (mpmath, closed forms
 *   or 1-D quadrature to 25 digits; made by test/fixtures/make_accuracy_refs.py) on a sample of its grid a, b ∈
 *   {0.01 … 100}, ρ ∈ [−1, 1] with ±1 and 1 − |ρ| = 1e-10, for every shipped artifact, σ and σ̇, and every value
 *   meets the stated 1e-12 relative (or 1e-13·S absolute, S = √(E[φ²]E[ψ²]); |E| < 1e-3·S is checked to 1e-14·S).
 * - The tolerance option re-routes or throws as documented; curves and batches return their estimates.
 * - A property: at random Λ the estimate is ≥ the error against float64 closed forms (with their own rounding).
 */
import { ACTIVATIONS, builtinActivation, IntegrationError, type Integrand } from '@holonomic-ntk/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinArtifact, dualActivation, dualActivationBatch, dualActivationCurve, dualActivationWithError } from '../src/index.ts';
import { fixtureJson } from './helpers.ts';

type Row = [string, Integrand, number, number, number, string, number | null];
const refs = fixtureJson<{ rows: Row[] }>('accuracy_refs.json').rows;
const fnsOf = (name: string) => (name === 'phi' ? ACTIVATIONS.phi : builtinActivation(name)!);
/** The reference row at (a, b, c = ρ·√a·√b) (c as the generator rounded it) and its c. */
const refAt = (name: string, integrand: Integrand, a: number, b: number, rho: number): { value: number; c: number } => {
  const c = rho * Math.sqrt(a) * Math.sqrt(b);
  const row = refs.find((r) => r[0] === name && r[1] === integrand && r[2] === a && r[3] === b && Math.abs(r[4] - c) <= 1e-15 * Math.abs(c));
  if (!row) throw new Error(`no reference for ${name} ${integrand} (${a}, ${b}, ${rho})`);
  return { value: Number(row[5]), c: row[4] };
};
/** S = √(E[φ(u)²]E[ψ(v)²]) from the references at a = b, ρ = +1. */
const squareOf = (name: string, integrand: Integrand, a: number): number => refAt(name, integrand, a, a, 1).value;

describe('GELU σ̇ at small variances (the hole of issue 11): detected and re-routed, ≤ 1e-12', () => {
  const gelu = builtinArtifact('gelu');
  const cases: [number, number][] = [
    [0.03, -0.9],
    [0.03, -0.5],
    [0.03, 0.9],
    [0.01, -0.9],
    [0.01, 0.5],
    [0.01, 0.9999],
  ];
  // The reported points a = b = 0.05 are not on the reference grid: the closed form of packages/ntk (Tsuchida et
  // al.) in float64 is accurate to a few ulps there (no cancellation: D ≥ 1, c small).
  const geluDsigma = (a: number, c: number, b: number): number => {
    const A = 1 + a;
    const B = 1 + b;
    const D = A * B - c * c;
    const sD = Math.sqrt(D);
    return Math.atan2(sD, -c) / (2 * Math.PI) + c / (2 * Math.PI * sD) + (c * (A * B * (2 - a * b) - c * c * (1 - a * b))) / (2 * Math.PI * A * B * D * sD);
  };
  it('a = b = 0.05, ρ = −0.9 and −0.5 (7.2e-8 and 5e-11 before): ≤ 1e-12, the path estimate says why', () => {
    for (const rho of [-0.9, -0.5, 0.5, 0.9]) {
      const c = rho * 0.05;
      const ref = geluDsigma(0.05, c, 0.05);
      const r = dualActivationWithError(gelu, ACTIVATIONS.gelu, 0.05, c, 0.05, { integrand: 'dsigma' });
      expect(Math.abs(r.value - ref) / ref).toBeLessThanOrEqual(1e-12);
      expect(r.error).toBeLessThanOrEqual(1e-12 * ref);
      expect(r.route).toBe('gauss-hermite');
      // The forced path: its estimate reports the loss, and the default tolerance would refuse it.
      const path = dualActivationWithError(gelu, ACTIVATIONS.gelu, 0.05, c, 0.05, { integrand: 'dsigma', method: 'path' });
      expect(path.error).toBeGreaterThan(Math.abs(path.value - ref) / 10);
      expect(path.error).toBeGreaterThan(1e-12 * ref);
    }
  });
  it.each(cases)('a = b = %f, ρ = %f against the mpmath reference: ≤ 1e-12 (1e12 relative off before at a = 0.01)', (a, rho) => {
    const { value: ref, c } = refAt('gelu', 'dsigma', a, a, rho);
    // First point of (a, b) (Taylor path), then the cached DOP853 curve: both must re-route.
    for (let k = 0; k < 2; k++) {
      const r = dualActivationWithError(gelu, ACTIVATIONS.gelu, a, c, a, { integrand: 'dsigma' });
      expect(Math.abs(r.value - ref) / ref).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(r.value - ref)).toBeLessThanOrEqual(r.error);
    }
    const curve = dualActivationCurve(gelu, ACTIVATIONS.gelu, a, a, [c], { integrand: 'dsigma' });
    expect(Math.abs(curve[0]! - ref) / ref).toBeLessThanOrEqual(1e-12);
  });
});

describe('the tolerance option', () => {
  const gelu = builtinArtifact('gelu');
  const at = [0.05, -0.045, 0.05] as const;
  it('a forced path above the tolerance throws IntegrationError naming the estimate; Infinity returns it', () => {
    expect(() => dualActivation(gelu, ACTIVATIONS.gelu, ...at, { integrand: 'dsigma', method: 'path', tolerance: 1e-12 })).toThrow(IntegrationError);
    expect(() => dualActivation(gelu, ACTIVATIONS.gelu, ...at, { integrand: 'dsigma', method: 'path', tolerance: 1e-12 })).toThrow(
      /estimated error .* exceeds the tolerance/,
    );
    const loose = dualActivationWithError(gelu, ACTIVATIONS.gelu, ...at, { integrand: 'dsigma', method: 'path', tolerance: Infinity });
    expect(loose.error).toBeGreaterThan(1e-10);
    // A loose tolerance keeps the fast route where it meets it.
    const fast = dualActivationWithError(gelu, ACTIVATIONS.gelu, 0.05, 0.01, 0.05, { integrand: 'dsigma', tolerance: 1e-6 });
    expect(['taylor', 'path']).toContain(fast.route);
  });
  it('a tolerance no route can meet throws; the absolute tolerance serves values that are (nearly) 0', () => {
    expect(() => dualActivation(gelu, ACTIVATIONS.gelu, 1, 0.5, 1, { tolerance: 1e-20, absoluteTolerance: 0 })).toThrow(IntegrationError);
    const relu = builtinArtifact('relu');
    expect(dualActivationWithError(relu, ACTIVATIONS.relu, 1, -1, 1, { tolerance: 0 })).toEqual({ value: 0, error: 0, route: 'boundary' });
    // E of the odd erf at ρ = 0 is 0 (to the moments' rounding): the absolute tolerance accepts it.
    const erf = dualActivationWithError(builtinArtifact('erf'), ACTIVATIONS.erf, 2, 0, 3, { tolerance: 0 });
    expect(Math.abs(erf.value)).toBeLessThanOrEqual(1e-30);
    expect(erf.error).toBeLessThanOrEqual(1e-15);
  });
  it('curves and batches fill `errors`, re-route per point, and name the item that misses the tolerance', () => {
    const cs = [-0.05, -0.045, 0, 0.025, 0.0499];
    const errors = new Float64Array(cs.length);
    const E = dualActivationCurve(gelu, ACTIVATIONS.gelu, 0.05, 0.05, cs, { integrand: 'dsigma', errors });
    cs.forEach((c, k) => {
      expect(errors[k]).toBeLessThanOrEqual(1e-12 * Math.abs(E[k]!));
      if (c !== 0) expect(errors[k]).toBeGreaterThan(0);
    });
    const items = cs.map((c) => ({ a: 0.05, c, b: 0.05 }));
    const batchErrors = new Float64Array(items.length);
    const B = dualActivationBatch(gelu, ACTIVATIONS.gelu, items, { integrand: 'dsigma', errors: batchErrors });
    items.forEach((_, k) => expect(Math.abs(B[k]! - E[k]!)).toBeLessThanOrEqual(batchErrors[k]! + errors[k]!));
    expect(() => dualActivationCurve(gelu, ACTIVATIONS.gelu, 0.05, 0.05, cs, { integrand: 'dsigma', method: 'path', tolerance: 1e-12 })).toThrow(/cs\[1\]/);
    expect(() => dualActivationCurve(gelu, ACTIVATIONS.gelu, 1, 1, [0.5, 0.6], { errors: new Float64Array(1) })).toThrow(RangeError);
  });
});

describe('estimates bound the error on the reference grid, and every value meets the stated accuracy', () => {
  // Every 11th reference (1011 of 11115: a, b and ρ all vary along the file; resin and gelu near |ρ| = 1 are 2-D
  // quadratures at 0.1–1 s each); HGM_ACCURACY_ALL=1 checks all of them (bench/accuracyScan.ts prints the table).
  const STRIDE = process.env.HGM_ACCURACY_ALL === '1' ? 1 : 11;
  const groups = new Map<string, Row[]>();
  refs.forEach((row, i) => {
    if (i % STRIDE !== 0) return;
    const key = `${row[0]}:${row[1]}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(row);
  });
  it.each([...groups.keys()])(
    '%s',
    (key) => {
      const rows = groups.get(key)!;
      const [name, integrand] = [key.slice(0, key.lastIndexOf(':')), key.slice(key.lastIndexOf(':') + 1)] as [string, Integrand];
      const artifact = builtinArtifact(name);
      let worstRel = 0;
      let worstRatio = 0;
      const misses: string[] = [];
      for (const [, , a, b, c, value] of rows) {
        const ref = Number(value);
        const S = Math.sqrt(squareOf(name, integrand, a) * squareOf(name, integrand, b));
        let r: ReturnType<typeof dualActivationWithError>;
        try {
          r = dualActivationWithError(artifact, fnsOf(name), a, c, b, { integrand });
        } catch (e) {
          // The one known gap (ACCURACY.md §8): resin at b = 100, a ≤ 0.3, ρ within an ulp of +1 (E ~ 1e-16–1e-22),
          // where the 2-D quadrature does not converge: thrown, never returned.
          expect(e).toBeInstanceOf(IntegrationError);
          expect([name, b, c > 0 && Math.abs(c - Math.sqrt(a) * Math.sqrt(b)) <= 1e-15 * c]).toEqual(['resin', 100, true]);
          continue;
        }
        const err = Math.abs(r.value - ref);
        // The estimate bounds the error (the reference is good to 1e-20 relative and better); below ε²·S (recessive
        // wedges of width 1e-8 at ρ within an ulp of −1, E ~ 1e-42) the quadratures' estimates are not claimed.
        if (!(err <= r.error + 1e-20 * Math.abs(ref) + Number.EPSILON ** 2 * S))
          misses.push(`(${a}, ${b}, ${c}): error ${err.toExponential(1)} > estimate ${r.error.toExponential(1)} (${r.route})`);
        if (err > 0) worstRatio = Math.max(worstRatio, err / r.error);
        if (Math.abs(ref) >= 1e-3 * S) worstRel = Math.max(worstRel, err / Math.abs(ref));
        else expect(err).toBeLessThanOrEqual(1e-14 * S);
      }
      console.info(`${key}: ${rows.length} points, max relative error ${worstRel.toExponential(1)}, max error/estimate ${worstRatio.toExponential(1)}`);
      expect(misses).toEqual([]);
      expect(worstRel).toBeLessThanOrEqual(1e-12);
    },
    300_000,
  );
});

describe('property: the estimate is ≥ the error against float64 closed forms at random Λ', () => {
  /** Closed forms in (ρ, τ) with θ = atan2(τ, ρ): accurate to a few ulps (no cancellation for these Λ). */
  const closed: Record<string, (a: number, b: number, rho: number, tau: number) => number> = {
    'relu:sigma': (a, b, rho, tau) => {
      if (rho >= 0) return (Math.sqrt(a * b) * (tau + (Math.PI - Math.atan2(tau, rho)) * rho)) / (2 * Math.PI);
      // sin φ − φ cos φ with φ = π − θ, by its series (it cancels like φ³/3 near ρ = −1).
      const phi = Math.atan2(tau, -rho);
      let sum = 0;
      let power = phi;
      for (let k = 1; k < 30; k++) {
        power *= (phi * phi) / (2 * k * (2 * k + 1));
        sum += (k % 2 === 1 ? 1 : -1) * 2 * k * power;
      }
      return (Math.sqrt(a * b) * sum) / (2 * Math.PI);
    },
    'relu:dsigma': (_a, _b, rho, tau) => (Math.PI - Math.atan2(tau, rho)) / (2 * Math.PI),
    'erf:sigma': (a, b, rho) => (2 / Math.PI) * Math.asin((2 * rho * Math.sqrt(a * b)) / Math.sqrt((1 + 2 * a) * (1 + 2 * b))),
    'erf:dsigma': (a, b, _rho, tau) => 4 / (Math.PI * Math.sqrt(1 + 2 * a + 2 * b + 4 * a * b * tau * tau)),
    'phi:dsigma': (a, b, _rho, tau) => 1 / (2 * Math.PI * Math.sqrt(1 + a + b + a * b * tau * tau)),
    'gelu:dsigma': (a, b, rho, tau) => {
      const c = rho * Math.sqrt(a * b);
      const A = 1 + a;
      const B = 1 + b;
      const D = 1 + a + b + a * b * tau * tau;
      const sD = Math.sqrt(D);
      return Math.atan2(sD, -c) / (2 * Math.PI) + c / (2 * Math.PI * sD) + (c * (A * B * (2 - a * b) - c * c * (1 - a * b))) / (2 * Math.PI * A * B * D * sD);
    },
  };
  const keys = Object.keys(closed);
  it('relu, erf, Φ′, gelu σ̇; a, b = 10^U(−2, 2), |ρ| ≤ 0.999 (40 runs)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...keys),
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: -0.999, max: 0.999, noNaN: true }),
        (key, la, lb, rho) => {
          const [name, integrand] = [key.slice(0, key.lastIndexOf(':')), key.slice(key.lastIndexOf(':') + 1)] as [string, Integrand];
          const a = 10 ** la;
          const b = 10 ** lb;
          const tau = Math.sqrt((1 - rho) * (1 + rho));
          const ref = closed[key]!(a, b, rho, tau);
          const r = dualActivationWithError(builtinArtifact(name), fnsOf(name), a, rho * Math.sqrt(a) * Math.sqrt(b), b, { integrand });
          // The float64 reference's own rounding: a few ulps of |E|.
          expect(Math.abs(r.value - ref)).toBeLessThanOrEqual(r.error + 16 * Number.EPSILON * Math.abs(ref));
        },
      ),
      { numRuns: 40 },
    );
  });
});
