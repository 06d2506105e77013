/**
 * NTK regression on real data: Miles_per_Gallon of the vega-datasets cars (carsDataset.ts).
 *
 * Protocol (fixed, so the README table is reproducible):
 *  1. drop rows with nulls (392 of 406 remain); shuffle with mulberry32(seed), first 80 % train, last 20 % test;
 *  2. standardize features and target with the training rows' mean and standard deviation (the test rows never
 *     enter any statistic); predictions are mapped back to miles per gallon;
 *  3. the regulariser is chosen on a validation split — the last 20 % of the (shuffled) training rows — by the
 *     validation RMSE of a model fitted on the other 80 %, then the model is refitted on all training rows;
 *  4. NTK regression at t = ∞ (f₀ = 0): ŷ = Θ(X*, X)(Θ + λ·tr(Θ)/n·I)⁻¹ y, λ from {1e-6, 1e-4, 1e-3, 1e-2, 0.1, 1};
 *     the linear baseline: ridge least squares with an intercept, λ from {0, 0.01, 0.1, 1, 10, 100}.
 *
 * The inputs are not normalized, so the layer variances differ per car and the HGM's batch groups entries by
 * (a, b) — many small groups rather than the one curve of the circle experiment. Small row tiles therefore cost
 * the HGM nothing, and they let every core work: the kernels run on one worker thread per core.
 */
import { availableParallelism } from 'node:os';
import { type KernelSpec, type Inputs, type Matrix, matrix } from '@holonomic-ntk/ntk';
import { multiply } from '@holonomic-ntk/ntk/internal';
import { kernelMatrix } from '@holonomic-ntk/ntk/node';
import { CARS_FEATURES, fitStandardizer, loadCars, splitTrainTest, type CarRow } from './carsDataset.ts';
import { ridgeSolve, rmse, subMatrix } from './circleExperiment.ts';
import { fitRidge } from './linearBaseline.ts';

export type CarsMethodId = 'linear' | 'ntk-relu' | 'ntk-gelu' | 'ntk-resin';

/** Table order; the NTK rows name the activation and how its dual is evaluated. */
export const CARS_METHODS: readonly { id: CarsMethodId; label: string }[] = [
  { id: 'linear', label: 'linear (ridge least squares)' },
  { id: 'ntk-relu', label: 'NTK relu (closed form)' },
  { id: 'ntk-gelu', label: 'NTK gelu (closed form)' },
  { id: 'ntk-resin', label: 'NTK resin (HGM)' },
];

/** The fixed settings of the README table: not tuned on the test rows; depth 1 keeps the resin kernels affordable. */
export const CARS_DEFAULTS = { seed: 42, testFraction: 0.2, depth: 1, wStd: 1, bStd: 0.1 } as const;

export const NTK_DIAG_REGS: readonly number[] = [1e-6, 1e-4, 1e-3, 1e-2, 0.1, 1];
export const LINEAR_LAMBDAS: readonly number[] = [0, 0.01, 0.1, 1, 10, 100];

export interface CarsExperimentOptions {
  /** Shuffle seed (default 42). */
  seed?: number;
  /** Test fraction (default 0.2); the validation split is the same fraction of the training rows. */
  testFraction?: number;
  /** Hidden layers of the NTK networks (default 1). */
  depth?: number;
  /** σw, σb of every dense layer (defaults 1, 0.1). */
  wStd?: number;
  bStd?: number;
  /** Only these methods (default: all). */
  methods?: readonly CarsMethodId[];
  /** Worker threads for the NTK matrices (default: one per core; 0: this thread only). */
  workers?: number;
  /** The rows to use instead of loading vega-datasets' file. */
  rows?: readonly CarRow[];
  onProgress?: (event: { method: string; state: 'start' | 'end'; seconds?: number }) => void;
  /** Checked between methods (the promise rejects with an AbortError). */
  signal?: AbortSignal;
}

export interface CarsRow {
  method: CarsMethodId;
  label: string;
  /** The chosen regulariser: diagReg (relative, NTK) or λ (linear). */
  regularizer: number;
  validationRmse: number;
  /** Test RMSE in miles per gallon. */
  testRmse: number;
  seconds: number;
}

export interface CarsExperimentResult {
  settings: { seed: number; testFraction: number; depth: number; wStd: number; bStd: number; features: string[] };
  counts: { total: number; dropped: number; train: number; validation: number; test: number };
  /** Test RMSE of always predicting the training mean, for scale. */
  meanBaselineRmse: number;
  rows: CarsRow[];
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

function kernelPredict(kTrain: Matrix, y: number[], kTest: Matrix, diagReg: number): number[] {
  const { alpha } = ridgeSolve(kTrain, y, diagReg);
  return Array.from(multiply(kTest, matrix(alpha.map((v) => [v]))).data);
}

/**
 * Runs the cars regression for each method; see the file comment for the protocol. For example
 * `runCarsExperiment({ methods: ['linear', 'ntk-relu'] })` gives one row per method with its test RMSE in mpg.
 */
export async function runCarsExperiment(options: CarsExperimentOptions = {}): Promise<CarsExperimentResult> {
  const seed = options.seed ?? CARS_DEFAULTS.seed;
  const testFraction = options.testFraction ?? CARS_DEFAULTS.testFraction;
  const depth = options.depth ?? CARS_DEFAULTS.depth;
  const wStd = options.wStd ?? CARS_DEFAULTS.wStd;
  const bStd = options.bStd ?? CARS_DEFAULTS.bStd;
  if (!(Number.isInteger(depth) && depth >= 1)) throw new RangeError(`depth must be an integer ≥ 1, got ${depth}`);
  const data = options.rows ? { rows: [...options.rows], total: options.rows.length, dropped: 0 } : loadCars();
  const rows = data.rows;
  const { train, test } = splitTrainTest(rows, testFraction, seed);
  const nFit = Math.round((1 - testFraction) * train.length);
  const fitIdx = range(0, nFit);
  const valIdx = range(nFit, train.length);
  if (fitIdx.length < 2 || valIdx.length < 1 || test.length < 1) throw new RangeError(`too few rows (${rows.length}) for a train/validation/test split`);

  const xs = fitStandardizer(train.map((r) => r.features));
  const ys = fitStandardizer(train.map((r) => [r.mpg]));
  const xTrain = xs.apply(train.map((r) => r.features));
  const xTest = xs.apply(test.map((r) => r.features));
  const yTrain = ys.apply(train.map((r) => [r.mpg])).map((r) => r[0]!);
  const yTestMpg = test.map((r) => r.mpg);
  const toMpg = (v: number) => v * ys.std[0]! + ys.mean[0]!;
  const note = options.onProgress ?? (() => {});
  const breathe = async () => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    options.signal?.throwIfAborted();
  };
  const yFit = fitIdx.map((i) => yTrain[i]!);
  const yVal = valIdx.map((i) => yTrain[i]!);

  const out: CarsRow[] = [];
  const wanted = new Set(options.methods ?? CARS_METHODS.map((m) => m.id));
  for (const m of CARS_METHODS) {
    if (!wanted.has(m.id)) continue;
    note({ method: m.label, state: 'start' });
    await breathe();
    const t0 = performance.now();
    let best = { reg: NaN, val: Infinity };
    let testPred: number[];
    if (m.id === 'linear') {
      for (const lambda of LINEAR_LAMBDAS) {
        const model = fitRidge(
          fitIdx.map((i) => xTrain[i]!),
          yFit,
          lambda,
        );
        const val = rmse(model.predict(valIdx.map((i) => xTrain[i]!)).map(toMpg), yVal.map(toMpg));
        if (val < best.val) best = { reg: lambda, val };
      }
      testPred = fitRidge(xTrain, yTrain, best.reg).predict(xTest);
    } else {
      const spec: KernelSpec =
        m.id === 'ntk-resin'
          ? { depth, wStd, bStd, activation: 'resin', method: 'hgm' }
          : { depth, wStd, bStd, activation: m.id === 'ntk-relu' ? 'relu' : 'gelu', method: 'closed' };
      const ntk = async (x1: Inputs, x2: Inputs | null) => {
        // Closed forms take milliseconds: starting workers would cost more than it saves.
        const workers = spec.method === 'closed' ? 0 : (options.workers ?? availableParallelism());
        const k = await kernelMatrix(spec, x1, x2, { workers, tileEntries: 4000, ...(options.signal ? { signal: options.signal } : {}) });
        return k.ntk!;
      };
      const kTrain = await ntk(xTrain, null);
      for (const reg of NTK_DIAG_REGS) {
        const pred = kernelPredict(subMatrix(kTrain, fitIdx, fitIdx), yFit, subMatrix(kTrain, valIdx, fitIdx), reg);
        const val = rmse(pred.map(toMpg), yVal.map(toMpg));
        if (val < best.val) best = { reg, val };
      }
      testPred = kernelPredict(kTrain, yTrain, await ntk(xTest, xTrain), best.reg);
    }
    const seconds = (performance.now() - t0) / 1000;
    note({ method: m.label, state: 'end', seconds });
    out.push({ method: m.id, label: m.label, regularizer: best.reg, validationRmse: best.val, testRmse: rmse(testPred.map(toMpg), yTestMpg), seconds });
  }
  return {
    settings: { seed, testFraction, depth, wStd, bStd, features: [...CARS_FEATURES] },
    counts: { total: data.total, dropped: data.dropped, train: train.length, validation: valIdx.length, test: test.length },
    meanBaselineRmse: rmse(
      test.map(() => ys.mean[0]!),
      yTestMpg,
    ),
    rows: out,
  };
}
