import fc from 'fast-check';
import Fraction from 'fraction.js';
import { describe, expect, it } from 'vitest';
import { DomainError, Rational } from '../src/index.ts';
import { gcdBig } from '../src/internal.ts';
import { bigRational } from './arbitraries.ts';

const RUNS = { numRuns: 1000 };

/** Naive reference: cross-multiply, then one gcd of the full result. */
function naive(n: bigint, d: bigint): [bigint, bigint] {
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcdBig(n, d) || 1n;
  return [n / g, d / g];
}

function nextUp(x: number): number {
  const buf = new DataView(new ArrayBuffer(8));
  if (x === 0) return Number.MIN_VALUE;
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  buf.setBigUint64(0, x > 0 ? bits + 1n : bits - 1n);
  return buf.getFloat64(0);
}
const nextDown = (x: number) => -nextUp(-x);

describe('Rational', () => {
  it('normalizes sign and lowest terms', () => {
    const q = Rational.of(6n, -4n);
    expect([q.num, q.den]).toEqual([-3n, 2n]);
    expect(Rational.of(0n, -7n).eq(Rational.ZERO)).toBe(true);
    expect(() => Rational.of(1n, 0n)).toThrow(DomainError);
  });

  it('Henrici add and mul agree with the naive formulas', () => {
    fc.assert(
      fc.property(bigRational, bigRational, (a, b) => {
        const s = a.add(b);
        expect([s.num, s.den]).toEqual(naive(a.num * b.den + b.num * a.den, a.den * b.den));
        const p = a.mul(b);
        expect([p.num, p.den]).toEqual(naive(a.num * b.num, a.den * b.den));
        expect(a.sub(b).add(b).eq(a)).toBe(true);
        if (!b.isZero()) expect(a.div(b).mul(b).eq(a)).toBe(true);
      }),
      RUNS,
    );
  });

  it('cmp is exact and consistent with sub', () => {
    fc.assert(
      fc.property(bigRational, bigRational, (a, b) => {
        expect(a.cmp(b)).toBe(a.sub(b).sign());
      }),
      RUNS,
    );
  });

  it('toNumber is correctly rounded (nearest, ties to even) for huge operands', () => {
    const operand = fc.bigInt({ min: 1n, max: 2n ** 1500n });
    fc.assert(
      fc.property(operand, operand, fc.boolean(), (n, d, neg) => {
        const q = Rational.of(neg ? -n : n, d);
        const x = q.toNumber();
        expect(Number.isFinite(x) || Math.abs(Number(q.floor())) > 1e308).toBe(true);
        if (!Number.isFinite(x)) return;
        const err = (y: number) => q.sub(Rational.fromNumber(y)).abs();
        const e = err(x);
        // No neighbour is closer; on an exact tie the even mantissa wins.
        for (const y of [nextUp(x), nextDown(x)]) {
          if (!Number.isFinite(y)) continue;
          const c = e.cmp(err(y));
          expect(c).toBeLessThanOrEqual(0);
        }
      }),
      RUNS,
    );
  });

  it('toNumber handles subnormals with a single rounding', () => {
    expect(Rational.of(1n, 10n ** 320n).toNumber()).toBe(1e-320);
    expect(Rational.of(1n, 2n ** 1074n).toNumber()).toBe(Number.MIN_VALUE);
    // Exactly half the smallest subnormal rounds to even, i.e. to 0; just above half rounds up.
    expect(Rational.of(1n, 2n ** 1075n).toNumber()).toBe(0);
    expect(Rational.of(2n ** 1076n + 1n, 2n ** 2151n).toNumber()).toBe(Number.MIN_VALUE);
    expect(Rational.of(10n ** 400n, 1n).toNumber()).toBe(Infinity);
    expect(Rational.of(10n ** 400n + 1n, 10n ** 399n).toNumber()).toBe(10);
  });

  it('fromNumber is exact and round-trips every finite double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(Rational.fromNumber(x).toNumber()).toBe(x === 0 ? 0 : x);
      }),
      RUNS,
    );
  });

  it('parses integers, fractions and decimals exactly', () => {
    expect(Rational.parse('-3/4').toString()).toBe('-3/4');
    expect(Rational.parse('6/-4').toString()).toBe('-3/2');
    expect(Rational.parse('1.25').toString()).toBe('5/4');
    expect(Rational.parse('2.5e-3').toString()).toBe('1/400');
    expect(() => Rational.parse('1/x')).toThrow(DomainError);
  });

  it('agrees with fraction.js on small values (independent implementation)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e6, max: 1e6 }),
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: -1e6, max: 1e6 }),
        fc.integer({ min: 1, max: 1e6 }),
        (a, b, c, d) => {
          const ours = Rational.of(a, b)
            .add(Rational.of(c, d))
            .mul(Rational.of(c + 1, d));
          const theirs = new Fraction(a, b).add(new Fraction(c, d)).mul(new Fraction(c + 1, d));
          expect(ours.num).toBe(BigInt(theirs.s) * BigInt(theirs.n));
          expect(ours.den).toBe(BigInt(theirs.d));
        },
      ),
      RUNS,
    );
  });

  it('pow, floor, LaTeX', () => {
    expect(Rational.of(-2n, 3n).pow(3).toString()).toBe('-8/27');
    expect(Rational.of(-2n, 3n).pow(-2).toString()).toBe('9/4');
    expect(Rational.of(-7n, 2n).floor()).toBe(-4n);
    expect(Rational.of(7n, 2n).floor()).toBe(3n);
    expect(Rational.of(-3n, 4n).toLatex()).toBe('-\\frac{3}{4}');
  });
});

describe('gcdBig (Lehmer for large operands)', () => {
  /** Plain Euclid as the reference. */
  const euclid = (a: bigint, b: bigint) => {
    a = a < 0n ? -a : a;
    b = b < 0n ? -b : b;
    while (b !== 0n) [a, b] = [b, a % b];
    return a;
  };
  it('agrees with Euclid on random operands of up to 4000 bits, with and without a planted common factor', () => {
    const big = fc.bigInt({ min: -(2n ** 4000n), max: 2n ** 4000n });
    fc.assert(
      fc.property(big, big, fc.bigInt({ min: 1n, max: 2n ** 500n }), (a, b, g) => {
        expect(gcdBig(a, b)).toBe(euclid(a, b));
        expect(gcdBig(a * g, b * g)).toBe(euclid(a * g, b * g));
      }),
      { numRuns: 1000 },
    );
  });
});
