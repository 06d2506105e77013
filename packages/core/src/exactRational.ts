/**
 * Exact rationals on BigInt for the numeric side (see {@link ExactRational}).
 */

export function bigAbs(a: bigint): bigint {
  return a < 0n ? -a : a;
}

export function bigGcd(a: bigint, b: bigint): bigint {
  a = bigAbs(a);
  b = bigAbs(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function bitLength(a: bigint): number {
  return bigAbs(a).toString(2).length;
}

/** m·2^e as a float64, also for |e| beyond the range of 2^e. */
export function scaleByPowerOfTwo(x: number, e: number): number {
  while (e > 1000) {
    x *= 2 ** 1000;
    e -= 1000;
  }
  while (e < -1000) {
    x *= 2 ** -1000;
    e += 1000;
  }
  return x * 2 ** e;
}

/**
 * An exact rational number n/d in lowest terms, d > 0, on BigInt: the small exact arithmetic that core's numeric
 * formulas (symbolic σ̇, constant folding) and hgm-runtime's Hermite recurrence need without the algebra packages
 * (weyl-algebra's `Rational` is the CAS's own).
 *
 * @example
 * ```ts
 * import { ExactRational } from '@holonomic-ntk/core';
 * const x = ExactRational.of(6n, -4n);
 * x.toString(); // → '-3/2'
 * x.add(ExactRational.ONE).mul(ExactRational.of(4n)).toString(); // → '-2'
 * x.pow(-2).toString(); // → '4/9'
 * ExactRational.of(1n, 3n).toNumber(); // → 1 / 3
 * ```
 */
export class ExactRational {
  private constructor(
    readonly n: bigint,
    readonly d: bigint,
  ) {}

  /** n/d reduced (d ≠ 0). */
  static of(n: bigint, d = 1n): ExactRational {
    if (d < 0n) {
      n = -n;
      d = -d;
    }
    const g = bigGcd(n, d);
    return g === 1n || g === 0n ? new ExactRational(n, d) : new ExactRational(n / g, d / g);
  }

  static readonly ZERO = ExactRational.of(0n);
  static readonly ONE = ExactRational.of(1n);

  isZero(): boolean {
    return this.n === 0n;
  }
  isInteger(): boolean {
    return this.d === 1n;
  }
  sign(): number {
    return this.n > 0n ? 1 : this.n < 0n ? -1 : 0;
  }
  add(b: ExactRational): ExactRational {
    return ExactRational.of(this.n * b.d + b.n * this.d, this.d * b.d);
  }
  sub(b: ExactRational): ExactRational {
    return ExactRational.of(this.n * b.d - b.n * this.d, this.d * b.d);
  }
  mul(b: ExactRational): ExactRational {
    return ExactRational.of(this.n * b.n, this.d * b.d);
  }
  div(b: ExactRational): ExactRational {
    return ExactRational.of(this.n * b.d, this.d * b.n);
  }
  /** 1/this (this ≠ 0). */
  inv(): ExactRational {
    return ExactRational.of(this.d, this.n);
  }
  neg(): ExactRational {
    return new ExactRational(-this.n, this.d);
  }
  /** this^k for an integer k (this ≠ 0 when k < 0). */
  pow(k: number): ExactRational {
    const e = BigInt(Math.abs(k));
    return k >= 0 ? new ExactRational(this.n ** e, this.d ** e) : ExactRational.of(this.d ** e, this.n ** e);
  }
  toNumber(): number {
    const a = bigAbs(this.n);
    if (a < 2n ** 53n && this.d < 2n ** 53n) return Number(this.n) / Number(this.d); // one rounding
    const shift = 64 - (bitLength(a) - bitLength(this.d));
    const q = shift >= 0 ? (this.n << BigInt(shift)) / this.d : this.n / (this.d << BigInt(-shift));
    return scaleByPowerOfTwo(Number(q), -shift);
  }
  toString(): string {
    return this.d === 1n ? `${this.n}` : `${this.n}/${this.d}`;
  }
}
