/**
 * `npx tsx packages/restriction/bench/bench.ts` (from the repository root): time of each step of the restriction
 * algorithm (MATH.md §3) on the ReLU and ReSin dual-activation systems I1 ⊂ D_{y,x} restricted to y = 0, printed
 * as a Markdown table beside the peer timings measured on the same machine. Progress goes to stderr.
 *
 * Steps: weight GB = Gröbner basis for (−w, w) via D^(h); b-function = grevlex GB of the initial ideal + minimal
 * polynomial of θ (the GB also shown separately, and the variant initialIdealBasis: 'initialForms' that skips it); module = the presentation over B; ideal = POT module GB + the final
 * grevlex GB on D_x. `BENCH_RUNS` (default 5) warm runs per system; the first (cold, JIT warming up) is shown apart.
 * Profile: `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx packages/restriction/bench/bench.ts`.
 */
import { cpus, totalmem } from 'node:os';
import { groebnerBasis, weightGroebnerBasis } from '@holonomic-ntk/groebner';
import { QQ, type Poly, type Rational, WeylAlgebra, grevlex } from '@holonomic-ntk/weyl-algebra';
import { bFunction, restrictionWeight } from '../src/bFunction.ts';
import { restrictionIdealOfModule } from '../src/restrictionIdeal.ts';
import { restrictionModule } from '../src/restrictionModule.ts';
import { DUAL_ALGEBRA, dualIntegralIdeal, parseActivationOperator } from '../src/compiler/transferRule.ts';

const Dxy = DUAL_ALGEBRA;
/** I1 of MATH.md §5 for σ annihilated by P (the compiler's transfer rule). */
function dualSystem(P: string): Poly<Rational>[] {
  return dualIntegralIdeal(parseActivationOperator(P));
}

const systems = [
  { name: 'ReLU', gens: dualSystem('u*du-1'), peers: 'Singular: b-function 0.031 s, restrictionIdeal 0.039 s (0.028 s in its own log)' },
  {
    name: 'ReSin',
    gens: dualSystem('u*(du^2+1)'),
    peers: 'Singular: bfctIdeal 1.35 s, restrictionIdeal 1.43 s; Macaulay2: bFunction 0.70 s, DrestrictionIdeal 2.82 s',
  },
];
const tVars = ['y1', 'y2'];
const weights = [1, 1];
const runs = Number(process.env.BENCH_RUNS ?? 5);

interface Times {
  weightGb: number;
  initialGb: number;
  bFunction: number;
  bDirect: number;
  module: number;
  ideal: number;
  total: number;
  info: string;
}

function once(gens: Poly<Rational>[]): Times {
  const weight = restrictionWeight(Dxy, tVars, weights);
  let t = performance.now();
  const lap = () => {
    const n = performance.now();
    const d = n - t;
    t = n;
    return d;
  };
  const wb = weightGroebnerBasis(Dxy, gens, weight);
  const weightGb = lap();
  // The grevlex basis of the initial ideal alone (bFunction recomputes it; shown to split the b-function time).
  const Dg = new WeylAlgebra(QQ, Dxy.pairs(), { order: grevlex });
  const J = groebnerBasis(
    Dg,
    wb.initialForms.map((g) => Dg.convert(g)),
  );
  const initialGb = lap();
  const b = bFunction(Dxy, gens, tVars, weights, { weightBasis: wb });
  const bTime = lap();
  // The same b-function taking normal forms modulo the initial forms directly (no Buchberger on them).
  bFunction(Dxy, gens, tVars, weights, { weightBasis: wb, initialIdealBasis: 'initialForms' });
  const bDirect = lap();
  const M = restrictionModule(Dxy, gens, tVars, weights, { bFunction: b });
  const module = lap();
  const r = restrictionIdealOfModule(M);
  const ideal = lap();
  const nGen = M.kind === 'module' ? M.generators.length : 0;
  const rank = M.kind === 'module' ? M.basis.length : 0;
  return {
    weightGb,
    initialGb,
    bFunction: bTime,
    bDirect,
    module,
    ideal,
    total: weightGb + bTime + module + ideal,
    info: `|G| = ${wb.basis.length}, |J| = ${J.length}, b = ${b.text}, ${nGen} module generators in D_x^${rank}, ideal GB ${r.generators.length}`,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const s = (ms: number) => (ms / 1000).toFixed(3);

const lines: string[] = [];
lines.push(`# Restriction benchmark`);
lines.push('');
lines.push(`- date: ${new Date().toISOString()}`);
lines.push(`- machine: ${cpus()[0]?.model ?? '?'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${process.platform}`);
lines.push(`- command: \`npx tsx packages/restriction/bench/bench.ts\` (BENCH_RUNS=${runs}); times in seconds, median of ${runs} warm runs`);
lines.push('');
lines.push('| system | weight GB | b-function (of which initial-ideal GB) | b-function, initialForms | module | ideal | total | cold total | peers |');
lines.push('|---|---|---|---|---|---|---|---|---|');
const infos: string[] = [];
for (const sys of systems) {
  process.stderr.write(`${sys.name}: cold run…\n`);
  const cold = once(sys.gens);
  const warm: Times[] = [];
  for (let i = 0; i < runs; i++) {
    process.stderr.write(`${sys.name}: run ${i + 1}/${runs}\n`);
    warm.push(once(sys.gens));
  }
  const m = (k: keyof Omit<Times, 'info'>) => median(warm.map((w) => w[k]));
  lines.push(
    `| ${sys.name} | ${s(m('weightGb'))} | ${s(m('bFunction'))} (${s(m('initialGb'))}) | ${s(m('bDirect'))} | ${s(m('module'))} | ${s(m('ideal'))} | **${s(m('total'))}** | ${s(cold.total)} | ${sys.peers} |`,
  );
  infos.push(`- ${sys.name}: ${cold.info}`);
}
lines.push('');
lines.push(...infos);
console.log(lines.join('\n'));
