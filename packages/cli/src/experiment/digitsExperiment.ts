/**
 * NTK classification of the UCI 8×8 handwritten digits (data/digits, issue 14): `hgm experiment --dataset digits`.
 *
 * Protocol (fixed, so the README table is reproducible):
 *  1. data/digits/digits.csv.gz in file order: the first 1000 images train, the other 797 test (`nTrain`, `nTest`
 *     take the first N of each part); pixels / 16; one-hot targets (10 classes);
 *  2. two architectures, 'ntk' parameterization, σw = √2, σb = 0.1:
 *     - fc: dense → (σ → dense) × 2 (fully connected, depth 2), inputs the 64 pixels;
 *     - cnn: conv(16, 3×3, SAME) → σ → conv(16, 3×3, SAME) → σ → globalAvgPool → dense, inputs 8×8×1. Global
 *       average pooling after shared-weight convolutions needs the covariance of every pixel pair: 4096 entries per
 *       image pair and activation layer (the fc net needs one);
 *  3. per activation and dual method the NTK Θ(train, train) and Θ(test, train), then NTK regression at t = ∞
 *     (f₀ = 0; α = (Θ + 1e-10·mean diag·I)⁻¹ Y by Cholesky, or by eigen-decomposition when that matrix is not
 *     positive definite, which the row then says) and the argmax of the 10 outputs;
 *  4. activations: relu (closed form), gelu and resin (built-in Pfaffians) and one formula activation of the
 *     catalogue, each of the last three through the HGM (the reference) and through Gauss–Hermite 20 (neural-tangents'
 *     `ElementwiseNumerical` fallback). Kernel error: max |Θ − Θ_HGM| / max |Θ_HGM| over both matrices.
 *
 * The HGM providers run at path rtol 3e-14 and result tolerance 3e-12 (hgm-runtime's defaults: 1e-14, 1e-12): at the
 * defaults the scattered grid can decline a whole CNN batch whose check stalls just above its tolerance and fall back
 * to ~1 ms per entry (BENCHMARKS.md, "CNN-GAP NTK of handwritten digits"; issue 12), and rtol 3e-14 alone made the fc
 * kernels 10–15× slower than both together (measured on 20 digits: resin 38 s against 1.7 s). The error of the HGM itself is checked for the fc
 * net against adaptive quadrature on the first `crossCheckImages` training images.
 *
 * Kernels are computed in this thread in tiles of image pairs (a yield to the event loop between tiles, so the
 * progress bar, Ctrl-C and --timeout act); each activation layer of a tile is one scattered batch.
 */
import { DomainError } from '@holonomic-ntk/core';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import {
  type DualProvider,
  type Matrix,
  type Network,
  activation,
  conv,
  dense,
  dualProvider,
  fullyConnected,
  globalAvgPool,
  gradientDescentMse,
  hgmDual,
  reluDual,
  serial,
} from '@holonomic-ntk/ntk';
import { multiply, symmetricEigen } from '@holonomic-ntk/ntk/internal';
import { activationResolver } from '../activationResolver.ts';
import type { ExperimentProgress } from './circleExperiment.ts';

/** The digits' fixed split: the first 1000 images of the file train, the other 797 test. */
export const DIGITS_SPLIT = { train: 1000, test: 797 } as const;

/** The architectures of the experiment. */
export type DigitsArchitecture = 'fc' | 'cnn';

/**
 * The formula activation of the experiment: u·e^{−u²/2} (the catalogue's ugauss). The catalogue's ReLU damped by
 * e^{−u}, heaviside(u)*u*exp(-u), took more than 280 s for the fc kernel of 100 digits (ugauss: 21 s), so it is not the
 * default.
 */
export const DIGITS_FORMULA = 'u*exp(-1/2*u^2)';

/** hgm-runtime options of the HGM providers (see the module comment): path rtol 3e-14, result tolerance 3e-12. */
export const DIGITS_HGM_RUNTIME = { rtol: 3e-14, tolerance: 3e-12 } as const;

export const DIGITS_DEFAULTS = {
  /**
   * Training / test images per architecture when not given: subsets that run in minutes on a loaded 2-core machine
   * (--n-train 1000 --n-test 797 is the whole split). The cnn default is tiny — a demonstration of the kernel times and
   * errors, not of accuracy: the resin CNN HGM took 42 s for 4 digits (10 image pairs) on that machine (BENCHMARKS.md).
   */
  fc: { nTrain: 100, nTest: 100 },
  cnn: { nTrain: 4, nTest: 4 },
  activations: ['relu', 'gelu', 'resin', DIGITS_FORMULA] as readonly string[],
  architectures: ['fc', 'cnn'] as readonly DigitsArchitecture[],
  diagReg: 1e-10,
  crossCheckImages: 6,
  wStd: Math.SQRT2,
  bStd: 0.1,
};

export interface DigitsData {
  /** Pixel values / 16, 64 per image (row-major 8×8). */
  x: number[][];
  /** Class 0..9. */
  y: number[];
}

/**
 * data/digits/digits.csv.gz of the repository, found from this module upward (the digits ship with the repository,
 * not with the npm package).
 *
 * For example `existsSync(digitsPath())` gives true in the repository.
 */
export function digitsPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const p = join(dir, 'data', 'digits', 'digits.csv.gz');
    if (existsSync(p)) return p;
    const up = dirname(dir);
    if (up === dir) throw new DomainError('data/digits/digits.csv.gz not found: the digits ship with the holonomic-ntk repository, not the npm package');
    dir = up;
  }
}

/**
 * The 1797 digits: 64 pixels / 16 and the class per image, in file order.
 *
 * For example `loadDigits().x.length` gives 1797.
 */
export function loadDigits(path = digitsPath()): DigitsData {
  const lines = gunzipSync(readFileSync(path)).toString('utf8').trim().split('\n');
  const x: number[][] = [];
  const y: number[] = [];
  for (const line of lines) {
    const v = line.split(',').map(Number);
    if (v.length !== 65 || !v.every(Number.isFinite)) throw new DomainError(`${path}: expected 64 pixels and a class per line, got "${line.slice(0, 40)}…"`);
    x.push(v.slice(0, 64).map((p) => p / 16));
    y.push(v[64]!);
  }
  return { x, y };
}

/**
 * The network of an architecture with σ given by its dual provider.
 *
 * For example `digitsNetwork('cnn', reluDual).layers.length` gives 6.
 */
export function digitsNetwork(arch: DigitsArchitecture, p: DualProvider): Network {
  const w = { wStd: DIGITS_DEFAULTS.wStd, bStd: DIGITS_DEFAULTS.bStd };
  if (arch === 'fc') return fullyConnected({ depth: 2, activation: p, ...w });
  return serial(
    conv(16, [3, 3], { padding: 'SAME', ...w }),
    activation(p),
    conv(16, [3, 3], { padding: 'SAME', ...w }),
    activation(p),
    globalAvgPool(),
    dense({ wStd: DIGITS_DEFAULTS.wStd }),
  );
}

/** The rows of one activation: [method label, dual method, provider]. */
function methodsOf(act: string): { method: string; provider: () => DualProvider }[] {
  if (act === 'relu') return [{ method: 'closed form', provider: () => reluDual }];
  return [
    { method: 'HGM', provider: () => hgmDual(act, { resolver: activationResolver, runtime: DIGITS_HGM_RUNTIME }) },
    { method: 'Gauss–Hermite 20', provider: () => dualProvider(act, 'gh:20', activationResolver) },
  ];
}

export interface DigitsRow {
  architecture: DigitsArchitecture;
  activation: string;
  /** 'closed form', 'HGM' or 'Gauss–Hermite 20'. */
  method: string;
  nTrain: number;
  nTest: number;
  /** Wall-clock seconds of Θ(train, train) + Θ(test, train). */
  kernelSeconds: number;
  /** Fraction of the test images classified right. */
  accuracy: number;
  /** max |Θ − Θ_ref| / max |Θ_ref| over both matrices against the HGM of the same activation; null for the reference rows. */
  kernelError: number | null;
  /** 'cholesky', or 'eigen' when Θ(train, train) + ridge is not positive definite. */
  solver: 'cholesky' | 'eigen';
  /** Smallest eigenvalue of Θ(train, train) + ridge, when Cholesky failed. */
  minEigenvalue?: number;
  /** For the HGM of the fc net: max entrywise relative error against adaptive quadrature on the first images. */
  crossCheck?: { images: number; maxRelError: number; seconds: number };
}

export interface DigitsExperimentOptions {
  architectures?: readonly DigitsArchitecture[];
  activations?: readonly string[];
  /** Training images (the first N of the 1000); default per architecture (DIGITS_DEFAULTS). */
  nTrain?: number;
  /** Test images (the first M of the 797). */
  nTest?: number;
  /** Training images of the quadrature cross-check of the fc HGM kernels (default 6; 0 skips it). */
  crossCheckImages?: number;
  data?: DigitsData;
  onProgress?: (event: ExperimentProgress) => void;
  signal?: AbortSignal;
}

export interface DigitsExperimentResult {
  settings: {
    split: typeof DIGITS_SPLIT;
    diagReg: number;
    wStd: number;
    bStd: number;
    hgmRuntime: { rtol: number; tolerance: number };
    networks: Record<DigitsArchitecture, string>;
  };
  rows: DigitsRow[];
}

const NETWORK_TEXT: Record<DigitsArchitecture, string> = {
  fc: 'dense → (σ → dense) × 2',
  cnn: 'conv(16,3x3,SAME) σ conv(16,3x3,SAME) σ globalAvgPool dense (8×8×1)',
};

/** Θ(x1, x2) in tiles of about 2²¹ entries, yielding between tiles; reports (entries done, entries). */
async function tiledNtk(
  net: Network,
  x1: number[][],
  x2: number[][] | null,
  shape: number[] | undefined,
  perPair: number,
  report: (done: number, total: number) => void,
  signal: AbortSignal | undefined,
): Promise<Matrix> {
  const same = x2 === null;
  const y = x2 ?? x1;
  const n1 = x1.length;
  const n2 = y.length;
  const blk = Math.max(1, Math.floor(Math.sqrt(2 ** 21 / perPair)));
  const out = new Float64Array(n1 * n2);
  const total = same ? (n1 * (n1 + 1)) / 2 : n1 * n2;
  let done = 0;
  const opts = shape ? { shape } : {};
  for (let r0 = 0; r0 < n1; r0 += blk) {
    const r1 = Math.min(n1, r0 + blk);
    for (let c0 = same ? r0 : 0; c0 < n2; c0 += blk) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      signal?.throwIfAborted();
      const c1 = Math.min(n2, c0 + blk);
      const diag = same && c0 === r0;
      const k = net.kernelFn(x1.slice(r0, r1), diag ? null : y.slice(c0, c1), 'ntk', opts);
      const w = c1 - c0;
      for (let i = r0; i < r1; i++) {
        for (let j = diag ? i : c0; j < c1; j++) {
          const v = k.data[(i - r0) * w + (j - c0)]!;
          out[i * n2 + j] = v;
          if (same) out[j * n2 + i] = v;
          done++;
        }
      }
      report(done, total);
    }
  }
  return { rows: n1, cols: n2, data: out };
}

/** Predictions Θ(test, train)·(Θ(train, train) + ridge)⁻¹ Y: Cholesky, or the eigen-decomposition if not PD. */
function classify(ktt: Matrix, kst: Matrix, targets: number[][], diagReg: number): { pred: Matrix; solver: 'cholesky' | 'eigen'; minEigenvalue?: number } {
  try {
    return { pred: gradientDescentMse(ktt, targets, { diagReg })({ kTestTrain: kst }).test!, solver: 'cholesky' };
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
  }
  const n = ktt.rows;
  let trace = 0;
  for (let i = 0; i < n; i++) trace += ktt.data[i * n + i]!;
  const m: Matrix = { rows: n, cols: n, data: Float64Array.from(ktt.data) };
  for (let i = 0; i < n; i++) m.data[i * n + i]! += (diagReg * trace) / n;
  const { values, vectors: v } = symmetricEigen(m);
  const c = targets[0]!.length;
  const alpha = new Float64Array(n * c);
  for (let p = 0; p < n; p++) {
    for (let k = 0; k < c; k++) {
      let proj = 0;
      for (let i = 0; i < n; i++) proj += v.data[i * n + p]! * targets[i]![k]!;
      const coef = proj / values[p]!;
      for (let i = 0; i < n; i++) alpha[i * c + k]! += coef * v.data[i * n + p]!;
    }
  }
  return { pred: multiply(kst, { rows: n, cols: c, data: alpha }), solver: 'eigen', minEigenvalue: values[0]! };
}

function accuracy(pred: Matrix, y: readonly number[]): number {
  let correct = 0;
  for (let r = 0; r < pred.rows; r++) {
    let best = 0;
    for (let k = 1; k < pred.cols; k++) if (pred.data[r * pred.cols + k]! > pred.data[r * pred.cols + best]!) best = k;
    if (best === y[r]) correct++;
  }
  return correct / pred.rows;
}

/** max |a − b| / max |b| over the pairs of matrices. */
function normwiseError(a: readonly Matrix[], b: readonly Matrix[]): number {
  let d = 0;
  let s = 0;
  a.forEach((m, t) => {
    for (let i = 0; i < m.data.length; i++) {
      d = Math.max(d, Math.abs(m.data[i]! - b[t]!.data[i]!));
      s = Math.max(s, Math.abs(b[t]!.data[i]!));
    }
  });
  return d / s;
}

/**
 * Runs the digits classification; one row per architecture, activation and method.
 *
 * For example `runDigitsExperiment({ architectures: ['fc'], activations: ['relu'], nTrain: 50, nTest: 50 })` gives one
 * row with its test accuracy.
 */
export async function runDigitsExperiment(options: DigitsExperimentOptions = {}): Promise<DigitsExperimentResult> {
  const data = options.data ?? loadDigits();
  const diagReg = DIGITS_DEFAULTS.diagReg;
  const note = options.onProgress ?? (() => {});
  const rows: DigitsRow[] = [];
  for (const arch of options.architectures ?? DIGITS_DEFAULTS.architectures) {
    const nTrain = Math.min(options.nTrain ?? DIGITS_DEFAULTS[arch].nTrain, DIGITS_SPLIT.train);
    const nTest = Math.min(options.nTest ?? DIGITS_DEFAULTS[arch].nTest, DIGITS_SPLIT.test);
    const xtr = data.x.slice(0, nTrain);
    const ytr = data.y.slice(0, nTrain);
    const xte = data.x.slice(DIGITS_SPLIT.train, DIGITS_SPLIT.train + nTest);
    const yte = data.y.slice(DIGITS_SPLIT.train, DIGITS_SPLIT.train + nTest);
    const targets = ytr.map((c) => Array.from({ length: 10 }, (_, k) => (k === c ? 1 : 0)));
    const shape = arch === 'cnn' ? [8, 8, 1] : undefined;
    const perPair = arch === 'cnn' ? 64 * 64 : 1;
    for (const act of options.activations ?? DIGITS_DEFAULTS.activations) {
      let reference: Matrix[] | undefined;
      for (const m of methodsOf(act)) {
        const label = `${arch} ${act} ${m.method}`;
        const net = digitsNetwork(arch, m.provider());
        const t0 = performance.now();
        const kernel = async (x1: number[][], x2: number[][] | null, step: 'train' | 'inference') => {
          note({ step, method: label, state: 'start' });
          const k = await tiledNtk(
            net,
            x1,
            x2,
            shape,
            perPair,
            (done, total) => note({ step, method: label, state: 'progress', kernel: { tilesDone: done, tiles: total, entriesDone: done, entries: total } }),
            options.signal,
          );
          note({ step, method: label, state: 'end' });
          return k;
        };
        const ktt = await kernel(xtr, null, 'train');
        const kst = await kernel(xte, xtr, 'inference');
        const kernelSeconds = (performance.now() - t0) / 1000;
        const solved = classify(ktt, kst, targets, diagReg);
        const row: DigitsRow = {
          architecture: arch,
          activation: act,
          method: m.method,
          nTrain,
          nTest,
          kernelSeconds,
          accuracy: accuracy(solved.pred, yte),
          kernelError: reference ? normwiseError([ktt, kst], reference) : null,
          solver: solved.solver,
          ...(solved.minEigenvalue !== undefined ? { minEigenvalue: solved.minEigenvalue } : {}),
        };
        if (m.method === 'HGM') {
          reference = [ktt, kst];
          const r = Math.min(options.crossCheckImages ?? DIGITS_DEFAULTS.crossCheckImages, nTrain);
          if (arch === 'fc' && r > 0) {
            note({ step: 'cross-check', method: label, state: 'start' });
            const t1 = performance.now();
            const q = digitsNetwork(arch, dualProvider(act, 'quad', activationResolver)).kernelFn(xtr.slice(0, r), null, 'ntk');
            let e = 0;
            for (let i = 0; i < r; i++)
              for (let j = 0; j < r; j++) e = Math.max(e, Math.abs(ktt.data[i * nTrain + j]! - q.data[i * r + j]!) / Math.abs(q.data[i * r + j]!));
            row.crossCheck = { images: r, maxRelError: e, seconds: (performance.now() - t1) / 1000 };
            note({ step: 'cross-check', method: label, state: 'end' });
          }
        }
        rows.push(row);
      }
    }
  }
  return {
    settings: {
      split: DIGITS_SPLIT,
      diagReg,
      wStd: DIGITS_DEFAULTS.wStd,
      bStd: DIGITS_DEFAULTS.bStd,
      hgmRuntime: { ...DIGITS_HGM_RUNTIME },
      networks: NETWORK_TEXT,
    },
    rows,
  };
}
