import { gcdBig } from './bigintMath.ts';
import { type Domain, QQ, ZZ } from './domain.ts';
import { DomainError } from './errors.ts';
import { grevlex, type MonomialOrder } from './monomialOrder.ts';
import { Poly, PolyRing } from './polynomial.ts';
import { cofactorsQQ } from './polynomialGcd.ts';
import { polyToLatex, polyToText } from './polyText.ts';
import type { Rational } from './rational.ts';

const COMPACT = { compact: true };

/** Only the field builds elements, so every element is in normal form. */
const FIELD_ONLY = Symbol('RationalFunctionField');

/**
 * An element num/den of Q(x1..xn), immutable and always in normal form: gcd(num, den) = 1, den monic (leading
 * coefficient 1 under the field's term order), zero is 0/1. The normal form is canonical, so two elements are
 * equal exactly when their numerators and denominators are equal term by term. Build elements with the field.
 *
 * @example
 * ```ts
 * import { RationalFunction, RationalFunctionField } from '@holonomic-ntk/weyl-algebra';
 * const F = new RationalFunctionField(['x', 'y']);
 * const f = F.div(F.gen('x'), F.add(F.gen('y'), F.one));
 * f instanceof RationalFunction; // → true
 * f.toString(); // → 'x/(y+1)'
 * f.isZero(); // → false
 * ```
 */
export class RationalFunction {
  /** @internal Use the field (fromPolys, gen, add, ...): this constructor does not normalize. */
  constructor(
    readonly field: RationalFunctionField,
    readonly num: Poly<Rational>,
    readonly den: Poly<Rational>,
    token: typeof FIELD_ONLY,
  ) {
    if (token !== FIELD_ONLY) throw new DomainError('build rational functions with RationalFunctionField');
  }

  isZero(): boolean {
    return this.num.length === 0;
  }

  toString(): string {
    return this.field.toString(this);
  }

  toLatex(): string {
    return this.field.toLatex(this);
  }
}

/**
 * The field Q(x1..xn) of rational functions, as a Domain so that polynomial rings and Weyl algebras can use it as
 * coefficients.
 *
 * Arithmetic keeps the normal form with as little gcd work as it can (Henrici): sums take the gcd of the
 * denominators and then only of the result with that gcd, products cancel numerator against the other factor's
 * denominator crosswise; equal denominators and polynomial operands skip gcds that are known to be 1.
 *
 * @example
 * ```ts
 * import { RationalFunctionField } from '@holonomic-ntk/weyl-algebra';
 * const F = new RationalFunctionField(['x11', 'x12']);
 * const [a, b] = [F.gen('x11'), F.gen('x12')];
 * F.toString(F.div(F.neg(b), F.mul(F.fromInt(2), a))); // → '-x12/(2*x11)'
 * F.toString(F.diff(F.inv(a), 'x11')); // → '-1/x11^2'
 * ```
 */
export class RationalFunctionField implements Domain<RationalFunction> {
  readonly name: string;
  readonly isField = true;
  readonly zero: RationalFunction;
  readonly one: RationalFunction;
  readonly vars: readonly string[];
  private readonly ring: PolyRing<Rational>;

  constructor(vars: readonly string[], order: MonomialOrder = grevlex) {
    this.ring = new PolyRing(QQ, vars, order);
    this.vars = this.ring.vars.slice();
    this.name = `QQ(${this.vars.join(',')})`;
    this.zero = this.make(this.ring.zero, this.ring.one);
    this.one = this.make(this.ring.one, this.ring.one);
  }

  /** The polynomial ring Q[x1..xn] that numerators and denominators live in. */
  get polyRing(): PolyRing<Rational> {
    return this.ring;
  }

  /** Wraps a pair the caller has already normalized. */
  private make(num: Poly<Rational>, den: Poly<Rational>): RationalFunction {
    return new RationalFunction(this, num, den, FIELD_ONLY);
  }

  /** The variable x_i (by name or index). */
  gen(v: string | number): RationalFunction {
    return this.make(this.ring.gen(v), this.ring.one);
  }

  gens(): RationalFunction[] {
    return this.vars.map((_, i) => this.gen(i));
  }

  /** A polynomial of {@link polyRing} as a rational function. */
  fromPoly(p: Poly<Rational>): RationalFunction {
    return this.make(p, this.ring.one);
  }

  /** num/den in normal form; DomainError when den = 0. */
  fromPolys(num: Poly<Rational>, den: Poly<Rational>): RationalFunction {
    if (den.length === 0) throw new DomainError('rational function with denominator 0');
    if (num.length === 0) return this.zero;
    if (this.isConstantPoly(den)) return this.make(this.ring.scale(num, den.coeffs[0]!.inv()), this.ring.one);
    const { ca, cb } = cofactorsQQ(this.ring, num, den);
    return this.monicDen(ca, cb);
  }

  fromInt(n: bigint | number): RationalFunction {
    return this.fromPoly(this.ring.fromInt(n));
  }

  fromRational(q: Rational): RationalFunction {
    return this.fromPoly(this.ring.constant(q));
  }

  isZero(a: RationalFunction): boolean {
    return a.num.length === 0;
  }

  isOne(a: RationalFunction): boolean {
    return this.hasUnitDen(a) && this.isConstantPoly(a.num) && a.num.coeffs[0]!.isOne();
  }

  /** Structural equality, which is equality of values because the normal form is canonical. */
  eq(a: RationalFunction, b: RationalFunction): boolean {
    return this.ring.eq(a.num, b.num) && this.ring.eq(a.den, b.den);
  }

  /** Whether a is a polynomial (denominator 1). */
  isPolynomial(a: RationalFunction): boolean {
    return this.hasUnitDen(a);
  }

  neg(a: RationalFunction): RationalFunction {
    return a.num.length === 0 ? a : this.make(this.ring.neg(a.num), a.den);
  }

  add(a: RationalFunction, b: RationalFunction): RationalFunction {
    const R = this.ring;
    if (a.num.length === 0) return b;
    if (b.num.length === 0) return a;
    const ua = this.hasUnitDen(a);
    const ub = this.hasUnitDen(b);
    if (ua && ub) return this.make(R.add(a.num, b.num), R.one);
    // n1 + n2/d2 = (n1·d2 + n2)/d2 is already reduced: a common factor of the sum and d2 would divide n2.
    if (ua) return this.make(R.add(R.mul(a.num, b.den), b.num), b.den);
    if (ub) return this.make(R.add(a.num, R.mul(b.num, a.den)), a.den);
    if (R.eq(a.den, b.den)) {
      const t = R.add(a.num, b.num);
      if (t.length === 0) return this.zero;
      const { ca, cb } = cofactorsQQ(R, t, a.den);
      return this.monicDen(ca, cb);
    }
    // Henrici: with d = gcd(d1, d2), d1 = d·e1, d2 = d·e2, the sum is t/(e1·e2·d) with t = n1·e2 + n2·e1, and a
    // common factor of t and the denominator can only divide d.
    const { gcd: d, ca: e1, cb: e2 } = cofactorsQQ(R, a.den, b.den);
    if (this.isConstantPoly(d)) return this.make(R.add(R.mul(a.num, b.den), R.mul(b.num, a.den)), R.mul(a.den, b.den));
    const t = R.add(R.mul(a.num, e2), R.mul(b.num, e1));
    if (t.length === 0) return this.zero;
    const { ca: num, cb: dq } = cofactorsQQ(R, t, d);
    return this.monicDen(num, R.mul(R.mul(e1, e2), dq));
  }

  sub(a: RationalFunction, b: RationalFunction): RationalFunction {
    return this.add(a, this.neg(b));
  }

  mul(a: RationalFunction, b: RationalFunction): RationalFunction {
    const R = this.ring;
    if (a.num.length === 0 || b.num.length === 0) return this.zero;
    // Cancel crosswise: n1 against d2 and n2 against d1; n1 and d1 (and n2, d2) are already coprime.
    let n1 = a.num;
    let d2 = b.den;
    if (!this.hasUnitDen(b) && !this.isConstantPoly(n1)) ({ ca: n1, cb: d2 } = cofactorsQQ(R, n1, d2));
    let n2 = b.num;
    let d1 = a.den;
    if (!this.hasUnitDen(a) && !this.isConstantPoly(n2)) ({ ca: n2, cb: d1 } = cofactorsQQ(R, n2, d1));
    return this.monicDen(R.mul(n1, n2), R.mul(d1, d2));
  }

  /** 1/a; DomainError for a = 0. */
  inv(a: RationalFunction): RationalFunction {
    if (a.num.length === 0) throw new DomainError('division by zero in ' + this.name);
    return this.monicDen(a.den, a.num);
  }

  div(a: RationalFunction, b: RationalFunction): RationalFunction {
    if (b.num.length === 0) throw new DomainError('division by zero in ' + this.name);
    return this.mul(a, this.inv(b));
  }

  /** a^k for any integer k (k < 0 inverts; 0^0 = 1). Powers of coprime polynomials stay coprime: no gcd. */
  pow(a: RationalFunction, k: number): RationalFunction {
    if (!Number.isInteger(k)) throw new DomainError(`exponent ${k} is not an integer`);
    if (k < 0) return this.pow(this.inv(a), -k);
    if (k === 0) return this.one;
    return this.make(this.ring.pow(a.num, k), this.ring.pow(a.den, k));
  }

  /** ∂a/∂v by the quotient rule, (n'd − n d')/d², with gcd(d, d') divided out before the final reduction. */
  diff(a: RationalFunction, v: string | number): RationalFunction {
    const R = this.ring;
    const dn = R.diff(a.num, v);
    if (this.hasUnitDen(a)) return this.make(dn, R.one);
    const dd = R.diff(a.den, v);
    if (dd.length === 0) return this.fromPolys(dn, a.den);
    const { ca: q, cb: qd } = cofactorsQQ(R, a.den, dd); // d = g·q, d' = g·qd
    return this.fromPolys(R.sub(R.mul(dn, q), R.mul(a.num, qd)), R.mul(a.den, q));
  }

  /** Value at a rational point; DomainError when the denominator vanishes there. */
  evaluate(a: RationalFunction, point: readonly Rational[]): Rational {
    const d = this.ring.evaluate(a.den, point);
    if (d.isZero()) throw new DomainError(`the denominator ${this.polyText(a.den)} vanishes at (${point.join(', ')})`);
    return this.ring.evaluate(a.num, point).div(d);
  }

  /** Value at a point of doubles (Infinity or NaN where the denominator vanishes). */
  evaluateNumber(a: RationalFunction, point: readonly number[]): number {
    return this.ring.evaluateNumber(a.num, point) / this.ring.evaluateNumber(a.den, point);
  }

  /** Whether the canonical text starts with a minus sign. */
  isNegative(a: RationalFunction): boolean {
    return a.num.length > 0 && a.num.coeffs[0]!.num < 0n && (this.hasUnitDen(a) || a.num.length === 1);
  }

  /** Whether the text is one factor: a single positive term, or a quotient with a non-negative text. */
  isAtomic(a: RationalFunction): boolean {
    return !this.isNegative(a) && (!this.hasUnitDen(a) || a.num.length <= 1);
  }

  /**
   * Canonical text: a polynomial prints as such (`3/4*x^2-y`); a fraction prints as N/D with integer N and D (the
   * rational scale folded in, `-x12/(2*x11)`), each in parentheses unless it is a single factor.
   */
  toString(a: RationalFunction): string {
    if (this.hasUnitDen(a)) return this.polyText(a.num);
    const { num, den } = integerPair(a.num, a.den);
    const n = polyToText(this.vars, ZZ, num, COMPACT);
    const d = polyToText(this.vars, ZZ, den, COMPACT);
    return `${num.length > 1 ? `(${n})` : n}/${isSingleFactor(den) ? d : `(${d})`}`;
  }

  toLatex(a: RationalFunction): string {
    if (this.hasUnitDen(a)) return polyToLatex(this.vars, QQ, a.num);
    const { num, den } = integerPair(a.num, a.den);
    const d = polyToLatex(this.vars, ZZ, den);
    if (this.isNegative(a))
      return `-\\frac{${polyToLatex(
        this.vars,
        ZZ,
        new Poly(
          num.monos,
          num.coeffs.map((c) => -c),
        ),
      )}}{${d}}`;
    return `\\frac{${polyToLatex(this.vars, ZZ, num)}}{${d}}`;
  }

  private polyText(p: Poly<Rational>): string {
    return polyToText(this.vars, QQ, p, COMPACT);
  }

  private isConstantPoly(p: Poly<Rational>): boolean {
    return p.length === 1 && p.monos[0]!.every((e) => e === 0);
  }

  /** den = 1 (the only constant denominator in normal form). */
  private hasUnitDen(a: RationalFunction): boolean {
    return this.isConstantPoly(a.den);
  }

  /** num/den for coprime num, den: scale so that den is monic. */
  private monicDen(num: Poly<Rational>, den: Poly<Rational>): RationalFunction {
    const lc = den.coeffs[0]!;
    if (lc.isOne()) return this.make(num, den);
    const s = lc.inv();
    return this.make(this.ring.scale(num, s), this.ring.scale(den, s));
  }
}

/** num/den rescaled to integer polynomials with no common integer factor (den stays positive-leading). */
function integerPair(num: Poly<Rational>, den: Poly<Rational>): { num: Poly<bigint>; den: Poly<bigint> } {
  let l = 1n;
  for (const c of [...num.coeffs, ...den.coeffs]) l = (l / gcdBig(l, c.den)) * c.den;
  const ni = num.coeffs.map((c) => c.num * (l / c.den));
  const di = den.coeffs.map((c) => c.num * (l / c.den));
  let g = 0n;
  for (const c of [...ni, ...di]) g = gcdBig(g, c);
  return {
    num: new Poly(
      num.monos,
      ni.map((c) => c / g),
    ),
    den: new Poly(
      den.monos,
      di.map((c) => c / g),
    ),
  };
}

/** A term that needs no parentheses after '/': coefficient 1 and a single variable power (x, x^2). */
function isSingleFactor(p: Poly<bigint>): boolean {
  if (p.length !== 1 || p.coeffs[0] !== 1n) return false;
  return p.monos[0]!.filter((e) => e > 0).length <= 1;
}
