export * from './rationalRoots.ts';
export * from './bFunction.ts';
export * from './restrictionModule.ts';
export * from './restrictionIdeal.ts';
export * from './integration.ts';
export * from './annihilators/index.ts';
export * from './compiler/index.ts';
