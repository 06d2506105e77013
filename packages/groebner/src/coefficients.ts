import { type Domain, Poly, QQ, ZZ, type Rational } from '@holonomic-ntk/weyl-algebra';
import { gcdBig } from '@holonomic-ntk/weyl-algebra/internal';

/**
 * How a Gröbner computation treats coefficients. Over ZZ it is fraction-free: a reduction step scales the
 * reductee by a cofactor instead of dividing, and the content is removed afterwards. Over a field the reducer is
 * scaled by a quotient and elements are kept monic. Either way the normalized element is canonical up to the
 * units of the domain, so reduced bases can be compared.
 */
export interface CoefficientStrategy<T> {
  readonly domain: Domain<T>;
  /** Multipliers (a, b) with a·lcF − b·lcG = 0, a ≠ 0 as small as the domain allows. */
  cancel(lcF: T, lcG: T): [T, T];
  /** The canonical associate of p (primitive with positive leading coefficient, or monic). */
  normalize(p: Poly<T>): Poly<T>;
}

export const integerStrategy: CoefficientStrategy<bigint> = {
  domain: ZZ,
  cancel(lcF, lcG) {
    const g = gcdBig(lcF, lcG);
    let a = lcG / g;
    let b = lcF / g;
    if (a < 0n) {
      a = -a;
      b = -b;
    }
    return [a, b];
  },
  normalize(p) {
    if (p.coeffs.length === 0) return p;
    let g = 0n;
    for (const c of p.coeffs) {
      g = gcdBig(g, c);
      if (g === 1n) break;
    }
    if (p.coeffs[0]! < 0n) g = -g;
    return g === 1n
      ? p
      : new Poly(
          p.monos,
          p.coeffs.map((c) => c / g),
        );
  },
};

export function fieldStrategy<T>(domain: Domain<T>): CoefficientStrategy<T> {
  if (!domain.isField) throw new Error(`fieldStrategy needs a field, got ${domain.name}`);
  return {
    domain,
    cancel: (lcF, lcG) => [domain.one, domain.div(lcF, lcG)],
    normalize(p) {
      if (p.coeffs.length === 0 || domain.isOne(p.coeffs[0]!)) return p;
      const inv = domain.div(domain.one, p.coeffs[0]!);
      return new Poly(
        p.monos,
        p.coeffs.map((c) => domain.mul(c, inv)),
      );
    },
  };
}

export const rationalStrategy: CoefficientStrategy<Rational> = fieldStrategy(QQ);
