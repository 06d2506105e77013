import type { Command } from 'commander';
import { annFs, applyToFs } from '@holonomic-ntk/restriction';
import { PolyRing, QQ, operatorToLatex, operatorToText, parsePolynomial } from '@holonomic-ntk/weyl-algebra';
import { namingLimitOptions, parseTimeLimit } from './dmoduleOptions.ts';
import { printJson, progressReporter } from './io.ts';
import { parseVars } from './ringSpec.ts';

interface AnnFsFlags {
  f: string;
  vars: string;
  check?: boolean;
  timeout?: string;
  json?: boolean;
  latex?: boolean;
}

/** `hgm annfs`: the annihilator Ann_{D[s]} f^s of the power f^s of a polynomial (Oaku's algorithm). */
export function registerAnnFs(program: Command): void {
  program
    .command('annfs')
    .description('Annihilator Ann_{D[s]} f^s of f^s in D[s] (Oaku–Takayama), as a reduced Gröbner basis in x, dx, s.')
    .requiredOption('--f <polynomial>', 'the polynomial, e.g. "x^2+y^3"')
    .requiredOption('--vars <names>', 'its variables, comma separated (s is the parameter of f^s)')
    .option('--check', 'apply every generator to f^s symbolically and report that it gives 0')
    .option('--timeout <seconds>', 'stop with exit 4 after this long')
    .option('--json', 'machine-readable output')
    .option('--latex', 'LaTeX instead of plain text')
    .addHelpText('after', '\nExamples:\n  hgm annfs --f "x^2+y^3" --vars x,y\n  hgm annfs --f "x*y*(x+y)" --vars x,y --check --json')
    .action((flags: AnnFsFlags) => run(flags));
}

function run(flags: AnnFsFlags): void {
  const vars = parseVars(flags.vars);
  const R = new PolyRing(QQ, vars);
  const f = parsePolynomial(R, flags.f);
  const progress = progressReporter('hgm annfs');
  const t0 = performance.now();
  const ann = namingLimitOptions(() => annFs(R, f, { limits: parseTimeLimit(flags.timeout), onProgress: progress.onProgress }));
  progress.done();
  const E = ann.algebra;
  const gens = ann.generators.map((g) => (flags.latex ? operatorToLatex(E, g) : operatorToText(E, g)));
  const checks = flags.check ? ann.generators.map((g) => applyToFs(R, f, E, g).isZero) : undefined;
  if (flags.json) {
    printJson({ f: flags.f, vars, algebra: E.vars, generators: gens, ...(checks ? { annihilatesFs: checks } : {}), seconds: (performance.now() - t0) / 1000 });
    return;
  }
  console.log(`Ann_{D[s]} f^s (${gens.length} generator${gens.length === 1 ? '' : 's'}, reduced Gröbner basis, grevlex on ${E.vars.join(', ')}):`);
  gens.forEach((g, i) => console.log(`  ${i + 1}. ${g}${checks ? (checks[i] ? '   [P·f^s = 0 ✓]' : '   [P·f^s ≠ 0 ✗]') : ''}`));
}
