import { ModuleGroebner, groebnerBasis } from '@holonomic-ntk/groebner';
import { type Poly, type Rational, type WeylAlgebra, operatorToText } from '@holonomic-ntk/weyl-algebra';
import { type RestrictionModule, type RestrictionOptions, restrictionModule } from './restrictionModule.ts';

/**
 * The restriction ideal: the annihilator in D_x of the class of 1 (= ∂t^0) in the restriction module, i.e.
 * (I + t·D) ∩ D_x. The two degenerate answers are reported as such rather than as generator lists:
 * - `unit`: the ideal is (1) — the restriction module is 0 (no integer root ≥ 0 of b), or 1 is annihilated;
 * - `zero`: no nonzero operator annihilates the class of 1.
 * `generators` is always the reduced Gröbner basis for grevlex on D_x (monic): [1], [] or the ideal's basis.
 */
export interface RestrictionIdeal {
  kind: 'unit' | 'zero' | 'ideal';
  /** D_x, the Weyl algebra of the remaining variables (grevlex). */
  algebra: WeylAlgebra<Rational>;
  /** Reduced Gröbner basis (grevlex on D_x). */
  generators: Poly<Rational>[];
  /** The restriction module the ideal was read from. */
  module: RestrictionModule;
  /** Why the answer is degenerate, when it is. */
  reason?: string;
}

/**
 * The restriction ideal of I = D·gens along t = 0 for the weight w on t ([SST] Alg. 5.2.12, MATH.md §3 step 6).
 * A Gröbner basis of the presentation module N ⊂ D_x^|B| for a POT order in which the ∂t^0 component is the least
 * significant one contains a basis of N ∩ (0, …, 0, D_x); those last entries generate the annihilator of [1].
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { restrictionIdeal } from '@holonomic-ntk/restriction';
 * const D = new WeylAlgebra(QQ, ['x1', 'x2']);
 * const r = restrictionIdeal(D, parseOperators(D, 'x1*dx1+2*x2*dx2-1/3; dx2-dx1^2'), ['x1'], [1]);
 * r.kind; // → 'ideal'
 * r.text; // → ['x2*dx2-1/6']
 * ```
 */
export function restrictionIdeal(
  D: WeylAlgebra<Rational>,
  gens: readonly Poly<Rational>[],
  tVars: readonly string[],
  weights: readonly number[],
  options: RestrictionOptions = {},
): RestrictionIdeal & { text: string[] } {
  const module = restrictionModule(D, gens, tVars, weights, options);
  return withGeneratorText(restrictionIdealOfModule(module, options));
}

/** Step 6 alone, from a restriction module already computed. */
export function restrictionIdealOfModule(module: RestrictionModule, options: RestrictionOptions = {}): RestrictionIdeal {
  const Dx = module.algebra;
  if (module.kind === 'zero') return { kind: 'unit', algebra: Dx, generators: [Dx.one], module, reason: `the restriction module is 0: ${module.reason}` };
  const rank = module.basis.length;
  const last = rank - 1;
  let annihilators: Poly<Rational>[];
  if (rank === 1) {
    // One symbol (s0 = 0): N itself is the ideal.
    annihilators = module.generators.map((v) => v[0]!);
  } else {
    const M = new ModuleGroebner(Dx, rank, { kind: 'POT', lastComponentLeast: true });
    const G = M.groebnerBasis(module.generators, options);
    annihilators = G.filter((v) => v.every((e, k) => k === last || e.monos.length === 0)).map((v) => v[last]!);
  }
  if (annihilators.length === 0) {
    return { kind: 'zero', algebra: Dx, generators: [], module, reason: 'no vector of the restriction module lives in the ∂t^0 component alone' };
  }
  const generators = groebnerBasis(Dx, annihilators, options);
  if (generators.length === 1 && Dx.isConstant(generators[0]!)) {
    return { kind: 'unit', algebra: Dx, generators: [Dx.one], module, reason: 'the class of 1 is annihilated by a nonzero constant' };
  }
  return { kind: 'ideal', algebra: Dx, generators, module };
}

/** Adds the normally ordered text of each generator. */
export function withGeneratorText(r: RestrictionIdeal): RestrictionIdeal & { text: string[] } {
  return { ...r, text: r.generators.map((g) => operatorToText(r.algebra, g, { compact: true })) };
}
