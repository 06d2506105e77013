/**
 * One-dimensional Gaussian moments m_j(a) = ∫ u^j σ(u) e^{a u²} du (a < 0) of an activation σ: the initial
 * values of the HGM, since at x12 = 0 the double integral factorizes (MATH.md §5).
 *
 * Method: substitute u = t/s, s = √(−a), so m_j(a) = s^{−(j+1)} ∫ t^j σ(t/s) e^{−t²} dt; cut the line where
 * t^{j+3} e^{−t²} < e^{−92} (assumes σ grows at most like a cubic); split at the kinks of σ so each piece is
 * analytic inside; integrate each piece by tanh-sinh (double-exponential) quadrature, which converges
 * geometrically in the number of points for integrands analytic inside the interval even with kinks at the
 * ends. All moments j = 0..J come from one set of σ evaluations.
 */
import { DomainError, IntegrationError, type SigmaSpec } from '@holonomic-ntk/core';
import { MAX_LEVEL, tanhSinhVector } from './tanhSinh.ts';

/**
 * Options of `momentVector` and `moment`. Setting `rtol` bypasses the moment cache.
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * import { moment, type MomentOptions } from '@holonomic-ntk/hgm-runtime';
 * const options: MomentOptions = { rtol: 1e-10 };
 * moment(ACTIVATIONS.relu.sigma, 0, -0.5, options); // ≈ 1 ± 1e-9
 * ```
 */
export interface MomentOptions {
  /** Target relative accuracy of every moment, measured against ∫|integrand| (default 1e-16). */
  rtol?: number;
}

/** Extra cut points (in u) of every moment quadrature: where the built-in activations change shape. */
export const FEATURE_POINTS: readonly number[] = [0, -1, 1, -4, 4];

/** Entries per σ in the moment cache before the oldest are dropped. */
const CACHE_LIMIT = 8192;

const cache = new WeakMap<SigmaSpec, Map<number, Float64Array>>();

/**
 * m_0(a), …, m_J(a) for a < 0, relative error ~1e-16 for moments that are not tiny cancellations. Cached per
 * (σ spec object, a).
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * import { momentVector } from '@holonomic-ntk/hgm-runtime';
 * // The step Y: ∫₀^∞ u^j e^{−u²} du = Γ((j+1)/2)/2.
 * const m = momentVector(ACTIVATIONS.step.sigma, -1, 2);
 * m[0]; // ≈ Math.sqrt(Math.PI) / 2
 * m[1]; // ≈ 0.5
 * m[2]; // ≈ Math.sqrt(Math.PI) / 4
 * momentVector(ACTIVATIONS.step.sigma, 1, 2); // throws DomainError
 * ```
 */
export function momentVector(spec: SigmaSpec, a: number, J: number, options: MomentOptions = {}): Float64Array {
  if (!(a < 0) || !Number.isFinite(a)) throw new DomainError(`moments need a finite a < 0 (Gaussian decay), got ${a}`);
  if (!Number.isInteger(J) || J < 0) throw new RangeError(`J must be an integer ≥ 0, got ${J}`);
  const useCache = options.rtol === undefined;
  let perSpec = cache.get(spec);
  const hit = useCache ? perSpec?.get(a) : undefined;
  if (hit && hit.length > J) return hit.subarray(0, J + 1);
  const abs = new Float64Array(J + 1);
  const m = computeMoments(spec, a, J, options.rtol ?? 1e-16, abs);
  if (useCache) {
    if (!perSpec) cache.set(spec, (perSpec = new Map()));
    if (perSpec.size >= CACHE_LIMIT) perSpec.delete(perSpec.keys().next().value!);
    perSpec.set(a, m);
    let perSpecAbs = absCache.get(spec);
    if (!perSpecAbs) absCache.set(spec, (perSpecAbs = new Map()));
    if (perSpecAbs.size >= CACHE_LIMIT) perSpecAbs.delete(perSpecAbs.keys().next().value!);
    perSpecAbs.set(a, abs);
  }
  return m;
}

/** ∫ |u^j σ(u)| e^{a u²} du per j, beside the cached moments (the scale of their rounding). */
const absCache = new WeakMap<SigmaSpec, Map<number, Float64Array>>();

/**
 * A_j(a) = ∫ |u^j σ(u)| e^{a u²} du for j = 0..J (the same quadrature as `momentVector`, cached with it): the scale
 * of the moments' rounding, ~8ε·A_j absolutely (a moment that cancels to nearly 0, such as m_0 of cos(10u)·Y(u), is
 * accurate only to that).
 *
 * E.g. `momentAbsVector(ACTIVATIONS.erf.sigma, -1, 1)` gives [2·∫₀^∞ erf(u) e^{−u²} du, …] while m_0 = 0.
 */
export function momentAbsVector(spec: SigmaSpec, a: number, J: number): Float64Array {
  let hit = absCache.get(spec)?.get(a);
  if (!hit || hit.length <= J) {
    // Not cached (or too short): recompute both with the wanted length (the moments' cache entry is replaced).
    cache.get(spec)?.delete(a);
    momentVector(spec, a, J);
    hit = absCache.get(spec)!.get(a)!;
  }
  return hit.subarray(0, J + 1);
}

/**
 * m_j(a) = ∫ u^j σ(u) e^{a u²} du for a < 0 (see `momentVector`).
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * import { moment } from '@holonomic-ntk/hgm-runtime';
 * // relu: ∫₀^∞ u·u e^{−u²/2} du = √(π/2).
 * moment(ACTIVATIONS.relu.sigma, 1, -0.5); // ≈ Math.sqrt(Math.PI / 2)
 * ```
 */
export function moment(spec: SigmaSpec, j: number, a: number, options?: MomentOptions): number {
  return momentVector(spec, a, j, options)[j]!;
}

function computeMoments(spec: SigmaSpec, a: number, J: number, rtol: number, absTotal: Float64Array): Float64Array {
  const s = Math.sqrt(-a);
  // Cut-off T with T² − (J+3) ln T ≥ 92: the neglected tail is below e^{−92} ≈ 1e-40 of the integrand's scale.
  let T = 10;
  for (let it = 0; it < 20; it++) T = Math.sqrt(92 + (J + 3) * Math.log(T));
  const [supLo, supHi] = spec.support ?? [-Infinity, Infinity];
  const lo = Math.max(-T, supLo * s);
  const hi = Math.min(T, supHi * s);
  const total = new Float64Array(J + 1);
  if (!(lo < hi)) return total;
  // Cuts at the kinks and at the feature points u ∈ FEATURE_POINTS: for a large variance (a → 0⁻) σ(t/s)
  // changes over |t| ~ s, e.g. erf(t/s) is a near-step at t = 0 for variance 10^4; tanh-sinh clusters its
  // nodes at the ends of a piece, so a cut there restores its geometric convergence.
  const cuts = [...spec.kinks, ...FEATURE_POINTS].map((k) => k * s).filter((k) => k > lo && k < hi);
  const breaks = [lo, ...new Set(cuts), hi].sort((x, y) => x - y);
  const g = (t: number): number => spec.sigma(t / s) * Math.exp(-t * t);
  const piece = new Float64Array(J + 1);
  const pieceAbs = new Float64Array(J + 1);
  for (let p = 0; p + 1 < breaks.length; p++) {
    if (breaks[p + 1]! > breaks[p]!) {
      tanhSinhMoments(g, breaks[p]!, breaks[p + 1]!, J, rtol, piece, pieceAbs);
      for (let j = 0; j <= J; j++) {
        total[j]! += piece[j]!;
        absTotal[j]! += pieceAbs[j]!;
      }
    }
  }
  // Back from t to u: m_j gets the factor s^{−(j+1)} = (−a)^{−(j+1)/2}; one pow each, not j roundings.
  for (let j = 0; j <= J; j++) {
    const f = (-a) ** (-(j + 1) / 2);
    total[j]! *= f;
    absTotal[j]! *= f;
  }
  return total;
}

/**
 * ∫_c^d t^j g(t) dt for j = 0..J by tanh-sinh (`tanhSinhVector`), halving the step until every moment has
 * converged. The error after a halving is about the square of the previous change (double-exponential
 * convergence), so stopping when the change is below √rtol·0.1 of ∫|t^j g| leaves an error far below rtol; the
 * roundoff floor is a few ulps.
 */
function tanhSinhMoments(g: (t: number) => number, c: number, d: number, J: number, rtol: number, out: Float64Array, absOut: Float64Array): void {
  // One g evaluation per point serves every moment.
  const add = (t: number, w: number, sum: Float64Array, abs: Float64Array): void => {
    const v = w * g(t);
    if (v === 0) return;
    let p = v;
    for (let j = 0; j <= J; j++) {
      sum[j]! += p;
      abs[j]! += Math.abs(p);
      p *= t;
    }
  };
  if (!tanhSinhVector(add, c, d, J + 1, rtol, out, undefined, absOut)) {
    throw new IntegrationError(`tanh-sinh quadrature of the moments on [${c}, ${d}] did not converge in ${MAX_LEVEL} levels`);
  }
}
