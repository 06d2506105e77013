export * from './duals/index.ts';
export * from './kernels/index.ts';
export * from './regression/index.ts';
