import type { Poly, Rational, WeylAlgebra } from '@holonomic-ntk/weyl-algebra';
import { type RationalGroebnerOptions, RationalWeylIdeal, dText } from './rationalWeyl.ts';

/** What {@link holonomicRank} returns: the rank, the standard monomials that count it, the basis size. */
export interface HolonomicRankResult {
  /** dim over Q(x) of R/R·I, R = Q(x)⟨∂⟩. */
  rank: number;
  /** The standard ∂-monomials (a Q(x)-basis of R/R·I), as text, increasing. */
  standardMonomials: string[];
  /** The minimal leading ∂-monomials of the Gröbner basis over R, as text. */
  leadingMonomials: string[];
  /** Elements of the Gröbner basis over R. */
  basisSize: number;
}

/**
 * The holonomic rank of D·gens: the number of standard monomials of a Gröbner basis of R·I over the rational Weyl
 * algebra R = Q(x)⟨∂⟩ (MATH.md §4) — no Pfaffian system, no normal forms. NotHolonomicError when the rank is
 * infinite (some ∂ has no pure power among the leading monomials); a finite rank alone does not prove holonomicity.
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { holonomicRank } from '@holonomic-ntk/groebner';
 * const D = new WeylAlgebra(QQ, ['x', 'y']);
 * const r = holonomicRank(D, parseOperators(D, 'dx^2 - x; dy - 1'));
 * r.rank; // → 2
 * r.standardMonomials; // → ['1', 'dx']
 * holonomicRank(D, parseOperators(D, 'dx')); // throws NotHolonomicError
 * ```
 */
export function holonomicRank(D: WeylAlgebra<Rational>, gens: readonly Poly<Rational>[], options: RationalGroebnerOptions = {}): HolonomicRankResult {
  const I = RationalWeylIdeal.compute(D, gens, options);
  const names = I.derivations;
  const std = I.standardMonomials();
  return {
    rank: std.length,
    standardMonomials: std.map((e) => dText(names, e)),
    leadingMonomials: I.leadingD.map((e) => dText(names, e)),
    basisSize: I.basis.length,
  };
}
