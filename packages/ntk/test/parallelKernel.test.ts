import { describe, expect, it } from 'vitest';
import { hgmDual } from '../src/duals/hgmDual.ts';
import { planTiles } from '../src/kernels/kernelTiles.ts';
import { kernelMatrix, liveKernelWorkers } from '../src/kernels/parallelKernel.ts';
import { fullyConnected } from '../src/kernels/stax.ts';
import { at, randomInputs, relErr } from './helpers.ts';

const bitwiseEqual = (x: Float64Array, y: Float64Array) => x.length === y.length && x.every((v, i) => Object.is(v, y[i]));
const onSphere = (x: number[][]) => x.map((v) => v.map((t) => t / Math.hypot(...v)));

describe('row tiles', () => {
  it('cover every row once; for K(X, X) the work (entries on and above the diagonal) is balanced within 2 rows', () => {
    for (const [n1, n2, same] of [
      [1000, 1000, true],
      [37, 37, true],
      [50, 8, false],
      [1, 1, true],
    ] as const) {
      const tiles = planTiles(n1, n2, same, 500);
      expect(tiles[0]!.r0).toBe(0);
      expect(tiles.at(-1)!.r1).toBe(n1);
      tiles.forEach((t, k) => k > 0 && expect(t.r0).toBe(tiles[k - 1]!.r1));
      if (same && n1 === 1000) {
        const work = tiles.map((t) => {
          let w = 0;
          for (let i = t.r0; i < t.r1; i++) w += n1 - i;
          return w;
        });
        expect(Math.max(...work) - Math.min(...work)).toBeLessThanOrEqual(2 * n1);
      }
    }
  });
});

describe('kernelMatrix: tiled, on worker threads', () => {
  it('relu (closed form): workers, in-thread tiles and the untiled stax kernel are bitwise identical, K(X, X) and K(X, X2)', { timeout: 60_000 }, async () => {
    const x = randomInputs(40, 4, 1);
    const x2 = randomInputs(13, 4, 2);
    const spec = { depth: 2, activation: 'relu', method: 'closed' as const, wStd: 1.4, bStd: 0.3 };
    const net = fullyConnected({ depth: 2, activation: 'relu', wStd: 1.4, bStd: 0.3 });
    for (const y of [null, x2]) {
      const ref = net.kernelState(x, y, true);
      const seq = await kernelMatrix(spec, x, y, { workers: 0, tileEntries: 60 });
      const par = await kernelMatrix(spec, x, y, { workers: 2, tileEntries: 60 });
      expect(bitwiseEqual(seq.nngp.data, ref.nngp) && bitwiseEqual(seq.ntk!.data, ref.ntk!)).toBe(true);
      expect(bitwiseEqual(par.nngp.data, ref.nngp) && bitwiseEqual(par.ntk!.data, ref.ntk!)).toBe(true);
    }
    expect(liveKernelWorkers()).toBe(0);
  });

  it('resin through the HGM all at once: workers = the same tiles in this thread, bitwise; = the untiled kernel to 1e-12 relative', {
    timeout: 60_000,
  }, async () => {
    const x = onSphere(randomInputs(24, 5, 3));
    const spec = { depth: 3, activation: 'resin', method: 'hgm' as const };
    let progressCalls = 0;
    const seq = await kernelMatrix(spec, x, null, { workers: 0, tileEntries: 80 });
    const par = await kernelMatrix(spec, x, null, { workers: 2, tileEntries: 80, onProgress: () => progressCalls++ });
    expect(bitwiseEqual(seq.ntk!.data, par.ntk!.data) && bitwiseEqual(seq.nngp.data, par.nngp.data)).toBe(true);
    expect(progressCalls).toBe(planTiles(24, 24, true, 80).length);
    // Tiles change which entries share an HGM path, hence the last bits; the untiled kernel is one batch.
    const whole = fullyConnected({ depth: 3, activation: hgmDual('resin') }).kernels(x, null);
    expect([par.ntk!.rows, par.ntk!.cols]).toEqual([24, 24]);
    for (let i = 0; i < 24; i++) for (let j = 0; j < 24; j++) expect(relErr(at(par.ntk!, i, j), at(whole.ntk, i, j))).toBeLessThan(1e-12);
    // Exactly symmetric.
    for (let i = 0; i < 24; i++) for (let j = 0; j < i; j++) expect(Object.is(at(par.ntk!, i, j), at(par.ntk!, j, i))).toBe(true);
  });

  it('an aborted signal rejects with an AbortError and terminates the workers', { timeout: 60_000 }, async () => {
    const x = onSphere(randomInputs(200, 5, 4));
    const spec = { depth: 2, activation: 'erf', method: 'gh:60' as const };
    const ctl = new AbortController();
    const run = kernelMatrix(spec, x, null, { workers: 2, tileEntries: 200, signal: ctl.signal, onProgress: () => ctl.abort() });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(liveKernelWorkers()).toBe(0);
    // Already aborted: rejects at once, in this thread too.
    await expect(kernelMatrix(spec, x, null, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    const ctl2 = new AbortController();
    const inThread = kernelMatrix(spec, x, null, { workers: 0, tileEntries: 200, signal: ctl2.signal, onProgress: () => ctl2.abort() });
    await expect(inThread).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('errors of the spec are thrown before any worker starts', async () => {
    await expect(kernelMatrix({ depth: 1, activation: 'resin', method: 'closed' }, [[1, 0]], null, { workers: 2 })).rejects.toThrow(/no closed form/);
    expect(liveKernelWorkers()).toBe(0);
  });
});
