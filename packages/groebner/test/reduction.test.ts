import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type MonomialOrder, Poly, WeylAlgebra, ZZ, grevlex, grlex, lex } from '@holonomic-ntk/weyl-algebra';
import {
  ReducerSet,
  ReductionWorkspace,
  derivationBlockOrder,
  homogenizedWeightOrder,
  integerStrategy,
  leftReduce,
  leftReduceMerging,
  moduleOrder,
  orderRows,
  packRows,
  packedKey,
  reduceInWorkspace,
} from '../src/internal.ts';

const RUNS = { numRuns: 1000 };

/** Every order the packed keys know, on exponent vectors of length `len`. */
const ORDERS: [string, MonomialOrder, number][] = [
  ['grevlex', grevlex, 5],
  ['grlex', grlex, 4],
  ['lex', lex, 4],
  ['homogenized weight (−1,0,1,0)', homogenizedWeightOrder(2, [-1, 0, 1, 0]), 5],
  ['homogenized weight (−1,−2,1,2)', homogenizedWeightOrder(2, [-1, -2, 1, 2]), 5],
  ['POT, last component least', moduleOrder(grevlex, 'POT', true), 5],
  ['TOP, first component least', moduleOrder(grevlex, 'TOP', false), 5],
  ['∂-block', derivationBlockOrder([2, 3]), 4],
];

describe.each(ORDERS)('packed order keys: %s', (_name, order, len) => {
  const rows = orderRows(order, len)!;
  const bound = 6;
  const mono = fc.array(fc.integer({ min: 0, max: bound }), { minLength: len, maxLength: len });

  it('compare lexicographically like the order, and are injective', () => {
    expect(rows).not.toBeNull();
    // Tiny word size per chunk is not configurable; small bounds and large ones must both agree.
    for (const b of [bound, 40]) {
      const L = packRows(rows, new Array<number>(len).fill(b))!;
      const ka = new Float64Array(L.K);
      const kb = new Float64Array(L.K);
      fc.assert(
        fc.property(mono, mono, (a, c) => {
          packedKey(L, a, ka, 0);
          packedKey(L, c, kb, 0);
          let s = 0;
          for (let k = 0; k < L.K && s === 0; k++) s = Math.sign(ka[k]! - kb[k]!);
          expect(s).toBe(Math.sign(order.compare(a, c)));
          if (s === 0) expect(a).toEqual(c);
        }),
        RUNS,
      );
    }
  });
});

/**
 * The workspace reduction against the merging one on random inputs: same normalized remainder, and the same
 * multiplier (r ≡ multiplier·f) whenever the remainder is nonzero. Both pick reducers by the same rule, so they take
 * the same steps; a workspace that starts with exponent bounds of 1 exercises the key re-packing too.
 */
function reductionAgrees(A: WeylAlgebra<bigint>, component: number, maxExp: number) {
  const layout = { component };
  const len = A.vars.length;
  const mono = fc.array(fc.integer({ min: 0, max: maxExp }), { minLength: len, maxLength: len }).map((m) => {
    if (component >= 0) m[component] = m[component]! % 2;
    return m;
  });
  const poly = fc.array(fc.tuple(mono, fc.bigInt({ min: -9n, max: 9n })), { minLength: 1, maxLength: 5 }).map((ts) =>
    A.poly.fromTerms(
      ts.map((t) => t[0]),
      ts.map((t) => t[1]),
    ),
  );
  const nonzero = poly.filter((p) => p.monos.length > 0);
  fc.assert(
    fc.property(poly, fc.array(nonzero, { minLength: 1, maxLength: 4 }), fc.constantFrom(1n, (1n << 70n) + 3n, (1n << 300n) + 7n), (f, G0, big) => {
      const G = G0.map((g) => integerStrategy.normalize(g));
      // Large coefficients exercise the bigint side of the mixed coefficients and (past 2^256) the content removal.
      const ff = A.poly.scale(f, big);
      const ref = leftReduceMerging(A, integerStrategy, layout, ff, G, false, true);
      const fast = leftReduce(A, integerStrategy, layout, ff, G, false, true);
      expect(A.eq(fast.remainder, ref.remainder)).toBe(true);
      if (ref.remainder.monos.length > 0) expect(fast.multiplier.eq(ref.multiplier)).toBe(true);
      const W = ReductionWorkspace.create(orderRows(A.order, len)!, len, A.n, A.hIndex, 1)!;
      W.addPoly(ff);
      const grown = reduceInWorkspace(layout, W, new ReducerSet(layout, G));
      expect(A.eq(grown.remainder, ref.remainder)).toBe(true);
    }),
    RUNS,
  );
}

describe('reduction in the hash/heap workspace agrees with the merging reduction', () => {
  it('in D (2 pairs), grevlex', () => {
    reductionAgrees(new WeylAlgebra(ZZ, ['x', 'y']), -1, 3);
  });
  it('in D^(h) (2 pairs), the homogenized weight order for (−1,0,1,0)', () => {
    reductionAgrees(new WeylAlgebra(ZZ, ['x', 'y'], { homogenizer: 'h', order: homogenizedWeightOrder(2, [-1, 0, 1, 0]) }), -1, 3);
  });
  it('in D² (1 pair) as a module, POT with the last component least', () => {
    const A = new WeylAlgebra(ZZ, ['x'], { order: moduleOrder(grevlex, 'POT', true), central: ['_component'] });
    reductionAgrees(A, 2, 3);
  });
});

describe('the workspace', () => {
  it('refuses a term above one already popped (an order the product does not respect)', () => {
    const A = new WeylAlgebra(ZZ, ['x']);
    const W = ReductionWorkspace.create(orderRows(grevlex, 2)!, 2, 1, -1)!;
    W.addPoly(new Poly([[1, 1]], [1n]));
    expect(W.pop()).toBe(0);
    expect(() => W.add([1, 1], 2n)).toThrow(/above the current leading term/);
    expect(A.n).toBe(1);
  });
});
