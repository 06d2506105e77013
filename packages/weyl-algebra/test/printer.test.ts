import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PolyRing, QQ, RationalFunctionField, WeylAlgebra, ZZ, lex, type Poly, type RationalFunction } from '../src/index.ts';
import { parseOperator, parsePolynomial, parseRationalFunction } from '../src/parser.ts';
import { operatorToLatex, operatorToText, polynomialToLatex, polynomialToText, rationalFunctionToLatex, rationalFunctionToText } from '../src/printer.ts';
import { bigRational, randomElement } from './arbitraries.ts';

const RUNS = { numRuns: 1000 };

/** Random terms over a given coefficient arbitrary, assembled by the ring (so equal monomials add up). */
function elementWith<T>(R: PolyRing<T>, coeff: fc.Arbitrary<T>, maxTerms: number, maxExp: number): fc.Arbitrary<Poly<T>> {
  const mono = fc.array(fc.integer({ min: 0, max: maxExp }), { minLength: R.nvars, maxLength: R.nvars });
  return fc.array(fc.tuple(mono, coeff), { maxLength: maxTerms }).map((ts) =>
    R.fromTerms(
      ts.map((t) => t[0]),
      ts.map((t) => t[1]),
    ),
  );
}

/** Random elements of Q(a, b): quotients of small random polynomials, normalized by the field. */
function rationalFunctions(F: RationalFunctionField): fc.Arbitrary<RationalFunction> {
  const P = F.polyRing;
  const small = randomElement(P, 3, 2);
  return fc
    .tuple(
      small,
      small.filter((d) => !P.isZero(d)),
    )
    .map(([n, d]) => F.fromPolys(n, d));
}

describe('round trip parse(print(p)) = p', () => {
  const rings = [
    ['QQ[x, y, z]', new PolyRing(QQ, ['x', 'y', 'z'])],
    ['QQ[x11, x12, x22] lex', new PolyRing(QQ, ['x11', 'x12', 'x22'], lex)],
  ] as const;
  it.each(rings)('polynomials over %s', (_n, R) => {
    fc.assert(
      fc.property(randomElement(R, 6, 4), (p) => R.eq(parsePolynomial(R, polynomialToText(R, p)), p)),
      RUNS,
    );
  });

  it('polynomials with 200-bit coefficients, compact text', () => {
    const R = new PolyRing(QQ, ['x', 'y']);
    fc.assert(
      fc.property(elementWith(R, bigRational, 5, 3), (p) => R.eq(parsePolynomial(R, polynomialToText(R, p, { compact: true })), p)),
      RUNS,
    );
  });

  it('polynomials over ZZ', () => {
    const R = new PolyRing(ZZ, ['x', 'y']);
    const el = elementWith(R, fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), 5, 3);
    fc.assert(
      fc.property(el, (p) => R.eq(parsePolynomial(R, polynomialToText(R, p)), p)),
      RUNS,
    );
  });

  const algebras = [
    ['D, 1 pair', new WeylAlgebra(QQ, ['x'])],
    ['D, 3 pairs', new WeylAlgebra(QQ, ['x', 'y', 'z'])],
    ['D, named pairs u/Du and t1', new WeylAlgebra(QQ, [{ x: 'u', d: 'Du' }, 't1'])],
    ['D^(h), 2 pairs', new WeylAlgebra(QQ, ['x', 'y'], { homogenizer: 'h' })],
    ['D^(h), 3 pairs, lex', new WeylAlgebra(QQ, ['x', 'y', 'z'], { homogenizer: 'h', order: lex })],
    ['D, the NTK ring (y1, y2, x11, x12, x22)', new WeylAlgebra(QQ, ['y1', 'y2', 'x11', 'x12', 'x22'])],
  ] as const;
  it.each(algebras)('Weyl operators in %s', (_n, W) => {
    fc.assert(
      fc.property(randomElement(W, 6, 3), (p) => W.eq(parseOperator(W, operatorToText(W, p)), p)),
      RUNS,
    );
  });

  it('Weyl operators with 200-bit rational coefficients', () => {
    const W = new WeylAlgebra(QQ, ['x', 'y'], { homogenizer: 'h' });
    fc.assert(
      fc.property(elementWith(W.poly, bigRational, 5, 3), (p) => W.eq(parseOperator(W, operatorToText(W, p)), p)),
      RUNS,
    );
  });

  it('products computed by the algebra print and parse back', () => {
    const W = new WeylAlgebra(QQ, ['x', 'y'], { homogenizer: 'h' });
    const el = randomElement(W, 3, 2);
    fc.assert(
      fc.property(el, el, (a, b) => {
        const p = W.mul(a, b);
        return W.eq(parseOperator(W, operatorToText(W, p)), p);
      }),
      { numRuns: 300 },
    );
  });

  describe('coefficients in Q(a, b)', () => {
    const F = new RationalFunctionField(['a', 'b']);

    it('rational functions', () => {
      fc.assert(
        fc.property(rationalFunctions(F), (f) => F.eq(parseRationalFunction(F, rationalFunctionToText(F, f)), f)),
        RUNS,
      );
    });

    it('Weyl operators in Q(a, b)<x, y, dx, dy>', () => {
      const W = new WeylAlgebra(F, ['x', 'y']);
      fc.assert(
        fc.property(elementWith(W.poly, rationalFunctions(F), 4, 2), (p) => W.eq(parseOperator(W, operatorToText(W, p)), p)),
        RUNS,
      );
    });

    it('Weyl operators in Q(a, b)<x, dx, h>', () => {
      const W = new WeylAlgebra(F, ['x'], { homogenizer: 'h' });
      fc.assert(
        fc.property(elementWith(W.poly, rationalFunctions(F), 4, 2), (p) => W.eq(parseOperator(W, operatorToText(W, p)), p)),
        RUNS,
      );
    });

    it('polynomials over Q(a, b)', () => {
      const R = new PolyRing(F, ['x', 'y']);
      fc.assert(
        fc.property(elementWith(R, rationalFunctions(F), 4, 2), (p) => R.eq(parsePolynomial(R, polynomialToText(R, p)), p)),
        { numRuns: 300 },
      );
    });
  });
});

describe('fixed texts', () => {
  const D = new WeylAlgebra(QQ, ['x', 'y']);
  const Dh = new WeylAlgebra(QQ, ['x'], { homogenizer: 'h' });

  it('normally ordered text', () => {
    expect(operatorToText(D, parseOperator(D, 'dx*x'))).toBe('x*dx + 1');
    expect(operatorToText(D, parseOperator(D, 'dx*x'), { compact: true })).toBe('x*dx+1');
    expect(operatorToText(Dh, parseOperator(Dh, 'dx*x'))).toBe('x*dx + h^2');
    expect(operatorToText(D, parseOperator(D, '-3/4*dy^2*y*x'))).toBe('-3/4*x*y*dy^2 - 3/2*x*dy');
    expect(operatorToText(D, D.zero)).toBe('0');
    expect(operatorToText(D, D.one)).toBe('1');
  });

  it('coefficients from Q(params)', () => {
    const F = new RationalFunctionField(['a', 'b']);
    const W = new WeylAlgebra(F, ['x']);
    expect(operatorToText(W, parseOperator(W, 'dx/(a+1)'))).toBe('1/(a+1)*dx');
    expect(operatorToText(W, parseOperator(W, '(a+1)/b*dx - a'))).toBe('(a+1)/b*dx - a');
    expect(operatorToText(W, parseOperator(W, '(a+b)*x'))).toBe('(a+b)*x');
  });

  it('LaTeX of Weyl operators: ∂ as \\partial_{x}', () => {
    expect(operatorToLatex(D, parseOperator(D, 'dx*x'))).toBe('x \\partial_{x} + 1');
    expect(operatorToLatex(Dh, parseOperator(Dh, 'dx*x'))).toBe('x \\partial_{x} + h^{2}');
    const N = new WeylAlgebra(QQ, ['x11', 'x12']);
    expect(operatorToLatex(N, parseOperator(N, '-3/4*x11*dx11^2 + dx12'))).toBe('-\\frac{3}{4} x_{11} \\partial_{x_{11}}^{2} + \\partial_{x_{12}}');
    // A custom ∂-name still prints as ∂ of its coordinate.
    const U = new WeylAlgebra(QQ, [{ x: 'u', d: 'Du' }]);
    expect(operatorToLatex(U, parseOperator(U, 'Du*u^2'))).toBe('u^{2} \\partial_{u} + 2 u');
    const F = new RationalFunctionField(['a']);
    const W = new WeylAlgebra(F, ['x']);
    expect(operatorToLatex(W, parseOperator(W, 'dx/(a+1)'))).toBe('\\frac{1}{a + 1} \\partial_{x}');
  });

  it('LaTeX of polynomials and rational functions', () => {
    const R = new PolyRing(QQ, ['x11', 'x12']);
    expect(polynomialToLatex(R, parsePolynomial(R, '3/4*x11^2 - x12'))).toBe('\\frac{3}{4} x_{11}^{2} - x_{12}');
    const F = new RationalFunctionField(['a', 'b']);
    expect(rationalFunctionToText(F, parseRationalFunction(F, '(a^2-1)/(a*b-b)'))).toBe('(a+1)/b');
    expect(rationalFunctionToLatex(F, parseRationalFunction(F, '1/(2*a)'))).toBe('\\frac{1}{2 a}');
  });
});
