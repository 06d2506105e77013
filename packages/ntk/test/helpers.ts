import { mulberry32 } from '@holonomic-ntk/core';
import type { Matrix } from '../src/regression/linearAlgebra.ts';

export { dualRefs, type DualRef } from '../../../test/support/dualRefs.ts';

/** Relative error, or absolute error when the reference is exactly 0. */
export const relErr = (x: number, ref: number): number => (ref === 0 ? Math.abs(x) : Math.abs(x - ref) / Math.abs(ref));

/** Deterministic standard normals (mulberry32 + Box–Muller). */
export function normals(seed: number): () => number {
  const u = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

export function randomInputs(n: number, d: number, seed: number): number[][] {
  const z = normals(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => z()));
}

/** Entry (i, j) of a row-major matrix. */
export const at = (m: Matrix, i: number, j: number): number => m.data[i * m.cols + j]!;

export function maxRelMatrix(x: Matrix, y: Matrix): number {
  let m = 0;
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++) m = Math.max(m, relErr(at(x, i, j), at(y, i, j)));
  return m;
}
