/**
 * NTK classification of the UCI 8×8 digits (data/digits; fixed split: the first 1000 images train, the other 797
 * test; pixels/16; one-hot targets; kernel regression at t = ∞, argmax): a fully connected net (depth 2) on the full
 * split, and a CNN with global average pooling on a subset (BENCH_CNN_TRAIN / BENCH_CNN_TEST images, default 30/30:
 * every pixel pair of every image pair is an entry, 4096 per pair).
 * Activations: relu (closed form); gelu, resin and elu (a formula activation derived by the CAS, shipped in
 * hgm-runtime's catalogue) through the HGM, resin also through Gauss–Hermite 20 (all three with BENCH_GH_ALL=1). Kernel error: max |K − K_HGM|/max|K_HGM|
 * of the NTK (train × train and test × train) against the HGM kernel.
 *
 * Run: npx tsx --conditions=source packages/ntk/bench/digits.ts   (BENCH_CNN=0 skips the CNN)
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { reluDual } from '../src/duals/arcCosine.ts';
import type { DualProvider } from '../src/duals/dualProvider.ts';
import { hgmDual } from '../src/duals/hgmDual.ts';
import { dualProvider } from '../src/kernels/kernelSpec.ts';
import { activation, conv, dense, fullyConnected, globalAvgPool, serial, type Network } from '../src/kernels/stax.ts';
import { gradientDescentMse } from '../src/regression/kernelRegression.ts';
import type { Matrix } from '../src/regression/linearAlgebra.ts';

const rows = gunzipSync(readFileSync(new URL('../../../data/digits/digits.csv.gz', import.meta.url)))
  .toString('utf8')
  .trim()
  .split('\n')
  .map((l) => l.split(',').map(Number));
const X = rows.map((r) => r.slice(0, 64).map((v) => v / 16));
const Y = rows.map((r) => r[64]!);
const oneHot = (ys: number[]) => ys.map((y) => Array.from({ length: 10 }, (_, k) => (k === y ? 1 : 0)));

function evaluate(net: Network, train: number[], test: number[], shape?: number[]) {
  const xtr = train.map((i) => X[i]!);
  const xte = test.map((i) => X[i]!);
  const t0 = performance.now();
  const o = shape ? { shape } : {};
  const ktt = net.kernelFn(xtr, null, 'ntk', o);
  const kst = net.kernelFn(xte, xtr, 'ntk', o);
  const seconds = (performance.now() - t0) / 1000;
  // t = ∞ solves K(train, train) by Cholesky; a kernel that is not positive definite (GH-20's, for resin) gets the
  // smallest ridge 10^k × mean diagonal (k ≥ −3) that makes it so, and the row says so.
  let note = '';
  const targets = oneHot(train.map((i) => Y[i]!));
  let pred: Matrix;
  try {
    pred = gradientDescentMse(ktt, targets, { diagReg: 1e-10 })({ kTestTrain: kst }).test!;
  } catch (e) {
    if (!(e instanceof Error && e.name === 'DomainError')) throw e;
    const first = e.message.replace(/; add diagReg/, '');
    let ridge = 1e-3;
    for (;;) {
      try {
        pred = gradientDescentMse(ktt, targets, { diagReg: ridge })({ kTestTrain: kst }).test!;
        break;
      } catch (e2) {
        if (!(e2 instanceof Error && e2.name === 'DomainError')) throw e2;
        if (ridge >= 1)
          return { seconds, accuracy: Number.NaN, ktt, kst, note: ` (K not positive definite: ${first}; not even with a ridge of 1 × mean diagonal)` };
        ridge *= 10;
      }
    }
    note = ` (K not positive definite: ${first}; solved with a ridge of ${ridge} × mean diagonal)`;
  }
  let correct = 0;
  test.forEach((i, r) => {
    let best = 0;
    for (let k = 1; k < 10; k++) if (pred.data[r * 10 + k]! > pred.data[r * 10 + best]!) best = k;
    if (best === Y[i]) correct++;
  });
  return { seconds, accuracy: correct / test.length, ktt, kst, note };
}

function normwise(a: Matrix[], b: Matrix[]): number {
  let d = 0;
  let s = 0;
  a.forEach((m, t) => {
    for (let i = 0; i < m.data.length; i++) {
      d = Math.max(d, Math.abs(m.data[i]! - b[t]!.data[i]!));
      s = Math.max(s, Math.abs(b[t]!.data[i]!));
    }
  });
  return d / s;
}

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
console.log(
  `node ${process.version}, ${cpus().length} cores, load ${loadavg()
    .map((v) => v.toFixed(1))
    .join(' ')}`,
);
const archs: [string, (p: DualProvider) => Network, number[], number[], number[] | undefined][] = [
  ['FC depth 2', (p) => fullyConnected({ depth: 2, activation: p, wStd: Math.SQRT2, bStd: 0.1 }), range(0, 1000), range(1000, 1797), undefined],
];
if (process.env['BENCH_CNN'] !== '0') {
  const ntr = Number(process.env['BENCH_CNN_TRAIN'] ?? 30);
  const nte = Number(process.env['BENCH_CNN_TEST'] ?? 30);
  archs.push([
    `CNN-GAP (2 conv 3×3 SAME, 16 ch), ${ntr}/${nte} images`,
    (p) =>
      serial(
        conv(16, [3, 3], { padding: 'SAME', wStd: Math.SQRT2, bStd: 0.1 }),
        activation(p),
        conv(16, [3, 3], { padding: 'SAME', wStd: Math.SQRT2, bStd: 0.1 }),
        activation(p),
        globalAvgPool(),
        dense({ wStd: Math.SQRT2 }),
      ),
    range(0, ntr),
    range(1000, 1000 + nte),
    [8, 8, 1],
  ]);
}
for (const [label, make, train, test, shape] of archs) {
  console.log(`\n${label}: ${train.length} train, ${test.length} test`);
  console.log('| activation | method | kernel time (s) | test accuracy | NTK error vs HGM |');
  console.log('| --- | --- | ---: | ---: | ---: |');
  const relu = evaluate(make(reluDual), train, test, shape);
  console.log(`| relu | closed | ${relu.seconds.toFixed(1)} | ${(100 * relu.accuracy).toFixed(1)} %${relu.note} | — |`);
  const acts = label.startsWith('FC') ? (process.env['BENCH_FC_ACTS'] ?? 'gelu,resin,elu').split(',') : ['resin'];
  for (const a of acts) {
    // rtol 3e-14: the scattered grid's tolerance ×3 (BENCHMARKS.md, "CNN-GAP NTK of handwritten digits").
    const h = evaluate(make(hgmDual(a, { runtime: { rtol: 3e-14 } })), train, test, shape);
    console.log(`| ${a} | hgm (rtol 3e-14) | ${h.seconds.toFixed(1)} | ${(100 * h.accuracy).toFixed(1)} %${h.note} | — |`);
    // GH-20 for resin only unless BENCH_GH_ALL=1 (gelu and elu by GH-20 took > 4 min each on the loaded machine).
    if ((a !== 'resin' && process.env['BENCH_GH_ALL'] !== '1') || (label.startsWith('FC') && process.env['BENCH_FC_GH'] === '0')) continue;
    const g = evaluate(make(dualProvider(a, 'gh:20')), train, test, shape);
    console.log(
      `| ${a} | gh:20 | ${g.seconds.toFixed(1)} | ${(100 * g.accuracy).toFixed(1)} % | ${normwise([g.ktt, g.kst], [h.ktt, h.kst]).toExponential(1)} |`,
    );
  }
}
