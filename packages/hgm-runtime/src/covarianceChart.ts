/**
 * The ODE of the dual-activation path written in covariance coordinates (a, b, c, Δ = ab − c²), where float64
 * evaluation is stable up to |ρ| = 1.
 *
 * Why: the artifact's Pfaffian entries are expanded polynomials in x = −½Λ⁻¹. Near |ρ| = 1 they contain high
 * powers of det x = x11x22 − x12², which the expanded form computes by cancellation, losing ε/sin²θ per factor
 * (erf σ: 3e-5 of max|M| at s = 0.05, ACCURACY.md); double-double only moves that wall. In addition the three
 * terms P_v·dx_v/dc of the path matrix cancel each other by a factor ~1/Δ² (measured 1e13 at Δ/(ab) = 1e-6 for
 * erf and resin), so even exact P_v would not give an accurate sum in float64.
 *
 * So the sum is formed exactly, once per system, with BigInt polynomials (src/polynomial.ts):
 *
 *   dG/dc = M G,  M = 4x11x12·P11 + 2(x11x22 + x12²)·P12 + 4x22x12·P22 + 2x12·I
 *
 * (dx11/dc = −bc/Δ² = 4x11x12, dx12/dc = (ab + c²)/(2Δ²) = 2(x11x22 + x12²), dx22/dc = 4x22x12, and
 * d ln(1/√Δ)/dc = c/Δ = 2x12 for the scaling G = F⃗/(2π√Δ)), over a common denominator built from the
 * singular-locus factors; then x11 = −b/(2Δ), x12 = c/(2Δ), x22 = −a/(2Δ) is substituted, c² is replaced by
 * ab − Δ (so every polynomial is α(a, b, Δ) + c·β(a, b, Δ)), and the common power of Δ is cancelled exactly.
 * What remains has no cancellation that grows near Δ = 0. For one (a, b) (`bindChart`) each polynomial collapses
 * to two polynomials in Δ, evaluated by Horner.
 *
 * The compiler (restriction's src/compiler/covarianceChart.ts) does the same exact algebra and stores the result in
 * the artifact (`systems[n].covarianceChart`, ARTIFACT.md), so loading a compiled artifact only parses it; the
 * computation here is the fallback for artifacts without the field (format version 1, hand-written ones). Both
 * give the same terms in the same (canonical) order, hence bit-identical floats (test/covarianceChart.test.ts).
 */
import { type PfaffianSystem, DomainError, parseChartPolynomial, parseRationalExpression, PFAFFIAN_VARIABLES } from '@holonomic-ntk/core';
import {
  addPoly,
  constantPoly,
  exactDivide,
  exponentOf,
  exprToRational,
  monomialKey,
  mulPoly,
  powPoly,
  totalDegree,
  variablePoly,
  type Poly,
  type RationalFunction,
} from './polynomial.ts';

/** One polynomial of the chart as flat term arrays: Σ coef · a^pa · b^pb · c^pc · Δ^pd (pc ∈ {0, 1}). */
interface ChartPoly {
  coef: Float64Array;
  pa: Uint8Array;
  pb: Uint8Array;
  pc: Uint8Array;
  pd: Uint8Array;
  /** Largest Δ exponent. */
  maxD: number;
}

/** M = dG/dc of a system in covariance coordinates, entry (i, j) = num/den (row-major; undefined where 0). */
export interface CovarianceChart {
  readonly rank: number;
  readonly entries: readonly ({ num: ChartPoly; den: ChartPoly } | undefined)[];
  /** Number of terms over all polynomials (the cost of `bindChart`). */
  readonly terms: number;
}

const charts = new WeakMap<PfaffianSystem, CovarianceChart>();

// Variables of the x-polynomials: x11, x12, x22 (indices 0, 1, 2); of the chart: a, b, c, Δ (0..3).
const X11 = variablePoly(0);
const X12 = variablePoly(1);
const X22 = variablePoly(2);

/**
 * The chart of a (validated) system, once per system object: read from the system's stored `covarianceChart` (what
 * the compiler writes; parsing only), else computed with exact BigInt algebra (2–130 ms per built-in system in a
 * fresh process, BENCHMARKS.md).
 *
 * For instance (illustration, not run):
 *   const chart = covarianceChart(artifact.systems[0]);
 *   const bound = bindChart(chart, 1, 1);
 *   const M = new Float64Array(4);
 *   bound.evaluate(0.5, 0.75, M); // dG/dc = M·G at a = b = 1, c = 0.5, Δ = 0.75
 */
export function covarianceChart(system: PfaffianSystem): CovarianceChart {
  const hit = charts.get(system);
  if (hit) return hit;
  const chart = system.covarianceChart ? storedChart(system) : computeChart(system);
  charts.set(system, chart);
  return chart;
}

/** The compiler's chart: canonical term text → flat term arrays, in text order (the canonical order of `flatten`). */
function storedChart(system: PfaffianSystem): CovarianceChart {
  const r = system.rank;
  const entries: ({ num: ChartPoly; den: ChartPoly } | undefined)[] = new Array(r * r).fill(undefined);
  let terms = 0;
  for (const [i, j, num, den] of system.covarianceChart!.entries) {
    const entry = { num: chartPoly(num), den: chartPoly(den) };
    terms += entry.num.coef.length + entry.den.coef.length;
    entries[i * r + j] = entry;
  }
  return { rank: r, entries, terms };
}

function chartPoly(text: string): ChartPoly {
  const parsed = parseChartPolynomial(text);
  const n = parsed.length;
  const out: ChartPoly = { coef: new Float64Array(n), pa: new Uint8Array(n), pb: new Uint8Array(n), pc: new Uint8Array(n), pd: new Uint8Array(n), maxD: 0 };
  parsed.forEach((t, k) => {
    out.coef[k] = Number(t.coef);
    out.pa[k] = t.a;
    out.pb[k] = t.b;
    out.pc[k] = t.c;
    out.pd[k] = t.d;
    out.maxD = Math.max(out.maxD, t.d);
  });
  return out;
}

function computeChart(system: PfaffianSystem): CovarianceChart {
  const r = system.rank;
  const parse = (text: string): RationalFunction => exprToRational(parseRationalExpression(text, PFAFFIAN_VARIABLES), PFAFFIAN_VARIABLES);
  const factors: Poly[] = [];
  for (const text of system.singularLocus) {
    const f = parse(text);
    if (totalDegree(f.den) !== 0) throw new DomainError(`singular-locus entry '${text}' is not a polynomial`);
    if (totalDegree(f.num) > 0) factors.push(f.num);
  }
  // Monomial factors last: a locus factor such as 2x11² − x11 contains x11 and must be divided out first.
  factors.push(X11, X22);
  const weights: Record<(typeof PFAFFIAN_VARIABLES)[number], Poly> = {
    x11: mulPoly(constantPoly(4n), mulPoly(X11, X12)),
    x12: mulPoly(constantPoly(2n), addPoly(mulPoly(X11, X22), mulPoly(X12, X12))),
    x22: mulPoly(constantPoly(4n), mulPoly(X22, X12)),
  };
  const entries: ({ num: ChartPoly; den: ChartPoly } | undefined)[] = [];
  let terms = 0;
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < r; j++) {
      const parts: { num: Poly; factored: Factored }[] = [];
      for (const v of PFAFFIAN_VARIABLES) {
        const p = parse(system.pfaffian[v][i]![j]!);
        if (p.num.size === 0) continue;
        parts.push({ num: mulPoly(weights[v], p.num), factored: factorDenominator(p.den, factors) });
      }
      if (i === j) parts.push({ num: mulPoly(constantPoly(2n), X12), factored: factorDenominator(constantPoly(1n), factors) });
      if (parts.length === 0) {
        entries.push(undefined);
        continue;
      }
      // Common denominator K·Π f^max(m): each numerator times what its own denominator lacks.
      // A factor appended (opaque leftover) after a part was factored has multiplicity 0 in that part.
      const mult = factors.map((_, k) => Math.max(...parts.map((p) => p.factored.mult[k] ?? 0)));
      const K = parts.reduce((acc, p) => lcm(acc, abs(p.factored.unit)), 1n);
      let den = constantPoly(K);
      factors.forEach((f, k) => (den = mulPoly(den, powPoly(f, mult[k]!))));
      let num: Poly = new Map();
      for (const p of parts) {
        let t = mulPoly(p.num, constantPoly(K / p.factored.unit));
        factors.forEach((f, k) => (t = mulPoly(t, powPoly(f, mult[k]! - (p.factored.mult[k] ?? 0)))));
        num = addPoly(num, t);
      }
      if (num.size === 0) {
        entries.push(undefined);
        continue;
      }
      const [cn, cd] = cancelCommon(toChart(num, den));
      const entry = { num: flatten(cn), den: flatten(cd) };
      terms += entry.num.coef.length + entry.den.coef.length;
      entries.push(entry);
    }
  }
  return { rank: r, entries, terms };
}

interface Factored {
  /** Multiplicity of each factor (factors appended later count 0). */
  mult: number[];
  /** The integer left after dividing out all factors (non-zero). */
  unit: bigint;
}

/** den = unit · Π factors[k]^mult[k]; a non-constant leftover is appended to `factors` (shared by all entries). */
function factorDenominator(den: Poly, factors: Poly[]): Factored {
  let rest = den;
  const mult: number[] = [];
  for (let k = 0; k < factors.length; k++) {
    let m = 0;
    for (let q = exactDivide(rest, factors[k]!); q; q = exactDivide(rest, factors[k]!)) {
      rest = q;
      m++;
    }
    mult.push(m);
  }
  if (totalDegree(rest) > 0) {
    // A factor the singular locus does not list as such: treat it as one more (opaque) factor.
    factors.push(rest);
    mult.push(1);
    return { mult, unit: 1n };
  }
  return { mult, unit: rest.get(0)! };
}

const abs = (x: bigint): bigint => (x < 0n ? -x : x);
function gcd(x: bigint, y: bigint): bigint {
  while (y !== 0n) [x, y] = [y, x % y];
  return abs(x);
}
const lcm = (x: bigint, y: bigint): bigint => (x / gcd(x, y)) * y;

/** num/den in x → the same fraction in (a, b, c, Δ) with c² = ab − Δ (both multiplied by (2Δ)^deg). */
function toChart(num: Poly, den: Poly): [Poly, Poly] {
  const deg = Math.max(totalDegree(num), totalDegree(den));
  const abMinusDelta = addPoly(mulPoly(variablePoly(0), variablePoly(1)), variablePoly(3), -1n);
  const powers: Poly[] = [constantPoly(1n)];
  const convert = (p: Poly): Poly => {
    let out: Poly = new Map();
    for (const [m, coef] of p) {
      const i = exponentOf(m, 0);
      const j = exponentOf(m, 1);
      const k = exponentOf(m, 2);
      const e = deg - i - j - k;
      const sign = (i + k) % 2 === 0 ? 1n : -1n;
      const mono: Poly = new Map([[monomialKey([k, i, j % 2, e]), sign * coef * 2n ** BigInt(e)]]);
      while (powers.length <= j >> 1) powers.push(mulPoly(powers[powers.length - 1]!, abMinusDelta));
      out = addPoly(out, mulPoly(mono, powers[j >> 1]!));
    }
    return out;
  };
  return [convert(num), convert(den)];
}

/** Divides num and den by the largest common monomial a^i b^j Δ^k (c appears at most linearly: left alone). */
function cancelCommon([num, den]: [Poly, Poly]): [Poly, Poly] {
  const low = [Infinity, Infinity, 0, Infinity];
  for (const p of [num, den]) {
    for (const m of p.keys()) for (const v of [0, 1, 3]) low[v] = Math.min(low[v]!, exponentOf(m, v));
  }
  const shift = monomialKey(low.map((e) => (Number.isFinite(e) ? e : 0)));
  const move = (p: Poly): Poly => new Map([...p].map(([m, c]) => [m - shift, c]));
  return [move(num), move(den)];
}

/**
 * Flat term arrays in the canonical order: increasing packed key, i.e. lexicographic in the exponents of (Δ, c, b, a),
 * the order of the stored chart text (core's parseChartPolynomial). The order fixes the summation order of
 * `bindChart`, so the stored and the computed chart give the same bits.
 */
function flatten(p: Poly): ChartPoly {
  const n = p.size;
  const out: ChartPoly = { coef: new Float64Array(n), pa: new Uint8Array(n), pb: new Uint8Array(n), pc: new Uint8Array(n), pd: new Uint8Array(n), maxD: 0 };
  let t = 0;
  for (const [m, c] of [...p].sort((x, y) => x[0] - y[0])) {
    out.coef[t] = Number(c);
    out.pa[t] = exponentOf(m, 0);
    out.pb[t] = exponentOf(m, 1);
    out.pc[t] = exponentOf(m, 2);
    out.pd[t] = exponentOf(m, 3);
    out.maxD = Math.max(out.maxD, out.pd[t]!);
    t++;
  }
  return out;
}

/** The chart at fixed (a, b): M(c, Δ) by Horner in Δ. Allocation-free evaluation. */
export interface BoundChart {
  readonly a: number;
  readonly b: number;
  /** Writes M = dG/dc at (c, Δ) into out (row-major r×r). Δ must be ab − c², accurate relative to itself. */
  evaluate(c: number, delta: number, out: Float64Array): void;
}

/**
 * Collapses every chart polynomial at (a, b) into α(Δ) + c·β(Δ): one pass over all terms (25–70 µs measured),
 * then each evaluation costs ~4 flops per Δ-coefficient.
 *
 * E.g. `bindChart(covarianceChart(system), 2, 3).evaluate(0, 6, new Float64Array(system.rank ** 2))`.
 */
export function bindChart(chart: CovarianceChart, a: number, b: number): BoundChart {
  return new BoundChartImpl(layoutOf(chart), a, b);
}

/**
 * The chart's terms flattened once for binding: per entry the offsets of its [num α, num β, den α, den β]
 * blocks (each of length maxD + 1 of its polynomial) in one coefficient array, and per term the slot it adds to.
 * Binding is then one loop over typed arrays (~25–70 µs measured, mostly allocation for the small charts).
 */
interface ChartLayout {
  r2: number;
  offsets: Int32Array;
  lengths: Int32Array;
  size: number;
  slot: Int32Array;
  coef: Float64Array;
  pa: Uint8Array;
  pb: Uint8Array;
  maxA: number;
  maxB: number;
}

const layouts = new WeakMap<CovarianceChart, ChartLayout>();

function layoutOf(chart: CovarianceChart): ChartLayout {
  const hit = layouts.get(chart);
  if (hit) return hit;
  const r2 = chart.rank * chart.rank;
  const offsets = new Int32Array(r2).fill(-1);
  const lengths = new Int32Array(2 * r2);
  let size = 0;
  let terms = 0;
  chart.entries.forEach((e, k) => {
    if (!e) return;
    offsets[k] = size;
    lengths[2 * k] = e.num.maxD + 1;
    lengths[2 * k + 1] = e.den.maxD + 1;
    size += 2 * (e.num.maxD + 1) + 2 * (e.den.maxD + 1);
    terms += e.num.coef.length + e.den.coef.length;
  });
  const layout: ChartLayout = {
    r2,
    offsets,
    lengths,
    size,
    slot: new Int32Array(terms),
    coef: new Float64Array(terms),
    pa: new Uint8Array(terms),
    pb: new Uint8Array(terms),
    maxA: 0,
    maxB: 0,
  };
  let t = 0;
  chart.entries.forEach((e, k) => {
    if (!e) return;
    const put = (p: ChartPoly, at: number): void => {
      const len = p.maxD + 1;
      for (let i = 0; i < p.coef.length; i++, t++) {
        layout.slot[t] = at + p.pc[i]! * len + p.pd[i]!;
        layout.coef[t] = p.coef[i]!;
        layout.pa[t] = p.pa[i]!;
        layout.pb[t] = p.pb[i]!;
        layout.maxA = Math.max(layout.maxA, p.pa[i]!);
        layout.maxB = Math.max(layout.maxB, p.pb[i]!);
      }
    };
    put(e.num, offsets[k]!);
    put(e.den, offsets[k]! + 2 * lengths[2 * k]!);
  });
  layouts.set(chart, layout);
  return layout;
}

class BoundChartImpl implements BoundChart {
  private readonly coeffs: Float64Array;

  constructor(
    private readonly layout: ChartLayout,
    readonly a: number,
    readonly b: number,
  ) {
    const { slot, coef, pa, pb, maxA, maxB } = layout;
    const coeffs = new Float64Array(layout.size);
    const powA = new Float64Array(maxA + 1);
    const powB = new Float64Array(maxB + 1);
    powA[0] = powB[0] = 1;
    for (let k = 1; k <= maxA; k++) powA[k] = powA[k - 1]! * a;
    for (let k = 1; k <= maxB; k++) powB[k] = powB[k - 1]! * b;
    for (let t = 0; t < slot.length; t++) coeffs[slot[t]!]! += coef[t]! * powA[pa[t]!]! * powB[pb[t]!]!;
    this.coeffs = coeffs;
  }

  evaluate(c: number, delta: number, out: Float64Array): void {
    const { r2, offsets, lengths } = this.layout;
    const q = this.coeffs;
    for (let k = 0; k < r2; k++) {
      const at = offsets[k]!;
      if (at < 0) {
        out[k] = 0;
        continue;
      }
      const ln = lengths[2 * k]!;
      const ld = lengths[2 * k + 1]!;
      // Horner in Δ for α and β of numerator and denominator.
      let na = 0;
      let nb = 0;
      for (let t = at + ln - 1; t >= at; t--) na = na * delta + q[t]!;
      for (let t = at + 2 * ln - 1; t >= at + ln; t--) nb = nb * delta + q[t]!;
      const d0 = at + 2 * ln;
      let da = 0;
      let db = 0;
      for (let t = d0 + ld - 1; t >= d0; t--) da = da * delta + q[t]!;
      for (let t = d0 + 2 * ld - 1; t >= d0 + ld; t--) db = db * delta + q[t]!;
      out[k] = (na + c * nb) / (da + c * db);
    }
  }
}
