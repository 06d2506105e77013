#!/usr/bin/env node
// Start-up benchmark of the installed-style `hgm` (the built JavaScript) and of importing the libraries, in fresh
// processes: median and quartiles of N runs each (default 15), beside `node -e 0` as the floor of any Node process.
//   node packages/cli/bench/startup.mjs [N]          (after `npm run build`)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const n = Number(process.argv[2] ?? 15);
const bin = 'packages/cli/bin/hgm.js';
const cases = [
  ['node -e 0 (floor)', ['-e', '0']],
  ['hgm --help', [bin, '--help']],
  ['hgm dual relu --cov 1,0.5,2', [bin, 'dual', 'relu', '--cov', '1,0.5,2']],
  ["import('@holonomic-ntk/core')", ['-e', "await import('@holonomic-ntk/core')", '--input-type=module']],
  ["import('@holonomic-ntk/hgm-runtime')", ['-e', "await import('@holonomic-ntk/hgm-runtime')", '--input-type=module']],
  ["import('@holonomic-ntk/ntk')", ['-e', "await import('@holonomic-ntk/ntk')", '--input-type=module']],
  ["import('@holonomic-ntk/restriction')", ['-e', "await import('@holonomic-ntk/restriction')", '--input-type=module']],
];
const quantile = (xs, q) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))];
console.log(`| command | median (ms) | q1–q3 (ms) |\n| --- | ---: | ---: |`);
for (const [label, args] of cases) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`${label} exited ${r.status}: ${r.stderr}`);
  }
  times.sort((a, b) => a - b);
  console.log(`| \`${label}\` | ${quantile(times, 0.5).toFixed(0)} | ${quantile(times, 0.25).toFixed(0)}–${quantile(times, 0.75).toFixed(0)} |`);
}
