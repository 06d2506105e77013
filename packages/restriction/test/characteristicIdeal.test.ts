import { describe, expect, it } from 'vitest';
import { groebnerBasis } from '@holonomic-ntk/groebner';
import { QQ, WeylAlgebra, operatorToText, parseOperators, parsePolynomial } from '@holonomic-ntk/weyl-algebra';
import { characteristicIdeal, krullDimension } from '../src/characteristicIdeal.ts';
import { singularLocus } from '../src/singularLocus.ts';

describe('characteristic ideal, dimension, singular locus', () => {
  it('GKZ A = [[1,1,1],[0,1,2]]: charIdeal and singLocus as Macaulay2 1.21 gives them (run 2026-12-03)', () => {
    const D = new WeylAlgebra(QQ, ['x1', 'x2', 'x3']);
    const I = parseOperators(D, 'dx1*dx3 - dx2^2; x1*dx1+x2*dx2+x3*dx3 - 1/2; x2*dx2+2*x3*dx3 - 1/3');
    const ch = characteristicIdeal(D, I);
    // M2: {dx2^2-dx1*dx3, x2*dx2+2*x3*dx3, x1*dx1-x3*dx3}: the same ideal of Q[x, ξ] (equal reduced grevlex bases).
    expect(ch.dimension).toBe(3);
    expect(ch.isHolonomic).toBe(true);
    const C = ch.ring;
    const m2 = parseOperators(C, 'dx2^2-dx1*dx3; x2*dx2+2*x3*dx3; x1*dx1-x3*dx3');
    expect(groebnerBasis(C, m2).map((g) => operatorToText(C, g))).toEqual(ch.text);
    // M2 singLocus: x1*x2^2*x3 - 4*x1^2*x3^2 = x1·x3·(x2² − 4·x1·x3).
    const sl = singularLocus(D, I);
    expect(sl.generators.length).toBe(1);
    const m2Locus = parsePolynomial(sl.ring, 'x1*x2^2*x3 - 4*x1^2*x3^2');
    const g = sl.generators[0]!;
    const ratio = m2Locus.coeffs[0]!.div(g.coeffs[0]!);
    expect(sl.ring.eq(sl.ring.scale(g, ratio), m2Locus)).toBe(true);
  });

  it('holonomicity: D·∂x in two variables is not holonomic (dim 3); the unit ideal has dimension −1; the empty locus is (1)', () => {
    const D = new WeylAlgebra(QQ, ['x', 'y']);
    expect(characteristicIdeal(D, parseOperators(D, 'dx')).dimension).toBe(3);
    expect(characteristicIdeal(D, parseOperators(D, 'dx')).isHolonomic).toBe(false);
    expect(characteristicIdeal(D, parseOperators(D, 'x*dx - 1; dx')).dimension).toBe(-1);
    expect(singularLocus(D, parseOperators(D, 'dx - 1; dy - x')).text).toEqual(['1']);
    // x·∂x − a, ∂y: singular along x = 0.
    expect(singularLocus(D, parseOperators(D, 'x*dx - 1/3; dy')).text).toEqual(['x']);
  });

  it('krullDimension of monomial ideals', () => {
    expect(krullDimension([], 3)).toBe(3);
    expect(krullDimension([[1, 0, 0]], 3)).toBe(2);
    expect(
      krullDimension(
        [
          [1, 1, 0, 0],
          [0, 0, 1, 1],
        ],
        4,
      ),
    ).toBe(2);
  });
});
