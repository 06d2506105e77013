/**
 * The third route to a dual activation ([ST24]'s Hermite method, driven by the annihilator): the normalized Hermite
 * coefficients eₙ(a) = E[σ(√a·Z)·Heₙ(Z)]/√(n!) of σ from the recurrence of src/hermiteRecurrence.ts, and
 *
 *   E_{(u,v)~N(0,Λ)}[σ(u)σ(v)] = Σₙ eₙ(a)·eₙ(b)·ρⁿ,   Λ = [[a, c], [c, b]], ρ = c/√(ab)
 *
 * (Mehler's formula), with an error estimate. docs/MATH.md §8 has the derivation; the choices:
 *
 * - Data. The first H coefficients by quadrature: tanh-sinh (the runtime's, as for the moments) on panels of z cut at
 *   the kinks of σ(√a·z), at FEATURE_POINTS/√a and every 2 units, with the orthonormal Hermite recurrence at each
 *   node; all H coefficients and E[σ(√aZ)²] come from one set of σ evaluations, each accurate to ~1e-16·‖σ‖
 *   absolutely. H = maxShift + 8, doubled until the head holds half of ‖σ‖² (for a large variance the coefficients
 *   of an oscillating σ peak at n ~ a: sin at a = 100 has e₁ = 10e^{−50}, which only the large ones determine).
 * - Recurrence. The truncated recurrence (rows m = 0..N − maxShift) has a solution space S of dimension maxShift.
 *   Forward recurrence from c₀…c_{maxShift−1} is unstable whenever S holds solutions that grow faster than σ's
 *   (GELU σ̇ at a = 0.01: other solutions have kinks at u = ±√2, i.e. z = ±14, and forward recurrence loses
 *   everything by n ≈ 40), and it needs the head values to a relative accuracy they do not have when σ's
 *   coefficients first grow by 10²⁰ and then decay (sin, ReSin at a = 100). So the coefficients come from Olver's
 *   idea in least-squares form: for d tail conditions e_{N−d+1..N} = 0 (d = 0..maxShift − 1), V_d = the null space
 *   of "recurrence rows + tail rows" (an orthonormal basis, by an LQ factorization of the banded rows with Givens
 *   rotations: no shooting from unit head values), and σ = the least-squares fit of V_d's head rows to the quadrature
 *   head (Householder QR). With d = the number of solutions that dominate σ, V_d is the recessive subspace and the
 *   fit is stable; a d too large excludes σ (head misfit O(‖σ‖)); d = 0 is all of S. Every d whose misfit is
 *   ≤ 1e-12·‖σ‖ is a candidate, and the one with the smallest error estimate (next item) over n < N is taken: this
 *   picks d = 2 for GELU σ̇ at a = 0.01 and d = 0 where the dominance is only algebraic (Y·cos beside Y·sin for ReSin,
 *   where any tail condition costs an algebraically small truncation error and the forward growth is algebraic too).
 * - Error. Per coefficient: the quadrature error propagated through the fit (δe = Z R⁻¹ Qᵀ δq), the head misfit, and
 *   the change under a second solve with the truncation moved by a margin and every recurrence entry perturbed by a
 *   random relative 2ε (truncation error and the amplification of rounding in the recurrence; GELU σ̇ at a = 100 is
 *   nearly neutral and measured 4e-14·‖σ‖ off at n = 300). Per dual value: those times the other side's
 *   coefficients, plus the tail |Σ_{n≥N}| ≤ |ρ|^N·T_a·T_b (Cauchy–Schwarz, T² = ‖σ‖² − Σ_{n<N} eₙ² by Parseval),
 *   plus rounding. At |ρ| = 1 a kinked σ converges only algebraically (ReLU: T_aT_b ~ N^{−3/2}, ~1e-7·√(ab) after 4096
 *   terms): the estimate says so. ρ = 1 with a = b is Parseval's ‖σ‖² itself.
 */
import { DomainError, type Integrand, IntegrationError, type PfaffianArtifact, type SigmaSpec, classifyCovariance, mulberry32 } from '@holonomic-ntk/core';
import { pieceFunctions } from './artifactFunctions.ts';
import { type HermiteRecurrence, hermiteRecurrence } from './hermiteRecurrence.ts';
import { FEATURE_POINTS } from './moments.ts';
import { tanhSinhVector } from './tanhSinh.ts';

const INV_SQRT_2PI = 0.3989422804014327;
const EPS = Number.EPSILON;

/** Head misfit (relative to ‖σ‖) up to which a subspace V_d counts as containing σ. */
const FIT_TOLERANCE = 1e-12;
/** The quadrature head holds at most this many coefficients. */
const MAX_HEAD = 512;
/** Absolute accuracy of a quadrature coefficient, relative to ‖σ‖ (tanh-sinh at rtol 1e-16, with margin). */
const QUADRATURE_ERROR = 4e-16;
/** Relative accuracy of ‖σ‖² = E[σ(√aZ)²] from the same quadrature (a sum over up to ~60 panels: erf at a = 4 1e-15). */
const NORM_ERROR = 2e-15;
/**
 * Relative perturbation of the recurrence entries in the second solve (rounding of the entries and of the LQ
 * rotations is of this order: GELU σ̇ at a = 100, where the recurrence is nearly neutral, measured 4e-14 off the
 * reference at n = 300 and 7e-14 of change).
 */
const PERTURBATION = 2 * EPS;

/**
 * Options of {@link hermiteCoefficients}.
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * import { hermiteCoefficients, type HermiteCoefficientOptions } from '@holonomic-ntk/hgm-runtime';
 * const options: HermiteCoefficientOptions = { terms: 10 };
 * hermiteCoefficients('u*du - 1', ACTIVATIONS.relu.sigma, 1, options).values.length; // → 10
 * ```
 */
export interface HermiteCoefficientOptions {
  /** How many coefficients e₀…e_{terms−1} (default 64). */
  terms?: number;
}

/**
 * The normalized Hermite coefficients eₙ = √(n!)·cₙ = E[σ(√a·Z)·Heₙ(Z)]/√(n!) of σ at variance a, with error
 * estimates (module comment of src/hermiteExpansion.ts).
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * import { hermiteCoefficients, type HermiteCoefficients } from '@holonomic-ntk/hgm-runtime';
 * const h: HermiteCoefficients = hermiteCoefficients('u*du - 1', ACTIVATIONS.relu.sigma, 1);
 * [h.a, h.tailConditions]; // → [1, 0]
 * h.normSquared; // ≈ 0.5
 * h.tailNorm(0); // ≈ Math.sqrt(0.5)
 * ```
 */
export interface HermiteCoefficients {
  /** The variance a. */
  readonly a: number;
  /** e₀, e₁, …: Σ eₙ² = E[σ(√aZ)²]. */
  readonly values: Float64Array;
  /** Estimated absolute error of each value. */
  readonly errors: Float64Array;
  /** E[σ(√a·Z)²] by quadrature (Parseval's total). */
  readonly normSquared: number;
  /** How many head coefficients came from quadrature. */
  readonly headLength: number;
  /** The number d of tail conditions e_{N−d+1..N} = 0 of the chosen subspace V_d (0: all solutions of the recurrence). */
  readonly tailConditions: number;
  /** A bound on √(Σ_{k≥n} e_k²), from Parseval (‖σ‖² minus the computed head), never below its rounding level. */
  tailNorm(n: number): number;
}

/** Per (σ, operator, a): the quadrature head and the coefficients so far, kept to extend them on demand. */
interface State {
  readonly rec: HermiteRecurrence;
  readonly spec: SigmaSpec;
  readonly a: number;
  readonly t: number;
  readonly head: Float64Array;
  readonly normSquared: number;
  coefficients?: HermiteCoefficients;
}

/** Variances kept per σ object (each holds up to a few thousand coefficients with their errors). */
const CACHE_LIMIT = 256;
const states = new WeakMap<SigmaSpec, Map<string, State>>();

function state(operator: string | HermiteRecurrence, spec: SigmaSpec, a: number): State {
  const rec = typeof operator === 'string' ? hermiteRecurrence(operator) : operator;
  if (!(a > 0) || !Number.isFinite(a)) throw new DomainError(`the Hermite expansion needs a finite variance a > 0, got ${a}`);
  let perSpec = states.get(spec);
  if (!perSpec) states.set(spec, (perSpec = new Map()));
  const key = `${rec.operator}\u0000${a}`;
  const hit = perSpec.get(key);
  if (hit) return hit;
  const t = Math.sqrt(a);
  const { head, normSquared } = quadratureHead(spec, t, rec.maxShift);
  const s: State = { rec, spec, a, t, head, normSquared };
  if (perSpec.size >= CACHE_LIMIT) perSpec.delete(perSpec.keys().next().value!);
  perSpec.set(key, s);
  return s;
}

/**
 * The normalized Hermite coefficients of σ at variance a > 0 from an annihilator of σ (text in `u`, `du`, or a
 * {@link HermiteRecurrence}): the head by quadrature, all of them as the least-squares fit of a subspace of the
 * recurrence's solutions with Olver-type tail conditions (module comment). Cached per (σ object, operator, a); asking
 * for more terms extends the cached set.
 * Throws DomainError for a ≤ 0, IntegrationError when no subspace of the recurrence's solutions fits the
 * quadrature (the operator does not annihilate σ).
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * import { hermiteCoefficients } from '@holonomic-ntk/hgm-runtime';
 * // ReLU at a = 1: e₀ = 1/√(2π), e₁ = 1/2, e₂ = e₀/√2, odd n ≥ 3 vanish.
 * const { values, errors } = hermiteCoefficients('u*du - 1', ACTIVATIONS.relu.sigma, 1, { terms: 6 });
 * values[0]; // ≈ 1 / Math.sqrt(2 * Math.PI)
 * values[1]; // ≈ 0.5
 * values[2]; // ≈ 1 / Math.sqrt(4 * Math.PI)
 * values[3]; // ≈ 0 ± 1e-15
 * errors[2] < 1e-14; // → true
 * // A wrong annihilator (the step's, for ReLU) fits no solution subspace:
 * hermiteCoefficients('u*du', ACTIVATIONS.relu.sigma, 1); // throws IntegrationError
 * ```
 */
export function hermiteCoefficients(
  operator: string | HermiteRecurrence,
  spec: SigmaSpec,
  a: number,
  options: HermiteCoefficientOptions = {},
): HermiteCoefficients {
  const terms = options.terms ?? 64;
  if (!Number.isInteger(terms) || terms < 1) throw new RangeError(`terms must be an integer ≥ 1, got ${terms}`);
  const s = state(operator, spec, a);
  const have = s.coefficients;
  if (have && have.values.length >= terms) {
    return have.values.length === terms ? have : sliceCoefficients(have, terms);
  }
  // Grow geometrically, so that a series asking for one more term at a time costs O(N) solves in total.
  const n = Math.max(terms, have ? 2 * have.values.length : 0, s.head.length);
  s.coefficients = solveCoefficients(s, n);
  return s.coefficients.values.length === terms ? s.coefficients : sliceCoefficients(s.coefficients, terms);
}

function sliceCoefficients(c: HermiteCoefficients, n: number): HermiteCoefficients {
  return { ...c, values: c.values.subarray(0, n), errors: c.errors.subarray(0, n), tailNorm: c.tailNorm };
}

// ---------------------------------------------------------------------------------------------------------------
// Quadrature head

/**
 * e₀…e_{H−1} and E[σ(tZ)²] by tanh-sinh, H = maxShift + 8 doubled until the head holds half of ‖σ‖² (or MAX_HEAD).
 */
function quadratureHead(spec: SigmaSpec, t: number, maxShift: number): { head: Float64Array; normSquared: number } {
  let H = Math.min(MAX_HEAD, maxShift + 8);
  for (;;) {
    const v = hermiteQuadrature(spec, t, H);
    const normSquared = v[H]!;
    let sum = 0;
    for (let n = 0; n < H; n++) sum += v[n]! * v[n]!;
    if (2 * sum >= normSquared || H >= MAX_HEAD) return { head: v.slice(0, H), normSquared };
    H = Math.min(MAX_HEAD, 2 * H);
  }
}

/** [e₀, …, e_{H−1}, E[σ(tZ)²]] by tanh-sinh on panels of z (see the module comment). */
function hermiteQuadrature(spec: SigmaSpec, t: number, H: number): Float64Array {
  // Cut-off: h_n(z)²φ(z) ≤ z^{2n}e^{−z²/2}; T²/2 − (H + 3) ln T ≥ 92 leaves e^{−92} of the scale, for σ growing
  // at most polynomially; an exponentially growing σ (e^{u}) is followed by widening while the ends matter.
  let T = 12;
  for (let it = 0; it < 30; it++) T = Math.sqrt(2 * (92 + (H + 3) * Math.log(T)));
  const g = (z: number): number => Math.abs(spec.sigma(t * z)) * Math.exp(-0.5 * z * z);
  let scale = 0;
  for (let z = -T; z <= T; z += 0.25) scale = Math.max(scale, g(z));
  for (let it = 0; it < 40 && Math.max(g(T), g(-T)) > 1e-40 * scale; it++) {
    T += 2;
    scale = Math.max(scale, g(T), g(-T));
  }
  const [supLo, supHi] = spec.support ?? [-Infinity, Infinity];
  const lo = Math.max(-T, supLo / t);
  const hi = Math.min(T, supHi / t);
  const dim = H + 1;
  const total = new Float64Array(dim);
  if (!(lo < hi)) return total;
  const cuts = new Set<number>();
  for (const k of [...spec.kinks, ...FEATURE_POINTS]) cuts.add(k / t);
  for (let z = Math.ceil(lo / 2) * 2; z < hi; z += 2) cuts.add(z);
  const breaks = [lo, ...[...cuts].filter((z) => z > lo && z < hi), hi].sort((x, y) => x - y);
  const piece = new Float64Array(dim);
  const sq = Float64Array.from({ length: H + 1 }, (_, n) => Math.sqrt(n));
  const add = (z: number, w: number, sum: Float64Array, abs: Float64Array): void => {
    const s = spec.sigma(t * z);
    if (s === 0) return;
    const f = w * s * INV_SQRT_2PI * Math.exp(-0.5 * z * z);
    if (f === 0) return;
    // f·hₙ(z) by the orthonormal Hermite recurrence h₀ = 1, h_{n+1} = (z hₙ − √n h_{n−1})/√(n+1), started at f so
    // that the large hₙ(z) of the outer nodes never overflow (f·hₙ is the bounded integrand; an underflowed f
    // drops a contribution far below the others).
    let h0 = 0;
    let h1 = f;
    for (let n = 0; n < H; n++) {
      const v = h1;
      sum[n]! += v;
      abs[n]! += Math.abs(v);
      const h2 = (z * h1 - sq[n]! * h0) / sq[n + 1]!;
      h0 = h1;
      h1 = h2;
    }
    sum[H]! += f * s;
    abs[H]! += Math.abs(f * s);
  };
  for (let p = 0; p + 1 < breaks.length; p++) {
    const c = breaks[p]!;
    const d = breaks[p + 1]!;
    if (!(d > c)) continue;
    if (!tanhSinhVector(add, c, d, dim, 1e-16, piece)) {
      throw new IntegrationError(`tanh-sinh quadrature of the Hermite coefficients on z ∈ [${c}, ${d}] did not converge`);
    }
    for (let j = 0; j < dim; j++) total[j]! += piece[j]!;
  }
  return total;
}

// ---------------------------------------------------------------------------------------------------------------
// Olver's idea in least-squares form: the subspaces V_d and the fit

/**
 * The coefficients e₀…e_{n−1}. For every d = maxShift − 1, …, 0: the fit of V_d at truncations N and N + margin;
 * among the d whose head misfit is ≤ FIT_TOLERANCE·‖σ‖, the one with the smallest error estimate (propagated
 * data error + change between the truncations + misfit) over n < N.
 */
function solveCoefficients(s: State, n: number): HermiteCoefficients {
  const { rec, head } = s;
  const norm = Math.sqrt(s.normSquared);
  const margin = Math.max(24, Math.ceil(n / 4));
  const N = Math.max(n, head.length) + margin;
  let best: { d: number; values: Float64Array; errors: Float64Array; worst: number } | undefined;
  for (let d = rec.maxShift - 1; d >= 0; d--) {
    const f = fitSubspace(s, N, d);
    if (!f || !(f.misfit <= FIT_TOLERANCE * norm)) continue;
    // The second solve moves the truncation and perturbs every recurrence entry by a random relative 2ε: its
    // difference estimates both the truncation error and the amplification of rounding in the recurrence.
    const wider = fitSubspace(s, N + margin, d, PERTURBATION);
    const errors = new Float64Array(n);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      errors[i] = f.errors[i]! + f.misfit + (wider ? Math.abs(wider.values[i]! - f.values[i]!) : Math.abs(f.values[i]!));
      if (!(errors[i]! <= worst)) worst = errors[i]!;
    }
    if (!best || worst < best.worst) best = { d, values: f.values.slice(0, n), errors, worst };
  }
  if (!best) {
    throw new IntegrationError(
      `no subspace of the solutions of the recurrence of '${rec.operator}' fits the quadrature of σ at a = ${s.a}: does the operator annihilate σ?`,
    );
  }
  const { values, errors } = best;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i]!)) throw new IntegrationError(`the Hermite coefficients of '${rec.operator}' overflow at a = ${s.a} (n = ${i})`);
  }
  // Parseval: Σ_{k≥m} e_k² = ‖σ‖² − Σ_{k<m} e_k², Neumaier-compensated; floor at the rounding of ‖σ‖² and the data.
  const partial = new Float64Array(n + 1);
  let sum = 0;
  let comp = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i]! * values[i]!;
    const tt = sum + x;
    comp += Math.abs(sum) >= x ? sum - tt + x : x - tt + sum;
    sum = tt;
    partial[i + 1] = sum + comp;
  }
  const floorSq = (4 * EPS + NORM_ERROR) * s.normSquared;
  const dataSq = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) dataSq[i + 1] = dataSq[i]! + 2 * Math.abs(values[i]!) * errors[i]! + errors[i]! * errors[i]!;
  const tailNorm = (m: number): number => {
    const k = Math.min(Math.max(0, Math.floor(m)), n);
    return Math.sqrt(Math.max(0, s.normSquared - partial[k]!) + floorSq + dataSq[k]!);
  };
  return { a: s.a, values, errors, normSquared: s.normSquared, headLength: head.length, tailConditions: best.d, tailNorm };
}

interface Fit {
  readonly values: Float64Array;
  readonly errors: Float64Array;
  /** max_{n<H} |fit − quadrature|. */
  readonly misfit: number;
}

/**
 * σ's coefficients in V_d at truncation N: an orthonormal basis Z of V_d (`nullSpace`), the least-squares fit of
 * its head rows to the quadrature head (Householder QR), and the head's error propagated to every eₙ
 * (δe = Z R⁻¹ Qᵀ δq). Undefined when V_d is singular or invisible on the head.
 */
function fitSubspace(s: State, N: number, d: number, perturb = 0): Fit | undefined {
  const { rec, head, t } = s;
  const k = rec.maxShift - d;
  const Z = nullSpace(rec, t, N, d, perturb);
  if (!Z) return undefined;
  const H = head.length;
  const qr = householder(Z.slice(0, H * k), H, k);
  if (!qr) return undefined;
  const beta = qr.solve(head);
  const values = new Float64Array(N + 1);
  for (let i = 0; i <= N; i++) {
    let v = 0;
    for (let j = 0; j < k; j++) v += Z[i * k + j]! * beta[j]!;
    values[i] = v;
  }
  let misfit = 0;
  for (let i = 0; i < H; i++) misfit = Math.max(misfit, Math.abs(values[i]! - head[i]!));
  // |δq_i| ≤ QUADRATURE_ERROR·‖σ‖, so |δeₙ| ≤ QUADRATURE_ERROR·‖σ‖·√H·‖R⁻ᵀ Zₙᵀ‖.
  const dq = QUADRATURE_ERROR * Math.sqrt(s.normSquared) * Math.sqrt(H);
  const errors = new Float64Array(N + 1);
  const y = new Float64Array(k);
  for (let i = 0; i <= N; i++) {
    for (let j = 0; j < k; j++) y[j] = Z[i * k + j]!;
    qr.solveTransposedR(y);
    let norm2 = 0;
    for (let j = 0; j < k; j++) norm2 += y[j]! * y[j]!;
    errors[i] = dq * Math.sqrt(norm2) + 4 * EPS * Math.abs(values[i]!);
  }
  return { values, errors, misfit };
}

/**
 * An orthonormal basis of V_d = {e ∈ ℝ^{N+1}: the recurrence rows m = 0..N − maxShift hold, e_{N−d+1..N} = 0}
 * (dimension k = maxShift − d when the rows are independent), as an (N+1) × k row-major array; undefined when the
 * rows are dependent. By an LQ factorization with Givens rotations of the columns, C·G₁⋯G_R = [L 0]: the last k
 * columns of G₁⋯G_R span the null space. The rows of C are banded (the recurrence in the normalized eₙ, each row
 * scaled to max 1), so each row keeps a window of columns [r + minShift − maxShift, r + maxShift] and the work is
 * O(N·(maxShift − minShift)²). An orthonormal basis, unlike the unit-head solutions of a shooting method, also
 * serves a σ whose coefficients grow by 10²⁰ before they decay (ReSin at a = 100).
 */
function nullSpace(rec: HermiteRecurrence, t: number, N: number, d: number, perturb = 0): Float64Array | undefined {
  const rand = mulberry32(0x5eed);
  const { minShift, maxShift } = rec;
  const k = maxShift - d;
  const rows = N - maxShift + 1 + d; // = N + 1 − k
  if (k < 1 || rows < 1) return undefined;
  const left = maxShift - minShift; // window: columns r − left + … ; offset of column c in row r: c − r + left
  const W = left + maxShift + 1;
  const C = new Float64Array(rows * W);
  const at = (r: number, c: number): number => r * W + (c - r + left);
  const A = new Float64Array(maxShift - minShift + 1);
  const B = new Float64Array(maxShift - minShift + 1);
  for (let m = 0; m + maxShift <= N; m++) {
    rec.coefficientsAt(m, t, A);
    // B_s(m) = A_s(m)·√(m!/(m+s)!): the equation for cₙ = eₙ/√(n!) times √(m!).
    let big = 0;
    for (let s = minShift; s <= maxShift; s++) {
      let v = 0;
      if (m + s >= 0) {
        let w = 1;
        if (s > 0) for (let j = 1; j <= s; j++) w /= Math.sqrt(m + j);
        else for (let j = 0; j < -s; j++) w *= Math.sqrt(m - j);
        v = A[s - minShift]! * w;
      }
      B[s - minShift] = v;
      big = Math.max(big, Math.abs(v));
    }
    if (big === 0) return undefined; // an empty row (0 = 0): the rows are dependent
    for (let s = Math.max(minShift, -m); s <= maxShift; s++) C[at(m, m + s)] = (B[s - minShift]! / big) * (perturb === 0 ? 1 : 1 + perturb * (2 * rand() - 1));
  }
  for (let j = 0; j < d; j++) C[at(N - maxShift + 1 + j, N - d + 1 + j)] = 1;
  const rotations: number[] = []; // (i, j, c, s) per rotation
  for (let r = 0; r < rows; r++) {
    for (let c = r + 1; c <= Math.min(N, r + maxShift); c++) {
      const xj = C[at(r, c)]!;
      if (xj === 0) continue;
      const xi = C[at(r, r)]!;
      const h = Math.hypot(xi, xj);
      const cs = xi / h;
      const sn = xj / h;
      rotations.push(r, c, cs, sn);
      // Columns r and c of every row that still has them in its window.
      const last = Math.min(rows - 1, c + left);
      for (let q = r; q <= last; q++) {
        if (c > q + maxShift) continue;
        const ir = r >= q - left ? at(q, r) : -1;
        const ic = at(q, c);
        const vr = ir >= 0 ? C[ir]! : 0;
        const vc = C[ic]!;
        if (ir >= 0) C[ir] = cs * vr + sn * vc;
        C[ic] = -sn * vr + cs * vc;
      }
    }
    // The diagonal of L (rows have norm ≥ 1 and rotations keep norms): a row with no weight left right of its
    // predecessors' columns depends on them.
    if (!(Math.abs(C[at(r, r)]!) > 1e-13)) return undefined;
  }
  // Z = G₁⋯G_R [e_rows … e_N]: apply the rotations in reverse to the unit vectors.
  const Z = new Float64Array((N + 1) * k);
  for (let j = 0; j < k; j++) Z[(rows + j) * k + j] = 1;
  for (let g = rotations.length - 4; g >= 0; g -= 4) {
    const i = rotations[g]!;
    const c = rotations[g + 1]!;
    const cs = rotations[g + 2]!;
    const sn = rotations[g + 3]!;
    for (let j = 0; j < k; j++) {
      const xi = Z[i * k + j]!;
      const xc = Z[c * k + j]!;
      Z[i * k + j] = cs * xi - sn * xc;
      Z[c * k + j] = sn * xi + cs * xc;
    }
  }
  return Z;
}

/** Householder QR of an m × k matrix (m ≥ k, row-major, overwritten): least squares and R⁻ᵀ solves. */
function householder(A: Float64Array, m: number, k: number): { solve(b: Float64Array): Float64Array; solveTransposedR(y: Float64Array): void } | undefined {
  const vs: Float64Array[] = [];
  const colNorm = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s = Math.max(s, Math.abs(A[i * k + j]!));
    colNorm[j] = s;
  }
  for (let j = 0; j < k; j++) {
    let norm = 0;
    for (let i = j; i < m; i++) norm = Math.hypot(norm, A[i * k + j]!);
    if (!(norm > 1e-14 * colNorm[j]!) || norm === 0) return undefined;
    const alpha = A[j * k + j]! > 0 ? -norm : norm;
    const v = new Float64Array(m - j);
    for (let i = j; i < m; i++) v[i - j] = A[i * k + j]!;
    v[0]! -= alpha;
    let vv = 0;
    for (let i = 0; i < v.length; i++) vv += v[i]! * v[i]!;
    if (vv > 0) {
      for (let c = j; c < k; c++) {
        let dot = 0;
        for (let i = j; i < m; i++) dot += v[i - j]! * A[i * k + c]!;
        const f = (2 * dot) / vv;
        for (let i = j; i < m; i++) A[i * k + c]! -= f * v[i - j]!;
      }
    }
    vs.push(v);
  }
  const R = (i: number, j: number): number => A[i * k + j]!;
  return {
    solve(b) {
      const y = Float64Array.from(b);
      for (let j = 0; j < k; j++) {
        const v = vs[j]!;
        let vv = 0;
        let dot = 0;
        for (let i = 0; i < v.length; i++) {
          vv += v[i]! * v[i]!;
          dot += v[i]! * y[j + i]!;
        }
        if (vv > 0) for (let i = 0; i < v.length; i++) y[j + i]! -= ((2 * dot) / vv) * v[i]!;
      }
      const x = new Float64Array(k);
      for (let i = k - 1; i >= 0; i--) {
        let v = y[i]!;
        for (let j = i + 1; j < k; j++) v -= R(i, j) * x[j]!;
        x[i] = v / R(i, i);
      }
      return x;
    },
    solveTransposedR(y) {
      for (let i = 0; i < k; i++) {
        let v = y[i]!;
        for (let j = 0; j < i; j++) v -= R(j, i) * y[j]!;
        y[i] = v / R(i, i);
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The dual

/**
 * Options of {@link hermiteDual}.
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * import { hermiteDual, type HermiteDualOptions } from '@holonomic-ntk/hgm-runtime';
 * const options: HermiteDualOptions = { rtol: 1e-8, maxTerms: 256 };
 * hermiteDual('u*du - 1', ACTIVATIONS.relu.sigma, 1, -1, 1, options).terms; // → 256
 * ```
 */
export interface HermiteDualOptions {
  /** Stop when the error estimate is below rtol·|value| (default 1e-14). */
  rtol?: number;
  /** At most this many terms of the ρ-series (default 4096); then the value comes with the estimate it has. */
  maxTerms?: number;
}

/**
 * A dual value by the Hermite series, with its error estimate and how many terms it took.
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * import { hermiteDual, type HermiteDualResult } from '@holonomic-ntk/hgm-runtime';
 * const r: HermiteDualResult = hermiteDual('u*du - 1', ACTIVATIONS.relu.sigma, 1, 0.5, 1);
 * r.value; // ≈ 0.30449889052211454 ± 1e-14
 * r.error < 1e-13; // → true
 * ```
 */
export interface HermiteDualResult {
  readonly value: number;
  /** Estimated absolute error: series tail (Parseval/Cauchy–Schwarz), coefficient errors, rounding. */
  readonly error: number;
  /** Terms of the ρ-series summed: 0 when none were (a = 0 or b = 0; ρ = 1 with a = b, which is Parseval's ‖σ‖²). */
  readonly terms: number;
}

/**
 * E_{(u,v)~N(0,Λ)}[σ(u)σ(v)], Λ = [[a, c], [c, b]], as the Hermite series Σ eₙ(a)eₙ(b)ρⁿ, from an annihilator of σ
 * (text in `u`, `du`; e.g. an artifact's `activation.annihilator`, or `dsigmaAnnihilator` with σ̇) and σ as a
 * SigmaSpec. Any PSD Λ: a = 0 or b = 0 gives σ(0)·E[σ(√b Z)]; ρ = 1 with a = b (a kernel's diagonal) is the whole
 * series, ‖σ‖² = E[σ(√a Z)²] by Parseval; other |ρ| = 1 sum up to `maxTerms` and say in `error` how far they got
 * (kinked σ converge algebraically there). Throws DomainError for an invalid Λ.
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * import { hermiteDual } from '@holonomic-ntk/hgm-runtime';
 * // erf: (2/π)·arcsin(2c/√((1+2a)(1+2b))), geometric convergence even at ρ = 1.
 * hermiteDual('2*u*du+du^2', ACTIVATIONS.erf.sigma, 1, 0.5, 2).value; // ≈ (2 / Math.PI) * Math.asin(1 / Math.sqrt(15))
 * hermiteDual('2*u*du+du^2', ACTIVATIONS.erf.sigma, 1, 1, 1).value; // ≈ (2 / Math.PI) * Math.asin(2 / 3)
 * // ReLU at ρ = −1: E[relu(u)relu(−u)] = 0, reached only to the tail estimate of 4096 terms (algebraic decay).
 * const r = hermiteDual('u*du - 1', ACTIVATIONS.relu.sigma, 1, -1, 1);
 * [r.terms, r.error > 1e-8, Math.abs(r.value) <= r.error]; // → [4096, true, true]
 * // At ρ = 1 with a = b the series is Parseval's E[relu(u)²] = a/2.
 * hermiteDual('u*du - 1', ACTIVATIONS.relu.sigma, 2, 2, 2).value; // ≈ 1
 * hermiteDual('u*du - 1', ACTIVATIONS.relu.sigma, 1, 2, 1); // throws DomainError
 * ```
 */
export function hermiteDual(
  operator: string | HermiteRecurrence,
  spec: SigmaSpec,
  a: number,
  c: number,
  b: number,
  options: HermiteDualOptions = {},
): HermiteDualResult {
  const source: SeriesSource = {
    coefficients: (v, terms) => hermiteCoefficients(operator, spec, v, { terms }),
    atZero: () => ({ value: spec.sigma(0), error: 0 }),
    normError: (h) => NORM_ERROR * h.normSquared,
  };
  return seriesDual(source, a, c, b, options);
}

/**
 * {@link hermiteDual} for many Λ of one σ (a scattered batch, src/dualActivation.ts): the coefficients of each
 * variance are kept for the evaluator's life, without the module cache's limit of 256 variances per σ (a Gram matrix
 * of N inputs has N variances, each asked for by N items). One evaluator per batch.
 *
 * For instance (illustration, not run):
 *   const series = hermiteSeriesEvaluator(builtinArtifact('gelu').activation.annihilator!, ACTIVATIONS.gelu.sigma);
 *   series(1, 0.999, 2, { rtol: 1e-12 }); // { value, error, terms }: geometric convergence also at |ρ| = 1
 */
export function hermiteSeriesEvaluator(
  operator: string | HermiteRecurrence,
  spec: SigmaSpec,
): (a: number, c: number, b: number, options?: HermiteDualOptions) => HermiteDualResult {
  const kept = new Map<number, HermiteCoefficients>();
  const source: SeriesSource = {
    coefficients: (v, terms) => {
      // partialSum reads only the first N values: a longer set serves a shorter request as it is.
      const h = kept.get(v);
      if (h && h.values.length >= terms) return h;
      const g = hermiteCoefficients(operator, spec, v, { terms });
      kept.set(v, g);
      return g;
    },
    atZero: () => ({ value: spec.sigma(0), error: 0 }),
    normError: (h) => NORM_ERROR * h.normSquared,
  };
  return (a, c, b, options = {}) => seriesDual(source, a, c, b, options);
}

/** What the series needs of σ: its coefficients at a variance, σ(0) with its rounding, the error of ‖σ‖². */
interface SeriesSource {
  coefficients(a: number, terms: number): HermiteCoefficients;
  atZero(): { value: number; error: number };
  normError(h: HermiteCoefficients): number;
}

/** The Hermite series of {@link hermiteDual} and {@link hermiteDualOfSum}, for any source of coefficients. */
function seriesDual(source: SeriesSource, a: number, c: number, b: number, options: HermiteDualOptions): HermiteDualResult {
  const rtol = options.rtol ?? 1e-14;
  const maxTerms = options.maxTerms ?? 4096;
  if (!Number.isInteger(maxTerms) || maxTerms < 1) throw new RangeError(`maxTerms must be an integer ≥ 1, got ${maxTerms}`);
  const kind = classifyCovariance(a, c, b);
  if (kind.kind === 'degenerate') {
    // u = 0 (or v = 0) almost surely: σ(0)·E[σ(√b Z)] = σ(0)·e₀(b).
    const s0 = source.atZero();
    const other = a === 0 ? b : a;
    if (other === 0) return { value: s0.value * s0.value, error: (2 * Math.abs(s0.value) + s0.error) * s0.error, terms: 0 };
    if (s0.value === 0 && s0.error === 0) return { value: 0, error: 0, terms: 0 };
    const h = source.coefficients(other, 1);
    const e0 = h.values[0]!;
    return { value: s0.value * e0, error: Math.abs(s0.value) * h.errors[0]! + s0.error * (Math.abs(e0) + h.errors[0]!), terms: 0 };
  }
  if (kind.kind === 'boundary' && kind.sign === 1 && a === b) {
    // u = v: the series sums to Σ eₙ² = E[σ(√a Z)²] (Parseval), which the quadrature head computed (the diagonal
    // of every kernel; a kinked σ would otherwise converge algebraically there).
    const h = source.coefficients(a, 1);
    return { value: h.normSquared, error: source.normError(h), terms: 0 };
  }
  const rho = kind.kind === 'boundary' ? kind.sign : kind.rho;
  const absRho = Math.abs(rho);
  let N = 32;
  let previousTail = Infinity;
  for (;;) {
    N = Math.min(N, maxTerms);
    const ha = source.coefficients(a, N);
    const hb = a === b ? ha : source.coefficients(b, N);
    const r = partialSum(ha, hb, rho, N);
    const tail = absRho ** N * ha.tailNorm(N) * hb.tailNorm(N);
    // More terms shrink only the tail: stop once it is below the requested tolerance, the coefficients' own error
    // or the rounding level of the sum, or no longer shrinks (the Parseval floor of T_a·T_b, ~2e-15·‖σ_a‖‖σ_b‖).
    const done = N >= maxTerms || tail <= Math.max(rtol * Math.abs(r.value), r.error, 4 * EPS * r.scale) || tail > 0.9 * previousTail;
    if (done) return { value: r.value, error: tail + r.error, terms: N };
    previousTail = tail;
    N = Math.min(maxTerms, 2 * N);
  }
}

/** Σ_{n<N} eₙ(a)eₙ(b)ρⁿ (Neumaier-compensated), its error from the coefficients' errors and rounding, Σ|terms|. */
function partialSum(ha: HermiteCoefficients, hb: HermiteCoefficients, rho: number, N: number): { value: number; error: number; scale: number } {
  let sum = 0;
  let comp = 0;
  let scale = 0;
  let error = 0;
  let pw = 1;
  for (let n = 0; n < N; n++) {
    const x = ha.values[n]!;
    const y = hb.values[n]!;
    const term = x * y * pw;
    const tt = sum + term;
    comp += Math.abs(sum) >= Math.abs(term) ? sum - tt + term : term - tt + sum;
    sum = tt;
    const ap = Math.abs(pw);
    scale += Math.abs(term);
    error += ap * (ha.errors[n]! * Math.abs(y) + Math.abs(x) * hb.errors[n]! + ha.errors[n]! * hb.errors[n]!);
    pw *= rho;
  }
  return { value: sum + comp, error: error + 2 * EPS * scale, scale };
}

// ---------------------------------------------------------------------------------------------------------------
// Sums: σ = Σᵢ σᵢ, each piece with its own annihilator (an artifact's `activation.pieces`)

/**
 * One piece σᵢ of a sum σ = Σᵢ σᵢ: an annihilator of σᵢ (text in `u`, `du`, or a {@link HermiteRecurrence}) and
 * σᵢ as a SigmaSpec (an artifact's `activation.pieces.sigma[i].annihilator` and `pieceFunctions(…)['sigma#i']`:
 * {@link hermiteSummands}).
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * import { hermiteCoefficientsOfSum, type HermiteSummand } from '@holonomic-ntk/hgm-runtime';
 * // ReLU + erf, each piece from its own annihilator.
 * const parts: HermiteSummand[] = [
 *   { operator: 'u*du - 1', spec: ACTIVATIONS.relu.sigma },
 *   { operator: '2*u*du+du^2', spec: ACTIVATIONS.erf.sigma },
 * ];
 * hermiteCoefficientsOfSum(parts, 1, { terms: 4 }).values.length; // → 4
 * ```
 */
export interface HermiteSummand {
  readonly operator: string | HermiteRecurrence;
  readonly spec: SigmaSpec;
}

const summandCache = new WeakMap<PfaffianArtifact, Partial<Record<Integrand, HermiteSummand[] | null>>>();

/**
 * The pieces of an integrand that the artifact splits into pieces (`activation.pieces[integrand]`) as summands for
 * {@link hermiteDualOfSum}: each piece's annihilator with its function (`pieceFunctions`); undefined for an integrand
 * that is not split. One array per (artifact, integrand), so repeated calls share the sum's cache.
 *
 * @example
 * ```ts
 * import { builtinArtifact, hermiteSummands } from '@holonomic-ntk/hgm-runtime';
 * // ELU = u·Y(u) + e^u·Y(−u) − Y(−u).
 * const parts = hermiteSummands(builtinArtifact('elu'), 'sigma')!;
 * parts.map((p) => p.operator); // → ['u*du - 1', 'u*du - u', 'u*du']
 * parts[1]!.spec.sigma(-1); // ≈ Math.exp(-1)
 * hermiteSummands(builtinArtifact('elu'), 'sigma') === parts; // → true
 * hermiteSummands(builtinArtifact('relu'), 'sigma'); // → undefined
 * ```
 */
export function hermiteSummands(artifact: PfaffianArtifact, integrand: Integrand): readonly HermiteSummand[] | undefined {
  let perArtifact = summandCache.get(artifact);
  if (!perArtifact) summandCache.set(artifact, (perArtifact = {}));
  let parts = perArtifact[integrand];
  if (parts === undefined) {
    const pieces = artifact.activation.pieces?.[integrand];
    const fns = pieceFunctions(artifact, integrand) as Readonly<Record<string, SigmaSpec>>;
    parts = pieces && pieces.length > 0 ? pieces.map((p, i) => ({ operator: p.annihilator, spec: fns[`${integrand}#${i}`]! })) : null;
    perArtifact[integrand] = parts;
  }
  return parts ?? undefined;
}

/** Per parts array: a snapshot of its entries (to notice a mutated array), σ = Σ σᵢ as one spec, ‖σ‖² per a. */
interface SumState {
  readonly parts: readonly HermiteSummand[];
  readonly spec: SigmaSpec;
  readonly norms: Map<number, { normSquared: number; normError: number }>;
}

const sums = new WeakMap<readonly HermiteSummand[], SumState>();

function sumState(parts: readonly HermiteSummand[]): SumState {
  if (parts.length === 0) throw new DomainError('a sum of pieces needs at least one piece');
  const hit = sums.get(parts);
  if (hit && hit.parts.length === parts.length && hit.parts.every((p, i) => p.operator === parts[i]!.operator && p.spec === parts[i]!.spec)) return hit;
  const s: SumState = { parts: parts.map(({ operator, spec }) => ({ operator, spec })), spec: sumSpec(parts.map((p) => p.spec)), norms: new Map() };
  sums.set(parts, s);
  return s;
}

/** Σᵢ σᵢ as one SigmaSpec: a piece counts only on its support (e^u·Y(−u) is NaN at u = 1000), kinks of all pieces. */
function sumSpec(specs: readonly SigmaSpec[]): SigmaSpec {
  const kinks = [...new Set(specs.flatMap((p) => p.kinks))].sort((x, y) => x - y);
  const ranges = specs.map((p) => p.support ?? ([-Infinity, Infinity] as const));
  const support: [number, number] = [Math.min(...ranges.map((r) => r[0])), Math.max(...ranges.map((r) => r[1]))];
  const sigma = (u: number): number => {
    let v = 0;
    for (let i = 0; i < specs.length; i++) if (u >= ranges[i]![0] && u <= ranges[i]![1]) v += specs[i]!.sigma(u);
    return v;
  };
  return { sigma, kinks, ...(Number.isFinite(support[0]) || Number.isFinite(support[1]) ? { support } : {}) };
}

/**
 * ‖σ‖² = E[σ(√aZ)²] of the sum by one quadrature (panels cut at the kinks of every piece), and its absolute error:
 * the quadrature's NORM_ERROR·‖σ‖², and the rounding of σ(u) = Σ σᵢ(u), which is relative to Σ|σᵢ(u)|, not to |σ(u)|
 * (ELU at a small variance: e^u·Y(−u) − Y(−u) ≈ u·Y(−u)), so 4ε·‖σ‖·Σ‖σᵢ‖ (Minkowski).
 */
function sumNorm(s: SumState, a: number, pieces: readonly HermiteCoefficients[]): { normSquared: number; normError: number } {
  const hit = s.norms.get(a);
  if (hit) return hit;
  const normSquared = hermiteQuadrature(s.spec, Math.sqrt(a), 1)[1]!;
  let pieceNorms = 0;
  for (const h of pieces) pieceNorms += Math.sqrt(h.normSquared);
  const r = { normSquared, normError: NORM_ERROR * normSquared + 4 * EPS * Math.sqrt(normSquared) * pieceNorms };
  if (s.norms.size >= CACHE_LIMIT) s.norms.delete(s.norms.keys().next().value!);
  s.norms.set(a, r);
  return r;
}

/**
 * The normalized Hermite coefficients of a sum σ = Σᵢ σᵢ at variance a > 0, by linearity: eₙ(σ) = Σᵢ eₙ(σᵢ), each
 * piece's from its own annihilator ({@link hermiteCoefficients}). Errors are absolute and add, plus the rounding of
 * the sum (2ε·Σᵢ|eₙ(σᵢ)|): where the pieces cancel (ELU's e^u·Y(−u) and −Y(−u) at a small variance) they are larger
 * relative to eₙ(σ) than a single annihilator's would be, and say so. `normSquared` is E[σ(√aZ)²] of the sum, by
 * quadrature; `tailNorm` is the smaller of Parseval on the sum (with the sum's own ‖σ‖² and data errors) and Σᵢ of
 * the pieces' tail norms (Minkowski). `headLength` and `tailConditions` are the largest over the pieces. Cached per
 * (parts array, a) and per piece. Throws DomainError for a ≤ 0 or no parts, IntegrationError as
 * {@link hermiteCoefficients} for a piece.
 *
 * @example
 * ```ts
 * import { builtinArtifact, hermiteCoefficients, hermiteCoefficientsOfSum, hermiteSummands } from '@holonomic-ntk/hgm-runtime';
 * // ELU = u·Y(u) + e^u·Y(−u) − Y(−u): three pieces, each with its annihilator in the artifact.
 * const parts = hermiteSummands(builtinArtifact('elu'), 'sigma')!;
 * const h = hermiteCoefficientsOfSum(parts, 1, { terms: 8 });
 * // e₀ = E[elu(Z)] = 1/√(2π) + e^{1/2}·Φ(−1) − 1/2, by linearity of the pieces' e₀.
 * h.values[0]; // ≈ 1 / Math.sqrt(2 * Math.PI) + Math.exp(0.5) * 0.15865525393145707 - 0.5
 * h.errors[0] < 1e-14; // → true
 * // e₁ = E[elu′(Z)] (Stein) = 1/2 + e^{1/2}·Φ(−1).
 * h.values[1]; // ≈ 0.5 + Math.exp(0.5) * 0.15865525393145707
 * // The same as ELU's coefficients from its whole (order-3) annihilator.
 * const whole = hermiteCoefficients('u*du^3 - u*du^2', { sigma: (u) => (u > 0 ? u : Math.expm1(u)), kinks: [0] }, 1, { terms: 8 });
 * Math.abs(whole.values[5]! - h.values[5]!) < 1e-15; // → true
 * hermiteCoefficientsOfSum([], 1); // throws DomainError
 * ```
 */
export function hermiteCoefficientsOfSum(parts: readonly HermiteSummand[], a: number, options: HermiteCoefficientOptions = {}): HermiteCoefficients {
  const terms = options.terms ?? 64;
  if (!Number.isInteger(terms) || terms < 1) throw new RangeError(`terms must be an integer ≥ 1, got ${terms}`);
  const s = sumState(parts);
  const pieces = parts.map((p) => hermiteCoefficients(p.operator, p.spec, a, { terms }));
  const { normSquared, normError } = sumNorm(s, a, pieces);
  const values = new Float64Array(terms);
  const errors = new Float64Array(terms);
  for (let n = 0; n < terms; n++) {
    let v = 0;
    let abs = 0;
    let err = 0;
    for (const h of pieces) {
      v += h.values[n]!;
      abs += Math.abs(h.values[n]!);
      err += h.errors[n]!;
    }
    values[n] = v;
    errors[n] = err + 2 * EPS * abs;
  }
  // Parseval on the sum (as in solveCoefficients, with the sum's ‖σ‖² error), or Minkowski on the pieces' tails.
  const partial = new Float64Array(terms + 1);
  const dataSq = new Float64Array(terms + 1);
  let sum = 0;
  let comp = 0;
  for (let i = 0; i < terms; i++) {
    const x = values[i]! * values[i]!;
    const tt = sum + x;
    comp += Math.abs(sum) >= x ? sum - tt + x : x - tt + sum;
    sum = tt;
    partial[i + 1] = sum + comp;
    dataSq[i + 1] = dataSq[i]! + 2 * Math.abs(values[i]!) * errors[i]! + errors[i]! * errors[i]!;
  }
  const floorSq = 4 * EPS * normSquared + normError;
  const tailNorm = (m: number): number => {
    const k = Math.min(Math.max(0, Math.floor(m)), terms);
    const parseval = Math.sqrt(Math.max(0, normSquared - partial[k]!) + floorSq + dataSq[k]!);
    let minkowski = 0;
    for (const h of pieces) minkowski += h.tailNorm(k);
    return Math.min(parseval, minkowski);
  };
  return {
    a,
    values,
    errors,
    normSquared,
    headLength: Math.max(...pieces.map((h) => h.headLength)),
    tailConditions: Math.max(...pieces.map((h) => h.tailConditions)),
    tailNorm,
  };
}

/**
 * E_{(u,v)~N(0,Λ)}[σ(u)σ(v)] for a sum σ = Σᵢ σᵢ given by its pieces, each with its own annihilator: the Hermite
 * series of {@link hermiteDual} with the coefficients of {@link hermiteCoefficientsOfSum} (eₙ(σ) = Σᵢ eₙ(σᵢ), errors
 * added; the tail bounded by Parseval on the sum, or by the pieces' tails). The same contract as hermiteDual: any PSD
 * Λ, `error` absolute (it includes what cancellation between the pieces costs), ρ = 1 with a = b is E[σ(√aZ)²] by
 * one quadrature of the sum. This is how an artifact whose σ is split into pieces (`activation.pieces`, ELU, SELU)
 * gets a Hermite series without an annihilator of the whole σ.
 *
 * @example
 * ```ts
 * import { builtinArtifact, hermiteDualOfSum, hermiteSummands } from '@holonomic-ntk/hgm-runtime';
 * const parts = hermiteSummands(builtinArtifact('sin-relu'), 'sigma')!; // sin u + u·Y(u)
 * // ρ = 0: E[σ(u)]·E[σ(v)] = √a/√(2π) · √b/√(2π) (sin is odd).
 * hermiteDualOfSum(parts, 1, 0, 4).value; // ≈ 1 / Math.PI
 * const r = hermiteDualOfSum(parts, 1, 0.5, 2);
 * r.error < 1e-13; // → true
 * // The diagonal: E[(sin u + relu u)²] at a = 1 = (1 − e^{−2})/2 + 1/2 + 2·E[sin(u)·u·Y(u)] = … + e^{−1/2}.
 * hermiteDualOfSum(parts, 1, 1, 1).value; // ≈ (1 - Math.exp(-2)) / 2 + 0.5 + Math.exp(-0.5)
 * ```
 */
export function hermiteDualOfSum(parts: readonly HermiteSummand[], a: number, c: number, b: number, options: HermiteDualOptions = {}): HermiteDualResult {
  const s = sumState(parts);
  const source: SeriesSource = {
    coefficients: (v, terms) => hermiteCoefficientsOfSum(parts, v, { terms }),
    atZero: () => {
      let abs = 0;
      for (const p of parts) {
        const [lo, hi] = p.spec.support ?? [-Infinity, Infinity];
        if (lo <= 0 && 0 <= hi) abs += Math.abs(p.spec.sigma(0));
      }
      return { value: s.spec.sigma(0), error: parts.length > 1 ? 2 * EPS * abs : 0 };
    },
    normError: (h) => s.norms.get(h.a)?.normError ?? NORM_ERROR * h.normSquared,
  };
  return seriesDual(source, a, c, b, options);
}
