#!/usr/bin/env node
// What loading a built-in artifact costs in a fresh process, split into its parts (issue 11: the covariance chart
// computed by the compiler and stored, so loading is parsing only). Runs the built JavaScript (`npm run build` first),
// one plain `node` process per sample, no loader hooks:
//
//   node packages/hgm-runtime/bench/chartLoad.mjs [runs] [--baseline DIR]
//
// With `--baseline DIR` (another built checkout with its own node_modules) the same child runs there too, alternately
// with this checkout, so both see the same machine load; each cell then reads "baseline → this". Medians of `runs`
// (default 11) processes per artifact, in ms:
//
// - JSON.parse of the file text; validate: `validateArtifact` (parses every entry; checks a stored chart's form);
// - chart: `covarianceChart(system)` for every system: parsed from the artifact when it stores the chart, else
//   computed with exact BigInt algebra;
// - first dual: the first `dualActivation` per integrand at (a, c, b) = (1, 0.5, 1), after the chart (moments,
//   Pfaffian compilation, the ODE);
// - load + first dual: from reading the file to the first values, in the process (the sum of the above and the rest);
// - process: wall time of the whole child process (Node start-up and imports included), what `hgm dual` would see.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const FILES = { step: 'step', relu: 'relu', 'rectpow:2': 'rectpow2', phi: 'phi', erf: 'erf', resin: 'resin', gelu: 'gelu' };

/** The child: one artifact, timed with performance.now() around each call; prints one JSON line. */
const CHILD = `
const [root, file] = process.argv.slice(1);
const t0 = performance.now();
const { readFileSync } = await import('node:fs');
const { INTEGRANDS, findSystem, validateArtifact } = await import('@holonomic-ntk/core');
const { artifactFunctions, dualActivation } = await import('@holonomic-ntk/hgm-runtime');
const { covarianceChart } = await import(root + '/packages/hgm-runtime/dist/src/covarianceChart.js');
const imports = performance.now() - t0;
const start = performance.now();
const text = readFileSync(root + '/packages/hgm-runtime/artifacts/' + file + '.artifact.json', 'utf8');
let t = performance.now();
const json = JSON.parse(text);
const parse = performance.now() - t;
t = performance.now();
const artifact = validateArtifact(json);
const validate = performance.now() - t;
const chart = artifact.systems.map((s) => { const t1 = performance.now(); covarianceChart(s); return performance.now() - t1; });
const fns = artifactFunctions(artifact);
t = performance.now();
for (const integrand of INTEGRANDS) if (findSystem(artifact, integrand) >= 0) dualActivation(artifact, fns, 1, 0.5, 1, { integrand });
const dual = performance.now() - t;
const total = performance.now() - start;
process.stdout.write(JSON.stringify({ imports, parse, validate, chart, dual, total, bytes: Buffer.byteLength(text) }));
`;

function sample(root, name) {
  const t0 = performance.now();
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', CHILD, root, FILES[name]], { cwd: root, encoding: 'utf8' });
  return { ...JSON.parse(out), process: performance.now() - t0 };
}

const median = (xs) => {
  const s = xs.slice().sort((x, y) => x - y);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

const args = process.argv.slice(2);
const at = args.indexOf('--baseline');
const baseline = at >= 0 ? resolve(args.splice(at, 2)[1]) : undefined;
const runs = Number(args[0] ?? 11);
const here = fileURLToPath(new URL('../../..', import.meta.url));
const roots = baseline === undefined ? [here] : [baseline, here];
const f = (x) => x.toFixed(x < 10 ? 2 : x < 100 ? 1 : 0);
const cell = (samples, pick) => samples.map((ss) => f(median(ss.map(pick)))).join(' → ');
const chartTotal = (s) => s.chart.reduce((x, y) => x + y, 0);

console.log('| artifact | bytes | JSON.parse | validate | chart per system | chart total | first dual | load + first dual | process |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const name of Object.keys(FILES)) {
  const samples = roots.map(() => []);
  for (let k = 0; k < runs; k++) roots.forEach((root, r) => samples[r].push(sample(root, name)));
  const perSystem = samples[0][0].chart.map((_, i) => cell(samples, (s) => s.chart[i])).join(' ; ');
  console.log(
    `| ${name} | ${samples.map((ss) => ss[0].bytes).join(' → ')} | ${cell(samples, (s) => s.parse)} | ${cell(samples, (s) => s.validate)} | ${perSystem} | ${cell(samples, chartTotal)} | ${cell(samples, (s) => s.dual)} | ${cell(samples, (s) => s.total)} | ${cell(samples, (s) => s.process)} |`,
  );
}
