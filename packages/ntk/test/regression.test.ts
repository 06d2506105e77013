import { DomainError } from '@holonomic-ntk/core';
import { describe, expect, it } from 'vitest';
import { fullyConnected, gradientDescentMse, matrix, nngpPosterior, toRows, type Matrix } from '../src/index.ts';
import { cholesky, choleskySolve, multiply, symmetricEigen } from '../src/regression/linearAlgebra.ts';
import { at, normals, randomInputs } from './helpers.ts';

const xTrain = randomInputs(10, 3, 21);
const xTest = randomInputs(4, 3, 22);
const z = normals(23);
const yTrain = xTrain.map(() => [z(), z()]); // two outputs
const net = fullyConnected({ depth: 2, activation: 'relu', wStd: Math.SQRT2, bStd: 0.1 });
const kTrain = net.kernelFn(xTrain, null, 'ntk');
const kTestTrain = net.kernelFn(xTest, xTrain, 'ntk');
const rowsOf = (m: Matrix | number[][]): number[][] => (Array.isArray(m) ? m : toRows(m));
const maxAbsDiff = (a: Matrix | number[][], b: Matrix | number[][]) => {
  const [ra, rb] = [rowsOf(a), rowsOf(b)];
  return Math.max(...ra.flatMap((r, i) => r.map((v, j) => Math.abs(v - rb[i]![j]!))));
};

describe('linear algebra', () => {
  it('Cholesky solves SPD systems; rejects indefinite matrices', () => {
    const a = kTrain;
    const x = choleskySolve(cholesky(a), matrix(yTrain));
    expect(maxAbsDiff(toRows(multiply(a, x)), yTrain)).toBeLessThan(1e-10);
    expect(() =>
      cholesky(
        matrix([
          [1, 2],
          [2, 1],
        ]),
      ),
    ).toThrow(DomainError);
  });

  it('symmetricEigen (Householder + QL): A = V diag(λ) Vᵀ, VᵀV = I, ascending eigenvalues', () => {
    const a = kTrain;
    const { values, vectors: v } = symmetricEigen(a);
    const n = a.rows;
    for (let i = 1; i < n; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]!);
    const scale = Math.max(...values.map(Math.abs));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let rec = 0;
        let orth = 0;
        for (let p = 0; p < n; p++) {
          rec += v.data[i * n + p]! * values[p]! * v.data[j * n + p]!;
          orth += v.data[p * n + i]! * v.data[p * n + j]!;
        }
        expect(Math.abs(rec - a.data[i * n + j]!)).toBeLessThan(1e-13 * scale);
        expect(Math.abs(orth - (i === j ? 1 : 0))).toBeLessThan(1e-13);
      }
    }
  });
});

describe('gradient-flow predictions (neural-tangents gradient_descent_mse)', () => {
  const predict = gradientDescentMse(kTrain, yTrain, { learningRate: 0.7 });

  it('t = ∞ with diagReg = 0 interpolates the training set (to 1e-8)', () => {
    const out = predict({ kTestTrain: kTrain });
    expect(maxAbsDiff(out.test!, yTrain)).toBeLessThan(1e-8);
    expect(toRows(out.train)).toEqual(yTrain);
  });

  it('t = 0 returns f_0 (0 by default, or the given f_0)', () => {
    const out = predict({ t: 0, kTestTrain });
    expect(
      maxAbsDiff(
        out.test!,
        toRows(kTestTrain).map(() => [0, 0]),
      ),
    ).toBe(0);
    expect(
      maxAbsDiff(
        out.train,
        yTrain.map(() => [0, 0]),
      ),
    ).toBe(0);
    const f0 = yTrain.map(([a, b]) => [a! + 1, b! - 2]);
    expect(maxAbsDiff(predict({ t: 0, fxTrain0: f0 }).train, f0)).toBe(0);
  });

  it('f_t → the t = ∞ prediction as t grows (eigenbasis path vs Cholesky path)', () => {
    const f0 = yTrain.map(() => [0.3, -0.1]);
    const ft0 = toRows(kTestTrain).map(() => [0.2, 0.5]);
    const inf = predict({ fxTrain0: f0, kTestTrain, fxTest0: ft0 });
    const late = predict({ t: 1e12, fxTrain0: f0, kTestTrain, fxTest0: ft0 });
    expect(maxAbsDiff(late.test!, inf.test!)).toBeLessThan(1e-8);
    expect(maxAbsDiff(late.train, yTrain)).toBeLessThan(1e-8);
    const mid = predict({ t: 5, kTestTrain });
    expect(maxAbsDiff(mid.test!, inf.test!)).toBeGreaterThan(1e-3); // not yet converged
  });

  it('solves the ODE df/dt = −η Θ (f − Y)/N at t = 0 (finite difference)', () => {
    const h = 1e-6;
    const eta = 0.7;
    const N = yTrain.length * 2;
    const f1 = predict({ t: h, kTestTrain });
    for (let i = 0; i < kTestTrain.rows; i++) {
      for (let c = 0; c < 2; c++) {
        const rhs = (-eta / N) * toRows(kTestTrain)[i]!.reduce((s, k, j) => s + k * (0 - yTrain[j]![c]!), 0);
        expect(Math.abs(at(f1.test!, i, c) / h - rhs)).toBeLessThan(1e-5 * (1 + Math.abs(rhs)));
      }
    }
  });

  it('diagReg is relative to the mean diagonal by default (neural-tangents), absolute on request', () => {
    const reg = 0.1;
    const n = kTrain.rows;
    const mean = toRows(kTrain).reduce((s, r, i) => s + r[i]!, 0) / n;
    const kReg = toRows(kTrain).map((r, i) => r.map((v, j) => (i === j ? v + reg * mean : v)));
    const manual = toRows(multiply(kTestTrain, choleskySolve(cholesky(matrix(kReg)), matrix(yTrain))));
    expect(maxAbsDiff(gradientDescentMse(kTrain, yTrain, { diagReg: reg })({ kTestTrain }).test!, manual)).toBeLessThan(1e-12);
    const abs = gradientDescentMse(kTrain, yTrain, { diagReg: reg * mean, diagRegAbsoluteScale: true })({ kTestTrain }).test!;
    expect(maxAbsDiff(abs, manual)).toBeLessThan(1e-12);
  });

  it('negative eigenvalues are clamped: those directions stay frozen at finite t', () => {
    // K = diag(2, −1e-12): the second training residual must not move.
    const p = gradientDescentMse(
      matrix([
        [2, 0],
        [0, -1e-12],
      ]),
      [1, 1],
    );
    const out = p({ t: 3, fxTrain0: [0, 0] });
    expect(at(out.train, 1, 0)).toBe(0);
    expect(at(out.train, 0, 0)).toBeCloseTo(1 - Math.exp((-2 * 3) / 2), 14);
  });
});

describe('NNGP posterior', () => {
  it('mean interpolates and variance vanishes at training points; variance ≥ 0 elsewhere', () => {
    const k = net.kernelFn(xTrain, null, 'nngp');
    const kst = net.kernelFn(xTest, xTrain, 'nngp');
    const kss = net.kernelFn(xTest, null, 'nngp');
    const atTrain = nngpPosterior(k, yTrain, k, k);
    expect(maxAbsDiff(atTrain.mean, yTrain)).toBeLessThan(1e-8);
    for (const v of atTrain.variance) expect(Math.abs(v)).toBeLessThan(1e-8);
    const post = nngpPosterior(k, yTrain, kst, kss);
    post.variance.forEach((v, i) => {
      expect(v).toBeGreaterThan(0);
      expect(v).toBeLessThanOrEqual(at(kss, i, i));
    });
    // the mean is the t = ∞ gradient-flow prediction with the NNGP kernel
    expect(maxAbsDiff(post.mean, gradientDescentMse(k, yTrain)({ kTestTrain: kst }).test!)).toBeLessThan(1e-12);
  });
});
