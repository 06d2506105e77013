import type { Poly, Rational, WeylAlgebra } from '@holonomic-ntk/weyl-algebra';
import { type BFunctionResult, bFunction, restrictionWeight } from './bFunction.ts';
import { type RestrictionIdeal, withGeneratorText, restrictionIdealOfModule } from './restrictionIdeal.ts';
import { type RestrictionOptions, restrictionModule } from './restrictionModule.ts';

/**
 * The Fourier transform in t (t ↦ −∂t, ∂t ↦ t) of every generator. It preserves [∂t, t] = 1 and sends the right
 * ideal ∂t·D to t·D, so D/(I + ∂t·D), the integration module of D/I along t, is the restriction module of
 * D/F(I) to t = 0 ([SST] 5.5).
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, operatorToText, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { fourierTransform } from '@holonomic-ntk/restriction';
 * const D = new WeylAlgebra(QQ, ['t', 'x']);
 * const [F] = fourierTransform(D, parseOperators(D, 'dt + 2*t*dx'), ['t']);
 * operatorToText(D, F); // → '-2*dt*dx + t'
 * ```
 */
export function fourierTransform(D: WeylAlgebra<Rational>, gens: readonly Poly<Rational>[], tVars: readonly string[]): Poly<Rational>[] {
  return gens.map((g) => D.fourier(g, tVars));
}

/**
 * The b-function for integration along t: the b-function of the Fourier-transformed ideal F(I) along t = 0 for the
 * weight w. Its roots bound the ∂t-degrees that survive (s0 = largest integer root).
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { integrationBFunction } from '@holonomic-ntk/restriction';
 * const D = new WeylAlgebra(QQ, ['t', 'x']);
 * integrationBFunction(D, parseOperators(D, '2*t*dx+dt; t*dt+2*x*dx+2'), ['t'], [1]).integerRoots; // → [0n, 1n]
 * ```
 */
export function integrationBFunction(
  D: WeylAlgebra<Rational>,
  gens: readonly Poly<Rational>[],
  tVars: readonly string[],
  weights: readonly number[],
  options: RestrictionOptions = {},
): BFunctionResult {
  restrictionWeight(D, tVars, weights);
  return bFunction(D, fourierTransform(D, gens, tVars), tVars, weights, options);
}

/**
 * The integration ideal of I = D·gens along t: the annihilator in D_x of the class of 1 in D/(I + ∂t·D), i.e. an
 * ideal of operators annihilating ∫ f dt (over a cycle without boundary terms, e.g. a rapidly decaying integrand)
 * for every f annihilated by I. Computed as Fourier transform → restriction to t = 0. The inverse transform of the
 * recipe ([SST] 5.5.4) acts on t and ∂t only; the restriction ideal contains neither, so it is the identity here.
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { integrationIdeal } from '@holonomic-ntk/restriction';
 * // ∫ dt / (t² − x) = π/√(−x): annihilated by 2x∂x + 1
 * const D = new WeylAlgebra(QQ, ['t', 'x']);
 * integrationIdeal(D, parseOperators(D, '2*t*dx+dt; t*dt+2*x*dx+2'), ['t'], [1]).text; // → ['x*dx+1/2']
 * ```
 */
export function integrationIdeal(
  D: WeylAlgebra<Rational>,
  gens: readonly Poly<Rational>[],
  tVars: readonly string[],
  weights: readonly number[] = tVars.map(() => 1),
  options: RestrictionOptions = {},
): RestrictionIdeal & { text: string[] } {
  const module = restrictionModule(D, fourierTransform(D, gens, tVars), tVars, weights, options);
  return withGeneratorText(restrictionIdealOfModule(module, options));
}
