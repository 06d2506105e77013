/**
 * The kernel worker thread: builds the network once from its plain-data spec, then computes the row tiles it is
 * sent with the same code as the main thread (kernelTiles.ts), so the results are bitwise the same.
 * Protocol: {type: 'init', spec, x1, x2, withNtk}, then {type: 'tile', id, tile} → {type: 'tile', id, result}
 * or {type: 'error', id, error: {name, message}}.
 */
import { parentPort } from 'node:worker_threads';
import type { Inputs, Network } from './stax.ts';
import { computeTile, type Tile } from './kernelTiles.ts';
import { networkFromSpec, specResolver, type KernelSpec } from './kernelSpec.ts';

export type WorkerRequest = { type: 'init'; spec: KernelSpec; x1: Inputs; x2: Inputs | null; withNtk: boolean } | { type: 'tile'; id: number; tile: Tile };

type Context = { net: Network; x1: Inputs; x2: Inputs | null; withNtk: boolean };
// Messages are handled in order, so every tile waits for the init (which may import the spec's resolver module).
let ctx: Promise<Context> = Promise.reject(new Error('kernel worker: tile before init'));
ctx.catch(() => {});

const port = parentPort!;
port.on('message', async (m: WorkerRequest) => {
  if (m.type === 'init') {
    ctx = specResolver(m.spec).then((resolver) => ({ net: networkFromSpec(m.spec, resolver), x1: m.x1, x2: m.x2, withNtk: m.withNtk }));
    ctx.catch(() => {});
    return;
  }
  try {
    const c = await ctx;
    const r = computeTile(c.net, c.x1, c.x2, m.tile, c.withNtk);
    port.postMessage({ type: 'tile', id: m.id, result: r }, (r.ntk ? [r.nngp.buffer, r.ntk.buffer] : [r.nngp.buffer]) as ArrayBuffer[]);
  } catch (e) {
    const error = e instanceof Error ? { name: e.name, message: e.message } : { name: 'Error', message: String(e) };
    port.postMessage({ type: 'error', id: m.id, error });
  }
});
