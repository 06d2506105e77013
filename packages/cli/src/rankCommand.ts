import type { Command } from 'commander';
import { holonomicRank, parseEulerOperators } from '@holonomic-ntk/groebner';
import { QQ, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
import { namingLimitOptions, parseTimeLimit } from './dmoduleOptions.ts';
import { UsageError, printJson, progressReporter, splitList } from './io.ts';
import { parseVars } from './ringSpec.ts';

interface RankFlags {
  ideal: string;
  vars: string;
  params?: string;
  euler?: boolean;
  timeout?: string;
  json?: boolean;
}

/** `hgm rank`: the holonomic rank from a Gröbner basis over Q(x)<d> (standard monomials; no Pfaffian). */
export function registerRank(program: Command): void {
  program
    .command('rank')
    .description('Holonomic rank of a left ideal: the number of standard monomials of its Gröbner basis over R = Q(x)<d> (no Pfaffian system).')
    .requiredOption('--ideal <ops>', 'generators separated by ";" or ","')
    .requiredOption('--vars <names>', 'coordinates x_i whose derivations dx_i form R, comma separated')
    .option('--params <names>', 'parameters (symbols of the coefficient field, no derivation)')
    .option('--euler', 'read dx as the Euler operator x*dx')
    .option('--timeout <seconds>', 'stop with exit 4 after this long')
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      '\nExamples:\n  hgm rank --ideal "dx^2 - x; dy - 1" --vars x,y\n  hgm rank --ideal "x1*dx1+x2*dx2+x3*dx3+1; dx1*dx3-dx2^2" --vars x1,x2,x3 --json',
    )
    .action((flags: RankFlags) => run(flags));
}

function run(flags: RankFlags): void {
  const vars = parseVars(flags.vars);
  const params = flags.params ? splitList(flags.params, '--params') : [];
  const clash = params.find((p) => vars.includes(p));
  if (clash) throw new UsageError(`--params: "${clash}" is also in --vars`);
  const D = new WeylAlgebra(QQ, [...vars, ...params]);
  const gens = flags.euler ? parseEulerOperators(D, flags.ideal, vars) : parseOperators(D, flags.ideal);
  const progress = progressReporter('hgm rank');
  const t0 = performance.now();
  const r = namingLimitOptions(() =>
    holonomicRank(D, gens, { derivations: vars.map((v) => `d${v}`), limits: parseTimeLimit(flags.timeout), onProgress: progress.onProgress }),
  );
  progress.done();
  if (flags.json) {
    printJson({ rank: r.rank, standardMonomials: r.standardMonomials, leadingMonomials: r.leadingMonomials, seconds: (performance.now() - t0) / 1000 });
    return;
  }
  console.log(`holonomic rank ${r.rank}`);
  console.log(`standard monomials: ${r.standardMonomials.join(', ') || 'none (R·I = R)'}`);
  console.log(`leading ∂-monomials of the Gröbner basis over Q(x)<d>: ${r.leadingMonomials.join(', ')}`);
}
