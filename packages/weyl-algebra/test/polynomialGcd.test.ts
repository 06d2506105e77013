import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DomainError,
  PolyRing,
  QQ,
  Rational,
  ZZ,
  cofactorsQQ,
  cofactorsZZ,
  gcdQQ,
  gcdZZ,
  grevlex,
  lcmQQ,
  lex,
  weightOrder,
  type GcdPath,
  type Poly,
} from '../src/index.ts';
import { gcdBig, gcdInt, integerPrimitive, toRationalPoly } from '../src/internal.ts';

const RUNS = { numRuns: 1000 };

/** Small rings: 1–3 variables under several orders, including a weight order that is not a well-order. */
const rings: PolyRing<bigint>[] = [
  new PolyRing(ZZ, ['x']),
  new PolyRing(ZZ, ['x', 'y']),
  new PolyRing(ZZ, ['x', 'y'], lex),
  new PolyRing(ZZ, ['x', 'y', 'z']),
  new PolyRing(ZZ, ['x', 'y', 'z'], lex),
  new PolyRing(ZZ, ['x', 'y', 'z'], weightOrder([1, -1, 2], grevlex)),
];

function polyArb(R: PolyRing<bigint>, maxTerms: number, maxExp: number, maxCoeff: bigint): fc.Arbitrary<Poly<bigint>> {
  const mono = fc.array(fc.integer({ min: 0, max: maxExp }), { minLength: R.nvars, maxLength: R.nvars });
  return fc.array(fc.tuple(mono, fc.bigInt({ min: -maxCoeff, max: maxCoeff })), { minLength: 0, maxLength: maxTerms }).map((ts) =>
    R.fromTerms(
      ts.map((t) => t[0]),
      ts.map((t) => t[1]),
    ),
  );
}

/** A ring and polynomials in it, built by `make`. */
function inRing<T>(make: (R: PolyRing<bigint>) => fc.Arbitrary<T>): fc.Arbitrary<[PolyRing<bigint>, T]> {
  return fc.constantFrom(...rings).chain((R) => make(R).map((v) => [R, v] as [PolyRing<bigint>, T]));
}

const small = (R: PolyRing<bigint>) => polyArb(R, 4, 3, 9n);
const nonzero = (R: PolyRing<bigint>) => small(R).filter((p) => p.length > 0);

/** The associate with positive leading coefficient under the ring's order. */
function normalizeZ(R: PolyRing<bigint>, p: Poly<bigint>): Poly<bigint> {
  return p.length > 0 && p.coeffs[0]! < 0n ? R.neg(p) : p;
}

function isOneZ(R: PolyRing<bigint>, p: Poly<bigint>): boolean {
  return R.eq(p, R.one);
}

describe('gcdZZ properties', () => {
  it('the gcd divides both inputs, the cofactors are exact and coprime, the leading coefficient is positive', () => {
    fc.assert(
      fc.property(
        inRing((R) => fc.tuple(small(R), small(R), small(R))),
        ([R, [f, g, h]]) => {
          const a = R.mul(f, g);
          const b = R.mul(f, h);
          const { gcd, ca, cb } = cofactorsZZ(R, a, b);
          expect(R.eq(R.mul(gcd, ca), a)).toBe(true);
          expect(R.eq(R.mul(gcd, cb), b)).toBe(true);
          if (a.length === 0 && b.length === 0) {
            expect(gcd.length).toBe(0);
            return;
          }
          expect(gcd.coeffs[0]! > 0n).toBe(true);
          expect(isOneZ(R, gcdZZ(R, ca, cb))).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('gcd(f·g, f·h) = f·gcd(g, h), normalized', () => {
    fc.assert(
      fc.property(
        inRing((R) => fc.tuple(nonzero(R), small(R), small(R))),
        ([R, [f, g, h]]) => {
          const got = gcdZZ(R, R.mul(f, g), R.mul(f, h));
          expect(R.eq(got, normalizeZ(R, R.mul(f, gcdZZ(R, g, h))))).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('is symmetric and agrees with the modular fallback on its own', () => {
    fc.assert(
      fc.property(
        inRing((R) => fc.tuple(small(R), small(R), small(R))),
        ([R, [f, g, h]]) => {
          const a = R.mul(f, g);
          const b = R.mul(f, h);
          const ab = gcdZZ(R, a, b);
          expect(R.eq(gcdZZ(R, b, a), ab)).toBe(true);
          expect(R.eq(gcdZZ(R, a, b, { algorithm: 'modular' }), ab)).toBe(true);
          expect(R.eq(gcdZZ(R, a, b, { heuristicTries: 0 }), ab)).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('gcd(a, 0) = gcd(0, a) = a normalized, with cofactors ±1 and 0', () => {
    fc.assert(
      fc.property(
        inRing((R) => small(R)),
        ([R, a]) => {
          expect(R.eq(gcdZZ(R, a, R.zero), normalizeZ(R, a))).toBe(true);
          expect(R.eq(gcdZZ(R, R.zero, a), normalizeZ(R, a))).toBe(true);
          const { gcd, ca, cb } = cofactorsZZ(R, a, R.zero);
          expect(R.eq(R.mul(gcd, ca), a)).toBe(true);
          expect(cb.length).toBe(0);
        },
      ),
      RUNS,
    );
  });

  it('with large coefficients and a common factor of higher degree', () => {
    fc.assert(
      fc.property(
        inRing((R) => fc.tuple(polyArb(R, 6, 4, 10n ** 20n), polyArb(R, 5, 3, 99n), polyArb(R, 5, 3, 99n))),
        ([R, [f, g, h]]) => {
          const a = R.mul(f, g);
          const b = R.mul(f, h);
          const { gcd, ca, cb } = cofactorsZZ(R, a, b);
          expect(R.eq(R.mul(gcd, ca), a) && R.eq(R.mul(gcd, cb), b)).toBe(true);
          if (f.length > 0 && (g.length > 0 || h.length > 0)) R.divExact(gcd, f); // f divides the gcd
          if (a.length > 0 || b.length > 0) expect(isOneZ(R, gcdZZ(R, ca, cb))).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('gcdQQ properties', () => {
  const toQ = (p: Poly<bigint>) => toRationalPoly(p);
  const monicQ = (Q: PolyRing<Rational>, p: Poly<Rational>) => (p.length === 0 ? p : Q.scale(p, p.coeffs[0]!.inv()));
  const qRings = new Map(rings.map((R) => [R, new PolyRing(QQ, R.vars, R.order)]));

  it('agrees with gcdZZ up to a rational scale and is monic', () => {
    fc.assert(
      fc.property(
        inRing((R) => fc.tuple(small(R), small(R), small(R), fc.integer({ min: 1, max: 12 }), fc.integer({ min: -12, max: 12 }))),
        ([R, [f, g, h, s, t]]) => {
          const Q = qRings.get(R)!;
          // Scale by non-integers so the QQ path has to clear denominators.
          const a = Q.scale(toQ(R.mul(f, g)), Rational.of(s, 7));
          const b = t === 0 ? toQ(R.mul(f, h)) : Q.scale(toQ(R.mul(f, h)), Rational.of(5, t));
          const g1 = gcdQQ(Q, a, b);
          expect(Q.eq(g1, monicQ(Q, toQ(gcdZZ(R, R.mul(f, g), R.mul(f, h)))))).toBe(true);
          if (g1.length > 0) expect(g1.coeffs[0]!.isOne()).toBe(true);
          const c = cofactorsQQ(Q, a, b);
          expect(Q.eq(c.gcd, g1)).toBe(true);
          expect(Q.eq(Q.mul(c.gcd, c.ca), a) && Q.eq(Q.mul(c.gcd, c.cb), b)).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('lcm·gcd = a·b up to a scale, and both inputs divide the lcm', () => {
    fc.assert(
      fc.property(
        inRing((R) => fc.tuple(nonzero(R), nonzero(R), small(R))),
        ([R, [f, g, h]]) => {
          const Q = qRings.get(R)!;
          const a = toQ(R.mul(f, h));
          const b = toQ(R.mul(g, h));
          const l = lcmQQ(Q, a, b);
          expect(l.coeffs.length === 0 || l.coeffs[0]!.isOne()).toBe(true);
          if (h.length === 0) return;
          Q.divExact(l, a);
          Q.divExact(l, b);
          expect(Q.eq(monicQ(Q, Q.mul(l, gcdQQ(Q, a, b))), monicQ(Q, Q.mul(a, b)))).toBe(true);
        },
      ),
      RUNS,
    );
  });
});

describe('gcdZZ fixed cases', () => {
  const R = new PolyRing(ZZ, ['x', 'y', 'z']);
  const [x, y, z] = R.gens() as [Poly<bigint>, Poly<bigint>, Poly<bigint>];
  const c = (n: number | bigint) => R.fromInt(n);
  const sum = (...ps: Poly<bigint>[]) => ps.reduce((s, p) => R.add(s, p), R.zero);
  const paths = (a: Poly<bigint>, b: Poly<bigint>, options = {}) => {
    const seen: GcdPath[] = [];
    const g = gcdZZ(R, a, b, { ...options, onPath: (p) => seen.push(p) });
    return { g, seen };
  };

  it('edge cases: zeros, units, constants, monomials, integer content', () => {
    expect(gcdZZ(R, R.zero, R.zero).length).toBe(0);
    expect(R.eq(gcdZZ(R, c(-6), R.zero), c(6))).toBe(true);
    expect(R.eq(gcdZZ(R, c(12), c(-18)), c(6))).toBe(true);
    expect(R.eq(gcdZZ(R, R.mul(c(6), x), R.mul(c(4), R.mul(x, x))), R.mul(c(2), x))).toBe(true);
    expect(R.eq(gcdZZ(R, R.mul(R.pow(x, 3), y), R.mul(x, R.pow(y, 2))), R.mul(x, y))).toBe(true);
    expect(R.eq(gcdZZ(R, R.add(x, c(1)), R.add(y, c(1))), R.one)).toBe(true);
    expect(R.eq(gcdZZ(R, R.neg(R.add(x, y)), R.zero), R.add(x, y))).toBe(true);
    const { gcd, ca, cb } = cofactorsZZ(R, R.zero, R.zero);
    expect(gcd.length + ca.length + cb.length).toBe(0);
  });

  it('the sign follows the ring order: y^2 − x under grevlex, x − y^2 under lex', () => {
    const f = R.sub(x, R.mul(y, y));
    const a = R.mul(f, R.add(x, c(3)));
    const b = R.mul(f, R.sub(z, c(1)));
    expect(R.eq(gcdZZ(R, a, b), R.neg(f))).toBe(true);
    const L = R.withOrder(lex);
    expect(L.eq(gcdZZ(L, L.convert(a), L.convert(b)), L.convert(f))).toBe(true);
  });

  it('cyclotomic: gcd(x^60 − 1, x^42 − 1) = x^6 − 1, and in two variables', () => {
    const u = (n: number) => R.sub(R.pow(x, n), R.one);
    expect(R.eq(gcdZZ(R, u(60), u(42)), u(6))).toBe(true);
    const v = (n: number) => R.sub(R.pow(R.mul(x, y), n), R.pow(z, n));
    expect(R.eq(gcdZZ(R, v(12), v(18)), v(6))).toBe(true);
  });

  it('huge coefficients: a common factor with 60-digit coefficients', () => {
    const big = 10n ** 60n + 7n;
    const f = sum(R.mul(c(big), R.mul(x, y)), R.mul(c(-3n * big + 1n), z), c(big * big));
    const a = R.mul(f, sum(R.pow(x, 3), R.mul(c(5), y), c(-2)));
    const b = R.mul(f, sum(R.mul(c(7), R.mul(y, z)), R.pow(z, 2), x));
    expect(R.eq(gcdZZ(R, a, b), f)).toBe(true);
    expect(R.eq(gcdZZ(R, a, b, { algorithm: 'modular' }), f)).toBe(true);
  });

  it('coprime inputs end at the degree certificate, before any heuristic', () => {
    const a = sum(R.pow(x, 5), R.mul(c(3), R.mul(y, z)), c(1));
    const b = sum(R.pow(y, 4), R.mul(c(-2), R.mul(x, z)), c(7));
    const { g, seen } = paths(a, b);
    expect(R.eq(g, R.one)).toBe(true);
    expect(seen).toEqual(['certificate']);
  });

  it('a divisor of the other input is recognised from the certificate', () => {
    const f = sum(R.mul(x, y), R.mul(c(-2), z), c(3));
    const { g, seen } = paths(R.neg(f), R.mul(f, sum(x, z)));
    expect(R.eq(g, f)).toBe(true);
    expect(seen).toEqual(['certificate']);
  });

  it('the fallback takes over when the heuristic is not allowed any point, with the same answer', () => {
    const f = sum(R.mul(c(3), R.mul(x, R.pow(y, 2))), R.mul(c(-5), z), c(1));
    const a = R.mul(f, sum(R.pow(x, 2), y, c(-4)));
    const b = R.mul(f, sum(R.pow(z, 3), R.mul(c(2), x)));
    expect(paths(a, b).seen).toEqual(['heuristic']);
    const forced = paths(a, b, { heuristicTries: 0 });
    expect(forced.seen).toEqual(['modular']);
    expect(R.eq(forced.g, f)).toBe(true);
    expect(R.eq(paths(a, b, { algorithm: 'modular' }).g, f)).toBe(true);
  });

  it('the heuristic steps aside when its integers would be too long (3 variables, degree 20)', () => {
    // f, g, h dense of degree 10: evaluating all variables would need integers of ~10^5 bits.
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
    const dense = (deg: number) => {
      const monos: number[][] = [];
      const coeffs: bigint[] = [];
      for (let i = 0; i <= deg; i++)
        for (let j = 0; i + j <= deg; j++)
          for (let k = 0; i + j + k <= deg; k++) {
            monos.push([i, j, k]);
            coeffs.push(BigInt(Math.floor(rnd() * 19) - 9));
          }
      return R.fromTerms(monos, coeffs);
    };
    const f = normalizeZ(R, dense(10));
    const a = R.mul(f, dense(10));
    const b = R.mul(f, dense(10));
    const { g, seen } = paths(a, b);
    expect(seen).toEqual(['modular']);
    expect(R.eq(g, f)).toBe(true);
  });

  it('values with a fixed common divisor (x^2 + x is always even) do not fool it', () => {
    // gcd(a(ξ), b(ξ)) carries a spurious factor 2 (or more) at every integer ξ.
    const e = R.add(R.mul(x, x), x);
    const a = R.mul(R.mul(e, R.add(x, c(2))), R.add(R.mul(x, R.mul(x, x)), c(3)));
    const b = R.mul(R.mul(R.add(x, c(2)), sum(R.mul(x, x), R.mul(c(-1), x), c(2))), sum(R.pow(x, 4), c(-2)));
    expect(R.eq(gcdZZ(R, a, b), R.add(x, c(2)))).toBe(true);
    expect(R.eq(gcdZZ(R, a, b, { algorithm: 'modular' }), R.add(x, c(2)))).toBe(true);
  });

  it('works under an order that is not a well-order (no division by the ring order)', () => {
    const W = new PolyRing(ZZ, ['x', 'y', 'z'], weightOrder([-1, 1, 0], grevlex));
    const f = W.convert(sum(x, R.mul(c(2), R.pow(y, 2)), c(-1)));
    const a = W.mul(f, W.convert(sum(z, c(5))));
    const b = W.mul(f, W.convert(sum(R.pow(x, 3), y)));
    const got = gcdZZ(W, a, b);
    expect(W.eq(got, normalizeZ(W, f))).toBe(true);
  });

  it('refuses rings over other domains', () => {
    const Q = new PolyRing(QQ, ['x']);
    expect(() => gcdZZ(Q as unknown as PolyRing<bigint>, Q.one as unknown as Poly<bigint>, Q.one as unknown as Poly<bigint>)).toThrow(DomainError);
  });

  it('QQ: monic gcd, cofactors, lcm of simple inputs', () => {
    const Q = new PolyRing(QQ, ['x', 'y']);
    const [X, Y] = Q.gens() as [Poly<Rational>, Poly<Rational>];
    const half = Rational.of(1, 2);
    const a = Q.scale(Q.mul(Q.sub(X, Y), Q.add(X, Q.one)), Rational.of(-3, 4));
    const b = Q.scale(Q.mul(Q.sub(X, Y), Y), half);
    expect(Q.eq(gcdQQ(Q, a, b), Q.sub(X, Y))).toBe(true);
    const { ca, cb } = cofactorsQQ(Q, a, b);
    expect(Q.eq(ca, Q.scale(Q.add(X, Q.one), Rational.of(-3, 4)))).toBe(true);
    expect(Q.eq(cb, Q.scale(Y, half))).toBe(true);
    expect(Q.eq(lcmQQ(Q, a, b), Q.mul(Q.mul(Q.sub(X, Y), Q.add(X, Q.one)), Y))).toBe(true);
    expect(Q.eq(gcdQQ(Q, Q.zero, b), Q.mul(Q.sub(X, Y), Y))).toBe(true);
    expect(gcdQQ(Q, Q.zero, Q.zero).length).toBe(0);
    // The integer-primitive split that gcdQQ relies on.
    expect(integerPrimitive(Q, a).prim.coeffs.every((c) => typeof c === 'bigint')).toBe(true);
  });
});

describe('the benchmark input', () => {
  it('3 variables, degree 8, common factor of degree 4: heuristic path, correct, a few ms', () => {
    const R = new PolyRing(ZZ, ['x', 'y', 'z']);
    let seed = 99;
    const rnd = () => ((seed = (seed * 16807) % 2147483647), seed / 2147483647);
    const dense = () => {
      const monos: number[][] = [];
      const coeffs: bigint[] = [];
      for (let i = 0; i <= 4; i++)
        for (let j = 0; i + j <= 4; j++)
          for (let k = 0; i + j + k <= 4; k++) {
            monos.push([i, j, k]);
            coeffs.push(BigInt(Math.floor(rnd() * 19) - 9));
          }
      return R.fromTerms(monos, coeffs);
    };
    const [f, g, h] = [dense(), dense(), dense()];
    const a = R.mul(f, g);
    const b = R.mul(f, h);
    const seen: GcdPath[] = [];
    const got = gcdZZ(R, a, b, { onPath: (p) => seen.push(p) });
    expect(seen).toEqual(['heuristic']);
    expect(R.eq(got, normalizeZ(R, f))).toBe(true);
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) gcdZZ(R, a, b);
    // Generous: the benchmark measures ~0.5 ms; this only catches a fall to the slow path.
    expect((performance.now() - t0) / 20).toBeLessThan(50);
  });
});

describe('gcdInt (Lehmer)', () => {
  it('agrees with Euclid on big and small integers', () => {
    const int = fc.oneof(fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }), fc.bigInt({ min: -(2n ** 2000n), max: 2n ** 2000n }));
    fc.assert(
      fc.property(int, int, int, (a, b, c) => {
        // A shared factor c makes the gcd nontrivial.
        expect(gcdInt(a * c, b * c)).toBe(gcdBig(a * c, b * c));
        expect(gcdInt(a, b)).toBe(gcdBig(a, b));
      }),
      RUNS,
    );
  });
});
