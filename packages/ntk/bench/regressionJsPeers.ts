/**
 * Our dense solvers beside ml-matrix (the most used JS matrix library; a JAMA port) on the same SPD matrices: Cholesky
 * and the symmetric eigen-decomposition (values and vectors), one thread, medians of BENCH_REPS (default 3).
 * ml-matrix is not a dependency: install it anywhere (`npm i ml-matrix@6.15.1` in a scratch directory) and point
 * ML_MATRIX at its entry file. (@stdlib/lapack 0.2.1, the other LAPACK-named package, has no dpotrf or dsyev.)
 *
 * Run: ML_MATRIX=/tmp/peerjs/node_modules/ml-matrix/matrix.mjs npx tsx --conditions=source bench/regressionJsPeers.ts
 *   env BENCH_N (default 500,1000,2000)
 */
import { choleskyInPlace } from '../src/regression/cholesky.ts';
import { symmetricEigenDense } from '../src/regression/symmetricEigen.ts';
import { normals } from '../test/helpers.ts';

const ml = await import(process.env['ML_MATRIX'] ?? 'ml-matrix');
const sizes = (process.env['BENCH_N'] ?? '500,1000,2000').split(',').map(Number);
const reps = Number(process.env['BENCH_REPS'] ?? '3');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const time = (f: () => void, r = reps) => {
  const ts: number[] = [];
  for (let i = 0; i < r; i++) {
    const t0 = performance.now();
    f();
    ts.push((performance.now() - t0) / 1000);
  }
  return median(ts);
};
console.log('| N | step | ours (s) | ml-matrix (s) | ratio |\n|---|---|---|---|---|');
for (const n of sizes) {
  const z = normals(n);
  const b = Float64Array.from({ length: n * 10 }, () => z());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = i === j ? 1 : 0;
      for (let k = 0; k < 10; k++) s += b[i * 10 + k]! * b[j * 10 + k]!;
      a[i * n + j] = s + Math.exp(-Math.abs(i - j) / 10);
    }
  const rows = Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, (i + 1) * n)));
  const oursC = time(() => choleskyInPlace(Float64Array.from(a), n));
  const theirsC = time(() => new ml.CholeskyDecomposition(new ml.Matrix(rows)));
  console.log(`| ${n} | Cholesky | ${oursC.toFixed(3)} | ${theirsC.toFixed(3)} | ${(theirsC / oursC).toFixed(1)}× faster |`);
  if (n <= 1000) {
    const oursE = time(() => symmetricEigenDense(a, n), 1);
    const theirsE = time(() => new ml.EigenvalueDecomposition(new ml.Matrix(rows), { assumeSymmetric: true }), 1);
    console.log(`| ${n} | eigen (values + vectors) | ${oursE.toFixed(3)} | ${theirsE.toFixed(3)} | ${(theirsE / oursE).toFixed(1)}× faster |`);
  }
}
