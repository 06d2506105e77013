import { Command, CommanderError } from 'commander';
import { UsageError, describeError } from './io.ts';
import { clip, closest } from './text.ts';

type Register = (program: Command) => void;

/**
 * Each command lives in its own file, loaded on demand: `hgm dual …` loads the numerics only, not the CAS behind
 * gb/restrict/derive. In help order; restrict.ts registers both restrict and integrate.
 */
const COMMANDS: readonly (readonly [names: readonly string[], load: () => Promise<Register>])[] = [
  [['gb'], async () => (await import('./gbCommand.ts')).registerGb],
  [['pfaffian'], async () => (await import('./pfaffianCommand.ts')).registerPfaffian],
  [['restrict', 'integrate'], async () => (await import('./restrictCommand.ts')).registerRestrict],
  [['bfunction'], async () => (await import('./bfunctionCommand.ts')).registerBFunction],
  [['bernstein'], async () => (await import('./bernsteinCommand.ts')).registerBernstein],
  [['annfs'], async () => (await import('./annfsCommand.ts')).registerAnnFs],
  [['rank'], async () => (await import('./rankCommand.ts')).registerRank],
  [['char'], async () => (await import('./charCommand.ts')).registerChar],
  [['singlocus'], async () => (await import('./singlocusCommand.ts')).registerSingLocus],
  [['derive'], async () => (await import('./deriveCommand.ts')).registerDerive],
  [['dual'], async () => (await import('./dualCommand.ts')).registerDual],
  [['ntk'], async () => (await import('./ntkCommand.ts')).registerNtk],
  [['regress'], async () => (await import('./regressCommand.ts')).registerRegress],
  [['experiment'], async () => (await import('./experimentCommand.ts')).registerExperiment],
  [['cache'], async () => (await import('./cacheCommand.ts')).registerCache],
];

/**
 * An option the command does not know, named with the closest one it does (`--idael` → `--ideal`), before
 * commander would report a required option as missing. Values of options that take one are skipped.
 */
function checkOptions(program: Command, argv: readonly string[]): void {
  const name = argv[0];
  const cmd = program.commands.find((c) => c.name() === name || c.aliases().includes(name ?? ''));
  if (!cmd) return;
  const known = new Map<string, boolean>();
  for (const o of cmd.options) {
    const takesValue = o.required || o.optional;
    if (o.long) known.set(o.long, takesValue);
    if (o.short) known.set(o.short, takesValue);
  }
  known.set('--help', false).set('-h', false);
  for (let i = 1; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') return;
    if (!token.startsWith('-') || token === '-' || /^-\d|^-\./.test(token)) continue;
    const flag = token.startsWith('--') ? token.split('=')[0]! : token.slice(0, 2);
    const value = known.get(flag);
    if (value === undefined) {
      const hint = closest(
        flag,
        [...known.keys()].filter((k) => k.startsWith('--')),
      );
      throw new UsageError(`${cmd.name()}: unknown option '${flag}'${hint ? ` (did you mean ${hint}?)` : ''}; see hgm ${cmd.name()} --help`);
    }
    if (value && !token.includes('=') && !(token.length > 2 && !token.startsWith('--'))) i++;
  }
}

/**
 * Builds the `hgm` program. With `argv`, only the command it names is loaded (`hgm <command> …`,
 * `hgm help <command>`); without, or when argv names none (root help, a typo), every command is.
 */
export async function buildProgram(argv?: readonly string[], version?: string): Promise<Command> {
  const program = new Command('hgm')
    .description('Holonomic systems for neural tangent kernels: Weyl-algebra Gröbner bases, Pfaffian systems, dual activations.')
    .exitOverride();
  if (version !== undefined) program.version(version, '-V, --version', 'the version of the hgm command');
  const name = argv?.[0] === 'help' ? argv[1] : argv?.[0];
  const named = COMMANDS.find(([names]) => name !== undefined && names.includes(name));
  for (const [, load] of named ? [named] : COMMANDS) (await load())(program);
  return program;
}

/**
 * Runs the `hgm` command with the given arguments (without `node` and the script); returns the exit code: 0,
 * 2 for a usage error, another code for a failure. Errors a user can act on print one line; no stack traces.
 * `options.version` enables `--version` (the bin passes its package's version).
 *
 * @example
 * ```ts
 * import { main } from '@holonomic-ntk/cli';
 * await main(['dual', 'relu', '--cov', '1,0.5,2', '--method', 'closed', '--json']); // → 0
 * ```
 */
export async function main(argv: string[], options: { version?: string } = {}): Promise<number> {
  const program = await buildProgram(argv, options.version);
  // Commander's usage errors as one line, like every other error: `hgm: missing required argument … (run with --help for usage)`.
  const outputError = (s: string, write: (s: string) => void) =>
    write(`hgm: ${clip(s.replace(/^error: /, '').replace(/\s*\(Did you mean (.*)\?\)/, ' (did you mean $1?)'))} (run with --help for usage)\n`);
  program.configureOutput({ writeErr: (s) => process.stderr.write(s), outputError });
  for (const c of program.commands) c.configureOutput({ writeErr: (s) => process.stderr.write(s), outputError });
  try {
    checkOptions(program, argv);
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2; // commander has printed help or the usage error
    const { message, code } = describeError(e);
    process.stderr.write(`hgm: ${message}\n`);
    return code;
  }
}
