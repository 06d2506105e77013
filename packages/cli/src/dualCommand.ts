import { BUILTIN_ACTIVATION_NAMES, DomainError, covariance } from '@holonomic-ntk/core';
import type { Command } from 'commander';
import { DUAL_METHODS, type DualProvider, dualProvider, hgmDual, parseDualMethod } from '@holonomic-ntk/ntk';
import { activationResolver, activationSpec } from './activationResolver.ts';
import { readNumericCsv } from './csv.ts';
import { UsageError, printJson } from './io.ts';
import { TIMEOUT_HELP, deadline, withDeadline } from './limits.ts';
import { progressBar } from './progress.ts';
import { clip } from './text.ts';

interface DualFlags {
  expr?: string;
  artifact?: string;
  cov?: string;
  batch?: string;
  derivative?: boolean;
  method: string;
  json?: boolean;
  timeout?: string;
}

type Cov = { a: number; c: number; b: number };

export function registerDual(program: Command): void {
  program
    .command('dual')
    .description('Dual activation E[σ(u)σ(v)] (or E[σ̇(u)σ̇(v)]) for (u, v) ~ N(0, [[a, c], [c, b]]).')
    .argument('[activation]', `a built-in (${BUILTIN_ACTIVATION_NAMES.join(', ')}), a formula in u such as "heaviside(u)*cos(u)", or an artifact file.json`)
    .option('--expr <formula>', 'σ as a formula in u; numeric-only ones (tanh(u), silu(u), softplus(u)) with --method quad, gh:<n> or mc:<n>')
    .option('--artifact <file.json>', 'a Pfaffian artifact, as written by hgm derive -o')
    .option('--cov <a,c,b>', 'one covariance: variances a, b and covariance c')
    .option('--batch <file.csv>', 'a CSV file of rows a,c,b (a header line is allowed); prints values in input order')
    .option('--derivative', 'E[σ̇(u)σ̇(v)] instead of E[σ(u)σ(v)]')
    .option('--method <m>', `${DUAL_METHODS} (hgm: the holonomic gradient method from the Pfaffian artifact)`, 'hgm')
    .option('--json', 'machine-readable output')
    .option('--timeout <seconds>', TIMEOUT_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  hgm dual relu --cov 1,0.5,2\n  hgm dual resin --cov 1,0.3,1 --derivative --json\n  hgm dual gelu --batch covs.csv --method gh:20 --json',
    )
    .action((activation: string | undefined, flags: DualFlags) =>
      withDeadline(deadline(flags.timeout), () => runDual(activationSpec({ activation, expr: flags.expr, artifact: flags.artifact }), flags)),
    );
}

function parseCov(text: string, where: string): Cov {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length !== 3 || parts.some((p) => p === '' || !Number.isFinite(Number(p)))) {
    throw new UsageError(`${where}: expected three numbers a,c,b, got "${text}"`);
  }
  const [a, c, b] = parts.map(Number) as [number, number, number];
  return { a, c, b };
}

/** Rows a,c,b of a CSV file, each checked as a covariance, so an error names the file's row (not an item index). */
function readBatch(path: string): Cov[] {
  const csv = readNumericCsv(path, { columns: 3 });
  return csv.rows.map(([a, c, b], i) => {
    try {
      covariance(a!, c!, b!);
    } catch (e) {
      if (e instanceof DomainError) throw new UsageError(clip(`${path} row ${csv.lines[i]}: ${e.message}`));
      throw e;
    }
    return { a: a!, c: c!, b: b! };
  });
}

/** The same providers as `hgm ntk` (ntk's dualProvider with the command's resolver), so every activation spec works. */
/** Values, and where the method estimates them (hgm), their absolute error estimates and (single values) the route. */
interface Evaluated {
  values: Float64Array;
  errors?: Float64Array;
  route?: string;
}

function provider(activation: string, method: string): { evaluate: (items: Cov[], derivative: boolean) => Evaluated; name: string } {
  let p: DualProvider;
  // A batch of the HGM reports its progress (items served) to a bar on stderr that appears after a second.
  const bar = progressBar('hgm dual');
  try {
    const m = parseDualMethod(method);
    p =
      m === 'hgm'
        ? hgmDual(activation, { resolver: activationResolver, runtime: { onProgress: (done, total) => bar.update(done, total) } })
        : dualProvider(activation, m, activationResolver);
  } catch (e) {
    if (e instanceof DomainError || (e instanceof Error && e.name === 'KernelSpecError'))
      throw new UsageError(`${activation} --method ${method}: ${e.message}`);
    throw e;
  }
  return {
    name: method,
    evaluate: (items, derivative) => {
      const a = items.map((x) => x.a);
      const c = items.map((x) => x.c);
      const b = items.map((x) => x.b);
      const batch = derivative ? p.dsigmaBatch : p.sigmaBatch;
      const estimates = p.withError !== undefined;
      if (items.length > 1 && batch) {
        const errors = estimates ? new Float64Array(items.length) : undefined;
        const values = batch.call(p, a, c, b, undefined, errors);
        bar.done();
        return { values, ...(errors ? { errors } : {}) };
      }
      if (items.length === 1 && p.withError) {
        const r = p.withError(derivative ? 'dsigma' : 'sigma', a[0]!, c[0]!, b[0]!);
        return { values: Float64Array.of(r.value), errors: Float64Array.of(r.error), route: r.route };
      }
      return { values: Float64Array.from(items, (x) => (derivative ? p.dsigma(x.a, x.c, x.b) : p.sigma(x.a, x.c, x.b))) };
    },
  };
}

function runDual(activation: string, flags: DualFlags): void {
  if ((flags.cov === undefined) === (flags.batch === undefined)) throw new UsageError('give exactly one of --cov a,c,b or --batch file.csv');
  if (flags.derivative && activation === 'step') throw new UsageError('step has no σ̇ dual (σ̇ = δ); E[Y(u)Y(v)] is relu --derivative');
  const items = flags.cov !== undefined ? [parseCov(flags.cov, '--cov')] : readBatch(flags.batch!);
  const p = provider(activation, flags.method);
  // Everything is computed before anything is printed: an error leaves no partial output.
  const { values, errors, route } = p.evaluate(items, !!flags.derivative);
  const kind = flags.derivative ? 'E[σ̇(u)σ̇(v)]' : 'E[σ(u)σ(v)]';
  const estimate = (i: number) => (errors ? { error: errors[i] } : {});
  const plusMinus = (i: number) => (errors ? ` ± ${errors[i]!.toExponential(1)}` : '');
  if (flags.cov !== undefined) {
    const { a, c, b } = items[0]!;
    if (flags.json)
      printJson({ activation, a, c, b, derivative: !!flags.derivative, value: values[0], ...estimate(0), method: p.name, ...(route ? { route } : {}) });
    else
      console.log(
        `${kind} for ${activation}, a = ${a}, c = ${c}, b = ${b}: ${values[0]}${plusMinus(0)}   (method ${p.name}${route ? `, route ${route}` : ''})`,
      );
    return;
  }
  if (flags.json) {
    printJson(items.map((x, i) => ({ a: x.a, c: x.c, b: x.b, value: values[i], ...estimate(i) })));
    return;
  }
  console.log(`${'a'.padStart(12)} ${'c'.padStart(12)} ${'b'.padStart(12)}  ${kind} (${activation}, ${p.name})${errors ? '  ± estimated error' : ''}`);
  items.forEach((x, i) => console.log(`${String(x.a).padStart(12)} ${String(x.c).padStart(12)} ${String(x.b).padStart(12)}  ${values[i]}${plusMinus(i)}`));
}
