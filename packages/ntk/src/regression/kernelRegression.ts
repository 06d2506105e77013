/**
 * Kernel regression with an NTK or NNGP, following neural-tangents' `predict.gradient_descent_mse` and
 * `predict.gp_inference` (neural_tangents/_src/predict.py):
 *
 *  - Loss ½·mean over all N = n·k target entries of (f − y)², continuous-time gradient descent with rate η:
 *      f_t(X)  = Y + e^{−ηΘt/N}(f_0(X) − Y),
 *      f_t(X*) = f_0(X*) + Θ(X*, X) Θ⁻¹(e^{−ηΘt/N} − I)(f_0(X) − Y),
 *    evaluated in the eigenbasis of Θ with expm1; eigenvalues λ < 0 (rounding) are clamped to 0, i.e. those
 *    directions are frozen — neural-tangents' expm1(−max(λ,0)ηt/N)/|λ| is 0 there, and for λ = 0 we use 0 as well
 *    (for PSD [[Θ, Θ*ᵀ], [Θ*, Θ**]] a null vector of Θ is also annihilated by Θ*, so its coefficient is irrelevant).
 *  - t = ∞: f(X) = Y (as neural-tangents returns) and f(X*) = f_0(X*) + Θ* Θ⁻¹ (Y − f_0(X)) by Cholesky.
 *  - diagReg: Θ + diagReg·(tr Θ/n)·I, or + diagReg·I with diagRegAbsoluteScale (neural-tangents' convention).
 *  - NNGP posterior: mean K* K⁻¹ Y, covariance K** − K* K⁻¹ K*ᵀ.
 */
import { cholesky, choleskySolve, matrix, multiply, symmetricEigen, type Matrix } from './linearAlgebra.ts';

/**
 * Targets: one row per training point (k outputs), a plain vector for k = 1, or an n × k {@link Matrix}.
 *
 * @example
 * ```ts
 * import { gradientDescentMse, matrix, type Targets } from '@holonomic-ntk/ntk';
 * const k = matrix([[2, 0], [0, 4]]);
 * const asVector: Targets = [1, 2];
 * const asRows: Targets = [[1], [2]];
 * gradientDescentMse(k, asVector)({ t: 0 }).train; // → gradientDescentMse(k, asRows)({ t: 0 }).train
 * ```
 */
export type Targets = readonly (readonly number[])[] | readonly number[] | Matrix;

/**
 * Options of {@link gradientDescentMse} and (without learningRate) {@link nngpPosterior}.
 *
 * @example
 * ```ts
 * import { gradientDescentMse, matrix, type RegressionOptions } from '@holonomic-ntk/ntk';
 * const options: RegressionOptions = { learningRate: 0.5, diagReg: 1, diagRegAbsoluteScale: true };
 * // K + 1·I = 2·I: at t = ∞ the test prediction is K*·(K + I)⁻¹·y.
 * gradientDescentMse(matrix([[1, 0], [0, 1]]), [2, 4], options)({ kTestTrain: matrix([[1, 1]]) }).test?.data[0]; // ≈ 3
 * ```
 */
export interface RegressionOptions {
  /** η (default 1). Time enters only as η·t. */
  learningRate?: number;
  /** Diagonal regularisation (default 0). */
  diagReg?: number;
  /** diagReg in absolute units instead of relative to the mean diagonal (default false). */
  diagRegAbsoluteScale?: boolean;
}

/**
 * What a predictor of {@link gradientDescentMse} is asked: a time, initial outputs, test kernel rows.
 *
 * @example
 * ```ts
 * import { gradientDescentMse, matrix, type PredictArgs } from '@holonomic-ntk/ntk';
 * const predict = gradientDescentMse(matrix([[2, 0], [0, 2]]), [1, 1]);
 * const args: PredictArgs = { t: 0, fxTrain0: [0.5, -0.5] };
 * predict(args).train.data; // → Float64Array.of(0.5, -0.5)
 * ```
 */
export interface PredictArgs {
  /** Training time; undefined or Infinity: t = ∞. */
  t?: number;
  /** f_0 on the training points (default 0). */
  fxTrain0?: Targets | number;
  /** Θ(X*, X), one row per test point; omit for train-set predictions only. */
  kTestTrain?: Matrix;
  /** f_0 on the test points (default 0). */
  fxTest0?: Targets | number;
}

/**
 * Predictions of a {@link gradientDescentMse} predictor: f_t on the training and (given kTestTrain) test points.
 *
 * @example
 * ```ts
 * import { gradientDescentMse, matrix, toRows, type Predictions } from '@holonomic-ntk/ntk';
 * const p: Predictions = gradientDescentMse(matrix([[2, 0], [0, 2]]), [1, -1])({ kTestTrain: matrix([[1, 0]]) });
 * toRows(p.train); // → [[1], [-1]]
 * p.test!.data[0]; // ≈ 0.5
 * ```
 */
export interface Predictions {
  /** f_t(X), n × k. */
  train: Matrix;
  /** f_t(X*), n* × k (when kTestTrain was given). */
  test?: Matrix;
}

function isMatrix(y: Targets): y is Matrix {
  return !Array.isArray(y);
}

function checkMatrix(m: Matrix, what: string): void {
  if (!(m.data instanceof Float64Array) || m.data.length !== m.rows * m.cols) {
    throw new RangeError(`${what} must be a Matrix {rows, cols, data: Float64Array of rows·cols entries}`);
  }
}

function targetMatrix(y: Targets): Matrix {
  if (isMatrix(y)) {
    checkMatrix(y, 'targets');
    return y;
  }
  if (y.length > 0 && typeof y[0] === 'number') return matrix((y as readonly number[]).map((v) => [v]));
  return matrix(y as readonly (readonly number[])[]);
}

function initialValues(f: Targets | number | undefined, rows: number, cols: number): Matrix {
  if (f === undefined || typeof f === 'number') {
    return { rows, cols, data: new Float64Array(rows * cols).fill(f ?? 0) };
  }
  const m = targetMatrix(f);
  if (m.rows !== rows || m.cols !== cols) throw new RangeError(`initial values must be ${rows}×${cols}, got ${m.rows}×${m.cols}`);
  return m;
}

function regularised(k: Matrix, diagReg: number, absolute: boolean): Matrix {
  checkMatrix(k, 'kTrainTrain');
  const n = k.rows;
  if (k.cols !== n) throw new RangeError('kTrainTrain must be square');
  const m: Matrix = { rows: n, cols: n, data: Float64Array.from(k.data) };
  let trace = 0;
  for (let i = 0; i < n; i++) trace += m.data[i * n + i]!;
  const reg = absolute ? diagReg : (diagReg * trace) / n;
  for (let i = 0; i < n; i++) m.data[i * n + i]! += reg;
  return m;
}

/**
 * Predictions of gradient-flow training on MSE with kernel kTrainTrain (neural-tangents gradient_descent_mse).
 * The Cholesky factor (t = ∞) and the eigen-decomposition (finite t) are computed once, on first use.
 *
 * @example
 * ```ts
 * import { fullyConnected, gradientDescentMse } from '@holonomic-ntk/ntk';
 * const net = fullyConnected({ depth: 1, activation: 'relu', wStd: 1.5, bStd: 0.1 });
 * const x = [[1, 0], [0, 1], [0.6, 0.8]];
 * const predict = gradientDescentMse(net.kernelFn(x, null, 'ntk'), [1, -1, 0.5]);
 * const { train, test } = predict({ kTestTrain: net.kernelFn([[0.8, 0.6]], x, 'ntk') });
 * Array.from(train.data); // → [1, -1, 0.5]
 * [test?.rows, test?.cols]; // → [1, 1]
 * predict({ t: 0 }).train.data[0]; // → 0
 * ```
 */
export function gradientDescentMse(kTrainTrain: Matrix, yTrain: Targets, options: RegressionOptions = {}): (args?: PredictArgs) => Predictions {
  const eta = options.learningRate ?? 1;
  const k = regularised(kTrainTrain, options.diagReg ?? 0, options.diagRegAbsoluteScale ?? false);
  const y = targetMatrix(yTrain);
  const n = k.rows;
  if (y.rows !== n) throw new RangeError(`yTrain has ${y.rows} rows, kTrainTrain is ${n}×${n}`);
  const normalization = y.rows * y.cols;
  let chol: Matrix | undefined;
  let eig: ReturnType<typeof symmetricEigen> | undefined;

  return (args: PredictArgs = {}) => {
    const t = args.t ?? Infinity;
    if (!(t >= 0)) throw new RangeError(`t must be ≥ 0, got ${t}`);
    const f0 = initialValues(args.fxTrain0, n, y.cols);
    const kTest = args.kTestTrain;
    if (kTest) {
      checkMatrix(kTest, 'kTestTrain');
      if (kTest.cols !== n) throw new RangeError(`kTestTrain must have ${n} columns`);
    }
    const fTest0 = kTest ? initialValues(args.fxTest0, kTest.rows, y.cols) : undefined;
    const residual = { rows: n, cols: y.cols, data: f0.data.map((v, i) => v - y.data[i]!) }; // f_0 − Y

    if (t === Infinity) {
      const out: Predictions = { train: { rows: y.rows, cols: y.cols, data: Float64Array.from(y.data) } };
      if (kTest && fTest0) {
        chol ??= cholesky(k);
        const alpha = choleskySolve(chol, residual);
        const d = multiply(kTest, alpha);
        out.test = { rows: fTest0.rows, cols: fTest0.cols, data: fTest0.data.map((v, i) => v - d.data[i]!) };
      }
      return out;
    }

    eig ??= symmetricEigen(k);
    const { values, vectors: v } = eig;
    const kc = y.cols;
    // Residual in the eigenbasis: r̂ = Vᵀ(f_0 − Y).
    const rHat = new Float64Array(n * kc);
    for (let p = 0; p < n; p++)
      for (let i = 0; i < n; i++) {
        const vip = v.data[i * n + p]!;
        for (let c = 0; c < kc; c++) rHat[p * kc + c]! += vip * residual.data[i * kc + c]!;
      }
    const scale = (eta * t) / normalization;
    const em1 = Float64Array.from(values, (lam) => Math.expm1(-Math.max(lam, 0) * scale)); // e^{−ληt/N} − 1
    const back = (coef: Float64Array): Matrix => {
      const out = new Float64Array(n * kc);
      for (let i = 0; i < n; i++)
        for (let p = 0; p < n; p++) {
          const w = v.data[i * n + p]! * coef[p]!;
          if (w === 0) continue;
          for (let c = 0; c < kc; c++) out[i * kc + c]! += w * rHat[p * kc + c]!;
        }
      return { rows: n, cols: kc, data: out };
    };
    const dTrain = back(em1);
    const out: Predictions = { train: { rows: f0.rows, cols: f0.cols, data: f0.data.map((x, i) => x + dTrain.data[i]!) } };
    if (kTest && fTest0) {
      const inv = Float64Array.from(values, (lam, p) => (lam > 0 ? em1[p]! / lam : 0));
      const d = multiply(kTest, back(inv));
      out.test = { rows: fTest0.rows, cols: fTest0.cols, data: fTest0.data.map((x, i) => x + d.data[i]!) };
    }
    return out;
  };
}

/**
 * NNGP (Gaussian-process) posterior at test points: mean K* K⁻¹ Y and covariance K** − K* K⁻¹ K*ᵀ, with the
 * same diagReg convention (the regulariser plays the role of observation noise).
 *
 * @example
 * ```ts
 * import { fullyConnected, nngpPosterior } from '@holonomic-ntk/ntk';
 * const net = fullyConnected({ depth: 1, activation: 'erf', bStd: 0.1 });
 * const x = [[1, 0], [0, 1]];
 * const xs = [[0.6, 0.8]];
 * const post = nngpPosterior(net.kernelFn(x, null, 'nngp'), [1, -1], net.kernelFn(xs, x, 'nngp'), net.kernelFn(xs, null, 'nngp'));
 * [post.mean.rows, post.mean.cols, post.covariance.rows]; // → [1, 1, 1]
 * post.variance[0] >= 0 && post.variance[0] === post.covariance.data[0]; // → true
 * ```
 */
export function nngpPosterior(
  kTrainTrain: Matrix,
  yTrain: Targets,
  kTestTrain: Matrix,
  kTestTest: Matrix,
  options: Omit<RegressionOptions, 'learningRate'> = {},
): { mean: Matrix; covariance: Matrix; variance: number[] } {
  const k = regularised(kTrainTrain, options.diagReg ?? 0, options.diagRegAbsoluteScale ?? false);
  const l = cholesky(k);
  const ks = kTestTrain;
  const kss = kTestTest;
  checkMatrix(ks, 'kTestTrain');
  checkMatrix(kss, 'kTestTest');
  if (ks.cols !== k.rows || kss.rows !== ks.rows || kss.cols !== ks.rows) throw new RangeError('kernel shapes do not match');
  const mean = multiply(ks, choleskySolve(l, targetMatrix(yTrain)));
  const ksT: Matrix = { rows: ks.cols, cols: ks.rows, data: new Float64Array(ks.rows * ks.cols) };
  for (let i = 0; i < ks.rows; i++) for (let j = 0; j < ks.cols; j++) ksT.data[j * ks.rows + i] = ks.data[i * ks.cols + j]!;
  const reduction = multiply(ks, choleskySolve(l, ksT));
  const covariance: Matrix = { rows: kss.rows, cols: kss.cols, data: kss.data.map((x, i) => x - reduction.data[i]!) };
  const variance = Array.from({ length: covariance.rows }, (_, i) => covariance.data[i * covariance.cols + i]!);
  return { mean, covariance, variance };
}
