/**
 * E[φ(u)ψ(v)] for Λ = [[a, c], [c, b]] by a product rule in polar coordinates, for σ whose only kink is at 0 and whose
 * support is ℝ, [0, ∞) or (−∞, 0] (every built-in σ and σ̇). With (z₁, z₂) = r(cos α, sin α), u = √a·r·cos α and
 * v = √b·r·cos(α − θ), θ = atan2(τ, ρ): the kink lines u = 0 and v = 0 are the rays α = ±π/2 and α = θ ± π/2, which
 * cut the circle into four arcs of widths θ, π − θ, θ, π − θ. On each arc u and v keep their signs, so
 * r ↦ φ(√a·r·cos α)ψ(√b·r·cos(α − θ)) is analytic (entire for the built-ins): Gauss–Legendre in α per arc times
 * Gauss–Legendre in r on [0, R_MAX] against the weight r·e^{−r²/2} converge geometrically, at every θ ∈ [0, π]
 * including |ρ| = 1 exactly (two arcs have width 0) and 1 − |ρ| ~ 1e-15 (the cosines near the kink rays are computed
 * as sines of the distance to the ray, never as differences of angles, so their signs are exact).
 *
 * This is the route of the near-boundary band |ρ| > 0.9 of the scattered grid (src/scatteredBatch.ts), where the
 * rank-8 path ODE loses accuracy (ACCURACY.md §4) and the nested tanh-sinh quadrature (src/boundaryQuadrature.ts)
 * costs 10–300 ms per point: a few thousand evaluations of φψ instead of 10^4–10^5.
 *
 * Error estimate: the last level returned against the one before (levels (20, 40), (28, 56), (40, 80) points; the
 * middle one is returned when that meets the caller's rtol), plus rounding
 * (64ε·Σ|w·f|). Both converge geometrically, so the difference bounds the finer rule's error by orders of magnitude;
 * if it is not below the tolerance the caller takes the slower exact route.
 */
import { gaussLegendreRule, type SigmaSpec } from '@holonomic-ntk/core';
import type { QuadratureEstimate } from './boundaryQuadrature.ts';

/** r ∈ [0, R_MAX]: the weight r·e^{−r²/2} beyond it is e^{−72} ≈ 5e-32 of its integral (σ grows at most polynomially). */
const R_MAX = 12;
/**
 * Points per arc in α and on [0, R_MAX] in r of the nested levels: each level is compared with the one before, and
 * the first that agrees with it to the tolerance is returned (the (20, 40) level alone is never returned).
 */
const N_ALPHA = [20, 28, 40] as const;
const N_R = [40, 56, 80] as const;

const INV_2PI = 1 / (2 * Math.PI);

/** Whether σ suits the polar rule: kinks ⊆ {0}, support ℝ or a half-line at 0. */
export function polarApplicable(spec: SigmaSpec): boolean {
  if (spec.kinks.some((k) => k !== 0)) return false;
  const s = spec.support;
  if (!s) return true;
  return (s[0] === -Infinity || s[0] === 0) && (s[1] === Infinity || s[1] === 0);
}

/** Whether σ can be nonzero for arguments of sign `sign` (by its support). */
function lives(spec: SigmaSpec, sign: 1 | -1): boolean {
  const s = spec.support;
  if (!s) return true;
  return sign > 0 ? s[1] > 0 : s[0] < 0;
}

interface Rules {
  ax: Float64Array;
  aw: Float64Array;
  r: Float64Array;
  rw: Float64Array;
}
const rulesCache = new Map<number, Rules>();
/** Gauss–Legendre on [0, 1] in α (fraction of an arc) and on [0, R_MAX] in r, with the weight r·e^{−r²/2} folded in. */
function rules(level: 0 | 1 | 2): Rules {
  let hit = rulesCache.get(level);
  if (hit) return hit;
  const ga = gaussLegendreRule(N_ALPHA[level]);
  const gr = gaussLegendreRule(N_R[level]);
  const ax = ga.nodes.map((x) => (x + 1) / 2);
  const aw = ga.weights.map((w) => w / 2);
  const r = gr.nodes.map((x) => ((x + 1) * R_MAX) / 2);
  const rw = gr.weights.map((w, i) => ((w * R_MAX) / 2) * r[i]! * Math.exp(-0.5 * r[i]! * r[i]!));
  hit = { ax, aw, r, rw };
  rulesCache.set(level, hit);
  return hit;
}

/**
 * One arc of angular width `width`: Σ over α-nodes of width·w_α·Σ_r w_r·φ(pa·r)ψ(pb·r), where on the arc
 * cos α = su·sin(fu) and cos(α − θ) = sv·sin(fv) with fu = width·x, fv = width·(1 − x) for x ∈ [0, 1] the fraction
 * along it (`uRises`), or the other way round. Adds Σ|terms| into abs[0].
 */
function arc(
  phi: SigmaSpec,
  psi: SigmaSpec,
  sa: number,
  sb: number,
  width: number,
  su: 1 | -1,
  sv: 1 | -1,
  uRises: boolean,
  R: Rules,
  abs: Float64Array,
): number {
  if (!(width > 0) || !lives(phi, su) || !lives(psi, sv)) return 0;
  let total = 0;
  let totalAbs = 0;
  const { ax, aw, r, rw } = R;
  for (let i = 0; i < ax.length; i++) {
    const x = ax[i]!;
    const rising = width * x;
    const falling = width * (1 - x);
    const pa = su * sa * Math.sin(uRises ? rising : falling);
    const pb = sv * sb * Math.sin(uRises ? falling : rising);
    let s = 0;
    let sAbs = 0;
    for (let k = 0; k < r.length; k++) {
      const t = rw[k]! * phi.sigma(pa * r[k]!) * psi.sigma(pb * r[k]!);
      s += t;
      sAbs += Math.abs(t);
    }
    total += aw[i]! * s;
    totalAbs += aw[i]! * sAbs;
  }
  abs[0] = abs[0]! + width * totalAbs;
  return width * total;
}

function rule(phi: SigmaSpec, psi: SigmaSpec, a: number, b: number, th: number, thc: number, level: 0 | 1 | 2, abs: Float64Array): number {
  const sa = Math.sqrt(a);
  const sb = Math.sqrt(b);
  const R = rules(level);
  // Arcs (α from −π/2): A1 = [−π/2, θ − π/2] (u ≥ 0, v ≤ 0), A2 = [θ − π/2, π/2] (u, v ≥ 0),
  // A3 = [π/2, θ + π/2] (u ≤ 0, v ≥ 0), A4 = [θ + π/2, 3π/2] (u, v ≤ 0); θc = π − θ. Along A1 and A3 the angle from
  // the u-ray rises, along A2 and A4 it falls.
  let sum = arc(phi, psi, sa, sb, th, 1, -1, true, R, abs);
  sum += arc(phi, psi, sa, sb, thc, 1, 1, false, R, abs);
  sum += arc(phi, psi, sa, sb, th, -1, 1, true, R, abs);
  sum += arc(phi, psi, sa, sb, thc, -1, -1, false, R, abs);
  return sum * INV_2PI;
}

/**
 * E[φ(u)ψ(v)] for a, b > 0 and ρ = cos θ, τ = sin θ ≥ 0 (τ passed accurately, e.g. from Δ = ab − c²; τ = 0 is
 * |ρ| = 1), by the polar product rule; `estimate` receives the error estimate and Σ|φψ| (in the units of E). With
 * `rtol` > 0 the middle level is returned when it meets rtol·|E| (half the evaluations of the finest). Callers
 * check `polarApplicable` for both factors. (σ without kinks are split at the same rays: their soft kinks, e.g.
 * gelu's at u = 0, are steep in α at large r, and Gauss–Legendre clusters its nodes at the arc ends; the periodic
 * trapezoid rule over the whole circle with 64 points did not converge.)
 *
 * For instance (illustration, not run):
 *   polarExpectation(ACTIVATIONS.relu.sigma, ACTIVATIONS.relu.sigma, 1, 1, 0, 1); // 1/(2π), error ~1e-17
 */
export function polarExpectation(
  phi: SigmaSpec,
  psi: SigmaSpec,
  a: number,
  b: number,
  rho: number,
  tau: number,
  estimate?: QuadratureEstimate,
  rtol = 0,
): number {
  const th = Math.atan2(tau, rho);
  const thc = Math.atan2(tau, -rho);
  const abs = new Float64Array(1);
  let previous = rule(phi, psi, a, b, th, thc, 0, abs);
  let value = previous;
  let error = Infinity;
  for (const level of [1, 2] as const) {
    abs[0] = 0;
    value = rule(phi, psi, a, b, th, thc, level, abs);
    error = Math.abs(value - previous) + 64 * Number.EPSILON * abs[0]! * INV_2PI;
    if (error <= rtol * Math.abs(value)) break;
    previous = value;
  }
  if (estimate) {
    estimate.abs = abs[0]! * INV_2PI;
    estimate.error = error;
  }
  return value;
}
