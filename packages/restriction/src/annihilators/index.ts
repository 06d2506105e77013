/**
 * Activation annihilators (issue 4, item 3): formulas → operators in D = Q⟨u, ∂u⟩ that annihilate σ and σ̇ as
 * distributions, by D-finite closure rules and the Heaviside kink factor, checked numerically.
 */
export * from './algebra.ts';
export * from './formula.ts';
export * from './ratOperator.ts';
export * from './lclm.ts';
export * from './symmetricProduct.ts';
export * from './derivativeClosure.ts';
export * from './closureRules.ts';
export * from './taylor.ts';
export * from './realRoots.ts';
export * from './heavisideKinks.ts';
export * from './adjoint.ts';
export * from './quadrature.ts';
export * from './distributionCheck.ts';
export * from './operatorDerivative.ts';
export * from './builtinActivations.ts';
export * from './activationAnnihilator.ts';
