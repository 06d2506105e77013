/**
 * NTK matrices of a depth-3 ReSin network (σ = Y(u) sin u): the HGM "all at once" against the 2-D Gauss–Hermite
 * rule of degree 20 ([ST24]'s baseline), both timed in this thread (one core) on the same inputs, and both
 * measured against one high-accuracy reference.
 *
 * Network: the [Arora19]/[ST24] convention as neural-tangents layers (aroraAsStax): Σ⁰ = x·x′, c_σ = 1/E[σ(z)²]
 * (ReSin 4.62607…), L = 3 hidden layers, NTK Θ.
 * Case 1: N = 1000 inputs uniform on the unit sphere of R^10 (all variances equal ⇒ one HGM path per layer,
 *         dual and sign of c).
 * Case 2: N = 300 inputs of R^10 with random norms |x| ∈ [0.5, 2] (every pair (a, b) differs ⇒ one path per entry).
 *
 * Case 2 is served by hgm-runtime's scattered-batch grid (node paths on a Chebyshev grid in (√a, √b, θ),
 * packages/hgm-runtime/ACCURACY.md §7); BENCH_GROUPS=1 adds the one-path-per-(a, b) row for comparison.
 *
 * Reference (no closed form exists for ReSin): the HGM at tight tolerance (rtol 1e-15, atolFactor 1e-3), one path
 * per (a, b), on the whole matrix, cross-checked on a subset of entries against nested adaptive quadrature (quadratureDual,
 * ~1e-13 relative) through the same network on the two inputs of each entry; the table reports that check.
 * Errors are max over entries of |K − K_ref| / |K_ref|.
 *
 * Run: npm run bench:kernels -w @holonomic-ntk/ntk   (env BENCH_N1, BENCH_N2 to change the sizes)
 */
import { ACTIVATIONS } from '@holonomic-ntk/core';
import { cpus, loadavg, totalmem } from 'node:os';
import { aroraAsStax } from '../src/kernels/aroraConvention.ts';
import { gaussHermiteDual } from '../src/duals/gaussHermiteDual.ts';
import { hgmDual } from '../src/duals/hgmDual.ts';
import { quadratureDual } from '../src/duals/quadratureDual.ts';
import type { DualProvider } from '../src/duals/dualProvider.ts';
import { randomInputs } from '../test/helpers.ts';

const D = 10;
const DEPTH = 3;
const quad = quadratureDual(ACTIVATIONS.resin);
const C_SIGMA = 1 / quad.sigma(1, 1, 1);

function ntk(p: DualProvider, x: number[][]): Float64Array {
  return aroraAsStax(D, DEPTH, p, C_SIGMA).kernelState(x, null, true).ntk!;
}

function timed<T>(f: () => T): { value: T; seconds: number } {
  const t = performance.now();
  const value = f();
  return { value, seconds: (performance.now() - t) / 1000 };
}

function maxRel(k: Float64Array, ref: Float64Array): number {
  let m = 0;
  for (let i = 0; i < k.length; i++) m = Math.max(m, Math.abs(k[i]! - ref[i]!) / Math.abs(ref[i]!));
  return m;
}

/** max |K − K_ref| / max |K_ref|: the error in units of the matrix's scale. */
function normwise(k: Float64Array, ref: Float64Array): number {
  let d = 0;
  let s = 0;
  for (let i = 0; i < k.length; i++) {
    d = Math.max(d, Math.abs(k[i]! - ref[i]!));
    s = Math.max(s, Math.abs(ref[i]!));
  }
  return d / s;
}

/** Entries (i, j) of the reference checked against quadrature, each through the 2-input network. */
function crossCheck(x: number[][], ref: Float64Array, pairs: [number, number][]): number {
  const n = x.length;
  let m = 0;
  for (const [i, j] of pairs) {
    const k = ntk(quad, i === j ? [x[i]!] : [x[i]!, x[j]!]);
    const q = i === j ? k[0]! : k[1]!;
    m = Math.max(m, Math.abs(ref[i * n + j]! - q) / Math.abs(q));
  }
  return m;
}

interface Row {
  label: string;
  n: number;
  method: string;
  seconds: number;
  error: number;
  normError: number;
}

function runCase(label: string, x: number[][], checkPairs: number): { rows: Row[]; check: number; refSeconds: number } {
  const n = x.length;
  // One path per (a, b) (scattered: 'never'): the reference must not share the Chebyshev grid of the timed runs.
  const tight = hgmDual('resin', { runtime: { rtol: 1e-15, atolFactor: 1e-3, scattered: 'never' } });
  const ref = timed(() => ntk(tight, x));
  const pairs: [number, number][] = Array.from({ length: checkPairs }, (_, k) => [(k * 7919) % n, (k * 104729 + 1) % n]);
  pairs.push([0, 0]);
  const check = crossCheck(x, ref.value, pairs);
  const rows: Row[] = [];
  // Warm-up on a few points so neither method pays for JIT compilation or loading the artifact in its timing.
  ntk(hgmDual('resin'), x.slice(0, 4));
  ntk(gaussHermiteDual(ACTIVATIONS.resin, 20), x.slice(0, 4));
  for (const [method, p] of [
    ['HGM all at once', hgmDual('resin')],
    ['HGM all at once, rtol 1e-11', hgmDual('resin', { runtime: { rtol: 1e-11 } })],
    ...(process.env.BENCH_GROUPS ? [['HGM all at once, one path per (a, b)', hgmDual('resin', { runtime: { scattered: 'never' } })] as const] : []),
    ['Gauss–Hermite 20 (400 nodes)', gaussHermiteDual(ACTIVATIONS.resin, 20)],
  ] as const) {
    const r = timed(() => ntk(p, x));
    rows.push({ label, n, method, seconds: r.seconds, error: maxRel(r.value, ref.value), normError: normwise(r.value, ref.value) });
  }
  return { rows, check, refSeconds: ref.seconds };
}

const n1 = Number(process.env.BENCH_N1 ?? 1000);
const n2 = Number(process.env.BENCH_N2 ?? 300);
const sphere = randomInputs(n1, D, 2026).map((v) => {
  const r = Math.hypot(...v);
  return v.map((t) => t / r);
});
const u = randomInputs(n2, D, 7);
const free = u.map((v, i) => {
  const r = Math.hypot(...v);
  const norm = 0.5 + 1.5 * ((i * 0.6180339887498949) % 1);
  return v.map((t) => (t / r) * norm);
});

const start = new Date().toISOString();
const c1 = runCase(`N = ${n1}, unit sphere`, sphere, 40);
const c2 = runCase(`N = ${n2}, norms in [0.5, 2]`, free, 40);

const fmt = (s: number) => (s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`);
console.log('### NTK matrix, ReSin, depth 3 ([Arora19] convention), one thread\n');
console.log(`- date: ${start}`);
console.log(
  `- machine: ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log('- command: `npm run bench:kernels -w @holonomic-ntk/ntk`');
console.log(
  `- inputs: R^${D}; reference = HGM at rtol 1e-15; cross-check of the reference against adaptive quadrature on 41 entries: ${c1.check.toExponential(1)} (case 1), ${c2.check.toExponential(1)} (case 2)\n`,
);
console.log('| inputs | method | time | max entrywise rel. error | max abs. error / max abs(K) | time / GH-20 | error / GH-20 |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const c of [c1, c2]) {
  const gh = c.rows.find((r) => r.method.startsWith('Gauss'))!;
  for (const r of c.rows) {
    console.log(
      `| ${r.label} | ${r.method} | ${fmt(r.seconds)} | ${r.error.toExponential(2)} | ${r.normError.toExponential(2)} | ${(r.seconds / gh.seconds).toFixed(2)}× | ${(r.error / gh.error).toExponential(1)} |`,
    );
  }
  console.log(`| ${c.rows[0]!.label} | (reference: HGM rtol 1e-15) | ${fmt(c.refSeconds)} | — | — | — | — |`);
}
