import type { Command } from 'commander';
import {
  type ModulePresentation,
  fourierTransform,
  integrationIdeal,
  prunedPresentation,
  restrictionIdeal,
  restrictionModule,
} from '@holonomic-ntk/restriction';
import { QQ, WeylAlgebra, operatorToLatex, operatorToText, parseOperators } from '@holonomic-ntk/weyl-algebra';
import { printJson, progressReporter } from './io.ts';
import { TIMEOUT_HELP, deadline, withDeadline } from './limits.ts';
import { parseVars } from './ringSpec.ts';
import { parseDegreeLimit, parseTWeights } from './dmoduleOptions.ts';

interface RestrictFlags {
  ideal: string;
  vars: string;
  weight: string;
  json?: boolean;
  latex?: boolean;
  timeout?: string;
  maxBfunctionDegree?: string;
  module?: boolean;
}

/** `hgm restrict` and `hgm integrate`: the same flags, the same output; integration goes through the Fourier transform. */
export function registerRestrict(program: Command): void {
  for (const kind of ['restrict', 'integrate'] as const) {
    program
      .command(kind)
      .description(
        kind === 'restrict'
          ? 'Restriction ideal of a holonomic ideal to t = 0 for the variables with positive weight (b-function, Oaku–Takayama).'
          : 'Integration ideal of a holonomic ideal along the variables with positive weight (Fourier transform, then restriction).',
      )
      .requiredOption('--ideal <ops>', 'generators separated by ";" or ","')
      .requiredOption('--vars <names>', 'all coordinates, comma separated (restricted ones first is customary)')
      .requiredOption('--weight <w>', 'one nonnegative integer per variable; the positive ones are restricted/integrated, e.g. 1,1,0,0,0')
      .option('--max-bfunction-degree <n>', 'degree limit of the b-function search with several restricted variables (exit 4 when reached)', '200')
      .option(
        '--module',
        kind === 'restrict'
          ? 'the 0-th restriction module H^0 (generators ∂t^β and relations, pruned) instead of the ideal; restricting to a point, its dimension over Q'
          : 'the 0-th integration module H^0 (generators: symbols ∂t^β of the Fourier-transformed system, and relations, pruned) instead of the ideal',
      )
      .option('--json', 'machine-readable output')
      .option('--latex', 'LaTeX instead of plain text')
      .option('--timeout <seconds>', TIMEOUT_HELP)
      .addHelpText(
        'after',
        kind === 'restrict'
          ? '\nExamples:\n  hgm restrict --ideal "x1*dx1+2*x2*dx2-1/3; dx2-dx1^2" --vars x1,x2 --weight 1,0 --json\n  hgm restrict --ideal "x*dx+2*y*dy+3; dx^2-dy" --vars x,y --weight 1,0 --module'
          : '\nExamples:\n  hgm integrate --ideal "2*t*dx+dt; t*dt+2*x*dx+2" --vars t,x --weight 1,0\n  hgm integrate --ideal "dt + t; dx - 1" --vars t,x --weight 1,0 --module',
      )
      .action((flags: RestrictFlags) => {
        const limit = deadline(flags.timeout);
        return withDeadline(limit, (signal) => run(kind, flags, signal));
      });
  }
}

function run(kind: 'restrict' | 'integrate', flags: RestrictFlags, signal: AbortSignal | undefined): void {
  const vars = parseVars(flags.vars);
  const { w, tVars } = parseTWeights(flags.weight, vars, 'nothing to restrict or integrate');
  const D = new WeylAlgebra(QQ, vars);
  const gens = parseOperators(D, flags.ideal);
  const progress = progressReporter(`hgm ${kind}`);
  const t0 = performance.now();
  const weights = tVars.map((t) => w[vars.indexOf(t)]!);
  const options = {
    onProgress: progress.onProgress,
    ...(signal ? { signal } : {}),
    maxDegree: parseDegreeLimit(flags.maxBfunctionDegree),
  };
  if (flags.module) {
    const module = restrictionModule(D, kind === 'restrict' ? gens : fourierTransform(D, gens, tVars), tVars, weights, options);
    const P = prunedPresentation(module, options);
    progress.done();
    printModule(kind, P, flags, (performance.now() - t0) / 1000);
    return;
  }
  const r = (kind === 'restrict' ? restrictionIdeal : integrationIdeal)(D, gens, tVars, weights, options);
  progress.done();
  const b = r.module.bFunction;
  const Dx = r.algebra;
  const ideal = r.generators.map((g) => (flags.latex ? operatorToLatex(Dx, g) : operatorToText(Dx, g)));
  if (flags.json) {
    printJson({
      kind: r.kind,
      ideal,
      bFunction: b.text,
      bFunctionRoots: b.rationalRoots.map((x) => x.root.toString()),
      s0: b.s0 === null ? null : b.s0.toString(),
      vars: Dx.xNames,
      ...(r.reason ? { reason: r.reason } : {}),
      seconds: (performance.now() - t0) / 1000,
    });
    return;
  }
  console.log(`b-function: ${b.text}   (integer roots: ${b.integerRoots.join(', ') || 'none'})`);
  if (r.kind === 'unit') console.log(`${kind === 'restrict' ? 'restriction' : 'integration'} ideal: the unit ideal (1) — ${r.reason ?? ''}`);
  else if (r.kind === 'zero') console.log(`${kind === 'restrict' ? 'restriction' : 'integration'} ideal: the zero ideal — ${r.reason ?? ''}`);
  else {
    console.log(`${kind === 'restrict' ? 'restriction' : 'integration'} ideal in ${Dx.vars.join(', ')} (reduced Gröbner basis, grevlex):`);
    ideal.forEach((g, i) => console.log(`  ${i + 1}. ${g}`));
  }
}

/** --module: the pruned presentation of H^0 (MATH.md §3). */
function printModule(kind: 'restrict' | 'integrate', P: ModulePresentation, flags: RestrictFlags, seconds: number): void {
  const b = P.module.bFunction;
  const Dx = P.algebra;
  const show = (e: ModulePresentation['relations'][number][number]) => (flags.latex ? operatorToLatex(Dx, e) : operatorToText(Dx, e));
  const relations = P.relations.map((v) => v.map(show));
  const what = kind === 'restrict' ? 'restriction' : 'integration';
  if (flags.json) {
    printJson({
      module: {
        generators: P.generatorText,
        relations,
        dimension: P.dimension,
        unprunedGenerators: P.module.kind === 'module' ? P.module.basisText.length : 0,
        unprunedRelations: P.module.kind === 'module' ? P.module.generators.length : 0,
      },
      bFunction: b.text,
      bFunctionRoots: b.rationalRoots.map((x) => x.root.toString()),
      s0: b.s0 === null ? null : b.s0.toString(),
      vars: Dx.xNames,
      seconds,
    });
    return;
  }
  console.log(`b-function: ${b.text}   (integer roots: ${b.integerRoots.join(', ') || 'none'})`);
  if (P.generators.length === 0) {
    console.log(`${what} module H^0: 0${P.module.kind === 'zero' ? ` — ${P.module.reason}` : ''}`);
    return;
  }
  if (P.dimension !== null) {
    console.log(
      `${what} module H^0 = Q^${P.dimension} (a point: a vector space of dimension ${P.dimension}), generated by the classes of ${P.generatorText.join(', ')}`,
    );
    return;
  }
  const n = P.generators.length;
  console.log(
    `${what} module H^0 over D = Q⟨${Dx.vars.join(', ')}⟩: ${n} generator${n === 1 ? '' : 's'} [${P.generatorText.join(', ')}], ${relations.length} relation${relations.length === 1 ? '' : 's'} (rows: Σ r_j·g_j = 0; a reduced POT Gröbner basis):`,
  );
  relations.forEach((v, i) => console.log(`  ${i + 1}. (${v.join(', ')})`));
  if (relations.length === 0) console.log('  (none: H^0 is free)');
}
