import { gaussLegendreRule } from '@holonomic-ntk/core';
/**
 * Adaptive Gauss–Legendre quadrature on a finite interval with user break points, for reference values.
 *
 * Pieces are bisected (largest error first) until the 20-point rules on the pieces and the sums of the rules on
 * their halves agree to the tolerance in total; the halves' sums are returned, so the reported accuracy is very
 * conservative (the halves' error is far below the difference for analytic pieces). Kinks of the integrand must be break points:
 * then every piece is analytic and convergence is geometric. A relative noise floor (default 1e-15 of ∫|f| on
 * a piece) stops bisection that rounding could never satisfy.
 */
import { IntegrationError } from '@holonomic-ntk/core';

export interface AdaptiveOptions {
  /** Relative tolerance on ∫|f| over the whole range (default 1e-14). */
  rtol?: number;
  /** Absolute tolerance (default 0). */
  atol?: number;
  /** Smallest piece, as 2^−maxDepth of the whole range, before IntegrationError (default 60). */
  maxDepth?: number;
  /**
   * Relative noise floor: a piece is accepted once the difference is below noise·∫|f| on it (default 1e-15).
   * Raise it when f itself is computed with a relative error (e.g. an inner quadrature), or bisection would
   * chase that noise.
   */
  noise?: number;
  /** Maximal number of integrand evaluations before IntegrationError (default 2e6). */
  maxEvaluations?: number;
}

export interface AdaptiveResult {
  value: number;
  /** Estimate of ∫|f|, the scale against which rtol is measured. */
  absIntegral: number;
  /** Number of integrand evaluations. */
  evaluations: number;
}

const ORDER = 20;

/**
 * ∫ f over [min(points), max(points)], split at every point.
 *
 * For example `integrateAdaptive((x) => Math.abs(x), [-1, 0, 1]).value` gives 1.
 */
export function integrateAdaptive(f: (x: number) => number, points: readonly number[], options: AdaptiveOptions = {}): AdaptiveResult {
  const rtol = options.rtol ?? 1e-14;
  const atol = options.atol ?? 0;
  const maxDepth = options.maxDepth ?? 60;
  const noise = options.noise ?? 1e-15;
  const maxEvaluations = options.maxEvaluations ?? 2e6;
  const pts = [...new Set(points.filter((p) => Number.isFinite(p)))].sort((x, y) => x - y);
  const { nodes, weights } = gaussLegendreRule(ORDER);
  let evaluations = 0;

  const rule = (lo: number, hi: number): [number, number] => {
    const half = (hi - lo) / 2;
    const mid = (hi + lo) / 2;
    let v = 0;
    let av = 0;
    for (let i = 0; i < ORDER; i++) {
      const y = f(mid + half * nodes[i]!);
      v += weights[i]! * y;
      av += weights[i]! * Math.abs(y);
    }
    evaluations += ORDER;
    return [v * half, av * half];
  };

  // Global adaptive scheme: every interval carries the 20-point value of each half (their sum is its value)
  // and the error estimate |halves − whole|; the interval with the largest estimate is split until the sum of
  // the estimates is below tol. (A local criterion with interval-proportional tolerances would chase
  // negligible features such as the 1e-49 jump where the z-cut-off truncates an inner integral.)
  interface Node {
    lo: number;
    hi: number;
    left: number;
    right: number;
    err: number;
    abs: number;
  }
  const makeNode = (lo: number, hi: number, whole: number): Node => {
    const mid = (lo + hi) / 2;
    const [l, al] = rule(lo, mid);
    const [r, ar] = rule(mid, hi);
    let err = Math.abs(l + r - whole);
    if (err <= noise * (al + ar)) err = 0; // converged to rounding
    return { lo, hi, left: l, right: r, err, abs: al + ar };
  };
  const nodes_: Node[] = [];
  let absIntegral = 0;
  for (let k = 0; k + 1 < pts.length; k++) {
    const [lo, hi] = [pts[k]!, pts[k + 1]!];
    if (!(hi > lo)) continue;
    const [v] = rule(lo, hi);
    const node = makeNode(lo, hi, v);
    nodes_.push(node);
    absIntegral += node.abs;
  }
  if (nodes_.length === 0) return { value: 0, absIntegral: 0, evaluations };
  for (;;) {
    // ∫|f| is re-estimated every round: the first coarse pass can miss a thin layer that carries the mass.
    let errSum = 0;
    let absSum = 0;
    let worst = 0;
    for (let i = 0; i < nodes_.length; i++) {
      errSum += nodes_[i]!.err;
      absSum += nodes_[i]!.abs;
      if (nodes_[i]!.err > nodes_[worst]!.err) worst = i;
    }
    const tol = Math.max(atol, rtol * absSum);
    if (errSum <= tol) break;
    const n = nodes_[worst]!;
    const mid = (n.lo + n.hi) / 2;
    if (evaluations > maxEvaluations || !(mid > n.lo && mid < n.hi) || n.hi - n.lo < (pts[pts.length - 1]! - pts[0]!) * 2 ** -maxDepth) {
      throw new IntegrationError(
        `adaptive quadrature did not converge: error estimate ${errSum} > ${tol} after ${evaluations} evaluations (worst piece [${n.lo}, ${n.hi}])`,
      );
    }
    nodes_[worst] = makeNode(n.lo, mid, n.left);
    nodes_.push(makeNode(mid, n.hi, n.right));
  }
  let value = 0;
  absIntegral = 0;
  for (const n of nodes_) {
    value += n.left + n.right;
    absIntegral += n.abs;
  }
  return { value, absIntegral, evaluations };
}
