/**
 * Kernel regression solvers against SciPy (LAPACK through OpenBLAS) in the same run, on the same matrices: relu NTK
 * of depth 3 (closed form), N training inputs and 200 test inputs from N(0, I) in R¹⁰, one target column, f₀ = 0.
 *
 *  - t = ∞: ours — blocked Cholesky (`solver: 'cholesky'`; WebAssembly SIMD kernels, and with BENCH_SOLVERS
 *    containing cholesky-scalar the same steps on the scalar kernels) and PCG (`'cg'`, tol 1e-10); SciPy —
 *    cho_factor + cho_solve.
 *  - t ∈ {1, 10, 100, 1000} (η = 1): ours — the dense eigen path (`'eigen'`: Householder + QL with recorded
 *    rotations, all four times from one reduction) up to BENCH_EIGEN_MAX, and Lanczos (`'lanczos'`, tol 1e-10, all
 *    four times from one Krylov space); SciPy — eigh, then the four times from V, Λ.
 *  - The difference column: max_i |ours_i − scipy_i| / max_i |scipy_i| over train and test predictions.
 *  - SciPy runs twice: OpenBLAS as installed (2 threads) and with OPENBLAS_NUM_THREADS=1; on this shared, loaded
 *    2-core machine the threaded run is often the slower one (spinning threads), so the table takes the faster.
 *
 * Run: npm run bench:regression -w @holonomic-ntk/ntk (node --experimental-wasm-relaxed-simd --import tsx … for the
 *   FMA kernels on Node 20)
 *   env BENCH_N (default 1000,2000,4000), BENCH_REG (relative diagReg, default 1e-4), BENCH_REPS (median of, default 3
 *   for N ≤ 2000, else 1), BENCH_EIGEN_MAX (default 2000), BENCH_PYTHON (default python3), BENCH_SOLVERS (subset of cholesky, cholesky-scalar, cg, eigen, lanczos, scipy).
 * The SciPy peer (regressionSolvers.py) runs with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from its environment.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fullyConnected, gradientDescentMse, type Matrix, type Predictions } from '../src/index.ts';
import { choleskyInPlace, choleskySolveWith } from '../src/regression/cholesky.ts';
import { multiply } from '../src/regression/linearAlgebra.ts';
import { simdModule } from '../src/regression/wasmSimd.ts';
import { normals, randomInputs } from '../test/helpers.ts';

const here = dirname(fileURLToPath(import.meta.url));
const sizes = (process.env['BENCH_N'] ?? '1000,2000,4000').split(',').map(Number);
const relReg = Number(process.env['BENCH_REG'] ?? '1e-4');
const eigenMax = Number(process.env['BENCH_EIGEN_MAX'] ?? '2000');
const python = process.env['BENCH_PYTHON'] ?? 'python3';
const solvers = new Set((process.env['BENCH_SOLVERS'] ?? 'cholesky,cg,eigen,lanczos,scipy').split(','));
const times = [1, 10, 100, 1000];
const nTest = 200;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const fmt = (s: number | undefined) => (s === undefined ? '—' : s < 10 ? s.toFixed(3) : s.toFixed(1));
function maxRel(ours: Float64Array, ref: Float64Array): number {
  let d = 0;
  let m = 0;
  for (let i = 0; i < ref.length; i++) {
    d = Math.max(d, Math.abs(ours[i]! - ref[i]!));
    m = Math.max(m, Math.abs(ref[i]!));
  }
  return d / m;
}
/** Median wall-clock seconds, and median CPU seconds of this process (less sensitive to the machine's load). */
function timed<T>(reps: number, f: () => T): { value: T; seconds: number; cpu: number } {
  const ts: number[] = [];
  const cs: number[] = [];
  let value: T | undefined;
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    value = f();
    ts.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cs.push((c.user + c.system) / 1e6);
  }
  return { value: value!, seconds: median(ts), cpu: median(cs) };
}
const flat = (ps: Predictions[]) => {
  const parts = ps.flatMap((p) => [p.train.data, p.test!.data]);
  const out = new Float64Array(parts.reduce((s, a) => s + a.length, 0));
  let o = 0;
  for (const a of parts) {
    out.set(a, o);
    o += a.length;
  }
  return out;
};

console.log(
  `# regression solvers — ${new Date().toISOString()}, ${cpus().length}× ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, load ${loadavg()[0]!.toFixed(2)}`,
);
const simd = simdModule();
console.log(`# dense kernels: ${simd ? `WebAssembly SIMD${simd.fma ? ' + relaxed-SIMD FMA' : ' (no FMA)'}` : 'scalar (no WebAssembly SIMD)'}`);
console.log(`# relu NTK depth 3, inputs R^10, ${nTest} test points, diagReg ${relReg} (relative), η = 1, times ${times.join(', ')}`);
const rows: string[] = [];
const net = fullyConnected({ depth: 3, activation: 'relu', wStd: Math.SQRT2, bStd: 0.1 });
for (const n of sizes) {
  const reps = Number(process.env['BENCH_REPS'] ?? (n <= 2000 ? 3 : 1));
  const x = randomInputs(n, 10, 1);
  const xs = randomInputs(nTest, 10, 2);
  const z = normals(3);
  const y = Float64Array.from({ length: n }, () => z());
  const tk = performance.now();
  const k = net.kernelFn(x, null, 'ntk');
  const ks = net.kernelFn(xs, x, 'ntk');
  const kernelSeconds = (performance.now() - tk) / 1000;
  let trace = 0;
  for (let i = 0; i < n; i++) trace += k.data[i * n + i]!;
  const reg = (relReg * trace) / n;
  const yM: Matrix = { rows: n, cols: 1, data: y };
  const opts = { diagReg: reg, diagRegAbsoluteScale: true, tol: 1e-10 };

  // SciPy first, on the same bytes.
  let py: Record<string, number | string> = {};
  let pyInf: Float64Array | undefined;
  let pyT: Float64Array | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'hgm-regbench-'));
  // SciPy's eigh only where a finite-t row of ours is measured (at N = 4000 and above it takes minutes).
  const finiteTimes = (solvers.has('eigen') && n <= eigenMax) || solvers.has('lanczos');
  if (solvers.has('scipy')) {
    writeFileSync(join(dir, 'k.f64'), k.data);
    writeFileSync(join(dir, 'ks.f64'), ks.data);
    writeFileSync(join(dir, 'y.f64'), y);
    const env = { ...process.env };
    delete env['OPENBLAS_CORETYPE'];
    delete env['OPENBLAS_L2_SIZE'];
    const peer = (extra: Record<string, string>) =>
      JSON.parse(
        execFileSync(
          python,
          [join(here, 'regressionSolvers.py'), dir, String(n), String(nTest), String(reg), '1', finiteTimes ? times.join(',') : '', String(reps)],
          {
            env: { ...env, ...extra },
            encoding: 'utf8',
            maxBuffer: 1 << 20,
          },
        )
          .trim()
          .split('\n')
          .pop()!,
      ) as Record<string, number | string>;
    // OpenBLAS as installed (threads = cores), then pinned to one thread like our code; the faster of the two counts.
    // BENCH_SCIPY_THREADED=0 / BENCH_SCIPY_SINGLE=0 skip one of the two (at N = 8000 each eigh takes minutes).
    const single = process.env['BENCH_SCIPY_SINGLE'] === '0' ? undefined : peer({ OPENBLAS_NUM_THREADS: '1' });
    const multi = process.env['BENCH_SCIPY_THREADED'] === '0' && single ? single : peer({});
    py = { ...multi };
    // CPU seconds: the single-threaded run's (the threaded run's CPU time counts its spinning threads).
    py['cho_cpu'] = (single ?? multi)['cho_cpu']!;
    for (const key of ['cho_factor', 'cho_solve+Ks', 'eigh', 'eigh_times']) {
      if (single) py[`${key}/1thread`] = single[key]!;
      if (multi !== single) py[`${key}/threaded`] = multi[key]!;
      if (single && typeof single[key] === 'number') py[key] = Math.min(multi[key] as number, single[key] as number);
    }
    const buf = (f: string) => {
      const b = readFileSync(join(dir, f));
      return new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8);
    };
    pyInf = buf('scipy_inf.f64');
    if (finiteTimes) pyT = buf('scipy_t.f64');
  }
  rmSync(dir, { recursive: true, force: true });

  const line = (what: string, ours: number | undefined, theirs: number | undefined, diff: number | undefined, note = '') => {
    const ratio = ours !== undefined && theirs !== undefined ? `${(ours / theirs).toFixed(1)}×` : '—';
    const row = `| ${n} | ${what} | ${fmt(ours)} | ${fmt(theirs)} | ${ratio} | ${diff === undefined ? '—' : diff.toExponential(1)} | ${note} |`;
    rows.push(row);
    console.log(row);
  };
  console.log(`# N = ${n}: kernel ${kernelSeconds.toFixed(2)} s; SciPy ${JSON.stringify(py)}`);
  const scipyInf = py['cho_factor'] !== undefined ? (py['cho_factor'] as number) + (py['cho_solve+Ks'] as number) : undefined;
  const cpuNote = (ours: number) =>
    py['cho_cpu'] !== undefined ? `; CPU s ${fmt(ours)} vs ${fmt(py['cho_cpu'] as number)} = ${(ours / (py['cho_cpu'] as number)).toFixed(1)}×` : '';
  const scipyT = py['eigh'] !== undefined ? (py['eigh'] as number) + (py['eigh_times'] as number) : undefined;

  if (solvers.has('cholesky')) {
    const r = timed(reps, () => gradientDescentMse(k, yM, { ...opts, solver: 'cholesky' })({ kTestTrain: ks }));
    line('t = ∞, cholesky', r.seconds, scipyInf, pyInf && maxRel(r.value.test!.data, pyInf), `SciPy: cho_factor + cho_solve${cpuNote(r.cpu)}`);
  }
  if (solvers.has('cholesky-scalar')) {
    // The same steps as gradientDescentMse's t = ∞ path (shifted copy, factor, solve, test product) with the
    // scalar TypeScript kernels forced: what the SIMD kernels replaced, in the same process.
    const r = timed(reps, () => {
      const a = Float64Array.from(k.data);
      for (let i = 0; i < n; i++) a[i * n + i] = a[i * n + i]! + reg;
      choleskyInPlace(a, n, { kernels: 'scalar' });
      const alpha = choleskySolveWith(a, n, y, 1);
      return multiply(ks, { rows: n, cols: 1, data: alpha }).data;
    });
    line('t = ∞, cholesky, scalar kernels', r.seconds, scipyInf, pyInf && maxRel(r.value, pyInf), `before the SIMD kernels${cpuNote(r.cpu)}`);
  }
  if (solvers.has('cg')) {
    const r = timed(reps, () => gradientDescentMse(k, yM, { ...opts, solver: 'cg' })({ kTestTrain: ks }));
    line(
      't = ∞, cg',
      r.seconds,
      scipyInf,
      pyInf && maxRel(r.value.test!.data, pyInf),
      `${r.value.info?.iterations} iterations, residual ${r.value.info?.residual?.toExponential(1)}${cpuNote(r.cpu)}`,
    );
  }
  if (solvers.has('eigen') && n <= eigenMax) {
    const r = timed(Math.min(reps, n <= 1000 ? 3 : 1), () => gradientDescentMse(k, yM, { ...opts, solver: 'eigen' })({ t: times, kTestTrain: ks }));
    line('t ∈ {1,10,100,1000}, eigen', r.seconds, scipyT, pyT && maxRel(flat(r.value), pyT), 'SciPy: eigh + 4 times');
  }
  if (solvers.has('lanczos')) {
    const r = timed(reps, () => gradientDescentMse(k, yM, { ...opts, solver: 'lanczos' })({ t: times, kTestTrain: ks }));
    const its = r.value.map((p) => p.info?.iterations)[0];
    const est = Math.max(...r.value.map((p) => p.info?.errorEstimate ?? 0));
    line('t ∈ {1,10,100,1000}, lanczos', r.seconds, scipyT, pyT && maxRel(flat(r.value), pyT), `${its} steps, error estimate ≤ ${est.toExponential(1)}`);
  }
}
console.log('\n| N | step | ours (s) | SciPy (s) | ratio | max rel. diff | note |\n|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
