/**
 * `@holonomic-ntk/ntk/internal`: what the sibling packages of this monorepo (the `hgm` command's experiments) need
 * beyond the public API. No semver promise: these may change in any release.
 *
 * - Row tiles of kernel matrices (plan, compute one tile, place it), for kernels of providers that a KernelSpec
 *   cannot describe, computed in this thread with progress.
 * - Dense linear algebra on {@link Matrix} (product, Cholesky, symmetric eigen-decomposition): copies around the
 *   blocked in-place factorisations of src/regression/ (cholesky.ts, symmetricEigen.ts).
 */
export { computeTile, placeTile, planTiles, type Tile, type TileResult } from './kernels/kernelTiles.ts';
export { cholesky, choleskySolve, multiply, symmetricEigen } from './regression/linearAlgebra.ts';
