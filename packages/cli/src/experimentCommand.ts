/**
 * `hgm experiment`: NTK regression on the unit circle comparing dual-activation methods (closed form,
 * Gauss–Hermite 20, HGM per entry, HGM all-at-once), or with `--dataset cars` NTK regression on the vega-datasets
 * cars. `npm start` runs `hgm experiment --figure out/experiment-resin.svg`.
 */
import { readArtifact } from '@holonomic-ntk/core';
import type { Command } from 'commander';
import { activationArtifactText, isBuiltinActivationName } from './activationArtifact.ts';
import { activationResolver, activationSpec } from './activationResolver.ts';
import { CARS_DEFAULTS, runCarsExperiment, type CarsExperimentResult } from './experiment/carsExperiment.ts';
import { circleFigure } from './experiment/circleFigure.ts';
import { CIRCLE_DEFAULTS, runCircleExperiment, type CircleExperimentResult, type ExperimentProgress } from './experiment/circleExperiment.ts';
import { DIGITS_DEFAULTS, DIGITS_SPLIT, type DigitsArchitecture, type DigitsExperimentResult, runDigitsExperiment } from './experiment/digitsExperiment.ts';
import { experimentActivation, experimentActivations } from './experiment/methods.ts';
import { UsageError, printJson } from './io.ts';
import { MAX_DEPTH, TIMEOUT_HELP, checkMemory, deadline, withDeadline } from './limits.ts';
import { planOutput, writeOutput } from './output.ts';
import { progressBar, type ProgressBar } from './progress.ts';

interface ExperimentFlags {
  activation?: string;
  expr?: string;
  artifact?: string;
  nTrain?: string;
  nTest?: string;
  depth?: string;
  wStd?: string;
  bStd?: string;
  diagReg?: string;
  seed?: string;
  workers?: string;
  dataset?: string;
  architecture?: string;
  json?: boolean;
  figure?: string;
  timeout?: string;
}

/**
 * Adds `experiment` to the `hgm` program.
 *
 * For example:
 *   const program = new Command('hgm');
 *   registerExperiment(program);
 *   await program.parseAsync(['experiment', '--activation', 'relu', '--n-train', '20'], { from: 'user' });
 */
export function registerExperiment(program: Command): void {
  program
    .command('experiment')
    .description(
      'NTK regression of f(θ) = sin 3θ + ½ cos 5θ on the unit circle: per dual-activation method the training time, inference time, kernel error and test error (or --dataset cars, --dataset digits: real data).',
    )
    .option('--activation <name>', `${experimentActivations().join(' | ')}, or a holonomic formula in u (default ${CIRCLE_DEFAULTS.activation})`)
    .option('--expr <formula>', 'σ as a formula in u (with a σ̇ function; the HGM rows need a holonomic one)')
    .option('--artifact <file.json>', 'a Pfaffian artifact, as written by hgm derive -o')
    .option('--n-train <N>', `training points, one at a random angle in each of N equal arcs (default ${CIRCLE_DEFAULTS.nTrain})`)
    .option('--n-test <M>', `test points on an even grid of angles (default ${CIRCLE_DEFAULTS.nTest})`)
    .option('--depth <L>', `hidden layers, ≥ 1 (default ${CIRCLE_DEFAULTS.depth}; cars: ${CARS_DEFAULTS.depth})`)
    .option('--w-std <s>', `weight standard deviation σw (default ${CIRCLE_DEFAULTS.wStd}; cars: ${CARS_DEFAULTS.wStd})`)
    .option('--b-std <s>', `bias standard deviation σb (default ${CIRCLE_DEFAULTS.bStd}; cars: ${CARS_DEFAULTS.bStd})`)
    .option('--diag-reg <λ>', `ridge relative to the mean diagonal of Θ (default ${CIRCLE_DEFAULTS.diagReg}; cars: chosen on a validation split)`)
    .option('--seed <n>', `seed of the training angles (default ${CIRCLE_DEFAULTS.seed}) or of the cars split (default ${CARS_DEFAULTS.seed})`)
    .option('--workers <n>', 'worker threads for the kernels (default: by matrix size and cores; 0: this thread only)')
    .option(
      '--dataset <name>',
      "cars: Miles_per_Gallon of vega-datasets' cars, NTK (relu, gelu, resin by HGM) against a linear baseline; digits: NTK classification of the UCI 8×8 digits (fc and CNN-GAP; relu, gelu, resin, a formula; HGM against Gauss–Hermite 20)",
    )
    .option(
      '--architecture <a>',
      `digits: fc, cnn or fc,cnn (default); --n-train/--n-test take the first N of the ${DIGITS_SPLIT.train} training and M of the ${DIGITS_SPLIT.test} test digits (default fc ${DIGITS_DEFAULTS.fc.nTrain}/${DIGITS_DEFAULTS.fc.nTest}, cnn ${DIGITS_DEFAULTS.cnn.nTrain}/${DIGITS_DEFAULTS.cnn.nTest})`,
    )
    .option('--json', 'machine-readable output')
    .option('--figure <path.svg>', 'write the predictions against the target over θ as SVG (atomically; - for standard output)')
    .option('--timeout <seconds>', TIMEOUT_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  hgm experiment\n  hgm experiment --activation relu --n-train 80 --n-test 200 --depth 3 --figure relu.svg\n  hgm experiment --activation gelu --json\n  hgm experiment --dataset cars\n  hgm experiment --dataset digits --architecture cnn --n-train 100 --n-test 100\n  hgm experiment --dataset digits --activation resin --architecture fc\n' +
        '\nKernel error: max relative error of the train NTK against the closed form, or (no closed form) against the HGM\nper entry at path rtol 1e-15, itself checked against adaptive quadrature on 6 training points.\nTimes are wall-clock seconds: training = train NTK + Cholesky solve, inference = test NTK + prediction.',
    )
    .action((flags: ExperimentFlags) => runExperimentCommand(flags));
}

function parseNumber(text: string | undefined, flag: string, check: (v: number) => boolean, want: string): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || !check(v)) throw new UsageError(`${flag}: expected ${want}, got "${text}"`);
  return v;
}

const positiveInt = (v: number) => Number.isInteger(v) && v >= 1;

async function runExperimentCommand(flags: ExperimentFlags): Promise<void> {
  const depth = parseNumber(flags.depth, '--depth', (v) => positiveInt(v) && v <= MAX_DEPTH, `an integer from 1 to ${MAX_DEPTH}`);
  const wStd = parseNumber(flags.wStd, '--w-std', (v) => v > 0, 'a positive number');
  const bStd = parseNumber(flags.bStd, '--b-std', (v) => v >= 0, 'a number ≥ 0');
  const seed = parseNumber(flags.seed, '--seed', (v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32, 'an integer in [0, 2³²)');
  const workers = parseNumber(flags.workers, '--workers', (v) => Number.isInteger(v) && v >= 0, 'an integer ≥ 0');
  const limit = deadline(flags.timeout);
  if (flags.dataset === 'digits') return runDigitsCommand(flags, limit);
  if (flags.architecture !== undefined) throw new UsageError('--architecture goes with --dataset digits');
  if (flags.dataset !== undefined) {
    if (flags.dataset !== 'cars') throw new UsageError(`--dataset: expected cars or digits, got "${flags.dataset}"`);
    const circleOnly = (['activation', 'nTrain', 'nTest', 'diagReg', 'figure'] as const).filter((k) => flags[k] !== undefined);
    if (circleOnly.length > 0) {
      const name = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      throw new UsageError(`${circleOnly.map(name).join(', ')} do${circleOnly.length === 1 ? 'es' : ''} not apply to --dataset cars`);
    }
    const result = await withProgress(limit, (onProgress, signal) =>
      runCarsExperiment({
        signal,
        ...(depth !== undefined ? { depth } : {}),
        ...(wStd !== undefined ? { wStd } : {}),
        ...(bStd !== undefined ? { bStd } : {}),
        ...(seed !== undefined ? { seed } : {}),
        ...(workers !== undefined ? { workers } : {}),
        onProgress: (e) => onProgress({ step: 'train', method: e.method, state: e.state, ...(e.seconds !== undefined ? { seconds: e.seconds } : {}) }),
      }),
    );
    if (flags.json) printJson(result);
    else printCars(result);
    return;
  }

  const given = flags.activation !== undefined || flags.expr !== undefined || flags.artifact !== undefined;
  const activation = given ? activationSpec(flags) : CIRCLE_DEFAULTS.activation;
  try {
    experimentActivation(activation);
  } catch (e) {
    throw new UsageError(`--activation: ${(e as Error).message}`);
  }
  const nTrain = parseNumber(flags.nTrain, '--n-train', (v) => Number.isInteger(v) && v >= 2, 'an integer ≥ 2') ?? CIRCLE_DEFAULTS.nTrain;
  const nTest = parseNumber(flags.nTest, '--n-test', positiveInt, 'an integer ≥ 1') ?? CIRCLE_DEFAULTS.nTest;
  const diagReg = parseNumber(flags.diagReg, '--diag-reg', (v) => v >= 0, 'a number ≥ 0') ?? CIRCLE_DEFAULTS.diagReg;
  if (flags.figure !== undefined && flags.figure !== '-' && !flags.figure.toLowerCase().endsWith('.svg'))
    throw new UsageError(`--figure: expected a path ending in .svg (or -), got "${flags.figure}"`);
  // Checked before anything is computed: the figure's path; then the memory of the kernel matrices (the train NTK
  // per method and the reference, test × train, and their copies).
  const figure = planOutput(flags.figure, '--figure');
  if (figure?.kind === 'stdout' && flags.json) throw new UsageError('--figure - and --json both write to standard output; give one');
  checkMemory(
    'hgm experiment: the kernel matrices',
    [
      [nTrain, nTrain],
      [nTest, nTrain],
    ],
    8,
  );

  // The Pfaffian the HGM rows use: the committed artifact, or derived now (then the providers find it cached).
  const isFile = activation.endsWith('.json');
  const loaded = isFile ? undefined : activationArtifactText(isBuiltinActivationName(activation) ? { name: activation } : { expr: activation });
  const artifact = loaded ? readArtifact(loaded.text) : activationResolver.hgm(activation).artifact;
  const ranks = artifact.systems.map((s) => `${s.integrands.join('+')} rank ${s.rank}`);

  const result = await withProgress(limit, (onProgress, signal) =>
    runCircleExperiment({
      signal,
      activation,
      nTrain,
      nTest,
      depth: depth ?? CIRCLE_DEFAULTS.depth,
      wStd: wStd ?? CIRCLE_DEFAULTS.wStd,
      bStd: bStd ?? CIRCLE_DEFAULTS.bStd,
      diagReg,
      seed: seed ?? CIRCLE_DEFAULTS.seed,
      ...(workers !== undefined ? { workers } : {}),
      onProgress,
    }),
  );
  if (figure?.kind === 'stdout') {
    writeOutput(figure, circleFigure(result));
    return;
  }
  const pfaffian = { source: loaded ? loaded.source : `artifact file ${activation}`, systems: ranks };
  if (flags.json) {
    printJson({
      settings: result.settings,
      pfaffian,
      reference: result.reference,
      rows: result.rows.map(({ predictions: _p, ...row }) => row),
      ...(flags.figure !== undefined ? { figure: flags.figure } : {}),
    });
    // The table is printed first: a figure that cannot be written is an error (exit 2), never the loss of the results.
    if (figure) writeOutput(figure, circleFigure(result));
    return;
  }
  printCircle(result, pfaffian);
  if (figure) {
    writeOutput(figure, circleFigure(result));
    console.log(`\nfigure: ${flags.figure}`);
  }
}

async function runDigitsCommand(flags: ExperimentFlags, limit: ReturnType<typeof deadline>): Promise<void> {
  const notHere = (['expr', 'artifact', 'depth', 'wStd', 'bStd', 'diagReg', 'seed', 'workers', 'figure'] as const).filter((k) => flags[k] !== undefined);
  if (notHere.length > 0) {
    const name = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw new UsageError(`${notHere.map(name).join(', ')} do${notHere.length === 1 ? 'es' : ''} not apply to --dataset digits`);
  }
  const nTrain = parseNumber(flags.nTrain, '--n-train', (v) => positiveInt(v) && v <= DIGITS_SPLIT.train, `an integer from 1 to ${DIGITS_SPLIT.train}`);
  const nTest = parseNumber(flags.nTest, '--n-test', (v) => positiveInt(v) && v <= DIGITS_SPLIT.test, `an integer from 1 to ${DIGITS_SPLIT.test}`);
  const archText = flags.architecture ?? DIGITS_DEFAULTS.architectures.join(',');
  const architectures = [...new Set(archText.split(',').map((a) => a.trim()))];
  if (!architectures.every((a): a is DigitsArchitecture => a === 'fc' || a === 'cnn'))
    throw new UsageError(`--architecture: expected fc, cnn or fc,cnn, got "${archText}"`);
  let activations = DIGITS_DEFAULTS.activations;
  if (flags.activation !== undefined) {
    try {
      experimentActivation(flags.activation);
    } catch (e) {
      throw new UsageError(`--activation: ${(e as Error).message}`);
    }
    activations = [flags.activation];
  }
  const n = architectures.map((a) => [nTrain ?? DIGITS_DEFAULTS[a].nTrain, nTest ?? DIGITS_DEFAULTS[a].nTest] as const);
  checkMemory(
    'hgm experiment: the kernel matrices',
    n.flatMap(([tr, te]) => [[tr, tr] as const, [te, tr] as const]),
    8,
  );
  const result = await withProgress(limit, (onProgress, signal) =>
    runDigitsExperiment({
      architectures,
      activations,
      ...(nTrain !== undefined ? { nTrain } : {}),
      ...(nTest !== undefined ? { nTest } : {}),
      onProgress,
      signal,
    }),
  );
  if (flags.json) printJson(result);
  else printDigits(result);
}

/**
 * Runs `job` with a progress bar on stderr per kernel step (drawn only on a terminal and only for steps longer
 * than a second) and Ctrl-C as cancellation.
 */
async function withProgress<T>(
  limit: ReturnType<typeof deadline>,
  job: (onProgress: (e: ExperimentProgress) => void, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const ctl = new AbortController();
  const onSigint = () => ctl.abort();
  limit?.signal.addEventListener('abort', () => ctl.abort(limit.signal.reason), { once: true });
  process.once('SIGINT', onSigint);
  let bar: ProgressBar | undefined;
  const label = (e: ExperimentProgress) =>
    `hgm experiment: ${e.method ? `${e.method}, ` : ''}${{ reference: 'reference kernel', 'cross-check': 'quadrature cross-check', train: 'training', inference: 'inference' }[e.step]}`;
  try {
    return await withDeadline(limit, () =>
      job((e) => {
        if (e.state === 'start') {
          bar?.done();
          bar = progressBar(label(e));
          // A step without tile progress (the cars fits) still shows its bar after a second at 0 %.
          bar.update(0, 1);
        } else if (e.state === 'progress' && e.kernel) bar?.update(e.kernel.entriesDone, e.kernel.entries);
        else if (e.state === 'end') {
          bar?.done();
          bar = undefined;
        }
      }, ctl.signal),
    );
  } finally {
    bar?.done();
    process.removeListener('SIGINT', onSigint);
  }
}

const sci = (v: number, digits = 2) => (Number.isFinite(v) ? v.toExponential(digits) : String(v));

function table(header: string[], rows: string[][], alignLeft = 1): string {
  const widths = header.map((h, j) => Math.max([...h].length, ...rows.map((r) => [...r[j]!].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, j) => (j < alignLeft ? c.padEnd(widths[j]!) : c.padStart(widths[j]!)))
      .join('   ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function printCircle(r: CircleExperimentResult, pfaffian: { source: string; systems: string[] }): void {
  const s = r.settings;
  console.log(`NTK regression on the unit circle: f(θ) = ${s.target}, inputs x = (cos θ, sin θ)`);
  console.log(
    `activation ${s.activation} = ${s.formula}; depth ${s.depth}, σw = ${s.wStd}, σb = ${s.bStd} (neural-tangents ntk parameterization); ` +
      `diagReg ${s.diagReg}; ${s.nTrain} training points (seed ${s.seed}), ${s.nTest} test points`,
  );
  console.log(`Pfaffian system: ${pfaffian.source} (${pfaffian.systems.join(', ')})`);
  const ref = r.reference;
  let refLine = `kernel reference: ${ref.description} (${ref.seconds.toFixed(1)} s)`;
  if (ref.crossCheck)
    refLine += `; reference vs adaptive quadrature on ${ref.crossCheck.points} training points: max rel. error ${sci(ref.crossCheck.maxRelError)}`;
  console.log(`${refLine}\n`);
  const rows = r.rows.map((row) => [
    row.label,
    row.trainSeconds.toFixed(3),
    row.inferenceSeconds.toFixed(3),
    sci(row.kernelError),
    sci(row.kernelErrorEntrywise),
    sci(row.testRmse, 3),
    row.solver === 'eigen' ? `not PD (λmin ${sci(row.minEigenvalue ?? NaN)})` : '',
  ]);
  const anyNote = rows.some((x) => x[6] !== '');
  const header = ['method', 'train (s)', 'inference (s)', 'kernel error', 'entrywise', 'test RMSE', ...(anyNote ? ['note'] : [])];
  console.log(table(header, anyNote ? rows : rows.map((x) => x.slice(0, 6))));
  console.log('kernel error: max |Θ − Θref| / max |Θref| over the train NTK; entrywise: max |Θ − Θref| / |Θref|.');
  if (anyNote) console.log('not PD: that train NTK plus the ridge is not positive definite, so α comes from its eigen-decomposition, not Cholesky.');
}

function printDigits(r: DigitsExperimentResult): void {
  const s = r.settings;
  console.log(
    `UCI 8×8 digits: the first ${s.split.train} images train, the other ${s.split.test} test (or the first N / M of each); pixels/16; one-hot targets; NTK regression at t = ∞ (ridge ${s.diagReg} × mean diagonal), argmax`,
  );
  for (const [a, net] of Object.entries(s.networks)) console.log(`${a}: ${net}; σw = √2, σb = ${s.bStd}, ntk parameterization`);
  console.log(
    `HGM at path rtol ${s.hgmRuntime.rtol}, tolerance ${s.hgmRuntime.tolerance}; kernel error: max |Θ − Θ_HGM| / max |Θ_HGM| over Θ(train, train) and Θ(test, train)\n`,
  );
  const rows = r.rows.map((row) => [
    row.architecture,
    row.activation,
    row.method,
    `${row.nTrain}/${row.nTest}`,
    row.kernelSeconds.toFixed(1),
    `${(100 * row.accuracy).toFixed(1)} %`,
    row.kernelError === null ? (row.method === 'HGM' ? 'reference' : '—') : sci(row.kernelError),
    [
      row.crossCheck ? `HGM vs quadrature (${row.crossCheck.images} images): ${sci(row.crossCheck.maxRelError)}` : '',
      row.solver === 'eigen' ? `not PD (λmin ${sci(row.minEigenvalue ?? Number.NaN)})` : '',
    ]
      .filter((t) => t !== '')
      .join('; '),
  ]);
  console.log(table(['net', 'activation', 'method', 'train/test', 'kernel (s)', 'accuracy', 'kernel error', 'note'], rows, 4));
  if (r.rows.some((row) => row.solver === 'eigen'))
    console.log('not PD: that train NTK plus the ridge is not positive definite, so α comes from its eigen-decomposition, not Cholesky.');
}

function printCars(r: CarsExperimentResult): void {
  const s = r.settings;
  const c = r.counts;
  console.log(`cars (vega-datasets): Miles_per_Gallon from ${s.features.join(', ')}`);
  console.log(
    `${c.total} rows, ${c.dropped} dropped for nulls; shuffle seed ${s.seed}: ${c.train} train (of which ${c.validation} validation for the regulariser), ${c.test} test; ` +
      'features and target standardized with training statistics',
  );
  console.log(`NTK: depth ${s.depth}, σw = ${s.wStd}, σb = ${s.bStd}, infinite training time\n`);
  const rows = [
    ['predict the training mean', '', '', r.meanBaselineRmse.toFixed(3), ''],
    ...r.rows.map((row) => [row.label, String(row.regularizer), row.validationRmse.toFixed(3), row.testRmse.toFixed(3), row.seconds.toFixed(2)]),
  ];
  console.log(table(['method', 'λ / diagReg', 'validation RMSE', 'test RMSE (mpg)', 'time (s)'], rows));
}
