/** NNGP/NTK kernels of fully connected networks. */
export * from './stax.ts';
export * from './aroraConvention.ts';
