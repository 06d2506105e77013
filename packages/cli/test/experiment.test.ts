import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { circleTarget, makeCircleTask } from '../src/experiment/circleTask.ts';
import { maxRelativeError, ridgeSolve, rmse, runCircleExperiment, scaledMaxError, type ExperimentRow } from '../src/experiment/circleExperiment.ts';
import { experimentActivations, experimentMethods } from '../src/experiment/methods.ts';
import { DIGITS_SPLIT, digitsNetwork, loadDigits, runDigitsExperiment, type DigitsExperimentResult } from '../src/experiment/digitsExperiment.ts';
import { fullyConnected, gradientDescentMse, matrix, reluDual } from '@holonomic-ntk/ntk';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');

function hgm(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'packages/cli/bin/hgm.js'), ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('the circle task', () => {
  it('stratified seeded angles, the documented target, an even test grid', () => {
    const t = makeCircleTask({ nTrain: 12, nTest: 30, seed: 5 });
    expect(makeCircleTask({ nTrain: 12, nTest: 30, seed: 5 })).toEqual(t);
    expect(makeCircleTask({ nTrain: 12, nTest: 30, seed: 6 }).thetaTrain).not.toEqual(t.thetaTrain);
    t.thetaTrain.forEach((th, i) => {
      expect(th).toBeGreaterThanOrEqual((2 * Math.PI * i) / 12);
      expect(th).toBeLessThan((2 * Math.PI * (i + 1)) / 12);
    });
    // Target and inputs recomputed from the formula in the docs (exact: the same float operations).
    t.thetaTrain.forEach((th, i) => {
      expect(t.yTrain[i]).toBe(Math.sin(3 * th) + 0.5 * Math.cos(5 * th));
      expect(t.xTrain[i]).toEqual([Math.cos(th), Math.sin(th)]);
    });
    expect(t.thetaTest[0]).toBeCloseTo(Math.PI / 30, 15);
    expect(circleTarget(0)).toBe(0.5);
    expect(() => makeCircleTask({ nTrain: 0, nTest: 3 })).toThrow(RangeError);
  });
});

describe('helpers', () => {
  it('ridgeSolve: Cholesky for SPD, the same linear system by eigen-decomposition when indefinite (vs Cramer, 1e-14)', () => {
    const cramer = (k: number[][], y: number[]) => {
      const det = k[0]![0]! * k[1]![1]! - k[0]![1]! * k[1]![0]!;
      return [(y[0]! * k[1]![1]! - k[0]![1]! * y[1]!) / det, (k[0]![0]! * y[1]! - y[0]! * k[1]![0]!) / det];
    };
    const spd = [
      [4, 1],
      [1, 3],
    ];
    const s1 = ridgeSolve(matrix(spd), [1, 2], 0);
    expect(s1.solver).toBe('cholesky');
    s1.alpha.forEach((v, i) => expect(Math.abs(v - cramer(spd, [1, 2])[i]!)).toBeLessThan(1e-14));
    const indefinite = [
      [1, 2],
      [2, 1],
    ];
    const s2 = ridgeSolve(matrix(indefinite), [1, -3], 0);
    expect(s2.solver).toBe('eigen');
    expect(s2.minEigenvalue).toBeCloseTo(-1, 14);
    s2.alpha.forEach((v, i) => expect(Math.abs(v - cramer(indefinite, [1, -3])[i]!)).toBeLessThan(1e-14));
    // diagReg is relative to the mean diagonal: λ·(4 + 3)/2 added to each diagonal entry.
    const s3 = ridgeSolve(matrix(spd), [1, 2], 0.5);
    const reg = [
      [4 + 1.75, 1],
      [1, 3 + 1.75],
    ];
    s3.alpha.forEach((v, i) => expect(Math.abs(v - cramer(reg, [1, 2])[i]!)).toBeLessThan(1e-14));
  });

  it('maxRelativeError, scaledMaxError and rmse on hand-computed cases', () => {
    expect(scaledMaxError(matrix([[1, 0.001]]), matrix([[1, 0.002]]))).toBeCloseTo(1e-3, 15); // entrywise this would be 0.5
    expect(scaledMaxError(matrix([[2, 0]]), matrix([[1, 0]]))).toBe(1);
    expect(maxRelativeError(matrix([[1, 2.002]]), matrix([[1, 2]]))).toBeCloseTo(1e-3, 15);
    expect(maxRelativeError(matrix([[1e-20, 1]]), matrix([[0, 1]]))).toBe(1e-20); // absolute where the reference is 0
    expect(Number.isNaN(maxRelativeError(matrix([[NaN]]), matrix([[1]])))).toBe(true);
    expect(rmse([1, 2], [1, 4])).toBeCloseTo(Math.SQRT2, 15);
  });
});

describe('the experiment at a tiny size', () => {
  it('resin: rows for GH-20 and both HGM modes; HGM kernel error ≤ 1e-9, GH-20 far larger; the reference agrees with quadrature', async () => {
    const r = await runCircleExperiment({ activation: 'resin', nTrain: 8, nTest: 16, depth: 2, crossCheckPoints: 4 });
    expect(r.rows.map((x) => x.method)).toEqual(['gauss-hermite-20', 'hgm-per-entry', 'hgm-all-at-once']);
    expect(r.reference.kind).toBe('hgm-tight');
    // Independent check of the reference: adaptive quadrature, ~1e-13 accurate.
    expect(r.reference.crossCheck!.points).toBe(4);
    expect(r.reference.crossCheck!.maxRelError).toBeLessThan(1e-12);
    const [gh, perEntry, allAtOnce] = r.rows as [ExperimentRow, ExperimentRow, ExperimentRow];
    for (const row of [perEntry, allAtOnce]) {
      expect(row.kernelError).toBeLessThanOrEqual(1e-9);
      expect(row.kernelErrorEntrywise).toBeLessThanOrEqual(1e-9);
    }
    // GH-20 on a kinked activation: algebraic convergence, errors of percents.
    expect(gh.kernelError).toBeGreaterThan(1e-3);
    expect(gh.kernelErrorEntrywise).toBeGreaterThanOrEqual(gh.kernelError);
    expect(gh.kernelError).toBeGreaterThan(1e4 * Math.max(perEntry.kernelError, allAtOnce.kernelError, 1e-16));
    // The two HGM modes give the same predictions to the accuracy of their kernels.
    perEntry.predictions.forEach((p, i) => expect(Math.abs(p - allAtOnce.predictions[i]!)).toBeLessThan(1e-6));
    for (const row of r.rows) {
      expect(row.trainSeconds).toBeGreaterThan(0);
      expect(row.inferenceSeconds).toBeGreaterThan(0);
      // The reported RMSE is the RMSE of the reported predictions against the formula.
      const err = Math.sqrt(row.predictions.reduce((s, p, i) => s + (p - circleTarget(r.task.thetaTest[i]!)) ** 2, 0) / 16);
      expect(Math.abs(row.testRmse - err)).toBeLessThanOrEqual(1e-15 * Math.max(1, err));
    }
  });

  it('relu: the closed form is the reference (error 0); GH-20 errs by > 1e-3; predictions equal gradient_descent_mse at t = ∞ (1e-9)', async () => {
    const settings = { activation: 'relu', nTrain: 10, nTest: 20, depth: 2, wStd: 1.5, bStd: 0.1, diagReg: 1e-6 };
    const r = await runCircleExperiment(settings);
    expect(r.rows.map((x) => x.method)).toEqual(['closed-form', 'gauss-hermite-20', 'hgm-per-entry', 'hgm-all-at-once']);
    expect(r.reference.kind).toBe('closed-form');
    expect(r.reference.crossCheck).toBeUndefined();
    const byId = Object.fromEntries(r.rows.map((x) => [x.method, x]));
    expect(byId['closed-form']!.kernelError).toBeLessThanOrEqual(1e-15);
    expect(byId['hgm-per-entry']!.kernelErrorEntrywise).toBeLessThanOrEqual(1e-9);
    expect(byId['hgm-all-at-once']!.kernelErrorEntrywise).toBeLessThanOrEqual(1e-9);
    expect(byId['gauss-hermite-20']!.kernelError).toBeGreaterThan(1e-3);
    // Independent route: in-thread stax kernels with the closed-form layer, and neural-tangents-style predict.
    const net = fullyConnected({ depth: 2, activation: 'relu', wStd: 1.5, bStd: 0.1 });
    const predict = gradientDescentMse(net.kernelFn(r.task.xTrain, null, 'ntk'), r.task.yTrain, { diagReg: 1e-6 });
    const expected = predict({ kTestTrain: net.kernelFn(r.task.xTest, r.task.xTrain, 'ntk') }).test!.data; // one output: the column
    byId['closed-form']!.predictions.forEach((p, i) => expect(Math.abs(p - expected[i]!)).toBeLessThan(1e-9));
  });

  it('methods: a closed-form row only where a closed form exists; bad settings are RangeErrors', async () => {
    expect(experimentActivations()).toEqual(['relu', 'resin', 'gelu', 'erf', 'phi', 'sin', 'cos', 'exp']);
    expect(experimentMethods('gelu').map((m) => [m.dual, m.perEntry ?? false])).toEqual([
      ['closed', false],
      ['gh:20', false],
      ['hgm', true],
      ['hgm', false],
    ]);
    expect(experimentMethods('phi').map((m) => [m.dual, m.perEntry ?? false])).toEqual([
      ['gh:20', false],
      ['hgm', true],
      ['hgm', false],
    ]);
    expect(() => experimentMethods('step')).toThrow(/no σ̇ function/);
    expect(() => experimentMethods('swish')).toThrow(/unknown activation "swish"; expected one of relu/);
    await expect(runCircleExperiment({ activation: 'relu', nTrain: 4, nTest: 4, depth: 0 })).rejects.toThrow(/depth must be an integer ≥ 1/);
  });
});

describe('hgm experiment', () => {
  it('--help describes the command', () => {
    const r = hgm('experiment', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Usage: hgm experiment/);
    expect(r.out).toMatch(/--dataset <name>/);
    expect(r.out).toMatch(/--figure <path\.svg>/);
  });

  it('bad options: one line on stderr, exit 2, no stack trace', () => {
    for (const [args, message] of [
      [['--n-train', 'ten'], /^hgm: --n-train: expected an integer ≥ 2, got "ten"\n$/],
      [['--depth', '0'], /^hgm: --depth: expected an integer from 1 to 10000, got "0"\n$/],
      [['--activation', 'step'], /^hgm: --activation: step has no σ̇ function.*\n$/],
      [['--dataset', 'iris'], /^hgm: --dataset: expected cars or digits, got "iris"\n$/],
      [['--dataset', 'cars', '--n-train', '5'], /^hgm: --n-train does not apply to --dataset cars\n$/],
      [['--figure', 'plot.png'], /^hgm: --figure: expected a path ending in \.svg/],
    ] as const) {
      const r = hgm('experiment', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.out).toBe('');
    }
    const unknown = hgm('experiment', '--bogus');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown option '--bogus'/);
  });

  it('a tiny run: table or JSON, and the figure written where asked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hgm-experiment-'));
    const figure = join(dir, 'sub', 'relu.svg');
    const args = ['experiment', '--activation', 'relu', '--n-train', '6', '--n-test', '12', '--depth', '1', '--b-std', '0.5'];
    const j = hgm(...args, '--json', '--figure', figure);
    expect(j.code).toBe(0);
    const out = JSON.parse(j.out);
    expect(out.rows.map((x: { method: string }) => x.method)).toEqual(['closed-form', 'gauss-hermite-20', 'hgm-per-entry', 'hgm-all-at-once']);
    expect(out.settings).toMatchObject({ activation: 'relu', nTrain: 6, nTest: 12, depth: 1, bStd: 0.5 });
    expect(out.pfaffian.source).toBe('built-in artifact relu.artifact.json');
    expect(out.figure).toBe(figure);
    expect(readFileSync(figure, 'utf8')).toMatch(/^<\?xml[\s\S]*<\/svg>\n$/);
    const t = hgm(...args);
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/^method +train \(s\) +inference \(s\) +kernel error +entrywise +test RMSE/m);
    expect(t.out).toMatch(/^HGM all-at-once +\d/m);
    expect(existsSync(join(dir, 'relu.svg'))).toBe(false);
  });
});

describe('hgm experiment --dataset digits', () => {
  it('the vendored digits: 1797 images of 64 pixels in [0, 1], classes 0..9', () => {
    const d = loadDigits();
    expect(d.x).toHaveLength(DIGITS_SPLIT.train + DIGITS_SPLIT.test);
    expect(d.x.every((r) => r.length === 64 && r.every((v) => v >= 0 && v <= 1))).toBe(true);
    expect(new Set(d.y)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
  });

  it('relu rows: the accuracy of an independent t = ∞ NTK regression on the same images (fc and cnn)', async () => {
    const r = await runDigitsExperiment({ activations: ['relu'], nTrain: 12, nTest: 9 });
    expect(r.rows.map((row) => [row.architecture, row.method, row.kernelError])).toEqual([
      ['fc', 'closed form', null],
      ['cnn', 'closed form', null],
    ]);
    const d = loadDigits();
    const xtr = d.x.slice(0, 12);
    const xte = d.x.slice(DIGITS_SPLIT.train, DIGITS_SPLIT.train + 9);
    const targets = d.y.slice(0, 12).map((c) => Array.from({ length: 10 }, (_, k) => (k === c ? 1 : 0)));
    for (const row of r.rows) {
      const net = digitsNetwork(row.architecture, reluDual);
      const o = row.architecture === 'cnn' ? { shape: [8, 8, 1] } : {};
      const pred = gradientDescentMse(net.kernelFn(xtr, null, 'ntk', o), targets, { diagReg: 1e-10 })({ kTestTrain: net.kernelFn(xte, xtr, 'ntk', o) }).test!;
      let correct = 0;
      for (let i = 0; i < 9; i++) {
        const out = Array.from(pred.data.slice(i * 10, i * 10 + 10));
        if (out.indexOf(Math.max(...out)) === d.y[DIGITS_SPLIT.train + i]) correct++;
      }
      expect(row.accuracy, row.architecture).toBe(correct / 9);
    }
  });

  it('resin (fc): the HGM row is the reference and agrees with quadrature; GH-20 has a measured error', async () => {
    const r = await runDigitsExperiment({ architectures: ['fc'], activations: ['resin'], nTrain: 6, nTest: 4, crossCheckImages: 3 });
    const [hgmRow, gh] = r.rows;
    expect([hgmRow!.method, gh!.method]).toEqual(['HGM', 'Gauss–Hermite 20']);
    expect(hgmRow!.kernelError).toBeNull();
    expect(hgmRow!.crossCheck!.images).toBe(3);
    expect(hgmRow!.crossCheck!.maxRelError).toBeLessThan(1e-10);
    expect(gh!.kernelError).toBeGreaterThan(0);
    expect(gh!.kernelError).toBeLessThan(1);
  });

  it('the command: JSON and table; bad options are usage errors', () => {
    const r = hgm('experiment', '--dataset', 'digits', '--activation', 'relu', '--architecture', 'fc', '--n-train', '20', '--n-test', '10', '--json');
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as DigitsExperimentResult;
    expect(out.rows).toHaveLength(1);
    expect(out.rows[0]).toMatchObject({ architecture: 'fc', activation: 'relu', method: 'closed form', nTrain: 20, nTest: 10, solver: 'cholesky' });
    const t = hgm('experiment', '--dataset', 'digits', '--activation', 'relu', '--architecture', 'fc', '--n-train', '20', '--n-test', '10');
    expect(t.code, t.err).toBe(0);
    expect(t.out).toMatch(/^fc\s+relu\s+closed form\s+20\/10\s/m);
    for (const [args, message] of [
      [['--n-train', '1001'], /^hgm: --n-train: expected an integer from 1 to 1000, got "1001"\n$/],
      [['--architecture', 'rnn'], /^hgm: --architecture: expected fc, cnn or fc,cnn, got "rnn"\n$/],
      [['--depth', '3'], /^hgm: --depth does not apply to --dataset digits\n$/],
      [['--activation', 'step'], /^hgm: --activation: step has no σ̇ function/],
    ] as const) {
      const e = hgm('experiment', '--dataset', 'digits', ...args);
      expect(e.code, args.join(' ')).toBe(2);
      expect(e.err).toMatch(message);
    }
    expect(hgm('experiment', '--architecture', 'fc').err).toMatch(/^hgm: --architecture goes with --dataset digits\n$/);
  });
});
