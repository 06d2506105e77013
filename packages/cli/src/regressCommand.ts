import { DomainError } from '@holonomic-ntk/core';
import type { Command } from 'commander';
import { gradientDescentMse, nngpPosterior } from '@holonomic-ntk/ntk';
import { matrixToCsv, readNumericCsv } from './csv.ts';
import { UsageError, printJson } from './io.ts';
import { TIMEOUT_HELP, checkMemory, deadline, withDeadline } from './limits.ts';
import { planOutput, writeOutput } from './output.ts';
import { progressBar } from './progress.ts';
import { networkFromFlags, networkUsageError } from './networkSpec.ts';
import { computeKernel, kernelSpecFromFlags, networkOptions, workersFlag, type NetworkFlags } from './ntkCommand.ts';

interface RegressFlags extends NetworkFlags {
  train: string;
  test: string;
  solver: string;
  tol: string;
  kernel: string;
  t?: string;
  diagReg: string;
  learningRate: string;
  out?: string;
  json?: boolean;
  timeout?: string;
  network?: string;
  shape?: string;
}

export function registerRegress(program: Command): void {
  const cmd = program
    .command('regress')
    .description('Kernel regression with the infinite-width NTK (gradient-descent training to time t) or the NNGP posterior.');
  networkOptions(cmd, '1')
    .requiredOption('--train <train.csv>', 'training set: features, then the target in the last column')
    .requiredOption('--test <test.csv>', 'test set, same columns')
    .option('--kernel <k>', 'ntk (trained network, neural-tangents gradient_descent_mse) | nngp (GP posterior mean and variance)', 'ntk')
    .option('--t <T>', 'training time (a number ≥ 0 or inf), or a comma-separated list of times (default inf: the kernel regression solution); ntk only')
    .option('--solver <s>', 'auto | cholesky | cg | eigen | lanczos (auto: dense up to a few thousand points, iterative above); ntk only', 'auto')
    .option('--tol <tol>', 'relative tolerance of the iterative solvers (cg residual, lanczos error estimate)', '1e-10')
    .option('--learning-rate <eta>', 'η of gradient flow on the mean squared error', '1')
    .option('--diag-reg <r>', 'diagonal regularisation, relative to the mean diagonal of K(train, train)', '0')
    .option('--out <preds.csv>', 'write target,prediction[,variance] per test row (atomically; - for standard output)')
    .option('--timeout <seconds>', TIMEOUT_HELP)
    .option('--json', 'machine-readable output')
    .option(
      '--network <spec>',
      "a network instead of --activation/--depth, e.g. 'conv(16,3x3,SAME) relu conv(16,3x3,SAME) relu globalAvgPool dense' (as hgm ntk --network)",
    )
    .option('--shape <H,W,C>', 'shape of the features of one row for --network (channel last), e.g. 8,8,1')
    .addHelpText(
      'after',
      '\nExamples:\n  hgm regress --activation relu --depth 2 --train train.csv --test test.csv\n  hgm regress --activation resin --train train.csv --test test.csv --t 100 --diag-reg 1e-4 --out preds.csv\n  hgm regress --activation relu --train train.csv --test test.csv --t 1,10,100,1000 --solver lanczos --tol 1e-8\n  hgm regress --activation erf --kernel nngp --train train.csv --test test.csv --json\n  hgm regress --network "conv(16,3x3,SAME) relu globalAvgPool dense" --shape 8,8,1 --method closed --train train.csv --test test.csv',
    )
    .action((flags: RegressFlags) => runRegress(flags));
}

async function runRegress(flags: RegressFlags): Promise<void> {
  if (flags.network === undefined && flags.shape !== undefined) throw new UsageError('--shape goes with --network');
  // --network: the activations are in the description (hgm ntk --network); else the fully connected network of the flags.
  const described = flags.network !== undefined ? networkFromFlags({ ...flags, network: flags.network }) : undefined;
  const spec = described ? undefined : kernelSpecFromFlags(flags);
  if (flags.kernel !== 'ntk' && flags.kernel !== 'nngp') throw new UsageError(`--kernel: expected ntk or nngp, got "${flags.kernel}"`);
  // A time is a number ≥ 0, or inf / ∞ / Infinity for the kernel regression solution.
  const timeOf = (s: string) => (/^\s*(inf|∞|infinity)\s*$/i.test(s) ? Infinity : s.trim() === '' ? Number.NaN : Number(s));
  const times = flags.t === undefined ? [Infinity] : flags.t.split(',').map(timeOf);
  if (!times.every((t) => t >= 0))
    throw new UsageError(`--t: expected a time ≥ 0 or inf, or a comma-separated list of them (omit it for t = ∞), got "${flags.t}"`);
  if (flags.t !== undefined && flags.kernel === 'nngp') throw new UsageError('--t goes with --kernel ntk (the NNGP posterior has no training time)');
  const diagReg = Number(flags.diagReg);
  if (flags.diagReg.trim() === '' || !(diagReg >= 0)) throw new UsageError(`--diag-reg: expected a number ≥ 0, got "${flags.diagReg}"`);
  const solvers = ['auto', 'cholesky', 'cg', 'eigen', 'lanczos'] as const;
  const solver = solvers.find((s) => s === flags.solver);
  if (!solver) throw new UsageError(`--solver: expected ${solvers.join(', ')}, got "${flags.solver}"`);
  const tol = Number(flags.tol);
  if (flags.tol.trim() === '' || !(tol > 0 && tol < 1)) throw new UsageError(`--tol: expected a number in (0, 1), got "${flags.tol}"`);
  const learningRate = Number(flags.learningRate);
  if (!(learningRate > 0)) throw new UsageError(`--learning-rate: expected a number > 0, got "${flags.learningRate}"`);
  const workers = workersFlag(flags);
  // Checked before anything is read or computed: where the predictions go and how long it may take.
  const out = planOutput(flags.out, '--out');
  if (out?.kind === 'stdout' && flags.json) throw new UsageError('--out - and --json both write to standard output; give one');
  const limit = deadline(flags.timeout);
  // Both files are read and checked before anything is computed or written.
  const train = readNumericCsv(flags.train, { minColumns: 2 });
  const test = readNumericCsv(flags.test, { minColumns: 2 });
  const d = train.rows[0]!.length;
  if (test.rows[0]!.length !== d)
    throw new UsageError(`${flags.test} has ${test.rows[0]!.length} columns, ${flags.train} has ${d}: the same features and a target are needed`);
  const xTrain = train.rows.map((r) => r.slice(0, -1));
  const yTrain = train.rows.map((r) => r[d - 1]!);
  const xTest = test.rows.map((r) => r.slice(0, -1));
  const yTest = test.rows.map((r) => r[d - 1]!);
  const ntk = flags.kernel === 'ntk';
  // K(train, train) with its factorization, K(test, train), and for the NNGP K(test, test): about 4 float64 per entry.
  checkMemory(
    'hgm regress: the kernel matrices',
    [[xTrain.length, xTrain.length], [xTest.length, xTrain.length], ...(ntk ? [] : [[xTest.length, xTest.length] as const])],
    4,
  );
  let predictions: number[] = [];
  let perTime: number[][] = [];
  let variance: number[] | undefined;
  await withDeadline(limit, async (signal) => {
    await regressionJob(signal);
  }).catch((e: unknown) => {
    // The solver's advice in the command's words: the option that adds the ridge.
    if (e instanceof DomainError && /not positive definite/.test(e.message))
      throw new DomainError(`${e.message.replace(/; add diagReg$/, '')}: the kernel matrix of --train is singular; give a ridge, e.g. --diag-reg 1e-6`);
    throw e;
  });
  /** K(x1, x2): the fully connected spec through kernelMatrix (tiles, workers), or the described network in this thread. */
  async function kernel(label: string, x1: number[][], x2: number[][] | null, withNtk: boolean, signal: AbortSignal | undefined) {
    if (spec) return computeKernel(label, spec, x1, x2, workers, withNtk, signal);
    await new Promise<void>((resolve) => setImmediate(resolve));
    signal?.throwIfAborted();
    try {
      const { net, shape } = described!;
      return withNtk ? net.kernels(x1, x2, shape ? { shape } : {}) : { nngp: net.kernelFn(x1, x2, 'nngp', shape ? { shape } : {}), ntk: undefined };
    } catch (e) {
      throw networkUsageError(e);
    }
  }
  async function regressionJob(signal: AbortSignal | undefined): Promise<void> {
    const kTrain = await kernel('hgm regress: K(train, train)', xTrain, null, ntk, signal);
    const kCross = await kernel('hgm regress: K(test, train)', xTest, xTrain, ntk, signal);
    const kernelOf = (k: typeof kTrain) => (ntk ? k.ntk! : k.nngp);
    if (ntk) {
      const bar = progressBar('hgm regress: solve');
      const predict = gradientDescentMse(kernelOf(kTrain), yTrain, {
        diagReg,
        learningRate,
        solver,
        tol,
        ...(signal ? { signal } : {}),
        onProgress: (p) => bar.update(p.done, p.total),
      });
      perTime = predict({ t: times, kTestTrain: kernelOf(kCross) }).map((p) => Array.from(p.test!.data)); // one output: a column
      bar.done();
      predictions = perTime[0]!;
    } else {
      const kTest = await kernel('hgm regress: K(test, test)', xTest, null, false, signal);
      const post = nngpPosterior(kernelOf(kTrain), yTrain, kernelOf(kCross), kernelOf(kTest), { diagReg });
      predictions = Array.from(post.mean.data);
      variance = post.variance;
    }
  }
  const rmseOf = (ps: number[]) => Math.sqrt(ps.reduce((s, p, i) => s + (p - yTest[i]!) ** 2, 0) / ps.length);
  const rmse = rmseOf(predictions);
  const timeText = (t: number) => (t === Infinity ? '∞' : String(t));
  const jsonTime = (t: number) => (t === Infinity ? 'Infinity' : t);
  const several = ntk && times.length > 1;
  const v = variance as number[] | undefined;
  const text = () =>
    matrixToCsv(
      predictions.map((p, i) => (v ? [yTest[i]!, p, v[i]!] : several ? [yTest[i]!, ...perTime.map((q) => q[i]!)] : [yTest[i]!, p])),
      v ? ['target', 'prediction', 'variance'] : several ? ['target', ...times.map((t) => `prediction_t=${timeText(t)}`)] : ['target', 'prediction'],
    );
  if (out?.kind === 'stdout') {
    writeOutput(out, text());
    return;
  }
  if (flags.json) {
    if (several) printJson({ kernel: flags.kernel, solver, t: times.map(jsonTime), rmse: perTime.map(rmseOf), predictions: perTime });
    else printJson({ rmse, t: ntk ? jsonTime(times[0]!) : null, kernel: flags.kernel, predictions, ...(v ? { variance: v } : {}) });
    // The predictions are printed; a file that cannot be written is still an error (exit 2).
    if (out) writeOutput(out, text());
    return;
  }
  console.log(
    `${flags.kernel.toUpperCase()} regression, ${spec ? `${spec.activation}, depth ${spec.depth}, method ${spec.method}` : `network ${flags.network}, method ${flags.method}`}, ${xTrain.length} training and ${xTest.length} test points${ntk ? `, t = ${times.map(timeText).join(', ')}` : ''}, diagReg ${diagReg}`,
  );
  if (several) times.forEach((t, i) => console.log(`t = ${timeText(t)}: test RMSE ${rmseOf(perTime[i]!).toPrecision(6)}`));
  else console.log(`test RMSE ${rmse.toPrecision(6)}`);
  if (several) console.log('(predictions below at the first time; all times with --out or --json)');
  const shown = Math.min(predictions.length, 20);
  console.log(`${'row'.padStart(6)} ${'target'.padStart(14)} ${'prediction'.padStart(14)}${v ? ` ${'variance'.padStart(14)}` : ''}`);
  for (let i = 0; i < shown; i++) {
    console.log(
      `${String(test.lines[i]).padStart(6)} ${yTest[i]!.toPrecision(8).padStart(14)} ${predictions[i]!.toPrecision(8).padStart(14)}${v ? ` ${v[i]!.toPrecision(6).padStart(14)}` : ''}`,
    );
  }
  if (shown < predictions.length) console.log(`… ${predictions.length - shown} more${flags.out ? '' : ' (use --out preds.csv)'}`);
  if (out) {
    writeOutput(out, text());
    console.log(`written to ${flags.out}`);
  }
}
