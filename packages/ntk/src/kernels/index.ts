/** NNGP/NTK kernels of fully connected networks. */
export * from './stax.ts';
export * from './aroraConvention.ts';
export * from './kernelSpec.ts';
export * from './kernelTiles.ts';
