import { type GbOptions, ModuleGroebner } from '@holonomic-ntk/groebner';
import { Budget } from '@holonomic-ntk/groebner/internal';
import { type Poly, type Rational, type WeylAlgebra, operatorToText } from '@holonomic-ntk/weyl-algebra';
import { type RestrictionModule, type RestrictionOptions, restrictionModule } from './restrictionModule.ts';

/**
 * A presentation of the 0-th restriction (or integration) module H^0 = D_x^r / N with generators g_1..g_r, each the
 * class of a symbol ∂t^β of [SST] Alg. 5.2.8, and relations Σ_j v_j·g_j = 0 (left D_x-combinations). What
 * Macaulay2's `Drestriction(0, I, w)` returns as `cokernel` of a matrix (its columns are our relations).
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { restrictionModulePresentation, type ModulePresentation } from '@holonomic-ntk/restriction';
 * const D = new WeylAlgebra(QQ, ['x', 'y']);
 * const P: ModulePresentation = restrictionModulePresentation(D, parseOperators(D, 'x*dx-1; y*dy-1'), ['x'], [1]);
 * P.generatorText; // → ['dx']
 * P.relationText; // → [['y*dy-1']]
 * ```
 */
export interface ModulePresentation {
  /** D_x: the Weyl algebra of the remaining variables (Q itself after restricting to a point). */
  algebra: WeylAlgebra<Rational>;
  /** The symbols ∂t^β (exponents) whose classes generate H^0, a subset of the restriction module's basis B. */
  generators: number[][];
  /** Text of each generator, e.g. "dx", "1". */
  generatorText: string[];
  /**
   * The relations, one vector per row (entry j multiplies generator j): a reduced Gröbner basis of N for the POT
   * order (last generator least), so equal modules with the same generators give equal lists. Empty for a free
   * module, in particular after restricting to a point: H^0 is then Q^r.
   */
  relations: Poly<Rational>[][];
  /** The relations as text (compact, normally ordered). */
  relationText: string[][];
  /**
   * For a restriction to a point (no variable left): the dimension of H^0 over Q, which is `generators.length`;
   * null otherwise.
   */
  dimension: number | null;
  /** The unpruned presentation it came from (all of B, the generators of N before pruning). */
  module: RestrictionModule;
}

/**
 * Prunes the restriction module's presentation ⊕_{β∈B} D_x·∂t^β / N: while a relation has a nonzero constant
 * entry c at generator k, that generator is a combination of the others (g_k = −c⁻¹·Σ_{j≠k} v_j g_j): every other
 * relation u becomes u − (u_k/c)·v, then generator k and the relation v go. A reduced module Gröbner basis of what is
 * left is computed and pruned again until no constant entry remains (each round removes a generator, so this ends).
 * Restricting to a point, every nonzero relation is a vector over Q, so H^0 comes out as Q^r with no relation.
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { prunedPresentation, restrictionModule } from '@holonomic-ntk/restriction';
 * const D = new WeylAlgebra(QQ, ['x', 'y']);
 * // Macaulay2: Drestriction(0, ideal(x*dx+2*y*dy+3, dx^2-dy), {1,0}) = cokernel {{2y∂y+3, 0}, {0, y∂y+2}}.
 * const M = restrictionModule(D, parseOperators(D, 'x*dx+2*y*dy+3; dx^2-dy'), ['x'], [1]);
 * const P = prunedPresentation(M);
 * P.generatorText; // → ['dx', '1']
 * P.relationText; // → [['0', '2*y*dy+3'], ['y*dy+2', '0']]
 * ```
 */
export function prunedPresentation(module: RestrictionModule, options: GbOptions = {}): ModulePresentation {
  const Dx = module.algebra;
  const point = Dx.n === 0;
  if (module.kind === 'zero') return finish(module, [], [], point);
  const budget = new Budget(options);
  let alive = module.basis.map((_, k) => k);
  let rels: Poly<Rational>[][] = module.generators.map((v) => v.slice());
  for (;;) {
    ({ alive, rels } = eliminateUnits(Dx, alive, rels, budget));
    if (rels.length === 0 || alive.length === 0) break;
    const M = new ModuleGroebner(Dx, alive.length, { kind: 'POT', lastComponentLeast: true });
    rels = M.groebnerBasis(rels, options);
    if (!rels.some((v) => v.some((e) => isUnit(Dx, e)))) break;
  }
  return finish(
    module,
    alive.map((k) => (module.kind === 'module' ? module.basis[k]! : [])),
    rels,
    point,
  );
}

/**
 * The pruned presentation of the 0-th restriction module of D/D·gens to t = 0 (restrictionModule, then
 * prunedPresentation).
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { restrictionModulePresentation } from '@holonomic-ntk/restriction';
 * // Restricted to the point (0, 0) with the weight (1, 4): H^0 = Q^1, as Macaulay2's Drestriction(0, I, {1,4}).
 * const D = new WeylAlgebra(QQ, ['x', 'y']);
 * const I = parseOperators(D, 'x*dx + 2*y*dy - 2; dx^2 - dy');
 * restrictionModulePresentation(D, I, ['x', 'y'], [1, 4]).dimension; // → 1
 * ```
 */
export function restrictionModulePresentation(
  D: WeylAlgebra<Rational>,
  gens: readonly Poly<Rational>[],
  tVars: readonly string[],
  weights: readonly number[],
  options: RestrictionOptions = {},
): ModulePresentation {
  return prunedPresentation(restrictionModule(D, gens, tVars, weights, options), options);
}

function isUnit(Dx: WeylAlgebra<Rational>, e: Poly<Rational>): boolean {
  return e.monos.length === 1 && Dx.isConstant(e);
}

/** Removes generators that a relation with a constant entry expresses through the others (see prunedPresentation). */
function eliminateUnits(Dx: WeylAlgebra<Rational>, alive: number[], rels: Poly<Rational>[][], budget: Budget): { alive: number[]; rels: Poly<Rational>[][] } {
  let cols = alive.slice();
  let rows = rels.filter((v) => v.some((e) => e.monos.length > 0));
  for (;;) {
    budget.check({ stage: 'pruning the restriction module', pairsDone: alive.length - cols.length, pairsLeft: cols.length, basisSize: rows.length, degree: 0 });
    // The smallest relation with a constant entry first (fewest terms to spread into the others).
    let best: { r: number; k: number; size: number } | null = null;
    rows.forEach((v, r) => {
      const size = v.reduce((s, e) => s + e.monos.length, 0);
      v.forEach((e, k) => {
        if (isUnit(Dx, e) && (best === null || size < best.size)) best = { r, k, size };
      });
    });
    if (best === null) break;
    const { r, k } = best as { r: number; k: number };
    const v = rows[r]!;
    const cinv = v[k]!.coeffs[0]!.inv();
    const next: Poly<Rational>[][] = [];
    rows.forEach((u, i) => {
      if (i === r) return;
      let w = u;
      if (u[k]!.monos.length > 0) {
        const a = Dx.poly.scale(u[k]!, cinv);
        w = u.map((e, j) => Dx.sub(e, Dx.mul(a, v[j]!)));
      }
      const cut = w.filter((_, j) => j !== k);
      if (cut.some((e) => e.monos.length > 0)) next.push(cut);
    });
    rows = next;
    cols = cols.filter((_, j) => j !== k);
  }
  return { alive: cols, rels: rows };
}

function finish(module: RestrictionModule, generators: number[][], relations: Poly<Rational>[][], point: boolean): ModulePresentation {
  const Dx = module.algebra;
  const text = (beta: number[]) => {
    if (module.kind !== 'module') return '1';
    const k = module.basis.findIndex((b) => b.every((e, i) => e === beta[i]));
    return module.basisText[k]!;
  };
  return {
    algebra: Dx,
    generators,
    generatorText: generators.map(text),
    relations,
    relationText: relations.map((v) => v.map((e) => operatorToText(Dx, e, { compact: true }))),
    dimension: point ? generators.length : null,
    module,
  };
}
