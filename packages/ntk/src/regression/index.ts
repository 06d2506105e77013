/** Kernel regression: gradient-flow (NTK) and Gaussian-process (NNGP) predictions. */
export * from './linearAlgebra.ts';
export * from './kernelRegression.ts';
