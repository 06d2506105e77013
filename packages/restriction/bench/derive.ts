/**
 * `npx tsx packages/restriction/bench/derive.ts` (from the repository root): `hgm derive` end to end (the dual-activation
 * compiler, src/compiler) step by step for relu, resin (u(∂²+1), rank 5; u²(∂²+1), rank 8) and gelu (σ, σ̇), beside
 * Singular (dmodapp.lib / bfun.lib / ratgb.lib) and Macaulay2 (Dmodules) on the same I1 ideals, in one run.
 *
 * Steps (ours): transfer (I1 = ι(P(u)), ι(P(v)), heat equations) · b-function (weight GB for (−w, w) + minimal
 * polynomial) · restriction ideal given b (module + POT module GB + ideal) · GB over Q(x)⟨∂⟩ (all ∂-orders tried) ·
 * Pfaffian (normal forms, singular locus, exact integrability) · artifact (buildArtifact + validateArtifact).
 * Peers, timed inside the peer: Singular bfctIdeal, restrictionIdeal (recomputes its b-function), ratstd, Pfaffian
 * normal forms (fraction-free, in the interpreter); Macaulay2 bFunction (Strategy => NonGeneric), DrestrictionIdeal
 * (bFunction reinstalled with NonGeneric; the default strategy hangs on ReSin). The peer scripts are generated from
 * our normally ordered I1 text into packages/restriction/bench/peers/ and run with a timeout.
 *
 * Warm runs are adaptive: a step that takes milliseconds is still inside JIT warm-up after a handful of runs (tens
 * of runs when the optimizing compiler's background thread competes for a busy machine), so each row repeats the
 * derivation until DERIVE_WARM_SECONDS (default 2) have been spent, at least DERIVE_MIN_RUNS (default 3) and at
 * most DERIVE_RUNS (default 200) times, and reports the per-step median of the LAST HALF of those runs (the first
 * half is warm-up). The first call in the process (cold: JIT, lazy setup) is reported separately.
 *
 * Environment: DERIVE_RUNS (most warm runs, default 200), DERIVE_MIN_RUNS, DERIVE_WARM_SECONDS, DERIVE_SLOW_RUNS
 * (warm runs for gelu, a fixed count, default 0: one gelu derivation takes many seconds), DERIVE_SINGULAR_TIMEOUT /
 * DERIVE_M2_TIMEOUT (seconds per system, default 180 / 120), DERIVE_ONLY (comma-separated row ids), DERIVE_NO_M2.
 * Progress goes to stderr, the Markdown table to stdout.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateArtifact, type Integrand } from '@holonomic-ntk/core';
import { type Poly, type Rational, operatorToText } from '@holonomic-ntk/weyl-algebra';
import { bFunction } from '../src/bFunction.ts';
import { restrictionIdeal } from '../src/restrictionIdeal.ts';
import { buildArtifact } from '../src/compiler/artifact.ts';
import { dualSystem } from '../src/compiler/dualSystem.ts';
import { DUAL_ALGEBRA, dualIntegralIdeal, parseActivationOperator } from '../src/compiler/transferRule.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const PEERS = join(HERE, 'peers');
const env = (k: string, d: number) => Number(process.env[k] ?? d);
const RUNS = env('DERIVE_RUNS', 200);
const MIN_RUNS = Math.min(env('DERIVE_MIN_RUNS', 3), RUNS);
const WARM_SECONDS = env('DERIVE_WARM_SECONDS', 2);
const SLOW_RUNS = env('DERIVE_SLOW_RUNS', 0);
const SING_TIMEOUT = env('DERIVE_SINGULAR_TIMEOUT', 180);
const M2_TIMEOUT = env('DERIVE_M2_TIMEOUT', 120);
const ONLY = process.env.DERIVE_ONLY?.split(',');

interface Row {
  id: string;
  label: string;
  name: string;
  operator: string;
  integrands: Integrand[];
  rank: number;
  slow?: boolean;
}
const ALL_ROWS: Row[] = [
  { id: 'relu-sigma', label: 'relu σ: u∂−1', name: 'relu', operator: 'u*du-1', integrands: ['sigma'], rank: 2 },
  { id: 'relu-dsigma', label: 'relu σ̇: u∂', name: 'relu', operator: 'u*du', integrands: ['dsigma'], rank: 2 },
  { id: 'resin5', label: 'resin σ: u(∂²+1)', name: 'resin', operator: 'u*(du^2+1)', integrands: ['sigma'], rank: 5 },
  { id: 'resin8', label: 'resin σ,σ̇: u²(∂²+1)', name: 'resin', operator: 'u^2*(du^2+1)', integrands: ['sigma', 'dsigma'], rank: 8 },
  { id: 'gelu-sigma', label: 'gelu σ', name: 'gelu', operator: 'u^2*du^2+(u^3-2*u)*du-u^2+2', integrands: ['sigma'], rank: 8, slow: true },
  { id: 'gelu-dsigma', label: 'gelu σ̇', name: 'gelu', operator: '(u^2-2)*du^2+(u^3-4*u)*du', integrands: ['dsigma'], rank: 8, slow: true },
];
const ROWS = ALL_ROWS.filter((r) => !ONLY || ONLY.includes(r.id));

const STEPS = ['transfer', 'bfunction', 'restriction', 'groebner', 'pfaffian', 'artifact'] as const;
type Step = (typeof STEPS)[number];
type Times = Record<Step, number>; // seconds
const STEP_TITLE: Record<Step, string> = {
  transfer: 'transfer ι → I1',
  bfunction: 'b-function (weight GB + min. poly.)',
  restriction: 'restriction ideal (given b)',
  groebner: 'GB over Q(x)⟨∂⟩',
  pfaffian: 'Pfaffian (+ locus, integrability)',
  artifact: 'artifact (build + validate)',
};

/** One derivation of one system, timed per step. */
function deriveOnce(row: Row): { t: Times; I1: Poly<Rational>[]; rank: number; b: string; nRes: number } {
  const t = {} as Times;
  let t0 = performance.now();
  const lap = (k: Step) => {
    const n = performance.now();
    t[k] = (n - t0) / 1000;
    t0 = n;
  };
  const P = parseActivationOperator(row.operator);
  const I1 = dualIntegralIdeal(P, P);
  lap('transfer');
  const b = bFunction(DUAL_ALGEBRA, I1, ['y1', 'y2'], [1, 1]);
  lap('bfunction');
  const r = restrictionIdeal(DUAL_ALGEBRA, I1, ['y1', 'y2'], [1, 1], { bFunction: b });
  if (r.kind !== 'ideal') throw new Error(`${row.id}: restriction is ${r.kind}`);
  lap('restriction');
  const sys = dualSystem(P, { restriction: r });
  t.groebner = sys.seconds.groebner;
  t.pfaffian = sys.seconds.pfaffian + sys.seconds.integrability;
  t0 = performance.now();
  const artifact = buildArtifact({ name: row.name }, [{ integrands: row.integrands, system: sys }], 'npx tsx packages/restriction/bench/derive.ts');
  if (row.integrands.includes('sigma')) validateArtifact(artifact); // a σ̇-only artifact is not a runtime artifact
  lap('artifact');
  if (sys.rank !== row.rank) throw new Error(`${row.id}: rank ${sys.rank}, expected ${row.rank}`);
  return { t, I1, rank: sys.rank, b: b.text, nRes: r.generators.length };
}

// ---------- peers ----------
const i1Text = (I1: Poly<Rational>[]) => I1.map((g) => operatorToText(DUAL_ALGEBRA, g)).join(',\n  ');

function singularScript(row: Row, I1: Poly<Rational>[], rank: number): string {
  return `// generated by packages/restriction/bench/derive.ts: ${row.label}, P = ${row.operator}
LIB "dmodapp.lib"; LIB "bfun.lib"; LIB "ratgb.lib";
system("--ticks-per-sec",1000); int t; int tt;
ring r0 = 0,(y1,y2,x11,x12,x22,dy1,dy2,dx11,dx12,dx22),dp;
def D = Weyl(); setring D;
ideal I = ${i1Text(I1)};
intvec w = 1,1,0,0,0;
t = rtimer; list bb = bfctIdeal(I, w); tt = rtimer - t;
"STEP bfunction ms", tt; bb;
t = rtimer; def R = restrictionIdeal(I, w); tt = rtimer - t;
"STEP restriction ms", tt;
setring R; "NRES", ncols(resIdeal);
ring r1 = 0,(x11,x12,x22,dx11,dx12,dx22),(a(0,0,0,1,1,1),a(0,0,0,1,0,0),a(0,0,0,0,0,1),dp);
def W = Weyl(); setring W; ideal J = imap(R, resIdeal);
t = rtimer; def A = ratstd(J, 3); tt = rtimer - t;
"STEP groebner ms", tt;
setring A; "RANK", Ratgb::KXdim; setring W;
// Pfaffian: fraction-free normal forms c*p - r in the ideal, r over the standard d-monomials (d-part dominates)
proc dex(poly m) { intvec e = leadexp(m); intvec r = e[4], e[5], e[6]; return(r); }
proc xco(poly p, intvec ed)
{
  poly c = 0; int i; intvec e;
  for (i=1; i<=size(p); i++) { e = leadexp(p[i]); if (dex(p[i]) == ed) { c = c + leadcoef(p[i])*x11^e[1]*x12^e[2]*x22^e[3]; } }
  return(c);
}
proc dmo(intvec e) { return(dx11^e[1]*dx12^e[2]*dx22^e[3]); }
proc dvd(intvec a, intvec b) { return((a[1]<=b[1]) && (a[2]<=b[2]) && (a[3]<=b[3])); }
proc pnf(poly p, ideal G, list LE, list LC)
{
  poly c = 1; poly r = 0; poly cp, dlp; intvec ep; int i, k;
  while (p != 0)
  {
    ep = dex(lead(p)); dlp = dmo(ep); cp = xco(p, ep); k = 0;
    for (i=1; i<=ncols(G); i++) { if (dvd(LE[i], ep)) { k = i; break; } }
    if (k == 0) { r = r + cp*dlp; p = p - cp*dlp; }
    else { p = LC[k]*p - cp*(dmo(ep - LE[k])*G[k]); c = LC[k]*c; r = LC[k]*r; }
  }
  return(list(c, r));
}
t = rtimer;
ideal G = pGBid; list LE, LC; int i, j, a, b2, c2;
for (i=1; i<=ncols(G); i++) { LE[i] = dex(lead(G[i])); LC[i] = xco(G[i], LE[i]); }
list S; intvec e; int isstd;
for (a=0; a<=${rank}; a++) { for (b2=0; b2<=${rank}-a; b2++) { for (c2=0; c2<=${rank}-a-b2; c2++) {
  e = a, b2, c2; isstd = 1;
  for (i=1; i<=size(LE); i++) { if (dvd(LE[i], e)) { isstd = 0; break; } }
  if (isstd) { S[size(S)+1] = dmo(e); }
}}}
list NFL; poly dd;
for (j=1; j<=3; j++) { dd = var(3+j); for (i=1; i<=size(S); i++) { NFL[size(NFL)+1] = pnf(dd*S[i], G, LE, LC); } }
tt = rtimer - t;
"STEP pfaffian ms", tt;
"NSTD", size(S), "NNF", size(NFL);
quit;
`;
}

function m2Script(row: Row, I1: Poly<Rational>[]): string {
  return `-- generated by packages/restriction/bench/derive.ts: ${row.label}, P = ${row.operator}
needsPackage "Dmodules";
oldbf = lookup(bFunction, Ideal, List);
bFunction(Ideal, List) := RingElement => o -> (I, w) -> (oldbf(new OptionTable from {Strategy => NonGeneric}))(I, w);
W = QQ[y1,y2,x11,x12,x22,dy1,dy2,dx11,dx12,dx22, WeylAlgebra => {y1=>dy1, y2=>dy2, x11=>dx11, x12=>dx12, x22=>dx22}];
I = ideal(${i1Text(I1)});
t = elapsedTiming (b = bFunction(I, {1,1,0,0,0}));
print("STEP bfunction s " | toString first t);
print("B " | toString factor b);
t = elapsedTiming (J = DrestrictionIdeal(I, {1,1,0,0,0}));
print("STEP restriction s " | toString first t);
print("NRES " | toString numgens J);
`;
}

interface PeerResult {
  times: Partial<Record<Step, number>>;
  note: string;
}
function runPeer(cmd: string, args: string[], timeoutS: number, unit: 'ms' | 's'): PeerResult {
  const t0 = performance.now();
  const p = spawnSync(cmd, args, { encoding: 'utf8', timeout: timeoutS * 1000, maxBuffer: 1 << 28, cwd: PEERS });
  const wall = (performance.now() - t0) / 1000;
  const times: Partial<Record<Step, number>> = {};
  const out = `${p.stdout ?? ''}`;
  const re = /STEP (\w+) (?:ms|s)\s*,?\s*\n?\s*([0-9.]+)/g;
  for (const m of out.matchAll(re)) times[m[1] as Step] = Number(m[2]) / (unit === 'ms' ? 1000 : 1);
  if (cmd === 'Singular' && !/NNF/.test(out)) delete times.pfaffian; // an interpreter error: no Pfaffian time
  const timedOut = p.error !== undefined || p.signal !== null;
  const rank = /RANK\s*\n?\s*(\d+)/.exec(out)?.[1];
  const note = timedOut ? `killed after ${timeoutS} s (wall ${wall.toFixed(0)} s)` : `wall ${wall.toFixed(1)} s${rank ? `, rank ${rank}` : ''}`;
  if (p.status !== 0 && !timedOut) process.stderr.write(`${cmd} exit ${p.status}: ${(p.stderr ?? '').slice(-500)}\n${out.slice(-800)}\n`);
  return { times, note };
}

// ---------- run ----------
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
};
mkdirSync(PEERS, { recursive: true });
const results: { row: Row; first: Times; warm: Times | undefined; nWarm: number; sing: PeerResult; m2: PeerResult | undefined; info: string }[] = [];
const wallStart = performance.now();
for (const row of ROWS) {
  process.stderr.write(`${row.id}: first call…\n`);
  const first = deriveOnce(row);
  const warmRuns: Times[] = [];
  const warmStart = performance.now();
  const more = (i: number) => (row.slow ? i < SLOW_RUNS : i < RUNS && (i < MIN_RUNS || performance.now() - warmStart < WARM_SECONDS * 1000));
  for (let i = 0; more(i); i++) {
    if (i % 10 === 0) process.stderr.write(`${row.id}: warm ${i + 1}…\n`);
    warmRuns.push(deriveOnce(row).t);
  }
  const nWarm = warmRuns.length;
  const settled = warmRuns.slice(nWarm >> 1);
  const warm = nWarm ? (Object.fromEntries(STEPS.map((k) => [k, median(settled.map((w) => w[k]))])) as Times) : undefined;
  const sfile = `${row.id}.sing`;
  writeFileSync(join(PEERS, sfile), singularScript(row, first.I1, first.rank));
  process.stderr.write(`${row.id}: Singular…\n`);
  const sing = runPeer('Singular', ['-q', '--no-warn', sfile], SING_TIMEOUT, 'ms');
  const mfile = `${row.id}.m2`;
  writeFileSync(join(PEERS, mfile), m2Script(row, first.I1));
  let m2: PeerResult | undefined;
  if (process.env.DERIVE_NO_M2 === undefined) {
    process.stderr.write(`${row.id}: Macaulay2…\n`);
    m2 = runPeer('M2', ['--script', mfile], M2_TIMEOUT, 's');
  }
  results.push({ row, first: first.t, warm, nWarm, sing, m2, info: `rank ${first.rank}, b = ${first.b}, ${first.nRes} restriction generators` });
  process.stderr.write(`${row.id}: done (${((performance.now() - wallStart) / 1000).toFixed(0)} s so far)\n`);
}

// Sub-millisecond steps get four decimals: with three, warm relu rows would read <0.001 and hide the ratio.
const f = (x: number | undefined) => (x === undefined ? '—' : x < 0.0001 ? '<0.0001' : x < 0.01 ? x.toFixed(4) : x.toFixed(3));
const lines: string[] = [];
lines.push('# hgm derive vs peers');
lines.push('');
lines.push(`- date: ${new Date().toISOString()}`);
lines.push(
  `- machine: ${cpus()[0]?.model ?? '?'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${platform()} ${release()}, Node ${process.version}`,
);
lines.push(
  `- command: \`npx tsx packages/restriction/bench/derive.ts\` (warm runs: until ${WARM_SECONDS} s, ${MIN_RUNS}–${RUNS} runs, median of the last half; gelu ${SLOW_RUNS}); seconds; peers timed inside the peer (Singular rtimer, M2 elapsedTiming), timeouts Singular ${SING_TIMEOUT} s, M2 ${M2_TIMEOUT} s per system`,
);
lines.push(
  '- ours warm = per-step median of the last half of the adaptive warm runs (— when none), ours first = the first call in this process (cold JIT); ratio = ours (warm, else first) / fastest peer (<1: we are faster)',
);
lines.push(
  '- Singular "restriction" is restrictionIdeal (recomputes its b-function); ours is given b, so compare ours b-function + restriction with it in the "b+restriction" line; M2 has no GB over Q(x)⟨∂⟩ / Pfaffian step here',
);
lines.push('');
lines.push('| system | step | ours warm | ours first | Singular | Macaulay2 | ours/fastest peer |');
lines.push('|---|---|---|---|---|---|---|');
const tot = { warm: 0, first: 0, sing: 0, m2: 0 };
for (const r of results) {
  const ours = (k: Step) => (r.warm ?? r.first)[k];
  const rowLines: [string, number | undefined, number, number | undefined, number | undefined][] = STEPS.map((k) => [
    STEP_TITLE[k],
    r.warm?.[k],
    r.first[k],
    r.sing.times[k],
    r.m2?.times[k],
  ]);
  // b + restriction, comparable with restrictionIdeal of the peers
  rowLines.splice(3, 0, [
    "= b+restriction (vs peers' restrictionIdeal)",
    r.warm ? r.warm.bfunction + r.warm.restriction : undefined,
    r.first.bfunction + r.first.restriction,
    r.sing.times.restriction,
    r.m2?.times.restriction,
  ]);
  const sum = (t: Times | undefined) => (t ? STEPS.reduce((a, k) => a + t[k], 0) : undefined);
  // peers' end to end: restrictionIdeal (incl. b) + ratstd + Pfaffian (their bfctIdeal is not needed on the path)
  const sEnd =
    r.sing.times.restriction !== undefined && r.sing.times.groebner !== undefined && r.sing.times.pfaffian !== undefined
      ? r.sing.times.restriction + r.sing.times.groebner + r.sing.times.pfaffian
      : undefined;
  rowLines.push(['**end to end** (peers: restrictionIdeal + ratstd + Pfaffian)', sum(r.warm), sum(r.first)!, sEnd, undefined]);
  for (const [title, w, fi, s, m] of rowLines) {
    const peers = [s, m].filter((x): x is number => x !== undefined);
    const best = peers.length ? Math.min(...peers) : undefined;
    const mine = w ?? fi;
    const ratio = best === undefined ? '—' : best === 0 ? `${f(mine)}/0` : (mine / best).toFixed(2);
    lines.push(`| ${r.row.label} | ${title} | ${f(w)} | ${f(fi)} | ${f(s)} | ${f(m)} | ${ratio} |`);
  }
  void ours;
  tot.first += sum(r.first)!;
  tot.warm += sum(r.warm) ?? sum(r.first)!;
  tot.sing += sEnd ?? NaN;
}
lines.push(
  `| **all systems** | end to end (ours warm where measured, else first) | ${f(tot.warm)} | ${f(tot.first)} | ${Number.isNaN(tot.sing) ? '— (a step missing)' : f(tot.sing)} | — | ${Number.isNaN(tot.sing) ? '—' : (tot.warm / tot.sing).toFixed(2)} |`,
);
lines.push('');
for (const r of results) lines.push(`- ${r.row.label}: ${r.info}; warm runs ${r.nWarm}; Singular ${r.sing.note}; Macaulay2 ${r.m2?.note ?? 'not run'}`);
lines.push(`- wall time of the whole benchmark: ${((performance.now() - wallStart) / 1000).toFixed(0)} s`);
console.log(lines.join('\n'));
