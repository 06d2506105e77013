/**
 * The HGM path of one (a, b) by Taylor series (analytic continuation) in ρ = c/√(ab), for a single point at a
 * pair (a, b) never seen: no dense output is kept, so the cost per point is the number of series terms, not the
 * ~12 matrix evaluations per DOP853 step.
 *
 * Why ρ and this representation (ACCURACY.md §3): in the covariance chart every entry of M = dG/dc is
 * (α_n(Δ) + c·β_n(Δ))/(α_d(Δ) + c·β_d(Δ)) with Δ = ab − c² and α, β of degree ≤ 3 in Δ (≤ 8 for gelu σ̇). In ρ,
 * Δ = ab(1 − ρ²) is quadratic, so each numerator and denominator is a polynomial of degree ≤ 7 (≤ 17) in ρ,
 * far lower than in the path variable s (degree ~40), and the only real singularities are ρ = ±1. The entries
 * share few denominators (25 distinct for resin and gelu σ, 38 for gelu σ̇), so the recurrence divides each
 * row's sum per shared denominator instead of forming M's series entry by entry.
 *
 * At a center ρ0 the polynomials are re-expanded in t = ρ − ρ0 by Horner in (c, Δ) with Δ(t) = ab((1 − ρ0)(1 + ρ0)
 * − 2ρ0t − t²), never by expanding (1 − ρ²)^k in ρ: the latter cancels like the expanded x-space entries near
 * |ρ| = 1 (ACCURACY.md §1). With G = Σ g_n t^n, dG/dρ = √(ab)·M G gives, for the rows i and each shared
 * denominator D with numerators N_ij,
 *
 *   z_n = (Σ_j Σ_l N_ij,l g_{n−l,j} − Σ_{l≥1} D_l z_{n−l}) / D_0,   g_{n+1,i} = √(ab)/(n + 1) · Σ_D z_n.
 *
 * The step is a fraction of the distance to the boundary ρ = ±1 and shrinks (reusing the same g_n) if the
 * terms have not decayed to 1e-16 of G (componentwise scale as in `componentAtol`) by the last order, or if they
 * first grow beyond 30·|G| (stiff paths at small variances, where the sum would cancel).
 */
import { parseDMonomial, type PfaffianSystem } from '@holonomic-ntk/core';
import { covarianceChart } from './covarianceChart.ts';
import { prepareSystem } from './hgm.ts';

/** Highest Taylor order per step. */
const MAX_ORDER = 72;
/** A step covers at most this fraction of the distance to the boundary: |ρ| ≤ 0.55 is then one step from ρ = 0. */
const STEP_FRACTION = 0.55;
/** Two consecutive terms below this (relative to G, componentwise) end the series. */
const TAIL_TOLERANCE = 1e-16;
/** Terms may exceed |G| (componentwise scale) by at most this factor: the sum loses about its log10 in digits. */
const GROWTH = 30;
/** The perturbation's series (`taylorPath`'s `delta`) stops at two consecutive terms below this of its largest. */
const DELTA_TAIL = 1e-2;
/** g is stored per component: g[l·G_STRIDE + n] is the coefficient of t^n of G_l. */
const G_STRIDE = MAX_ORDER + 2;

interface TaylorLayout {
  r: number;
  one: number;
  /** Per polynomial (numerators of the nonzero entries, then distinct denominators): offset of its α block in `bound`. */
  polyAt: Int32Array;
  /** Δ-degree of the polynomial (α and β blocks of length polyD + 1 each). */
  polyD: Int32Array;
  boundSize: number;
  termSlot: Int32Array;
  termCoef: Float64Array;
  maxA: number;
  maxB: number;
  /** Offset of each polynomial's coefficients in t (length 2·polyD + 2). */
  tAt: Int32Array;
  tSize: number;
  /** Groups (row, shared denominator): members are (column, numerator polynomial). */
  groupRow: Int32Array;
  /** Offset in tc of each group's denominator and its t-degree. */
  groupDenAt: Int32Array;
  groupDenTop: Int32Array;
  groupStart: Int32Array;
  memberCol: Int32Array;
  /** Offset in tc of each member's numerator and its t-degree. */
  memberAt: Int32Array;
  memberTop: Int32Array;
  /**
   * Parity of each member's numerator in c: 0 = even (α only), 1 = odd (β only), 2 = mixed; per group the same
   * for the denominator. Every built-in entry is purely even or odd and every denominator even, so at the center
   * ρ0 = 0 every other t-coefficient vanishes and the first step (the only one for |ρ| ≤ 0.55) skips them.
   */
  memberParity: Uint8Array;
  groupDenParity: Uint8Array;
  /** Per polynomial: has an α (c-even) / β (c-odd) part. */
  polyEven: Uint8Array;
  polyOdd: Uint8Array;
  /** Bind: term t adds termCoef[t]·a^i·b^j, (i, j) = termAB[t] as i·(maxB + 1) + j, to bound[termSlot[t]]. */
  termAB: Int32Array;
  powAB: Float64Array;
  // Scratch, reused by every call (single-threaded).
  bound: Float64Array;
  tc: Float64Array;
  g: Float64Array;
  z: Float64Array;
  /** Coefficients of the perturbation δ (`taylorPath`'s `delta`) and its z, as g and z. */
  gd: Float64Array;
  zd: Float64Array;
  tmpA: Float64Array;
  tmpB: Float64Array;
  maxD: number;
  upow: Float64Array;
  /** Per component the powers (of √a, √b) of `componentAtol`'s weights, or null (weights 1); scratch for them. */
  /**
   * ρ0 = 0 (every member of parity 0 or 1, every denominator even: `zeroPacked`): the non-zero t-coefficients of
   * each member's numerator and each group's denominator packed contiguously into `packed` (filled per call).
   */
  zeroPacked: boolean;
  packMemberAt: Int32Array;
  packMemberN: Int32Array;
  packDenAt: Int32Array;
  packDenN: Int32Array;
  packed: Float64Array;
  powA: Int32Array | null;
  powB: Int32Array | null;
  scale: Float64Array;
}

const layouts = new WeakMap<PfaffianSystem, TaylorLayout>();

function layoutOf(system: PfaffianSystem): TaylorLayout {
  const hit = layouts.get(system);
  if (hit) return hit;
  const chart = covarianceChart(system);
  const r = chart.rank;
  type P = NonNullable<(typeof chart.entries)[number]>['num'];
  const polys: P[] = [];
  const denIndex = new Map<string, number>();
  const entryNum: number[] = [];
  const entryDen: number[] = [];
  const dens: P[] = [];
  chart.entries.forEach((e, k) => {
    if (!e) return;
    entryNum[k] = polys.length;
    polys.push(e.num);
    const key = JSON.stringify([Array.from(e.den.coef), Array.from(e.den.pa), Array.from(e.den.pb), Array.from(e.den.pc), Array.from(e.den.pd)]);
    let d = denIndex.get(key);
    if (d === undefined) {
      denIndex.set(key, (d = dens.length));
      dens.push(e.den);
    }
    entryDen[k] = d;
  });
  const denBase = polys.length;
  polys.push(...dens);
  const n = polys.length;
  const polyAt = new Int32Array(n);
  const polyD = new Int32Array(n);
  const tAt = new Int32Array(n);
  let boundSize = 0;
  let tSize = 0;
  let maxD = 0;
  polys.forEach((p, k) => {
    polyAt[k] = boundSize;
    polyD[k] = p.maxD;
    boundSize += 2 * (p.maxD + 1);
    tAt[k] = tSize;
    tSize += 2 * p.maxD + 2;
    maxD = Math.max(maxD, p.maxD);
  });
  // Sorted by slot: the bind sums each slot's terms in registers.
  const list: { slot: number; coef: number; a: number; b: number }[] = [];
  polys.forEach((p, k) => {
    for (let i = 0; i < p.coef.length; i++) list.push({ slot: polyAt[k]! + p.pc[i]! * (p.maxD + 1) + p.pd[i]!, coef: p.coef[i]!, a: p.pa[i]!, b: p.pb[i]! });
  });
  list.sort((x, y) => x.slot - y.slot);
  const termSlot = Int32Array.from(list, (x) => x.slot);
  const termCoef = Float64Array.from(list, (x) => x.coef);
  const termA = Uint8Array.from(list, (x) => x.a);
  const termB = Uint8Array.from(list, (x) => x.b);
  const maxA = Math.max(0, ...termA);
  const maxB = Math.max(0, ...termB);
  const parity = polys.map((p) => {
    const even = p.pc.some((x) => x === 0);
    const odd = p.pc.some((x) => x === 1);
    return even && odd ? 2 : odd ? 1 : 0;
  });
  const groupRow: number[] = [];
  const groupDen: number[] = [];
  const groupStart: number[] = [];
  const memberCol: number[] = [];
  const memberNum: number[] = [];
  for (let i = 0; i < r; i++) {
    const byDen = new Map<number, number[]>();
    for (let j = 0; j < r; j++) {
      const k = i * r + j;
      if (entryNum[k] === undefined) continue;
      const d = entryDen[k]!;
      let list = byDen.get(d);
      if (!list) byDen.set(d, (list = []));
      list.push(j);
    }
    for (const [d, cols] of byDen) {
      groupRow.push(i);
      groupDen.push(denBase + d);
      groupStart.push(memberCol.length);
      for (const j of cols) {
        memberCol.push(j);
        memberNum.push(entryNum[i * r + j]!);
      }
    }
  }
  groupStart.push(memberCol.length);
  const layout: TaylorLayout = {
    r: r | 0,
    one: prepareSystem(system).indexOfOne | 0,
    polyAt,
    polyD,
    boundSize: boundSize | 0,
    termSlot,
    termCoef,
    maxA: maxA | 0,
    maxB: maxB | 0,
    tAt,
    tSize: tSize | 0,
    groupRow: Int32Array.from(groupRow),
    groupDenAt: Int32Array.from(groupDen, (d) => tAt[d]!),
    groupDenTop: Int32Array.from(groupDen, (d) => 2 * polyD[d]! + 1),
    groupStart: Int32Array.from(groupStart),
    memberCol: Int32Array.from(memberCol),
    memberAt: Int32Array.from(memberNum, (p) => tAt[p]!),
    memberParity: Uint8Array.from(memberNum, (p) => parity[p]!),
    groupDenParity: Uint8Array.from(groupDen, (d) => parity[d]!),
    polyEven: Uint8Array.from(polys, (p) => (p.pc.some((x) => x === 0) ? 1 : 0)),
    polyOdd: Uint8Array.from(polys, (p) => (p.pc.some((x) => x === 1) ? 1 : 0)),
    memberTop: Int32Array.from(memberNum, (p) => 2 * polyD[p]! + 1),
    termAB: Int32Array.from(termA, (i, t) => i * (maxB + 1) + termB[t]!),
    powAB: new Float64Array((maxA + 1) * (maxB + 1)),
    bound: new Float64Array(boundSize),
    tc: new Float64Array(tSize),
    g: new Float64Array(G_STRIDE * r),
    z: new Float64Array(groupRow.length * (MAX_ORDER + 1)),
    gd: new Float64Array(G_STRIDE * r),
    zd: new Float64Array(groupRow.length * (MAX_ORDER + 1)),
    tmpA: new Float64Array(2 * maxD + 2),
    tmpB: new Float64Array(2 * maxD + 2),
    maxD: maxD | 0,
    upow: new Float64Array((maxD + 1) * (2 * maxD + 1)),
    zeroPacked: false,
    packMemberAt: new Int32Array(memberCol.length),
    packMemberN: new Int32Array(memberCol.length),
    packDenAt: new Int32Array(groupRow.length),
    packDenN: new Int32Array(groupRow.length),
    packed: new Float64Array(0),
    powA: null,
    powB: null,
    scale: new Float64Array(r),
  };
  {
    let at = 0;
    let ok = true;
    for (let e = 0; e < memberCol.length; e++) {
      const par = layout.memberParity[e]!;
      if (par === 2) ok = false;
      layout.packMemberAt[e] = at;
      layout.packMemberN[e] = ((layout.memberTop[e]! - (par & 1)) >> 1) + 1;
      at += layout.packMemberN[e]!;
    }
    for (let k = 0; k < groupRow.length; k++) {
      if (layout.groupDenParity[k] !== 0) ok = false;
      layout.packDenAt[k] = at;
      layout.packDenN[k] = (layout.groupDenTop[k]! >> 1) + 1;
      at += layout.packDenN[k]!;
    }
    layout.zeroPacked = ok;
    layout.packed = new Float64Array(at);
  }
  try {
    const powers = system.basis.map((label) => {
      const [i, j, k] = parseDMonomial(label);
      return [2 * i + j, 2 * k + j] as [number, number];
    });
    layout.powA = Int32Array.from(powers, (p) => p[0]);
    layout.powB = Int32Array.from(powers, (p) => p[1]);
  } catch {
    // As componentAtol: unit weights.
  }
  layouts.set(system, layout);
  return layout;
}

/** What the last `taylorPath` call did (reused object). */
export interface TaylorStats {
  /** False when the term budget ran out before ρ (out is then not G(ρ)). */
  ok: boolean;
  steps: number;
  /** Taylor coefficients computed, over all steps. */
  terms: number;
  /** max |E| at the start and the end of every step (for κ in dualActivation). */
  maxAbsE: number;
  /** The perturbation (`delta`) outgrew `deltaLimit`: the path is too ill-conditioned to serve ρ (`ok` is false). */
  abandoned: boolean;
}

const lastStats: TaylorStats = { ok: false, steps: 0, terms: 0, maxAbsE: 0, abandoned: false };

/**
 * Default term budget: 6 steps' worth. Paths that need more are stiff (‖M‖ ~ 1e3–1e7 in ρ units for gelu σ̇ at
 * variances ~0.05 near |ρ| = 0.99: 89 steps, 6300 terms, 1e-11 off), where DOP853 is both cheaper and closer.
 */
export const TAYLOR_MAX_TERMS = 420;

/**
 * G at ρ (|ρ| < 1) on the path of (a, b), from G0 = G(ρ = 0) (`pathInitialValue`), by Taylor steps in ρ; writes G
 * into `out` and returns the statistics (a reused object: copy what you keep). Stops with `ok: false` once more
 * than `maxTerms` coefficients were computed (a stiff path: leave it to DOP853). Allocation-free (scratch
 * reused per system). With `delta` (a perturbation of G0, `pathPerturbation`), carries it along through the same
 * expansions (its series only to a few per cent: DELTA_TAIL) and leaves δ(ρ) there, for the error estimate
 * (`pathError`); stops with `abandoned` where its size (relative to G) exceeds `deltaLimit`.
 *
 * For instance (illustration, not run):
 *   const G0 = pathInitialValue(system, 'sigma', { sigma: ACTIVATIONS.step.sigma }, 1, 1);
 *   const out = new Float64Array(system.rank);
 *   taylorPath(system, G0, 1, 1, 0.5, out); // out[0] = (π − arccos 0.5)/(2π) = 1/3
 */
export function taylorPath(
  system: PfaffianSystem,
  G0: Float64Array,
  a: number,
  b: number,
  rho: number,
  out: Float64Array,
  maxTerms = Infinity,
  delta?: Float64Array,
  deltaLimit = Infinity,
): TaylorStats {
  const L = layoutOf(system);
  const r = L.r;
  const { g, z, gd, zd } = L;
  bindTerms(L, a, b);
  const sab = Math.sqrt(a) * Math.sqrt(b);
  const ab = a * b;
  const scale = componentScale(L, G0, a, b, TAIL_TOLERANCE);
  for (let l = 0; l < r; l++) out[l] = G0[l]!;
  let maxAbsE = Math.abs(G0[L.one]!);
  let rho0 = 0;
  let steps = 0;
  let terms = 0;
  const dir = rho < 0 ? -1 : 1;
  // Largest step the previous series supported: a singularity off the real axis (gelu σ̇ at small variances) can
  // be closer than the boundary, and starting each step from the boundary distance would waste MAX_ORDER terms.
  let supported = Infinity;
  lastStats.ok = false;
  while (rho0 !== rho) {
    lastStats.abandoned = delta !== undefined && !(deltaNorm(delta, out, L) <= deltaLimit);
    if (terms > maxTerms || lastStats.abandoned) {
      lastStats.steps = steps;
      lastStats.terms = terms;
      lastStats.maxAbsE = maxAbsE;
      return lastStats;
    }
    const remaining = rho - rho0;
    const reach = Math.min(STEP_FRACTION * (1 - Math.abs(rho0)), 1.5 * supported);
    let h = Math.abs(remaining) <= reach ? remaining : dir * reach;
    expandAt(L, rho0, sab, ab);
    const packed = rho0 === 0 && L.zeroPacked;
    if (packed) packAtZero(L);
    for (let l = 0; l < r; l++) g[l * G_STRIDE] = out[l]!;
    // Orders until two consecutive terms are negligible at this h.
    let order = 0;
    let done = false;
    let small = 0;
    for (let m = 0; m < MAX_ORDER && !done; m++) {
      if (packed) nextCoefficientZero(L, g, z, m, sab);
      else nextCoefficient(L, g, z, m, sab, rho0 === 0);
      terms++;
      order = m + 1;
      small = negligible(g, order, r, h, scale) ? small + 1 : 0;
      done = small >= 2;
    }
    // The coefficients do not depend on h, so h can still shrink: (1) if the terms never became negligible, to the
    // largest h for which two consecutive computed terms are; (2) if terms grow above GROWTH·|G| before they decay
    // (stiff paths, ‖M‖·h ≫ 1: small variances), until they do not, since the sum would then cancel.
    // (Own functions: their rarely taken branches, first met on a new system, deoptimize only them.)
    const limit = stepLimit(g, order, r, Math.abs(h), done, scale);
    if (limit < Math.abs(h)) {
      h = dir * limit;
      order = shortenedOrder(g, order, r, h, scale);
      supported = limit;
    } else {
      supported = Math.max(supported === Infinity ? 0 : supported, Math.abs(h));
    }
    for (let l = 0; l < r; l++) {
      const o = l * G_STRIDE;
      let acc = g[o + order]!;
      for (let m = order - 1; m >= 0; m--) acc = acc * h + g[o + m]!;
      out[l] = acc;
    }
    if (delta) {
      // The rounding of this step's sums, ε·Σ_n |g_n|·|h|^n per component (in the perturbation's units of ε): where
      // the terms cancel (small variances) it exceeds ε·|G| and is amplified from here on like the start's.
      const ah = Math.abs(h);
      for (let l = 0; l < r; l++) {
        const o = l * G_STRIDE;
        let acc = Math.abs(g[o + order]!);
        for (let m = order - 1; m >= 0; m--) acc = acc * ah + Math.abs(g[o + m]!);
        delta[l]! += (delta[l]! < 0 ? -1 : 1) * acc;
      }
      // The perturbation through the same step: same expansion, same order (a linear map of its start).
      // Only its size is wanted (to a few per cent): orders until two consecutive terms are below DELTA_TAIL of its
      // size at the start of the step (not of the largest term: where modes decay across the step, the terms first
      // grow far beyond the sum), at most G's order.
      const w = L.scale;
      let top = 0;
      for (let l = 0; l < r; l++) {
        gd[l * G_STRIDE] = delta[l]!;
        top = Math.max(top, Math.abs(delta[l]!) / w[l]!);
      }
      let dOrder = order;
      let quiet = 0;
      for (let m = 0, hm = ah; m < order; m++, hm *= ah) {
        if (packed) nextCoefficientZero(L, gd, zd, m, sab);
        else nextCoefficient(L, gd, zd, m, sab, rho0 === 0);
        let t = 0;
        for (let l = 0; l < r; l++) t = Math.max(t, Math.abs(gd[l * G_STRIDE + m + 1]!) / w[l]!);
        t *= hm;
        quiet = t <= DELTA_TAIL * top ? quiet + 1 : 0;
        if (quiet >= 2) {
          dOrder = m + 1;
          break;
        }
      }
      for (let l = 0; l < r; l++) {
        const o = l * G_STRIDE;
        let acc = gd[o + dOrder]!;
        for (let m = dOrder - 1; m >= 0; m--) acc = acc * h + gd[o + m]!;
        delta[l] = acc;
      }
    }
    rho0 = h === remaining ? rho : rho0 + h;
    steps++;
    maxAbsE = Math.max(maxAbsE, Math.abs(out[L.one]!));
  }
  lastStats.abandoned = delta !== undefined && !(deltaNorm(delta, out, L) <= deltaLimit);
  if (lastStats.abandoned) {
    lastStats.steps = steps;
    lastStats.terms = terms;
    lastStats.maxAbsE = maxAbsE;
    return lastStats;
  }
  lastStats.ok = true;
  lastStats.steps = steps;
  lastStats.terms = terms;
  lastStats.maxAbsE = maxAbsE;
  return lastStats;
}

/**
 * max_l |δ_l| / s_l with s_l = w_l · max_k |G_k|/w_k (the componentwise scale of `componentAtol`, weights w_l =
 * a^{p/2} b^{q/2}): the size of the perturbation in units of G's own scale.
 */
function deltaNorm(delta: Float64Array, G: Float64Array, L: TaylorLayout): number {
  // L.scale holds TAIL_TOLERANCE · w_l · max_k |G0_k|/w_k; only the weights w_l matter here.
  const w = L.scale;
  let m = 0;
  for (let l = 0; l < L.r; l++) m = Math.max(m, Math.abs(G[l]!) / w[l]!);
  let d = 0;
  for (let l = 0; l < L.r; l++) d = Math.max(d, Math.abs(delta[l]!) / w[l]!);
  return d / m;
}

/** Every chart polynomial's α and β coefficients in Δ at (a, b), into L.bound (own function: stays optimized). */
function bindTerms(L: TaylorLayout, a: number, b: number): void {
  const { bound, termSlot, termCoef } = L;
  bound.fill(0);
  const { powAB, termAB, maxA, maxB } = L;
  let pa = 1;
  for (let i = 0; i <= maxA; i++, pa *= a) {
    let pb = pa;
    for (let j = 0; j <= maxB; j++, pb *= b) powAB[i * (maxB + 1) + j] = pb;
  }
  // Terms of one slot are contiguous: sum them in registers (two chains) instead of through bound[slot].
  const nTerms = termSlot.length;
  for (let t = 0; t < nTerms; ) {
    const slot = termSlot[t]!;
    let s0 = 0;
    let s1 = 0;
    for (; t + 1 < nTerms && termSlot[t + 1] === slot; t += 2) {
      s0 += termCoef[t]! * powAB[termAB[t]!]!;
      s1 += termCoef[t + 1]! * powAB[termAB[t + 1]!]!;
    }
    if (t < nTerms && termSlot[t] === slot) s0 += termCoef[t]! * powAB[termAB[t++]!]!;
    bound[slot]! += s0 + s1;
  }
}

/** The step the coefficients g_1..g_order support, at most h (see the comment in `taylorPath`). */
function stepLimit(g: Float64Array, order: number, r: number, h: number, done: boolean, scale: Float64Array): number {
  let limit = h;
  let prev = 0;
  let best = 0;
  let grew = false;
  for (let m = 1, hm = 1; m <= order && !grew; m++) {
    hm *= limit;
    for (let l = 0; l < r; l++) if (Math.abs(g[l * G_STRIDE + m]!) * hm > (GROWTH / TAIL_TOLERANCE) * scale[l]!) grew = true;
  }
  if (done && !grew) return limit;
  // Roots only when needed (they cost more than the check, ~10 µs per step).
  for (let m = 1; m <= order; m++) {
    let hm = Infinity;
    let hg = Infinity;
    for (let l = 0; l < r; l++) {
      const v = Math.abs(g[l * G_STRIDE + m]!);
      if (v > 0) {
        hm = Math.min(hm, (scale[l]! / v) ** (1 / m));
        hg = Math.min(hg, (((GROWTH / TAIL_TOLERANCE) * scale[l]!) / v) ** (1 / m));
      }
    }
    best = Math.max(best, Math.min(hm, prev));
    prev = hm;
    limit = Math.min(limit, 0.999 * hg);
  }
  if (!done) limit = Math.min(limit, 0.999 * best);
  return limit;
}

/** The order at which two consecutive terms are negligible at the shortened h (order itself if none). */
function shortenedOrder(g: Float64Array, order: number, r: number, h: number, scale: Float64Array): number {
  let small = 0;
  for (let m = 1; m <= order; m++) {
    small = negligible(g, m, r, h, scale) ? small + 1 : 0;
    if (small >= 2) return m;
  }
  return order;
}

/**
 * `componentAtol(system, G0, a, b, factor)` of src/dualPath.ts, same operations (bitwise the same result), into the
 * layout's scratch: kept here so that no call inlined into `taylorPath` sees another system's objects (a map check
 * failing there deoptimized the whole path for ~60 calls whenever the system changed).
 */
function componentScale(L: TaylorLayout, G0: Float64Array, a: number, b: number, factor: number): Float64Array {
  const { powA, powB } = L;
  const r = G0.length;
  const w = L.scale;
  const sa = Math.sqrt(a);
  const sb = Math.sqrt(b);
  for (let l = 0; l < r; l++) w[l] = powA && powB ? sa ** powA[l]! * sb ** powB[l]! : 1;
  let m = 0;
  for (let l = 0; l < r; l++) m = Math.max(m, Math.abs(G0[l]!) / w[l]!);
  if (!(m > 0)) m = 1e-300;
  for (let l = 0; l < r; l++) w[l] = factor * w[l]! * m;
  return w;
}

function negligible(g: Float64Array, m: number, r: number, h: number, scale: Float64Array): boolean {
  const hm = Math.abs(h) ** m;
  for (let l = 0; l < r; l++) if (!(Math.abs(g[l * G_STRIDE + m]!) * hm <= scale[l]!)) return false;
  return true;
}

/**
 * Every polynomial's coefficients in t = ρ − ρ0: α(Δ(t)) + c(t)·β(Δ(t)) with Δ(t) = Δ0 + u(t),
 * Δ0 = ab(1 − ρ0)(1 + ρ0), u(t) = −ab(2ρ0t + t²), and c(t) = √(ab)(ρ0 + t) (accurate near |ρ| = 1, file
 * comment). α is first re-centred at Δ0 (synthetic division), then composed with the powers of u, which all
 * polynomials share: ~D²/2 + D²/2 operations per block instead of ~5D² for Horner in series arithmetic.
 */
function expandAt(L: TaylorLayout, rho0: number, sab: number, ab: number): void {
  const { bound, tc, tmpA, tmpB, polyAt, polyD, tAt, maxD } = L;
  const d0 = ab * ((1 - rho0) * (1 + rho0));
  const u1 = -2 * ab * rho0;
  const u2 = -ab;
  const c0 = sab * rho0;
  const c1 = sab;
  // U[k][m]: coefficient of t^m in u(t)^k (k ≤ m ≤ 2k).
  const U = L.upow;
  const w = 2 * maxD + 1;
  U.fill(0);
  U[0] = 1;
  for (let k = 1; k <= maxD; k++) {
    for (let m = k; m <= 2 * k; m++) U[k * w + m] = u1 * U[(k - 1) * w + m - 1]! + (m >= 2 ? u2 * U[(k - 1) * w + m - 2]! : 0);
  }
  for (let p = 0; p < polyAt.length; p++) {
    const D = polyD[p]!;
    const at = polyAt[p]!;
    if (L.polyEven[p]) compose(bound, at, D, d0, U, w, tmpA);
    else tmpA.fill(0, 0, 2 * D + 1);
    if (L.polyOdd[p]) compose(bound, at + D + 1, D, d0, U, w, tmpB);
    else tmpB.fill(0, 0, 2 * D + 1);
    const o = tAt[p]!;
    const len = 2 * D + 2;
    tc[o] = tmpA[0]! + c0 * tmpB[0]!;
    for (let m = 1; m < len; m++) tc[o + m] = (m <= 2 * D ? tmpA[m]! + c0 * tmpB[m]! : 0) + c1 * tmpB[m - 1]!;
  }
}

/** out[0..2D] = Σ_k coef[at + k]·(d0 + u(t))^k, with the powers of u in U (row stride w). */
function compose(coef: Float64Array, at: number, D: number, d0: number, U: Float64Array, w: number, out: Float64Array): void {
  const s = SHIFT;
  for (let k = 0; k <= D; k++) s[k] = coef[at + k]!;
  for (let k = 0; k < D; k++) for (let i = D - 1; i >= k; i--) s[i]! += d0 * s[i + 1]!;
  out.fill(0, 0, 2 * D + 1);
  if (U[w + 1] === 0) {
    // ρ0 = 0: u(t) = −ab·t², so u^k has only its t^{2k} term (the others would add exact zeros).
    for (let k = 0; k <= D; k++) out[2 * k] = s[k]! * U[k * w + 2 * k]!;
    return;
  }
  for (let k = 0; k <= D; k++) {
    const sk = s[k]!;
    if (sk === 0) continue;
    for (let m = k; m <= 2 * k; m++) out[m]! += sk * U[k * w + m]!;
  }
}

const SHIFT = new Float64Array(64);

/** Copy the non-zero t-coefficients at ρ0 = 0 (parity) of every member and denominator into L.packed. */
function packAtZero(L: TaylorLayout): void {
  const { tc, packed, memberAt, memberParity, packMemberAt, packMemberN, groupDenAt, packDenAt, packDenN } = L;
  for (let e = 0; e < memberAt.length; e++) {
    const o = memberAt[e]! + memberParity[e]!;
    const p = packMemberAt[e]!;
    const n = packMemberN[e]!;
    for (let q = 0; q < n; q++) packed[p + q] = tc[o + 2 * q]!;
  }
  for (let k = 0; k < groupDenAt.length; k++) {
    const o = groupDenAt[k]!;
    const p = packDenAt[k]!;
    const n = packDenN[k]!;
    for (let q = 0; q < n; q++) packed[p + q] = tc[o + 2 * q]!;
  }
}

/** `nextCoefficient` at ρ0 = 0 on the packed coefficients (same operations in the same order, fewer index steps). */
function nextCoefficientZero(L: TaylorLayout, g: Float64Array, z: Float64Array, m: number, sab: number): void {
  const { r, packed, groupRow, groupStart, memberCol, memberParity, packMemberAt, packMemberN, packDenAt, packDenN } = L;
  const stride = MAX_ORDER + 1;
  const next = m + 1;
  for (let i = 0; i < r; i++) g[i * G_STRIDE + next] = 0;
  for (let k = 0; k < groupRow.length; k++) {
    let w = 0;
    const end = groupStart[k + 1]!;
    for (let e = groupStart[k]!; e < end; e++) {
      const par = memberParity[e]!;
      if (m < par) continue;
      const n = Math.min(packMemberN[e]! - 1, (m - par) >> 1);
      const p = packMemberAt[e]!;
      const gj = memberCol[e]! * G_STRIDE + m - par;
      let s0 = 0;
      let s1 = 0;
      let q = 0;
      for (; q < n; q += 2) {
        s0 += packed[p + q]! * g[gj - 2 * q]!;
        s1 += packed[p + q + 1]! * g[gj - 2 * q - 2]!;
      }
      if (q === n) s0 += packed[p + q]! * g[gj - 2 * q]!;
      w += s0 + s1;
    }
    const pd = packDenAt[k]!;
    const n = Math.min(packDenN[k]! - 1, m >> 1);
    const zk = k * stride + m;
    let d0 = 0;
    let d1 = 0;
    let q = 1;
    for (; q < n; q += 2) {
      d0 += packed[pd + q]! * z[zk - 2 * q]!;
      d1 += packed[pd + q + 1]! * z[zk - 2 * q - 2]!;
    }
    if (q === n) d0 += packed[pd + q]! * z[zk - 2 * q]!;
    const zm = (w - (d0 + d1)) / packed[pd]!;
    z[zk] = zm;
    g[groupRow[k]! * G_STRIDE + next]! += zm;
  }
  const f = sab / (m + 1);
  for (let i = 0; i < r; i++) g[i * G_STRIDE + next]! *= f;
}

/** g_{m+1} from g_0..g_m (file comment); z_m of every group stored for the denominators' recurrence. */
function nextCoefficient(L: TaylorLayout, g: Float64Array, z: Float64Array, m: number, sab: number, atZero: boolean): void {
  const { r, tc, groupRow, groupDenAt, groupDenTop, groupStart, memberAt, memberTop, memberCol, memberParity, groupDenParity } = L;
  const stride = MAX_ORDER + 1;
  const next = m + 1;
  for (let i = 0; i < r; i++) g[i * G_STRIDE + next] = 0;
  for (let k = 0; k < groupRow.length; k++) {
    let w = 0;
    for (let e = groupStart[k]!; e < groupStart[k + 1]!; e++) {
      const o = memberAt[e]!;
      const top = Math.min(m, memberTop[e]!);
      // g of column j, read backwards from order m.
      const gj = memberCol[e]! * G_STRIDE + m;
      // Two accumulators per member: one running sum would make every multiply-add wait for the previous add
      // (measured ~1.9 ns per multiply-add before).
      let s0 = 0;
      let s1 = 0;
      const par = memberParity[e]!;
      if (atZero && par < 2) {
        // Only every other coefficient is non-zero (see memberParity).
        let l = par;
        for (; l + 2 <= top; l += 4) {
          s0 += tc[o + l]! * g[gj - l]!;
          s1 += tc[o + l + 2]! * g[gj - l - 2]!;
        }
        if (l <= top) s0 += tc[o + l]! * g[gj - l]!;
      } else {
        let l = 0;
        for (; l < top; l += 2) {
          s0 += tc[o + l]! * g[gj - l]!;
          s1 += tc[o + l + 1]! * g[gj - l - 1]!;
        }
        if (l === top) s0 += tc[o + l]! * g[gj - l]!;
      }
      w += s0 + s1;
    }
    const od = groupDenAt[k]!;
    const topD = Math.min(m, groupDenTop[k]!);
    const zk = k * stride + m;
    const dStep = atZero && groupDenParity[k] === 0 ? 2 : 1;
    let d0 = 0;
    let d1 = 0;
    let l = dStep;
    for (; l + dStep <= topD; l += 2 * dStep) {
      d0 += tc[od + l]! * z[zk - l]!;
      d1 += tc[od + l + dStep]! * z[zk - l - dStep]!;
    }
    if (l <= topD) d0 += tc[od + l]! * z[zk - l]!;
    const zm = (w - (d0 + d1)) / tc[od]!;
    z[zk] = zm;
    g[groupRow[k]! * G_STRIDE + next]! += zm;
  }
  const f = sab / (m + 1);
  for (let i = 0; i < r; i++) g[i * G_STRIDE + next]! *= f;
}
