import type { Command } from 'commander';
import { groebnerBasis, parseEulerOperators, weightGroebnerBasis } from '@holonomic-ntk/groebner';
import { type Poly, type Rational, type WeylAlgebra, operatorToLatex, operatorToText, parseOperators } from '@holonomic-ntk/weyl-algebra';
import { printJson, progressReporter, splitList } from './io.ts';
import { TIMEOUT_HELP, deadline, withDeadline } from './limits.ts';
import { buildAlgebra, parseOrder, parseVars } from './ringSpec.ts';

interface GbFlags {
  ideal: string;
  vars: string;
  params?: string;
  order: string;
  json?: boolean;
  latex?: boolean;
  euler?: boolean;
  timeout?: string;
}

export function registerGb(program: Command): void {
  program
    .command('gb')
    .description('Reduced Gröbner basis of a left ideal of the Weyl algebra (products in the text are read left to right).')
    .requiredOption('--ideal <ops>', 'generators separated by ";" or ",", e.g. "x*dx-1; y*dy-1"')
    .requiredOption('--vars <names>', 'coordinates, comma separated; each x has its derivation dx')
    .option('--params <names>', 'parameters of the coefficient field Q(params), comma separated')
    .option(
      '--order <order>',
      'grevlex | lex | weight:<u1,...,un,v1,...,vn> (integer weights on x then ∂, refined by grevlex; any signs with u_i + v_i ≥ 0 — negative entries are computed in D^(h))',
      'grevlex',
    )
    .option('--euler', 'read dx as the Euler operator x*dx')
    .option('--json', 'machine-readable output')
    .option('--latex', 'LaTeX instead of plain text')
    .option('--timeout <seconds>', TIMEOUT_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  hgm gb --ideal "x*dx-1; y*dy-1" --vars x,y\n  hgm gb --ideal "dx^2-x" --vars x --order weight:-1,1 --json\n  hgm gb --ideal "x*dx+y*dy-a; x*dy-b*y*dx" --vars x,y --params a,b --order weight:-1,-1,1,1',
    )
    .action((flags: GbFlags) => {
      const limit = deadline(flags.timeout);
      return withDeadline(limit, (signal) => runGb(flags, signal));
    });
}

function runGb(flags: GbFlags, signal: AbortSignal | undefined): void {
  const vars = parseVars(flags.vars);
  const params = flags.params ? splitList(flags.params, '--params') : undefined;
  const order = parseOrder(flags.order, vars.length);
  const D = buildAlgebra(vars, params, order) as WeylAlgebra<unknown>;
  const gens: Poly<unknown>[] = flags.euler ? parseEulerOperators(D, flags.ideal) : parseOperators(D, flags.ideal);
  const progress = progressReporter('hgm gb');
  const opts = { onProgress: progress.onProgress, ...(signal ? { signal } : {}) };
  const print = (p: Poly<unknown>, R: WeylAlgebra<unknown> = D) => (flags.latex ? operatorToLatex(R, p) : operatorToText(R, p));
  const t0 = performance.now();
  if (order.kind === 'weight' && !D.order.isGlobal) {
    const r = weightGroebnerBasis(D, gens, order.weight, opts);
    progress.done();
    const basis = r.basis.map((g) => print(g, r.ring));
    const initial = r.initialForms.map((g) => print(g, r.ring));
    if (flags.json) {
      printJson({
        vars,
        params: params ?? [],
        order: flags.order,
        method: 'homogenized (D^(h))',
        basis,
        initialForms: initial,
        seconds: (performance.now() - t0) / 1000,
      });
    } else {
      const over = params ? ` over Q(${params.join(', ')})` : '';
      console.log(`Gröbner basis${over} for the weight (${order.weight.join(', ')}) refined by degrevlex (computed in D^(h), h = 1):`);
      basis.forEach((b, i) => console.log(`  ${i + 1}. ${b}`));
      console.log('Initial forms (generate the initial ideal):');
      initial.forEach((b, i) => console.log(`  ${i + 1}. ${b}`));
    }
    return;
  }
  const G = groebnerBasis(D, gens, opts);
  progress.done();
  const basis = G.map((g) => print(g));
  if (flags.json) {
    printJson({ vars, params: params ?? [], order: flags.order, basis, seconds: (performance.now() - t0) / 1000 });
  } else {
    console.log(`Reduced Gröbner basis (${G.length} element${G.length === 1 ? '' : 's'}, order ${D.order.name}):`);
    basis.forEach((b, i) => console.log(`  ${i + 1}. ${b}`));
  }
}

export type { Rational };
