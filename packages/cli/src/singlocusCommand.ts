import type { Command } from 'commander';
import { singularLocus } from '@holonomic-ntk/restriction';
import { QQ, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
import { namingLimitOptions, parseTimeLimit } from './dmoduleOptions.ts';
import { printJson, progressReporter } from './io.ts';
import { parseVars } from './ringSpec.ts';

interface SingLocusFlags {
  ideal: string;
  vars: string;
  timeout?: string;
  json?: boolean;
}

/** `hgm singlocus`: the singular locus (ch(I) : (ξ)^∞) ∩ Q[x]. */
export function registerSingLocus(program: Command): void {
  program
    .command('singlocus')
    .description('Singular locus of D/I: the ideal (ch(I) : (ξ)^∞) ∩ Q[x] of the projection of the characteristic variety minus the zero section.')
    .requiredOption('--ideal <ops>', 'generators separated by ";" or ","')
    .requiredOption('--vars <names>', 'coordinates, comma separated')
    .option('--timeout <seconds>', 'stop with exit 4 after this long')
    .option('--json', 'machine-readable output')
    .addHelpText('after', '\nExample:\n  hgm singlocus --ideal "x*(1-x)*dx^2 + (1/5 - 11/6*x)*dx - 1/6" --vars x')
    .action((flags: SingLocusFlags) => run(flags));
}

function run(flags: SingLocusFlags): void {
  const vars = parseVars(flags.vars);
  const D = new WeylAlgebra(QQ, vars);
  const progress = progressReporter('hgm singlocus');
  const t0 = performance.now();
  const sl = namingLimitOptions(() =>
    singularLocus(D, parseOperators(D, flags.ideal), { limits: parseTimeLimit(flags.timeout), onProgress: progress.onProgress }),
  );
  progress.done();
  const ch = sl.characteristic;
  if (flags.json) {
    printJson({
      vars,
      singularLocus: sl.text,
      characteristicIdeal: ch.text,
      dimension: ch.dimension,
      holonomic: ch.isHolonomic,
      seconds: (performance.now() - t0) / 1000,
    });
    return;
  }
  const empty = sl.text.length === 1 && sl.text[0] === '1';
  console.log(`singular locus in Q[${vars.join(', ')}]${empty ? ': empty (the ideal is (1))' : ' (reduced Gröbner basis, grevlex):'}`);
  if (!empty) sl.text.forEach((g, i) => console.log(`  ${i + 1}. ${g}`));
  if (!ch.isHolonomic) console.log(`note: the ideal is not holonomic (characteristic variety of dimension ${ch.dimension} > ${vars.length})`);
}
