import { FORMULA_ACTIVATIONS, builtinActivation } from '@holonomic-ntk/core';
import type { CompileSpec, FormulaCompileSpec } from './compile.ts';

/** σ of core's registry entry, the one description of a built-in activation. */
function registryFormula(name: string): string {
  const b = builtinActivation(name);
  if (!b) throw new Error(`${name} is missing from core's activation registry`);
  return b.formula;
}

/** A built-in activation's compiler input, where its artifact is committed, and what to expect. */
export interface BuiltinArtifactSpec extends CompileSpec {
  /** File name in hgm-runtime's catalogue (packages/hgm-runtime/artifacts/). */
  file: string;
  /** Expected holonomic rank per system, in the order of the artifact's systems. */
  expectedRanks: readonly number[];
}

/**
 * The built-in artifacts (MATH.md §5 annihilators, as distributions with Gaussian decay), fastest first.
 * - relu: σ = uY, u∂ − 1; σ̇ = Y, u∂.
 * - step: σ = Y, u∂. σ̇ = δ is a distribution, not a function with moments: no σ̇ system (hgm-runtime's registry has
 *   no σ̇ for the step either).
 * - rectpow:2: σ = u²Y, u∂ − 2; σ̇ = 2uY, u∂ − 1 (the annihilator does not see the factor 2; the runtime's
 *   moments of σ̇ do).
 * - erf: ∂² + 2u∂; σ̇ = (2/√π)e^{−u²}, ∂ + 2u.    phi (Φ, the normal CDF): ∂² + u∂; σ̇ = φ, ∂ + u.
 * - resin: σ = Y sin; u²(∂² + 1) kills Y sin and Y cos = σ̇ (as distributions), one rank-8 system for both.
 *   (u(∂² + 1) kills Y sin alone and gives rank 5; the shared system is preferred: one derivation, one ODE.)
 * - gelu: σ = uΦ, u²∂² + (u³ − 2u)∂ − u² + 2; σ̇ = Φ + uφ, (u² − 2)∂² + (u³ − 4u)∂ (from σ̇′ = (2 − u²)φ,
 *   σ̇″ = (u³ − 4u)φ; smooth, so no distribution terms).
 *
 * @example
 * ```ts
 * import { BUILTIN_ARTIFACTS } from '@holonomic-ntk/restriction';
 * BUILTIN_ARTIFACTS.map((s) => s.name); // → ['step', 'relu', 'rectpow:2', 'phi', 'erf', 'resin', 'gelu']
 * BUILTIN_ARTIFACTS.find((s) => s.name === 'relu')?.expectedRanks; // → [2, 2]
 * ```
 */
export const BUILTIN_ARTIFACTS: readonly BuiltinArtifactSpec[] = [
  {
    name: 'step',
    file: 'step.artifact.json',
    sigmaOperator: 'u*du',
    sigmaFormula: registryFormula('step'),
    note: 'σ̇ = δ is not a function: no dsigma system; E[Y(u)Y(v)] is the relu dsigma kernel',
    expectedRanks: [2],
  },
  {
    name: 'relu',
    file: 'relu.artifact.json',
    sigmaOperator: 'u*du-1',
    dsigmaOperator: 'u*du',
    sigmaFormula: registryFormula('relu'),
    expectedRanks: [2, 2],
  },
  {
    name: 'rectpow:2',
    file: 'rectpow2.artifact.json',
    sigmaOperator: 'u*du-2',
    dsigmaOperator: 'u*du-1',
    sigmaFormula: registryFormula('rectpow:2'),
    expectedRanks: [2, 2],
  },
  {
    name: 'phi',
    file: 'phi.artifact.json',
    sigmaOperator: 'du^2+u*du',
    dsigmaOperator: 'du+u',
    sigmaFormula: registryFormula('phi'),
    expectedRanks: [2, 1],
  },
  {
    name: 'erf',
    file: 'erf.artifact.json',
    sigmaOperator: 'du^2+2*u*du',
    dsigmaOperator: 'du+2*u',
    sigmaFormula: registryFormula('erf'),
    expectedRanks: [2, 1],
  },
  {
    name: 'resin',
    file: 'resin.artifact.json',
    sigmaOperator: 'u^2*(du^2+1)',
    dsigmaOperator: 'u^2*(du^2+1)',
    sigmaFormula: registryFormula('resin'),
    note: 'u^2(du^2+1) annihilates Y sin and Y cos: one system serves sigma and dsigma',
    expectedRanks: [8],
  },
  {
    name: 'gelu',
    file: 'gelu.artifact.json',
    sigmaOperator: 'u^2*du^2+(u^3-2*u)*du-u^2+2',
    dsigmaOperator: '(u^2-2)*du^2+(u^3-4*u)*du',
    sigmaFormula: registryFormula('gelu'),
    expectedRanks: [8, 8],
  },
];

/** Measured once (the catalogue test recomputes them): a change means the compiler's output changed. */
const CATALOGUE_RANKS: Readonly<Record<string, readonly number[]>> = {
  elu: [2, 4, 2, 4, 4, 2, 2, 4, 4],
  selu: [2, 4, 2, 4, 4, 2, 2, 4, 4],
  'leaky-relu': [2, 2],
  abs: [2, 2],
  'step-shifted': [4],
  recos: [8, 5],
  resin2: [5, 8],
  'rect-uexp': [4, 4, 4, 4],
  gauss: [1, 2],
  ugauss: [2, 1, 1, 2],
  gabor: [2, 8, 4, 2],
  'sin-relu': [2, 2, 2, 2, 2, 2],
  'rect-erf': [5, 2],
  cube: [2, 2],
  hermite2: [5, 2],
  sin: [2],
  cos: [2],
  'rectpow:3': [2, 2],
};

/** A catalogue activation's compiler input (its formula; the compiler finds the pieces and annihilators). */
export interface CatalogueArtifactSpec extends FormulaCompileSpec {
  /** File name in hgm-runtime's catalogue (packages/hgm-runtime/artifacts/). */
  file: string;
  /** Expected holonomic rank per system, in the order of the artifact's systems. */
  expectedRanks: readonly number[];
}

/**
 * The catalogue of common activations derived from their formulas (core's `FORMULA_ACTIVATIONS`, plus sin, cos and
 * rectpow:3 of the registry): the list of issue 11, so that these never derive at run time. Piecewise ones hold one
 * system per pair of pieces (`compileFormula`).
 *
 * @example
 * ```ts
 * import { CATALOGUE_ARTIFACTS } from '@holonomic-ntk/restriction';
 * CATALOGUE_ARTIFACTS.find((s) => s.name === 'elu')?.expectedRanks; // → [2, 4, 2, 4, 4, 2, 2, 4, 4]
 * ```
 */
export const CATALOGUE_ARTIFACTS: readonly CatalogueArtifactSpec[] = [
  ...Object.entries(FORMULA_ACTIVATIONS).map(([name, formula]) => ({ name, formula })),
  ...['sin', 'cos', 'rectpow:3'].map((name) => ({ name, formula: registryFormula(name) })),
].map(({ name, formula }) => ({ name, formula, file: `${name.replace(':', '')}.artifact.json`, expectedRanks: CATALOGUE_RANKS[name]! }));
