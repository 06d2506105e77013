/**
 * Exact-to-rounding evaluation of a formula and its derivatives: truncated Taylor arithmetic (automatic
 * differentiation of any order). Used to evaluate σ for the distribution check, to test annihilators pointwise,
 * and to read the jumps of σ and its derivatives at the kinks.
 */
import { erf, normalCdf } from '@holonomic-ntk/core';
import type { Poly, Rational } from '@holonomic-ntk/weyl-algebra';
import type { Formula } from './formula.ts';

/** Normalized Taylor coefficients t[k] = f^(k)(x0)/k!, k = 0..order. */
export type Taylor = Float64Array<ArrayBuffer>;

/** Which one-sided limit heaviside(p) takes where p(x0) = 0; `undefined`: Y(0) = 0 (a null set anyway). */
export type Side = 'left' | 'right' | undefined;

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const ONE_OVER_SQRT_2PI = 0.3989422804014327;

/**
 * Taylor coefficients of the formula at x0 up to `order`. heaviside(p) is the constant Y(p(x0)), which is exact
 * off the zeros of p; at a zero it takes the one-sided limit `side` (decided by the first Taylor coefficient of
 * p that is not zero up to rounding). diff is the pointwise derivative, consistent with that.
 *
 * For example:
 * taylorOf(parseFormula('sin(u)'), 0, 3); // [0, 1, 0, −1/6]
 */
export function taylorOf(f: Formula, x0: number, order: number, side?: Side): Taylor {
  const n = order + 1;
  switch (f.kind) {
    case 'poly':
      return polyTaylor(f.poly, x0, order);
    case 'call':
      return callTaylor(f, x0, order, side);
    case 'diff': {
      const g = taylorOf(f.operand, x0, order + 1, side);
      const t = new Float64Array(n);
      for (let k = 0; k < n; k++) t[k] = (k + 1) * g[k + 1]!;
      return t;
    }
    case 'scale':
      return scaleSeries(taylorOf(f.operand, x0, order, side), f.factor.toNumber());
    case 'sum': {
      const t = new Float64Array(n);
      for (const term of f.terms) {
        const s = taylorOf(term, x0, order, side);
        for (let k = 0; k < n; k++) t[k]! += s[k]!;
      }
      return t;
    }
    case 'product':
      return f.factors.map((g) => taylorOf(g, x0, order, side)).reduce(mulSeries);
    case 'power': {
      let t = new Float64Array(n);
      t[0] = 1;
      if (f.exponent === 0) return t;
      const b = taylorOf(f.base, x0, order, side);
      for (let i = 0; i < f.exponent; i++) t = mulSeries(t, b);
      return t;
    }
  }
}

function callTaylor(f: Extract<Formula, { kind: 'call' }>, x0: number, order: number, side: Side): Taylor {
  const a = polyTaylor(f.arg, x0, order);
  switch (f.fn) {
    case 'exp':
      return seriesExp(a);
    case 'sin':
      return seriesSinCos(a).sin;
    case 'cos':
      return seriesSinCos(a).cos;
    case 'erf':
      // erf(p)′ = (2/√π) e^{−p²} p′
      return integrateWith(erf(a[0]!), scaleSeries(mulSeries(seriesExp(scaleSeries(mulSeries(a, a), -1)), derivSeries(a)), TWO_OVER_SQRT_PI));
    case 'Phi':
      // Φ(p)′ = e^{−p²/2} p′ / √(2π)
      return integrateWith(normalCdf(a[0]!), scaleSeries(mulSeries(seriesExp(scaleSeries(mulSeries(a, a), -0.5)), derivSeries(a)), ONE_OVER_SQRT_2PI));
    case 'heaviside': {
      const t = new Float64Array(order + 1);
      t[0] = heavisideValue(f.arg, x0, a, side);
      return t;
    }
  }
}

/**
 * The value of the formula at x (Y(0) = 0 at a kink, immaterial for integrals).
 *
 * @example
 * ```ts
 * import { evaluateFormula, parseFormula } from '@holonomic-ntk/restriction';
 * evaluateFormula(parseFormula('u*Phi(u)'), 1); // ≈ 0.8413447460685429
 * evaluateFormula(parseFormula('heaviside(u)*sin(u)'), -1); // → 0
 * ```
 */
export function evaluateFormula(f: Formula, x: number): number {
  return taylorOf(f, x, 0)[0]!;
}

/**
 * Y(p(x0)), or at a zero of p the one-sided limit: with c_m the first Taylor coefficient of p that is not zero up
 * to rounding, p > 0 just right of x0 iff c_m > 0 and just left iff (−1)^m c_m > 0.
 */
function heavisideValue(p: Poly<Rational>, x0: number, a: Taylor, side: Side): number {
  // Rounding scale of p(x0): Σ |c_i| |x0|^i.
  let scale = 0;
  for (let i = 0; i < p.length; i++) scale += Math.abs(p.coeffs[i]!.toNumber()) * Math.abs(x0) ** p.monos[i]![0]!;
  const tol = 1e-12 * scale;
  if (Math.abs(a[0]!) > tol || side === undefined) return a[0]! > 0 ? 1 : 0;
  // Higher coefficients: the polynomial's own, to its degree (a may be truncated; recompute if needed).
  const deg = Math.max(0, ...p.monos.map((m) => m[0]!));
  const full = a.length > deg ? a : polyTaylor(p, x0, deg);
  for (let m = 1; m < full.length; m++) {
    const c = full[m]!;
    if (Math.abs(c) > 1e-12 * (scale + 1)) return (side === 'right' ? c : m % 2 === 0 ? c : -c) > 0 ? 1 : 0;
  }
  return 0;
}

/** Taylor coefficients of a polynomial of Q[u] at x0: Σ_e c_e Σ_k C(e, k) x0^(e−k) t^k. */
export function polyTaylor(p: Poly<Rational>, x0: number, order: number): Taylor {
  const t = new Float64Array(order + 1);
  for (let i = 0; i < p.length; i++) {
    const e = p.monos[i]![0]!;
    const c = p.coeffs[i]!.toNumber();
    let binom = 1;
    for (let k = 0; k <= Math.min(e, order); k++) {
      t[k]! += c * binom * x0 ** (e - k);
      binom = (binom * (e - k)) / (k + 1);
    }
  }
  return t;
}

export function mulSeries(a: Taylor, b: Taylor): Taylor {
  const n = Math.min(a.length, b.length);
  const t = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let s = 0;
    for (let j = 0; j <= k; j++) s += a[j]! * b[k - j]!;
    t[k] = s;
  }
  return t;
}

function scaleSeries(a: Taylor, c: number): Taylor {
  return a.map((x) => x * c);
}

/** Coefficients of a′, one order shorter. */
function derivSeries(a: Taylor): Taylor {
  const t = new Float64Array(Math.max(0, a.length - 1));
  for (let k = 0; k < t.length; k++) t[k] = (k + 1) * a[k + 1]!;
  return t;
}

/** The series with constant term c0 whose derivative is g (one order longer than g). */
function integrateWith(c0: number, g: Taylor): Taylor {
  const t = new Float64Array(g.length + 1);
  t[0] = c0;
  for (let k = 1; k < t.length; k++) t[k] = g[k - 1]! / k;
  return t;
}

/** exp of a series: e′ = a′e, so k·e_k = Σ_{j=1..k} j·a_j·e_{k−j}. */
function seriesExp(a: Taylor): Taylor {
  const e = new Float64Array(a.length);
  e[0] = Math.exp(a[0]!);
  for (let k = 1; k < a.length; k++) {
    let s = 0;
    for (let j = 1; j <= k; j++) s += j * a[j]! * e[k - j]!;
    e[k] = s / k;
  }
  return e;
}

/** sin and cos of a series together: s′ = a′c, c′ = −a′s. */
function seriesSinCos(a: Taylor): { sin: Taylor; cos: Taylor } {
  const s = new Float64Array(a.length);
  const c = new Float64Array(a.length);
  s[0] = Math.sin(a[0]!);
  c[0] = Math.cos(a[0]!);
  for (let k = 1; k < a.length; k++) {
    let ss = 0;
    let cc = 0;
    for (let j = 1; j <= k; j++) {
      ss += j * a[j]! * c[k - j]!;
      cc -= j * a[j]! * s[k - j]!;
    }
    s[k] = ss / k;
    c[k] = cc / k;
  }
  return { sin: s, cos: c };
}
