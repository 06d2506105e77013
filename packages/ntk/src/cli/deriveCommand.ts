import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import {
  BUILTIN_ARTIFACTS,
  COMPILER_VERSION,
  type CompileSpec,
  activationAnnihilator,
  artifactToJson,
  compileActivation,
} from '@holonomic-ntk/restriction';
import { writeFileAtomic } from './atomicWrite.ts';
import { UsageError, progressReporter, splitList } from './io.ts';

interface DeriveFlags {
  expr?: string;
  annihilator?: string;
  sigma?: string;
  basis?: string;
  json?: boolean;
  output?: string;
  rederive?: boolean;
  cache?: boolean;
}

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '../../../restriction/artifacts');

/** Where derived artifacts of new activations are cached: $HGM_CACHE_DIR or ~/.cache/holonomic-ntk. */
function cacheDir(): string {
  return process.env.HGM_CACHE_DIR ?? join(homedir(), '.cache', 'holonomic-ntk');
}

export function registerDerive(program: Command): void {
  program
    .command('derive')
    .description('Derive the Pfaffian artifact (hgm-pfaffian/1) of the dual activations E[σσ] and E[σ̇σ̇] of an activation.')
    .argument('[name]', `a built-in activation: ${BUILTIN_ARTIFACTS.map((b) => b.name).join(', ')}`)
    .option('--expr <formula>', 'σ as a formula in u, e.g. "heaviside(u)*sin(u)" (exp, sin, cos, erf, Phi, heaviside, polynomials, diff)')
    .option('--annihilator <op>', 'an annihilating operator of σ in u, du, e.g. "u*du-1" (checked against --sigma when given)')
    .option('--sigma <formula>', 'σ as a formula, to verify --annihilator numerically')
    .option('--basis <ops>', 'basis of the σ system, e.g. "1, dx12" (default: a basis without spurious poles on x12 = 0)')
    .option('--json', 'print the artifact as JSON (default: a summary table)')
    .option('-o, --output <file>', 'write the artifact to a file (atomically)')
    .option('--rederive', 'derive a built-in again instead of loading its committed artifact')
    .option('--no-cache', 'do not read or write the on-disk cache for new activations')
    .addHelpText(
      'after',
      '\nExamples:\n  hgm derive relu\n  hgm derive --expr "heaviside(u)*sin(u)" -o resin.json\n  hgm derive --annihilator "u*du-1" --sigma "u*heaviside(u)" --json\n' +
        `\nNew activations are cached in $HGM_CACHE_DIR (default ~/.cache/holonomic-ntk), keyed by a hash of the\nnormalized operators, the basis and the compiler version (${COMPILER_VERSION}).`,
    )
    .action((name: string | undefined, flags: DeriveFlags) => runDerive(name, flags));
}

function runDerive(name: string | undefined, flags: DeriveFlags): void {
  const given = [name !== undefined, flags.expr !== undefined, flags.annihilator !== undefined].filter(Boolean).length;
  if (given !== 1) throw new UsageError('give exactly one of: a built-in name, --expr "<formula>", or --annihilator "<op>"');
  if (flags.sigma !== undefined && flags.annihilator === undefined) throw new UsageError('--sigma goes with --annihilator (it verifies it)');
  const progress = progressReporter('hgm derive');
  const sigmaBasis = flags.basis ? splitList(flags.basis.replace(/;/g, ','), '--basis') : undefined;
  let text: string;
  let source: string;
  if (name !== undefined) {
    const spec = BUILTIN_ARTIFACTS.find((b) => b.name === name);
    if (!spec) throw new UsageError(`unknown activation "${name}"; built-ins: ${BUILTIN_ARTIFACTS.map((b) => b.name).join(', ')} (or use --expr / --annihilator)`);
    const file = join(ARTIFACTS, spec.file);
    if (!flags.rederive && !sigmaBasis && existsSync(file)) {
      text = readFileSync(file, 'utf8');
      source = `built-in artifact ${spec.file}`;
    } else {
      text = artifactToJson(compileActivation({ ...spec, ...(sigmaBasis ? { sigmaBasis } : {}), options: { onProgress: progress.onProgress } }));
      source = 'derived now';
    }
  } else {
    const a = activationAnnihilator(
      flags.expr !== undefined ? { formula: flags.expr } : { operator: flags.annihilator!, ...(flags.sigma !== undefined ? { formula: flags.sigma } : {}) },
      { verify: flags.expr !== undefined || flags.sigma !== undefined },
    );
    // σ̇ = 0 almost everywhere (operator 1) has no dual worth a system.
    const dsigma = a.dsigma.text.replace(/\s+/g, '') === '1' ? undefined : a.dsigma.text;
    const spec: CompileSpec = {
      name: flags.expr !== undefined ? `expr:${a.formula ?? flags.expr}` : `annihilator:${a.text}`,
      sigmaOperator: a.text,
      ...(dsigma ? { dsigmaOperator: dsigma } : {}),
      ...(a.formula ? { sigmaText: a.formula } : {}),
      ...(sigmaBasis ? { sigmaBasis } : {}),
      options: { onProgress: progress.onProgress },
    };
    const key = createHash('sha256')
      .update(JSON.stringify([COMPILER_VERSION, spec.sigmaOperator, spec.dsigmaOperator ?? null, sigmaBasis ?? null]))
      .digest('hex')
      .slice(0, 24);
    const cached = join(cacheDir(), `${key}.artifact.json`);
    if (flags.cache !== false && existsSync(cached)) {
      text = readFileSync(cached, 'utf8');
      source = `cache ${cached}`;
    } else {
      process.stderr.write(`hgm derive: σ annihilator ${a.text}${dsigma ? `, σ̇ annihilator ${dsigma}` : ''} (${a.derivedFrom})\n`);
      text = artifactToJson(compileActivation(spec));
      source = 'derived now';
      if (flags.cache !== false) writeFileAtomic(cached, text);
    }
  }
  progress.done();
  if (flags.output) writeFileAtomic(flags.output, text);
  if (flags.json) {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    return;
  }
  const artifact = JSON.parse(text) as { activation: { name: string }; systems: { integrands: string[]; rank: number; basis: string[]; singularLocus: string[] }[] };
  console.log(`activation ${artifact.activation.name} (${source})`);
  console.log('integrands            rank  basis');
  for (const s of artifact.systems) console.log(`${s.integrands.join(', ').padEnd(20)}  ${String(s.rank).padStart(4)}  [${s.basis.join(', ')}]`);
  if (flags.output) console.log(`written to ${flags.output}`);
}
