export * from './errors.ts';
export * from './bigintMath.ts';
export * from './rational.ts';
export * from './domain.ts';
export * from './monomialOrder.ts';
export * from './termAccumulator.ts';
export * from './polynomial.ts';
export * from './content.ts';
