import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QQ, Rational, WeylAlgebra, parseOperator, type Poly } from '@holonomic-ntk/weyl-algebra';
import { ModuleGroebner } from '../src/index.ts';
import { integerStrategy, lcmOf, leftReduce, sPolynomial } from '../src/internal.ts';

const D = new WeylAlgebra(QQ, ['x']);
const op = (s: string) => parseOperator(D, s);

const operator = fc
  .array(fc.tuple(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 2, maxLength: 2 }), fc.integer({ min: -4, max: 4 })), { maxLength: 3 })
  .map((terms) =>
    D.poly.fromTerms(
      terms.map((t) => t[0]),
      terms.map((t) => Rational.of(t[1])),
    ),
  );
const vector = fc.array(operator, { minLength: 2, maxLength: 2 });

function satisfiesCriterion(M: ModuleGroebner, G: Poly<Rational>[][]): boolean {
  const E = G.map((g) => M.encode(g));
  for (let i = 0; i < E.length; i++) {
    for (let j = i + 1; j < E.length; j++) {
      const l = lcmOf(M.layout, E[i]!.monos[0]!, E[j]!.monos[0]!);
      if (l === null) continue;
      const s = sPolynomial(M.algebra, integerStrategy, M.layout, E[i]!, E[j]!, l);
      if (leftReduce(M.algebra, integerStrategy, M.layout, s, E).remainder.monos.length > 0) return false;
    }
  }
  return true;
}

describe.each(['POT', 'TOP'] as const)('module Gröbner bases over D, %s', (kind) => {
  const M = new ModuleGroebner(D, 2, { kind });
  it('random submodules of D²: criterion holds and generators are members', () => {
    fc.assert(
      fc.property(fc.array(vector, { minLength: 1, maxLength: 3 }), (vs) => {
        const G = M.groebnerBasis(vs, { limits: { maxPairs: 3000 } });
        expect(satisfiesCriterion(M, G)).toBe(true);
        for (const v of vs) expect(M.isMember(v, G)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('POT with the last component least significant eliminates the other components', () => {
  it('the elements living in the last component generate the intersection with it', () => {
    const M = new ModuleGroebner(D, 2, { kind: 'POT' });
    // (∂, x) and (1, 0): the second kills the first component, so (0, x) is in the module.
    const G = M.groebnerBasis([
      [op('dx'), op('x')],
      [op('1'), op('0')],
    ]);
    const last = G.filter((v) => D.isZero(v[0]!));
    expect(last.length).toBe(1);
    expect(D.eq(last[0]![1]!, op('x'))).toBe(true);
    expect(M.leadingComponent([op('dx'), op('x')])).toBe(0);
  });
});
