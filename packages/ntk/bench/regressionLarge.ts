/**
 * End to end at N = 20 000 (issue 13, item 3): relu NTK of depth 3 (closed form) on N inputs of R¹⁰, 1000 test
 * points; t = ∞ by preconditioned CG and t ∈ {1, 10, 100, 1000} by Lanczos, both on the one N × N kernel array
 * (3.2 GB at N = 20 000; the NNGP arrays are dropped as soon as the kernels are computed). Prints each step's time,
 * iterations, residual and error estimates, and the peak resident memory. No reference exists at this size: the CG
 * residual is recomputed from the solution, and the Lanczos error estimate is the change over its last 8 steps.
 *
 * Run: npm run bench:regression-large -w @holonomic-ntk/ntk   (env BENCH_N, default 20000; BENCH_REG, default 1e-4)
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { gradientDescentMse, type Matrix } from '../src/index.ts';
import { kernelMatrix } from '../src/node.ts';
import { normals, randomInputs } from '../test/helpers.ts';

const n = Number(process.env['BENCH_N'] ?? '20000');
const nTest = Number(process.env['BENCH_NTEST'] ?? '1000');
const relReg = Number(process.env['BENCH_REG'] ?? '1e-4');
const gib = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;
let peak = 0;
const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
const timer = setInterval(sample, 200);
const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);

log(`N = ${n}, ${nTest} test points, ${cpus().length}× ${cpus()[0]?.model}, ${gib(totalmem())}, node ${process.version}, load ${loadavg()[0]!.toFixed(2)}`);
const spec = { depth: 3, activation: 'relu', method: 'closed' as const, wStd: Math.SQRT2, bStd: 0.1 };
const x = randomInputs(n, 10, 1);
const xs = randomInputs(nTest, 10, 2);
const z = normals(3);
const y: Matrix = { rows: n, cols: 1, data: Float64Array.from({ length: n }, () => z()) };

let t0 = performance.now();
let lastPct = -10;
const progress = (what: string) => (p: { entriesDone: number; entries: number }) => {
  const pct = Math.floor((100 * p.entriesDone) / p.entries);
  if (pct >= lastPct + 10) {
    lastPct = pct;
    log(`${what} ${pct}%`);
  }
};
const kTrain = (await kernelMatrix(spec, x, null, { onProgress: progress('K(X, X)') })).ntk!;
lastPct = -10;
const kTest = (await kernelMatrix(spec, xs, x, { onProgress: progress('K(X*, X)') })).ntk!;
sample();
log(`kernels: ${((performance.now() - t0) / 1000).toFixed(1)} s, rss ${gib(process.memoryUsage().rss)}`);

let trace = 0;
for (let i = 0; i < n; i++) trace += kTrain.data[i * n + i]!;
const diagReg = (relReg * trace) / n;
let lastStep = '';
const onProgress = (p: { step: string; done: number; total: number }) => {
  if (p.step !== lastStep) log(`  ${p.step} …`);
  lastStep = p.step;
};
const predict = gradientDescentMse(kTrain, y, { diagReg, diagRegAbsoluteScale: true, solver: 'cg', tol: 1e-8, onProgress });
t0 = performance.now();
const inf = predict({ kTestTrain: kTest });
log(`t = ∞ (cg): ${((performance.now() - t0) / 1000).toFixed(1)} s, ${inf.info?.iterations} iterations, residual ${inf.info?.residual?.toExponential(2)}`);
t0 = performance.now();
const finite = predict({ t: [1, 10, 100, 1000], kTestTrain: kTest });
log(
  `t ∈ {1, 10, 100, 1000} (lanczos): ${((performance.now() - t0) / 1000).toFixed(1)} s, ${finite[0]!.info?.iterations} steps, ` +
    `error estimates ${finite.map((p) => p.info?.errorEstimate?.toExponential(1)).join(', ')} (train, 2-norm), test bounds ${finite.map((p) => p.info?.testErrorBound?.toExponential(1)).join(', ')}`,
);
let sq = 0;
for (let i = 0; i < nTest; i++) sq += (finite[3]!.test!.data[i]! - inf.test!.data[i]!) ** 2;
log(`‖f_1000(X*) − f_∞(X*)‖ = ${Math.sqrt(sq).toExponential(2)}; peak rss ${gib(Math.max(peak, process.memoryUsage().rss))}`);
clearInterval(timer);
