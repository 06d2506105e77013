/**
 * Gradient-flow predictions against MATH.md §6, f_t(X) = (I − e^{−ηΘt})Y + e^{−ηΘt} f_0(X), with the matrix
 * exponential computed here independently (Taylor series with scaling and squaring, no eigen-decomposition).
 * Our predictor follows neural-tangents' gradient_descent_mse, whose loss is the MEAN over the N = n·k target
 * entries: its rate η corresponds to MATH.md's η/N (the test passes learningRate = N·η).
 */
import { describe, expect, it } from 'vitest';
import { fullyConnected, gradientDescentMse, toRows } from '../src/index.ts';
import { at, normals, randomInputs } from './helpers.ts';

type M = number[][];
const mul = (a: M, b: M): M => a.map((r) => b[0]!.map((_, j) => r.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
const add = (a: M, b: M, s = 1): M => a.map((r, i) => r.map((v, j) => v + s * b[i]![j]!));
const eye = (n: number): M => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));

/** e^{A} by scaling to ‖A‖ ≤ 1/2, a 30-term Taylor series and squaring back. */
function expm(a: M): M {
  const norm = Math.max(...a.map((r) => r.reduce((s, v) => s + Math.abs(v), 0)));
  const k = Math.max(0, Math.ceil(Math.log2(norm / 0.5)));
  const s = a.map((r) => r.map((v) => v / 2 ** k));
  let term = eye(a.length);
  let sum = eye(a.length);
  for (let i = 1; i <= 30; i++) {
    term = mul(term, s).map((r) => r.map((v) => v / i));
    sum = add(sum, term);
  }
  for (let i = 0; i < k; i++) sum = mul(sum, sum);
  return sum;
}

describe('gradient flow vs MATH.md §6 by an independent matrix exponential', () => {
  const x = randomInputs(8, 3, 31);
  const z = normals(32);
  const y = x.map(() => [z()]);
  const f0 = x.map(() => [0.3 * z()]);
  const theta = fullyConnected({ depth: 2, activation: 'erf', wStd: 1.2, bStd: 0.2 }).kernelFn(x, null, 'ntk');
  const n = x.length;

  for (const t of [0.1, 1, 10, 100]) {
    it(`train predictions at ηt = ${t} equal (I − e^{−ηΘt})Y + e^{−ηΘt}f_0 to 1e-10 (absolute, |Y| ~ 1)`, () => {
      const eta = 0.5;
      const e = expm(toRows(theta).map((r) => r.map((v) => -eta * t * v)));
      const want = add(mul(add(eye(n), e, -1), y), mul(e, f0));
      const got = gradientDescentMse(theta, y, { learningRate: eta * n })({ t, fxTrain0: f0 }).train;
      for (let i = 0; i < got.rows; i++) expect(Math.abs(at(got, i, 0) - want[i]![0]!)).toBeLessThan(1e-10);
    });
  }
});
