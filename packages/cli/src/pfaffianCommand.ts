import type { Command } from 'commander';
import { RationalWeylIdeal, integrabilityDefects, parseEulerOperators, pfaffianSystem } from '@holonomic-ntk/groebner';
import { QQ, type Poly, type Rational, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
import { UsageError, printJson, progressReporter, splitList } from './io.ts';
import { TIMEOUT_HELP, deadline, withDeadline } from './limits.ts';
import { parseVars } from './ringSpec.ts';

interface PfaffianFlags {
  ideal: string;
  vars: string;
  params?: string;
  basis?: string;
  euler?: boolean;
  json?: boolean;
  latex?: boolean;
  timeout?: string;
}

export function registerPfaffian(program: Command): void {
  program
    .command('pfaffian')
    .description('Holonomic rank and Pfaffian system dF/dx_i = P_i F of a holonomic ideal over R = Q(x)<d>.')
    .requiredOption('--ideal <ops>', 'generators separated by ";" or ","')
    .requiredOption('--vars <names>', 'coordinates x_i whose derivations dx_i form R, comma separated')
    .option('--params <names>', 'parameters (symbols of the coefficient field, no derivation)')
    .option('--basis <ops>', 'basis of the quotient, e.g. "1, dx12" (default: the standard monomials)')
    .option('--euler', 'read dx as the Euler operator x*dx (ideal and basis)')
    .option('--json', 'machine-readable output')
    .option('--latex', 'LaTeX instead of plain text')
    .option('--timeout <seconds>', TIMEOUT_HELP)
    .addHelpText(
      'after',
      '\nExample:\n  hgm pfaffian --ideal "2*x11*dx11+x12*dx12+1; x12*dx12+2*x22*dx22+1; 4*dx11*dx22-dx12^2" --vars x11,x12,x22 --basis "1, dx12" --json',
    )
    .action((flags: PfaffianFlags) => {
      const limit = deadline(flags.timeout);
      return withDeadline(limit, (signal) => runPfaffian(flags, signal));
    });
}

function runPfaffian(flags: PfaffianFlags, signal: AbortSignal | undefined): void {
  const vars = parseVars(flags.vars);
  const params = flags.params ? splitList(flags.params, '--params') : [];
  const clash = params.find((p) => vars.includes(p));
  if (clash) throw new UsageError(`--params: "${clash}" is also in --vars`);
  // Parameters become coordinates without derivations in R: the coefficient field is then Q(x, params).
  const D = new WeylAlgebra(QQ, [...vars, ...params]);
  const derivations = vars.map((v) => `d${v}`);
  const parse = (text: string): Poly<Rational>[] => (flags.euler ? parseEulerOperators(D, text, vars) : parseOperators(D, text));
  const gens = parse(flags.ideal);
  const basisOps = flags.basis ? parse(flags.basis) : undefined;
  const progress = progressReporter('hgm pfaffian');
  const t0 = performance.now();
  const cancel = signal ? { signal } : {};
  const I = RationalWeylIdeal.compute(D, gens, { derivations, onProgress: progress.onProgress, ...cancel });
  const sys = pfaffianSystem(I, basisOps, { onProgress: progress.onProgress, ...cancel });
  const defects = integrabilityDefects(sys);
  progress.done();
  const F = sys.field;
  const entry = (e: Parameters<typeof F.toString>[0]) => (flags.latex ? F.toLatex(e) : F.toString(e));
  const basis = flags.basis ? splitList(flags.basis.replace(/;/g, ','), '--basis') : sys.basis;
  if (flags.json) {
    const pfaffian: Record<string, string[][]> = {};
    sys.variables.forEach((v, i) => (pfaffian[v] = sys.matrices[i]!.map((row) => row.map(entry))));
    printJson({ rank: sys.rank, variables: sys.variables, basis, pfaffian, integrable: defects.length === 0, seconds: (performance.now() - t0) / 1000 });
    return;
  }
  console.log(`holonomic rank ${sys.rank}; basis [${basis.join(', ')}]`);
  sys.variables.forEach((v, i) => {
    console.log(`\nP_${v} =`);
    for (const row of sys.matrices[i]!) console.log(`  [ ${row.map(entry).join(' ,  ')} ]`);
  });
  console.log(`\nintegrable: ${defects.length === 0 ? 'yes (exact check)' : `NO — fails for ${defects.map((d) => `(${d.i}, ${d.j})`).join(', ')}`}`);
}
