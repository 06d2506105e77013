import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DomainError,
  Poly,
  PolyRing,
  QQ,
  Rational,
  RationalFunctionField,
  ZZ,
  gcdQQ,
  lex,
  parseRationalFunction,
  polyToLatex,
  polyToText,
  variableToLatex,
  type RationalFunction,
} from '../src/index.ts';
import { smallRational } from './arbitraries.ts';

const RUNS = { numRuns: 1000 };

const F = new RationalFunctionField(['x', 'y']);
const F3 = new RationalFunctionField(['x11', 'x12', 'x22'], lex);

function polyArb(field: RationalFunctionField, maxTerms: number, maxExp: number): fc.Arbitrary<Poly<Rational>> {
  const R = field.polyRing;
  const mono = fc.array(fc.integer({ min: 0, max: maxExp }), { minLength: R.nvars, maxLength: R.nvars });
  return fc.array(fc.tuple(mono, smallRational), { minLength: 0, maxLength: maxTerms }).map((ts) =>
    R.fromTerms(
      ts.map((t) => t[0]),
      ts.map((t) => t[1]),
    ),
  );
}

const nonzeroPoly = (field: RationalFunctionField) => polyArb(field, 3, 2).filter((p) => p.length > 0);

/** num/den with small random polynomials; about one in six is a polynomial (den constant). */
function elementArb(field: RationalFunctionField): fc.Arbitrary<RationalFunction> {
  return fc.tuple(polyArb(field, 3, 2), nonzeroPoly(field)).map(([n, d]) => field.fromPolys(n, d));
}

const el = elementArb(F);
const el3 = elementArb(F3);
const nonzeroEl = el.filter((a) => !F.isZero(a));

/** The normal form: gcd(num, den) = 1, den monic, 0 = 0/1. */
function expectNormal(field: RationalFunctionField, a: RationalFunction): void {
  const R = field.polyRing;
  expect(a.den.length).toBeGreaterThan(0);
  expect(a.den.coeffs[0]!.isOne()).toBe(true);
  if (a.num.length === 0) expect(R.eq(a.den, R.one)).toBe(true);
  else expect(R.eq(gcdQQ(R, a.num, a.den), R.one)).toBe(true);
}

const point = fc
  .tuple(fc.integer({ min: -6, max: 6 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: -6, max: 6 }), fc.integer({ min: 1, max: 3 }))
  .map(([a, b, c, d]) => [Rational.of(a, b), Rational.of(c, d)]);

/** Value at p, or undefined at a pole. */
function valueAt(field: RationalFunctionField, a: RationalFunction, p: Rational[]): Rational | undefined {
  return field.polyRing.evaluate(a.den, p).isZero() ? undefined : field.evaluate(a, p);
}

describe('field axioms on random elements', () => {
  it('addition is associative and commutative with identity 0 and inverses', () => {
    fc.assert(
      fc.property(el, el, el, (a, b, c) => {
        expect(F.eq(F.add(F.add(a, b), c), F.add(a, F.add(b, c)))).toBe(true);
        expect(F.eq(F.add(a, b), F.add(b, a))).toBe(true);
        expect(F.eq(F.add(a, F.zero), a)).toBe(true);
        expect(F.isZero(F.add(a, F.neg(a)))).toBe(true);
        expect(F.eq(F.sub(F.add(a, b), b), a)).toBe(true);
      }),
      RUNS,
    );
  });

  it('multiplication is associative and commutative with identity 1 and inverses', () => {
    fc.assert(
      fc.property(el, el, el, (a, b, c) => {
        expect(F.eq(F.mul(F.mul(a, b), c), F.mul(a, F.mul(b, c)))).toBe(true);
        expect(F.eq(F.mul(a, b), F.mul(b, a))).toBe(true);
        expect(F.eq(F.mul(a, F.one), a)).toBe(true);
        if (!F.isZero(a)) {
          expect(F.isOne(F.mul(a, F.inv(a)))).toBe(true);
          expect(F.eq(F.mul(F.div(b, a), a), b)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('multiplication distributes over addition', () => {
    fc.assert(
      fc.property(el, el, el, (a, b, c) => {
        expect(F.eq(F.mul(a, F.add(b, c)), F.add(F.mul(a, b), F.mul(a, c)))).toBe(true);
      }),
      RUNS,
    );
  });

  it('in three variables under lex too (sums, products, quotients stay normal)', () => {
    fc.assert(
      fc.property(el3, el3, el3, (a, b, c) => {
        const s = F3.add(F3.mul(a, b), c);
        expectNormal(F3, s);
        expect(F3.eq(F3.sub(s, c), F3.mul(b, a))).toBe(true);
        if (!F3.isZero(b)) expectNormal(F3, F3.div(a, b));
      }),
      RUNS,
    );
  });

  it('powers: a^m·a^n = a^(m+n), a^k·a^(−k) = 1', () => {
    fc.assert(
      fc.property(nonzeroEl, fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 }), (a, m, n) => {
        expect(F.eq(F.mul(F.pow(a, m), F.pow(a, n)), F.pow(a, m + n))).toBe(true);
        expect(F.isOne(F.mul(F.pow(a, m), F.pow(a, -m)))).toBe(true);
        expectNormal(F, F.pow(a, m));
      }),
      RUNS,
    );
  });
});

describe('canonical form', () => {
  it('results of every operation are in normal form', () => {
    fc.assert(
      fc.property(el, el, (a, b) => {
        for (const r of [a, F.add(a, b), F.sub(a, b), F.mul(a, b), F.neg(a), F.diff(a, 'x'), F.diff(b, 'y')]) expectNormal(F, r);
        if (!F.isZero(b)) expectNormal(F, F.div(a, b));
      }),
      RUNS,
    );
  });

  it('equal values built in different ways are structurally equal', () => {
    const R = F.polyRing;
    fc.assert(
      fc.property(polyArb(F, 3, 2), nonzeroPoly(F), nonzeroPoly(F), (n, d, c) => {
        const direct = F.fromPolys(n, d);
        // Common factor c on both sides, and the quotient of two polynomials as a field division.
        expect(F.eq(F.fromPolys(R.mul(n, c), R.mul(d, c)), direct)).toBe(true);
        expect(F.eq(F.div(F.fromPoly(n), F.fromPoly(d)), direct)).toBe(true);
        // n/d = (n/c)·(c/d), and 1/(d/n) when n ≠ 0.
        expect(F.eq(F.mul(F.fromPolys(n, c), F.fromPolys(c, d)), direct)).toBe(true);
        if (n.length > 0) expect(F.eq(F.inv(F.fromPolys(d, n)), direct)).toBe(true);
        // Same denominators through the Henrici path: n/d = (n − c)/d + c/d.
        expect(F.eq(F.add(F.fromPolys(R.sub(n, c), d), F.fromPolys(c, d)), direct)).toBe(true);
        expect(F.toString(F.fromPolys(R.mul(n, c), R.mul(d, c)))).toBe(F.toString(direct));
      }),
      RUNS,
    );
  });
});

describe('derivatives', () => {
  it('linearity, the product rule and the quotient rule', () => {
    fc.assert(
      fc.property(el, el, fc.constantFrom('x', 'y'), (a, b, v) => {
        const d = (f: RationalFunction) => F.diff(f, v);
        expect(F.eq(d(F.add(a, b)), F.add(d(a), d(b)))).toBe(true);
        expect(F.eq(d(F.mul(a, b)), F.add(F.mul(d(a), b), F.mul(a, d(b))))).toBe(true);
        if (!F.isZero(b)) {
          const quotient = F.div(F.sub(F.mul(d(a), b), F.mul(a, d(b))), F.mul(b, b));
          expect(F.eq(d(F.div(a, b)), quotient)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('matches central differences at random rational points', () => {
    const h = 1e-5;
    fc.assert(
      fc.property(el, point, fc.constantFrom(0, 1), (a, p, i) => {
        const x = p.map((c) => c.toNumber());
        // Stay away from poles, where a finite difference means nothing.
        const denAt = (q: number[]) => Math.abs(F.polyRing.evaluateNumber(a.den, q));
        fc.pre(denAt(x) > 0.5);
        const plus = x.slice();
        const minus = x.slice();
        plus[i]! += h;
        minus[i]! -= h;
        const fd = (F.evaluateNumber(a, plus) - F.evaluateNumber(a, minus)) / (2 * h);
        const exact = F.evaluate(F.diff(a, i), p).toNumber();
        expect(Math.abs(fd - exact)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(exact)));
      }),
      RUNS,
    );
  });
});

describe('evaluation', () => {
  it('equals num(p)/den(p) of the inputs, and is a ring homomorphism away from poles', () => {
    const R = F.polyRing;
    fc.assert(
      fc.property(polyArb(F, 3, 2), nonzeroPoly(F), el, point, (n, d, b, p) => {
        const a = F.fromPolys(n, d);
        const dp = R.evaluate(d, p);
        if (!dp.isZero()) expect(F.evaluate(a, p).eq(R.evaluate(n, p).div(dp))).toBe(true);
        const va = valueAt(F, a, p);
        const vb = valueAt(F, b, p);
        if (va === undefined || vb === undefined) return;
        expect(F.evaluate(F.add(a, b), p).eq(va.add(vb))).toBe(true);
        expect(F.evaluate(F.mul(a, b), p).eq(va.mul(vb))).toBe(true);
        expect(
          Math.abs(
            F.evaluateNumber(
              a,
              p.map((c) => c.toNumber()),
            ) - va.toNumber(),
          ),
        ).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(va.toNumber())));
      }),
      RUNS,
    );
  });

  it('throws DomainError at a pole, for division by zero and a zero denominator', () => {
    const [x, y] = F.gens() as [RationalFunction, RationalFunction];
    const f = F.div(F.one, F.sub(x, y));
    expect(() => F.evaluate(f, [Rational.of(2), Rational.of(2)])).toThrow(DomainError);
    expect(() => F.div(x, F.zero)).toThrow(DomainError);
    expect(() => F.inv(F.zero)).toThrow(DomainError);
    expect(() => F.pow(F.zero, -1)).toThrow(DomainError);
    expect(() => F.fromPolys(F.polyRing.one, F.polyRing.zero)).toThrow(DomainError);
    expect(F.evaluate(f, [Rational.of(3), Rational.of(1)]).eq(Rational.of(1, 2))).toBe(true);
    expect(F.evaluateNumber(f, [3, 1])).toBe(0.5);
  });
});

describe('text', () => {
  const [x11, x12, x22] = F3.gens() as [RationalFunction, RationalFunction, RationalFunction];
  const G = new RationalFunctionField(['x1', 'x2']);
  const [x1, x2] = G.gens() as [RationalFunction, RationalFunction];

  it('fixed examples print exactly', () => {
    expect(F3.toString(F3.div(F3.neg(x12), F3.mul(F3.fromInt(2), x11)))).toBe('-x12/(2*x11)');
    expect(G.toString(G.div(G.sub(G.mul(x1, x1), x2), G.add(G.mul(x1, x2), G.one)))).toBe('(x1^2-x2)/(x1*x2+1)');
    expect(G.toString(G.fromRational(Rational.of(3, 4)))).toBe('3/4');
    expect(new RationalFunctionField(['x']).toString(new RationalFunctionField(['x']).gen('x'))).toBe('x');
    expect(G.toString(G.zero)).toBe('0');
    expect(G.toString(G.one)).toBe('1');
    expect(G.toString(G.neg(x1))).toBe('-x1');
    // Polynomials keep rational coefficients; the ring order (grevlex) decides the term order.
    expect(G.toString(G.add(G.mul(G.fromRational(Rational.of(3, 4)), G.mul(G.mul(x1, x1), x2)), G.sub(G.mul(G.fromInt(2), x2), x1)))).toBe(
      '3/4*x1^2*x2-x1+2*x2',
    );
    // A fraction clears all denominators into integers.
    expect(G.toString(G.div(G.fromRational(Rational.of(1, 2)), G.mul(x1, x2)))).toBe('1/(2*x1*x2)');
    expect(G.toString(G.div(G.mul(G.fromRational(Rational.of(2, 3)), x2), G.mul(x1, x1)))).toBe('2*x2/(3*x1^2)');
    expect(G.toString(G.div(G.one, G.pow(x1, 2)))).toBe('1/x1^2');
    expect(G.toString(G.div(G.sub(G.one, x1), x2))).toBe('(-x1+1)/x2');
    expect(F3.toString(F3.div(x22, F3.mul(x11, x12)))).toBe('x22/(x11*x12)');
  });

  it('LaTeX of fixed examples', () => {
    expect(F3.toLatex(F3.div(F3.neg(x12), F3.mul(F3.fromInt(2), x11)))).toBe('-\\frac{x_{12}}{2 x_{11}}');
    expect(G.toLatex(G.div(G.sub(G.mul(x1, x1), x2), G.add(G.mul(x1, x2), G.one)))).toBe('\\frac{x_{1}^{2} - x_{2}}{x_{1} x_{2} + 1}');
    expect(G.toLatex(G.fromRational(Rational.of(-3, 4)))).toBe('-\\frac{3}{4}');
    expect(G.toLatex(G.mul(G.fromRational(Rational.of(3, 4)), G.mul(x1, x1)))).toBe('\\frac{3}{4} x_{1}^{2}');
  });

  it('parses back to the same element, and isNegative/isAtomic describe the text', () => {
    fc.assert(
      fc.property(el, el3, (a, b) => {
        for (const [field, f] of [
          [F, a],
          [F3, b],
        ] as const) {
          const text = field.toString(f);
          expect(field.eq(parseRationalFunction(field, text), f)).toBe(true);
          expect(field.isNegative(f)).toBe(text.startsWith('-'));
          // An atomic element can be multiplied by a factor without parentheses.
          if (field.isAtomic(f)) expect(field.eq(parseRationalFunction(field, `${text}*x${field === F ? '' : '11'}`), field.mul(f, field.gen(0)))).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('serves as a coefficient domain: polynomials over Q(x, y) print with grouped coefficients', () => {
    const T = new PolyRing(F, ['t']);
    const [x, y] = F.gens() as [RationalFunction, RationalFunction];
    const p = T.fromTerms([[2], [1], [0]], [F.add(x, F.one), F.neg(F.div(x, y)), F.sub(F.one, x)]);
    expect(polyToText(T.vars, F, p)).toBe('(x+1)*t^2 - x/y*t - (x-1)');
    expect(polyToText(T.vars, F, T.neg(p), { compact: true })).toBe('-(x+1)*t^2+x/y*t+x-1');
    expect(polyToText(T.vars, F, T.fromTerms([[0], [1]], [F.one, F.sub(F.one, x)]))).toBe('-(x-1)*t + 1');
  });
});

describe('polyToText / polyToLatex', () => {
  const R = new PolyRing(QQ, ['x', 'dx', 'y1', 'h']);
  const q = (n: number, d = 1) => Rational.of(n, d);

  it('text: terms in ring order, factors in variable order, signs folded', () => {
    const p = R.fromTerms(
      [
        [2, 1, 0, 0],
        [1, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 3, 1],
      ],
      [q(3, 4), q(-1), q(2), q(-5, 2)],
    );
    expect(polyToText(R.vars, QQ, p)).toBe('-5/2*y1^3*h + 3/4*x^2*dx - x + 2');
    expect(polyToText(R.vars, QQ, p, { compact: true })).toBe('-5/2*y1^3*h+3/4*x^2*dx-x+2');
    expect(polyToText(R.vars, QQ, R.zero)).toBe('0');
    expect(polyToText(R.vars, QQ, R.fromInt(-7))).toBe('-7');
    expect(polyToText(R.vars, QQ, R.neg(R.gen('dx')))).toBe('-dx');
    const Z = new PolyRing(ZZ, ['a', 'b']);
    expect(
      polyToText(
        Z.vars,
        ZZ,
        Z.fromTerms(
          [
            [1, 1],
            [0, 1],
            [0, 0],
          ],
          [1n, -3n, -1n],
        ),
      ),
    ).toBe('a*b - 3*b - 1');
  });

  it('LaTeX: subscripts, ∂ for d-names of listed variables, braces on exponents', () => {
    const p = R.fromTerms(
      [
        [1, 2, 0, 1],
        [0, 0, 1, 0],
        [0, 0, 0, 0],
      ],
      [q(-3, 4), q(1), q(-1)],
    );
    expect(polyToLatex(R.vars, QQ, p)).toBe('-\\frac{3}{4} x \\partial_{x}^{2} h + y_{1} - 1');
    expect(variableToLatex('dx11', ['x11', 'dx11'])).toBe('\\partial_{x_{11}}');
    expect(variableToLatex('x11')).toBe('x_{11}');
    expect(variableToLatex('y1')).toBe('y_{1}');
    expect(variableToLatex('h')).toBe('h');
    expect(variableToLatex('dz', ['x'])).toBe('dz');
    // Names that are already LaTeX pass through, so a printer may hand over converted names.
    expect(variableToLatex('\\partial_{x_{1}}', ['x_{1}'])).toBe('\\partial_{x_{1}}');
    expect(polyToLatex(['x_{1}', '\\partial_{x_{1}}'], QQ, new Poly([[1, 1]], [q(2)]))).toBe('2 x_{1} \\partial_{x_{1}}');
  });
});
