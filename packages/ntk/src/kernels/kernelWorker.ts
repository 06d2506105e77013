/**
 * The kernel worker thread: builds the network once from its plain-data spec, then computes the row tiles it is
 * sent with the same code as the main thread (kernelTiles.ts), so the results are bitwise the same.
 * Protocol: {type: 'init', spec, x1, x2, withNtk}, then {type: 'tile', id, tile} → {type: 'tile', id, result}
 * or {type: 'error', id, error: {name, message}}.
 */
import { parentPort } from 'node:worker_threads';
import type { Inputs, Network } from './stax.ts';
import { computeTile, type Tile } from './kernelTiles.ts';
import { networkFromSpec, type KernelSpec } from './kernelSpec.ts';

export type WorkerRequest =
  | { type: 'init'; spec: KernelSpec; x1: Inputs; x2: Inputs | null; withNtk: boolean }
  | { type: 'tile'; id: number; tile: Tile };

let ctx: { net: Network; x1: Inputs; x2: Inputs | null; withNtk: boolean } | null = null;
let initError: unknown = null;

const port = parentPort!;
port.on('message', (m: WorkerRequest) => {
  if (m.type === 'init') {
    try {
      ctx = { net: networkFromSpec(m.spec), x1: m.x1, x2: m.x2, withNtk: m.withNtk };
    } catch (e) {
      initError = e;
    }
    return;
  }
  try {
    if (!ctx) throw initError ?? new Error('kernel worker: tile before init');
    const r = computeTile(ctx.net, ctx.x1, ctx.x2, m.tile, ctx.withNtk);
    port.postMessage({ type: 'tile', id: m.id, result: r }, (r.ntk ? [r.nngp.buffer, r.ntk.buffer] : [r.nngp.buffer]) as ArrayBuffer[]);
  } catch (e) {
    const error = e instanceof Error ? { name: e.name, message: e.message } : { name: 'Error', message: String(e) };
    port.postMessage({ type: 'error', id: m.id, error });
  }
});
