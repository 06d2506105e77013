/**
 * Kernel matrices by row tiles. A tile is a block of rows [r0, r1): against every column of x2, or for
 * K(X, X) against the columns r0.. only (the part on and above the diagonal; KernelState.same with x1 a prefix
 * of x2), the lower triangle being the mirror image. Every entry depends only on its two inputs, except that a
 * batched provider (the HGM) integrates one path per group of entries sharing (a, b) — so the tiles are a
 * function of the matrix size alone, never of the number of workers, and a result is bitwise the same whether
 * the tiles run in workers or one after another in this thread.
 */
import { inputKernel, type Inputs, type Network } from './stax.ts';

export interface Tile {
  r0: number;
  r1: number;
}

export interface TileResult {
  r0: number;
  r1: number;
  /** First column of the block (r0 for K(X, X), else 0); the block is (r1 − r0) × (n2 − c0), row-major. */
  c0: number;
  nngp: Float64Array;
  ntk: Float64Array | null;
}

/** Entries per tile the planner aims at: big enough that a batched provider shares its paths, small enough to balance. */
export const TILE_ENTRIES = 40_000;

/**
 * Row tiles of equal work: for K(X, X) row i costs n − i entries, otherwise every row costs n2.
 *
 * For example `planTiles(1000, 1000, true).length` gives 13 tiles of ~40 000 entries each, short ones first.
 */
export function planTiles(n1: number, n2: number, same: boolean, entriesPerTile = TILE_ENTRIES): Tile[] {
  const total = same ? (n1 * (n1 + 1)) / 2 : n1 * n2;
  const count = Math.max(1, Math.min(n1, Math.round(total / entriesPerTile)));
  const target = total / count;
  const tiles: Tile[] = [];
  let r0 = 0;
  let acc = 0;
  for (let i = 0; i < n1; i++) {
    acc += same ? n2 - i : n2;
    if (acc >= target * (tiles.length + 1) - 1e-9 && tiles.length < count - 1) {
      tiles.push({ r0, r1: i + 1 });
      r0 = i + 1;
    }
  }
  if (r0 < n1) tiles.push({ r0, r1: n1 });
  return tiles;
}

/**
 * One tile of K(x1, x2) (x2 = null: K(x1, x1)) through a network's layers.
 *
 * For example `computeTile(net, x, null, { r0: 0, r1: 10 }, true).ntk` gives rows 0..9 against columns 0..n−1.
 */
export function computeTile(net: Network, x1: Inputs, x2: Inputs | null, tile: Tile, withNtk: boolean): TileResult {
  const same = x2 === null;
  const c0 = same ? tile.r0 : 0;
  const rows = x1.slice(tile.r0, tile.r1);
  let k = same ? inputKernel(rows, x1.slice(c0), withNtk, true) : inputKernel(rows, x2, withNtk);
  for (const layer of net.layers) k = layer.kernel(k);
  return { r0: tile.r0, r1: tile.r1, c0, nngp: k.nngp, ntk: k.ntk };
}

/** Copies a tile into the full n1 × n2 matrices (and its mirror image for K(X, X)). */
export function placeTile(t: TileResult, n2: number, same: boolean, nngp: Float64Array, ntk: Float64Array | null): void {
  const w = n2 - t.c0;
  for (let i = t.r0; i < t.r1; i++) {
    const row = (i - t.r0) * w;
    for (let j = same ? i : 0; j < n2; j++) {
      const v = t.nngp[row + j - t.c0];
      nngp[i * n2 + j] = v!;
      if (same) nngp[j * n2 + i] = v!;
      if (ntk && t.ntk) {
        const u = t.ntk[row + j - t.c0];
        ntk[i * n2 + j] = u!;
        if (same) ntk[j * n2 + i] = u!;
      }
    }
  }
}
