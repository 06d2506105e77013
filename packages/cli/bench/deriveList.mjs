#!/usr/bin/env node
// Issue 11's derive benchmark: every activation of the list, derived by `hgm derive --expr F --rederive --no-cache
// --json` in a fresh process (cold: process start, module loading, JIT warm-up and the derivation), wall clock,
// median of N runs; the per-step breakdown of packages/restriction/bench/activationList.ts names the slowest step;
// Singular and Macaulay2 run the restriction step (b-function + restriction ideal) on the same I1 ideals,
// tools/peers/singular/restriction_of.sing and tools/peers/m2/restriction_of.m2, one process per system.
//
//   npm run build                                             (ours runs the built JavaScript, dist/)
//   node packages/cli/bench/deriveList.mjs ours [N]           cold `hgm derive`, N runs each (default 3)
//   node packages/cli/bench/deriveList.mjs steps [pieces|whole]   activationList.ts per step (default pieces)
//   node packages/cli/bench/deriveList.mjs peers [pieces|whole]   Singular + Macaulay2 restriction step
//   node packages/cli/bench/deriveList.mjs table              the Markdown table of what was measured
//
// Every measurement is merged into a state file ($DERIVE_LIST_STATE, default $TMPDIR/hgm-deriveList.json), so the
// parts run one at a time (the machine has 2 shared cores) and an interrupted run resumes where it stopped.
// Environment: DERIVE_LIST_ONLY (comma-separated ids, in the order to run), PEER_TIMEOUT (s per peer run, default
// 60), PEER_BUDGET (s for one `peers` call; what is left is reported as not run), OURS_TIMEOUT
// (s per hgm run, default 120), ACT_TIMEOUT (passed to activationList.ts, default 60), DERIVE_LIST_SOURCE=1 (run
// `hgm` with `node --conditions=source`, the TypeScript sources through tsx, instead of dist/).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FORMULA_ACTIVATIONS } from '@holonomic-ntk/core';
import { activationAnnihilator, activationPieces } from '@holonomic-ntk/restriction';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const STATE = process.env.DERIVE_LIST_STATE ?? join(tmpdir(), 'hgm-deriveList.json');
const PEER_TIMEOUT = Number(process.env.PEER_TIMEOUT ?? 60);
const OURS_TIMEOUT = Number(process.env.OURS_TIMEOUT ?? 120);

/** id of packages/restriction/bench/activationList.ts for each catalogue name (same activation; SELU there has λ = 21/20, α = 5/3, same operators). */
const STEP_IDS = {
  elu: 'elu',
  selu: 'selu',
  'leaky-relu': 'leaky',
  abs: 'abs',
  'step-shifted': 'step1',
  recos: 'Ycos',
  resin2: 'Ysin2',
  'rect-uexp': 'Yuexp',
  gauss: 'gauss',
  ugauss: 'ugauss',
  gabor: 'gabor',
  'sin-relu': 'sinrelu',
  'rect-erf': 'erfY',
  cube: 'u3',
  hermite2: 'u2m1',
};
/** The catalogue (core's FORMULA_ACTIVATIONS) and the list's activations outside it. */
const ALL_ACTS = [
  ...Object.entries(FORMULA_ACTIVATIONS).map(([id, formula]) => ({ id, formula, steps: STEP_IDS[id] })),
  { id: 'sin', formula: 'sin(u)', steps: 'sin' },
  { id: 'cos', formula: 'cos(u)', steps: 'cos' },
  { id: 'relu3', formula: 'u^3*heaviside(u)', steps: 'relu3' },
  { id: 'rectpow2', formula: 'heaviside(u)*u^2', steps: 'Yu2' },
];
/** DERIVE_LIST_ONLY selects activations and sets their order (e.g. the cheap ones first under PEER_BUDGET). */
const ONLY = process.env.DERIVE_LIST_ONLY?.split(',');
const ACTS = ONLY ? ONLY.map((id) => ALL_ACTS.find((a) => a.id === id)).filter((a) => a !== undefined) : ALL_ACTS;

const STEPS = ['annihilator', 'transfer', 'weightGB', 'bfunction', 'restriction', 'groebner', 'pfaffian'];

const load = () => (existsSync(STATE) ? JSON.parse(readFileSync(STATE, 'utf8')) : { ours: {}, steps: {}, peers: {}, meta: {} });
const state = load();
const save = () => writeFileSync(STATE, `${JSON.stringify(state, null, 1)}\n`);
const la = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? undefined : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

// ---------- ours: cold `hgm derive` ----------
function ours(n) {
  const bin = join(root, 'packages/cli/bin/hgm.js');
  const nodeArgs = process.env.DERIVE_LIST_SOURCE ? ['--conditions=source'] : [];
  state.meta.ours = {
    mode: process.env.DERIVE_LIST_SOURCE ? 'node --conditions=source (tsx, TypeScript sources)' : 'node (built dist/)',
    node: process.version,
  };
  for (const a of ACTS) {
    const runs = [];
    for (let k = 0; k < n; k++) {
      const cache = mkdtempSync(join(tmpdir(), 'hgm-cache-'));
      const before = la();
      const t0 = performance.now();
      const p = spawnSync(process.execPath, [...nodeArgs, bin, 'derive', '--expr', a.formula, '--rederive', '--no-cache', '--json'], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, HGM_CACHE_DIR: cache },
        timeout: OURS_TIMEOUT * 1000,
        killSignal: 'SIGKILL',
        maxBuffer: 1 << 28,
      });
      const wall = (performance.now() - t0) / 1000;
      rmSync(cache, { recursive: true, force: true });
      const run = { wall, load: before, status: p.status === 0 ? 'ok' : p.signal ? 'timeout' : 'error', derived: /hgm derive: σ = /.test(p.stderr ?? '') };
      if (run.status === 'ok') {
        const art = JSON.parse(p.stdout);
        run.systems = art.systems.map((s) => ({ integrands: s.integrands, pair: s.pair ?? null, rank: s.rank }));
      } else run.message = (p.stderr ?? '').trim().split('\n').slice(-2).join(' / ').slice(0, 300);
      runs.push(run);
      process.stderr.write(`ours ${a.id} run ${k + 1}: ${run.status} ${wall.toFixed(2)} s (load ${before})${run.derived ? '' : ' NOT DERIVED'}\n`);
    }
    state.ours[a.id] = runs;
    save();
  }
}

// ---------- per-step breakdown (activationList.ts) ----------
function steps(route) {
  const ids = ACTS.map((a) => a.steps).join(',');
  const before = la();
  const p = spawnSync('npx', ['tsx', '--conditions=source', 'packages/restriction/bench/activationList.ts'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ACT_ROUTE: route, ACT_ONLY: ids, ACT_JOBS: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 28,
  });
  const rows = {};
  for (const line of p.stdout.split('\n')) {
    const c = line.split('|').map((s) => s.trim());
    if (c.length < 16 || c[1] === 'activation' || c[1].startsWith('---')) continue;
    const st = {};
    STEPS.forEach((s, i) => {
      if (c[6 + i] !== '') st[s] = Number(c[6 + i]);
    });
    rows[`${c[1]}/${c[2]}`] = { operator: c[3].replace(/`/g, ''), status: c[4], total: Number(c[5]), steps: st, where: c[13], rank: c[14], b: c[15] };
  }
  state.steps[route] = { load: before, rows, markdown: p.stdout };
  save();
  process.stdout.write(p.stdout);
}

// ---------- peers ----------
/** The systems of an activation on a route: [{ integrand, P, Q }] (P for u, Q for v). */
function systemsOf(a, route) {
  const out = [];
  if (route === 'whole') {
    const ann = activationAnnihilator({ formula: a.formula });
    out.push({ integrand: 'sigma', P: ann.text, Q: ann.text });
    if (ann.dsigma.text.replace(/\s+/g, '') !== '1') out.push({ integrand: 'dsigma', P: ann.dsigma.text, Q: ann.dsigma.text });
  } else {
    for (const integrand of ['sigma', 'dsigma']) {
      const ps = activationPieces(a.formula, integrand);
      for (let i = 0; i < ps.length; i++) for (let j = i; j < ps.length; j++) out.push({ integrand, P: ps[i].text, Q: ps[j].text });
    }
  }
  return out;
}

function runPeer(peer, P, Q) {
  const [cmd, args, unit] =
    peer === 'singular'
      ? ['Singular', ['-q', '--no-warn', 'tools/peers/singular/restriction_of.sing'], 1000]
      : ['M2', ['--script', 'tools/peers/m2/restriction_of.m2'], 1];
  const before = la();
  const t0 = performance.now();
  const p = spawnSync(cmd, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, HGM_P: P, HGM_Q: Q },
    timeout: PEER_TIMEOUT * 1000,
    killSignal: 'SIGKILL',
    maxBuffer: 1 << 28,
  });
  const wall = (performance.now() - t0) / 1000;
  const out = `${p.stdout ?? ''}`;
  const m = /STEP restriction m?s\s*,?\s*\n?\s*([0-9.]+)/.exec(out);
  const nres = /NRES\s*,?\s*\n?\s*(\d+)/.exec(out)?.[1];
  if (p.error?.code === 'ETIMEDOUT' || p.signal) return { status: 'timeout', wall, load: before };
  if (!m || !nres) return { status: 'error', wall, load: before, message: `${out}\n${p.stderr ?? ''}`.trim().split('\n').slice(-4).join(' / ').slice(0, 400) };
  return { status: 'ok', seconds: Number(m[1]) / unit, wall, load: before, nres: Number(nres) };
}

function peers(route) {
  const budget = Number(process.env.PEER_BUDGET ?? Number.POSITIVE_INFINITY);
  const start = performance.now();
  for (const a of ACTS) {
    for (const s of systemsOf(a, route)) {
      for (const peer of ['singular', 'm2']) {
        state.peers[peer] ??= {};
        const key = `${s.P} | ${s.Q}`;
        if (state.peers[peer][key]) continue;
        if ((performance.now() - start) / 1000 > budget) {
          process.stderr.write(`PEER_BUDGET of ${budget} s spent: ${peer} ${a.id} ${s.integrand} [${key}] not run\n`);
          continue;
        }
        const r = runPeer(peer, s.P, s.Q);
        state.peers[peer][key] = r;
        save();
        process.stderr.write(
          `${peer} ${a.id} ${s.integrand} [${key}]: ${r.status} ${r.seconds?.toFixed(3) ?? ''} (wall ${r.wall.toFixed(1)} s, load ${r.load})${r.message ? ` ${r.message}` : ''}\n`,
        );
      }
    }
  }
}

// ---------- table ----------
const fmt = (x) => (x === undefined ? '—' : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3));

/** Sum of a peer's restriction seconds over the systems of a route: a number, or '> T s' / 'error' / undefined (not run). */
function peerSum(peer, a, route) {
  let sum = 0;
  const bad = [];
  for (const s of systemsOf(a, route)) {
    const r = state.peers[peer]?.[`${s.P} | ${s.Q}`];
    if (!r) return undefined;
    if (r.status === 'ok') sum += r.seconds;
    else bad.push(r.status);
  }
  if (bad.includes('timeout')) return `> ${PEER_TIMEOUT} s`;
  if (bad.length) return 'error';
  return sum;
}

/** Our restriction step (weight GB + b-function + restriction, given b) summed over σ and σ̇ on a route. */
function oursRestriction(a, route) {
  const rows = state.steps[route]?.rows;
  if (!rows) return undefined;
  let sum = 0;
  for (const integrand of ['sigma', 'dsigma']) {
    const r = rows[`${a.steps}/${integrand}`];
    if (!r) return undefined;
    if (r.status === 'none') continue;
    if (r.status !== 'ok') return r.status === 'timeout' ? `> ${process.env.ACT_TIMEOUT ?? 60} s` : r.status;
    sum += (r.steps.weightGB ?? 0) + (r.steps.bfunction ?? 0) + (r.steps.restriction ?? 0);
  }
  return sum;
}

function slowest(a, route) {
  const rows = state.steps[route]?.rows;
  if (!rows) return '—';
  const acc = {};
  const notes = [];
  for (const integrand of ['sigma', 'dsigma']) {
    const r = rows[`${a.steps}/${integrand}`];
    if (!r) return '—';
    if (r.status !== 'ok' && r.status !== 'none') notes.push(`${integrand} ${r.status} in ${r.where}`);
    for (const [k, v] of Object.entries(r.steps)) acc[k] = (acc[k] ?? 0) + v;
  }
  const total = Object.values(acc).reduce((x, y) => x + y, 0);
  const [k, v] = Object.entries(acc).sort((x, y) => y[1] - x[1])[0] ?? ['—', 0];
  return notes.length ? notes.join('; ') : `${k} ${v.toFixed(2)} s of ${total.toFixed(2)}`;
}

function table() {
  const lines = [];
  const ratios = { singular: [], m2: [] };
  lines.push(
    '| activation | σ | systems (pieces) | ours cold wall s, median (min–max) | slowest step (σ + σ̇, pieces) | ours restriction step s (pieces) | Singular (pieces) | Macaulay2 (pieces) | ours restriction step s (whole σ) | Singular (whole σ) | Macaulay2 (whole σ) |',
  );
  lines.push(`|${' --- |'.repeat(11)}`);
  const colds = [];
  for (const a of ACTS) {
    const runs = state.ours[a.id] ?? [];
    const ok = runs.filter((r) => r.status === 'ok');
    const walls = ok.map((r) => r.wall);
    const med = median(walls);
    if (med !== undefined) colds.push(med);
    const sys = ok[0]?.systems ?? [];
    const pieces = (which) => activationPieces(a.formula, which).length;
    const shared = sys.filter((s) => s.integrands.length > 1).length;
    const sysText = ok.length
      ? `${sys.length}${shared ? ` (${shared} shared by σ, σ̇)` : ''}: σ ${pieces('sigma')} pcs, σ̇ ${pieces('dsigma')} pcs; ranks ${sys.map((s) => s.rank).join(',')}`
      : '—';
    const cold =
      med === undefined ? (runs.length ? runs.map((r) => r.status).join(',') : '—') : `${fmt(med)} (${fmt(Math.min(...walls))}–${fmt(Math.max(...walls))})`;
    const cells = [];
    for (const route of ['pieces', 'whole']) {
      const ours = oursRestriction(a, route);
      cells.push(typeof ours === 'number' ? fmt(ours) : (ours ?? '—'));
      for (const peer of ['singular', 'm2']) {
        const p = peerSum(peer, a, route);
        if (typeof p === 'number' && typeof ours === 'number') {
          cells.push(`${fmt(p)} (${(p / ours).toFixed(1)}×)`);
          if (route === 'pieces') ratios[peer].push(p / ours);
        } else cells.push(typeof p === 'number' ? fmt(p) : (p ?? '—'));
      }
    }
    lines.push(`| ${a.id} | \`${a.formula}\` | ${sysText} | ${cold} | ${slowest(a, 'pieces')} | ${cells.join(' | ')} |`);
  }
  lines.push('');
  lines.push(
    `- ours cold wall, median over the activations: ${fmt(median(colds))} s; max ${fmt(Math.max(...colds))} s; sum ${fmt(colds.reduce((x, y) => x + y, 0))} s`,
  );
  for (const peer of ['singular', 'm2'])
    lines.push(
      `- ${peer} / ours restriction step (pieces), median over the activations where both finished: ${ratios[peer].length ? median(ratios[peer]).toFixed(1) : '—'}× (${ratios[peer].length} activations)`,
    );
  lines.push(
    `- ours: ${state.meta.ours?.mode ?? '?'}, ${state.meta.ours?.node ?? ''}; steps pieces load ${state.steps.pieces?.load ?? '—'}, whole load ${state.steps.whole?.load ?? '—'}`,
  );
  console.log(lines.join('\n'));
}

// ---------- per-system peer table (for the record) ----------
function peerSystems() {
  const seen = new Set();
  console.log('| P (u) | Q (v) | activations | Singular s | Macaulay2 s |');
  console.log('| --- | --- | --- | --- | --- |');
  const users = {};
  for (const route of ['pieces', 'whole'])
    for (const a of ACTS)
      for (const s of systemsOf(a, route)) {
        const key = `${s.P} | ${s.Q}`;
        (users[key] ??= new Set()).add(`${a.id} ${s.integrand === 'sigma' ? 'σ' : 'σ̇'} (${route})`);
      }
  const cell = (r) =>
    !r ? '—' : r.status === 'ok' ? `${fmt(r.seconds)} (${r.nres} gens)` : r.status === 'timeout' ? `> ${PEER_TIMEOUT} s` : `error: ${r.message}`;
  for (const key of Object.keys(users)) {
    if (seen.has(key)) continue;
    seen.add(key);
    const [P, Q] = key.split(' | ');
    console.log(`| \`${P}\` | \`${Q}\` | ${[...users[key]].join(', ')} | ${cell(state.peers.singular?.[key])} | ${cell(state.peers.m2?.[key])} |`);
  }
}

const [mode = 'table', arg] = process.argv.slice(2);
if (mode === 'ours') ours(Number(arg ?? 3));
else if (mode === 'steps') steps(arg ?? 'pieces');
else if (mode === 'peers') peers(arg ?? 'pieces');
else if (mode === 'systems') peerSystems();
else table();
