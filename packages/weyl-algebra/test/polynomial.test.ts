import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DomainError,
  PolyRing,
  QQ,
  Rational,
  ZZ,
  blockOrder,
  grevlex,
  grlex,
  lex,
  matrixOrder,
  orderByName,
  weightOrder,
  type MonomialOrder,
} from '../src/index.ts';
import { contentZZ, exactQuotient, integerPrimitive, primitivePartZZ } from '../src/internal.ts';
import { randomElement, smallRational } from './arbitraries.ts';

const RUNS = { numRuns: 1000 };
const R = new PolyRing(QQ, ['x', 'y', 'z']);
const mono3 = fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 3, maxLength: 3 });

describe('term orders', () => {
  const orders: MonomialOrder[] = [
    lex,
    grlex,
    grevlex,
    weightOrder([1, 2, 3]),
    weightOrder([0, 0, 1], lex),
    blockOrder([
      [1, lex],
      [2, grevlex],
    ]),
    matrixOrder([
      [1, 1, 1],
      [0, 0, -1],
      [0, -1, 0],
    ]),
  ];
  it.each(orders.map((o) => [o.name, o] as const))('%s is a total, multiplicative, global order', (_n, o) => {
    fc.assert(
      fc.property(mono3, mono3, mono3, (a, b, c) => {
        const ab = Math.sign(o.compare(a, b));
        expect(Math.sign(o.compare(b, a))).toBe(-ab || 0);
        if (ab === 0) expect(a).toEqual(b);
        // Compatible with multiplication: a ≻ b ⇒ ac ≻ bc.
        const ac = a.map((e, i) => e + c[i]!);
        const bc = b.map((e, i) => e + c[i]!);
        expect(Math.sign(o.compare(ac, bc))).toBe(ab);
        // Global: 1 ≼ every monomial.
        expect(o.compare(a, [0, 0, 0])).toBeGreaterThanOrEqual(0);
        expect(o.isGlobal).toBe(true);
      }),
      RUNS,
    );
  });

  it.each([lex, grlex, grevlex, weightOrder([2, -1, 3]), weightOrder([0, 1, 1], lex)].map((o) => [o.name, o] as const))(
    'the linear sort key of %s agrees with compare within its bounds',
    (_n, o) => {
      const bounds = [6, 6, 6];
      const key = o.linearKey!(bounds)!;
      const k = (m: number[]) => key.offset + m.reduce((s, e, i) => s + e * key.weights[i]!, 0);
      fc.assert(
        fc.property(mono3, mono3, (a, b) => {
          expect(Math.sign(k(a) - k(b))).toBe(Math.sign(o.compare(a, b)));
          expect(k(a)).toBeGreaterThanOrEqual(0);
          expect(k(a)).toBeLessThan(key.range);
        }),
        RUNS,
      );
    },
  );

  it.each(
    [
      lex,
      grlex,
      grevlex,
      weightOrder([2, -1, 3]),
      weightOrder([0, 1, 1], lex),
      blockOrder([
        [1, grevlex],
        [2, lex],
      ]),
      blockOrder([
        [2, weightOrder([1, 3])],
        [1, grevlex],
      ]),
    ].map((o) => [o.name, o] as const),
  )('the rows of %s are a matrix order equal to compare, and they separate monomials', (_n, o) => {
    const rows = o.rows!(3)!;
    const value = (m: number[]) => rows.map((r) => r.reduce((s, e, i) => s + e * m[i]!, 0));
    const lexSign = (a: number[], b: number[]) => {
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return Math.sign(a[i]! - b[i]!);
      return 0;
    };
    fc.assert(
      fc.property(mono3, mono3, (a, b) => {
        expect(lexSign(value(a), value(b))).toBe(Math.sign(o.compare(a, b)));
        if (a.some((e, i) => e !== b[i])) expect(lexSign(value(a), value(b))).not.toBe(0);
      }),
      RUNS,
    );
    // Another length than the order was built for: no rows (the weight vector has 3 entries).
    if (o.name.startsWith('weight') || o.name.startsWith('block')) expect(o.rows!(4)).toBeNull();
  });

  it('grevlex and lex on the textbook examples', () => {
    // grevlex: x y² z ... x³ ≻ x²y? same degree; revlex compares last variable: smaller z wins.
    expect(grevlex.compare([1, 1, 1], [0, 3, 0])).toBeLessThan(0); // xyz ≺ y³ (z-degree 1 > 0)
    expect(lex.compare([1, 0, 0], [0, 5, 5])).toBeGreaterThan(0);
    expect(grlex.compare([1, 1, 1], [0, 3, 0])).toBeGreaterThan(0);
    expect(orderByName('degrevlex')).toBe(grevlex);
    expect(() => orderByName('nope')).toThrow(/unknown term order/);
    expect(weightOrder([-1, 1]).isGlobal).toBe(false);
    expect(
      matrixOrder([
        [-1, 0],
        [0, 1],
      ]).isGlobal,
    ).toBe(false);
  });
});

describe('polynomials over QQ', () => {
  const el = randomElement(R, 5, 4);
  const [x, y, z] = R.gens() as [ReturnType<typeof R.gen>, ReturnType<typeof R.gen>, ReturnType<typeof R.gen>];

  it('ring laws', () => {
    fc.assert(
      fc.property(el, el, el, (a, b, c) => {
        expect(R.eq(R.mul(a, R.mul(b, c)), R.mul(R.mul(a, b), c))).toBe(true);
        expect(R.eq(R.mul(a, b), R.mul(b, a))).toBe(true);
        expect(R.eq(R.mul(a, R.add(b, c)), R.add(R.mul(a, b), R.mul(a, c)))).toBe(true);
        expect(R.isZero(R.sub(a, a))).toBe(true);
      }),
      RUNS,
    );
  });

  it('terms stay sorted by the ring order', () => {
    fc.assert(
      fc.property(el, el, (a, b) => {
        for (const p of [R.add(a, b), R.mul(a, b), R.diff(R.mul(a, b), 1)]) {
          for (let i = 1; i < p.monos.length; i++) expect(R.order.compare(p.monos[i - 1]!, p.monos[i]!)).toBeGreaterThan(0);
        }
      }),
      RUNS,
    );
  });

  it('exact division recovers a factor and rejects a non-divisor', () => {
    fc.assert(
      fc.property(el, el, (a, b) => {
        if (R.isZero(b)) return;
        expect(R.eq(R.divExact(R.mul(a, b), b), a)).toBe(true);
        const { quotient, remainder } = R.divRem(a, b);
        expect(R.eq(R.add(R.mul(quotient, b), remainder), a)).toBe(true);
      }),
      RUNS,
    );
    expect(() => R.divExact(R.add(x, R.one), y)).toThrow(DomainError);
  });

  it('derivative: Leibniz rule, and evaluation is a ring map', () => {
    const pt = fc.array(smallRational, { minLength: 3, maxLength: 3 });
    fc.assert(
      fc.property(el, el, pt, (a, b, p) => {
        const lhs = R.diff(R.mul(a, b), 'y');
        const rhs = R.add(R.mul(R.diff(a, 'y'), b), R.mul(a, R.diff(b, 'y')));
        expect(R.eq(lhs, rhs)).toBe(true);
        expect(R.evaluate(R.mul(a, b), p).eq(R.evaluate(a, p).mul(R.evaluate(b, p)))).toBe(true);
        const exact = R.evaluate(a, p).toNumber();
        const float = R.evaluateNumber(
          a,
          p.map((q) => q.toNumber()),
        );
        expect(Math.abs(exact - float)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(exact)));
      }),
      RUNS,
    );
  });

  it('substitution composes with evaluation', () => {
    const pt = fc.array(smallRational, { minLength: 3, maxLength: 3 });
    fc.assert(
      fc.property(el, randomElement(R, 3, 2), pt, (a, q, p) => {
        const s = R.substitute(a, 'x', q);
        const p2 = [R.evaluate(q, p), p[1]!, p[2]!];
        expect(R.evaluate(s, p).eq(R.evaluate(a, p2))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('(x+y+z+1)^4 has 35 terms and the multinomial coefficients', () => {
    const p = R.pow(R.add(R.add(x, y), R.add(z, R.one)), 4);
    expect(p.length).toBe(35);
    expect(R.evaluate(p, [Rational.ONE, Rational.ONE, Rational.ONE]).toString()).toBe('256');
    expect(R.leadingMonomial(p)).toEqual([4, 0, 0]);
  });
});

describe('content over ZZ and QQ', () => {
  const Z = new PolyRing(ZZ, ['x', 'y']);
  const Q = new PolyRing(QQ, ['x', 'y']);
  it('p = content · primitive part with a positive leading coefficient', () => {
    const p = Z.fromTerms(
      [
        [2, 0],
        [0, 1],
        [0, 0],
      ],
      [-6n, 9n, 3n],
    );
    expect(contentZZ(p)).toBe(-3n);
    const pp = primitivePartZZ(Z, p);
    expect(pp.coeffs).toEqual([2n, -3n, -1n]);
  });
  it('integerPrimitive splits a rational polynomial exactly', () => {
    fc.assert(
      fc.property(randomElement(Q, 5, 3), (p) => {
        const { scale, prim } = integerPrimitive(Q, p);
        const back = Q.scale(
          Q.fromTerms(
            prim.monos,
            prim.coeffs.map((c) => Rational.int(c)),
          ),
          scale,
        );
        expect(Q.eq(back, p)).toBe(true);
        if (prim.coeffs.length) expect(prim.coeffs[0]! > 0n).toBe(true);
      }),
      RUNS,
    );
  });
});

describe('fromTerms shortcut for sorted input, exactQuotient', () => {
  const RZ = new PolyRing(ZZ, ['x', 'y', 'z']);
  const intPoly = fc
    .array(fc.tuple(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 }), fc.integer({ min: -9, max: 9 })), { maxLength: 6 })
    .map((ts) =>
      RZ.fromTerms(
        ts.map((t) => t[0]),
        ts.map((t) => BigInt(t[1])),
      ),
    );

  it('sorted, shuffled, repeated or zero-coefficient terms all give the accumulated polynomial', () => {
    fc.assert(
      fc.property(randomElement(R, 6), fc.array(fc.nat(), { maxLength: 6 }), (p, perm) => {
        // Already sorted: returned as is, and still a fresh polynomial.
        expect(R.eq(R.fromTerms(p.monos, p.coeffs), p)).toBe(true);
        const monos = p.monos.slice();
        const coeffs = p.coeffs.slice();
        perm.forEach((k, i) => {
          if (monos.length < 2) return;
          const a = i % monos.length;
          const b = k % monos.length;
          [monos[a], monos[b]] = [monos[b]!, monos[a]!];
          [coeffs[a], coeffs[b]] = [coeffs[b]!, coeffs[a]!];
        });
        expect(R.eq(R.fromTerms(monos, coeffs), p)).toBe(true);
        // A zero coefficient or a repeated monomial goes through the accumulator.
        expect(R.eq(R.fromTerms([...p.monos, [9, 9, 9]], [...p.coeffs, Rational.ZERO]), p)).toBe(true);
        if (p.monos.length > 0) expect(R.eq(R.fromTerms([...p.monos, p.monos[0]!], [...p.coeffs, p.coeffs[0]!]), R.add(p, R.leadingTerm(p)))).toBe(true);
      }),
      RUNS,
    );
  });

  it('exactQuotient(p·q, q) = p, and a quotient, when given, is exact', () => {
    fc.assert(
      fc.property(intPoly, intPoly, intPoly, (p, q, r) => {
        if (q.monos.length === 0) {
          expect(exactQuotient(RZ, p, q)).toBeUndefined();
          return;
        }
        expect(RZ.eq(exactQuotient(RZ, RZ.mul(p, q), q)!, p)).toBe(true);
        const s = RZ.add(RZ.mul(p, q), r);
        const t = exactQuotient(RZ, s, q);
        if (t) expect(RZ.eq(RZ.mul(t, q), s)).toBe(true);
        // Over Q the division is exact iff the remainder vanishes; over Z a quotient also needs integer coefficients.
        const rem = R.divRem(
          R.fromTerms(
            s.monos,
            s.coeffs.map((c) => Rational.int(c)),
          ),
          R.fromTerms(
            q.monos,
            q.coeffs.map((c) => Rational.int(c)),
          ),
        ).remainder;
        if (rem.monos.length > 0) expect(t).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});
