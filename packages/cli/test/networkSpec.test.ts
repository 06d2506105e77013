import {
  activation,
  avgPool,
  conv,
  dense,
  dualProvider,
  fanInSum,
  fanOut,
  globalAvgPool,
  gradientDescentMse,
  identity,
  parallel,
  serial,
} from '@holonomic-ntk/ntk';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseNetworkSpec, parseShape } from '../src/networkSpec.ts';

const closed = (a: string) => dualProvider(a, 'closed');
const x = [
  [1, 0, 0.5, 1, 0.2, 0, 0, 1, 0.3],
  [0, 1, 0.1, 1, 0, 0.7, 0, 1, 0],
];

describe('network spec', () => {
  it('the issue example = the same layers built in code', () => {
    const net = parseNetworkSpec('conv(16,3x3,SAME) relu conv(16,3x3,SAME) relu globalAvgPool dense', closed, { wStd: 1.5, bStd: 0.1 });
    const o = { wStd: 1.5, bStd: 0.1 };
    const ref = serial(
      conv(16, [3, 3], { ...o, padding: 'SAME' }),
      activation('relu'),
      conv(16, [3, 3], { ...o, padding: 'SAME' }),
      activation('relu'),
      globalAvgPool(),
      dense(o),
    );
    expect(net.kernels(x, null, { shape: [3, 3, 1] })).toEqual(ref.kernels(x, null, { shape: [3, 3, 1] }));
  });
  it('residual blocks, strides, pooling, per-layer weights, formulas as activations', () => {
    const net = parseNetworkSpec(
      'conv(4,2x2,CIRCULAR,stride=1,wStd=2) [erf conv(4,3x3,SAME)] avgPool(2x2,stride=1,SAME) heaviside(u)*u globalAvgPool dense(1)',
      (a) => dualProvider(a === 'heaviside(u)*u' ? 'relu' : a, 'closed'),
    );
    const ref = serial(
      conv(4, [2, 2], { padding: 'CIRCULAR', strides: 1, wStd: 2 }),
      serial(fanOut(2), parallel(identity(), serial(activation('erf'), conv(4, [3, 3], { padding: 'SAME' }))), fanInSum()),
      avgPool([2, 2], { strides: 1, padding: 'SAME' }),
      activation('relu'),
      globalAvgPool(),
      dense({ width: 1 }),
    );
    expect(net.kernels(x, null, { shape: [3, 3, 1] })).toEqual(ref.kernels(x, null, { shape: [3, 3, 1] }));
  });
  it('usage errors are KernelSpecErrors', () => {
    for (const bad of ['conv(4,3x3,FULL) relu', 'conv(x,3) relu', '[relu', 'dense(0)', 'avgPool', '']) {
      expect(() => parseNetworkSpec(bad, closed), bad).toThrow(expect.objectContaining({ name: 'KernelSpecError' }));
    }
    expect(() => parseNetworkSpec('tanh', closed)).toThrow(expect.objectContaining({ name: 'KernelSpecError' }));
    expect(parseShape('8,8,1')).toEqual([8, 8, 1]);
    expect(() => parseShape('8,,1')).toThrow(expect.objectContaining({ name: 'KernelSpecError' }));
  });
});

describe('hgm ntk --network --shape', () => {
  const BIN = join(dirname(fileURLToPath(import.meta.url)), '../bin/hgm.js');
  const dir = mkdtempSync(join(tmpdir(), 'hgm-network-'));
  writeFileSync(join(dir, 'x.csv'), x.map((r) => r.join(',')).join('\n'));
  const run = (...args: string[]) => spawnSync(process.execPath, [BIN, 'ntk', ...args], { encoding: 'utf8', timeout: 60_000, cwd: dir });
  it('prints the kernel of the described network (= the library)', () => {
    const spec = 'conv(4,2x2,SAME) [relu conv(4,2x2,SAME)] relu globalAvgPool dense';
    const r = run('--network', spec, '--shape', '3,3,1', '--x', 'x.csv', '--method', 'closed', '--json');
    expect(r.status, r.stderr).toBe(0);
    const ref = parseNetworkSpec(spec, closed).kernelFn(x, null, 'ntk', { shape: [3, 3, 1] });
    expect(JSON.parse(r.stdout).kernel.flat()).toEqual(Array.from(ref.data));
  });
  it('a bad description or shape is a usage error (exit 2)', () => {
    expect(run('--network', 'conv(4,3x3,FULL) relu', '--shape', '3,3,1', '--x', 'x.csv').status).toBe(2);
    expect(run('--network', 'conv(4,3x3) relu flatten dense', '--shape', '3,3,2', '--x', 'x.csv').status).toBe(2);
  });
});

describe('hgm regress --network --shape', () => {
  const BIN = join(dirname(fileURLToPath(import.meta.url)), '../bin/hgm.js');
  const dir = mkdtempSync(join(tmpdir(), 'hgm-regress-network-'));
  const test = [
    [0.2, 0.1, 0, 1, 0.5, 0, 0, 0.3, 1],
    [1, 1, 0, 0, 0.4, 0, 0.9, 0, 0.1],
  ];
  const y = [0.5, -1];
  writeFileSync(join(dir, 'train.csv'), x.map((r, i) => [...r, y[i]].join(',')).join('\n'));
  writeFileSync(join(dir, 'test.csv'), test.map((r) => [...r, 0].join(',')).join('\n'));
  const run = (...args: string[]) => spawnSync(process.execPath, [BIN, 'regress', ...args], { encoding: 'utf8', timeout: 60_000, cwd: dir });
  const spec = 'conv(4,2x2,SAME) [relu conv(4,2x2,SAME)] relu globalAvgPool dense';
  it('predicts with the NTK of the described network (= the library), t = ∞ and NNGP', () => {
    const r = run('--network', spec, '--shape', '3,3,1', '--method', 'closed', '--train', 'train.csv', '--test', 'test.csv', '--json');
    expect(r.status, r.stderr).toBe(0);
    const net = parseNetworkSpec(spec, closed);
    const o = { shape: [3, 3, 1] };
    const want = gradientDescentMse(net.kernelFn(x, null, 'ntk', o), y)({ kTestTrain: net.kernelFn(test, x, 'ntk', o) }).test!;
    const got = JSON.parse(r.stdout).predictions as number[];
    got.forEach((p, i) => expect(Math.abs(p - want.data[i]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want.data[i]!))));
    const g = run('--network', spec, '--shape', '3,3,1', '--method', 'closed', '--kernel', 'nngp', '--train', 'train.csv', '--test', 'test.csv', '--json');
    expect(g.status, g.stderr).toBe(0);
    expect(JSON.parse(g.stdout).variance).toHaveLength(2);
    const text = run('--network', spec, '--shape', '3,3,1', '--method', 'closed', '--train', 'train.csv', '--test', 'test.csv');
    expect(text.stdout).toContain(`NTK regression, network ${spec}, method closed`);
  });
  it('usage errors (exit 2): a bad shape, a bad layer, --activation or --shape without --network', () => {
    const files = ['--train', 'train.csv', '--test', 'test.csv'];
    const bad = [
      ['--network', spec, '--shape', '3,3,2', '--method', 'closed', ...files],
      ['--network', 'conv(4,3x3,FULL) relu', '--shape', '3,3,1', ...files],
      ['--network', spec, '--shape', '3,3,1', '--activation', 'relu', ...files],
      ['--activation', 'relu', '--shape', '3,3,1', ...files],
    ];
    for (const args of bad) {
      const r = run(...args);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/^hgm: /);
    }
  });
});
