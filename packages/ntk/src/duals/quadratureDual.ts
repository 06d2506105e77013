/**
 * High-accuracy reference duals for any activation given as functions with kinks (resin, gelu, sigmoid, …),
 * by nested adaptive 1-D quadrature (the method of test/fixtures/make_dual_refs.py, without its closed-form
 * inner expectation):
 *
 *   u = √a·z₁,  v = √b(ρz₁ + s z₂),  s = √(1 − ρ²) = √Δ/√(ab),
 *   E[f(u)g(v)] = ∫ φ(z₁) f(√a z₁) H(√b ρ z₁, √b s) dz₁,   H(m, τ) = E[g(m + τZ)] = ∫ φ(w) g(m + τw) dw.
 *
 * The inner integral is split where m + τw hits a kink of g; the outer one at the kinks of f and around the
 * transition layers of H (centred where √b ρ z₁ hits a kink of g, width s/|ρ| in z₁, which becomes very thin as
 * |ρ| → 1). ρ = ±1 (s = 0) is the 1-D integral with v = √b ρ z₁; a = 0 or b = 0 uses f(0) or g(0).
 * Both lines are cut at |z| ≤ cutoff (default 13, φ(13) ≈ 2e-37: assumes |f|, |g| grow at most polynomially).
 * Accuracy ≈ 1e-13 relative to E[|f(u)g(v)|] by default; ~10–100 ms per value — a reference, not a kernel.
 */
import { DomainError, type SigmaSpec } from '@holonomic-ntk/core';
import { integrateAdaptive, type AdaptiveOptions } from './adaptiveQuadrature.ts';
import { covariance } from '@holonomic-ntk/core';
import type { ActivationFunctions, DualProvider } from './dualProvider.ts';

/**
 * Options of {@link quadratureDual}.
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * import { quadratureDual, type QuadratureDualOptions } from '@holonomic-ntk/ntk';
 * const options: QuadratureDualOptions = { rtol: 1e-10, cutoff: 10 };
 * quadratureDual(ACTIVATIONS.relu, options).sigma(1, 0, 1); // ≈ 0.15915494309189535 ± 1e-9
 * ```
 */
export interface QuadratureDualOptions {
  /** Relative tolerance of the outer and inner integrals (default 1e-14). */
  rtol?: number;
  /** |z| cut-off of both Gaussian integrals (default 13). */
  cutoff?: number;
}

const INV_SQRT_2PI = 0.3989422804014327;
const pdf = (z: number): number => INV_SQRT_2PI * Math.exp(-0.5 * z * z);

/** Break points and range of z ↦ spec(scale·z + shift) on [−L, L] (scale ≠ 0). */
function mapped(spec: SigmaSpec, scale: number, shift: number, L: number): { lo: number; hi: number; kinks: number[] } {
  let lo = -L;
  let hi = L;
  if (spec.support) {
    const e1 = (spec.support[0] - shift) / scale;
    const e2 = (spec.support[1] - shift) / scale;
    lo = Math.max(lo, Math.min(e1, e2));
    hi = Math.min(hi, Math.max(e1, e2));
  }
  const kinks = spec.kinks.map((k) => (k - shift) / scale).filter((z) => z > lo && z < hi);
  return { lo, hi, kinks };
}

/**
 * E[g(m + τZ)] for τ > 0. Each piece is integrated in the offset from an end where g's argument is known exactly
 * (a kink or a support end): computing m + τw near a kink would cancel to a relative error ~1e-16·|m|/|m + τw|,
 * which a power such as (m + τw)⁵ amplifies into noise that no bisection removes.
 */
function innerExpectation(g: SigmaSpec, m: number, tau: number, L: number, opts: AdaptiveOptions): number {
  const { lo, hi } = mapped(g, tau, m, L);
  if (!(hi > lo)) return 0;
  // exact g-arguments at the special points: kinks and support ends
  const special = new Map<number, number>();
  for (const k of g.kinks) special.set((k - m) / tau, k);
  if (g.support) for (const e of g.support) if (Number.isFinite(e)) special.set((e - m) / tau, e);
  const ends = [lo, ...[...special.keys()].filter((w) => w > lo && w < hi).sort((x, y) => x - y), hi];
  let total = 0;
  for (let i = 0; i + 1 < ends.length; i++) {
    const [p, q] = [ends[i]!, ends[i + 1]!];
    if (!(q > p)) continue;
    const left = special.get(p);
    const right = special.get(q);
    let h: (y: number) => number;
    if (left !== undefined) h = (y) => pdf(p + y) * g.sigma(left + tau * y);
    else if (right !== undefined) h = (y) => pdf(q - y) * g.sigma(right - tau * y);
    else h = (y) => pdf(p + y) * g.sigma(m + tau * (p + y));
    total += integrateAdaptive(h, [0, q - p], opts).value;
  }
  return total;
}

/** E[h(√v·Z)] for v > 0, a 1-D Gaussian integral. */
function oneDimensional(h: SigmaSpec, v: number, L: number, opts: AdaptiveOptions): number {
  const { lo, hi, kinks } = mapped(h, Math.sqrt(v), 0, L);
  if (!(hi > lo)) return 0;
  return integrateAdaptive((z) => pdf(z) * h.sigma(Math.sqrt(v) * z), [lo, ...kinks, hi], opts).value;
}

/**
 * E[f(u)g(v)] for (u, v) ~ N(0, [[a, c], [c, b]]) by nested adaptive quadrature.
 *
 * For example:
 *   const relu = { sigma: (u: number) => Math.max(u, 0), kinks: [0], support: [0, Infinity] as const };
 *   quadratureExpectation(relu, relu, 1, 0, 1); // ≈ 1/(2π)
 */
export function quadratureExpectation(f: SigmaSpec, g: SigmaSpec, a: number, c: number, b: number, options: QuadratureDualOptions = {}): number {
  const cov = covariance(a, c, b);
  const L = options.cutoff ?? 13;
  const opts: AdaptiveOptions = { rtol: options.rtol ?? 1e-14 };
  // The inner integral's error estimate is conservative (the halves' sums it returns are far more accurate);
  // its noise (rounding of m + τw near a kink) is ~1e-16 of its scale, so the outer rule must not chase below
  // a few 1e-14 of a piece's scale.
  const inner: AdaptiveOptions = { rtol: 1e-14 };
  const outerOpts: AdaptiveOptions = { ...opts, noise: 3e-14 };
  if (cov.a === 0 && cov.b === 0) return f.sigma(0) * g.sigma(0);
  if (cov.a === 0) return f.sigma(0) * oneDimensional(g, cov.b, L, opts);
  if (cov.b === 0) return oneDimensional(f, cov.a, L, opts) * g.sigma(0);
  const sa = Math.sqrt(cov.a);
  const sb = Math.sqrt(cov.b);
  const rho = Math.max(-1, Math.min(1, cov.c / cov.sqrtAb));
  const s = cov.sqrtDet / cov.sqrtAb;
  const fz = mapped(f, sa, 0, L);
  if (!(fz.hi > fz.lo)) return 0;
  const points = [fz.lo, fz.hi, ...fz.kinks];
  if (fz.lo < 0 && fz.hi > 0) points.push(0);
  if (s === 0) {
    // ρ = ±1: v = √b ρ z₁ exactly.
    const gz = mapped(g, sb * rho, 0, L);
    const lo = Math.max(fz.lo, gz.lo);
    const hi = Math.min(fz.hi, gz.hi);
    if (!(hi > lo)) return 0;
    const pts = [lo, hi, ...[...fz.kinks, ...gz.kinks].filter((z) => z > lo && z < hi)];
    return integrateAdaptive((z) => pdf(z) * f.sigma(sa * z) * g.sigma(sb * rho * z), pts, opts).value;
  }
  if (rho !== 0) {
    const width = s / Math.abs(rho);
    for (const k of g.kinks) {
      const centre = k / (sb * rho);
      for (const mult of [0, 1, 4, 16, 64, 256]) {
        for (const z of [centre - mult * width, centre + mult * width]) if (z > fz.lo && z < fz.hi) points.push(z);
      }
    }
  }
  const tau = sb * s;
  const outer = (z: number): number => {
    const fv = f.sigma(sa * z);
    if (fv === 0) return 0;
    return pdf(z) * fv * innerExpectation(g, sb * rho * z, tau, L, inner);
  };
  return integrateAdaptive(outer, points, outerOpts).value;
}

/**
 * A DualProvider by nested adaptive quadrature: accurate (~1e-13) for any activation given as functions with
 * kinks, but ~10–100 ms per value — a reference (the test reference for resin and gelu), not a kernel method.
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * import { quadratureDual } from '@holonomic-ntk/ntk';
 * const quad = quadratureDual(ACTIVATIONS.relu);
 * quad.name; // → 'quad'
 * quad.sigma(1, 0, 1); // ≈ 0.15915494309189535 ± 1e-12
 * ```
 */
export function quadratureDual(act: ActivationFunctions, options: QuadratureDualOptions = {}): DualProvider {
  return {
    name: 'quad',
    activation: act.name,
    sigma: (a, c, b) => quadratureExpectation(act.sigma, act.sigma, a, c, b, options),
    dsigma: (a, c, b) => {
      if (!act.dsigma) throw new DomainError(`${act.name} has no derivative as a function (σ̇ is a distribution)`);
      return quadratureExpectation(act.dsigma, act.dsigma, a, c, b, options);
    },
  };
}
