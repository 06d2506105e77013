import { Command, CommanderError } from 'commander';
import { describeError } from './io.ts';

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
];

/**
 * Builds the `hgm` program. With `argv`, only the command it names is loaded (`hgm <command> …`,
 * `hgm help <command>`); without, or when argv names none (root help, a typo), every command is.
 */
export async function buildProgram(argv?: readonly string[], version?: string): Promise<Command> {
  const program = new Command('hgm')
    .description('Holonomic systems for neural tangent kernels: Weyl-algebra Gröbner bases, Pfaffian systems, dual activations.')
    .showHelpAfterError('(run with --help for usage)')
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
  program.configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2; // commander has printed help or the usage error
    const { message, code } = describeError(e);
    process.stderr.write(`hgm: ${message}\n`);
    return code;
  }
}
