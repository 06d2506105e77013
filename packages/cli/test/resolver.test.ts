import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { hgmDual, quadratureDual } from '@holonomic-ntk/ntk';
import { activationArtifactText } from '../src/activationArtifact.ts';
import { activationResolver } from '../src/activationResolver.ts';
import { progressBar } from '../src/progress.ts';
import { relErr } from './helpers.ts';

const COVS: [number, number, number][] = [
  [1, 0.5, 1],
  [2, -0.7, 0.8],
  [0.5, 0.3, 3],
];

describe("the hgm command's activation resolver", () => {
  it('an activation without a committed artifact is derived on demand, cached, and matches quadrature (1e-9)', { timeout: 120_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'hgm-dual-cache-'));
    const saved = process.env.HGM_CACHE_DIR;
    process.env.HGM_CACHE_DIR = dir;
    try {
      // Y(u)·cos(u/2) is in no catalogue (Y(u)·cos u is: recos, served without a derivation, tested below).
      const ycos = hgmDual('heaviside(u)*cos(1/2*u)', { resolver: activationResolver });
      expect(readdirSync(dir).filter((f) => f.endsWith('.artifact.json'))).toHaveLength(1);
      const ref = quadratureDual({ name: 'ycos', sigma: { sigma: (u) => (u > 0 ? Math.cos(u / 2) : 0), kinks: [0], support: [0, Infinity] } });
      for (const [a, c, b] of COVS.slice(0, 3)) expect(relErr(ycos.sigma(a, c, b), ref.sigma(a, c, b))).toBeLessThan(1e-9);
      // Second use: from the cache (no new file, no derivation message needed).
      let derived = false;
      activationArtifactText({ expr: 'heaviside(u)*cos(1/2*u)' }, { onDerive: () => (derived = true) });
      expect(derived).toBe(false);
      // A catalogue formula, in any spelling, is the committed artifact.
      const recos = activationArtifactText({ expr: 'cos(u) * heaviside(u)' }, { onDerive: () => (derived = true) });
      expect([derived, recos.source]).toEqual([false, 'built-in artifact recos.artifact.json']);
      expect(existsSync(dir)).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.HGM_CACHE_DIR;
      else process.env.HGM_CACHE_DIR = saved;
    }
  });
});

describe('progress bar', () => {
  const sink = (isTTY: boolean) => {
    const chunks: string[] = [];
    const stream = new Writable({ write: (c, _e, cb) => (chunks.push(String(c)), cb()) }) as unknown as NodeJS.WriteStream;
    (stream as { isTTY: boolean }).isTTY = isTTY;
    return { stream, chunks };
  };
  it('draws on a terminal after the delay and erases itself; writes nothing when stderr is not a terminal', () => {
    const tty = sink(true);
    const bar = progressBar('ntk', { stream: tty.stream, delayMs: 0 });
    bar.update(5, 10);
    bar.update(10, 10);
    bar.done();
    expect(tty.chunks.join('')).toMatch(/ntk \[#+\.*\] 50%/);
    expect(tty.chunks.at(-1)).toBe('\r\x1b[K');
    const pipe = sink(false);
    const quiet = progressBar('ntk', { stream: pipe.stream, delayMs: 0 });
    quiet.update(5, 10);
    quiet.done();
    expect(pipe.chunks).toEqual([]);
  });
});
