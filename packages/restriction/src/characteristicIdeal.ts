import { type GbOptions, groebnerBasis, weightGroebnerBasis } from '@holonomic-ntk/groebner';
import { DomainError, type Poly, QQ, type Rational, WeylAlgebra, grevlex, operatorToText } from '@holonomic-ntk/weyl-algebra';

/** The characteristic ideal of a left ideal of D, with its dimension and the holonomicity verdict. */
export interface CharacteristicIdeal {
  /** Q[x, ξ], commutative; ξ_i carries the name of ∂_i (as Macaulay2's charIdeal prints it). */
  ring: WeylAlgebra<Rational>;
  /** Reduced Gröbner basis (grevlex) of ch(I) = gr(I) = in_(0,1)(I), monic. */
  generators: Poly<Rational>[];
  text: string[];
  /** Krull dimension of Q[x, ξ]/ch(I) (the dimension of the characteristic variety); −1 when I = D. */
  dimension: number;
  /** dimension ≤ n (Bernstein's inequality makes it = n unless I = D): I is holonomic. */
  isHolonomic: boolean;
}

/**
 * The characteristic ideal ch(I) = in_(0,1)(I) ⊂ Q[x, ξ] of I = D·gens (MATH.md §3.4): the initial forms of a
 * Gröbner basis for the weight (0, 1) (the order of differential operators), read commutatively, generate it. Its
 * dimension, from the leading monomials (the largest set of variables no leading monomial lives on), decides
 * holonomicity: dim ch(I) = n (Bernstein: ≥ n unless I = D).
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { characteristicIdeal } from '@holonomic-ntk/restriction';
 * const D = new WeylAlgebra(QQ, ['x', 'y']);
 * const ch = characteristicIdeal(D, parseOperators(D, 'x*dx - 1/2; dy^2 - y'));
 * ch.text; // → ['dy^2', 'x*dx']
 * ch.dimension; // → 2
 * ch.isHolonomic; // → true
 * characteristicIdeal(D, parseOperators(D, 'dx')).isHolonomic; // → false
 * ```
 */
export function characteristicIdeal(D: WeylAlgebra<Rational>, gens: readonly Poly<Rational>[], options: GbOptions = {}): CharacteristicIdeal {
  if (D.isHomogenized || D.central.length > 0) throw new DomainError('the characteristic ideal is computed in D itself (no h, no central variables)');
  const n = D.n;
  const weight = [...new Array<number>(n).fill(0), ...new Array<number>(n).fill(1)];
  const wb = weightGroebnerBasis(D, gens, weight, options);
  // Q[x, ξ] as a Weyl algebra with no pairs and 2n central variables: commutative, and the Gröbner engine applies.
  const C = new WeylAlgebra(QQ, [], { central: [...D.xNames, ...D.dNames], order: grevlex });
  const symbols = wb.initialForms.filter((g) => g.monos.length > 0).map((g) => C.poly.fromTerms(g.monos, g.coeffs));
  const generators = groebnerBasis(C, symbols, options);
  const dimension = krullDimension(
    generators.map((g) => g.monos[0]!),
    2 * n,
  );
  return {
    ring: C,
    generators,
    text: generators.map((g) => operatorToText(C, g)),
    dimension,
    isHolonomic: dimension <= n,
  };
}

/**
 * Krull dimension of R/J from the leading monomials of a Gröbner basis of J (any degree-compatible order): the size
 * of the largest set S of variables such that no leading monomial is a product of variables in S alone; −1 for J = (1).
 *
 * @example
 * ```ts
 * import { krullDimension } from '@holonomic-ntk/restriction';
 * krullDimension([[1, 1, 0]], 3); // → 2
 * krullDimension([[1, 0], [0, 2]], 2); // → 0
 * krullDimension([[0, 0]], 2); // → -1
 * ```
 */
export function krullDimension(leading: readonly (readonly number[])[], nvars: number): number {
  if (leading.some((m) => m.every((e) => e === 0))) return -1;
  const supports = leading.map((m) => m.reduce((mask, e, i) => (e > 0 ? mask | (1 << i) : mask), 0));
  let best = 0;
  for (let S = 0; S < 1 << nvars; S++) {
    const size = popcount(S);
    if (size <= best) continue;
    if (supports.every((sup) => (sup & ~S) !== 0)) best = size;
  }
  return best;
}

function popcount(x: number): number {
  let c = 0;
  for (let v = x; v; v &= v - 1) c++;
  return c;
}
