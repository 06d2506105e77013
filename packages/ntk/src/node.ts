/**
 * `@holonomic-ntk/ntk/node`: what needs Node (worker threads): kernel matrices computed in row tiles, on worker
 * threads when the matrix is large. The main entry, `@holonomic-ntk/ntk`, imports no `node:` module and bundles
 * for the browser.
 */
export {
  kernelMatrix,
  liveKernelWorkers,
  type KernelMatrix,
  type KernelMatrixOptions,
  type KernelProgress,
} from './kernels/parallelKernel.ts';
