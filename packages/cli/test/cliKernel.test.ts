import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readNumericCsv } from '../src/csv.ts';
import { fullyConnected, gradientDescentMse, toRows } from '@holonomic-ntk/ntk';
import { relErr } from './helpers.ts';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '../bin/hgm.js');
const dir = mkdtempSync(join(tmpdir(), 'hgm-cli-kernel-'));

function hgm(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000, cwd: dir });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return name;
};

const X = [
  [1, 0, 0.5],
  [0.6, 0.8, -0.2],
  [-1, 0.5, 0.1],
  [0.3, 0.3, 0.9],
];
const Y = [0.4, -0.3, 1.1, 0.2];
const XT = [
  [0.5, 0.5, 0],
  [0.9, 0.1, -0.4],
];
const YT = [0.3, 0.8];
const csv = (rows: number[][]) => rows.map((r) => r.join(',')).join('\n') + '\n';

describe('hgm ntk / hgm regress', () => {
  it.each([['ntk'], ['regress']])('%s --help', (cmd) => {
    const r = hgm(cmd, '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`Usage: hgm ${cmd}`));
    expect(r.out).toMatch(/--activation/);
  });

  it('ntk --json equals the library kernel (relu, closed form and HGM to 1e-12 relative); --out writes the same matrix', () => {
    file('X.csv', `a,b,c\n${csv(X)}`);
    const ref = toRows(fullyConnected({ depth: 2, activation: 'relu', wStd: 1.3, bStd: 0.2 }).kernelFn(X, null, 'ntk'));
    for (const method of ['closed', 'hgm']) {
      const r = hgm(
        'ntk',
        '--activation',
        'relu',
        '--depth',
        '2',
        '--x',
        'X.csv',
        '--w-std',
        '1.3',
        '--b-std',
        '0.2',
        '--method',
        method,
        '--json',
        '--out',
        `K-${method}.csv`,
      );
      expect(r.code).toBe(0);
      const k = JSON.parse(r.out).kernel as number[][];
      k.forEach((row, i) => row.forEach((v, j) => expect(relErr(v, ref[i]![j]!)).toBeLessThan(1e-12)));
      expect(readNumericCsv(join(dir, `K-${method}.csv`)).rows).toEqual(k);
    }
    const table = hgm('ntk', '--activation', 'relu', '--depth', '1', '--x', 'X.csv', '--kernel', 'nngp');
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/NNGP 4×4, relu, depth 1/);
  });

  it('regress: RMSE and predictions equal gradientDescentMse on the library kernels (t = ∞ and t = 5)', () => {
    file('train.csv', `x1,x2,x3,y\n${csv(X.map((r, i) => [...r, Y[i]!]))}`);
    file('test.csv', csv(XT.map((r, i) => [...r, YT[i]!])));
    const net = fullyConnected({ depth: 1, activation: 'relu' });
    const predict = gradientDescentMse(net.kernelFn(X, null, 'ntk'), Y);
    for (const t of [undefined, 5]) {
      const want = predict({ t, kTestTrain: net.kernelFn(XT, X, 'ntk') }).test!.data; // one output: the column
      const r = hgm(
        'regress',
        '--activation',
        'relu',
        '--method',
        'closed',
        '--train',
        'train.csv',
        '--test',
        'test.csv',
        '--json',
        ...(t ? ['--t', String(t)] : []),
      );
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out);
      j.predictions.forEach((p: number, i: number) => expect(relErr(p, want[i]!)).toBeLessThan(1e-12));
      expect(relErr(j.rmse, Math.sqrt(((want[0]! - YT[0]!) ** 2 + (want[1]! - YT[1]!) ** 2) / 2))).toBeLessThan(1e-12);
    }
    const text = hgm('regress', '--activation', 'erf', '--kernel', 'nngp', '--train', 'train.csv', '--test', 'test.csv', '--out', 'preds.csv');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/test RMSE/);
    expect(readFileSync(join(dir, 'preds.csv'), 'utf8').split('\n')[0]).toBe('target,prediction,variance');
  });

  it('a bad CSV row: one line naming file, row and reason, exit code 2, no output file, no stack trace', () => {
    file('bad.csv', `x1,x2,y\n1,0,1\n0.6,0.8,0.5\n\n-1,0.5,-0.2\n0.3,0.3,0.1\n1,abc,2\n`);
    file('short.csv', `1,0,1\n0.6,0.8\n`);
    file('test2.csv', csv(XT.map((r, i) => [r[0]!, r[1]!, YT[i]!])));
    const before = readdirSync(dir).length;
    const r = hgm('regress', '--activation', 'relu', '--train', 'bad.csv', '--test', 'test2.csv', '--out', 'never.csv');
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe("hgm: bad.csv row 7, column 2: 'abc' is not a number");
    expect(existsSync(join(dir, 'never.csv'))).toBe(false);
    const s = hgm('ntk', '--activation', 'relu', '--depth', '1', '--x', 'short.csv', '--out', 'never.csv');
    expect(s.code).toBe(2);
    expect(s.err.trim()).toBe('hgm: short.csv row 2: expected 3 columns, got 2');
    expect(readdirSync(dir).length).toBe(before);
    const usage = hgm('ntk', '--activation', 'resin', '--depth', '1', '--x', 'X.csv', '--method', 'closed');
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/^hgm: .*no closed form for resin/);
    expect(usage.err.trim().split('\n')).toHaveLength(1);
  });
});
