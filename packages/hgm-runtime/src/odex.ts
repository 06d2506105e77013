/**
 * A typed wrapper around the `odex` package (ODEX, Gragg–Bulirsch–Stoer extrapolation with order and step-size
 * control), with the same calling convention as our DOP853 (`OdeRhs`, Float64Array state). It is kept as an
 * independent second integrator: agreement of two unrelated methods is a cheap check of an HGM value.
 */
import { IntegrationError } from '@holonomic-ntk/core';
import odex from '#odex';
import type { OdeResult, OdeRhs } from './ode.ts';

// '#odex' is 'odex' (package.json `imports`), typed by odexModule.d.ts (see there why). odex is CommonJS: its default
// import is `module.exports`, in Node's ESM loader and in bundlers alike.
const { Solver, Outcome } = odex;

export interface OdexOptions {
  /** Relative tolerance (default 1e-13). */
  rtol?: number;
  /** Absolute tolerance, scalar or per component (default equal to rtol). */
  atol?: number | ArrayLike<number>;
  /** First trial step (odex's default is 1e-4). */
  initialStep?: number;
  /** Largest step magnitude; default |t1 − t0|. */
  maxStep?: number;
  /** Default 100000 (odex's own default, 10000, is too small for long paths at tight tolerances). */
  maxSteps?: number;
}

/**
 * Solves y' = f(t, y), y(t0) = y0 up to t1 with ODEX. Throws `IntegrationError` if odex stops early.
 *
 * E.g. `solveOdex((t, y, dy) => { dy[0] = y[0]; }, 0, [1], 1, { rtol: 1e-13 }).y[0]` gives ≈ Math.E.
 */
export function solveOdex(f: OdeRhs, t0: number, y0: ArrayLike<number>, t1: number, options: OdexOptions = {}): OdeResult {
  const n = y0.length;
  const rtol = options.rtol ?? 1e-13;
  const atol = options.atol ?? rtol;
  const solver = new Solver(n);
  // odex takes plain arrays (it indexes them 1-based internally and checks Array.isArray).
  solver.relativeTolerance = rtol;
  solver.absoluteTolerance = typeof atol === 'number' ? atol : Array.from(atol);
  solver.maxSteps = options.maxSteps ?? 100_000;
  if (options.initialStep !== undefined) solver.initialStepSize = Math.abs(options.initialStep);
  if (options.maxStep !== undefined) solver.maxStepSize = Math.abs(options.maxStep);
  const y = new Float64Array(n);
  const dy = new Float64Array(n);
  let nfev = 0;
  const derivative = (t: number, yArr: number[]): number[] => {
    nfev++;
    y.set(yArr);
    f(t, y, dy);
    return Array.from(dy);
  };
  const stats = { nfev: 0, naccept: 0, nreject: 0 };
  if (t1 === t0) return { t: t1, y: Float64Array.from(y0), stats };
  const result = solver.solve(derivative, t0, Array.from(y0), t1);
  if (result.outcome !== Outcome.Converged) {
    throw new IntegrationError(`odex stopped before t = ${t1}: ${Outcome[result.outcome]} after ${result.nStep} steps`);
  }
  const out = Float64Array.from(result.y);
  if (!out.every(Number.isFinite)) throw new IntegrationError(`odex returned a non-finite solution at t = ${t1}`);
  return { t: t1, y: out, stats: { nfev, naccept: result.nAccept, nreject: result.nReject } };
}
