/**
 * @holonomic-ntk/hgm-runtime: numeric holonomic gradient method from a Pfaffian artifact ("hgm-pfaffian/1").
 * Imports nothing from the algebra packages (weyl-algebra, groebner, restriction) by design.
 */
export * from './compiledExpressions.ts';
export * from './ode.ts';
export * from './odex.ts';
export * from './moments.ts';
export * from './hgm.ts';
export * from './doubleDouble.ts';
export * from './tanhSinh.ts';
export * from './boundaryQuadrature.ts';
export * from './dualPath.ts';
export * from './polynomial.ts';
export * from './covarianceChart.ts';
export * from './pathCurve.ts';
export * from './boundaryInterpolant.ts';
export * from './dualActivation.ts';
export * from './scatteredBatch.ts';
export * from './taylorPath.ts';
export * from './builtinArtifacts.ts';
