import type { Command } from 'commander';
import { bFunction, bFunctionOfModule } from '@holonomic-ntk/restriction';
import { QQ, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
import {
  namingLimitOptions,
  parseBFunctionMethod,
  parseDegreeLimit,
  parseOperatorVectors,
  parseShifts,
  parseTWeights,
  parseTimeLimit,
} from './dmoduleOptions.ts';
import { UsageError, printJson, progressReporter } from './io.ts';
import { parseVars } from './ringSpec.ts';

interface BFunctionFlags {
  ideal?: string;
  module?: string;
  shift?: string;
  vars: string;
  weight: string;
  method?: string;
  maxBfunctionDegree?: string;
  timeout?: string;
  json?: boolean;
}

/** `hgm bfunction`: the b-function of a holonomic ideal along t = 0 for a weight (the first step of `hgm restrict`). */
export function registerBFunction(program: Command): void {
  program
    .command('bfunction')
    .description(
      'b-function of a holonomic ideal along t = 0 for the variables with positive weight: the generator of in_(-w,w)(I) ∩ Q[s], s = Σ w_i t_i dt_i.',
    )
    .option('--ideal <ops>', 'generators separated by ";" or ","')
    .option('--module <vectors>', 'instead of --ideal: the relations of a module D^r/N, e.g. "(x*dx-1, 0); (dy, y)" (Macaulay2 bFunction(M, w, m))')
    .option('--shift <m>', 'with --module: one integer shift per component, e.g. 0,1 (default all 0)')
    .requiredOption('--vars <names>', 'all coordinates, comma separated')
    .requiredOption('--weight <w>', 'one nonnegative integer per variable; the positive ones are the t_i, e.g. 1,0')
    .option('--method <m>', 'auto (linear algebra, then elimination for one t) | linear-algebra | elimination', 'auto')
    .option('--max-bfunction-degree <n>', 'degree limit of the linear-algebra search when elimination is not used (exit 4 when reached)', '200')
    .option('--timeout <seconds>', 'stop with exit 4 after this long')
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      '\nExamples:\n  hgm bfunction --ideal "t - x^31; dx + 31*x^30*dt" --vars t,x --weight 1,0\n  hgm bfunction --ideal "x*dx-1; y*dy-1" --vars x,y --weight 1,0 --json\n  hgm bfunction --module "(2*y*dy+3, 0); (0, y*dy+2)" --vars x,y --weight 0,1 --shift -3,2',
    )
    .action((flags: BFunctionFlags) => run(flags));
}

function run(flags: BFunctionFlags): void {
  const vars = parseVars(flags.vars);
  const { w, tVars } = parseTWeights(flags.weight, vars, 'there is no t to take the b-function along');
  const D = new WeylAlgebra(QQ, vars);
  if ((flags.ideal === undefined) === (flags.module === undefined)) throw new UsageError('give exactly one of --ideal and --module');
  if (flags.shift !== undefined && flags.module === undefined) throw new UsageError('--shift goes with --module (an ideal has one component and no shift)');
  const progress = progressReporter('hgm bfunction');
  const t0 = performance.now();
  const options = {
    onProgress: progress.onProgress,
    method: parseBFunctionMethod(flags.method),
    maxDegree: parseDegreeLimit(flags.maxBfunctionDegree),
    limits: parseTimeLimit(flags.timeout),
  };
  const weights = tVars.map((t) => w[vars.indexOf(t)]!);
  if (flags.module !== undefined) {
    const rels = parseOperatorVectors(D, flags.module);
    const shifts = parseShifts(flags.shift, rels[0]!.length);
    const m = namingLimitOptions(() => bFunctionOfModule(D, rels, tVars, weights, shifts, options));
    progress.done();
    if (flags.json) {
      printJson({
        bFunction: m.text,
        degree: m.coefficients.length - 1,
        coefficients: m.coefficients.map((c) => c.toString()),
        roots: m.rationalRoots.map((r) => ({ root: r.root.toString(), multiplicity: r.multiplicity })),
        s0: m.s0 === null ? null : m.s0.toString(),
        shift: m.shifts,
        components: m.components.map((c) => c.text),
        along: tVars,
        seconds: (performance.now() - t0) / 1000,
      });
      return;
    }
    console.log(`b-function of the module (${m.shifts.length} components, shift (${m.shifts.join(', ')})) along ${tVars.join(', ')}: lcm_i b_i(s − m_i)`);
    console.log(`  ${m.text}`);
    m.components.forEach((c, i) => console.log(`  component ${i + 1}: b_${i + 1}(s) = ${c.text}`));
    console.log(`roots: ${m.rationalRoots.map((r) => (r.multiplicity > 1 ? `${r.root} (×${r.multiplicity})` : r.root.toString())).join(', ') || 'none'}`);
    console.log(`largest integer root s0: ${m.s0 ?? 'none'}`);
    return;
  }
  const gens = parseOperators(D, flags.ideal!);
  const b = namingLimitOptions(() => bFunction(D, gens, tVars, weights, options));
  progress.done();
  if (flags.json) {
    printJson({
      bFunction: b.text,
      degree: b.coefficients.length - 1,
      coefficients: b.coefficients.map((c) => c.toString()),
      roots: b.rationalRoots.map((r) => ({ root: r.root.toString(), multiplicity: r.multiplicity })),
      s0: b.s0 === null ? null : b.s0.toString(),
      method: b.method,
      along: tVars,
      seconds: (performance.now() - t0) / 1000,
    });
    return;
  }
  console.log(
    `b-function along ${tVars.join(', ')} (degree ${b.coefficients.length - 1}, by ${b.method === 'elimination' ? 'elimination' : 'linear algebra'}):`,
  );
  console.log(`  ${b.text}`);
  console.log(`roots: ${b.rationalRoots.map((r) => (r.multiplicity > 1 ? `${r.root} (×${r.multiplicity})` : r.root.toString())).join(', ') || 'none'}`);
  console.log(`largest integer root s0: ${b.s0 ?? 'none'}`);
}
