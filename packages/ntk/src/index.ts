/**
 * @holonomic-ntk/ntk: NNGP and NTK kernels of infinite-width networks — fully connected, convolutional, pooled,
 * residual and normalised (neural-tangents' `stax` conventions), their finite-width counterparts, the dual activations they are built from (closed forms, Gauss–Hermite, Monte Carlo, adaptive
 * quadrature, the holonomic gradient method and the Hermite series of the annihilator), and kernel regression on them.
 *
 * Kernels and regression share one matrix type, {@link Matrix} (row-major Float64Array); `matrix(rows)` and
 * `toRows(m)` convert from and to arrays of rows. This entry imports no Node module and bundles for the browser;
 * kernel matrices on worker threads are in `@holonomic-ntk/ntk/node`. What only the sibling packages need is in
 * `@holonomic-ntk/ntk/internal` (no semver promise).
 */
export type { ActivationFunctions, DualKind, DualProvider } from './duals/dualProvider.ts';
export { DUAL_METHODS, parseDualMethod, type DualMethod } from './duals/dualMethod.ts';
export { rectPowDual, reluDual, stepDual } from './duals/arcCosine.ts';
export { erfDual } from './duals/erfDual.ts';
export { geluDual } from './duals/geluDual.ts';
export { cosDual, expDual, sinDual } from './duals/trigDuals.ts';
export { CLOSED_FORM_DUALS, abReluDual, absDual, closedFormDual, leakyReluDual, signDual } from './duals/closedForms.ts';
export { gaussHermiteDual } from './duals/gaussHermiteDual.ts';
export { monteCarloDual, type MonteCarloDual, type MonteCarloEstimate } from './duals/monteCarloDual.ts';
export { quadratureDual, type QuadratureDualOptions } from './duals/quadratureDual.ts';
export { builtinResolver, type ActivationResolver, type HgmActivation } from './duals/activationResolver.ts';
export { hgmDual, perEntry, type HgmDualOptions } from './duals/hgmDual.ts';
export { hermiteSeriesDual, type HermiteSeriesDual, type HermiteSeriesDualOptions } from './duals/hermiteSeriesDual.ts';
export {
  activation,
  avgPool,
  conv,
  dense,
  fanInConcat,
  fanInSum,
  fanOut,
  flatten,
  fullyConnected,
  globalAvgPool,
  identity,
  layerNorm,
  parallel,
  serial,
  type ActivationOptions,
  type AvgPoolOptions,
  type ConvOptions,
  type DenseOptions,
  type FullyConnectedOptions,
  type Inputs,
  type KernelFnOptions,
  type KernelKind,
  type KernelState,
  type Kernels,
  type Layer,
  type LayerNormOptions,
  type Need,
  type Network,
  type Padding,
  type Parameterization,
  type Params,
  type Shapes,
  type Values,
} from './kernels/stax.ts';
export { empiricalNtk, randomNetwork, type EmpiricalNtkOptions } from './kernels/finiteWidth.ts';
export { aroraAsStax, aroraKernels, cSigma, type AroraOptions } from './kernels/aroraConvention.ts';
export { KernelSpecError, dualProvider, networkFromSpec, type KernelSpec } from './kernels/kernelSpec.ts';
export { matrix, toRows, type Matrix } from './regression/linearAlgebra.ts';
export {
  DENSE_MAX_N,
  EIGEN_MAX_N,
  gradientDescentMse,
  nngpPosterior,
  type PredictArgs,
  type Predictions,
  type Predictor,
  type RegressionOptions,
  type RegressionSolver,
  type SolverInfo,
  type Targets,
} from './regression/kernelRegression.ts';
export type { SolverControl, SolverProgress } from './regression/solverControl.ts';
