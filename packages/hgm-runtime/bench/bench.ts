/**
 * `npm run bench -w @holonomic-ntk/hgm-runtime` (or `npx tsx packages/hgm-runtime/bench/bench.ts`): timings and
 * accuracy of the dual activation E[Y(u)Y(v)] of the Heaviside step (fixture test/fixtures/step.artifact.json)
 * against the closed form (π − arccos ρ)/(2π), printed as Markdown. Progress goes to stderr.
 *
 * `BENCH_N` (default 10^6) is the number of ρ values for the throughput rows.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import {
  ACTIVATIONS,
  compilePfaffian,
  diffOfProducts,
  dualActivation,
  dualActivationBatch,
  dualActivationCurve,
  evaluateSystem,
  gaussHermiteExpectation,
  momentVector,
  parseRationalExpression,
  PFAFFIAN_VARIABLES,
  readArtifact,
  type SigmaSpec,
} from '../src/index.ts';

const artifact = readArtifact(readFileSync(new URL('../test/fixtures/step.artifact.json', import.meta.url), 'utf8'));
const step = ACTIVATIONS.step.sigma;
const Y = step.sigma;

/** Closed form with full relative accuracy near |ρ| = 1 (atan2 of τ from the exact Δ). */
function closed(a: number, c: number, b: number): number {
  const tau = Math.sqrt(Math.max(0, diffOfProducts(a, b, c, c)) / a / b);
  const rho = c / (Math.sqrt(a) * Math.sqrt(b));
  return rho < 0 ? Math.atan2(tau, -rho) / (2 * Math.PI) : (Math.PI - Math.atan2(tau, rho)) / (2 * Math.PI);
}
const err = (E: number, ref: number) => (ref === 0 ? Math.abs(E) : Math.abs(E - ref) / Math.abs(ref));

/** Median time of one call in µs, over batches of `inner` calls, for at least `minMs`. */
function median(run: (i: number) => void, inner: number, minMs = 400): number {
  for (let i = 0; i < inner; i++) run(i); // warm-up: JIT
  const samples: number[] = [];
  const start = performance.now();
  let k = 0;
  while (performance.now() - start < minMs || samples.length < 15) {
    const t0 = performance.now();
    for (let i = 0; i < inner; i++) run(k++);
    samples.push(((performance.now() - t0) / inner) * 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1]!;
}
const fmt = (us: number) => (us < 1 ? us.toFixed(3) : us < 100 ? us.toFixed(1) : us.toFixed(0));

// ---- 1. Single-point latency -------------------------------------------------------------------------------
const latency: string[] = [];
const fresh = (): SigmaSpec => ({ sigma: step.sigma, kinks: step.kinks, support: step.support! });
const old = (a: number, c: number, b: number) => {
  // The previous method: F⃗ along x12 at fixed (x11, x22), then E = √(det x)/π·F.
  const d = diffOfProducts(a, b, c, c);
  const x11 = -b / (2 * d);
  const x12 = c / (2 * d);
  const x22 = -a / (2 * d);
  return (Math.sqrt(diffOfProducts(x11, x22, x12, x12)) / Math.PI) * evaluateSystem(artifact, 0, 'sigma', x11, x12, x22, { sigma: step })[0]!;
};
// a = 2, b = 8: √(ab) = 4 exactly, so ρ = ±1 is exactly the boundary.
const [A, B] = [2, 8];
for (const rho of [0.5, 0.99, -0.9, -0.99, 1 - 1e-9, -(1 - 1e-9), 1, -1]) {
  const c = rho * 4;
  const e = err(dualActivation(artifact, step, A, c, B), closed(A, c, B));
  process.stderr.write(`bench: single ρ = ${rho}\n`);
  const us = median(() => dualActivation(artifact, step, A, c, B), Math.abs(rho) > 0.98 ? 5 : 50);
  let oldCell = '—';
  if (Math.abs(rho) < 1) {
    try {
      const eo = err(old(A, c, B), closed(A, c, B));
      oldCell = `${fmt(median(() => old(A, c, B), 20))} µs (err ${eo.toExponential(1)})`;
    } catch (e) {
      oldCell = `fails: ${(e as Error).message.slice(0, 60)}…`;
    }
  }
  latency.push(`| ρ = ${rho} | ${fmt(us)} µs | ${e.toExponential(1)} | ${oldCell} |`);
}
const coldUs = median(() => dualActivation(artifact, fresh(), A, 2, B), 20);
const momUs = median(() => momentVector(fresh(), -0.7, 1), 200);
const P = compilePfaffian(PFAFFIAN_VARIABLES.map((v) => artifact.systems[0]!.pfaffian[v].map((r) => r.map((e) => parseRationalExpression(e)))));
const out = new Float64Array(12);
const pUs = median((i) => P(-1, 0.3 + i * 1e-9, -2, out), 100_000);

// ---- 2. Throughput: N values of ρ at a = b = 1 ---------------------------------------------------------------
const N = Number(process.env.BENCH_N ?? 1e6);
const rhos = Float64Array.from({ length: N }, (_, i) => -1 + (2 * i) / (N - 1));
const refs = Float64Array.from(rhos, (r) => closed(1, r, 1));
const maxErr = (E: ArrayLike<number>, idx?: ArrayLike<number>) => {
  let w = 0;
  let wa = 0;
  for (let k = 0; k < E.length; k++) {
    const ref = refs[idx ? idx[k]! : k]!;
    w = Math.max(w, err(E[k]!, ref));
    wa = Math.max(wa, Math.abs(E[k]! - ref));
  }
  return `${w.toExponential(1)} | ${wa.toExponential(1)}`;
};
const throughput: string[] = [];
const timeIt = (name: string, count: number, run: () => ArrayLike<number>, idx?: ArrayLike<number>) => {
  process.stderr.write(`bench: ${name}\n`);
  let best = Infinity;
  let E: ArrayLike<number> = [];
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    E = run();
    best = Math.min(best, performance.now() - t0);
  }
  throughput.push(`| ${name} | ${count.toExponential(0)} | ${best.toFixed(0)} ms | ${((count / best) * 1000).toExponential(2)} /s | ${maxErr(E, idx)} |`);
};
timeIt(`dualActivationCurve (one (a, b), Float64Array of c)`, N, () => dualActivationCurve(artifact, step, 1, 1, rhos));
const items = Array.from(rhos, (c) => ({ a: 1, c, b: 1 }));
timeIt(`dualActivationBatch (array of {a, c, b})`, N, () => dualActivationBatch(artifact, step, items));
// Peers on subsets (they are slower): every k-th ρ.
const subset = (k: number) => Int32Array.from({ length: Math.ceil(N / k) }, (_, i) => i * k);
const s1 = subset(Math.max(1, Math.round(N / 10_000)));
timeIt(`dualActivation one at a time (${s1.length} of the ρ)`, s1.length, () => Float64Array.from(s1, (i) => dualActivation(artifact, step, 1, rhos[i]!, 1)), s1);
const s20 = subset(Math.max(1, Math.round(N / 100_000)));
timeIt(`2-D Gauss–Hermite, 20×20 nodes (${s20.length} of the ρ)`, s20.length, () => Float64Array.from(s20, (i) => gaussHermiteExpectation(Y, Y, 1, rhos[i]!, 1, 20)), s20);
const s100 = subset(Math.max(1, Math.round(N / 10_000)));
timeIt(`2-D Gauss–Hermite, 100×100 nodes (${s100.length} of the ρ)`, s100.length, () => Float64Array.from(s100, (i) => gaussHermiteExpectation(Y, Y, 1, rhos[i]!, 1, 100)), s100);

console.log(`## hgm-runtime benchmark\n`);
console.log(`- machine: ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at start of printing`);
console.log(`- node ${process.version}, ${new Date().toISOString()}`);
console.log(`- command: \`npx tsx packages/hgm-runtime/bench/bench.ts\` (BENCH_N = ${N})\n`);
console.log(`### Single point E[Y(u)Y(v)], a = 2, b = 8 (moments cached; median per call)\n`);
console.log('| ρ | dualActivation | rel. error | previous method (x12 path in x-space) |\n| --- | --- | --- | --- |');
console.log(latency.join('\n'));
console.log(`\ncold (new σ object: 2 moment quadratures + path): ${fmt(coldUs)} µs; moments m_0, m_1 (tanh-sinh): ${fmt(momUs)} µs; compiled P11, P12, P22: ${fmt(pUs)} µs\n`);
console.log(`### Throughput, ρ uniform on [−1, 1] (endpoints included), a = b = 1; best of 3\n`);
console.log('| method | values | time | rate | max rel. error | max abs. error |\n| --- | --- | --- | --- | --- | --- |');
console.log(throughput.join('\n'));
