/**
 * hgm regress with a list of times and each solver (issue 13): --t 1,10,inf, --solver cholesky|cg|eigen|lanczos and
 * --tol give the same predictions as the library within the stated tolerance; bad values of --solver, --t and --tol
 * are one-line usage errors naming the option. The command runs in this process (main).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fullyConnected, gradientDescentMse } from '@holonomic-ntk/ntk';
import { readNumericCsv } from '../src/csv.ts';
import { hgmInProcess as hgm } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'hgm-regress-solvers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const p = (name: string) => join(dir, name);

// 60 training and 12 test points in R³ (a fixed linear congruential sequence), target sin(x₁ + 2x₂) − x₃².
let seed = 12345;
const uniform = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), (seed / 2 ** 31) * 2 - 1);
const points = (n: number) => Array.from({ length: n }, () => [uniform(), uniform(), uniform()]);
const target = (x: number[]) => Math.sin(x[0]! + 2 * x[1]!) - x[2]! ** 2;
const X = points(60);
const XT = points(12);
const csv = (xs: number[][]) => `x1,x2,x3,y\n${xs.map((x) => [...x, target(x)].join(',')).join('\n')}\n`;
writeFileSync(p('train.csv'), csv(X));
writeFileSync(p('test.csv'), csv(XT));

const DIAG_REG = 1e-6;
const BASE = ['regress', '--activation', 'relu', '--depth', '2', '--method', 'closed', '--train', p('train.csv'), '--test', p('test.csv')];
const TIMES = [1, 10, Infinity];

/** max_i |x_i − y_i| / max_i |y_i| */
function maxRel(x: readonly number[], y: readonly number[]): number {
  expect(x).toHaveLength(y.length);
  let d = 0;
  let m = 0;
  y.forEach((v, i) => {
    d = Math.max(d, Math.abs(x[i]! - v));
    m = Math.max(m, Math.abs(v));
  });
  return d / m;
}

/** The dense reference: the library's eigen path on the same kernels (the relative diagReg of the command). */
function reference(): number[][] {
  const net = fullyConnected({ depth: 2, activation: 'relu' });
  const predict = gradientDescentMse(net.kernelFn(X, null, 'ntk'), X.map(target), { diagReg: DIAG_REG, solver: 'eigen' });
  return predict({ t: TIMES, kTestTrain: net.kernelFn(XT, X, 'ntk') }).map((q) => Array.from(q.test!.data));
}

/** One line on stderr, starting with `hgm: `, no stack trace. */
function oneLine(err: string): void {
  expect(err).toMatch(/^hgm: [^\n]+\n$/);
  expect(err).not.toMatch(/\n\s+at /);
}

describe('hgm regress --t list --solver --tol', () => {
  const want = reference();

  it.each([
    ['cholesky', 1e-10],
    ['eigen', 1e-10],
    ['cg', 1e-8],
    ['lanczos', 1e-8],
    ['auto', 1e-10],
  ])('--solver %s --t 1,10,inf --tol 1e-10: every time within %s of the dense reference', async (solver, bound) => {
    const r = await hgm([...BASE, '--t', '1,10,inf', '--solver', solver, '--tol', '1e-10', '--diag-reg', String(DIAG_REG), '--json']);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as { solver: string; t: (number | string)[]; rmse: number[]; predictions: number[][] };
    expect(j.solver).toBe(solver);
    expect(j.t).toEqual([1, 10, 'Infinity']);
    expect(j.predictions).toHaveLength(3);
    j.predictions.forEach((ps, k) => expect(maxRel(ps, want[k]!), `t = ${TIMES[k]}`).toBeLessThan(bound));
    expect(j.rmse.every((e) => e > 0 && Number.isFinite(e))).toBe(true);
  });

  it('the solvers agree with each other at every time; a looser --tol loosens the iterative ones only so far', async () => {
    const run = async (solver: string, tol: string) => {
      const r = await hgm([...BASE, '--t', '1,10,inf', '--solver', solver, '--tol', tol, '--diag-reg', String(DIAG_REG), '--json']);
      expect(r.code, r.err).toBe(0);
      return (JSON.parse(r.out) as { predictions: number[][] }).predictions;
    };
    const chol = await run('cholesky', '1e-10');
    for (const solver of ['cg', 'lanczos', 'eigen']) {
      const other = await run(solver, '1e-10');
      other.forEach((ps, k) => expect(maxRel(ps, chol[k]!), `${solver} t = ${TIMES[k]}`).toBeLessThan(1e-8));
    }
    // --tol 1e-4: the iterative solvers stop earlier, still near the dense answer.
    const loose = await run('lanczos', '1e-4');
    loose.forEach((ps, k) => expect(maxRel(ps, chol[k]!), `lanczos --tol 1e-4, t = ${TIMES[k]}`).toBeLessThan(1e-2));
  });

  it('--out writes one column per time (inf and ∞ both mean t = ∞); the text output lists the RMSE per time', async () => {
    const r = await hgm([...BASE, '--t', '1, 10 ,∞', '--solver', 'eigen', '--diag-reg', String(DIAG_REG), '--out', p('preds.csv')]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/t = 1, 10, ∞/);
    expect(r.out).toMatch(/t = 10: test RMSE \d/);
    expect(r.out).toMatch(/t = ∞: test RMSE \d/);
    expect(readFileSync(p('preds.csv'), 'utf8').split('\n')[0]).toBe('target,prediction_t=1,prediction_t=10,prediction_t=∞');
    const rows = readNumericCsv(p('preds.csv')).rows;
    expect(rows).toHaveLength(XT.length);
    TIMES.forEach((t, k) =>
      expect(
        maxRel(
          rows.map((row) => row[k + 1]!),
          want[k]!,
        ),
        `t = ${t}`,
      ).toBeLessThan(1e-10),
    );
    // A single inf is the default (no --t).
    const inf = await hgm([...BASE, '--t', 'inf', '--diag-reg', String(DIAG_REG), '--json']);
    const none = await hgm([...BASE, '--diag-reg', String(DIAG_REG), '--json']);
    expect(inf.code, inf.err).toBe(0);
    expect(JSON.parse(inf.out)).toEqual(JSON.parse(none.out));
  });

  it.each([
    [['--solver', 'qr'], /^hgm: --solver: expected auto, cholesky, cg, eigen, lanczos, got "qr"/],
    [['--solver', ''], /^hgm: --solver: /],
    [['--t', '1,,10'], /^hgm: --t: .*got "1,,10"/],
    [['--t', '-1'], /^hgm: --t: .*got "-1"/],
    [['--t', '1,abc'], /^hgm: --t: .*got "1,abc"/],
    [['--t', 'nan'], /^hgm: --t: .*got "nan"/],
    [['--t', '-inf'], /^hgm: --t: .*got "-inf"/],
    [['--tol', '0'], /^hgm: --tol: expected a number in \(0, 1\), got "0"/],
    [['--tol', '2'], /^hgm: --tol: .*got "2"/],
    [['--tol', 'tight'], /^hgm: --tol: .*got "tight"/],
    [['--kernel', 'nngp', '--t', '1,inf'], /^hgm: --t goes with --kernel ntk/],
  ])('%j: one line naming the option, exit 2, nothing written', async (args, message) => {
    const r = await hgm([...BASE, ...args, '--out', p('never.csv')]);
    expect(r.code).toBe(2);
    oneLine(r.err);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
    expect(() => readFileSync(p('never.csv'))).toThrow();
  });
});
