/**
 * `npm run bench -w @holonomic-ntk/hgm-runtime`: timings of one HGM evaluation of the rank-2 Heaviside-step
 * system (fixture test/fixtures/step.artifact.json), printed as a Markdown table. Progress goes to stderr.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import {
  ACTIVATIONS,
  compilePfaffian,
  dualActivation,
  momentVector,
  parseRationalExpression,
  PFAFFIAN_VARIABLES,
  readArtifact,
  type SigmaSpec,
} from '../src/index.ts';

const artifact = readArtifact(readFileSync(new URL('../test/fixtures/step.artifact.json', import.meta.url), 'utf8'));
const step = ACTIVATIONS.step.sigma;

interface Case {
  name: string;
  run: (i: number) => void;
}

/** Median time of one call in µs, over batches of `inner` calls (timer resolution) for at least `minMs`. */
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

/** A fresh spec object has an empty moment cache: "cold" evaluations pay for the quadrature. */
const fresh = (): SigmaSpec => ({ sigma: step.sigma, kinks: step.kinks, support: step.support! });
const P = compilePfaffian(PFAFFIAN_VARIABLES.map((v) => artifact.systems[0]!.pfaffian[v].map((r) => r.map((e) => parseRationalExpression(e)))));
const out = new Float64Array(12);

const cases: Case[] = [];
for (const rho of [0.5, -0.9, 0.99, 0.9999]) {
  const c = rho * Math.sqrt(2 * 3);
  cases.push({ name: `E[YY], ρ = ${rho}, moments cached, DOP853`, run: () => dualActivation(artifact, step, 2, c, 3) });
  cases.push({ name: `E[YY], ρ = ${rho}, moments cached, odex`, run: () => dualActivation(artifact, step, 2, c, 3, { solver: 'odex' }) });
}
cases.push({ name: 'E[YY], ρ = 0.5, cold (2 moment quadratures + DOP853)', run: () => dualActivation(artifact, fresh(), 2, 0.5 * Math.sqrt(6), 3) });
cases.push({ name: 'moments m_0, m_1 of the step at one a (tanh-sinh)', run: () => momentVector(fresh(), -0.7, 1) });
cases.push({ name: 'compiled P11, P12, P22 (12 entries) at one point', run: (i) => P(-1, 0.3 + i * 1e-9, -2, out) });

const rows = cases.map((c) => {
  process.stderr.write(`bench: ${c.name} ...\n`);
  const us = median(c.run, c.name.includes('compiled') ? 100_000 : 200);
  return `| ${c.name} | ${us < 1 ? us.toFixed(3) : us.toFixed(1)} µs |`;
});
console.log(`## hgm-runtime (node ${process.version}, ${cpus()[0]?.model ?? 'cpu'})\n`);
console.log('| case | median per call |\n| --- | --- |');
console.log(rows.join('\n'));
