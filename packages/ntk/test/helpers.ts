import { mulberry32 } from '@holonomic-ntk/core';

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

export function maxRelMatrix(x: number[][], y: number[][]): number {
  let m = 0;
  x.forEach((row, i) => row.forEach((v, j) => (m = Math.max(m, relErr(v, y[i][j])))));
  return m;
}
