import { gcdBig } from './bigintMath.ts';
import { DomainError } from './errors.ts';
import { Rational } from './rational.ts';

/**
 * A coefficient domain, in the sense of SymPy's polys: the arithmetic of the scalars, separate from any ring
 * built over them. Rings take the domain as an explicit argument.
 *
 * @example
 * ```ts
 * import { QQ, Rational, ZZ, type Domain } from '@holonomic-ntk/weyl-algebra';
 * // Generic code over any coefficient domain:
 * const sumOfSquares = <T,>(K: Domain<T>, xs: T[]): T => xs.reduce((s, x) => K.add(s, K.mul(x, x)), K.zero);
 * sumOfSquares(ZZ, [1n, 2n, 3n]); // → 14n
 * QQ.toString(sumOfSquares(QQ, [Rational.of(1, 2), Rational.of(1, 3)])); // → '13/36'
 * ```
 */
export interface Domain<T> {
  readonly name: string;
  readonly zero: T;
  readonly one: T;
  /** Every nonzero element is invertible. */
  readonly isField: boolean;
  isZero(a: T): boolean;
  isOne(a: T): boolean;
  eq(a: T, b: T): boolean;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  neg(a: T): T;
  mul(a: T, b: T): T;
  /** Exact division; throws DomainError when b = 0 or (outside a field) b does not divide a. */
  div(a: T, b: T): T;
  fromInt(n: bigint | number): T;
  /** Embeds a rational; throws DomainError if the domain cannot hold it (ZZ and a non-integer). */
  fromRational(q: Rational): T;
  /** Whether the canonical text of a starts with a minus sign (the printer writes "- c" then). */
  isNegative(a: T): boolean;
  /** Whether a prints as one factor (needs no parentheses when it multiplies a monomial). */
  isAtomic(a: T): boolean;
  toString(a: T): string;
  toLatex(a: T): string;
  /** Value as a double, when the domain has one (QQ, ZZ); rational functions need a point, see their own API. */
  toNumber?(a: T): number;
}

/**
 * The integers, as bigint.
 *
 * @example
 * ```ts
 * import { ZZ } from '@holonomic-ntk/weyl-algebra';
 * ZZ.div(6n, 3n); // → 2n
 * ZZ.isField; // → false
 * ZZ.div(1n, 2n); // throws DomainError
 * ```
 */
export const ZZ: Domain<bigint> = {
  name: 'ZZ',
  zero: 0n,
  one: 1n,
  isField: false,
  isZero: (a) => a === 0n,
  isOne: (a) => a === 1n,
  eq: (a, b) => a === b,
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  neg: (a) => -a,
  mul: (a, b) => a * b,
  div(a, b) {
    if (b === 0n) throw new DomainError('division by zero in ZZ');
    const q = a / b;
    if (q * b !== a) throw new DomainError(`${b} does not divide ${a} in ZZ`);
    return q;
  },
  fromInt: (n) => (typeof n === 'bigint' ? n : BigInt(n)),
  fromRational(q) {
    if (!q.isInteger()) throw new DomainError(`${q} is not an integer`);
    return q.num;
  },
  isNegative: (a) => a < 0n,
  isAtomic: (a) => a >= 0n,
  toString: (a) => a.toString(),
  toLatex: (a) => a.toString(),
  toNumber: (a) => Number(a),
};

/**
 * The rationals, as Rational.
 *
 * @example
 * ```ts
 * import { QQ } from '@holonomic-ntk/weyl-algebra';
 * QQ.div(QQ.fromInt(1), QQ.fromInt(3)).toString(); // → '1/3'
 * QQ.isField; // → true
 * ```
 */
export const QQ: Domain<Rational> = {
  name: 'QQ',
  zero: Rational.ZERO,
  one: Rational.ONE,
  isField: true,
  isZero: (a) => a.num === 0n,
  isOne: (a) => a.num === 1n && a.den === 1n,
  eq: (a, b) => a.num === b.num && a.den === b.den,
  add: (a, b) => a.add(b),
  sub: (a, b) => a.sub(b),
  neg: (a) => a.neg(),
  mul: (a, b) => a.mul(b),
  div: (a, b) => a.div(b),
  fromInt: (n) => Rational.int(n),
  fromRational: (q) => q,
  isNegative: (a) => a.num < 0n,
  isAtomic: (a) => a.num >= 0n,
  toString: (a) => a.toString(),
  toLatex: (a) => a.toLatex(),
  toNumber: (a) => a.toNumber(),
};

/**
 * gcd of a list of integers (≥ 0).
 *
 * @example
 * ```ts
 * import { gcdList } from '@holonomic-ntk/weyl-algebra/internal';
 * gcdList([12n, 18n, 30n]); // → 6n
 * ```
 */
export function gcdList(values: Iterable<bigint>): bigint {
  let g = 0n;
  for (const v of values) {
    g = gcdBig(g, v);
    if (g === 1n) break;
  }
  return g;
}
