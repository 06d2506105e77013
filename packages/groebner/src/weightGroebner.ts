import { DomainError, type Domain, type Poly, QQ, type Rational, WeylAlgebra, ZZ, weightOrder, grevlex } from '@holonomic-ntk/weyl-algebra';
import { monicQQ } from '@holonomic-ntk/weyl-algebra/internal';
import { buchberger } from './buchberger.ts';
import { fieldStrategy, integerStrategy } from './coefficients.ts';
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
export interface WeightGroebnerResult<T = Rational> {
  /** The weight vector (u, v) on (x, ∂). */
  weight: readonly number[];
  /** A Gröbner basis of I for (u, v) refined by degrevlex, in D (h set to 1), monic for that order. */
  basis: Poly<T>[];
  /** in_(u,v)(g) for g in basis: they generate in_(u,v)(I) and form a Gröbner basis of it. */
  initialForms: Poly<T>[];
  /** The algebra whose order sorts `basis`: D with the order (u, v) refined by grevlex. */
  ring: WeylAlgebra<T>;
}

/**
 * Gröbner basis for a weight vector (u, v) that need not be a term order, e.g. (−w, w) for restriction (MATH.md §2):
 * homogenize into D^(h), run Buchberger for "total degree → weight → degree without h → revlex", then set h = 1.
 * Any integer weight with u_i + v_i ≥ 0 for every pair is accepted ([SST] §1.2; Macaulay2's `gbw`
 * and Singular's `GBWeight` ask the same): then x_i∂_i outweighs the h² of ∂_i x_i = x_i∂_i + h², the order is a
 * term order on homogeneous elements of D^(h) (a well-order on each graded piece, so Buchberger terminates), and the
 * initial forms of the result generate in_(u,v)(I). With u_i + v_i < 0 the weight filtration is not multiplicative
 * (in(∂x) ≠ in(∂)·in(x)): DomainError.
 *
 * Over QQ the work is fraction-free over ZZ; over another field (e.g. Q(a) from a RationalFunctionField: parameters)
 * coefficients are kept monic.
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, operatorToText, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { weightGroebnerBasis } from '@holonomic-ntk/groebner';
 * const D = new WeylAlgebra(QQ, ['x']);
 * // The weight (−1, 1) on (x, ∂) is not a term order; in_(−1,1)(∂ − 1) = ∂.
 * const r = weightGroebnerBasis(D, parseOperators(D, 'dx - 1'), [-1, 1]);
 * r.initialForms.map((g) => operatorToText(r.ring, g)); // → ['dx']
 * // u + v = −1 < 0: no initial ideal to speak of.
 * weightGroebnerBasis(D, parseOperators(D, 'dx - 1'), [-2, 1]); // throws DomainError
 * ```
 *
 * @example
 * ```ts
 * import { RationalFunctionField, WeylAlgebra, operatorToText, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { weightGroebnerBasis } from '@holonomic-ntk/groebner';
 * // Over Q(a): the ideal of x^a·e^y, weight (−1, 0, 2, 1) (u + v = (1, 1) ≥ 0).
 * const D = new WeylAlgebra(new RationalFunctionField(['a']), ['x', 'y']);
 * const r = weightGroebnerBasis(D, parseOperators(D, 'x*dx - a; dy - 1'), [-1, 0, 2, 1]);
 * r.basis.map((g) => operatorToText(r.ring, g)); // → ['dy - 1', 'x*dx - a']
 * r.initialForms.map((g) => operatorToText(r.ring, g)); // → ['dy', 'x*dx']
 * ```
 */
export function weightGroebnerBasis<T>(
  D: WeylAlgebra<T>,
  gens: readonly Poly<T>[],
  weight: readonly number[],
  options: GbOptions = {},
): WeightGroebnerResult<T> {
  checkWeight(D.n, weight);
  const fullWeight = [...weight, ...new Array<number>(D.vars.length - weight.length).fill(0)];
  const ring = new WeylAlgebra(D.domain, D.pairs(), { order: weightOrder(fullWeight, grevlex), central: D.central });
  const order = homogenizedWeightOrder(D.n, weight);
  let basis: Poly<T>[];
  if (D.domain === (QQ as Domain<unknown>)) {
    const DQ = D as unknown as WeylAlgebra<Rational>;
    const Z = integerTwin(DQ);
    const Zh = new WeylAlgebra(ZZ, D.pairs(), { homogenizer: '_h', order, central: D.central });
    const Z0 = new WeylAlgebra(ZZ, D.pairs(), { order: grevlex, central: D.central });
    const hom = gens.filter((g) => g.monos.length > 0).map((g) => Z0.homogenize(toIntegerOperator(DQ, Z, g as unknown as Poly<Rational>), Zh));
    const G = buchberger(Zh, integerStrategy, { component: -1 }, hom, options);
    const ringQ = ring as unknown as WeylAlgebra<Rational>;
    basis = G.map((g) => {
      const p = Zh.dehomogenize(g, Z0);
      const q = ringQ.poly.fromTerms(
        p.monos,
        p.coeffs.map((c) => QQ.fromInt(c)),
      );
      return monicQQ(ringQ.poly, q) as unknown as Poly<T>;
    });
  } else {
    // Another field (Q(params)): the same route with monic coefficients.
    const S = fieldStrategy(D.domain);
    const Fh = new WeylAlgebra(D.domain, D.pairs(), { homogenizer: '_h', order, central: D.central });
    const F0 = new WeylAlgebra(D.domain, D.pairs(), { order: grevlex, central: D.central });
    const hom = gens.filter((g) => g.monos.length > 0).map((g) => F0.homogenize(g, Fh));
    const G = buchberger(Fh, S, { component: -1 }, hom, options);
    basis = G.map((g) => {
      const p = Fh.dehomogenize(g, F0);
      return S.normalize(ring.poly.fromTerms(p.monos, p.coeffs));
    });
  }
  // Setting h = 1 may make one leading monomial divide another's (h + y gives lm 1 when y has negative weight), but
  // those elements are not redundant: (u, v) refined by grevlex need not be a well-order, and both are needed to
  // generate I. Only a nonzero constant (I = D) makes the others redundant.
  const unit = basis.find((g) => g.monos.length === 1 && g.monos[0]!.every((e) => e === 0));
  const minimal = unit ? [unit] : basis;
  return { weight: weight.slice(), basis: minimal, initialForms: minimal.map((g) => ring.initialForm(g, weight)), ring };
}

/** Integer entries, one per x and ∂, with u_i + v_i ≥ 0 (the weights for which D^(h) gives a Gröbner basis). */
function checkWeight(n: number, weight: readonly number[]): void {
  if (weight.length !== 2 * n) {
    throw new DomainError(`a weight vector for ${n} variable pair(s) needs ${2 * n} entries (u on x, then v on ∂), got ${weight.length}`);
  }
  const bad = weight.findIndex((w) => !Number.isSafeInteger(w));
  if (bad >= 0) throw new DomainError(`weight entry ${bad + 1} is not an integer: ${weight[bad]}`);
  for (let i = 0; i < n; i++) {
    if (weight[i]! + weight[n + i]! < 0) {
      throw new DomainError(
        `the weight (${weight.join(',')}) has u_${i + 1} + v_${i + 1} = ${weight[i]! + weight[n + i]!} < 0: Gröbner bases for a weight (u, v) on the Weyl algebra need u + v ≥ 0 (the weight of ∂x = x∂ + 1 must be that of x∂)`,
      );
    }
  }
}
