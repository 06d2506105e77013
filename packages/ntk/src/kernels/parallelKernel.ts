/**
 * Kernel matrices in row tiles (kernelTiles.ts), on worker threads when the matrix is large enough to pay for
 * starting them (each worker loads the runtime and the artifact, and from the sources tsx: ~0.3–1 s), in this thread otherwise.
 * Cancellable with an AbortSignal (workers are terminated, the promise rejects with an AbortError) and
 * reporting progress per tile. Node only: exported from `@holonomic-ntk/ntk/node`, not from the main entry.
 */
import { DomainError, IntegrationError, HolonomicError, LimitExceededError, NotHolonomicError } from '@holonomic-ntk/core';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { computeTile, placeTile, planTiles, TILE_ENTRIES, type Tile, type TileResult } from './kernelTiles.ts';
import { KernelSpecError, networkFromSpec, specResolver, type KernelSpec } from './kernelSpec.ts';
import type { Matrix } from '../regression/linearAlgebra.ts';
import type { Inputs } from './stax.ts';
import type { WorkerRequest } from './kernelWorker.ts';

/** Below this many entries the matrix is computed in this thread by default. */
export const PARALLEL_MIN_ENTRIES = 50_000;

/**
 * How far a {@link kernelMatrix} computation has got, reported after each row tile.
 *
 * @example
 * ```ts
 * import { kernelMatrix, type KernelProgress } from '@holonomic-ntk/ntk/node';
 * const seen: KernelProgress[] = [];
 * await kernelMatrix({ depth: 1, activation: 'relu', method: 'closed' }, [[1, 0], [0, 1], [0.6, 0.8]], null, { onProgress: (p) => seen.push(p) });
 * seen.at(-1); // → { tilesDone: 1, tiles: 1, entriesDone: 6, entries: 6 }
 * ```
 */
export interface KernelProgress {
  tilesDone: number;
  tiles: number;
  /** Entries computed so far (for K(X, X): on and above the diagonal). */
  entriesDone: number;
  entries: number;
}

/**
 * Options of {@link kernelMatrix}.
 *
 * @example
 * ```ts
 * import { kernelMatrix, type KernelMatrixOptions } from '@holonomic-ntk/ntk/node';
 * const options: KernelMatrixOptions = { ntk: false, workers: 0, signal: AbortSignal.timeout(60_000) };
 * const k = await kernelMatrix({ depth: 1, activation: 'relu', method: 'closed' }, [[1, 0]], null, options);
 * k.ntk; // → null
 * await kernelMatrix({ depth: 1, activation: 'relu' }, [[1, 0]], null, { signal: AbortSignal.abort() }); // throws AbortError
 * ```
 */
export interface KernelMatrixOptions {
  /** Also compute the NTK (default true); the NNGP is always computed. */
  ntk?: boolean;
  /**
   * Worker threads. Default: none below 50 000 entries, else min(cores, tiles). 0: every tile in
   * this thread (the same tiles, so the same bits).
   */
  workers?: number;
  /** Entries per tile (default 40 000). Changing it can change a batched provider's last bits. */
  tileEntries?: number;
  signal?: AbortSignal;
  onProgress?: (p: KernelProgress) => void;
}

/**
 * The NNGP and NTK matrices of {@link kernelMatrix}, both {@link Matrix} values (row-major n1 × n2).
 *
 * @example
 * ```ts
 * import { toRows } from '@holonomic-ntk/ntk';
 * import { kernelMatrix, type KernelMatrix } from '@holonomic-ntk/ntk/node';
 * const k: KernelMatrix = await kernelMatrix({ depth: 0, activation: 'relu', method: 'closed' }, [[2, 0], [0, 4]], [[1, 1]]);
 * toRows(k.nngp); // → [[1], [2]]
 * toRows(k.ntk!); // → [[1], [2]]
 * ```
 */
export interface KernelMatrix {
  /** The NNGP, n1 × n2. */
  nngp: Matrix;
  /** The NTK, n1 × n2; null when `options.ntk` is false. */
  ntk: Matrix | null;
}

// Built (dist/*.js): the worker is the compiled kernelWorker.js. From the TypeScript sources (tests, the repo's
// tools): a .mjs shim that registers tsx first, and the `source` export condition, so that the worker resolves the
// sibling packages to their sources as this thread does. tsx is a devDependency: it is needed in the repo only.
const FROM_SOURCES = import.meta.url.endsWith('.ts');
const WORKER_ENTRY = new URL(FROM_SOURCES ? './kernelWorkerEntry.mjs' : './kernelWorker.js', import.meta.url);
const WORKER_EXEC_ARGV = FROM_SOURCES && !process.execArgv.includes('--conditions=source') ? [...process.execArgv, '--conditions=source'] : undefined;
const live = new Set<Worker>();

/**
 * Kernel workers currently running (0 once a computation has finished, failed or been cancelled).
 *
 * @example
 * ```ts
 * import { kernelMatrix, liveKernelWorkers } from '@holonomic-ntk/ntk/node';
 * await kernelMatrix({ depth: 1, activation: 'relu', method: 'closed' }, [[1, 0], [0, 1]], null, { workers: 1 });
 * liveKernelWorkers(); // → 0
 * ```
 */
export function liveKernelWorkers(): number {
  return live.size;
}

function abortError(): Error {
  return new DOMException('the kernel computation was cancelled', 'AbortError');
}

/** Errors cross the thread boundary as name and message; the ones a user can act on get their class back. */
function reviveError(e: { name: string; message: string }): Error {
  if (e.name === 'DomainError') return new DomainError(e.message);
  if (e.name === 'IntegrationError') return new IntegrationError(e.message);
  if (e.name === 'KernelSpecError') return new KernelSpecError(e.message);
  if (e.name === 'NotHolonomicError') return new NotHolonomicError(e.message);
  if (e.name === 'LimitExceededError') return new LimitExceededError(e.message, 'worker', Number.NaN);
  if (e.name === 'RangeError') return new RangeError(e.message);
  // Any other error of the hierarchy (ParseError, ArtifactError, …) keeps its name and message; the column or path
  // is already in the message.
  const err = ['ParseError', 'ArtifactError', 'AnnihilatorError'].includes(e.name) ? new HolonomicError(e.message) : new Error(e.message);
  Object.defineProperty(err, 'name', { value: e.name });
  return err;
}

/**
 * NNGP and NTK matrices K(x1, x2) (x2 = null: K(x1, x1), exactly symmetric with ρ = 1 on the diagonal) of the
 * network described by `spec`, in row tiles: on worker threads when the matrix is large (by default from 50 000
 * entries on, one per core), in this thread otherwise — the same tiles, so the same bits either way.
 *
 * @example
 * ```ts
 * import { fullyConnected } from '@holonomic-ntk/ntk';
 * import { kernelMatrix } from '@holonomic-ntk/ntk/node';
 * const x = Array.from({ length: 30 }, (_, i) => [Math.cos(i), Math.sin(i)]);
 * const { nngp, ntk } = await kernelMatrix({ depth: 2, activation: 'erf', method: 'closed' }, x);
 * [ntk!.rows, ntk!.cols]; // → [30, 30]
 * ntk!.data; // → fullyConnected({ depth: 2, activation: 'erf' }).kernelFn(x, null, 'ntk').data
 * nngp.data[31]; // ≈ 0.2619797608689093
 * ```
 */
export async function kernelMatrix(spec: KernelSpec, x1: Inputs, x2: Inputs | null = null, options: KernelMatrixOptions = {}): Promise<KernelMatrix> {
  const { signal, onProgress } = options;
  if (signal?.aborted) throw abortError();
  const withNtk = options.ntk !== false;
  const same = x2 === null;
  const n1 = x1.length;
  const n2 = same ? n1 : x2.length;
  const tiles = planTiles(n1, n2, same, options.tileEntries ?? TILE_ENTRIES);
  // Built here too: it validates the spec before any worker starts, and serves the in-thread path.
  const net = networkFromSpec(spec, await specResolver(spec));
  const entries = same ? (n1 * (n1 + 1)) / 2 : n1 * n2;
  const workers = Math.min(tiles.length, options.workers ?? (entries < PARALLEL_MIN_ENTRIES ? 0 : availableParallelism()));
  const nngp = new Float64Array(n1 * n2);
  const ntk = withNtk ? new Float64Array(n1 * n2) : null;
  let tilesDone = 0;
  let entriesDone = 0;
  const done = (t: TileResult) => {
    placeTile(t, n2, same, nngp, ntk);
    tilesDone++;
    for (let i = t.r0; i < t.r1; i++) entriesDone += same ? n2 - i : n2;
    onProgress?.({ tilesDone, tiles: tiles.length, entriesDone, entries });
  };
  if (workers <= 0) {
    for (const tile of tiles) {
      // Let an abort (a timer, a signal handler) run between tiles.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (signal?.aborted) throw abortError();
      done(computeTile(net, x1, x2, tile, withNtk));
    }
  } else {
    await runOnWorkers(workers, { type: 'init', spec, x1, x2, withNtk }, tiles, done, signal);
  }
  return { nngp: { rows: n1, cols: n2, data: nngp }, ntk: ntk ? { rows: n1, cols: n2, data: ntk } : null };
}

function runOnWorkers(count: number, init: WorkerRequest, tiles: Tile[], done: (t: TileResult) => void, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const pool: Worker[] = [];
    let next = 0;
    let finished = 0;
    let settled = false;
    const stop = (error: Error | null) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      // Settle only once every worker is gone, so no thread outlives the promise.
      void Promise.allSettled(pool.map((w) => w.terminate().finally(() => live.delete(w)))).then(() => (error ? reject(error) : resolve()));
    };
    const onAbort = () => stop(abortError());
    signal?.addEventListener('abort', onAbort, { once: true });
    const feed = (w: Worker) => {
      if (next >= tiles.length) return;
      const id = next++;
      w.postMessage({ type: 'tile', id, tile: tiles[id]! } satisfies WorkerRequest);
    };
    for (let k = 0; k < count; k++) {
      const w = new Worker(WORKER_ENTRY, WORKER_EXEC_ARGV ? { execArgv: WORKER_EXEC_ARGV } : {});
      live.add(w);
      pool.push(w);
      w.on('message', (m: { type: 'tile'; id: number; result: TileResult } | { type: 'error'; id: number; error: { name: string; message: string } }) => {
        if (settled) return;
        if (m.type === 'error') return stop(reviveError(m.error));
        done(m.result);
        if (++finished === tiles.length) return stop(null);
        feed(w);
      });
      w.on('error', (e) => stop(e));
      w.on('exit', (code) => {
        live.delete(w);
        if (!settled) stop(new Error(`a kernel worker exited early (code ${code})`));
      });
      w.postMessage(init);
      feed(w);
    }
  });
}
