/**
 * Direct quadratures of E_{(u,v)~N(0,Λ)}[φ(u)ψ(v)] for the cases the HGM path does not serve well:
 *
 * - the boundary |ρ| = 1 (v = ±√(b/a)·u), and a = 0 or b = 0 (u or v ≡ 0): 1-D integrals;
 * - |ρ| so close to 1 that the wanted solution of the ODE is recessive (see ACCURACY.md): the 2-D integral
 *   written as u = √a·p, v = √b·(ρp + τz), τ = √(1 − ρ²), with p, z iid N(0, 1), integrated as nested 1-D
 *   tanh-sinh quadratures cut at every kink of the integrand, so each piece is analytic inside and converges
 *   geometrically. The kink lines of ψ move with z (p = (k/√b − τz)/ρ); the outer integral is cut where they
 *   cross the kinks of φ. For a non-negative integrand (step, ReLU) every term is positive, so the result is
 *   accurate relative to E itself even when E is 1e-8 (the thin wedge near ρ = −1).
 *
 * The functions come from the activation registry (`SigmaSpec`: values, kinks, support); the artifact does not
 * carry them, it only names the activation.
 */
import { DomainError, IntegrationError, gaussHermiteNormalRule } from '@holonomic-ntk/core';
import type { SigmaSpec } from '@holonomic-ntk/core';
import { FEATURE_POINTS } from './moments.ts';
import { MAX_LEVEL, tanhSinh, tanhSinhVector, tanhSinhWithError } from './tanhSinh.ts';

/**
 * What a quadrature here reports beside its value when asked: `abs` = ∫|integrand| (the scale of its rounding) and
 * `error`, an estimate of the absolute error (the tanh-sinh estimate of every piece, nested for the 2-D integral).
 */
export interface QuadratureEstimate {
  abs: number;
  error: number;
}

/** e^{−p²/2} < 1e-55 beyond it: the Gaussian tail is negligible even against σ(u)σ(v)·u^m v^n of degree ~10. */
const P_MAX = 16;
const INV_SQRT_2PI = 0.3989422804014327;

const gauss = (p: number): number => INV_SQRT_2PI * Math.exp(-0.5 * p * p);

/** The sorted distinct finite points in [lo, hi] plus the ends; the pieces of a piecewise-analytic integrand. */
function pieces(lo: number, hi: number, cuts: Iterable<number>): number[] {
  const inside = [...cuts].filter((t) => Number.isFinite(t) && t > lo && t < hi);
  return [lo, ...new Set(inside), hi].sort((x, y) => x - y);
}

/**
 * Pieces narrower than this fraction of the whole range are a sliver between two cuts that coincide up to rounding
 * (a moving kink of ψ computed beside a kink of φ, ρ near ±1): the step of σ may fall inside it on either side, so
 * no rule converges there; its midpoint value times its width is taken, and counted whole as its error.
 */
const SLIVER = 64 * Number.EPSILON;

function integratePieces(f: (t: number) => number, breaks: number[], rtol: number, estimate?: QuadratureEstimate): number {
  let s = 0;
  const range = breaks[breaks.length - 1]! - breaks[0]!;
  const sliver = SLIVER * range;
  if (estimate) {
    estimate.abs = 0;
    estimate.error = 0;
  }
  const info = new Float64Array(2);
  for (let i = 0; i + 1 < breaks.length; i++) {
    const c = breaks[i]!;
    const d = breaks[i + 1]!;
    if (d - c > sliver) {
      try {
        if (!estimate) s += tanhSinh(f, c, d, rtol);
        else {
          s += tanhSinhWithError(f, c, d, rtol, info);
          estimate.abs += info[0]!;
          estimate.error += info[1]!;
        }
        continue;
      } catch (e) {
        if (!(e instanceof IntegrationError) || d - c > NARROW * Math.max(Math.abs(c), Math.abs(d), range)) throw e;
        // A piece whose ends are computed cuts (a kink or support end of ψ moved by ρ and τz beside one of φ) and so
        // narrow that their rounding is a visible fraction of it: a rounding-wide strip at an end is on the wrong
        // side of the kink, or ψ's argument ρp + τz cancels to rounding noise, and no rule converges to 1e-16 of the
        // piece (the shifted step at ρ = −0.99, where the supports barely overlap; SELU at ρ = 0.999, a = 0.01).
        // Taken as a sliver.
      }
    }
    // A sliver, or a narrow piece tanh-sinh could not resolve: its midpoint value, counted whole as its error.
    const v = (d - c) * f((c + d) / 2);
    s += v;
    if (estimate) {
      estimate.abs += Math.abs(v);
      estimate.error += Math.abs(v);
    }
  }
  return s;
}

/** Pieces narrower than this fraction of their position or of the whole range that tanh-sinh cannot resolve are taken whole (see above). */
const NARROW = 1e-9;

/** Points where t ↦ spec.sigma(scale·t + shift) stops being analytic: kinks and finite support ends, mapped. */
function mappedKinks(spec: SigmaSpec, scale: number, shift = 0): number[] {
  const pts = [...spec.kinks];
  if (spec.support) pts.push(...spec.support.filter(Number.isFinite));
  return pts.map((k) => (k - shift) / scale);
}

/** The interval of t where spec.sigma(scale·t + shift) may be non-zero (scale ≠ 0), clipped to ±P_MAX. */
function supportOf(spec: SigmaSpec, scale: number, shift: number): [number, number] {
  const [lo, hi] = spec.support ?? [-Infinity, Infinity];
  let a = (lo - shift) / scale;
  let b = (hi - shift) / scale;
  if (scale < 0) [a, b] = [b, a];
  return [Math.max(a, -P_MAX), Math.min(b, P_MAX)];
}

/**
 * E[φ(u)ψ(v)] on the boundary of the cone: |ρ| = 1 with a, b > 0 (`sign` = ρ = ±1, v = sign·√(b/a)·u), or a = 0
 * or b = 0 (then u ≡ 0 or v ≡ 0 and E = φ(0)·E[ψ(v)] etc.). A 1-D tanh-sinh quadrature split at the kinks.
 *
 * For instance (illustration, not run):
 *   boundaryExpectation(ACTIVATIONS.relu.sigma, ACTIVATIONS.relu.sigma, 1, 4, 1); // E[relu(u)relu(2u)] = 2·½ = 1
 */
export function boundaryExpectation(phi: SigmaSpec, psi: SigmaSpec, a: number, b: number, sign: 1 | -1, rtol = 1e-16, estimate?: QuadratureEstimate): number {
  if (!(a >= 0 && b >= 0)) throw new DomainError(`variances must be ≥ 0, got a = ${a}, b = ${b}`);
  if (estimate) {
    estimate.abs = 0;
    estimate.error = 0;
  }
  if (a === 0 && b === 0) return phi.sigma(0) * psi.sigma(0);
  if (a === 0) return scaled(phi.sigma(0), gaussianMean(psi, Math.sqrt(b), rtol, estimate), estimate);
  if (b === 0) return scaled(psi.sigma(0), gaussianMean(phi, Math.sqrt(a), rtol, estimate), estimate);
  const sa = Math.sqrt(a);
  const sb = sign * Math.sqrt(b);
  const [lo1, hi1] = supportOf(phi, sa, 0);
  const [lo2, hi2] = supportOf(psi, sb, 0);
  const lo = Math.max(lo1, lo2);
  const hi = Math.min(hi1, hi2);
  if (!(lo < hi)) return 0;
  const f = (p: number): number => phi.sigma(sa * p) * psi.sigma(sb * p) * gauss(p);
  const features = FEATURE_POINTS.flatMap((u) => [u / sa, u / sb]);
  return integratePieces(f, pieces(lo, hi, [...mappedKinks(phi, sa), ...mappedKinks(psi, sb), ...features]), rtol, estimate);
}

/** k·value, with the estimate scaled alike. */
function scaled(k: number, value: number, estimate?: QuadratureEstimate): number {
  if (estimate) {
    estimate.abs *= Math.abs(k);
    estimate.error *= Math.abs(k);
  }
  return k * value;
}

/** E[σ(s·z)], z ~ N(0, 1), s > 0. */
function gaussianMean(spec: SigmaSpec, s: number, rtol: number, estimate?: QuadratureEstimate): number {
  const [lo, hi] = supportOf(spec, s, 0);
  if (!(lo < hi)) return 0;
  return integratePieces((p) => spec.sigma(s * p) * gauss(p), pieces(lo, hi, [...mappedKinks(spec, s), ...FEATURE_POINTS.map((u) => u / s)]), rtol, estimate);
}

/**
 * E[u^m v^n φ(u)ψ(v)] (m = powerU, n = powerV; default E[φ(u)ψ(v)]) for Λ = [[a, c], [c, b]], a, b > 0, |ρ| < 1,
 * by nested tanh-sinh quadrature (see the file comment). The powers give the other components of the HGM vector
 * (a basis element ∂11^i ∂12^j ∂22^k is 2^j E[u^{2i+j} v^{2k+j} φψ] after scaling).
 * `tau` = √(1 − ρ²) must be passed accurately (from Δ = ab − c² without cancellation): near |ρ| = 1 it cannot
 * be recomputed from a rounded ρ. About 10^4–10^5 evaluations of φ and ψ, i.e. milliseconds; used only where the
 * ODE would lose accuracy.
 *
 * For instance (illustration, not run):
 *   // E[Y(u)Y(v)] at ρ = −cos(1e-6): (π − arccos ρ)/(2π) = 1e-6/(2π)
 *   gaussianExpectation2d(step, step, 1, 1, -Math.cos(1e-6), Math.sin(1e-6));
 */
export function gaussianExpectation2d(
  phi: SigmaSpec,
  psi: SigmaSpec,
  a: number,
  b: number,
  rho: number,
  tau: number,
  options: { rtol?: number; powerU?: number; powerV?: number; estimate?: QuadratureEstimate } = {},
): number {
  const rtol = options.rtol ?? 1e-16;
  const m = options.powerU ?? 0;
  const n = options.powerV ?? 0;
  const estimate = options.estimate;
  if (estimate) {
    estimate.abs = 0;
    estimate.error = 0;
  }
  // |ρ| = 1 in float64 is allowed with τ > 0: ρ = c/√(ab) rounds to ±1 when 1 − |ρ| < 1.1e-16, τ does not.
  if (!(a > 0 && b > 0 && tau > 0 && Math.abs(rho) <= 1))
    throw new DomainError(`need a, b > 0, τ > 0 and |ρ| ≤ 1; got a = ${a}, b = ${b}, ρ = ${rho}, τ = ${tau}`);
  const sa = Math.sqrt(a);
  const sb = Math.sqrt(b);
  const [ulo, uhi] = supportOf(phi, sa, 0);
  if (!(ulo < uhi)) return 0;
  const kinksU = mappedKinks(phi, sa);
  const kinksV = mappedKinks(psi, 1); // in units of v/√b after division below
  // Cuts where the built-in σ change shape (FEATURE_POINTS, as for the moments): a smooth σ that is steep on the scale
  // of the nodes (erf(√a·p) for a ≥ 10) otherwise let a piece pass its convergence test 1e-12 off (ACCURACY.md §8).
  const featuresU = [0];
  // With an estimate: the outer integrals of the inner integrals' ∫|·| and of their own estimates beside the outer
  // value (weighted by the outer rule: an inner estimate in the far tail of z, where the inner quadrature works near
  // underflow, counts for what it contributes).
  const innerInfo: QuadratureEstimate | undefined = estimate ? { abs: 0, error: 0 } : undefined;
  let innerAbs = 0;
  let innerError = 0;
  const inner = (z: number): number => {
    const v = innerValue(z);
    if (innerInfo) {
      innerAbs = innerInfo.abs;
      innerError = innerInfo.error;
    }
    return v;
  };
  const innerValue = (z: number): number => {
    if (innerInfo) {
      innerInfo.abs = 0;
      innerInfo.error = 0;
    }
    if (rho === 0) {
      // v does not depend on p: the integral factorizes (kept for completeness; callers use the ODE there).
      const v = sb * tau * z;
      const k = psi.sigma(v) * v ** n;
      return scaled(
        k,
        integratePieces((p) => phi.sigma(sa * p) * (sa * p) ** m * gauss(p), pieces(ulo, uhi, kinksU), rtol, innerInfo),
        innerInfo,
      );
    }
    const shift = tau * z;
    // ψ(√b(ρp + τz)) as a function of p: scale √b·ρ, shift √b·τz.
    const [vlo, vhi] = supportOf(psi, sb * rho, sb * shift);
    const lo = Math.max(ulo, vlo);
    const hi = Math.min(uhi, vhi);
    if (!(lo < hi)) return 0;
    const moving = [...kinksV, 0].map((k) => (k / sb - shift) / rho);
    const f =
      m === 0 && n === 0
        ? (p: number): number => phi.sigma(sa * p) * psi.sigma(sb * (rho * p + shift)) * gauss(p)
        : (p: number): number => {
            const u = sa * p;
            const v = sb * (rho * p + shift);
            return phi.sigma(u) * psi.sigma(v) * u ** m * v ** n * gauss(p);
          };
    return integratePieces(f, pieces(lo, hi, [...kinksU, ...featuresU, ...moving]), rtol, innerInfo);
  };
  // The inner integral is not analytic in z where a moving kink of ψ meets a kink of φ: ρ·k1 + τz = k2/√b.
  const cross: number[] = [];
  for (const k1 of kinksU) for (const k2 of kinksV) cross.push((k2 / sb - rho * k1) / tau);
  const outer = pieces(-P_MAX, P_MAX, cross);
  if (!estimate) return integratePieces((z) => inner(z) * gauss(z), outer, rtol);
  // Outer integral of [inner, its ∫|·|, its estimate] (one set of inner evaluations; only the first must converge).
  const sum2 = new Float64Array(3);
  const est2 = new Float64Array(3);
  const abs2 = new Float64Array(3);
  let value = 0;
  const add = (z: number, w: number, sum: Float64Array, abs: Float64Array): void => {
    const g = w * gauss(z);
    if (g === 0) return;
    const v = g * inner(z);
    sum[0]! += v;
    abs[0]! += Math.abs(v);
    const u = g * innerAbs;
    sum[1]! += u;
    abs[1]! += u;
    const e = g * innerError;
    sum[2]! += e;
    abs[2]! += e;
  };
  let outerError = 0;
  let innerErrors = 0;
  let total = 0;
  for (let i = 0; i + 1 < outer.length; i++) {
    const c = outer[i]!;
    const d = outer[i + 1]!;
    if (!(d > c)) continue;
    if (d - c <= 64 * Number.EPSILON * Math.max(Math.abs(c), Math.abs(d))) {
      // As in tanhSinh: a piece a few ulps wide, counted whole as its own error.
      const v = (d - c) * inner((c + d) / 2) * gauss((c + d) / 2);
      value += v;
      outerError += Math.abs(v);
      total += Math.abs(v);
      continue;
    }
    if (!tanhSinhVector(add, c, d, 3, rtol, sum2, est2, abs2, 1)) {
      throw new IntegrationError(`tanh-sinh quadrature on [${c}, ${d}] did not converge in ${MAX_LEVEL} levels`);
    }
    value += sum2[0]!;
    outerError += est2[0]!;
    total += sum2[1]!;
    innerErrors += sum2[2]!;
  }
  estimate.abs = total;
  estimate.error = outerError + innerErrors;
  return value;
}

/** Orders of the Gauss–Hermite product rules `gaussHermite2d` tries (each compared with the one before). */
const GH_ORDERS = [12, 24, 48, 96] as const;

/**
 * E[φ(u)ψ(v)] for Λ = [[a, c], [c, b]] (a, b > 0, τ = √(1 − ρ²) > 0) by Gauss–Hermite product rules of 12, 24, 48
 * and 96 points per axis, u = √a·z1, v = √b(ρz1 + τz2): for σ without kinks or finite support (gelu, erf, Φ), whose
 * integrand is entire in (z1, z2); the rule of n points is exact for polynomials of degree < 2n, so at small variances
 * (σ nearly polynomial over the Gaussian's width, where the HGM path is ill-conditioned, ACCURACY.md §8) it converges
 * in a few hundred evaluations where the nested tanh-sinh needs 10^5. Returns the first value whose change from the
 * previous rule is ≤ `tol` (absolute; at least the rounding, 8ε·Σ|w f|), with that change plus the rounding as the
 * error estimate, or undefined if the
 * rule of 96 points does not get there (large variances: σ steep on the nodes' scale).
 *
 * E.g. `gaussHermite2d(ACTIVATIONS.gelu.dsigma, ACTIVATIONS.gelu.dsigma, 0.05, 0.05, -0.9, Math.sqrt(0.19), 1e-16)`.
 */
export function gaussHermite2d(
  phi: SigmaSpec,
  psi: SigmaSpec,
  a: number,
  b: number,
  rho: number,
  tau: number,
  tol: number,
  estimate?: QuadratureEstimate,
): number | undefined {
  const sa = Math.sqrt(a);
  const sb = Math.sqrt(b);
  let prev = NaN;
  for (const n of GH_ORDERS) {
    const { nodes, weights } = gaussHermiteNormalRule(n);
    let total = 0;
    let abs = 0;
    for (let i = 0; i < n; i++) {
      const z = nodes[i]!;
      const fu = weights[i]! * phi.sigma(sa * z);
      if (fu === 0) continue;
      const base = sb * rho * z;
      const step = sb * tau;
      let inner = 0;
      let innerAbs = 0;
      for (let j = 0; j < n; j++) {
        const t = weights[j]! * psi.sigma(base + step * nodes[j]!);
        inner += t;
        innerAbs += Math.abs(t);
      }
      total += fu * inner;
      abs += Math.abs(fu) * innerAbs;
    }
    const change = Math.abs(total - prev);
    // Two converged rules still differ by their rounding: accept that as converged.
    if (change <= Math.max(tol, GH_ROUNDING * abs)) {
      if (estimate) {
        estimate.abs = abs;
        estimate.error = change + GH_ROUNDING * abs;
      }
      return total;
    }
    prev = total;
  }
  return undefined;
}

/** Rounding of a Gauss–Hermite sum relative to Σ|w f|: values of a few ulps, weights to ~1e-15 for n ≤ 96 (measured ≤ 3ε). */
const GH_ROUNDING = 8 * Number.EPSILON;
