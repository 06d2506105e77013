import type { Command } from 'commander';
import { RESOLVER_MODULE, activationResolver, activationSpec } from './activationResolver.ts';
import { DUAL_METHODS, parseDualMethod, dualProvider, type DualMethod, type KernelSpec, type Inputs } from '@holonomic-ntk/ntk';
import { kernelMatrix, type KernelMatrix } from '@holonomic-ntk/ntk/node';
import { readNumericCsv } from './csv.ts';
import { UsageError } from './io.ts';
import { MAX_DEPTH, TIMEOUT_HELP, checkMemory, deadline, withDeadline } from './limits.ts';
import { planOutput } from './output.ts';
import { printKernelMatrix } from './kernelOutput.ts';
import { progressBar } from './progress.ts';
import { runNetworkNtk } from './networkSpec.ts';

/** The network flags `hgm ntk` and `hgm regress` share. */
export interface NetworkFlags {
  activation?: string;
  expr?: string;
  artifact?: string;
  depth: string;
  wStd: string;
  bStd: string;
  parameterization: string;
  method: string;
  width?: string;
  workers?: string;
}

/**
 * Adds the network flags to a command.
 *
 * For example `networkOptions(program.command('ntk')).requiredOption('--x <file.csv>', 'inputs')`.
 */
export function networkOptions(cmd: Command, defaultDepth?: string): Command {
  return cmd
    .option('--activation <name>', 'a built-in (relu, erf, gelu, resin, step, phi, rectpow:<m>) or a formula in u such as "heaviside(u)*cos(u)"')
    .option('--expr <formula>', 'σ as a formula in u; numeric-only ones (tanh(u), silu(u), softplus(u)) with --method quad, gh:<n> or mc:<n>')
    .option('--artifact <file.json>', 'a Pfaffian artifact, as written by hgm derive -o')
    .option('--depth <L>', 'number of hidden layers', defaultDepth)
    .option('--w-std <s>', 'weight standard deviation σw', '1')
    .option('--b-std <s>', 'bias standard deviation σb', '0')
    .option('--parameterization <p>', 'ntk | standard (neural-tangents)', 'ntk')
    .option('--width <n>', 'hidden width (the standard parameterization needs it)')
    .option('--method <m>', `dual activations by: ${DUAL_METHODS}`, 'hgm')
    .option('--workers <n>', 'worker threads (default: by matrix size and cores; 0: this thread only)');
}

function number(text: string, flag: string, check: (v: number) => boolean, want: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || !check(v)) throw new UsageError(`${flag}: expected ${want}, got "${text}"`);
  return v;
}

/**
 * The kernel spec of the network flags, checked (the provider is built once here so its errors are usage errors).
 *
 * For example `kernelSpecFromFlags({ activation: 'relu', depth: '2', wStd: '1', bStd: '0', parameterization: 'ntk', method: 'closed' })`.
 */
export function kernelSpecFromFlags(f: NetworkFlags): KernelSpec {
  const activation = activationSpec(f);
  if (f.depth === undefined) throw new UsageError('--depth <L> is required');
  const depth = number(f.depth, '--depth', (v) => Number.isInteger(v) && v >= 0 && v <= MAX_DEPTH, `an integer from 0 to ${MAX_DEPTH}`);
  const wStd = number(f.wStd, '--w-std', (v) => v >= 0, 'a number ≥ 0');
  const bStd = number(f.bStd, '--b-std', (v) => v >= 0, 'a number ≥ 0');
  if (f.parameterization !== 'ntk' && f.parameterization !== 'standard')
    throw new UsageError(`--parameterization: expected ntk or standard, got "${f.parameterization}"`);
  if (f.parameterization === 'standard' && f.width === undefined) throw new UsageError('--parameterization standard needs --width <n> (the hidden width)');
  const width = f.width === undefined ? undefined : number(f.width, '--width', (v) => Number.isInteger(v) && v > 0, 'a positive integer');
  let method: DualMethod;
  try {
    method = parseDualMethod(f.method);
    dualProvider(activation, method, activationResolver);
  } catch (e) {
    if (e instanceof Error && (e.name === 'KernelSpecError' || e.name === 'ParseError' || e.name === 'DomainError'))
      throw new UsageError(`activation ${activation}, --method ${f.method}: ${e.message}`);
    throw e;
  }
  return {
    depth,
    activation,
    method,
    wStd,
    bStd,
    parameterization: f.parameterization,
    ...(width !== undefined ? { width } : {}),
    resolverModule: RESOLVER_MODULE,
  };
}

/**
 * Parses --workers.
 *
 * For example `workersFlag({ ...flags, workers: '2' })` gives 2.
 */
export function workersFlag(f: NetworkFlags): number | undefined {
  return f.workers === undefined ? undefined : number(f.workers, '--workers', (v) => Number.isInteger(v) && v >= 0, 'an integer ≥ 0');
}

/**
 * K(x1, x2) with a progress bar on a terminal and Ctrl-C as cancellation (exit code 130).
 *
 * For example `const k = await computeKernel('hgm ntk', { depth: 2, activation: 'relu' }, x, null, undefined, true)`.
 */
export async function computeKernel(
  label: string,
  spec: KernelSpec,
  x1: Inputs,
  x2: Inputs | null,
  workers: number | undefined,
  ntk: boolean,
  signal?: AbortSignal,
): Promise<KernelMatrix> {
  const bar = progressBar(label);
  const ctl = new AbortController();
  const onSigint = () => ctl.abort();
  process.once('SIGINT', onSigint);
  // A deadline (--timeout) aborts the kernel like Ctrl-C; withDeadline then names it.
  signal?.addEventListener('abort', () => ctl.abort(signal.reason), { once: true });
  try {
    return await kernelMatrix(spec, x1, x2, {
      ntk,
      signal: ctl.signal,
      onProgress: (p) => bar.update(p.entriesDone, p.entries),
      ...(workers !== undefined ? { workers } : {}),
    });
  } finally {
    process.removeListener('SIGINT', onSigint);
    bar.done();
  }
}

interface NtkFlags extends NetworkFlags {
  x: string;
  x2?: string;
  kernel: string;
  json?: boolean;
  out?: string;
  timeout?: string;
  network?: string;
  shape?: string;
}

export function registerNtk(program: Command): void {
  const cmd = program
    .command('ntk')
    .description('Infinite-width NTK or NNGP matrix of a fully connected network (neural-tangents conventions) between the rows of CSV files.');
  networkOptions(cmd)
    .requiredOption('--x <file.csv>', 'inputs, one per row (a header line is allowed)')
    .option('--x2 <file.csv>', 'second set of inputs: K(X, X2) (default K(X, X))')
    .option('--kernel <k>', 'ntk | nngp', 'ntk')
    .option('--json', 'print {"kernel": [[...]]}')
    .option('--out <K.csv>', 'write the matrix as CSV (atomically; - for standard output)')
    .option('--timeout <seconds>', TIMEOUT_HELP)
    .option('--network <spec>', "a network instead of --depth, e.g. 'conv(16,3x3,SAME) relu conv(16,3x3,SAME) relu globalAvgPool dense' (src/networkSpec.ts)")
    .option('--shape <H,W,C>', 'shape of one input row for --network (channel last), e.g. 8,8,1')
    .addHelpText(
      'after',
      '\nExamples:\n  hgm ntk --activation relu --depth 2 --x X.csv\n  hgm ntk --activation resin --depth 3 --x X.csv --method gh:20 --out K.csv\n  hgm ntk --activation erf --depth 1 --x X.csv --x2 Y.csv --kernel nngp --json\n' +
        '\nA small matrix is printed as a table, a large one as a summary. Large matrices are computed in row tiles on\nworker threads, with a progress bar when stderr is a terminal.',
    )
    .action((flags: NtkFlags) => runNtk(flags));
}

async function runNtk(flags: NtkFlags): Promise<void> {
  if (flags.network !== undefined) return runNetworkNtk({ ...flags, network: flags.network });
  const spec = kernelSpecFromFlags(flags);
  if (flags.kernel !== 'ntk' && flags.kernel !== 'nngp') throw new UsageError(`--kernel: expected ntk or nngp, got "${flags.kernel}"`);
  const workers = workersFlag(flags);
  // Checked before anything is read or computed: where the matrix goes and how long it may take.
  const out = planOutput(flags.out, '--out');
  if (out?.kind === 'stdout' && flags.json) throw new UsageError('--out - and --json both write to standard output; give one');
  const limit = deadline(flags.timeout);
  const x = readNumericCsv(flags.x).rows;
  const x2 = flags.x2 !== undefined ? readNumericCsv(flags.x2).rows : null;
  if (x2 && x2[0]!.length !== x[0]!.length)
    throw new UsageError(`${flags.x2} has ${x2[0]!.length} columns, ${flags.x} has ${x[0]!.length}: inputs must have the same dimension`);
  // The NTK and NNGP matrices, their rows as arrays and the text: about 4 float64 per entry.
  checkMemory(`hgm ntk: K(${flags.x}, ${flags.x2 ?? flags.x})`, [[x.length, (x2 ?? x).length]], 4);
  const start = performance.now();
  const k = await withDeadline(limit, (signal) => computeKernel('hgm ntk', spec, x, x2, workers, flags.kernel === 'ntk', signal));
  const seconds = (performance.now() - start) / 1000;
  const m = flags.kernel === 'ntk' ? k.ntk! : k.nngp;
  const what = `${flags.kernel.toUpperCase()} ${m.rows}×${m.cols}, ${spec.activation}, depth ${spec.depth}, σw = ${spec.wStd}, σb = ${spec.bStd}, ${spec.parameterization} parameterization, method ${spec.method}`;
  printKernelMatrix(m, out, flags, `${what} (${seconds.toFixed(2)} s)`, true);
}
