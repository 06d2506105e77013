/**
 * `npx tsx --conditions=source packages/restriction/bench/activationList.ts` (from the repository root): derives the
 * dual systems (σ and σ̇) of the activations of issue 11 one by one, each in a fresh child process with a time limit,
 * and prints per-step times: annihilator (closure + kinks + numerical check) · transfer (I1) · weight GB for (−w, w)
 * · minimal polynomial (b-function) · restriction (module + POT GB + ideal, given b) · GB over Q(x)⟨∂⟩ · Pfaffian
 * (+ singular locus + exact integrability). A run that hits the limit reports the step it was in and the last
 * progress report of the Gröbner engine (pairs done/left, basis size, sugar degree).
 *
 * Environment: ACT_TIMEOUT (seconds per system, default 60), ACT_ONLY (comma-separated ids), ACT_JOBS (parallel
 * children, default 1: timings are for an otherwise idle process), ACT_ROUTE ('whole' = the annihilator of σ
 * as one operator (default), 'pieces' = σ split into pieces with one system per pair, see dualSystemsOfSum).
 * Markdown table on stdout, progress on stderr.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { weightGroebnerBasis } from '@holonomic-ntk/groebner';
import type { GbProgress } from '@holonomic-ntk/groebner';
import { activationAnnihilator } from '../src/annihilators/activationAnnihilator.ts';
import { bFunction, restrictionWeight } from '../src/bFunction.ts';
import { restrictionIdeal } from '../src/restrictionIdeal.ts';
import { dualSystem } from '../src/compiler/dualSystem.ts';
import { activationPieces } from '../src/compiler/pieces.ts';
import { DUAL_ALGEBRA, dualIntegralIdeal } from '../src/compiler/transferRule.ts';

/** The activations of issue 11 (formula syntax of formula.ts). */
export const ACTIVATION_LIST: readonly { id: string; formula: string }[] = [
  { id: 'elu', formula: 'u*heaviside(u) + heaviside(-u)*(exp(u)-1)' },
  { id: 'selu', formula: '21/20*(u*heaviside(u) + 5/3*heaviside(-u)*(exp(u)-1))' },
  { id: 'leaky', formula: 'u*heaviside(u) + 1/10*u*heaviside(-u)' },
  { id: 'abs', formula: 'u*heaviside(u) - u*heaviside(-u)' },
  { id: 'step1', formula: 'heaviside(u-1)' },
  { id: 'Yu2', formula: 'heaviside(u)*u^2' },
  { id: 'Ycos', formula: 'heaviside(u)*cos(u)' },
  { id: 'Ysin2', formula: 'heaviside(u)*sin(2*u)' },
  { id: 'Yuexp', formula: 'heaviside(u)*u*exp(-u)' },
  { id: 'gauss', formula: 'exp(-u^2/2)' },
  { id: 'ugauss', formula: 'u*exp(-u^2/2)' },
  { id: 'gabor', formula: 'exp(-u^2/2)*cos(3*u)' },
  { id: 'sin', formula: 'sin(u)' },
  { id: 'cos', formula: 'cos(u)' },
  { id: 'sinrelu', formula: 'sin(u) + u*heaviside(u)' },
  { id: 'erfY', formula: 'erf(u)*heaviside(u)' },
  { id: 'u3', formula: 'u^3' },
  { id: 'u2m1', formula: 'u^2-1' },
  { id: 'relu3', formula: '(u*heaviside(u))^3' },
];

const STEPS = ['annihilator', 'transfer', 'weightGB', 'bfunction', 'restriction', 'groebner', 'pfaffian'] as const;
type Step = (typeof STEPS)[number];

interface ChildMessage {
  kind: 'step' | 'progress' | 'done' | 'error' | 'info';
  step?: Step;
  seconds?: number;
  progress?: GbProgress;
  message?: string;
  info?: Record<string, unknown>;
}

const send = (m: ChildMessage) => process.stdout.write(`${JSON.stringify(m)}\n`);

/** One system (σ or σ̇ of one activation), run in this process; messages go to stdout as JSON lines. */
function child(id: string, integrand: 'sigma' | 'dsigma'): void {
  const entry = ACTIVATION_LIST.find((a) => a.id === id)!;
  let step: Step = 'annihilator';
  let t0 = performance.now();
  const lap = (next: Step | null) => {
    const now = performance.now();
    send({ kind: 'step', step, seconds: (now - t0) / 1000 });
    t0 = now;
    if (next) step = next;
  };
  const onProgress = (p: GbProgress) => send({ kind: 'progress', step, progress: p });
  try {
    if (process.env.ACT_ROUTE === 'pieces') {
      const pieces = activationPieces(entry.formula, integrand);
      send({ kind: 'info', info: { operator: pieces.map((p) => p.text).join(' ; ') } });
      if (pieces.length === 0) {
        lap(null);
        send({ kind: 'done', message: 'σ̇ = 0 a.e.: no system' });
        return;
      }
      lap('transfer');
      const acc: Partial<Record<Step, number>> = { annihilator: 0 };
      const add = (k: Step, t: number) => (acc[k] = (acc[k] ?? 0) + t);
      const ranks: number[] = [];
      const bs = new Set<string>();
      for (let i = 0; i < pieces.length; i++) {
        for (let j = i; j < pieces.length; j++) {
          let t = performance.now();
          const tick = (k: Step) => {
            const now = performance.now();
            add(k, (now - t) / 1000);
            t = now;
            step = k;
          };
          step = 'transfer';
          const I1 = dualIntegralIdeal(pieces[i]!.operator, pieces[j]!.operator);
          tick('transfer');
          step = 'weightGB';
          const wb = weightGroebnerBasis(DUAL_ALGEBRA, I1, restrictionWeight(DUAL_ALGEBRA, ['y1', 'y2'], [1, 1]), { onProgress });
          tick('weightGB');
          step = 'bfunction';
          const b = bFunction(DUAL_ALGEBRA, I1, ['y1', 'y2'], [1, 1], { weightBasis: wb, onProgress });
          bs.add(b.text);
          tick('bfunction');
          step = 'restriction';
          const r = restrictionIdeal(DUAL_ALGEBRA, I1, ['y1', 'y2'], [1, 1], { bFunction: b, onProgress });
          if (r.kind !== 'ideal') throw new Error(`pair (${i}, ${j}): the restriction is the ${r.kind} ideal`);
          tick('restriction');
          step = 'groebner';
          const sys = dualSystem(pieces[i]!.operator, { vOperator: pieces[j]!.operator, restriction: r, onProgress });
          add('groebner', sys.seconds.groebner);
          add('pfaffian', sys.seconds.pfaffian + sys.seconds.integrability);
          ranks.push(sys.rank);
        }
      }
      for (const [k, v] of Object.entries(acc)) if (k !== 'annihilator') send({ kind: 'step', step: k as Step, seconds: v });
      send({ kind: 'info', info: { rank: ranks.join('+'), b: [...bs].join(', ') } });
      send({ kind: 'done' });
      return;
    }
    const a = activationAnnihilator({ formula: entry.formula });
    const op = integrand === 'sigma' ? a.operator : a.dsigma.operator;
    const text = integrand === 'sigma' ? a.text : a.dsigma.text;
    send({ kind: 'info', info: { operator: text } });
    if (text.replace(/\s+/g, '') === '1') {
      lap(null);
      send({ kind: 'done', message: 'σ̇ = 0 a.e.: no system' });
      return;
    }
    lap('transfer');
    const I1 = dualIntegralIdeal(op, op);
    lap('weightGB');
    const weight = restrictionWeight(DUAL_ALGEBRA, ['y1', 'y2'], [1, 1]);
    const wb = weightGroebnerBasis(DUAL_ALGEBRA, I1, weight, { onProgress });
    send({ kind: 'info', info: { weightBasisSize: wb.basis.length } });
    lap('bfunction');
    const b = bFunction(DUAL_ALGEBRA, I1, ['y1', 'y2'], [1, 1], { weightBasis: wb, onProgress });
    send({ kind: 'info', info: { b: b.text, s0: b.s0 === null ? null : Number(b.s0) } });
    lap('restriction');
    const r = restrictionIdeal(DUAL_ALGEBRA, I1, ['y1', 'y2'], [1, 1], { bFunction: b, onProgress });
    if (r.kind !== 'ideal') throw new Error(`the restriction is the ${r.kind} ideal`);
    lap('groebner');
    const sys = dualSystem(op, { restriction: r, onProgress });
    send({ kind: 'step', step: 'groebner', seconds: sys.seconds.groebner });
    send({ kind: 'step', step: 'pfaffian', seconds: sys.seconds.pfaffian + sys.seconds.integrability });
    send({ kind: 'info', info: { rank: sys.rank, basis: sys.basis.map((e) => e.label).join(',') } });
    send({ kind: 'done' });
  } catch (e) {
    send({ kind: 'error', step, message: (e as Error).message });
  }
}

interface Outcome {
  id: string;
  integrand: string;
  status: 'ok' | 'timeout' | 'error' | 'none';
  total: number;
  steps: Partial<Record<Step, number>>;
  at?: Step;
  last?: GbProgress;
  info: Record<string, unknown>;
  message?: string;
}

function runChild(id: string, integrand: string, timeout: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const self = fileURLToPath(import.meta.url);
    const p = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', self, '--child', id, integrand], { stdio: ['ignore', 'pipe', 'inherit'] });
    const out: Outcome = { id, integrand, status: 'timeout', total: 0, steps: {}, info: {} };
    const start = performance.now();
    let buf = '';
    let current: Step = 'annihilator';
    p.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl = buf.indexOf('\n');
      while (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        nl = buf.indexOf('\n');
        let m: ChildMessage;
        try {
          m = JSON.parse(line) as ChildMessage;
        } catch {
          continue;
        }
        if (m.kind === 'step') {
          out.steps[m.step!] = m.seconds!;
          const i = STEPS.indexOf(m.step!);
          current = STEPS[Math.min(i + 1, STEPS.length - 1)]!;
        } else if (m.kind === 'progress') out.last = m.progress!;
        else if (m.kind === 'info') Object.assign(out.info, m.info);
        else if (m.kind === 'done') out.status = m.message ? 'none' : 'ok';
        else if (m.kind === 'error') {
          out.status = 'error';
          out.message = m.message!;
          current = m.step!;
        }
      }
    });
    const timer = setTimeout(() => p.kill('SIGKILL'), timeout * 1000);
    p.on('exit', () => {
      clearTimeout(timer);
      out.total = (performance.now() - start) / 1000;
      if (out.status !== 'ok' && out.status !== 'none') out.at = current;
      resolve(out);
    });
  });
}

async function main(): Promise<void> {
  const timeout = Number(process.env.ACT_TIMEOUT ?? 60);
  const jobs = Number(process.env.ACT_JOBS ?? 1);
  const only = process.env.ACT_ONLY?.split(',');
  const tasks = ACTIVATION_LIST.filter((a) => !only || only.includes(a.id)).flatMap((a) => [
    { id: a.id, integrand: 'sigma' },
    { id: a.id, integrand: 'dsigma' },
  ]);
  const results: Outcome[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const k = next++;
      if (k >= tasks.length) return;
      const t = tasks[k]!;
      const r = await runChild(t.id, t.integrand, timeout);
      results[k] = r;
      process.stderr.write(`${t.id} ${t.integrand}: ${r.status} ${r.total.toFixed(1)} s${r.at ? ` (in ${r.at})` : ''}\n`);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  const f = (x: number | undefined) => (x === undefined ? '' : x.toFixed(2));
  console.log(`| activation | integrand | operator | status | total s | ${STEPS.join(' | ')} | slowest / where stopped | rank | b(s) |`);
  console.log(`|${' --- |'.repeat(8 + STEPS.length)}`);
  for (const r of results) {
    const slowest = Object.entries(r.steps).sort((a, b) => b[1] - a[1])[0];
    const where =
      r.status === 'ok' || r.status === 'none'
        ? (slowest?.[0] ?? '')
        : `${r.at}${r.last ? ` (${r.last.stage}: ${r.last.pairsDone} pairs done, ${r.last.pairsLeft} left, basis ${r.last.basisSize}, degree ${r.last.degree})` : ''}${r.message ? `: ${r.message.slice(0, 120)}` : ''}`;
    console.log(
      `| ${r.id} | ${r.integrand} | \`${String(r.info.operator ?? '')}\` | ${r.status} | ${r.total.toFixed(1)} | ${STEPS.map((s) => f(r.steps[s])).join(' | ')} | ${where} | ${String(r.info.rank ?? '')} | ${String(r.info.b ?? '')} |`,
    );
  }
}

const argv = process.argv;
const c = argv.indexOf('--child');
if (c >= 0) child(argv[c + 1]!, argv[c + 2] as 'sigma' | 'dsigma');
else if (argv[1] !== undefined && fileURLToPath(import.meta.url) === argv[1]) await main();
