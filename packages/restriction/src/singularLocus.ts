import { type GbOptions, groebnerBasis } from '@holonomic-ntk/groebner';
import { type Poly, PolyRing, QQ, type Rational, WeylAlgebra, grevlex, polynomialToText, weightOrder } from '@holonomic-ntk/weyl-algebra';
import { type CharacteristicIdeal, characteristicIdeal } from './characteristicIdeal.ts';

/** The singular locus of a D-module D/I: an ideal of Q[x] whose zero set is the closure of π(Ch(I) ∖ {ξ = 0}). */
export interface SingularLocus {
  /** Q[x]. */
  ring: PolyRing<Rational>;
  /** Reduced Gröbner basis (grevlex) of (ch(I) : (ξ)^∞) ∩ Q[x], monic; [1] when the locus is empty. */
  generators: Poly<Rational>[];
  text: string[];
  /** The characteristic ideal it was computed from. */
  characteristic: CharacteristicIdeal;
}

/**
 * The singular locus of D/I (MATH.md §3.4): (ch(I) : (ξ_1, …, ξ_n)^∞) ∩ Q[x], the ideal of the closure of the
 * projection of the characteristic variety minus the zero section — as Macaulay2's `singLocus`. Computed as
 * ∩_i ((ch(I) + (1 − y·ξ_i)) ∩ Q[x]) (saturation by an ideal is the intersection of the saturations by its
 * generators, and elimination commutes with intersection), each term by elimination in Q[y, ξ, x] and the
 * intersection by (z·A + (1 − z)·B) ∩ Q[x].
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { singularLocus } from '@holonomic-ntk/restriction';
 * const D = new WeylAlgebra(QQ, ['x']);
 * // Gauss's hypergeometric equation, a = 1/2, b = 1/3, c = 1/5: singular at 0 and 1 (and ∞).
 * singularLocus(D, parseOperators(D, 'x*(1-x)*dx^2 + (1/5 - (1/2+1/3+1)*x)*dx - 1/6')).text; // → ['x^2 - x']
 * singularLocus(D, parseOperators(D, 'dx^2 - x')).text; // → ['1']
 * ```
 */
export function singularLocus(D: WeylAlgebra<Rational>, gens: readonly Poly<Rational>[], options: GbOptions = {}): SingularLocus {
  const ch = characteristicIdeal(D, gens, options);
  const n = D.n;
  const ring = new PolyRing(QQ, D.xNames, grevlex);
  // An element of Q[y, ξ, x] free of y and ξ, as an element of Q[x].
  const toRing = (g: Poly<Rational>) =>
    ring.fromTerms(
      g.monos.map((m) => m.slice(n + 1)),
      g.coeffs,
    );
  let locus: Poly<Rational>[] | null = null;
  if (ch.dimension < 0) {
    locus = [ring.one];
  } else {
    for (let i = 0; i < n; i++) {
      // Q[y, ξ, x] with y and ξ eliminated: exponent layout [y, ξ_1..ξ_n, x_1..x_n].
      const names = ['_y', ...D.dNames, ...D.xNames];
      const elim = names.map((_, k) => (k <= n ? 1 : 0));
      const C = new WeylAlgebra(QQ, [], { central: names, order: weightOrder(elim, grevlex) });
      const lift = (g: Poly<Rational>) =>
        C.poly.fromTerms(
          g.monos.map((m) => [0, ...m.slice(n, 2 * n), ...m.slice(0, n)]),
          g.coeffs,
        );
      const y = C.gen('_y');
      const xi = C.gen(D.dNames[i]!);
      const G = groebnerBasis(C, [...ch.generators.map(lift), C.sub(C.one, C.mul(y, xi))], options);
      const part = G.filter((g) => g.monos.every((m) => m.slice(0, n + 1).every((e) => e === 0))).map(toRing);
      locus = locus === null ? part : intersect(ring, locus, part, options);
    }
  }
  const C = new WeylAlgebra(QQ, [], { central: D.xNames, order: grevlex });
  const basis = groebnerBasis(
    C,
    (locus ?? [ring.one]).map((g) => C.poly.fromTerms(g.monos, g.coeffs)),
    options,
  ).map((g) => ring.fromTerms(g.monos, g.coeffs));
  return { ring, generators: basis, text: basis.map((g) => polynomialToText(ring, g)), characteristic: ch };
}

/** A ∩ B in Q[x] by (z·A + (1 − z)·B) ∩ Q[x]. */
function intersect(ring: PolyRing<Rational>, A: readonly Poly<Rational>[], B: readonly Poly<Rational>[], options: GbOptions): Poly<Rational>[] {
  const n = ring.vars.length;
  const names = ['_z', ...ring.vars];
  const C = new WeylAlgebra(QQ, [], { central: names, order: weightOrder([1, ...new Array<number>(n).fill(0)], grevlex) });
  const lift = (g: Poly<Rational>) =>
    C.poly.fromTerms(
      g.monos.map((m) => [0, ...m]),
      g.coeffs,
    );
  const z = C.gen('_z');
  const G = groebnerBasis(C, [...A.map((g) => C.mul(z, lift(g))), ...B.map((g) => C.mul(C.sub(C.one, z), lift(g)))], options);
  return G.filter((g) => g.monos.every((m) => m[0] === 0)).map((g) =>
    ring.fromTerms(
      g.monos.map((m) => m.slice(1)),
      g.coeffs,
    ),
  );
}
