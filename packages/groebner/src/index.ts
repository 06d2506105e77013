/**
 * @holonomic-ntk/groebner: Gröbner bases of left ideals of the Weyl algebra D (for term orders and for weight
 * vectors that are not term orders), of submodules of D^m, and of left ideals of R = Q(x)⟨∂⟩ with their standard
 * monomials, holonomic rank, normal forms and Pfaffian systems.
 *
 * What only the sibling packages of this monorepo need (the Buchberger engine, reduction workspaces, packed order
 * keys, factored arithmetic) is in `@holonomic-ntk/groebner/internal` (no semver promise).
 */

// Options of the long computations: strategy, limits, cancellation, progress.
export type { GbOptions, GbLimits, GbProgress } from './options.ts';

// Left ideals of D: reduced Gröbner bases, normal forms, membership and equality.
export { groebnerBasis, normalForm, isMember, idealEquals } from './leftIdeal.ts';

// Gröbner bases for weight vectors (u, v) that need not be term orders, with the initial forms.
export { weightGroebnerBasis, type WeightGroebnerResult } from './weightGroebner.ts';

// Submodules of D^m (POT/TOP orders).
export { ModuleGroebner, type ModuleOrderSpec, type OperatorVector } from './moduleGroebner.ts';
export type { Layout } from './leftReduction.ts';

// Left ideals of R = Q(x)⟨∂⟩: Gröbner basis over R, standard monomials, holonomic rank, normal forms.
export { RationalWeylIdeal, type RationalGroebnerOptions, type RationalNormalForm } from './rationalWeyl.ts';
export { holonomicRank, type HolonomicRankResult } from './holonomicRank.ts';

// Pfaffian systems dF = P F and their integrability.
export { pfaffianSystem, integrabilityDefects, isIntegrable, type PfaffianSystem } from './pfaffian.ts';
export type { RMatrix } from './rationalMatrix.ts';

// Hypergeometric-style input: operators written with Euler operators θ = x∂.
export { parseEulerOperators } from './eulerOperators.ts';
