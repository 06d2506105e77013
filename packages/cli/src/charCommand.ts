import type { Command } from 'commander';
import { characteristicIdeal } from '@holonomic-ntk/restriction';
import { QQ, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
import { namingLimitOptions, parseTimeLimit } from './dmoduleOptions.ts';
import { printJson, progressReporter } from './io.ts';
import { parseVars } from './ringSpec.ts';

interface CharFlags {
  ideal: string;
  vars: string;
  timeout?: string;
  json?: boolean;
}

/** `hgm char`: the characteristic ideal, its dimension and the holonomicity verdict. */
export function registerChar(program: Command): void {
  program
    .command('char')
    .description('Characteristic ideal in_(0,1)(I) in Q[x, ξ] (ξ printed as dx), its dimension, and whether I is holonomic (dimension = n).')
    .requiredOption('--ideal <ops>', 'generators separated by ";" or ","')
    .requiredOption('--vars <names>', 'coordinates, comma separated')
    .option('--timeout <seconds>', 'stop with exit 4 after this long')
    .option('--json', 'machine-readable output')
    .addHelpText('after', '\nExamples:\n  hgm char --ideal "x*dx - 1/2; dy^2 - y" --vars x,y\n  hgm char --ideal "dx" --vars x,y --json')
    .action((flags: CharFlags) => run(flags));
}

function run(flags: CharFlags): void {
  const vars = parseVars(flags.vars);
  const D = new WeylAlgebra(QQ, vars);
  const progress = progressReporter('hgm char');
  const t0 = performance.now();
  const ch = namingLimitOptions(() =>
    characteristicIdeal(D, parseOperators(D, flags.ideal), { limits: parseTimeLimit(flags.timeout), onProgress: progress.onProgress }),
  );
  progress.done();
  if (flags.json) {
    printJson({ vars, generators: ch.text, dimension: ch.dimension, holonomic: ch.isHolonomic, seconds: (performance.now() - t0) / 1000 });
    return;
  }
  console.log(`characteristic ideal in Q[${ch.ring.vars.join(', ')}] (reduced Gröbner basis, grevlex):`);
  ch.text.forEach((g, i) => console.log(`  ${i + 1}. ${g}`));
  console.log(
    `dimension ${ch.dimension} (n = ${vars.length}): ${ch.dimension < 0 ? 'I = D, the zero module (holonomic)' : ch.isHolonomic ? 'holonomic' : 'not holonomic'}`,
  );
}
