import { describe, expect, it } from 'vitest';
import { NotHolonomicError, QQ, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
import { holonomicRank } from '../src/holonomicRank.ts';
import { RationalWeylIdeal } from '../src/rationalWeyl.ts';

describe('holonomicRank (standard monomials over Q(x)<d>, no Pfaffian)', () => {
  it('GKZ systems: the ranks Macaulay2 1.21 holonomicRank gives (run 2026-12-03)', () => {
    const D = new WeylAlgebra(QQ, ['x1', 'x2', 'x3']);
    // A = [[1,1,1],[0,1,2]], β = (1/2, 1/3): normalized volume 2.
    const r = holonomicRank(D, parseOperators(D, 'dx1*dx3 - dx2^2; x1*dx1+x2*dx2+x3*dx3 - 1/2; x2*dx2+2*x3*dx3 - 1/3'));
    expect(r.rank).toBe(2);
    expect(r.standardMonomials).toEqual(['1', 'dx3']);
    // A = [[1,1,1,1],[0,1,3,4]] (not normal), β = (1/2, 1/3) generic: rank 4 (the toric generators as gkz(A, β) prints them).
    const E = new WeylAlgebra(QQ, ['x1', 'x2', 'x3', 'x4']);
    const gkz = parseOperators(
      E,
      'x1*dx1+x2*dx2+x3*dx3+x4*dx4-1/2; x2*dx2+3*x3*dx3+4*x4*dx4-1/3; -dx3^3+dx2*dx4^2; dx1*dx3^2-dx2^2*dx4; -dx2*dx3+dx1*dx4; -dx2^3+dx1^2*dx3',
    );
    expect(holonomicRank(E, gkz).rank).toBe(4);
    expect(holonomicRank(E, gkz).rank).toBe(RationalWeylIdeal.compute(E, gkz).rank);
  });

  it('rank 0 for the unit ideal; NotHolonomicError for infinite rank; parameters as coordinates without ∂', () => {
    const D = new WeylAlgebra(QQ, ['x', 'y']);
    expect(holonomicRank(D, parseOperators(D, 'x*dx - 1; 1')).rank).toBe(0);
    expect(() => holonomicRank(D, parseOperators(D, 'dx'))).toThrow(NotHolonomicError);
    const r = holonomicRank(D, parseOperators(D, 'dx^3 - y'), { derivations: ['dx'] });
    expect(r.rank).toBe(3);
    expect(r.leadingMonomials).toEqual(['dx^3']);
  });
});
