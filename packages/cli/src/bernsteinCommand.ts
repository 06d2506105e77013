import type { Command } from 'commander';
import { bernsteinSato, bernsteinSatoOfIdeal, localBernsteinSato } from '@holonomic-ntk/restriction';
import { PolyRing, QQ, operatorToText, parsePolynomials, parseRational } from '@holonomic-ntk/weyl-algebra';
import { namingLimitOptions, parseBFunctionMethod, parseDegreeLimit, parseTimeLimit } from './dmoduleOptions.ts';
import { UsageError, printJson, progressReporter, splitList } from './io.ts';
import { parseVars } from './ringSpec.ts';

interface BernsteinFlags {
  f: string;
  vars: string;
  route?: string;
  at?: string;
  method?: string;
  maxBfunctionDegree?: string;
  timeout?: string;
  json?: boolean;
}

/** `hgm bernstein`: the Bernstein–Sato polynomial b_f(s) of a polynomial, its roots and the log canonical threshold. */
export function registerBernstein(program: Command): void {
  program
    .command('bernstein')
    .description(
      'Global (or local, --at) Bernstein–Sato polynomial b_f(s) of a polynomial f (or of an ideal), its roots (negative rationals in (-n, 0)) and the log canonical threshold.',
    )
    .requiredOption('--f <polynomials>', 'the polynomial, e.g. "x^2+y^3"; several separated by "," or ";" give the b-function of the ideal they generate')
    .requiredOption('--vars <names>', 'its variables, comma separated')
    .option('--at <point>', 'the local Bernstein–Sato polynomial at this rational point, e.g. 0,0 or 1,-1/2')
    .option('--route <r>', 'graph (b-function of the graph ideal of f along t) | annihilator (Ann f^s + f, also prints Ann f^s)', 'graph')
    .option('--method <m>', 'b-function method on the graph route: auto | linear-algebra | elimination', 'auto')
    .option('--max-bfunction-degree <n>', 'degree limit of the linear-algebra search (exit 4 when reached)', '200')
    .option('--timeout <seconds>', 'stop with exit 4 after this long')
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      '\nExamples:\n  hgm bernstein --f "x^2+y^3" --vars x,y\n  hgm bernstein --f "x^5+y^4+x^3*y^2" --vars x,y --json\n  hgm bernstein --f "(x^2+y^3)*(x-1)" --vars x,y --at 1,-1',
    )
    .action((flags: BernsteinFlags) => run(flags));
}

function run(flags: BernsteinFlags): void {
  const vars = parseVars(flags.vars);
  if (flags.route !== undefined && flags.route !== 'graph' && flags.route !== 'annihilator') {
    throw new UsageError(`--route: expected graph or annihilator, got "${flags.route}"`);
  }
  const R = new PolyRing(QQ, vars);
  const fs = parsePolynomials(R, flags.f);
  const f = fs[0]!;
  const progress = progressReporter('hgm bernstein');
  const t0 = performance.now();
  const point = flags.at === undefined ? undefined : splitList(flags.at, '--at').map((c) => parseRational(c));
  if (point && point.length !== vars.length) throw new UsageError(`--at: ${vars.length} coordinates needed (${vars.join(', ')}), got ${point.length}`);
  const options = {
    route: flags.route as 'graph' | 'annihilator' | undefined,
    method: parseBFunctionMethod(flags.method),
    maxDegree: parseDegreeLimit(flags.maxBfunctionDegree),
    limits: parseTimeLimit(flags.timeout),
    onProgress: progress.onProgress,
  };
  if (fs.length > 1 && (point || flags.route === 'annihilator')) throw new UsageError('--at and --route annihilator take one polynomial, not an ideal');
  const b = namingLimitOptions(() =>
    fs.length > 1 ? bernsteinSatoOfIdeal(R, fs, options) : point ? localBernsteinSato(R, f, point, options) : bernsteinSato(R, f, options),
  );
  progress.done();
  const lct = b.logCanonicalThreshold?.toString() ?? null;
  const ann = b.annihilator ? b.annihilator.generators.map((g) => operatorToText(b.annihilator!.algebra, g)) : undefined;
  if (flags.json) {
    printJson({
      f: flags.f,
      vars,
      ...(point ? { at: point.map((c) => c.toString()) } : {}),
      bernsteinSato: b.text,
      factored: b.factored,
      degree: b.coefficients.length - 1,
      roots: b.rationalRoots.map((r) => ({ root: r.root.toString(), multiplicity: r.multiplicity })),
      logCanonicalThreshold: lct,
      route: b.route,
      ...(ann ? { annihilator: ann } : {}),
      seconds: (performance.now() - t0) / 1000,
    });
    return;
  }
  console.log(`${point ? `local b_(f,p)(s) at p = (${point.join(', ')})` : 'b_f(s)'} = ${b.factored}`);
  console.log(`       = ${b.text}`);
  console.log(`roots: ${b.rationalRoots.map((r) => (r.multiplicity > 1 ? `${r.root} (×${r.multiplicity})` : r.root.toString())).join(', ') || 'none'}`);
  console.log(`log canonical threshold: ${lct ?? 'none (f is a nonzero constant)'}`);
  if (ann) {
    console.log('Ann_{D[s]} f^s:');
    ann.forEach((g, i) => console.log(`  ${i + 1}. ${g}`));
  }
}
