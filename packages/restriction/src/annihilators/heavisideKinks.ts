/**
 * From an annihilator valid almost everywhere to one valid as a distribution. Near a kink r write
 * σ = σ₋ + Y(u − r)·h with σ₋ and h entire (every atom is entire). If L = Σ a_i ∂^i kills σ off the kinks then
 * Lσ₋ = Lh = 0 everywhere (analytic continuation), and Leibniz gives
 *
 *   Lσ = L(Y h) = Σ_i a_i Σ_{l=1..i} C(i,l) h^(i−l) δ^(l−1)(u − r) = Σ_{j < ord L} c_j δ^(j)(u − r).
 *
 * Since (u − r)^k δ^(j)(u − r) = 0 exactly when k > j, q^k·L kills σ as a distribution, where q is the
 * squarefree kink polynomial and k = 1 + max{j : c_j ≠ 0} (0 when σ has no singular part). k = ord L always
 * works; the minimal k is read from the jumps of σ, σ′, … at each kink, computed with Taylor arithmetic.
 *
 * Example: ReLU = Y(u)·u with L = u∂ − 1: a_1 h = u·u vanishes at 0, so c = 0 and k = 0 (u∂ − 1 itself);
 * Y(u) with L = ∂: c_0 = 1, k = 1 (u∂); Y sin with L = ∂² + 1: 2cos·δ + sin·δ′ = δ, k = 1 (u(∂² + 1));
 * Y cos: −2sin·δ + cos·δ′ = δ′, k = 2 (u²(∂² + 1)).
 */
import { lcmQQ, type Poly, type Rational } from '@holonomic-ntk/weyl-algebra';
import { U_POLY } from './algebra.ts';
import { callsOf, type Formula } from './formula.ts';
import { primitivePolyOperator, type PolyOperator } from './ratOperator.ts';
import { realRoots, squarefreePart } from './realRoots.ts';
import { polyTaylor, taylorOf } from './taylor.ts';

/** Relative size below which a δ-coefficient counts as zero (against the size of the terms that form it). */
export const DELTA_TOLERANCE = 1e-10;

export interface KinkReport {
  /** The kink: a real zero of a heaviside argument. */
  at: number;
  /** Coefficients c_j of δ^(j)(u − at) in L·σ (L the almost-everywhere operator), j = 0..ord L − 1. */
  delta: number[];
  /** Highest j with c_j ≠ 0, −1 if none. */
  order: number;
}

export interface DistributionalAnnihilator {
  /** q^k·L, integer content 1, positive leading coefficient. */
  operator: Poly<Rational>[];
  /** The squarefree polynomial vanishing at the kinks (1 when there are none). */
  kinkPolynomial: Poly<Rational>;
  /** The power k of the kink polynomial. */
  exponent: number;
  kinks: KinkReport[];
}

/**
 * The squarefree polynomial whose real zeros are the kinks of the formula: lcm of the squarefree parts of the
 * heaviside arguments (1 if there are none).
 *
 * For example:
 * kinkPolynomial(parseFormula('heaviside(u)*sin(u) + heaviside(2*u-1)')); // u² − u/2 (up to a scalar)
 */
export function kinkPolynomial(f: Formula): Poly<Rational> {
  let q = U_POLY.one;
  for (const p of callsOf(f, 'heaviside')) if (U_POLY.degree(p) > 0) q = lcmQQ(U_POLY, q, squarefreePart(p));
  return q;
}

/**
 * Coefficients c_j of δ^(j)(u − r) in L(Y(u − r)·h) for polynomial coefficients a_i and the Taylor coefficients
 * of h at r, with the size of the terms behind each c_j (for a relative zero test).
 */
export function deltaCoefficients(L: PolyOperator, r: number, h: Float64Array, hSize: Float64Array): { c: number[]; size: number[] } {
  const N = L.length - 1;
  const c = new Array<number>(Math.max(0, N)).fill(0);
  const size = new Array<number>(Math.max(0, N)).fill(0);
  // Taylor coefficients of h^(s): (h^(s))_k = h_{k+s}·(k+s)!/k!.
  const derivCoeff = (t: Float64Array, s: number, k: number): number => {
    let f = t[k + s] ?? 0;
    for (let i = k + 1; i <= k + s; i++) f *= i;
    return f;
  };
  for (let i = 1; i <= N; i++) {
    const A = polyTaylor(L[i]!, r, N);
    const absA = A.map(Math.abs);
    for (let l = 1; l <= i; l++) {
      const m = l - 1;
      const cil = binomial(i, l);
      for (let t = 0; t <= m; t++) {
        // ψ = a_i · h^(i−l); ψ^(t)(r) = t!·ψ_t.
        let psi = 0;
        let psiSize = 0;
        for (let k = 0; k <= t; k++) {
          psi += A[t - k]! * derivCoeff(h, i - l, k);
          psiSize += absA[t - k]! * derivCoeff(hSize, i - l, k);
        }
        const w = cil * binomial(m, t) * factorial(t);
        c[m - t]! += (t % 2 === 0 ? w : -w) * psi;
        size[m - t]! += w * psiSize;
      }
    }
  }
  return { c, size };
}

/**
 * Turns L (annihilating the formula off its kinks, polynomial coefficients with content 1) into the annihilator
 * q^k·L of the formula as a distribution, with the minimal k for that form.
 *
 * For example:
 * distributionalAnnihilator(parseFormula('heaviside(u)'), [U_POLY.zero, U_POLY.one]).operator; // [0, u]: u∂
 */
export function distributionalAnnihilator(f: Formula, L: PolyOperator): DistributionalAnnihilator {
  const q = kinkPolynomial(f);
  const N = L.length - 1;
  const kinks: KinkReport[] = [];
  let maxOrder = -1;
  if (N > 0) {
    for (const r of realRoots(q)) {
      const right = taylorOf(f, r, N, 'right');
      const left = taylorOf(f, r, N, 'left');
      const jump = right.map((x, i) => x - left[i]!);
      const size = right.map((x, i) => Math.abs(x) + Math.abs(left[i]!));
      const { c, size: s } = deltaCoefficients(L, r, jump, size);
      const scale = Math.max(0, ...s);
      let order = -1;
      c.forEach((x, j) => {
        if (Math.abs(x) > DELTA_TOLERANCE * scale) order = j;
      });
      kinks.push({ at: r, delta: c, order });
      maxOrder = Math.max(maxOrder, order);
    }
  }
  const exponent = maxOrder + 1;
  const qk = U_POLY.pow(q, exponent);
  return {
    operator: primitivePolyOperator(L.map((a) => U_POLY.mul(qk, a))),
    kinkPolynomial: q,
    exponent,
    kinks,
  };
}

function binomial(n: number, k: number): number {
  let b = 1;
  for (let i = 1; i <= k; i++) b = (b * (n - k + i)) / i;
  return b;
}

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}
