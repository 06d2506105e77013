/**
 * The initial vector F⃗(x11, 0, x22) at variances where the 1-D moments lose it: by the Pfaffian system itself,
 * along x11 and then x22 at x12 = 0, from smaller variances where the moments are known relatively.
 *
 * Why: the moments m_j(x) = ∫ u^j σ(u) e^{x u²} du of an oscillating σ at a large variance are cancellations
 * (E[sin u sin v] at a = b = 100 is e^{−100}·sinh c), which any quadrature sees only to ε·∫|u^j σ| e^{x u²}: at
 * a = b = 100 the start of the path is pure rounding noise, 1e15 times its value. The system in x11 (x22) at x12 = 0
 * is an ODE whose solutions are products of moments along the variance; for an entire σ of exponential type they all
 * decay alike (e^{−1/(4|x11|)}), so the walk keeps relative accuracy where the quadrature has none. Where the start
 * is well conditioned (κ = max scale / max |F⃗| ≤ WALK_KAPPA) nothing changes.
 *
 * The walk carries the start's perturbation δ (the response to a relative change of every start component, as the
 * x12-path does, src/dualPath.ts `pathPerturbation`), so the scale returned with the walked vector is what the start
 * is known to, and the path's error estimate covers it.
 */
import { type Integrand, IntegrationError, type PfaffianSystem } from '@holonomic-ntk/core';
import { type IntegrandFunctions, initialVector, prepareSystem } from './hgm.ts';
import { Dop853, type OdeRhs } from './ode.ts';

/** A start whose scale is within this factor of its largest component is used as the moments give it. */
const WALK_KAPPA = 64;

/** Solver tolerance of the walk (per segment), and the factor on it in the returned scale. */
const WALK_RTOL = 1e-15;
const WALK_SOLVER = 4;

/** Below this variance the walk's start is not lowered further (the moments are then as good as they get). */
const MIN_START_VARIANCE = 1e-2;

/**
 * F⃗ at (x11, 0, x22) with the scale it is known to (`initialVector`'s `scaleOut`): from the moments, or, where those
 * lose more than WALK_KAPPA to cancellation, from the moments at variances halved until they do not, walked back up
 * by the Pfaffian system. Returns the moments' own vector when no smaller variance is better conditioned.
 *
 * For instance (illustration, not run): sin σ at a = b = 100, whose moment start is noise 1e15 times its size:
 *   const scale = new Float64Array(2);
 *   walkedInitialVector(sinSystem, 'sigma', -0.005, -0.005, ACTIVATIONS.sin, scale); // [~0, 2·m_1(x)²], relative 1e-14
 */
export function walkedInitialVector(
  system: PfaffianSystem,
  integrand: Integrand,
  x11: number,
  x22: number,
  functions: IntegrandFunctions,
  scaleOut: Float64Array,
): Float64Array {
  const F = initialVector(system, integrand, x11, x22, functions, scaleOut);
  if (conditioning(F, scaleOut) <= WALK_KAPPA) return F;
  let perFunctions = cache.get(system);
  if (!perFunctions) cache.set(system, (perFunctions = new WeakMap()));
  let perPoint = perFunctions.get(functions);
  if (!perPoint) perFunctions.set(functions, (perPoint = new Map()));
  const key = `${integrand} ${x11} ${x22}`;
  let hit = perPoint.get(key);
  if (!hit) {
    hit = walkedOrMoments(system, integrand, x11, x22, functions, F, scaleOut);
    if (perPoint.size >= CACHE_LIMIT) perPoint.delete(perPoint.keys().next().value!);
    perPoint.set(key, hit);
  }
  scaleOut.set(hit.scale);
  return hit.F.slice();
}

/** Walked starts per (system, functions, integrand, x11, x22): the path and its scale ask for the same start twice. */
const cache = new WeakMap<PfaffianSystem, WeakMap<IntegrandFunctions, Map<string, { F: Float64Array; scale: Float64Array }>>>();
const CACHE_LIMIT = 4096;

function walkedOrMoments(
  system: PfaffianSystem,
  integrand: Integrand,
  x11: number,
  x22: number,
  functions: IntegrandFunctions,
  F: Float64Array,
  scaleOut: Float64Array,
): { F: Float64Array; scale: Float64Array } {
  const a = -0.5 / x11;
  const b = -0.5 / x22;
  let top = Math.max(a, b);
  const startScale = new Float64Array(system.rank);
  let start: Float64Array | undefined;
  let a0 = a;
  let b0 = b;
  while (top > MIN_START_VARIANCE) {
    top /= 2;
    a0 = Math.min(a, top);
    b0 = Math.min(b, top);
    start = initialVector(system, integrand, -0.5 / a0, -0.5 / b0, functions, startScale);
    if (conditioning(start, startScale) <= WALK_KAPPA) break;
  }
  const moments = { F, scale: scaleOut.slice() };
  if (!start || conditioning(start, startScale) > conditioning(F, scaleOut)) return moments;
  // The walk's δ grows where its ODE amplifies (a σ whose moments mix decaying and growing solutions): then the
  // moments' own start may still be the better one.
  const walked = walk(system, start, startScale, a0, b0, a, b);
  return walked && conditioning(walked.F, walked.scale) < conditioning(F, scaleOut) ? walked : moments;
}

/** max scale / max |F|: how many times the start's rounding exceeds ε of the vector (1 for moments that do not cancel). */
function conditioning(F: Float64Array, scale: Float64Array): number {
  let f = 0;
  let s = 0;
  for (let l = 0; l < F.length; l++) {
    f = Math.max(f, Math.abs(F[l]!));
    s = Math.max(s, scale[l]!);
  }
  return f > 0 ? s / f : Infinity;
}

/** Signs of the start perturbation, mixed so that no component's response cancels by symmetry. */
const SIGNS = [1, -1, 1, 1, -1, 1, -1, -1];

/**
 * F⃗ and δ from variances (a0, b0) to (a, b) at x12 = 0: along x11 (segments of one doubling of the variance, whose
 * absolute tolerance is set from the vector at the segment's start, since F⃗ decays by up to e^{−v/2} per doubling),
 * then along x22. Undefined if the solver gives up (a singular point on the way).
 */
function walk(
  system: PfaffianSystem,
  F0: Float64Array,
  scale0: Float64Array,
  a0: number,
  b0: number,
  a: number,
  b: number,
): { F: Float64Array; scale: Float64Array } | undefined {
  const sys = prepareSystem(system);
  const r = sys.rank;
  const y = new Float64Array(2 * r);
  for (let l = 0; l < r; l++) {
    y[l] = F0[l]!;
    y[r + l] = SIGNS[l % SIGNS.length]! * Math.max(Math.abs(F0[l]!), scale0[l]!);
  }
  const P = new Float64Array(3 * r * r);
  const solver = new Dop853(2 * r);
  let x11 = -0.5 / a0;
  let x22 = -0.5 / b0;
  // Direction 0: x11 (P_11), 1: x22 (P_22); the other two coordinates are fixed during a leg.
  const leg = (direction: 0 | 1, from: number, to: number): boolean => {
    const offset = direction === 0 ? 0 : 2 * r * r;
    const rhs: OdeRhs = (t, v, dv) => {
      if (direction === 0) sys.pfaffian(t, 0, x22, P);
      else sys.pfaffian(x11, 0, t, P);
      for (let i = 0; i < r; i++) {
        let s = 0;
        let d = 0;
        for (let j = 0; j < r; j++) {
          const p = P[offset + i * r + j]!;
          s += p * v[j]!;
          d += p * v[r + j]!;
        }
        dv[i] = s;
        dv[r + i] = d;
      }
    };
    // One doubling of the variance per segment: x → x/2.
    let t = from;
    while (t < to) {
      const next = Math.min(t / 2, to);
      let size = 0;
      for (let l = 0; l < 2 * r; l++) size = Math.max(size, Math.abs(y[l]!));
      const result = solver.solve(rhs, t, y, next, { rtol: WALK_RTOL, atol: WALK_RTOL * 1e-30 * size });
      if (!result.y.every(Number.isFinite)) return false;
      y.set(result.y);
      t = next;
    }
    return true;
  };
  try {
    if (a > a0 && !leg(0, x11, -0.5 / a)) return undefined;
    x11 = -0.5 / a;
    if (b > b0 && !leg(1, x22, -0.5 / b)) return undefined;
    x22 = -0.5 / b;
  } catch (e) {
    if (e instanceof IntegrationError) return undefined;
    throw e;
  }
  const F = y.slice(0, r);
  const scale = new Float64Array(r);
  const solverShare = 1 + (WALK_SOLVER * WALK_RTOL) / Number.EPSILON;
  for (let l = 0; l < r; l++) scale[l] = Math.max(Math.abs(F[l]!), Math.abs(y[r + l]!)) * solverShare;
  return { F, scale };
}
