/**
 * @holonomic-ntk/restriction: b-functions, restriction and integration ideals of holonomic D-ideals, activation
 * annihilators (formula or built-in name → an operator P(u, ∂u) annihilating σ as a distribution), and the
 * dual-activation compiler (annihilator → Pfaffian artifact "hgm-pfaffian/1" that @holonomic-ntk/hgm-runtime
 * evaluates). What only the sibling packages need is in `@holonomic-ntk/restriction/internal` (no semver promise).
 */

// b-functions, restriction and integration
export { bFunction, restrictionWeight, type BFunctionOptions, type BFunctionResult } from './bFunction.ts';
export { bFunctionOfModule, type ModuleBFunctionResult } from './bFunctionModule.ts';
export type { RationalRoot } from './rationalRoots.ts';
export { restrictionIdeal, type RestrictionIdeal } from './restrictionIdeal.ts';
export { restrictionModule, type RestrictionModule, type RestrictionOptions } from './restrictionModule.ts';
export { prunedPresentation, restrictionModulePresentation, type ModulePresentation } from './modulePresentation.ts';
export { fourierTransform, integrationBFunction, integrationIdeal } from './integration.ts';

// Bernstein–Sato polynomials and the annihilator of f^s
export { annFs, applyToFs, graphIdeal, type AnnFsResult } from './annFs.ts';
export { bernsteinSato, bernsteinSatoOfIdeal, type BernsteinSatoOptions, type BernsteinSatoResult } from './bernsteinSato.ts';
export { localBernsteinSato } from './localBernsteinSato.ts';

// Characteristic ideal, holonomicity test, singular locus
export { characteristicIdeal, krullDimension, type CharacteristicIdeal } from './characteristicIdeal.ts';
export { singularLocus, type SingularLocus } from './singularLocus.ts';

// Activation annihilators
export { ACTIVATION_ALGEBRA } from './annihilators/algebra.ts';
export { parseFormula, formulaToText, type Formula, type AtomFunction } from './annihilators/formula.ts';
export { evaluateFormula } from './annihilators/taylor.ts';
export type { ClosureOptions } from './annihilators/closureRules.ts';
export type { DistributionCheck, TestFunctionResult } from './annihilators/distributionCheck.ts';
export type { KinkReport } from './annihilators/heavisideKinks.ts';
export {
  activationAnnihilator,
  type ActivationSpec,
  type ActivationAnnihilatorOptions,
  type ActivationAnnihilator,
  type DsigmaAnnihilator,
  type DerivedOperator,
  type KinkDerivation,
  type SigmaFunction,
} from './annihilators/activationAnnihilator.ts';
export { builtinAnnihilator, type BuiltinAnnihilator } from './annihilators/builtinActivations.ts';

// The dual-activation compiler
export { compileActivation, compileFormula, type CompileSpec, type CompileOptions, type FormulaCompileSpec } from './compiler/compile.ts';
export { COMPILER_VERSION, artifactToJson } from './compiler/artifact.ts';
export { BUILTIN_ARTIFACTS, CATALOGUE_ARTIFACTS, type BuiltinArtifactSpec, type CatalogueArtifactSpec } from './compiler/builtinArtifacts.ts';
export { dualSystem, type DualSystem, type DualSystemOptions, type BasisElement, type BasisTerm, type DualVariable } from './compiler/dualSystem.ts';
export { activationPieces, dualSystemsOfPieces, formulaNormalForm, type ActivationPiece, type PieceSystem } from './compiler/pieces.ts';
