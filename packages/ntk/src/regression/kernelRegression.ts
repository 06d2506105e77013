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
import { cholesky, choleskySolve, matrix, multiply, symmetricEigen, toRows, type Matrix } from './linearAlgebra.ts';

/** Targets: one row per training point (k outputs), or a plain vector for k = 1. */
export type Targets = readonly (readonly number[])[] | readonly number[];

export interface RegressionOptions {
  /** η (default 1). Time enters only as η·t. */
  learningRate?: number;
  /** Diagonal regularisation (default 0). */
  diagReg?: number;
  /** diagReg in absolute units instead of relative to the mean diagonal (default false). */
  diagRegAbsoluteScale?: boolean;
}

export interface PredictArgs {
  /** Training time; undefined or Infinity: t = ∞. */
  t?: number;
  /** f_0 on the training points (default 0). */
  fxTrain0?: Targets | number;
  /** Θ(X*, X), one row per test point; omit for train-set predictions only. */
  kTestTrain?: readonly (readonly number[])[];
  /** f_0 on the test points (default 0). */
  fxTest0?: Targets | number;
}

export interface Predictions {
  train: number[][];
  test?: number[][];
}

function targetMatrix(y: Targets): Matrix {
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

function regularised(k: readonly (readonly number[])[], diagReg: number, absolute: boolean): Matrix {
  const m = matrix(k);
  const n = m.rows;
  if (m.cols !== n) throw new RangeError('kTrainTrain must be square');
  let trace = 0;
  for (let i = 0; i < n; i++) trace += m.data[i * n + i];
  const reg = absolute ? diagReg : (diagReg * trace) / n;
  for (let i = 0; i < n; i++) m.data[i * n + i] += reg;
  return m;
}

/**
 * Predictions of gradient-flow training on MSE with kernel kTrainTrain (neural-tangents gradient_descent_mse).
 * The Cholesky factor (t = ∞) and the eigen-decomposition (finite t) are computed once, on first use.
 *
 * @example
 *   const predict = gradientDescentMse(ntkTrain, yTrain, { learningRate: 1 });
 *   predict({ t: 10, kTestTrain: ntkTestTrain }).test; // f_10(X*) from f_0 = 0
 */
export function gradientDescentMse(kTrainTrain: readonly (readonly number[])[], yTrain: Targets, options: RegressionOptions = {}): (args?: PredictArgs) => Predictions {
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
    const kTest = args.kTestTrain ? matrix(args.kTestTrain) : undefined;
    if (kTest && kTest.cols !== n) throw new RangeError(`kTestTrain must have ${n} columns`);
    const fTest0 = kTest ? initialValues(args.fxTest0, kTest.rows, y.cols) : undefined;
    const residual = { rows: n, cols: y.cols, data: f0.data.map((v, i) => v - y.data[i]) }; // f_0 − Y

    if (t === Infinity) {
      const out: Predictions = { train: toRows(y) };
      if (kTest && fTest0) {
        chol ??= cholesky(k);
        const alpha = choleskySolve(chol, residual);
        const d = multiply(kTest, alpha);
        out.test = toRows({ ...fTest0, data: fTest0.data.map((v, i) => v - d.data[i]) });
      }
      return out;
    }

    eig ??= symmetricEigen(k);
    const { values, vectors: v } = eig;
    // Residual in the eigenbasis: r̂ = Vᵀ(f_0 − Y).
    const rHat = new Float64Array(n * y.cols);
    for (let p = 0; p < n; p++) for (let i = 0; i < n; i++) {
      const vip = v.data[i * n + p];
      for (let c = 0; c < y.cols; c++) rHat[p * y.cols + c] += vip * residual.data[i * y.cols + c];
    }
    const scale = (eta * t) / normalization;
    const em1 = Float64Array.from(values, (lam) => Math.expm1(-Math.max(lam, 0) * scale)); // e^{−ληt/N} − 1
    const back = (coef: Float64Array): Matrix => {
      const out = new Float64Array(n * y.cols);
      for (let i = 0; i < n; i++) for (let p = 0; p < n; p++) {
        const w = v.data[i * n + p] * coef[p];
        if (w === 0) continue;
        for (let c = 0; c < y.cols; c++) out[i * y.cols + c] += w * rHat[p * y.cols + c];
      }
      return { rows: n, cols: y.cols, data: out };
    };
    const dTrain = back(em1);
    const out: Predictions = { train: toRows({ ...f0, data: f0.data.map((x, i) => x + dTrain.data[i]) }) };
    if (kTest && fTest0) {
      const inv = Float64Array.from(values, (lam, p) => (lam > 0 ? em1[p] / lam : 0));
      const d = multiply(kTest, back(inv));
      out.test = toRows({ ...fTest0, data: fTest0.data.map((x, i) => x + d.data[i]) });
    }
    return out;
  };
}

/**
 * NNGP (Gaussian-process) posterior at test points: mean K* K⁻¹ Y and covariance K** − K* K⁻¹ K*ᵀ, with the
 * same diagReg convention (the regulariser plays the role of observation noise).
 *
 * @example
 *   const { mean, covariance } = nngpPosterior(kTrainTrain, yTrain, kTestTrain, kTestTest);
 *   covariance[0][0]; // predictive variance of the first test point
 */
export function nngpPosterior(
  kTrainTrain: readonly (readonly number[])[],
  yTrain: Targets,
  kTestTrain: readonly (readonly number[])[],
  kTestTest: readonly (readonly number[])[],
  options: Omit<RegressionOptions, 'learningRate'> = {},
): { mean: number[][]; covariance: number[][]; variance: number[] } {
  const k = regularised(kTrainTrain, options.diagReg ?? 0, options.diagRegAbsoluteScale ?? false);
  const l = cholesky(k);
  const ks = matrix(kTestTrain);
  const kss = matrix(kTestTest);
  if (ks.cols !== k.rows || kss.rows !== ks.rows || kss.cols !== ks.rows) throw new RangeError('kernel shapes do not match');
  const mean = multiply(ks, choleskySolve(l, targetMatrix(yTrain)));
  const ksT: Matrix = { rows: ks.cols, cols: ks.rows, data: new Float64Array(ks.rows * ks.cols) };
  for (let i = 0; i < ks.rows; i++) for (let j = 0; j < ks.cols; j++) ksT.data[j * ks.rows + i] = ks.data[i * ks.cols + j];
  const reduction = multiply(ks, choleskySolve(l, ksT));
  const cov = { ...kss, data: kss.data.map((x, i) => x - reduction.data[i]) };
  const covariance = toRows(cov);
  return { mean: toRows(mean), covariance, variance: covariance.map((row, i) => row[i]) };
}
