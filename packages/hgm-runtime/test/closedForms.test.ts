import { builtinArtifact } from '../src/index.ts';
/**
 * Item B of issue 5: the HGM against closed forms on 10^4 random Λ per dual activation, written here
 * independently of the code under test (own exact product for Δ = ab − c², own series, atan2 forms):
 *
 * - relu σ (arc-cosine kernel of degree 1, Cho & Saul): E = √(ab)/(2π)·(sin θ + (π − θ) cos θ), θ = arccos ρ;
 *   for ρ < 0 written with φ = π − θ as √(ab)/(2π)·(sin φ − φ cos φ), by its Taylor series for φ < 0.5 (the
 *   difference cancels like φ³/3);
 * - relu σ̇ = step: E = (π − θ)/(2π) (= φ/(2π) for ρ < 0); hgm-runtime's Y(0) = 0, so E = 0 when a = 0 or b = 0;
 * - erf σ: (2/π) arcsin(2c/√((1+2a)(1+2b))) = (2/π) atan2(2c, √(1 + 2a + 2b + 4Δ)) (a sum of positive terms:
 *   no cancellation near |ρ| = 1 or for huge a, b);
 * - erf σ̇: 4/(π√((1+2a)(1+2b) − 4c²)) = 4/(π√(1 + 2a + 2b + 4Δ)).
 *
 * Λ: a, b = 10^U(−6, 6) (tiny and huge scales); 78 % with ρ uniform in [−1, 1], 10 % with 1 − |ρ| ∈ (0, 1e-12],
 * 2 % with |ρ| = 10^U(−12, −6) (E of the odd erf is ∝ ρ there), 4 % with ρ = ±1 exactly (c = ±√a√b), 6 % with
 * a = 0 or b = 0 (c = 0). Every point has new variances, so
 * each is a cold path solve (moments cached per variance). Tolerance: relative 1e-10 (absolute 1e-300 where the
 * closed form is 0). `HGM_CLOSED_FORM_POINTS` overrides the number of points (default 10^4).
 */
import { ACTIVATIONS, type PfaffianArtifact } from '@holonomic-ntk/core';
import { describe, expect, it } from 'vitest';
import { dualActivation } from '../src/index.ts';
import { rng } from './helpers.ts';
import { twoProduct } from './twoProduct.ts';

const artifact = (name: string): PfaffianArtifact => builtinArtifact(name);
const POINTS = Number(process.env.HGM_CLOSED_FORM_POINTS ?? 10_000);

/** Δ = ab − c² with a relative error of a few ulps even when it cancels. */
function delta(a: number, b: number, c: number): number {
  const [p, pe] = twoProduct(a, b);
  const [q, qe] = twoProduct(c, c);
  return p - q + (pe - qe);
}

/** sin φ − φ cos φ without cancellation for small φ: Σ_{k≥1} (−1)^{k+1} 2k φ^{2k+1}/(2k+1)!. */
function sinMinusPhiCos(phi: number): number {
  if (phi >= 0.5) return Math.sin(phi) - phi * Math.cos(phi);
  let sum = 0;
  let power = phi; // φ^{2k+1}/(2k+1)!
  for (let k = 1; k < 30; k++) {
    power *= (phi * phi) / (2 * k * (2 * k + 1));
    const term = (k % 2 === 1 ? 1 : -1) * 2 * k * power;
    sum += term;
    if (Math.abs(term) < 1e-18 * Math.abs(sum)) break;
  }
  return sum;
}

interface Angles {
  rho: number;
  tau: number;
}
function angles(a: number, b: number, c: number): Angles {
  const sab = Math.sqrt(a) * Math.sqrt(b);
  return { rho: Math.max(-1, Math.min(1, c / sab)), tau: Math.sqrt(Math.max(0, delta(a, b, c)) / a / b) };
}

const CLOSED = {
  relu: (a: number, b: number, c: number): number => {
    if (a === 0 || b === 0) return 0;
    const { rho, tau } = angles(a, b, c);
    const sab = Math.sqrt(a) * Math.sqrt(b);
    if (rho < 0) return (sab * sinMinusPhiCos(Math.atan2(tau, -rho))) / (2 * Math.PI);
    const theta = Math.atan2(tau, rho);
    return (sab * (tau + (Math.PI - theta) * rho)) / (2 * Math.PI);
  },
  step: (a: number, b: number, c: number): number => {
    if (a === 0 || b === 0) return 0;
    const { rho, tau } = angles(a, b, c);
    return rho < 0 ? Math.atan2(tau, -rho) / (2 * Math.PI) : (Math.PI - Math.atan2(tau, rho)) / (2 * Math.PI);
  },
  erf: (a: number, b: number, c: number): number => (2 / Math.PI) * Math.atan2(2 * c, Math.sqrt(1 + 2 * a + 2 * b + 4 * Math.max(0, delta(a, b, c)))),
  derf: (a: number, b: number, c: number): number => 4 / (Math.PI * Math.sqrt(1 + 2 * a + 2 * b + 4 * Math.max(0, delta(a, b, c)))),
};

/** The random Λ of the file comment, reproducibly. */
function randomCovariances(seed: number, n: number): { a: number; b: number; c: number }[] {
  const random = rng(seed);
  const scale = () => 10 ** (12 * random() - 6);
  return Array.from({ length: n }, () => {
    const u = random();
    let a = scale();
    let b = scale();
    if (u < 0.06) {
      if (random() < 0.5) a = 0;
      else b = 0;
      if (random() < 0.2) a = b = 0;
      return { a, b, c: 0 };
    }
    const sign = random() < 0.5 ? -1 : 1;
    const sab = Math.sqrt(a) * Math.sqrt(b);
    if (u < 0.1) return { a, b, c: sign * sab };
    if (u < 0.2) return { a, b, c: sign * (1 - 1e-12 * (1 - random())) * sab };
    if (u < 0.22) return { a, b, c: sign * 10 ** (6 * random() - 12) * sab };
    return { a, b, c: (2 * random() - 1) * sab };
  });
}

const cases = [
  { name: 'relu σ', artifact: 'relu', integrand: 'sigma', fns: ACTIVATIONS.relu, closed: CLOSED.relu },
  { name: 'relu σ̇ (step)', artifact: 'relu', integrand: 'dsigma', fns: ACTIVATIONS.relu, closed: CLOSED.step },
  { name: 'step σ', artifact: 'step', integrand: 'sigma', fns: ACTIVATIONS.step, closed: CLOSED.step },
  { name: 'erf σ', artifact: 'erf', integrand: 'sigma', fns: ACTIVATIONS.erf, closed: CLOSED.erf },
  { name: 'erf σ̇', artifact: 'erf', integrand: 'dsigma', fns: ACTIVATIONS.erf, closed: CLOSED.derf },
] as const;

describe(`dualActivation against closed forms on ${POINTS} random Λ (a, b ∈ [1e-6, 1e6], |ρ| → 1, ρ = ±1, a or b = 0)`, () => {
  cases.forEach(({ name, artifact: file, integrand, fns, closed }, n) => {
    it(`${name}: max relative error ≤ 1e-10`, () => {
      const art = artifact(file);
      let worst = 0;
      let worstAt = '';
      for (const { a, b, c } of randomCovariances(1000 + n, POINTS)) {
        const got = dualActivation(art, fns, a, c, b, { integrand });
        const want = closed(a, b, c);
        const e = want === 0 ? (Math.abs(got) <= 1e-300 ? 0 : Infinity) : Math.abs(got - want) / Math.abs(want);
        if (!(e <= worst)) [worst, worstAt] = [e, `a=${a} b=${b} c=${c}: got ${got}, want ${want}`];
      }
      console.info(`${name}: max relative error ${worst.toExponential(1)} over ${POINTS} random Λ (${worstAt})`);
      expect(worst, worstAt).toBeLessThan(1e-10);
    }, 120_000);
  });
});
