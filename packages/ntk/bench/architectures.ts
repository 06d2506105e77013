/**
 * CNN-GAP NTK of handwritten digits (the UCI 8×8 digits vendored in data/digits): conv(16, 3×3, SAME) → σ →
 * conv(16, 3×3, SAME) → σ → globalAvgPool → dense, 'ntk' parameterization, σw = √2, σb = 0.1, pixels/16.
 * Rows: relu (closed form), resin through the HGM (one scattered batch per layer and block), resin through the 2-D
 * Gauss–Hermite rule of degree 20 (neural-tangents' `ElementwiseNumerical` fallback). Every pixel pair of every image
 * pair is an entry (global average pooling after shared-weight convolutions needs them all).
 *
 * Errors: relu HGM against the closed form (same network); resin rows against adaptive quadrature (quadratureDual,
 * ~1e-13) on the first BENCH_REF images (quadrature is ~100× slower per entry), and GH-20 against the HGM on all.
 * Image-size growth: the same network on images upsampled by pixel repetition to 16×16.
 *
 * Run: npx tsx --conditions=source packages/ntk/bench/architectures.ts   (env BENCH_N = images, default 200;
 * BENCH_REF = reference images, default 8; BENCH_SIZES = '8,16'; BENCH_N16 = images at 16×16, default 40;
 * BENCH_HGM_RTOL, BENCH_HGM_TOL = hgm-runtime's rtol and tolerance for the resin HGM; BENCH_LOOSE=0 skips the
 * rtol 3e-14 rerun after a declined grid)
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { gunzipSync } from 'node:zlib';
import type { ScatteredStats } from '@holonomic-ntk/hgm-runtime';
import { hgmDual } from '../src/duals/hgmDual.ts';
import { dualProvider } from '../src/kernels/kernelSpec.ts';
import { reluDual } from '../src/duals/arcCosine.ts';
import type { DualProvider } from '../src/duals/dualProvider.ts';
import { activation, conv, dense, globalAvgPool, serial } from '../src/kernels/stax.ts';

const N = Number(process.env['BENCH_N'] ?? 200);
const NREF = Number(process.env['BENCH_REF'] ?? 8);
const N16 = Number(process.env['BENCH_N16'] ?? 40);
const SIZES = (process.env['BENCH_SIZES'] ?? '8,16').split(',').map(Number);

function digits(n: number): number[][] {
  const text = gunzipSync(readFileSync(new URL('../../../data/digits/digits.csv.gz', import.meta.url))).toString('utf8');
  return text
    .trim()
    .split('\n')
    .slice(0, n)
    .map((line) =>
      line
        .split(',')
        .slice(0, 64)
        .map((v) => Number(v) / 16),
    );
}

/** Nearest-neighbour upsampling of 8×8 images by an integer factor. */
function upsample(x: number[], f: number): number[] {
  const s = 8 * f;
  return Array.from({ length: s * s }, (_, t) => x[Math.floor(Math.floor(t / s) / f) * 8 + Math.floor((t % s) / f)]!);
}

const net = (p: DualProvider) =>
  serial(
    conv(16, [3, 3], { padding: 'SAME', wStd: Math.SQRT2, bStd: 0.1 }),
    activation(p),
    conv(16, [3, 3], { padding: 'SAME', wStd: Math.SQRT2, bStd: 0.1 }),
    activation(p),
    globalAvgPool(),
    dense({ wStd: Math.SQRT2 }),
  );

function timed<T>(f: () => T, label = ''): { value: T; seconds: number } {
  const t = performance.now();
  const value = f();
  const seconds = (performance.now() - t) / 1000;
  if (process.env['BENCH_VERBOSE']) console.error(`${label}: ${seconds.toFixed(2)} s`);
  return { value, seconds };
}

function maxRel(k: Float64Array, ref: Float64Array): number {
  let m = 0;
  for (let i = 0; i < k.length; i++) m = Math.max(m, Math.abs(k[i]! - ref[i]!) / Math.abs(ref[i]!));
  return m;
}

const fmt = (x: number) => x.toExponential(1);
console.log(
  `node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model}), load ${loadavg()
    .map((v) => v.toFixed(1))
    .join(' ')}`,
);
for (const size of SIZES) {
  const f = size / 8;
  const n = size === 8 ? N : N16;
  const xs = digits(Math.max(n, NREF)).map((x) => (f === 1 ? x : upsample(x, f)));
  const x = xs.slice(0, n);
  const shape = [size, size, 1];
  const P = size * size;
  const pairs = (n * (n + 1)) / 2;
  console.log(
    `\n${n} images ${size}×${size}: ${pairs} image pairs × ${P * P} pixel pairs = ${((pairs * P * P) / 1e6).toFixed(1)}M entries per activation layer (one block)`,
  );
  // One block: every activation layer is one batch of all its entries.
  const kernel = (p: DualProvider, imgs: number[][]) => net(p).kernels(imgs, null, { shape, blockEntries: 2 ** 24 }).ntk.data;
  const r = Math.min(NREF, n);
  const sub = (k: Float64Array) => Float64Array.from({ length: r * r }, (_, t) => k[Math.floor(t / r) * n + (t % r)]!);
  // BENCH_REF=0: no quadrature reference (errors against the HGM only).
  const quadRef = r > 0 ? timed(() => kernel(dualProvider('resin', 'quad'), x.slice(0, r)), 'resin quad').value : null;
  const vsQuad = (k: Float64Array) => (quadRef ? `${fmt(maxRel(sub(k), quadRef))} vs quadrature (${r} images)` : 'no quadrature reference');
  console.log('| NTK, CNN-GAP | time (s) | ms per image pair | max relative error of Θ |');
  console.log('| --- | ---: | ---: | --- |');
  const row = (name: string, s: number, err: string) => console.log(`| ${name} | ${s.toFixed(1)} | ${((s / pairs) * 1e3).toFixed(2)} | ${err} |`);
  const relu = timed(() => kernel(reluDual, x), 'relu closed');
  row('relu, closed form', relu.seconds, '—');
  const gh = timed(() => kernel(dualProvider('resin', 'gh:20'), x), 'resin gh20');
  row('resin, Gauss–Hermite 20', gh.seconds, vsQuad(gh.value));
  const stats: ScatteredStats[] = [];
  const rtol = process.env['BENCH_HGM_RTOL'] === undefined ? undefined : Number(process.env['BENCH_HGM_RTOL']);
  const tol = process.env['BENCH_HGM_TOL'] === undefined ? undefined : Number(process.env['BENCH_HGM_TOL']);
  const hgm = timed(() => kernel(recording(rtol, stats, tol), x), 'resin hgm');
  row(
    `resin, HGM (all at once${rtol === undefined ? '' : `, rtol ${rtol}`}${tol === undefined ? '' : `, tolerance ${tol}`})`,
    hgm.seconds,
    `${vsQuad(hgm.value)}; GH-20 is ${fmt(maxRel(gh.value, hgm.value))} off it (all ${n}); grid: ${stats.map((t) => (t.declined ? 'declined' : 'interpolated')).join(', ')}`,
  );
  if (stats.some((t) => t.declined) && process.env['BENCH_LOOSE'] !== '0') {
    const loose = timed(() => kernel(hgmDual('resin', { runtime: { rtol: 3e-14 } }), x), 'resin hgm rtol 3e-14');
    row('resin, HGM, rtol 3e-14 (grid tolerance ×3)', loose.seconds, vsQuad(loose.value));
  }
  const reluHgm = timed(() => kernel(dualProvider('relu', 'hgm'), x), 'relu hgm');
  row('relu, HGM (all at once)', reluHgm.seconds, `${fmt(maxRel(reluHgm.value, relu.value))} vs closed form (all ${n})`);
}

/** The resin HGM, with the scattered-grid statistics of each batch recorded (and printed with BENCH_VERBOSE). */
function recording(rtol: number | undefined, out: ScatteredStats[], tolerance?: number): DualProvider {
  const rt = { ...(rtol === undefined ? {} : { rtol }), ...(tolerance === undefined ? {} : { tolerance }) };
  const base = hgmDual('resin', { runtime: rt });
  const batch = (kind: 'sigmaBatch' | 'dsigmaBatch') => (a: ArrayLike<number>, c: ArrayLike<number>, b: ArrayLike<number>) => {
    const stats = {} as ScatteredStats;
    const t = performance.now();
    const r = hgmDual('resin', { runtime: { ...rt, scatteredStats: stats } })[kind]!(a, c, b);
    out.push(stats);
    if (process.env['BENCH_VERBOSE']) console.error(`  ${kind} of ${a.length}: ${((performance.now() - t) / 1000).toFixed(1)} s, ${JSON.stringify(stats)}`);
    return r;
  };
  return { ...base, sigmaBatch: batch('sigmaBatch'), dsigmaBatch: batch('dsigmaBatch') };
}
