import type { Command } from 'commander';
import { integrationIdeal, restrictionIdeal } from '@holonomic-ntk/restriction';
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
      .option('--json', 'machine-readable output')
      .option('--latex', 'LaTeX instead of plain text')
      .option('--timeout <seconds>', TIMEOUT_HELP)
      .addHelpText(
        'after',
        kind === 'restrict'
          ? '\nExample:\n  hgm restrict --ideal "x1*dx1+2*x2*dx2-1/3; dx2-dx1^2" --vars x1,x2 --weight 1,0 --json'
          : '\nExample:\n  hgm integrate --ideal "2*t*dx+dt; t*dt+2*x*dx+2" --vars t,x --weight 1,0',
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
  const r = (kind === 'restrict' ? restrictionIdeal : integrationIdeal)(D, gens, tVars, weights, {
    onProgress: progress.onProgress,
    ...(signal ? { signal } : {}),
    maxDegree: parseDegreeLimit(flags.maxBfunctionDegree),
  });
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
