/**
 * Time per evaluation and max error of the dual providers against the closed forms, as a Markdown table.
 * Run: npx tsx packages/ntk/bench/duals.ts
 * Grid: the 40 covariances of test/fixtures/dual_refs.json (ρ from −0.99999 to 1, a, b from 0.1 to 7).
 * Error = |value − closed form| / √(E[σ(u)²]E[σ(v)²]) (Cauchy–Schwarz scale; relative error is meaningless
 * where the dual is ≈ 0, e.g. ReLU near ρ = −1).
 */
import { ACTIVATIONS } from '@holonomic-ntk/core';
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLOSED_FORM_DUALS } from '../src/duals/closedForms.ts';
import type { DualProvider } from '../src/duals/dualProvider.ts';
import { gaussHermiteDual } from '../src/duals/gaussHermiteDual.ts';

const here = dirname(fileURLToPath(import.meta.url));
const refs = JSON.parse(readFileSync(join(here, '../../../test/fixtures/dual_refs.json'), 'utf8')) as {
  activation: string;
  kind: string;
  a: number;
  b: number;
  c: number;
}[];
const grid = refs.filter((r) => r.activation === 'relu' && r.kind === 'sigma').map((r) => [r.a, r.c, r.b] as const);

function time(p: DualProvider, kind: 'sigma' | 'dsigma'): number {
  const f = kind === 'sigma' ? p.sigma : p.dsigma;
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    let sink = 0;
    for (let r = 0; r < reps; r++) for (const [a, c, b] of grid) sink += f(a, c, b);
    const dt = performance.now() - t0;
    if (dt > 200 || reps > 1e6) return (dt * 1e6) / (reps * grid.length) + 0 * sink; // ns per evaluation
    reps *= 4;
  }
}

function maxError(p: DualProvider, ref: DualProvider, kind: 'sigma' | 'dsigma'): number {
  let worst = 0;
  for (const [a, c, b] of grid) {
    const f = kind === 'sigma' ? p.sigma : p.dsigma;
    const g = kind === 'sigma' ? ref.sigma : ref.dsigma;
    const scale = Math.sqrt(g(a, a, a) * g(b, b, b));
    worst = Math.max(worst, Math.abs(f(a, c, b) - g(a, c, b)) / scale);
  }
  return worst;
}

const rows: string[] = [];
for (const act of ['relu', 'erf', 'gelu'] as const) {
  const cf = CLOSED_FORM_DUALS[act]!;
  const providers: DualProvider[] = [cf, gaussHermiteDual(ACTIVATIONS[act], 20), gaussHermiteDual(ACTIVATIONS[act], 100)];
  for (const p of providers) {
    for (const kind of ['sigma', 'dsigma'] as const) {
      const ns = time(p, kind);
      const err = p === cf ? '0 (reference)' : maxError(p, cf, kind).toExponential(2);
      rows.push(`| ${act} | ${kind} | ${p.name} | ${ns < 1e4 ? ns.toFixed(0) + ' ns' : (ns / 1e3).toFixed(1) + ' µs'} | ${err} |`);
    }
  }
}

const cpus = os.cpus();
console.log(`## Dual activations: time per evaluation and max error vs closed form

- date: ${new Date().toISOString()}
- machine: ${cpus[0]?.model ?? 'unknown'} × ${cpus.length}, ${os.platform()} ${os.release()}, Node ${process.version}
- command: \`npx tsx packages/ntk/bench/duals.ts\`
- grid: ${grid.length} covariances of test/fixtures/dual_refs.json; error on the scale √(E[σ(u)²]E[σ(v)²])

| activation | kind | provider | time / evaluation | max error |
| --- | --- | --- | --- | --- |
${rows.join('\n')}`);
