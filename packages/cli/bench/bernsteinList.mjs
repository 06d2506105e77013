#!/usr/bin/env node
// Issue 16's benchmark: the Bernstein–Sato polynomial b_f and the annihilator Ann_{D[s]} f^s of a dozen standard
// polynomials (packages/restriction/bench/bernsteinList.ts lists them), ours beside Singular 4.3 (bfct and
// bernsteinBM for b_f, Sannfs for Ann f^s; tools/peers/singular/bernstein_of.sing) and Macaulay2 (globalBFunction,
// AnnFs; tools/peers/m2/bernstein_of.m2) in the same run. Every time is the wall clock of the step inside its
// system (peers: rtimer / elapsedTiming; ours: performance.now() around the call, warm process), median of N runs.
//
//   node packages/cli/bench/bernsteinList.mjs [N]       all three systems, N runs each (default 3), Markdown table
//   node packages/cli/bench/bernsteinList.mjs table     the table of what the state file holds
//
// Environment: PEER_TIMEOUT (s per peer process, default 60), BERNSTEIN_ONLY (comma-separated ids), OURS_N (runs of
// ours, default N; ours are cheap, and on a shared machine more runs steady the median), SKIP_PEERS=1 (keep the
// peers' numbers of the state file),
// BERNSTEIN_STATE (JSON file the measurements are merged into, default $TMPDIR/hgm-bernsteinList.json; the table
// is printed from it, so an interrupted run keeps what it measured).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const PEER_TIMEOUT = Number(process.env.PEER_TIMEOUT ?? 60);
const STATE = process.env.BERNSTEIN_STATE ?? join(tmpdir(), 'hgm-bernsteinList.json');
const state = existsSync(STATE) ? JSON.parse(readFileSync(STATE, 'utf8')) : { ours: {}, singular: {}, m2: {}, meta: {} };
const save = () => writeFileSync(STATE, `${JSON.stringify(state, null, 1)}\n`);
const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? undefined : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

// The list, read from the TypeScript bench (one source of truth), without importing TypeScript here.
const listSource = readFileSync(join(root, 'packages/restriction/bench/bernsteinList.ts'), 'utf8');
const LIST = [...listSource.matchAll(/\{ id: '([^']+)', f: '([^']+)', vars: \[([^\]]+)\]/g)].map((m) => ({
  id: m[1],
  f: m[2],
  vars: m[3].split(',').map((v) => v.trim().replace(/'/g, '')),
}));
const ONLY = process.env.BERNSTEIN_ONLY?.split(',');
const CASES = ONLY ? LIST.filter((c) => ONLY.includes(c.id)) : LIST;
const TABLE_ONLY = process.argv[2] === 'table';
const N = TABLE_ONLY ? (state.meta.N ?? 0) : Number(process.argv[2] ?? 3);
if (!TABLE_ONLY) {
  const load = loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  const now = new Date().toISOString();
  state.meta = process.env.SKIP_PEERS
    ? { ...state.meta, oursDate: now, oursLoad: load, oursN: Number(process.env.OURS_N ?? N) }
    : { date: now, N, load, oursDate: now, oursLoad: load, oursN: Number(process.env.OURS_N ?? N), node: process.version };
}

function peer(cmd, args, c) {
  const p = spawnSync(cmd, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, HGM_F: c.f, HGM_VARS: c.vars.join(',') },
    timeout: PEER_TIMEOUT * 1000,
    killSignal: 'SIGKILL',
    maxBuffer: 1 << 26,
  });
  const out = p.stdout ?? '';
  const steps = {};
  for (const m of out.matchAll(/STEP (\S+) (ms|s) ([\d.e-]+)/g)) steps[m[1]] = Number(m[3]) * (m[2] === 's' ? 1000 : 1);
  return { status: p.status === 0 ? 'ok' : p.signal ? 'timeout' : 'error', steps, out };
}

for (const c of process.env.SKIP_PEERS || TABLE_ONLY ? [] : CASES) {
  for (const [name, cmd, args] of [
    ['singular', 'Singular', ['-q', '--no-warn', 'tools/peers/singular/bernstein_of.sing']],
    ['m2', 'M2', ['--script', 'tools/peers/m2/bernstein_of.m2']],
  ]) {
    const runs = [];
    for (let k = 0; k < N; k++) {
      const r = peer(cmd, args, c);
      runs.push({ status: r.status, steps: r.steps });
      process.stderr.write(`${name} ${c.id} run ${k + 1}: ${r.status} ${JSON.stringify(r.steps)}\n`);
      if (k === 0) runs.output = r.out;
      if (r.status === 'timeout') break; // a timeout repeats: do not wait N times (the steps it finished are kept)
    }
    state[name][c.id] = { runs, output: (runs.output ?? '').slice(0, 4000) };
    save();
  }
}
if (!TABLE_ONLY) {
  const p = spawnSync('npx', ['tsx', '--conditions=source', 'packages/restriction/bench/bernsteinList.ts', String(process.env.OURS_N ?? N)], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, BERNSTEIN_ONLY: CASES.map((c) => c.id).join(',') },
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 26,
  });
  for (const line of p.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const r = JSON.parse(line);
    state.ours[r.id] = r;
  }
  save();
}

// ---------- table ----------
const fmt = (ms) => (ms === undefined ? '–' : ms < 10 ? ms.toFixed(1) : ms.toFixed(0));
const withMin = (ms, runs) => (ms === undefined ? '–' : `${fmt(ms)} (${fmt(Math.min(...runs))})`);
const stepMedian = (sys, id, step) => {
  const e = state[sys][id];
  if (!e) return undefined;
  return median(e.runs.filter((r) => r.steps[step] !== undefined).map((r) => r.steps[step]));
};
const lines = [
  '| f | ours b_f (min) | Singular bfct | Singular bernsteinBM | M2 globalBFunction | ratio b_f (ours / fastest peer) | ours annFs (min) | Singular Sannfs | M2 AnnFs | ratio annFs |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];
for (const c of LIST) {
  const o = state.ours[c.id];
  const ob = o?.bMs ?? undefined;
  const oa = o?.annMs ?? undefined;
  const sb = stepMedian('singular', c.id, 'bfct');
  const sbm = stepMedian('singular', c.id, 'bernsteinBM');
  const mb = stepMedian('m2', c.id, 'globalBFunction');
  const sa = stepMedian('singular', c.id, 'Sannfs');
  const ma = stepMedian('m2', c.id, 'AnnFs');
  const best = (xs) => {
    const v = xs.filter((x) => x !== undefined);
    return v.length ? Math.min(...v) : undefined;
  };
  const rb = ob !== undefined && best([sb, sbm, mb]) ? (ob / best([sb, sbm, mb])).toFixed(2) : '–';
  const ra = oa !== undefined && best([sa, ma]) ? (oa / best([sa, ma])).toFixed(2) : '–';
  lines.push(
    `| \`${c.f}\` | ${withMin(ob, o?.bRuns ?? [])} | ${fmt(sb)} | ${fmt(sbm)} | ${fmt(mb)} | ${rb} | ${withMin(oa, o?.annRuns ?? [])} | ${fmt(sa)} | ${fmt(ma)} | ${ra} |`,
  );
}
console.log(
  `Milliseconds, median of ${N} peer runs (${state.meta.date}, load ${state.meta.load}) and of ${state.meta.oursN} runs of ours (${state.meta.oursDate}, load ${state.meta.oursLoad}); – = not measured or timed out (${PEER_TIMEOUT} s).\n`,
);
console.log(lines.join('\n'));
