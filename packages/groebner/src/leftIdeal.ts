import { type Domain, Poly, QQ, Rational, WeylAlgebra, ZZ } from '@holonomic-ntk/weyl-algebra';
import { integerPrimitive, monicQQ } from '@holonomic-ntk/weyl-algebra/internal';
import { buchberger } from './buchberger.ts';
import { type CoefficientStrategy, fieldStrategy, integerStrategy } from './coefficients.ts';
import { type Layout, leftReduce } from './leftReduction.ts';
import type { GbOptions } from './options.ts';

const IDEAL: Layout = { component: -1 };

/** The same algebra over ZZ: Gröbner bases over QQ are computed fraction-free there. */
export function integerTwin(D: WeylAlgebra<Rational>): WeylAlgebra<bigint> {
  return new WeylAlgebra(ZZ, D.pairs(), D.options);
}

/** QQ → ZZ: the primitive integer associate (same ideal). */
export function toIntegerOperator(D: WeylAlgebra<Rational>, Z: WeylAlgebra<bigint>, p: Poly<Rational>): Poly<bigint> {
  return integerPrimitive(D.poly, p, Z.poly).prim;
}

/** ZZ → QQ, monic. */
export function toMonicRational(D: WeylAlgebra<Rational>, p: Poly<bigint>): Poly<Rational> {
  return monicQQ(
    D.poly,
    new Poly(
      p.monos,
      p.coeffs.map((c) => Rational.int(c)),
    ),
  );
}

function isQQ<T>(D: WeylAlgebra<T>): D is WeylAlgebra<T> & WeylAlgebra<Rational> {
  return D.domain === (QQ as Domain<unknown>);
}

/**
 * The reduced Gröbner basis of the left ideal D·gens for the algebra's term order (must be a well-order), monic,
 * sorted increasingly by leading monomial. Over QQ the work is fraction-free over ZZ; over another field
 * (e.g. Q(a, b)) coefficients are kept monic.
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, operatorToText, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { groebnerBasis } from '@holonomic-ntk/groebner';
 * const D = new WeylAlgebra(QQ, ['x', 'y']);
 * const G = groebnerBasis(D, parseOperators(D, 'x*dx - 1; dx*dy'));
 * G.map((g) => operatorToText(D, g)); // → ['dy', 'x*dx - 1']
 * ```
 */
export function groebnerBasis<T>(D: WeylAlgebra<T>, gens: readonly Poly<T>[], options: GbOptions = {}): Poly<T>[] {
  if (isQQ(D)) {
    const Z = integerTwin(D);
    const G = buchberger(
      Z,
      integerStrategy,
      IDEAL,
      gens.map((g) => toIntegerOperator(D, Z, g as Poly<Rational>)),
      options,
    );
    return G.map((g) => toMonicRational(D, g)) as Poly<T>[];
  }
  return buchberger(D, fieldStrategy(D.domain), IDEAL, gens, options);
}

/**
 * Normal form of f modulo the left ideal with Gröbner basis G (for D's order): the unique remainder whose terms
 * are divisible by no leading monomial of G, with f − NF(f) ∈ D·G.
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, operatorToText, parseOperator, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { groebnerBasis, normalForm } from '@holonomic-ntk/groebner';
 * const D = new WeylAlgebra(QQ, ['x']);
 * const G = groebnerBasis(D, parseOperators(D, 'dx - 1')); // annihilates e^x
 * operatorToText(D, normalForm(D, parseOperator(D, 'dx^2 + x'), G)); // → 'x + 1'
 * ```
 */
export function normalForm<T>(D: WeylAlgebra<T>, f: Poly<T>, G: readonly Poly<T>[]): Poly<T> {
  if (isQQ(D)) {
    const Z = integerTwin(D);
    const { scale, prim } = integerPrimitive(D.poly, f as Poly<Rational>, Z.poly);
    const { remainder, multiplier } = leftReduce(
      Z,
      integerStrategy,
      IDEAL,
      prim,
      G.map((g) => toIntegerOperator(D, Z, g as Poly<Rational>)),
      false,
      true,
    );
    // remainder ≡ multiplier · prim, and f = scale · prim.
    const factor = scale.div(multiplier);
    return D.poly.scale(
      new Poly(
        remainder.monos,
        remainder.coeffs.map((c) => Rational.int(c)),
      ),
      factor as unknown as T & Rational,
    ) as Poly<T>;
  }
  const S: CoefficientStrategy<T> = fieldStrategy(D.domain);
  // Over a field the reduction does not scale f, but normalize() makes the remainder monic: undo that.
  const { remainder } = leftReduce(D, { ...S, normalize: (p) => p }, IDEAL, f, G);
  return remainder;
}

/**
 * f ∈ D·G, for a Gröbner basis G.
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, parseOperator, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { groebnerBasis, isMember } from '@holonomic-ntk/groebner';
 * const D = new WeylAlgebra(QQ, ['x']);
 * const G = groebnerBasis(D, parseOperators(D, 'dx - 1'));
 * isMember(D, parseOperator(D, 'dx^2 - 1'), G); // → true
 * isMember(D, parseOperator(D, 'dx + 1'), G); // → false
 * ```
 */
export function isMember<T>(D: WeylAlgebra<T>, f: Poly<T>, G: readonly Poly<T>[]): boolean {
  return normalForm(D, f, G).monos.length === 0;
}

/**
 * Equality of left ideals, decided by comparing reduced Gröbner bases (never generator lists).
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { idealEquals } from '@holonomic-ntk/groebner';
 * const D = new WeylAlgebra(QQ, ['x']);
 * idealEquals(D, parseOperators(D, 'dx - 1'), parseOperators(D, 'dx^2 - 1; dx - 1')); // → true
 * idealEquals(D, parseOperators(D, 'dx - 1'), parseOperators(D, 'dx^2 - 1')); // → false
 * ```
 */
export function idealEquals<T>(D: WeylAlgebra<T>, a: readonly Poly<T>[], b: readonly Poly<T>[], options: GbOptions = {}): boolean {
  const ga = groebnerBasis(D, a, options);
  const gb = groebnerBasis(D, b, options);
  return ga.length === gb.length && ga.every((g, i) => D.eq(g, gb[i]!));
}
