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
 *  - t = ∞: f(X) = Y (as neural-tangents returns) and f(X*) = f_0(X*) + Θ* Θ⁻¹ (Y − f_0(X)).
 *  - diagReg: Θ + diagReg·(tr Θ/n)·I, or + diagReg·I with diagRegAbsoluteScale (neural-tangents' convention).
 *  - NNGP posterior: mean K* K⁻¹ Y, covariance K** − K* K⁻¹ K*ᵀ (dense Cholesky).
 *
 * Solvers (MATH.md §6.1), chosen by n unless `solver` says otherwise:
 *  - dense: blocked in-place Cholesky for t = ∞ (cholesky.ts); for finite t one Householder tridiagonalisation
 *    Θ = Q·T·Qᵀ plus implicit QL whose rotations are recorded, not accumulated (symmetricEigen.ts): each time t then
 *    costs O(n²), any number of times from one O(n³) reduction.
 *  - iterative: conjugate gradients with a pivoted-Cholesky preconditioner for t = ∞ (conjugateGradient.ts) and
 *    Lanczos for e^{−ηΘt/N}-type functions at all requested times at once (lanczos.ts); Θ is only multiplied by
 *    vectors, never copied, so one n × n array suffices. Each reports its residual or error estimate in `info`.
 */
import { choleskyInPlace, choleskySolveWith, solveLowerRows } from './cholesky.ts';
import { conjugateGradient, defaultPreconditioner } from './conjugateGradient.ts';
import { subMulTransposed } from './denseKernels.ts';
import { lanczosFunctions } from './lanczos.ts';
import { matrix, multiply, type Matrix } from './linearAlgebra.ts';
import type { SolverControl } from './solverControl.ts';
import { applyQ, applyQTransposed, RotationLog, tridiagonalizeInPlace, tridiagonalQL, type Tridiagonal } from './symmetricEigen.ts';

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
export interface RegressionOptions extends SolverControl {
  /** η (default 1). Time enters only as η·t. */
  learningRate?: number;
  /** Diagonal regularisation (default 0). */
  diagReg?: number;
  /** diagReg in absolute units instead of relative to the mean diagonal (default false). */
  diagRegAbsoluteScale?: boolean;
  /**
   * 'auto' (default): at t = ∞ Cholesky up to {@link DENSE_MAX_N} training points and CG above; at finite t the
   * eigen-decomposition up to {@link EIGEN_MAX_N} and Lanczos above. 'cholesky': Cholesky at t = ∞, eigen at
   * finite t (and at t = ∞ too once the predictor has the decomposition and no factor); 'eigen': eigen for both;
   * 'cg' or 'lanczos': CG at t = ∞, Lanczos at finite t.
   */
  solver?: RegressionSolver;
  /** Iterative solvers: relative residual of CG, relative error estimate of Lanczos (default 1e-10). */
  tol?: number;
  /** Iterative solvers: iteration limit (default min(n, 2000) for CG, min(n, 1000) for Lanczos). */
  maxIterations?: number;
  /**
   * Dense solvers: factorise kTrainTrain's own array in place instead of a copy (saves the 8n² bytes that the
   * predictor would keep; the caller's matrix is destroyed). With the WebAssembly SIMD kernels the factorisation
   * itself runs on a temporary copy in WebAssembly memory (8n² more bytes while it runs, freed after), with or
   * without this option. Default false.
   */
  overwriteKernel?: boolean;
}

/**
 * The solver choice of {@link RegressionOptions}: 'auto' | 'cholesky' | 'eigen' (dense) | 'cg' | 'lanczos' (iterative).
 *
 * @example
 * ```ts
 * import { gradientDescentMse, matrix, type RegressionSolver } from '@holonomic-ntk/ntk';
 * const solver: RegressionSolver = 'lanczos';
 * const p = gradientDescentMse(matrix([[2, 1], [1, 2]]), [1, -1], { solver })({ t: 1 });
 * p.info?.solver; // → 'lanczos'
 * p.train.data[0]; // ≈ 0.3934693402873666 ± 1e-9
 * ```
 */
export type RegressionSolver = 'auto' | 'cholesky' | 'cg' | 'eigen' | 'lanczos';

/**
 * 'auto' uses Cholesky at t = ∞ up to this many training points and conjugate gradients above (measured on the
 * reference machine, BENCHMARKS.md "Regression solvers").
 *
 * @example
 * ```ts
 * import { DENSE_MAX_N } from '@holonomic-ntk/ntk';
 * DENSE_MAX_N > 1000; // → true
 * ```
 */
export const DENSE_MAX_N = 3000;

/**
 * 'auto' uses the dense eigen-decomposition for finite t up to this many training points and Lanczos above
 * (BENCHMARKS.md "Regression solvers": Lanczos is faster from a few hundred points on).
 *
 * @example
 * ```ts
 * import { EIGEN_MAX_N } from '@holonomic-ntk/ntk';
 * EIGEN_MAX_N < 1000; // → true
 * ```
 */
export const EIGEN_MAX_N = 300;

/**
 * How a prediction was computed: the solver and, for the iterative ones, iterations and residual or error estimate.
 *
 * @example
 * ```ts
 * import { gradientDescentMse, matrix, type SolverInfo } from '@holonomic-ntk/ntk';
 * const info: SolverInfo | undefined = gradientDescentMse(matrix([[2, 0], [0, 2]]), [1, 1], { solver: 'cg' })({ kTestTrain: matrix([[1, 0]]) }).info;
 * info?.solver; // → 'cg'
 * (info?.residual ?? 1) < 1e-10; // → true
 * ```
 */
export interface SolverInfo {
  solver: 'cholesky' | 'eigen' | 'cg' | 'lanczos';
  /** CG or Lanczos iterations (the largest over output columns). */
  iterations?: number;
  /** CG: ‖r − (Θ + reg·I)α‖/‖r‖ recomputed from α (largest over output columns). */
  residual?: number;
  /** Lanczos: estimated 2-norm error of the training predictions (per output column, the largest). */
  errorEstimate?: number;
  /** Lanczos: bound on the error of any test prediction, max_i ‖Θ(x*_i, X)‖·(error estimate of Θ⁻¹(e^{−ηΘt/N} − I)r). */
  testErrorBound?: number;
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
  /** Training time; undefined or Infinity: t = ∞. A list gives one {@link Predictions} per time (one decomposition). */
  t?: number | readonly number[];
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
  /** The training time of these predictions. */
  t: number;
  /** How they were computed (absent when nothing was solved: t = 0, or t = ∞ without test points). */
  info?: SolverInfo;
}

/**
 * A predictor of {@link gradientDescentMse}: one time gives one {@link Predictions}, a list of times one per time.
 *
 * @example
 * ```ts
 * import { gradientDescentMse, matrix, type Predictor } from '@holonomic-ntk/ntk';
 * const predict: Predictor = gradientDescentMse(matrix([[2, 0], [0, 2]]), [1, 1]);
 * predict({ t: [0, Infinity] }).map((p) => p.train.data[0]); // → [0, 1]
 * ```
 */
export interface Predictor {
  (args?: PredictArgs & { t?: number }): Predictions;
  (args: PredictArgs & { t: readonly number[] }): Predictions[];
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

/** The absolute diagonal shift of diagReg (relative to the mean diagonal unless absolute). */
function regularisation(k: Matrix, diagReg: number, absolute: boolean): number {
  checkMatrix(k, 'kTrainTrain');
  const n = k.rows;
  if (k.cols !== n) throw new RangeError('kTrainTrain must be square');
  if (absolute) return diagReg;
  let trace = 0;
  for (let i = 0; i < n; i++) trace += k.data[i * n + i]!;
  return n === 0 ? 0 : (diagReg * trace) / n;
}

/** K + reg·I as a new array, or in K's own array when `inPlace`. */
function shifted(k: Matrix, reg: number, inPlace: boolean): Float64Array {
  const n = k.rows;
  const a = inPlace ? k.data : Float64Array.from(k.data);
  if (reg !== 0) for (let i = 0; i < n; i++) a[i * n + i] = a[i * n + i]! + reg;
  return a;
}

/** Column c of the n × kc row-major m. */
function column(m: Matrix, c: number): Float64Array {
  return Float64Array.from({ length: m.rows }, (_, i) => m.data[i * m.cols + c]!);
}

/** The eigen-decomposition kept by a dense predictor: Θ + reg·I = Q·W·Λ·Wᵀ·Qᵀ (W as recorded rotations). */
interface DenseEigen {
  tri: Tridiagonal;
  log: RotationLog;
  values: Float64Array;
}

/** The method of each step: t = ∞ (cholesky | eigen | cg) and finite t (eigen | lanczos). */
function resolveSolver(solver: RegressionSolver, n: number): { infinite: 'cholesky' | 'eigen' | 'cg'; finite: 'eigen' | 'lanczos' } {
  switch (solver) {
    case 'cholesky':
      return { infinite: 'cholesky', finite: 'eigen' };
    case 'eigen':
      return { infinite: 'eigen', finite: 'eigen' };
    case 'cg':
    case 'lanczos':
      return { infinite: 'cg', finite: 'lanczos' };
    case 'auto':
      return { infinite: n <= DENSE_MAX_N ? 'cholesky' : 'cg', finite: n <= EIGEN_MAX_N ? 'eigen' : 'lanczos' };
    default:
      throw new RangeError(`solver: expected auto, cholesky, cg, eigen or lanczos, got "${String(solver)}"`);
  }
}

/**
 * Predictions of gradient-flow training on MSE with kernel kTrainTrain (neural-tangents gradient_descent_mse).
 * The factorisation (t = ∞) or decomposition (finite t) is computed once, on first use, and serves every later
 * call; `t` may be a list of times (one Predictions per time). Solvers: see {@link RegressionOptions}.solver.
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
 * predict({ t: [0, 1, 10] }).length; // → 3
 * ```
 */
export function gradientDescentMse(kTrainTrain: Matrix, yTrain: Targets, options: RegressionOptions = {}): Predictor {
  const eta = options.learningRate ?? 1;
  const reg = regularisation(kTrainTrain, options.diagReg ?? 0, options.diagRegAbsoluteScale ?? false);
  const y = targetMatrix(yTrain);
  const n = kTrainTrain.rows;
  if (y.rows !== n) throw new RangeError(`yTrain has ${y.rows} rows, kTrainTrain is ${n}×${n}`);
  const { infinite: infiniteMethod, finite: finiteMethod } = resolveSolver(options.solver ?? 'auto', n);
  const tol = options.tol ?? 1e-10;
  if (!(tol > 0)) throw new RangeError(`tol must be > 0, got ${tol}`);
  const control: SolverControl = { signal: options.signal, onProgress: options.onProgress };
  const normalization = y.rows * y.cols;
  const kc = y.cols;
  let kernelConsumed: string | undefined;
  let chol: Float64Array | undefined;
  let eig: DenseEigen | undefined;
  let precond: ((x: Float64Array, out: Float64Array) => void) | undefined;

  const denseCopy = (what: string): Float64Array => {
    if (kernelConsumed)
      throw new RangeError(
        `kTrainTrain was overwritten by the ${kernelConsumed} (overwriteKernel); the ${what} needs it: create the predictor without overwriteKernel`,
      );
    if (options.overwriteKernel) kernelConsumed = what;
    return shifted(kTrainTrain, reg, options.overwriteKernel ?? false);
  };
  const decomposition = (): DenseEigen => {
    if (!eig) {
      const tri = tridiagonalizeInPlace(denseCopy('eigen-decomposition'), n, control);
      const log = new RotationLog();
      const values = Float64Array.from(tri.d);
      tridiagonalQL(values, Float64Array.from(tri.e), { log }, control);
      eig = { tri, log, values };
    }
    return eig;
  };
  /** Q·W·(g(Λ) ∘ (WᵀQᵀz)) for the precomputed ẑ = WᵀQᵀz. */
  const backTransform = (e: DenseEigen, zHat: Float64Array, g: Float64Array): Float64Array => {
    const u = Float64Array.from(zHat, (v, p) => v * g[p]!);
    e.log.apply(u);
    applyQ(e.tri, u);
    return u;
  };

  const predict = (args: PredictArgs = {}): Predictions | Predictions[] => {
    const times = typeof args.t === 'object' ? Array.from(args.t) : [args.t ?? Infinity];
    for (const t of times) if (!(t >= 0)) throw new RangeError(`t must be ≥ 0, got ${t}`);
    const f0 = initialValues(args.fxTrain0, n, kc);
    const kTest = args.kTestTrain;
    if (kTest) {
      checkMatrix(kTest, 'kTestTrain');
      if (kTest.cols !== n) throw new RangeError(`kTestTrain must have ${n} columns`);
    }
    const nt = kTest?.rows ?? 0;
    const fTest0 = kTest ? initialValues(args.fxTest0, nt, kc) : undefined;
    const residual: Matrix = { rows: n, cols: kc, data: f0.data.map((v, i) => v - y.data[i]!) }; // f_0 − Y
    const out: Predictions[] = times.map((t) => ({ t, train: { rows: n, cols: kc, data: Float64Array.from(t === Infinity ? y.data : f0.data) } }));
    if (kTest && fTest0) for (const p of out) p.test = { rows: nt, cols: kc, data: Float64Array.from(fTest0.data) };
    // Times whose predictions need a solve: t = 0 is f_0 exactly; t = ∞ on the training set is Y.
    const active = times.map((_t, i) => i).filter((i) => times[i]! > 0 && (times[i] !== Infinity || kTest));
    if (active.length === 0) return typeof args.t === 'object' ? out : out[0]!;
    // U holds, per active time and output column, the vector u with Δf(X*) = Θ*·u; train deltas go straight in.
    const u = new Float64Array(n * active.length * kc);
    const uCols = active.length * kc;
    const setU = (slot: number, c: number, v: Float64Array) => {
      for (let i = 0; i < n; i++) u[i * uCols + slot * kc + c] = v[i]!;
    };
    const addTrain = (p: Predictions, c: number, v: Float64Array) => {
      for (let i = 0; i < n; i++) p.train.data[i * kc + c] = p.train.data[i * kc + c]! + v[i]!;
    };

    const finite = active.filter((i) => times[i] !== Infinity);
    const infinite = active.filter((i) => times[i] === Infinity);
    const infMethod = eig && !chol && infiniteMethod === 'cholesky' ? 'eigen' : infiniteMethod;
    const eigenGroup = [...(finiteMethod === 'eigen' ? finite : []), ...(infMethod === 'eigen' ? infinite : [])];
    if (eigenGroup.length > 0) {
      const e = decomposition();
      for (let c = 0; c < kc; c++) {
        const zHat = column(residual, c);
        applyQTransposed(e.tri, zHat);
        e.log.applyTransposed(zHat);
        for (const ti of eigenGroup) {
          const t = times[ti]!;
          const scale = (eta * t) / normalization;
          // e^{−ληt/N} − 1 with λ clamped at 0 (frozen directions); at t = ∞ −1 on λ > 0.
          const em1 = Float64Array.from(e.values, (lam) => (t === Infinity ? (lam > 0 ? -1 : 0) : Math.expm1(-Math.max(lam, 0) * scale)));
          if (t !== Infinity) addTrain(out[ti]!, c, backTransform(e, zHat, em1));
          if (kTest)
            setU(
              active.indexOf(ti),
              c,
              backTransform(
                e,
                zHat,
                Float64Array.from(e.values, (lam, p) => (lam > 0 ? em1[p]! / lam : 0)),
              ),
            );
        }
      }
      for (const i of eigenGroup) out[i]!.info = { solver: 'eigen' };
    }
    if (infinite.length > 0 && infMethod === 'cholesky') {
      chol ??= (() => {
        const a = denseCopy('Cholesky factorisation');
        choleskyInPlace(a, n, control);
        return a;
      })();
      const alpha = choleskySolveWith(chol, n, residual.data, kc, control); // Θ⁻¹(f_0 − Y)
      for (const ti of infinite) {
        const slot = active.indexOf(ti);
        for (let i = 0; i < n; i++) for (let c = 0; c < kc; c++) u[i * uCols + slot * kc + c] = -alpha[i * kc + c]!;
        out[ti]!.info = { solver: 'cholesky' };
      }
    }
    const iterative = (infinite.length > 0 && infMethod === 'cg') || (finite.length > 0 && finiteMethod === 'lanczos');
    if (iterative && kernelConsumed)
      throw new RangeError(
        `kTrainTrain was overwritten by the ${kernelConsumed} (overwriteKernel); the ${infMethod === 'cg' ? 'conjugate gradients' : 'Lanczos iteration'} needs it: create the predictor without overwriteKernel`,
      );
    const k = kTrainTrain.data;
    const iterOpts = { tol, maxIterations: options.maxIterations, ...control };
    if (infinite.length > 0 && infMethod === 'cg') {
      precond ??= defaultPreconditioner(k, n, reg, Math.min(n, 100), control);
      const info: SolverInfo = { solver: 'cg', iterations: 0, residual: 0 };
      for (let c = 0; c < kc; c++) {
        const res = conjugateGradient(k, n, reg, column(residual, c), { ...iterOpts, preconditioner: precond });
        info.iterations = Math.max(info.iterations!, res.iterations);
        info.residual = Math.max(info.residual!, res.residual);
        for (let i = 0; i < n; i++) res.x[i] = -res.x[i]!;
        for (const ti of infinite) setU(active.indexOf(ti), c, res.x);
      }
      for (const i of infinite) out[i]!.info = info;
    }
    if (finite.length > 0 && finiteMethod === 'lanczos') {
      let testNorm = 0;
      if (kTest) {
        for (let i = 0; i < nt; i++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += kTest.data[i * n + j]! ** 2;
          testNorm = Math.max(testNorm, Math.sqrt(s));
        }
      }
      const infos = finite.map((): SolverInfo => ({ solver: 'lanczos', iterations: 0, errorEstimate: 0, ...(kTest ? { testErrorBound: 0 } : {}) }));
      const per = kTest ? 2 : 1;
      for (let c = 0; c < kc; c++) {
        // Functions of the Ritz values θ (clamped at 0 like the eigenvalues of the dense path).
        const fns: ((theta: number) => number)[] = [];
        for (const ti of finite) {
          const scale = (eta * times[ti]!) / normalization;
          fns.push((th) => Math.expm1(-Math.max(th, 0) * scale));
          if (kTest) fns.push((th) => (th > 0 ? Math.expm1(-th * scale) / th : 0));
        }
        const res = lanczosFunctions(k, n, reg, column(residual, c), fns, iterOpts);
        finite.forEach((ti, f) => {
          addTrain(out[ti]!, c, res.values[f * per]!);
          const info = infos[f]!;
          info.iterations = Math.max(info.iterations!, res.iterations);
          info.errorEstimate = Math.max(info.errorEstimate!, res.errorEstimates[f * per]!);
          if (kTest) {
            setU(active.indexOf(ti), c, res.values[f * per + 1]!);
            info.testErrorBound = Math.max(info.testErrorBound!, testNorm * res.errorEstimates[f * per + 1]!);
          }
        });
      }
      finite.forEach((ti, f) => (out[ti]!.info = infos[f]!));
    }
    if (kTest) {
      // Δf(X*) = Θ*·U for all active times and columns in one product.
      const d = multiply(kTest, { rows: n, cols: uCols, data: u });
      active.forEach((ti, slot) => {
        const test = out[ti]!.test!;
        for (let i = 0; i < nt; i++) for (let c = 0; c < kc; c++) test.data[i * kc + c] = test.data[i * kc + c]! + d.data[i * uCols + slot * kc + c]!;
      });
    }
    return typeof args.t === 'object' ? out : out[0]!;
  };
  return predict as Predictor;
}

/**
 * NNGP (Gaussian-process) posterior at test points: mean K* K⁻¹ Y and covariance K** − K* K⁻¹ K*ᵀ, with the
 * same diagReg convention (the regulariser plays the role of observation noise). Dense: blocked Cholesky, then
 * X = K*·L⁻ᵀ by a blocked triangular solve and the covariance as K** − X·Xᵀ.
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
  options: Omit<RegressionOptions, 'learningRate' | 'solver' | 'tol' | 'maxIterations'> = {},
): { mean: Matrix; covariance: Matrix; variance: number[] } {
  const reg = regularisation(kTrainTrain, options.diagReg ?? 0, options.diagRegAbsoluteScale ?? false);
  const n = kTrainTrain.rows;
  const ks = kTestTrain;
  const kss = kTestTest;
  checkMatrix(ks, 'kTestTrain');
  checkMatrix(kss, 'kTestTest');
  if (ks.cols !== n || kss.rows !== ks.rows || kss.cols !== ks.rows) throw new RangeError('kernel shapes do not match');
  const y = targetMatrix(yTrain);
  if (y.rows !== n) throw new RangeError(`yTrain has ${y.rows} rows, kTrainTrain is ${n}×${n}`);
  const control: SolverControl = { signal: options.signal, onProgress: options.onProgress };
  const l = shifted(kTrainTrain, reg, options.overwriteKernel ?? false);
  choleskyInPlace(l, n, control);
  const nt = ks.rows;
  const kc = y.cols;
  const x = Float64Array.from(ks.data); // rows of K*, then X = K*·L⁻ᵀ
  solveLowerRows(l, n, x, nt, control);
  const z = new Float64Array(kc * n); // rows: L⁻¹Y per column
  for (let i = 0; i < n; i++) for (let c = 0; c < kc; c++) z[c * n + i] = y.data[i * kc + c]!;
  solveLowerRows(l, n, z, kc);
  const mean: Matrix = { rows: nt, cols: kc, data: new Float64Array(nt * kc) };
  subMulTransposed(mean.data, 0, kc, x, 0, n, z, 0, n, nt, kc, n); // −X·zᵀ
  for (let i = 0; i < mean.data.length; i++) mean.data[i] = -mean.data[i]!;
  const covariance: Matrix = { rows: nt, cols: nt, data: Float64Array.from(kss.data) };
  subMulTransposed(covariance.data, 0, nt, x, 0, n, x, 0, n, nt, nt, n);
  const variance = Array.from({ length: nt }, (_, i) => covariance.data[i * nt + i]!);
  return { mean, covariance, variance };
}
