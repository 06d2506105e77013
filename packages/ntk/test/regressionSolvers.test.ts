/**
 * The solvers of kernel regression (src/regression): blocked Cholesky and triangular solves, Householder
 * tridiagonalisation + implicit QL, preconditioned CG and Lanczos, each against a dense reference at small n
 * (textbook Cholesky, cyclic Jacobi written here), plus the algebraic identities as fast-check properties.
 */
import { DomainError, LimitExceededError } from '@holonomic-ntk/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import '../../../test/support/fastCheckSeed.ts';
import { fullyConnected, gradientDescentMse, matrix, nngpPosterior, type Matrix, type Predictions, type SolverProgress } from '../src/index.ts';
import { choleskyInPlace, choleskySolveWith, solveLowerRows, solveLowerTransposedRows } from '../src/regression/cholesky.ts';
import { conjugateGradient, pivotedCholesky } from '../src/regression/conjugateGradient.ts';
import { lanczosFunctions } from '../src/regression/lanczos.ts';
import { applyQ, RotationLog, symmetricEigenDense, tridiagonalizeInPlace, tridiagonalQL } from '../src/regression/symmetricEigen.ts';
import { normals, randomInputs } from './helpers.ts';

// ---------- dense references ----------

/** Textbook (unblocked) Cholesky, the reference for the blocked one. */
function referenceCholesky(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= l[j * n + k]! ** 2;
    l[j * n + j] = Math.sqrt(d);
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = s / l[j * n + j]!;
    }
  }
  return l;
}

/** Cyclic Jacobi eigenvalues (ascending) and eigenvectors (columns), the reference for QL. */
function jacobiEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += m[i * n + j]! ** 2;
    if (off < 1e-40) break;
    for (let p = 0; p < n - 1; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        if (apq === 0) continue;
        const theta = (m[q * n + q]! - m[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const [x, y] = [m[k * n + p]!, m[k * n + q]!];
          m[k * n + p] = c * x - s * y;
          m[k * n + q] = s * x + c * y;
        }
        for (let k = 0; k < n; k++) {
          const [x, y] = [m[p * n + k]!, m[q * n + k]!];
          m[p * n + k] = c * x - s * y;
          m[q * n + k] = s * x + c * y;
        }
        for (let k = 0; k < n; k++) {
          const [x, y] = [v[k * n + p]!, v[k * n + q]!];
          v[k * n + p] = c * x - s * y;
          v[k * n + q] = s * x + c * y;
        }
      }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[i * n + i]! - m[j * n + j]!);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src]!;
  });
  return { values: Float64Array.from(order, (i) => m[i * n + i]!), vectors };
}

/** Dense gradient-flow predictions from the Jacobi reference: f_t(X*) = f_0* + Θ* V (e^{−Λs} − 1)/Λ Vᵀ r. */
function referenceFlow(k: Matrix, y: number[], kTest: Matrix, t: number, eta = 1): { train: number[]; test: number[] } {
  const n = k.rows;
  const { values, vectors: v } = jacobiEigen(k.data, n);
  const s = (eta * t) / n;
  const rHat = values.map((_, p) => y.reduce((acc, yi, i) => acc - v[i * n + p]! * yi, 0)); // Vᵀ(0 − Y)
  const em1 = values.map((lam) => (t === Infinity ? (lam > 0 ? -1 : 0) : Math.expm1(-Math.max(lam, 0) * s)));
  const inv = values.map((lam, p) => (lam > 0 ? em1[p]! / lam : 0));
  const back = (g: Float64Array) => Array.from({ length: n }, (_, i) => values.reduce((acc, _l, p) => acc + v[i * n + p]! * g[p]! * rHat[p]!, 0));
  const u = back(inv);
  const train = t === Infinity ? y.slice() : back(em1);
  const test = Array.from({ length: kTest.rows }, (_, i) => u.reduce((acc, ui, j) => acc + kTest.data[i * n + j]! * ui, 0));
  return { train, test };
}

const randomSpd = (n: number, seed: number, shift = 1): Float64Array => {
  const z = normals(seed);
  const b = Float64Array.from({ length: n * n }, () => z());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = i === j ? shift * n : 0;
      for (let k = 0; k < n; k++) s += b[i * n + k]! * b[j * n + k]!;
      a[i * n + j] = s;
    }
  return a;
};
const maxAbs = (x: ArrayLike<number>) => Array.from(x).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const maxRelDiff = (x: ArrayLike<number>, y: ArrayLike<number>) => {
  const scale = maxAbs(y);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m / scale;
};

const relu = fullyConnected({ depth: 3, activation: 'relu', wStd: Math.SQRT2, bStd: 0.1 });
const xTrain = randomInputs(120, 5, 41);
const xTest = randomInputs(15, 5, 42);
const kTrain = relu.kernelFn(xTrain, null, 'ntk');
const kTest = relu.kernelFn(xTest, xTrain, 'ntk');
const zy = normals(43);
const yTrain = xTrain.map(() => zy());

// ---------- Cholesky ----------

describe('blocked Cholesky and triangular solves', () => {
  it('equals the textbook factor (1e-12 relative) for every block size, including ragged last blocks', () => {
    const n = 150;
    const a = randomSpd(n, 1);
    const ref = referenceCholesky(a, n);
    for (const blockSize of [1, 7, 32, 96, 200]) {
      const l = Float64Array.from(a);
      choleskyInPlace(l, n, { blockSize });
      let err = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) err = Math.max(err, Math.abs(l[i * n + j]! - ref[i * n + j]!));
      expect(err / maxAbs(ref)).toBeLessThan(1e-12);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(l[i * n + j]).toBe(a[i * n + j]); // upper untouched
    }
  });

  it('property: A = L·Lᵀ for random SPD matrices and block sizes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 1e6 }), (n, blockSize, seed) => {
        const a = randomSpd(n, seed);
        const l = Float64Array.from(a);
        choleskyInPlace(l, n, { blockSize });
        let err = 0;
        for (let i = 0; i < n; i++)
          for (let j = 0; j <= i; j++) {
            let s = 0;
            for (let k = 0; k <= j; k++) s += l[i * n + k]! * l[j * n + k]!;
            err = Math.max(err, Math.abs(s - a[i * n + j]!));
          }
        return err <= 1e-12 * maxAbs(a);
      }),
    );
  });

  it('solves with many right-hand sides (blocked rows form) to 1e-10', () => {
    const n = 130;
    const a = randomSpd(n, 2);
    const l = Float64Array.from(a);
    choleskyInPlace(l, n, { blockSize: 16 });
    const m = 9;
    const z = normals(3);
    const b = Float64Array.from({ length: n * m }, () => z()); // n × m
    const x = choleskySolveWith(l, n, b, m);
    for (let i = 0; i < n; i++)
      for (let c = 0; c < m; c++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += a[i * n + k]! * x[k * m + c]!;
        expect(Math.abs(s - b[i * m + c]!)).toBeLessThan(1e-10);
      }
    // rows form: X·Lᵀ = B, then X·L = B
    const rows = Float64Array.from({ length: 3 * n }, () => z());
    const x1 = Float64Array.from(rows);
    solveLowerRows(l, n, x1, 3, { blockSize: 8 });
    for (let r = 0; r < 3; r++)
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let k = 0; k <= i; k++) s += l[i * n + k]! * x1[r * n + k]!;
        expect(Math.abs(s - rows[r * n + i]!)).toBeLessThan(1e-10);
      }
    const x2 = Float64Array.from(rows);
    solveLowerTransposedRows(l, n, x2, 3);
    for (let r = 0; r < 3; r++)
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let k = i; k < n; k++) s += l[k * n + i]! * x2[r * n + k]!;
        expect(Math.abs(s - rows[r * n + i]!)).toBeLessThan(1e-10);
      }
  });

  it('rejects indefinite and singular matrices with a DomainError naming diagReg', () => {
    expect(() => choleskyInPlace(Float64Array.of(1, 2, 2, 1), 2)).toThrow(DomainError);
    expect(() => choleskyInPlace(Float64Array.of(1, 1, 1, 1), 2)).toThrow(/diagReg/);
  });
});

// ---------- eigen ----------

describe('Householder tridiagonalisation + implicit QL', () => {
  it('property: QᵀAQ = T (tridiagonal) and VΛVᵀ = A, VᵀV = I', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 1e6 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 6 }),
        (n, seed, indefinite, blockSize) => {
          const a = randomSpd(n, seed, indefinite ? -0.5 : 0.1);
          const t = tridiagonalizeInPlace(Float64Array.from(a), n, { blockSize }); // blocked panels from n > 2·blockSize + 2
          // Q column by column, then QᵀAQ entry by entry.
          const q = new Float64Array(n * n);
          for (let j = 0; j < n; j++) {
            const e = new Float64Array(n);
            e[j] = 1;
            applyQ(t, e);
            for (let i = 0; i < n; i++) q[i * n + j] = e[i]!;
          }
          const scale = maxAbs(a);
          for (let i = 0; i < n; i++)
            for (let j = 0; j < n; j++) {
              let s = 0;
              for (let k = 0; k < n; k++) for (let l = 0; l < n; l++) s += q[k * n + i]! * a[k * n + l]! * q[l * n + j]!;
              const want = i === j ? t.d[i]! : Math.abs(i - j) === 1 ? t.e[Math.min(i, j)]! : 0;
              if (Math.abs(s - want) > 1e-12 * scale) return false;
            }
          const { values, vectors: v } = symmetricEigenDense(a, n);
          for (let i = 0; i < n; i++)
            for (let j = 0; j < n; j++) {
              let rec = 0;
              let orth = 0;
              for (let p = 0; p < n; p++) {
                rec += v[i * n + p]! * values[p]! * v[j * n + p]!;
                orth += v[p * n + i]! * v[p * n + j]!;
              }
              if (Math.abs(rec - a[i * n + j]!) > 1e-12 * scale || Math.abs(orth - (i === j ? 1 : 0)) > 1e-12) return false;
            }
          return true;
        },
      ),
      { numRuns: 40 },
    );
  });

  it('eigenvalues equal cyclic Jacobi to 1e-10 relative on an NTK matrix (n = 120), blocked and unblocked', () => {
    const n = kTrain.rows;
    const ours = symmetricEigenDense(kTrain.data, n).values;
    const ref = jacobiEigen(kTrain.data, n).values;
    expect(maxRelDiff(ours, ref)).toBeLessThan(1e-10);
    for (const blockSize of [1, 5, 16]) {
      const t = tridiagonalizeInPlace(Float64Array.from(kTrain.data), n, { blockSize });
      const d = Float64Array.from(t.d);
      tridiagonalQL(d, Float64Array.from(t.e));
      expect(maxRelDiff(d.sort(), ref)).toBeLessThan(1e-10);
    }
  });

  it('recorded rotations reproduce the accumulated eigenvectors: W·Wᵀz = z and Wᵀ applied = rotated rows', () => {
    const n = 25;
    const a = randomSpd(n, 5);
    const t = tridiagonalizeInPlace(Float64Array.from(a), n);
    const d1 = Float64Array.from(t.d);
    const d2 = Float64Array.from(t.d);
    const zt = new Float64Array(n * n);
    for (let i = 0; i < n; i++) zt[i * n + i] = 1;
    tridiagonalQL(d1, Float64Array.from(t.e), { vectors: zt });
    const log = new RotationLog();
    tridiagonalQL(d2, Float64Array.from(t.e), { log });
    expect(Array.from(d2)).toEqual(Array.from(d1));
    const z = normals(6);
    const x = Float64Array.from({ length: n }, () => z());
    const wtx = Float64Array.from(x);
    log.applyTransposed(wtx);
    for (let p = 0; p < n; p++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += zt[p * n + k]! * x[k]!;
      expect(Math.abs(s - wtx[p]!)).toBeLessThan(1e-13);
    }
    log.apply(wtx);
    expect(maxRelDiff(wtx, x)).toBeLessThan(1e-13);
  });
});

// ---------- CG and Lanczos ----------

describe('preconditioned conjugate gradients', () => {
  it('pivoted Cholesky is exact at full rank for a low-rank kernel', () => {
    const n = 60;
    const z = normals(7);
    const b = Float64Array.from({ length: n * 4 }, () => z());
    const k = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let c = 0; c < 4; c++) k[i * n + j]! += b[i * 4 + c]! * b[j * 4 + c]!;
    const pc = pivotedCholesky(k, n, 10, 1e-15);
    expect(pc.rank).toBe(4);
    expect(pc.residualTrace).toBeLessThan(1e-10);
  });

  it('reaches the tolerance; the recomputed residual bounds the error through the condition number', () => {
    const n = kTrain.rows;
    const reg = 1e-3;
    const b = Float64Array.from(yTrain);
    const res = conjugateGradient(kTrain.data, n, reg, b, { tol: 1e-12, preconditionerRank: 20 });
    expect(res.residual).toBeLessThanOrEqual(1e-11);
    const a = Float64Array.from(kTrain.data);
    for (let i = 0; i < n; i++) a[i * n + i]! += reg;
    const l = Float64Array.from(a);
    choleskyInPlace(l, n);
    const exact = choleskySolveWith(l, n, b, 1);
    const { values } = jacobiEigen(a, n);
    const cond = values[n - 1]! / values[0]!;
    // ‖x − x*‖/‖x*‖ ≤ κ·‖r‖/‖b‖
    const err = Math.hypot(...exact.map((v, i) => v - res.x[i]!)) / Math.hypot(...exact);
    expect(err).toBeLessThanOrEqual(cond * res.residual);
    expect(err).toBeLessThan(1e-8);
  });

  it('says so when the tolerance is out of reach (iteration limit)', () => {
    expect(() => conjugateGradient(kTrain.data, kTrain.rows, 0, Float64Array.from(yTrain), { tol: 1e-14, maxIterations: 3, preconditionerRank: 0 })).toThrow(
      LimitExceededError,
    );
  });
});

describe('Lanczos evaluation of f(K)·b', () => {
  it('matches the dense result; the error estimate bounds the true error', () => {
    const n = kTrain.rows;
    const b = Float64Array.from(yTrain);
    const { values, vectors: v } = jacobiEigen(kTrain.data, n);
    for (const s of [0.01, 0.1, 1]) {
      const f = (th: number) => Math.expm1(-Math.max(th, 0) * s);
      const g = (th: number) => (th > 0 ? Math.expm1(-th * s) / th : 0);
      for (const tol of [1e-4, 1e-8, 1e-11]) {
        const res = lanczosFunctions(kTrain.data, n, 0, b, [f, g], { tol, checkEvery: 4 });
        [f, g].forEach((fn, idx) => {
          const exact = new Float64Array(n);
          for (let p = 0; p < n; p++) {
            let c = 0;
            for (let i = 0; i < n; i++) c += v[i * n + p]! * b[i]!;
            for (let i = 0; i < n; i++) exact[i]! += v[i * n + p]! * fn(values[p]!) * c;
          }
          const err = Math.hypot(...exact.map((x, i) => x - res.values[idx]![i]!));
          expect(err).toBeLessThanOrEqual(res.errorEstimates[idx]! + 1e-13 * Math.hypot(...exact));
          expect(err).toBeLessThanOrEqual(2 * tol * Math.hypot(...exact) + 1e-13 * Math.hypot(...exact));
        });
      }
    }
  });

  it('rank-deficient K: an invariant subspace ends the iteration with an exact result', () => {
    const n = 50;
    const z = normals(8);
    const f = Float64Array.from({ length: n * 3 }, () => z());
    const k = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let c = 0; c < 3; c++) k[i * n + j]! += f[i * 3 + c]! * f[j * 3 + c]!;
    const res = lanczosFunctions(
      k,
      n,
      0,
      Float64Array.from({ length: n }, () => z()),
      [(th) => Math.expm1(-Math.max(th, 0))],
    );
    expect(res.iterations).toBeLessThanOrEqual(5);
    expect(res.errorEstimates[0]).toBe(0);
  });
});

// ---------- gradientDescentMse / nngpPosterior with every solver ----------

describe('regression with every solver against the dense Jacobi reference', () => {
  const solvers = ['cholesky', 'eigen', 'cg', 'lanczos'] as const;
  for (const t of [0.5, 20, 1000, Infinity]) {
    it(`t = ${t}: every solver within 1e-10 (dense) / 1e-8 (iterative) of the reference`, () => {
      const diagReg = 1e-4; // keeps CG's condition number moderate at t = ∞
      const k = matrix(Array.from({ length: kTrain.rows }, (_, i) => Array.from(kTrain.data.subarray(i * kTrain.rows, (i + 1) * kTrain.rows))));
      const mean = Array.from({ length: k.rows }, (_, i) => k.data[i * k.rows + i]!).reduce((a, b) => a + b) / k.rows;
      for (let i = 0; i < k.rows; i++) k.data[i * k.rows + i]! += diagReg * mean;
      const ref = referenceFlow(k, yTrain, kTest, t, 0.8);
      for (const solver of solvers) {
        const p = gradientDescentMse(kTrain, yTrain, { solver, diagReg, learningRate: 0.8, tol: 1e-12 })({ t, kTestTrain: kTest });
        const bound = solver === 'cg' || solver === 'lanczos' ? 1e-8 : 1e-10;
        expect(maxRelDiff(p.train.data, ref.train), `${solver} train`).toBeLessThan(bound);
        expect(maxRelDiff(p.test!.data, ref.test), `${solver} test`).toBeLessThan(bound);
      }
    });
  }

  it('a list of times equals one call per time; t = 0 returns f_0; large t approaches t = ∞', () => {
    for (const solver of ['eigen', 'lanczos'] as const) {
      const predict = gradientDescentMse(kTrain, yTrain, { solver, diagReg: 1e-3, tol: 1e-12 });
      const args = { kTestTrain: kTest, fxTrain0: 0.25, fxTest0: -0.5 };
      const times = [0, 1, 100, 1e9, Infinity];
      const all: Predictions[] = predict({ ...args, t: times });
      expect(all.map((p) => p.t)).toEqual(times);
      times.forEach((t, i) => {
        const one = predict({ ...args, t });
        expect(maxRelDiff(all[i]!.test!.data, one.test!.data)).toBeLessThan(1e-12);
      });
      expect(Array.from(all[0]!.train.data).every((v) => v === 0.25)).toBe(true);
      expect(Array.from(all[0]!.test!.data).every((v) => v === -0.5)).toBe(true);
      expect(maxRelDiff(all[3]!.test!.data, all[4]!.test!.data)).toBeLessThan(1e-6);
    }
  });

  it('indefinite kernel: negative eigenvalues are frozen (eigen and Lanczos agree); Cholesky refuses', () => {
    const n = 40;
    const a = randomSpd(n, 9, -0.3); // some negative eigenvalues
    const k: Matrix = { rows: n, cols: n, data: a };
    const z = normals(10);
    const y = Array.from({ length: n }, () => z());
    const kt: Matrix = { rows: 3, cols: n, data: Float64Array.from({ length: 3 * n }, () => z()) };
    const ref = referenceFlow(k, y, kt, 0.7);
    for (const solver of ['eigen', 'lanczos'] as const) {
      const p = gradientDescentMse(k, y, { solver, tol: 1e-12 })({ t: 0.7, kTestTrain: kt });
      expect(maxRelDiff(p.train.data, ref.train), solver).toBeLessThan(1e-8);
      expect(maxRelDiff(p.test!.data, ref.test), solver).toBeLessThan(1e-8);
    }
    expect(() => gradientDescentMse(k, y, { solver: 'cholesky' })({ kTestTrain: kt })).toThrow(DomainError);
  });

  it('rank-deficient kernel at finite t: eigen and Lanczos agree with the reference', () => {
    const n = 60;
    const x = randomInputs(n, 2, 11);
    const lin: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) lin.data[i * n + j] = x[i]![0]! * x[j]![0]! + x[i]![1]! * x[j]![1]!; // rank 2
    const y = x.map(([a]) => a!);
    const kt: Matrix = { rows: 2, cols: n, data: Float64Array.from({ length: 2 * n }, (_, i) => lin.data[i]!) };
    const ref = referenceFlow(lin, y, kt, 3);
    for (const solver of ['eigen', 'lanczos'] as const) {
      const p = gradientDescentMse(lin, y, { solver, tol: 1e-12 })({ t: 3, kTestTrain: kt });
      expect(maxRelDiff(p.train.data, ref.train), solver).toBeLessThan(1e-10);
      expect(maxRelDiff(p.test!.data, ref.test), solver).toBeLessThan(1e-10);
    }
  });

  it('reports iterations, residual and error estimates of the iterative solvers', () => {
    const cg = gradientDescentMse(kTrain, yTrain, { solver: 'cg', diagReg: 1e-3, tol: 1e-10 })({ kTestTrain: kTest });
    expect(cg.info?.solver).toBe('cg');
    expect(cg.info!.residual!).toBeLessThanOrEqual(1e-9);
    const lz = gradientDescentMse(kTrain, yTrain, { solver: 'lanczos', tol: 1e-10 })({ t: 5, kTestTrain: kTest });
    expect(lz.info?.solver).toBe('lanczos');
    expect(lz.info!.iterations!).toBeGreaterThan(0);
    expect(lz.info!.testErrorBound!).toBeGreaterThanOrEqual(0);
    const ref = referenceFlow(kTrain, yTrain, kTest, 5);
    const trueTestErr = maxAbs(lz.test!.data.map((v, i) => v - ref.test[i]!));
    expect(trueTestErr).toBeLessThanOrEqual(lz.info!.testErrorBound! + 1e-12 * maxAbs(ref.test));
  });

  it('overwriteKernel factorises in place; progress is reported and an abort stops the step', () => {
    const k: Matrix = { rows: kTrain.rows, cols: kTrain.cols, data: Float64Array.from(kTrain.data) };
    const fresh = gradientDescentMse(kTrain, yTrain, { diagReg: 1e-3 })({ kTestTrain: kTest });
    const predict = gradientDescentMse(k, yTrain, { diagReg: 1e-3, overwriteKernel: true, solver: 'cholesky' });
    expect(maxRelDiff(predict({ kTestTrain: kTest }).test!.data, fresh.test!.data)).toBeLessThan(1e-14);
    expect(k.data[1]).toBe(kTrain.data[1]); // strict upper triangle kept
    expect(k.data[kTrain.rows]).not.toBe(kTrain.data[kTrain.rows]); // lower triangle now L
    expect(() => predict({ t: 1, kTestTrain: kTest })).toThrow(/overwriteKernel/);
    const k2: Matrix = { rows: kTrain.rows, cols: kTrain.cols, data: Float64Array.from(kTrain.data) };
    const mixed = gradientDescentMse(k2, yTrain, { diagReg: 1e-3, overwriteKernel: true, solver: 'auto' }); // n = 120: Cholesky, then eigen
    mixed({ kTestTrain: kTest });
    expect(() => mixed({ t: 1, kTestTrain: kTest })).toThrow(/overwriteKernel/);
    const seen: SolverProgress[] = [];
    const controller = new AbortController();
    const big = randomSpd(200, 12);
    const run = () =>
      gradientDescentMse({ rows: 200, cols: 200, data: big }, new Array(200).fill(1), {
        solver: 'cholesky',
        onProgress: (p) => {
          seen.push(p);
          controller.abort();
        },
        signal: controller.signal,
      })({ kTestTrain: { rows: 1, cols: 200, data: new Float64Array(200) } });
    expect(run).toThrow(expect.objectContaining({ name: 'AbortError' }));
    expect(seen[0]?.step).toBe('cholesky');
  });

  it('NNGP posterior: blocked mean and covariance equal the dense formulas', () => {
    const k = relu.kernelFn(xTrain, null, 'nngp');
    const kst = relu.kernelFn(xTest, xTrain, 'nngp');
    const kss = relu.kernelFn(xTest, null, 'nngp');
    const post = nngpPosterior(k, yTrain, kst, kss, { diagReg: 1e-6 });
    const ref = referenceFlow(
      {
        rows: k.rows,
        cols: k.cols,
        data: k.data.map((v, i) =>
          i % (k.rows + 1) === 0 ? v + 1e-6 * (k.data.reduce((s, _, j) => (j % (k.rows + 1) === 0 ? s + k.data[j]! : s), 0) / k.rows) : v,
        ),
      },
      yTrain,
      kst,
      Infinity,
    );
    expect(maxRelDiff(post.mean.data, ref.test)).toBeLessThan(1e-8);
    for (const v of post.variance) expect(v).toBeGreaterThan(0);
  });
});
