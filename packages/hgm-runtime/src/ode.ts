/**
 * DOP853: the explicit Runge–Kutta method of Dormand and Prince of order 8 with embedded error estimators of
 * orders 5 and 3 and step-size control, after Hairer's dop853.f. Our own implementation, because the HGM path
 * needs (a) Float64Array state without per-step allocation, (b) both tolerances per component, (c) a hard
 * failure instead of a silent inaccurate answer, and (d) dense output for path planning later.
 */
import { IntegrationError } from '@holonomic-ntk/core';
import { A, C, D, E3, E5 } from './dop853Coefficients.ts';

/**
 * Right-hand side of y' = f(t, y): writes f(t, y) into `dydt`; must not keep references to its arguments.
 *
 * @example
 * ```ts
 * import { dop853, type OdeRhs } from '@holonomic-ntk/hgm-runtime';
 * // The harmonic oscillator y0' = y1, y1' = −y0: a quarter turn takes (1, 0) to (0, −1).
 * const f: OdeRhs = (_t, y, dy) => {
 *   dy[0] = y[1]!;
 *   dy[1] = -y[0]!;
 * };
 * const { y } = dop853(f, 0, [1, 0], Math.PI / 2, { rtol: 1e-12, atol: 1e-14 });
 * y[0]; // ≈ 0 ± 1e-10
 * y[1]; // ≈ -1 ± 1e-10
 * ```
 */
export type OdeRhs = (t: number, y: Float64Array, dydt: Float64Array) => void;

/**
 * Options of `Dop853.solve` and `dop853`.
 *
 * @example
 * ```ts
 * import { dop853, type OdeOptions } from '@holonomic-ntk/hgm-runtime';
 * const options: OdeOptions = { rtol: 1e-12, atol: [1e-14], dense: true };
 * const { dense } = dop853((_t, y, dy) => { dy[0] = -y[0]!; }, 0, [1], 2, options);
 * dense!.evaluateComponent(1, 0); // ≈ Math.exp(-1) ± 1e-11
 * dop853((_t, y, dy) => { dy[0] = y[0]! * y[0]!; }, 0, [1], 2, { maxSteps: 50 }); // throws IntegrationError
 * ```
 */
export interface OdeOptions {
  /** Relative tolerance (default 1e-13). */
  rtol?: number;
  /** Absolute tolerance, scalar or per component (default equal to rtol). */
  atol?: number | ArrayLike<number>;
  /** First trial step; default: Hairer's starting-step heuristic. */
  initialStep?: number;
  /** Largest step magnitude; default |t1 − t0|. */
  maxStep?: number;
  /** Accepted plus rejected steps before giving up (default 100000). */
  maxSteps?: number;
  /** Record the 7th-degree interpolant of every step (`OdeResult.dense`). */
  dense?: boolean;
  /** Called after every accepted step with the new (t, y); y is the solver's buffer (read it, do not keep it). */
  onStep?: (t: number, y: Float64Array) => void;
  /**
   * Only the first `controlled` components (default all) enter the error norm, the first step and the dense output;
   * the others ride along with the same steps (e.g. a perturbation whose size, not its accuracy, is wanted).
   */
  controlled?: number;
  /** Called after `onStep`; returning true ends the integration there (the result's t is then short of t1). */
  stop?: (t: number, y: Float64Array) => boolean;
}

/**
 * Work counts of one integration.
 *
 * @example
 * ```ts
 * import { dop853 } from '@holonomic-ntk/hgm-runtime';
 * const { stats } = dop853((_t, y, dy) => { dy[0] = y[0]!; }, 0, [1], 1);
 * stats.naccept > 0 && stats.nfev > 12 * stats.naccept; // → true
 * ```
 */
export interface OdeStats {
  /** Evaluations of f. */
  nfev: number;
  naccept: number;
  nreject: number;
}

/**
 * The solution at the end of an integration.
 *
 * @example
 * ```ts
 * import { dop853, type OdeResult } from '@holonomic-ntk/hgm-runtime';
 * const result: OdeResult = dop853((_t, y, dy) => { dy[0] = y[0]!; }, 0, [1], 1);
 * result.t; // → 1
 * result.y[0]; // ≈ Math.E ± 1e-12
 * result.dense; // → undefined
 * ```
 */
export interface OdeResult {
  /** The final time (exactly t1, unless `OdeOptions.stop` ended the integration earlier). */
  t: number;
  y: Float64Array;
  stats: OdeStats;
  /** Continuous solution on [t0, t1] when `dense` was requested. */
  dense?: DenseSolution;
}

const SAFE = 0.9;
/** Bounds on the step-size ratio: hnew/h ∈ [1/3, 6] (Hairer's FAC1, FAC2). */
const FACC1 = 1 / 0.333;
const FACC2 = 1 / 6.0;
const UROUND = 2.220446049250313e-16;
const STAGES = 12;

/**
 * A DOP853 integrator for systems of dimension `n`. The workspace is allocated once, so one instance can
 * solve many problems of the same size without garbage (the HGM evaluates thousands of short paths).
 *
 * @example
 * ```ts
 * import { Dop853 } from '@holonomic-ntk/hgm-runtime';
 * const solver = new Dop853(1);
 * solver.solve((_t, y, dy) => { dy[0] = -y[0]!; }, 0, [1], 2, { rtol: 1e-12, atol: 0 }).y[0]; // ≈ Math.exp(-2) ± 1e-12
 * solver.solve((t, _y, dy) => { dy[0] = Math.cos(t); }, 0, [0], 1).y[0]; // ≈ Math.sin(1) ± 1e-12
 * solver.solve((_t, y, dy) => { dy[0] = y[0]!; }, 0, [1, 2], 1); // throws RangeError
 * ```
 */
export class Dop853 {
  private readonly k: Float64Array[];
  private readonly ytmp: Float64Array;
  private readonly ynew: Float64Array;
  private readonly y: Float64Array;
  private readonly sk: Float64Array;

  constructor(readonly n: number) {
    this.k = Array.from({ length: 16 }, () => new Float64Array(n));
    this.ytmp = new Float64Array(n);
    this.ynew = new Float64Array(n);
    this.y = new Float64Array(n);
    this.sk = new Float64Array(n);
  }

  /** Integrates from (t0, y0) to t1 (t1 < t0 is fine). Throws `IntegrationError` if it cannot. */
  solve(f: OdeRhs, t0: number, y0: ArrayLike<number>, t1: number, options: OdeOptions = {}): OdeResult {
    const n = this.n;
    if (y0.length !== n) throw new RangeError(`y0 has length ${y0.length}, the solver was made for ${n}`);
    const rtol = options.rtol ?? 1e-13;
    const atolOpt = options.atol ?? rtol;
    const atol = new Float64Array(n);
    for (let i = 0; i < n; i++) atol[i] = typeof atolOpt === 'number' ? atolOpt : atolOpt[i]!;
    if (!(rtol >= 0) || atol.some((a) => !(a >= 0)) || (rtol === 0 && atol.some((a) => a === 0))) {
      throw new RangeError('tolerances must be ≥ 0 and not both 0 for a component');
    }
    const maxSteps = options.maxSteps ?? 100_000;
    const m = Math.min(n, options.controlled ?? n);
    const { k, ytmp, ynew, y, sk } = this;
    y.set(y0);
    const stats: OdeStats = { nfev: 0, naccept: 0, nreject: 0 };
    if (t1 === t0) return { t: t1, y: Float64Array.from(y), stats };

    const dir = t1 > t0 ? 1 : -1;
    const hmax = Math.abs(options.maxStep ?? t1 - t0);
    let t = t0;
    f(t, y, k[0]!);
    stats.nfev++;
    let h = options.initialStep !== undefined ? dir * Math.abs(options.initialStep) : this.initialStep(f, t, dir, hmax, rtol, atol, stats, m);
    const dense = options.dense ? new DenseSolution(m, t0) : undefined;
    let reject = false;
    let stopped = false;

    for (;;) {
      if (stats.naccept + stats.nreject >= maxSteps) {
        throw new IntegrationError(`DOP853: more than ${maxSteps} steps between t = ${t0} and ${t1} (stopped at t = ${t})`);
      }
      if (0.1 * Math.abs(h) <= Math.abs(t) * UROUND || !Number.isFinite(h)) {
        throw new IntegrationError(`DOP853: step size underflow at t = ${t} (h = ${h}); a singularity of the system?`);
      }
      let last = false;
      if ((t + 1.01 * h - t1) * dir > 0) {
        h = t1 - t;
        last = true;
      }

      // Stages 1..11, then the 8th-order solution.
      for (let s = 1; s < STAGES; s++) {
        combine(ytmp, y, h, A[s]!, k, n);
        f(t + C[s]! * h, ytmp, k[s]!);
      }
      combine(ynew, y, h, A[STAGES]!, k, n);
      stats.nfev += STAGES - 1;

      // Error estimate: the 5th-order estimate, damped by the 3rd-order one where that is large (Hairer).
      let err5 = 0;
      let err3 = 0;
      for (let i = 0; i < m; i++) {
        sk[i] = atol[i]! + rtol * Math.max(Math.abs(y[i]!), Math.abs(ynew[i]!));
        let e5 = 0;
        let e3 = 0;
        for (let s = 0; s < STAGES; s++) {
          const ks = k[s]![i]!;
          e5 += E5[s]! * ks;
          e3 += E3[s]! * ks;
        }
        err5 += (e5 / sk[i]!) ** 2;
        err3 += (e3 / sk[i]!) ** 2;
      }
      let deno = err5 + 0.01 * err3;
      if (deno <= 0) deno = 1;
      const err = Math.abs(h) * err5 * Math.sqrt(1 / (m * deno));
      if (!Number.isFinite(err)) {
        // NaN/Inf in a stage: shrink hard rather than accept garbage (e.g. a pole just ahead).
        stats.nreject++;
        reject = true;
        h *= 0.1;
        continue;
      }

      const fac11 = err ** (1 / 8);
      const fac = Math.max(FACC2, Math.min(FACC1, fac11 / SAFE));
      let hnew = h / fac;
      if (err <= 1) {
        stats.naccept++;
        f(t + h, ynew, k[STAGES]!); // FSAL: this is k[0] of the next step
        stats.nfev++;
        if (dense) {
          this.denseStages(f, t, h, y, stats);
          dense.push(t, h, y, ynew, k);
        }
        k[0]!.set(k[STAGES]!);
        y.set(ynew);
        t = last ? t1 : t + h;
        options.onStep?.(t, y);
        if (last) break;
        if (options.stop?.(t, y)) {
          stopped = true;
          break;
        }
        if (Math.abs(hnew) > hmax) hnew = dir * hmax;
        if (reject) hnew = dir * Math.min(Math.abs(hnew), Math.abs(h));
        reject = false;
        h = hnew;
      } else {
        stats.nreject++;
        reject = true;
        h = h / Math.min(FACC1, fac11 / SAFE);
      }
    }
    const tEnd = stopped ? t : t1;
    if (dense) dense.finish(tEnd);
    return { t: tEnd, y: Float64Array.from(y), stats, ...(dense ? { dense } : {}) };
  }

  /** Hairer's HINIT: a first step from the sizes of y, f and an estimate of f'. */
  private initialStep(f: OdeRhs, t: number, dir: number, hmax: number, rtol: number, atol: Float64Array, stats: OdeStats, m: number): number {
    const { n, y, k, ytmp } = this;
    const f0 = k[0]!;
    const f1 = k[1]!;
    let dnf = 0;
    let dny = 0;
    for (let i = 0; i < m; i++) {
      const s = atol[i]! + rtol * Math.abs(y[i]!);
      dnf += (f0[i]! / s) ** 2;
      dny += (y[i]! / s) ** 2;
    }
    let h = dnf <= 1e-10 || dny <= 1e-10 ? 1e-6 : Math.sqrt(dny / dnf) * 0.01;
    h = dir * Math.min(h, hmax);
    for (let i = 0; i < n; i++) ytmp[i] = y[i]! + h * f0[i]!;
    f(t + h, ytmp, f1);
    stats.nfev++;
    let der2 = 0;
    for (let i = 0; i < m; i++) {
      const s = atol[i]! + rtol * Math.abs(y[i]!);
      der2 += ((f1[i]! - f0[i]!) / s) ** 2;
    }
    der2 = Math.sqrt(der2) / Math.abs(h);
    const der12 = Math.max(Math.abs(der2), Math.sqrt(dnf));
    const h1 = der12 <= 1e-15 ? Math.max(1e-6, Math.abs(h) * 1e-3) : (0.01 / der12) ** (1 / 8);
    const hh = Math.min(100 * Math.abs(h), h1, hmax);
    return dir * (Number.isFinite(hh) && hh > 0 ? hh : 1e-6);
  }

  /** Stages 13..15, needed only by the interpolant. */
  private denseStages(f: OdeRhs, t: number, h: number, y: Float64Array, stats: OdeStats): void {
    for (let s = 13; s < 16; s++) {
      combine(this.ytmp, y, h, A[s]!, this.k, this.n);
      f(t + C[s]! * h, this.ytmp, this.k[s]!);
    }
    stats.nfev += 3;
  }
}

/** out = y + h Σ a_m k_m over the sparse row. */
function combine(out: Float64Array, y: Float64Array, h: number, row: readonly (readonly [number, number])[], k: Float64Array[], n: number): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let r = 0; r < row.length; r++) {
      const [m, a] = row[r]!;
      s += a * k[m]![i]!;
    }
    out[i] = y[i]! + h * s;
  }
}

/**
 * The piecewise 7th-degree interpolant recorded by `Dop853.solve({ dense: true })`; accurate to about the
 * integration tolerance between the steps.
 *
 * @example
 * ```ts
 * import { DenseSolution, dop853 } from '@holonomic-ntk/hgm-runtime';
 * const dense = dop853((_t, y, dy) => { dy[0] = y[0]!; }, 0, [1], 1, { dense: true }).dense!;
 * dense instanceof DenseSolution; // → true
 * dense.tEnd; // → 1
 * dense.evaluate(0.5)[0]; // ≈ Math.exp(0.5) ± 1e-11
 * dense.evaluate(2); // throws RangeError
 * ```
 */
export class DenseSolution {
  private readonly starts: number[] = [];
  private readonly steps: number[] = [];
  /** Per step: y_old (n values) then the 7 coefficient vectors (7n values). */
  private readonly coeffs: Float64Array[] = [];
  private end: number;

  constructor(
    readonly n: number,
    readonly start: number,
  ) {
    this.end = start;
  }

  /** @internal Records step [t, t+h]; k holds all 16 stages, k[12] = f(t+h, ynew). */
  push(t: number, h: number, y: Float64Array, ynew: Float64Array, k: Float64Array[]): void {
    const n = this.n;
    const c = new Float64Array(8 * n);
    for (let i = 0; i < n; i++) {
      const dy = ynew[i]! - y[i]!;
      const fOld = k[0]![i]!;
      const fNew = k[STAGES]![i]!;
      c[i] = y[i]!;
      c[n + i] = dy;
      c[2 * n + i] = h * fOld - dy;
      c[3 * n + i] = 2 * dy - h * (fNew + fOld);
      for (let r = 0; r < 4; r++) {
        let s = 0;
        const row = D[r]!;
        for (let m = 0; m < 16; m++) s += row[m]! * k[m]![i]!;
        c[(4 + r) * n + i] = h * s;
      }
    }
    this.starts.push(t);
    this.steps.push(h);
    this.coeffs.push(c);
    this.end = t + h;
  }

  /** @internal */
  finish(t1: number): void {
    this.end = t1;
  }

  /** The end of the integrated interval (the start is `start`). */
  get tEnd(): number {
    return this.end;
  }

  /** Number of recorded steps. */
  get stepCount(): number {
    return this.starts.length;
  }

  /** The index of the step containing t (binary search in the direction of integration). */
  private stepOf(t: number): number {
    const dir = this.end >= this.start ? 1 : -1;
    if ((t - this.start) * dir < 0 || (t - this.end) * dir > 0) {
      throw new RangeError(`t = ${t} is outside the integrated interval [${this.start}, ${this.end}]`);
    }
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((t - this.starts[mid]!) * dir >= 0) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * Component i of y(t) alone: what a batch of scalar queries needs (no output vector, no allocation).
   *
   * @example
   * ```ts
   * import { dop853 } from '@holonomic-ntk/hgm-runtime';
   * const { dense } = dop853((_t, y, dy) => { dy[0] = y[0]!; }, 0, [1], 1, { dense: true });
   * dense!.evaluateComponent(0.5, 0); // ≈ Math.exp(0.5) ± 1e-11
   * ```
   */
  evaluateComponent(t: number, i: number): number {
    const k = this.stepOf(t);
    return this.interpolate(k, (t - this.starts[k]!) / this.steps[k]!, i);
  }

  /**
   * Component i at t = base + offset, with the position inside the step computed as ((base − start) + offset)/h:
   * accurate relative to the offset when t lies close to base. The dual-activation path starts at s = 1 (ρ = 0),
   * and 1 − s for small |ρ| is known accurately while s itself is not (E of an odd σ is ∝ ρ there, so the
   * rounding of s would cost ε/|ρ| relative).
   *
   * @example
   * ```ts
   * import { dop853 } from '@holonomic-ntk/hgm-runtime';
   * // y' = 1 from t = 1 down to 0: y(t) = t − 1, so y(1 − 1e-9) = −1e-9, to full relative accuracy.
   * const { dense } = dop853((_t, _y, dy) => { dy[0] = 1; }, 1, [0], 0, { dense: true });
   * dense!.evaluateComponentOffset(1, -1e-9, 0); // ≈ -1e-9 ± 1e-22
   * ```
   */
  evaluateComponentOffset(base: number, offset: number, i: number): number {
    // base + offset may round to just outside the interval (by an ulp of base): clamp for the step search only.
    const lo = Math.min(this.start, this.end);
    const hi = Math.max(this.start, this.end);
    const k = this.stepOf(Math.min(hi, Math.max(lo, base + offset)));
    return this.interpolate(k, (base - this.starts[k]! + offset) / this.steps[k]!, i);
  }

  private interpolate(k: number, x: number, i: number): number {
    const c = this.coeffs[k]!;
    const n = this.n;
    const x1 = 1 - x;
    // CONTD8 nesting, unrolled: c0 + x(c1 + x1(c2 + x(c3 + x1(c4 + x(c5 + x1(c6 + x·c7)))))), x1 = 1 − x.
    let v = c[7 * n + i]! * x;
    v = (v + c[6 * n + i]!) * x1;
    v = (v + c[5 * n + i]!) * x;
    v = (v + c[4 * n + i]!) * x1;
    v = (v + c[3 * n + i]!) * x;
    v = (v + c[2 * n + i]!) * x1;
    v = (v + c[n + i]!) * x;
    return v + c[i]!;
  }

  /**
   * y(t) for t between the start and the end of the integration (RangeError outside).
   *
   * @example
   * ```ts
   * import { dop853 } from '@holonomic-ntk/hgm-runtime';
   * const { dense } = dop853((_t, y, dy) => { dy[0] = y[1]!; dy[1] = -y[0]!; }, 0, [0, 1], 2, { dense: true });
   * const y = dense!.evaluate(1);
   * y[0]; // ≈ Math.sin(1) ± 1e-11
   * y[1]; // ≈ Math.cos(1) ± 1e-11
   * ```
   */
  evaluate(t: number, out: Float64Array = new Float64Array(this.n)): Float64Array {
    const lo = this.stepOf(t);
    const c = this.coeffs[lo]!;
    const x = (t - this.starts[lo]!) / this.steps[lo]!;
    const n = this.n;
    for (let i = 0; i < n; i++) {
      // Horner-like nesting in x and (1 − x), as in Hairer's CONTD8.
      let v = 0;
      for (let r = 6; r >= 0; r--) {
        v += c[(r + 1) * n + i]!;
        v *= (6 - r) % 2 === 0 ? x : 1 - x;
      }
      out[i] = v + c[i]!;
    }
    return out;
  }
}

/**
 * Solves y' = f(t, y), y(t0) = y0 up to t1 with DOP853 (a fresh workspace; reuse a `Dop853` for many solves).
 *
 * @example
 * ```ts
 * import { dop853 } from '@holonomic-ntk/hgm-runtime';
 * dop853((_t, y, dy) => { dy[0] = y[0]!; }, 0, [1], 1, { rtol: 1e-13 }).y[0]; // ≈ Math.E ± 1e-12
 * dop853((_t, y, dy) => { dy[0] = y[0]!; }, 1, [Math.E], 0).y[0]; // ≈ 1 ± 1e-12
 * ```
 */
export function dop853(f: OdeRhs, t0: number, y0: ArrayLike<number>, t1: number, options?: OdeOptions): OdeResult {
  return new Dop853(y0.length).solve(f, t0, y0, t1, options);
}
