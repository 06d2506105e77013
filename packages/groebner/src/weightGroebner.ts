import { type Poly, type Rational, WeylAlgebra, ZZ, weightOrder, grevlex } from '@holonomic-ntk/weyl-algebra';
import { monicQQ } from '@holonomic-ntk/weyl-algebra/internal';
import { buchberger } from './buchberger.ts';
import { integerStrategy } from './coefficients.ts';
import { integerTwin, toIntegerOperator } from './leftIdeal.ts';
import type { GbOptions } from './options.ts';
import { homogenizedWeightOrder } from './orders.ts';

/**
 * What {@link weightGroebnerBasis} returns: the basis, the initial forms and the algebra whose order sorts them.
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, operatorToText, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { weightGroebnerBasis, type WeightGroebnerResult } from '@holonomic-ntk/groebner';
 * const D = new WeylAlgebra(QQ, ['x']);
 * const r: WeightGroebnerResult = weightGroebnerBasis(D, parseOperators(D, 'dx - 1'), [-1, 1]);
 * r.basis.map((g) => operatorToText(r.ring, g)); // → ['dx - 1']
 * r.ring.order.name; // → 'weight(-1,1;grevlex)'
 * ```
 */
export interface WeightGroebnerResult {
  /** The weight vector (u, v) on (x, ∂). */
  weight: readonly number[];
  /** A Gröbner basis of I for (u, v) refined by degrevlex, in D (h set to 1), monic for that order. */
  basis: Poly<Rational>[];
  /** in_(u,v)(g) for g in basis: they generate in_(u,v)(I) and form a Gröbner basis of it. */
  initialForms: Poly<Rational>[];
  /** The algebra whose order sorts `basis`: D with the order (u, v) refined by grevlex. */
  ring: WeylAlgebra<Rational>;
}

/**
 * Gröbner basis for a weight vector that need not be a term order, e.g. (−w, w) for restriction (MATH.md §2):
 * homogenize into D^(h), run Buchberger for "total degree → weight → degree without h → revlex" (a well-order
 * on homogeneous elements, so it terminates), then set h = 1.
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, operatorToText, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { weightGroebnerBasis } from '@holonomic-ntk/groebner';
 * const D = new WeylAlgebra(QQ, ['x']);
 * // The weight (−1, 1) on (x, ∂) is not a term order; in_(−1,1)(∂ − 1) = ∂.
 * const r = weightGroebnerBasis(D, parseOperators(D, 'dx - 1'), [-1, 1]);
 * r.initialForms.map((g) => operatorToText(r.ring, g)); // → ['dx']
 * ```
 */
export function weightGroebnerBasis(
  D: WeylAlgebra<Rational>,
  gens: readonly Poly<Rational>[],
  weight: readonly number[],
  options: GbOptions = {},
): WeightGroebnerResult {
  const Z = integerTwin(D);
  const Zh = new WeylAlgebra(ZZ, D.pairs(), { homogenizer: '_h', order: homogenizedWeightOrder(D.n, weight), central: D.central });
  const Z0 = new WeylAlgebra(ZZ, D.pairs(), { order: grevlex, central: D.central });
  const hom = gens.filter((g) => g.monos.length > 0).map((g) => Z0.homogenize(toIntegerOperator(D, Z, g), Zh));
  const G = buchberger(Zh, integerStrategy, { component: -1 }, hom, options);
  const fullWeight = [...weight, ...new Array<number>(D.vars.length - weight.length).fill(0)];
  const ring = new WeylAlgebra(D.domain, D.pairs(), { order: weightOrder(fullWeight, grevlex), central: D.central });
  const basis = G.map((g) => {
    const p = Zh.dehomogenize(g, Z0);
    const q = ring.poly.fromTerms(
      p.monos,
      p.coeffs.map((c) => D.domain.fromInt(c)),
    );
    return monicQQ(ring.poly, q);
  });
  return { weight: weight.slice(), basis, initialForms: basis.map((g) => ring.initialForm(g, weight)), ring };
}
