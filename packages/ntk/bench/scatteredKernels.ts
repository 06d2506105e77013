/**
 * Issue 12's benchmark: NTK matrices of inputs that are not normalized, where most pairs (a, b) differ and many have
 * |ρ| near 1, side by side in one run: the HGM (hgm-runtime's scattered batches), the 2-D Gauss–Hermite rule of
 * degree 20 (400 nodes) and the closed form where one exists (gelu; relu as a control).
 *
 * Network: `fullyConnected` depth 3 (dense → (σ → dense) × 3), `ntk` parameterization, σw = 1.5, σb = 0.1, NTK Θ.
 * (A) N = 300 inputs of R² with norms uniform in [0.5, 2]; (B) N = 2000 inputs of R¹⁰ with norms uniform in
 * [0.5, 2]; (C) N = 2000 on the unit sphere of R¹⁰.
 *
 * Errors: max entrywise |K − K_ref|/|K_ref|. For gelu and relu K_ref is the closed form on the whole matrix. ReSin
 * has none, and a whole-matrix reference at rtol 1e-15 by one path per (a, b) would take hours at N = 2000: its
 * column is the max over CHECK entries (i, j) (spread over the matrix, plus diagonal entries) of the entry against
 * nested adaptive quadrature (quadratureDual, ~1e-13 relative) through the same network on the two inputs; the same
 * check is run on the closed forms' references (row "check").
 *
 * Run: npx tsx --conditions=source packages/ntk/bench/scatteredKernels.ts
 *   env CASES=A,B,C  ACTS=resin,gelu,relu  REPS=1 (median of REPS timings)  CHECK=40
 */
import { ACTIVATIONS, type BuiltinActivationName } from '@holonomic-ntk/core';
import { cpus, loadavg } from 'node:os';
import { fullyConnected } from '../src/kernels/stax.ts';
import { gaussHermiteDual } from '../src/duals/gaussHermiteDual.ts';
import { hgmDual } from '../src/duals/hgmDual.ts';
import { quadratureDual } from '../src/duals/quadratureDual.ts';
import { geluDual } from '../src/duals/geluDual.ts';
import { reluDual } from '../src/duals/arcCosine.ts';
import type { DualProvider } from '../src/duals/dualProvider.ts';
import { randomInputs } from '../test/helpers.ts';

const CASES = (process.env.CASES ?? 'A,B,C').split(',');
const ACTS = (process.env.ACTS ?? 'resin,gelu,relu').split(',') as BuiltinActivationName[];
const REPS = Number(process.env.REPS ?? 1);
const CHECK = Number(process.env.CHECK ?? 40);

function ntk(p: DualProvider, x: number[][]): Float64Array {
  return Float64Array.from(fullyConnected({ depth: 3, activation: p, wStd: 1.5, bStd: 0.1, parameterization: 'ntk' }).kernelFn(x, null, 'ntk').data);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function timed(f: () => Float64Array): { value: Float64Array; seconds: number } {
  const times: number[] = [];
  let value: Float64Array = new Float64Array(0);
  for (let r = 0; r < REPS; r++) {
    const t = performance.now();
    value = f();
    times.push((performance.now() - t) / 1000);
  }
  return { value, seconds: median(times) };
}

function maxRel(k: Float64Array, ref: Float64Array): number {
  let m = 0;
  for (let i = 0; i < k.length; i++) m = Math.max(m, Math.abs(k[i]! - ref[i]!) / Math.abs(ref[i]!));
  return m;
}

function inputs(kase: string): number[][] {
  const [n, d, sphere] = kase === 'A' ? [300, 2, false] : kase === 'B' ? [2000, 10, false] : [2000, 10, true];
  return randomInputs(n, d, 12 + kase.charCodeAt(0)).map((v, i) => {
    const r = Math.hypot(...v);
    const norm = sphere ? 1 : 0.5 + 1.5 * ((i * 0.6180339887498949 + 0.1) % 1);
    return v.map((t) => (t / r) * norm);
  });
}

/** Max relative error of K on CHECK spread entries and a few diagonal ones, each against quadrature on its two inputs. */
function checked(x: number[][], K: Float64Array, quad: DualProvider): number {
  const n = x.length;
  let m = 0;
  const pairs: [number, number][] = Array.from({ length: CHECK }, (_, k) => [(k * 7919 + 3) % n, (k * 104729 + 1) % n]);
  pairs.push([0, 0], [n - 1, n - 1]);
  for (const [i, j] of pairs) {
    const k = ntk(quad, i === j ? [x[i]!] : [x[i]!, x[j]!]);
    const q = i === j ? k[0]! : k[1]!;
    m = Math.max(m, Math.abs(K[i * n + j]! - q) / Math.abs(q));
  }
  return m;
}

const fmt = (s: number) => (s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`);
console.log(
  `- date: ${new Date().toISOString()}; ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}; Node ${process.version}; load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log('\n| case | σ | HGM | GH-20 | closed | HGM / GH-20 | HGM error | GH-20 error | check of the reference |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const kase of CASES) {
  const x = inputs(kase);
  for (const act of ACTS) {
    const hgm = hgmDual(act);
    const gh = gaussHermiteDual(ACTIVATIONS[act], 20);
    const closed = act === 'gelu' ? geluDual : act === 'relu' ? reluDual : undefined;
    // Warm-up (JIT, artifact loading) outside the timings.
    ntk(hgm, x.slice(0, 3));
    ntk(gh, x.slice(0, 3));
    const h = timed(() => ntk(hgm, x));
    const g = timed(() => ntk(gh, x));
    const c = closed ? timed(() => ntk(closed, x)) : undefined;
    const quad = quadratureDual(ACTIVATIONS[act]);
    const hErr = c ? maxRel(h.value, c.value) : checked(x, h.value, quad);
    const gErr = c ? maxRel(g.value, c.value) : checked(x, g.value, quad);
    const check = c ? checked(x, c.value, quad) : NaN;
    console.log(
      `| ${kase} (N = ${x.length}, R^${x[0]!.length}) | ${act} | ${fmt(h.seconds)} | ${fmt(g.seconds)} | ${c ? fmt(c.seconds) : '—'} | ${(h.seconds / g.seconds).toFixed(1)}× | ${hErr.toExponential(1)}${c ? '' : ` (${CHECK + 2} entries)`} | ${gErr.toExponential(1)}${c ? '' : ` (${CHECK + 2} entries)`} | ${c ? `closed vs quadrature ${check.toExponential(1)}` : '—'} |`,
    );
  }
}
