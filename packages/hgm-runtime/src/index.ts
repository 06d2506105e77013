/**
 * @holonomic-ntk/hgm-runtime: numeric holonomic gradient method from a Pfaffian artifact ("hgm-pfaffian/1").
 * Imports nothing from the algebra packages (weyl-algebra, groebner, restriction) by design.
 *
 * The public API: dual activations (`dualActivation`, `dualActivationCurve`, `dualActivationBatch`), the HGM in
 * x-space (`evaluateSystem`), the Hermite series from the annihilator (`hermiteDual`, `hermiteCoefficients`,
 * `hermiteRecurrence`; `hermiteDualOfSum`, `hermiteCoefficientsOfSum`, `hermiteSummands` for σ split into pieces: the cross-check of the
 * HGM), Gaussian moments, the DOP853 integrator, the expression compiler and the shipped artifacts. What only the sibling packages need is in `@holonomic-ntk/hgm-runtime/internal` (no semver promise).
 */
export { artifactFunctions, pieceFunctions } from './artifactFunctions.ts';
export {
  dualActivation,
  dualActivationBatch,
  dualActivationCurve,
  dualActivationWithError,
  type DualActivationOptions,
  type DualEstimate,
  type DualRoute,
} from './dualActivation.ts';
export type { PathOptions } from './dualPath.ts';
export type { ScatteredStats } from './scatteredBatch.ts';
export { evaluateSystem, type HgmOptions, type IntegrandFunctions } from './hgm.ts';
export { moment, momentVector, type MomentOptions } from './moments.ts';
export { hermiteRecurrence, type HermiteRecurrence, type HermiteRecurrenceTerm } from './hermiteRecurrence.ts';
export {
  hermiteCoefficients,
  hermiteCoefficientsOfSum,
  hermiteDual,
  hermiteDualOfSum,
  hermiteSummands,
  type HermiteCoefficientOptions,
  type HermiteCoefficients,
  type HermiteDualOptions,
  type HermiteDualResult,
  type HermiteSummand,
} from './hermiteExpansion.ts';
export { DenseSolution, Dop853, dop853, type OdeOptions, type OdeResult, type OdeRhs, type OdeStats } from './ode.ts';
export { compileExpressions, compilePfaffian, type CompiledExpressions, type CompileStats, type PfaffianEvaluator } from './compiledExpressions.ts';
export { BUILTIN_ARTIFACT_NAMES, builtinArtifact } from './builtinArtifacts.ts';
