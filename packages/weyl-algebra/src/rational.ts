import { absBig, bitLength, gcdBig } from './bigintMath.ts';
import { DomainError } from './errors.ts';

/**
 * An exact rational number num/den with den > 0 and gcd(num, den) = 1, immutable.
 *
 * Addition and multiplication follow Henrici: the gcds are taken of the parts (denominators, cross pairs), never of
 * the full product, so the numbers stay small and the gcds cheap.
 *
 * @example
 * ```ts
 * import { Rational } from '@holonomic-ntk/weyl-algebra';
 * const q = Rational.of(3n, 4n).add(Rational.of(1n, 6n));
 * q.toString(); // → '11/12'
 * Rational.parse('2.5e-3'); // → Rational.of(1, 400)
 * Rational.fromNumber(0.375).toString(); // → '3/8'
 * Rational.of(1, 0); // throws DomainError
 * ```
 */
export class Rational {
  private constructor(
    readonly num: bigint,
    readonly den: bigint,
  ) {}

  static readonly ZERO = new Rational(0n, 1n);
  static readonly ONE = new Rational(1n, 1n);
  static readonly MINUS_ONE = new Rational(-1n, 1n);

  /** num/den in lowest terms; den must not be 0. */
  static of(num: bigint | number, den: bigint | number = 1n): Rational {
    let n = typeof num === 'bigint' ? num : Rational.intFromNumber(num);
    let d = typeof den === 'bigint' ? den : Rational.intFromNumber(den);
    if (d === 0n) throw new DomainError('rational number with denominator 0');
    if (d < 0n) {
      n = -n;
      d = -d;
    }
    if (d === 1n) return n === 0n ? Rational.ZERO : new Rational(n, 1n);
    const g = gcdBig(n, d);
    return g === 1n ? new Rational(n, d) : new Rational(n / g, d / g);
  }

  /** An integer as a rational. */
  static int(n: bigint | number): Rational {
    return new Rational(typeof n === 'bigint' ? n : Rational.intFromNumber(n), 1n);
  }

  /** The exact value of a finite double (every double is a dyadic rational). */
  static fromNumber(x: number): Rational {
    if (!Number.isFinite(x)) throw new DomainError(`cannot convert ${x} to an exact rational`);
    if (Number.isInteger(x)) return Rational.int(BigInt(x));
    // x = m · 2^e with m an odd integer: scale by powers of two until integral (at most 1074 steps, exact).
    let e = 0;
    let m = x;
    while (!Number.isInteger(m)) {
      m *= 2;
      e++;
    }
    return Rational.of(BigInt(m), 1n << BigInt(e));
  }

  /** Parses "-12", "3/4", "-7/2", "1.25", "2.5e-3" exactly. */
  static parse(text: string): Rational {
    const s = text.trim();
    const frac = /^([+-]?\d+)\s*\/\s*([+-]?\d+)$/.exec(s);
    if (frac) return Rational.of(BigInt(frac[1]!), BigInt(frac[2]!));
    const dec = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
    if (dec && (dec[2] || dec[3])) {
      const digits = (dec[2] ?? '') + (dec[3] ?? '');
      let n = BigInt(digits === '' ? '0' : digits);
      if (dec[1] === '-') n = -n;
      const exp = Number(dec[4] ?? '0') - (dec[3]?.length ?? 0);
      return exp >= 0 ? Rational.of(n * 10n ** BigInt(exp)) : Rational.of(n, 10n ** BigInt(-exp));
    }
    throw new DomainError(`not a rational number: "${text}"`);
  }

  private static intFromNumber(x: number): bigint {
    if (!Number.isSafeInteger(x)) throw new DomainError(`${x} is not a safe integer; pass a bigint`);
    return BigInt(x);
  }

  isZero(): boolean {
    return this.num === 0n;
  }
  isOne(): boolean {
    return this.num === 1n && this.den === 1n;
  }
  isInteger(): boolean {
    return this.den === 1n;
  }
  sign(): -1 | 0 | 1 {
    return this.num < 0n ? -1 : this.num > 0n ? 1 : 0;
  }

  eq(b: Rational): boolean {
    return this.num === b.num && this.den === b.den;
  }

  /** Exact comparison: -1, 0 or 1. */
  cmp(b: Rational): -1 | 0 | 1 {
    if (this.den === b.den) return this.num < b.num ? -1 : this.num > b.num ? 1 : 0;
    const l = this.num * b.den;
    const r = b.num * this.den;
    return l < r ? -1 : l > r ? 1 : 0;
  }

  neg(): Rational {
    return this.num === 0n ? this : new Rational(-this.num, this.den);
  }

  abs(): Rational {
    return this.num < 0n ? new Rational(-this.num, this.den) : this;
  }

  add(b: Rational): Rational {
    const a = this;
    if (a.num === 0n) return b;
    if (b.num === 0n) return a;
    if (a.den === 1n && b.den === 1n) return new Rational(a.num + b.num, 1n);
    // Henrici: g = gcd(d1, d2); t = n1·(d2/g) + n2·(d1/g); the result's gcd can only divide g.
    const g = gcdBig(a.den, b.den);
    if (g === 1n) return new Rational(a.num * b.den + b.num * a.den, a.den * b.den);
    const d1g = a.den / g;
    const t = a.num * (b.den / g) + b.num * d1g;
    if (t === 0n) return Rational.ZERO;
    const g2 = gcdBig(t, g);
    return g2 === 1n ? new Rational(t, d1g * b.den) : new Rational(t / g2, d1g * (b.den / g2));
  }

  sub(b: Rational): Rational {
    return this.add(b.neg());
  }

  mul(b: Rational): Rational {
    const a = this;
    if (a.num === 0n || b.num === 0n) return Rational.ZERO;
    if (a.den === 1n && b.den === 1n) return new Rational(a.num * b.num, 1n);
    // Henrici: cancel across (n1, d2) and (n2, d1) before multiplying.
    const g1 = gcdBig(a.num, b.den);
    const g2 = gcdBig(b.num, a.den);
    const n = (g1 === 1n ? a.num : a.num / g1) * (g2 === 1n ? b.num : b.num / g2);
    const d = (g2 === 1n ? a.den : a.den / g2) * (g1 === 1n ? b.den : b.den / g1);
    return new Rational(n, d);
  }

  inv(): Rational {
    if (this.num === 0n) throw new DomainError('division by zero (inverse of 0)');
    return this.num < 0n ? new Rational(-this.den, -this.num) : new Rational(this.den, this.num);
  }

  div(b: Rational): Rational {
    if (b.num === 0n) throw new DomainError('division by zero');
    return this.mul(b.inv());
  }

  /** this^k for an integer k (negative k inverts). */
  pow(k: number): Rational {
    if (!Number.isInteger(k)) throw new DomainError(`exponent ${k} is not an integer`);
    if (k < 0) return this.inv().pow(-k);
    const kk = BigInt(k);
    return new Rational(this.num ** kk, this.den ** kk);
  }

  /** Multiply by the integer n. */
  mulInt(n: bigint): Rational {
    if (n === 0n || this.num === 0n) return Rational.ZERO;
    const g = gcdBig(n, this.den);
    return new Rational(this.num * (n / g), this.den / g);
  }

  floor(): bigint {
    const q = this.num / this.den;
    return this.num < 0n && q * this.den !== this.num ? q - 1n : q;
  }

  /**
   * The double nearest to this rational (round half to even), finite whenever the value is within the double
   * range however large numerator and denominator are; subnormals are rounded once, not twice.
   */
  toNumber(): number {
    const n = this.num;
    const d = this.den;
    if (n === 0n) return 0;
    const a = absBig(n);
    if (a <= 9007199254740992n && d <= 9007199254740992n) return Number(n) / Number(d); // both exact: one IEEE rounding
    // Exponent E with 2^E ≤ a/d < 2^(E+1).
    let E = bitLength(a) - bitLength(d);
    if (E >= 0 ? a < d << BigInt(E) : a << BigInt(-E) < d) E--;
    if (E > 1023) return n < 0n ? -Infinity : Infinity;
    // Quantum of the result: 53 significant bits, or the fixed subnormal quantum 2^-1074.
    const ulp = Math.max(E - 52, -1074);
    const scaledNum = ulp <= 0 ? a << BigInt(-ulp) : a;
    const scaledDen = ulp <= 0 ? d : d << BigInt(ulp);
    let q = scaledNum / scaledDen;
    const r2 = (scaledNum - q * scaledDen) * 2n;
    if (r2 > scaledDen || (r2 === scaledDen && (q & 1n) === 1n)) q += 1n;
    // q ≤ 2^53 is exact as a double; scaling by a power of two is exact unless it overflows (then ±Infinity is right).
    const v = Number(q) * pow2(ulp);
    return n < 0n ? -v : v;
  }

  toString(): string {
    return this.den === 1n ? this.num.toString() : `${this.num}/${this.den}`;
  }

  toLatex(): string {
    if (this.den === 1n) return this.num.toString();
    const s = `\\frac{${absBig(this.num)}}{${this.den}}`;
    return this.num < 0n ? `-${s}` : s;
  }
}

/** 2^e for integer e in [-1074, 1023], exactly (Math.pow may be off by an ulp on some engines for large |e|). */
function pow2(e: number): number {
  if (e >= -1022) return e <= 1023 ? 2 ** e : Infinity;
  return 2 ** (e + 1022) * 2 ** -1022;
}
