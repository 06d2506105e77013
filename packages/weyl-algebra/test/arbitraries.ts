/** fast-check generators shared by the weyl-algebra tests. */
import fc from 'fast-check';
import { type Poly, Rational, type WeylAlgebra, type PolyRing } from '../src/index.ts';

export const smallRational = fc.tuple(fc.integer({ min: -20, max: 20 }), fc.integer({ min: 1, max: 12 })).map(([n, d]) => Rational.of(n, d));

export const bigRational = fc
  .tuple(fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }), fc.bigInt({ min: 1n, max: 2n ** 200n }))
  .map(([n, d]) => Rational.of(n, d));

/** A random element of a polynomial-like ring with `nvars` exponent slots, small degrees. */
export function randomElement(ring: { poly: PolyRing<Rational> } | PolyRing<Rational>, maxTerms = 4, maxExp = 3) {
  const R = 'poly' in ring ? ring.poly : ring;
  const mono = fc.array(fc.integer({ min: 0, max: maxExp }), { minLength: R.nvars, maxLength: R.nvars });
  return fc.array(fc.tuple(mono, smallRational), { minLength: 0, maxLength: maxTerms }).map((terms) =>
    R.fromTerms(
      terms.map((t) => t[0]),
      terms.map((t) => t[1]),
    ),
  );
}

export type QWeyl = WeylAlgebra<Rational>;
export type QPoly = Poly<Rational>;
