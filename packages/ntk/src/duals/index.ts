/** Dual activations: closed forms, Gauss–Hermite, Monte Carlo and adaptive-quadrature references. */
export * from './dualProvider.ts';
export * from './dualMethod.ts';
export * from './adaptiveQuadrature.ts';
export * from './arcCosine.ts';
export * from './erfDual.ts';
export * from './geluDual.ts';
export * from './trigDuals.ts';
export * from './closedForms.ts';
export * from './gaussHermiteDual.ts';
export * from './monteCarloDual.ts';
export * from './quadratureDual.ts';
export * from './activationResolver.ts';
export * from './hgmDual.ts';
