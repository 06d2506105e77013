import type { Command } from 'commander';
import { BUILTIN_ARTIFACTS, COMPILER_VERSION } from '@holonomic-ntk/restriction';
import { BUILTIN_ACTIVATION_NAMES } from '@holonomic-ntk/core';
import { type ActivationSource, activationArtifactText, isBuiltinActivationName } from './activationArtifact.ts';
import { UsageError, progressReporter, splitList } from './io.ts';
import { TIMEOUT_HELP, deadline, withDeadline } from './limits.ts';
import { planOutput, writeOutput } from './output.ts';
import { clip, closest, isInheritedName } from './text.ts';

interface DeriveFlags {
  expr?: string;
  annihilator?: string;
  sigma?: string;
  basis?: string;
  json?: boolean;
  output?: string;
  rederive?: boolean;
  cache?: boolean;
  timings?: boolean;
  timeout?: string;
}

export function registerDerive(program: Command): void {
  program
    .command('derive')
    .description('Derive the Pfaffian artifact (hgm-pfaffian/2) of the dual activations E[σσ] and E[σ̇σ̇] of an activation.')
    .argument('[name]', `a built-in activation: ${BUILTIN_ACTIVATION_NAMES.join(', ')} (shipped: ${BUILTIN_ARTIFACTS.map((b) => b.name).join(', ')})`)
    .option('--expr <formula>', 'σ as a formula in u, e.g. "heaviside(u)*sin(u)" (exp, sin, cos, erf, Phi, heaviside, polynomials, diff)')
    .option('--annihilator <op>', 'an annihilating operator of σ in u, du, e.g. "u*du-1" (checked against --sigma when given)')
    .option('--sigma <formula>', 'σ as a formula, to verify --annihilator numerically')
    .option('--basis <ops>', 'basis of the σ system, e.g. "1, dx12" (default: a basis without spurious poles on x12 = 0)')
    .option('--json', 'print the artifact as JSON (default: a summary table)')
    .option('-o, --output <file>', 'write the artifact to a file (atomically; - for standard output)')
    .option('--rederive', 'derive a built-in again instead of loading its committed artifact')
    .option('--no-cache', 'do not read or write the on-disk cache for new activations')
    .option('--timings', 'keep the compiler timings (seconds per stage) in a derived artifact (default: left out, so artifacts are byte-reproducible)')
    .option('--timeout <seconds>', TIMEOUT_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  hgm derive relu\n  hgm derive --expr "heaviside(u)*sin(u)" -o resin.json\n  hgm derive --annihilator "u*du-1" --sigma "u*heaviside(u)" --json\n' +
        `\nNew activations are cached in $HGM_CACHE_DIR (default ~/.cache/holonomic-ntk), keyed by a hash of the\nnormalized operators, the basis and the compiler version (${COMPILER_VERSION}).`,
    )
    .action((name: string | undefined, flags: DeriveFlags) => runDerive(name, flags));
}

async function runDerive(name: string | undefined, flags: DeriveFlags): Promise<void> {
  const given = [name !== undefined, flags.expr !== undefined, flags.annihilator !== undefined].filter(Boolean).length;
  if (given !== 1) throw new UsageError('give exactly one of: a built-in name, --expr "<formula>", or --annihilator "<op>"');
  if (flags.sigma !== undefined && flags.annihilator === undefined) throw new UsageError('--sigma goes with --annihilator (it verifies it)');
  // Checked before anything is derived: where the artifact goes and how long it may take.
  const out = planOutput(flags.output, '--output');
  if (out?.kind === 'stdout' && flags.json) throw new UsageError('--output - and --json both write to standard output; give one');
  const limit = deadline(flags.timeout);
  const progress = progressReporter('hgm derive');
  const sigmaBasis = flags.basis ? splitList(flags.basis.replace(/;/g, ','), '--basis') : undefined;
  if (name !== undefined && (isInheritedName(name) || !isBuiltinActivationName(name))) {
    const near = closest(name, BUILTIN_ACTIVATION_NAMES);
    throw new UsageError(
      clip(
        `unknown activation "${name}"${near ? ` (did you mean "${near}"?)` : ''}; built-ins: ${BUILTIN_ACTIVATION_NAMES.join(', ')} (or use --expr / --annihilator)`,
      ),
    );
  }
  const src: ActivationSource =
    name !== undefined
      ? { name }
      : flags.expr !== undefined
        ? { expr: flags.expr }
        : { annihilator: flags.annihilator!, ...(flags.sigma !== undefined ? { sigma: flags.sigma } : {}) };
  const { text, source } = await withDeadline(limit, (signal) =>
    activationArtifactText(src, {
      ...(sigmaBasis ? { basis: sigmaBasis } : {}),
      ...(flags.rederive ? { rederive: true } : {}),
      ...(flags.timings ? { timings: true } : {}),
      cache: flags.cache !== false,
      compile: { onProgress: progress.onProgress, ...(signal ? { signal } : {}) },
      onDerive: (what) => {
        if (name === undefined) process.stderr.write(`hgm derive: ${clip(what)}\n`);
      },
      onSystem: (which) => progress.note(which),
    }),
  );
  progress.done();
  const json = text.endsWith('\n') ? text : `${text}\n`;
  if (out?.kind === 'stdout') {
    writeOutput(out, json);
    return;
  }
  if (flags.json) {
    process.stdout.write(json);
    // The artifact is printed; a file that cannot be written is still an error (exit 2).
    if (out) writeOutput(out, text);
    return;
  }
  const artifact = JSON.parse(text) as {
    activation: { name: string; pieces?: Record<string, { formula: string; annihilator: string }[]> };
    systems: { integrands: string[]; rank: number; basis: string[]; singularLocus: string[]; pair?: [number, number] }[];
  };
  console.log(`activation ${artifact.activation.name} (${source})`);
  for (const [integrand, pieces] of Object.entries(artifact.activation.pieces ?? {})) {
    console.log(`${integrand} = sum of ${pieces.length} pieces: ${pieces.map((p, i) => `#${i} ${p.formula} (${p.annihilator})`).join(', ')}`);
  }
  console.log('integrands            pieces  rank  basis');
  for (const s of artifact.systems) {
    const pair = s.pair ? `${s.pair[0]},${s.pair[1]}` : '';
    console.log(`${s.integrands.join(', ').padEnd(20)}  ${pair.padStart(6)}  ${String(s.rank).padStart(4)}  [${s.basis.join(', ')}]`);
  }
  if (out) {
    writeOutput(out, text);
    console.log(`written to ${flags.output}`);
  }
}
