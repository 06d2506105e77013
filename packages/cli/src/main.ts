import { Command, CommanderError } from 'commander';
import { describeError } from './io.ts';
import { registerGb } from './gbCommand.ts';
import { registerPfaffian } from './pfaffianCommand.ts';
import { registerRestrict } from './restrictCommand.ts';
import { registerDerive } from './deriveCommand.ts';
import { registerDual } from './dualCommand.ts';
import { registerNtk } from './ntkCommand.ts';
import { registerRegress } from './regressCommand.ts';
import { registerExperiment } from './experimentCommand.ts';

/** Builds the `hgm` program; each command lives in its own file. */
export function buildProgram(): Command {
  const program = new Command('hgm')
    .description('Holonomic systems for neural tangent kernels: Weyl-algebra Gröbner bases, Pfaffian systems, dual activations.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerGb(program);
  registerPfaffian(program);
  registerRestrict(program);
  registerDerive(program);
  registerDual(program);
  registerNtk(program);
  registerRegress(program);
  registerExperiment(program);
  return program;
}

/** Runs the CLI; returns the exit code. Errors a user can act on print one line; no stack traces. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
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
