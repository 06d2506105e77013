import { createRequire } from 'node:module';
import { ACTIVATIONS, DomainError, IntegrationError, readArtifact } from '@holonomic-ntk/core';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { dualActivation, dualActivationBatch } from '@holonomic-ntk/hgm-runtime';
import { closedFormDual, gaussHermiteDual, quadratureDual, type DualProvider } from '@holonomic-ntk/ntk';
import { UsageError, printJson } from './io.ts';

interface DualFlags {
  cov?: string;
  batch?: string;
  derivative?: boolean;
  method: string;
  json?: boolean;
}

const ARTIFACTS = dirname(createRequire(import.meta.url).resolve('@holonomic-ntk/hgm-runtime/artifacts/relu.artifact.json'));
type Cov = { a: number; c: number; b: number };

export function registerDual(program: Command): void {
  program
    .command('dual')
    .description('Dual activation E[σ(u)σ(v)] (or E[σ̇(u)σ̇(v)]) for (u, v) ~ N(0, [[a, c], [c, b]]).')
    .argument('<activation>', `one of ${Object.keys(ACTIVATIONS).join(', ')}`)
    .option('--cov <a,c,b>', 'one covariance: variances a, b and covariance c')
    .option('--batch <file.csv>', 'a CSV file of rows a,c,b (a header line is allowed); prints values in input order')
    .option('--derivative', 'E[σ̇(u)σ̇(v)] instead of E[σ(u)σ(v)]')
    .option('--method <m>', 'hgm (holonomic gradient method, the derived artifact) | closed | gh:<degree> | quad', 'hgm')
    .option('--json', 'machine-readable output')
    .addHelpText('after', '\nExamples:\n  hgm dual relu --cov 1,0.5,2\n  hgm dual resin --cov 1,0.3,1 --derivative --json\n  hgm dual gelu --batch covs.csv --method gh:20 --json')
    .action((activation: string, flags: DualFlags) => runDual(activation, flags));
}

function parseCov(text: string, where: string): Cov {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length !== 3 || parts.some((p) => p === '' || !Number.isFinite(Number(p)))) {
    throw new UsageError(`${where}: expected three numbers a,c,b, got "${text}"`);
  }
  const [a, c, b] = parts.map(Number) as [number, number, number];
  return { a, c, b };
}

function readBatch(path: string): Cov[] {
  if (!existsSync(path)) throw new UsageError(`--batch: no file ${path}`);
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const rows: Cov[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    // A first line that is not numeric is a header.
    if (i === 0 && !/^[\s\d.eE+,-]+$/.test(line)) return;
    rows.push(parseCov(line, `${path} row ${i + 1}`));
  });
  if (rows.length === 0) throw new UsageError(`--batch: ${path} has no rows`);
  return rows;
}

function provider(activation: string, method: string): { evaluate: (items: Cov[], derivative: boolean) => Float64Array; name: string } {
  const act = ACTIVATIONS[activation as keyof typeof ACTIVATIONS];
  if (!act) throw new UsageError(`unknown activation "${activation}"; known: ${Object.keys(ACTIVATIONS).join(', ')}`);
  const loop = (p: DualProvider) => (items: Cov[], derivative: boolean) =>
    Float64Array.from(items, (x) => (derivative ? p.dsigma(x.a, x.c, x.b) : p.sigma(x.a, x.c, x.b)));
  if (method === 'hgm') {
    const file = join(ARTIFACTS, `${activation}.artifact.json`);
    if (!existsSync(file)) throw new UsageError(`no derived artifact for ${activation} (run: hgm derive ${activation} -o ${file})`);
    const artifact = readArtifact(readFileSync(file, 'utf8'));
    return {
      name: 'hgm',
      evaluate: (items, derivative) => {
        const integrand = derivative ? 'dsigma' : 'sigma';
        try {
          return items.length === 1
            ? Float64Array.of(dualActivation(artifact, act, items[0]!.a, items[0]!.c, items[0]!.b, { integrand }))
            : dualActivationBatch(artifact, act, items, { integrand });
        } catch (e) {
          if (e instanceof IntegrationError) {
            throw new DomainError(`the HGM path did not converge for ${activation} here (${e.message}); --method quad evaluates these points by quadrature`);
          }
          throw e;
        }
      },
    };
  }
  if (method === 'closed') {
    const p = closedFormDual(activation);
    if (!p) throw new UsageError(`no closed form for ${activation}; use --method hgm, quad or gh:<degree>`);
    return { name: 'closed', evaluate: loop(p) };
  }
  if (method === 'quad') return { name: 'quad', evaluate: loop(quadratureDual(act)) };
  const gh = /^gh:(\d+)$/.exec(method);
  if (gh) {
    const deg = Number(gh[1]);
    if (deg < 1 || deg > 700) throw new UsageError(`--method gh:<degree> needs 1 ≤ degree ≤ 700, got ${deg}`);
    return { name: `gh:${deg}`, evaluate: loop(gaussHermiteDual(act, deg)) };
  }
  throw new UsageError(`--method: expected hgm, closed, gh:<degree> or quad, got "${method}"`);
}

function runDual(activation: string, flags: DualFlags): void {
  if ((flags.cov === undefined) === (flags.batch === undefined)) throw new UsageError('give exactly one of --cov a,c,b or --batch file.csv');
  if (flags.derivative && activation === 'step') throw new UsageError('step has no σ̇ dual (σ̇ = δ); E[Y(u)Y(v)] is relu --derivative');
  const items = flags.cov !== undefined ? [parseCov(flags.cov, '--cov')] : readBatch(flags.batch!);
  const p = provider(activation, flags.method);
  // Everything is computed before anything is printed: an error leaves no partial output.
  const values = p.evaluate(items, !!flags.derivative);
  const kind = flags.derivative ? 'E[σ̇(u)σ̇(v)]' : 'E[σ(u)σ(v)]';
  if (flags.cov !== undefined) {
    const { a, c, b } = items[0]!;
    if (flags.json) printJson({ activation, a, c, b, derivative: !!flags.derivative, value: values[0], method: p.name });
    else console.log(`${kind} for ${activation}, a = ${a}, c = ${c}, b = ${b}: ${values[0]}   (method ${p.name})`);
    return;
  }
  if (flags.json) {
    printJson(items.map((x, i) => ({ a: x.a, c: x.c, b: x.b, value: values[i] })));
    return;
  }
  console.log(`${'a'.padStart(12)} ${'c'.padStart(12)} ${'b'.padStart(12)}  ${kind} (${activation}, ${p.name})`);
  items.forEach((x, i) => console.log(`${String(x.a).padStart(12)} ${String(x.c).padStart(12)} ${String(x.b).padStart(12)}  ${values[i]}`));
}
