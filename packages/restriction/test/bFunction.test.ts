import { restrictionCases } from './testdata.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groebnerBasis, normalForm } from '@holonomic-ntk/groebner';
import { LimitExceededError, NotHolonomicError, QQ, Rational, WeylAlgebra, grevlex, parseOperators } from '@holonomic-ntk/weyl-algebra';
import { bFunction, restrictionWeight } from '../src/bFunction.ts';
import { rationalRoots } from '../src/rationalRoots.ts';

const cases = restrictionCases;

describe('b-function along t = 0', () => {
  it.each(cases.filter((c) => c.kind === 'restriction').map((c) => [c.name, c] as const))('%s: roots and s0 from restriction.json', (_, c) => {
    const D = new WeylAlgebra(
      QQ,
      c.vars.map((x, i) => ({ x, d: c.dvars[i]! })),
    );
    const nt = c.weight.filter((w) => w > 0).length;
    const b = bFunction(D, parseOperators(D, c.ideal.join(';')), c.vars.slice(0, nt), c.weight.slice(0, nt));
    expect(b.integerRoots).toEqual(c.expectBFunctionRoots.map(BigInt));
    expect(b.rationalRoots.map((r) => r.root.toString())).toEqual(c.expectBFunctionRoots.map(String));
    expect(b.s0).toBe(BigInt(c.expectS0));
    expect(b.coefficients[b.coefficients.length - 1]!.isOne()).toBe(true);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: the initial forms are a grevlex Gröbner basis (both initialIdealBasis modes agree)', (_, c) => {
    const D = new WeylAlgebra(
      QQ,
      c.vars.map((x, i) => ({ x, d: c.dvars[i]! })),
    );
    const nt = c.weight.filter((w) => w > 0).length;
    const I = parseOperators(D, c.ideal.join(';'));
    const a = bFunction(D, I, c.vars.slice(0, nt), c.weight.slice(0, nt), { initialIdealBasis: 'recompute' });
    const b = bFunction(D, I, c.vars.slice(0, nt), c.weight.slice(0, nt), { weightBasis: a.weightBasis, initialIdealBasis: 'initialForms' });
    expect(b.text).toBe(a.text);
    // Leading-monomial ideals agree: every leading monomial of the recomputed basis is divisible by one of the forms'.
    const Dg = new WeylAlgebra(QQ, D.pairs(), { order: grevlex });
    const forms = a.weightBasis.initialForms.map((g) => Dg.convert(g));
    const J = groebnerBasis(Dg, forms);
    const divides = (m: readonly number[], n: readonly number[]) => m.every((e, i) => e <= n[i]!);
    for (const g of J) expect(forms.some((f) => divides(f.monos[0]!, g.monos[0]!))).toBe(true);
  });

  it('worked check of MATH.md §3: b = s − 1 for ⟨x∂x − 1, y∂y − 1⟩, w = (1, 0)', () => {
    const D = new WeylAlgebra(QQ, ['x', 'y']);
    const b = bFunction(D, parseOperators(D, 'x*dx-1; y*dy-1'), ['x'], [1]);
    expect(b.text).toBe('s-1');
    expect(b.s0).toBe(1n);
    expect(b.weight).toEqual([-1, 0, 1, 0]);
  });

  it('b(θ_w) lies in the initial ideal, and no proper factor does', () => {
    const D = new WeylAlgebra(QQ, ['x1', 'x2']);
    const b = bFunction(D, parseOperators(D, 'x1*dx1+2*x2*dx2-1/3; dx2-dx1^2'), ['x1'], [1]);
    expect(b.text).toBe('s^2-s');
    const Dg = new WeylAlgebra(QQ, D.pairs(), { order: grevlex });
    const J = groebnerBasis(
      Dg,
      b.weightBasis.initialForms.map((g) => Dg.convert(g)),
    );
    const theta = parseOperators(Dg, 'x1*dx1')[0]!;
    const at = (cs: Rational[]) => cs.reduceRight((acc, c) => Dg.add(Dg.mul(theta, acc), Dg.constant(c)), Dg.zero);
    expect(normalForm(Dg, at(b.coefficients), J).monos.length).toBe(0);
    // s and s − 1 alone are not in it.
    expect(normalForm(Dg, at([Rational.ZERO, Rational.ONE]), J).monos.length).toBeGreaterThan(0);
    expect(normalForm(Dg, at([Rational.MINUS_ONE, Rational.ONE]), J).monos.length).toBeGreaterThan(0);
  });

  it('weights scale θ: w = 2 gives b = s − 2; two variables with w = (1, 1) give s − 2', () => {
    const D = new WeylAlgebra(QQ, ['x', 'y']);
    const I = parseOperators(D, 'x*dx-1; y*dy-1');
    expect(bFunction(D, I, ['x'], [2]).text).toBe('s-2');
    const both = bFunction(D, I, ['x', 'y'], [1, 1]);
    expect(both.text).toBe('s-2');
    expect(both.s0).toBe(2n);
  });

  it('non-integer and negative roots: t^(1/2) and 1/t', () => {
    const D = new WeylAlgebra(QQ, ['t', 'x']);
    const half = bFunction(D, parseOperators(D, 't*dt-1/2; dx'), ['t'], [1]);
    expect(half.text).toBe('s-1/2');
    expect(half.s0).toBeNull();
    expect(half.rationalRoots.map((r) => r.root.toString())).toEqual(['1/2']);
    const inv = bFunction(D, parseOperators(D, 't*dt+1; dx'), ['t'], [1]);
    expect(inv.s0).toBe(-1n);
  });

  it('a non-holonomic ideal is a verdict (elimination, or the characteristic ideal); a holonomic one past the limit is a limit', () => {
    // D·∂y is not holonomic; θ = x∂x has no minimal polynomial modulo it.
    const D = new WeylAlgebra(QQ, ['x', 'y']);
    const I = parseOperators(D, 'dy');
    expect(() => bFunction(D, I, ['x'], [1], { linearAlgebraDegree: 6 })).toThrow(NotHolonomicError);
    expect(() => bFunction(D, I, ['x'], [1], { method: 'elimination' })).toThrow(/in_\(−w,w\)\(I\) ∩ Q\[x·dx\] = 0/);
    // The search alone (several restricted variables, or method 'linearAlgebra'): at the limit the characteristic
    // variety decides — dimension 3 > 2 here, a proof.
    expect(() => bFunction(D, I, ['x'], [1], { method: 'linearAlgebra', maxDegree: 6 })).toThrow(
      /not holonomic: its characteristic variety has dimension 3 > 2/,
    );
    const E = new WeylAlgebra(QQ, ['x', 'y', 'z']);
    expect(() => bFunction(E, parseOperators(E, 'dz'), ['x', 'y'], [1, 1], { maxDegree: 4 })).toThrow(NotHolonomicError);
    // A holonomic ideal whose b has degree 31 > 6: LimitExceededError naming maxDegree and the option, never a verdict.
    const T = new WeylAlgebra(QQ, ['t', 'x']);
    const limited = () => bFunction(T, parseOperators(T, 't - x^31; dx + 31*x^30*dt'), ['t'], [1], { method: 'linearAlgebra', maxDegree: 6 });
    expect(limited).toThrow(LimitExceededError);
    expect(limited).toThrow(/reached degree 6 .*the ideal is holonomic, so b exists.*--max-bfunction-degree/);
    try {
      limited();
    } catch (e) {
      expect((e as LimitExceededError).limit).toBe('maxDegree');
    }
  });

  it('issue 16: a b-function of degree 31 (t − x^31) is found, by both methods, with its 31 rational roots', () => {
    // Macaulay2 1.21 (bFunction(I, {1,0}), recorded in fixtures/bfunctions.json): s·Π_{k=1}^{30}(31s + k).
    const D = new WeylAlgebra(QQ, ['t', 'x']);
    const I = parseOperators(D, 't - x^31; dx + 31*x^30*dt');
    const auto = bFunction(D, I, ['t'], [1]);
    expect(auto.coefficients.length).toBe(32);
    expect(auto.rationalRoots.map((r) => r.root.toString())).toEqual(Array.from({ length: 31 }, (_, k) => (k === 30 ? '0' : `-${30 - k}/31`)));
    const byElimination = bFunction(D, I, ['t'], [1], { method: 'elimination', weightBasis: auto.weightBasis });
    expect(byElimination.method).toBe('elimination');
    expect(byElimination.text).toBe(auto.text);
  });

  it('elimination and the linear-algebra search agree (weights 1 and 2)', () => {
    const D = new WeylAlgebra(QQ, ['t', 'x', 'y']);
    const I = parseOperators(D, 't - x^2 - y^3; dx + 2*x*dt; dy + 3*y^2*dt');
    for (const w of [1, 2]) {
      const a = bFunction(D, I, ['t'], [w], { method: 'linearAlgebra' });
      const b = bFunction(D, I, ['t'], [w], { method: 'elimination', weightBasis: a.weightBasis });
      expect(b.text).toBe(a.text);
    }
    expect(() => bFunction(new WeylAlgebra(QQ, ['x', 'y']), [], ['x', 'y'], [1, 1], { method: 'elimination' })).toThrow(/one variable at a time/);
  });

  it('limits and cancellation propagate', () => {
    const D = new WeylAlgebra(QQ, ['y1', 'y2', 'x11', 'x12', 'x22']);
    const I = parseOperators(D, '2*x11*dy1^2+2*x12*dy1*dy2+y1*dy1+1; 2*x22*dy2^2+2*x12*dy1*dy2+y2*dy2+1; dx11-dy1^2; dx22-dy2^2; dx12-2*dy1*dy2');
    expect(() => bFunction(D, I, ['y1', 'y2'], [1, 1], { limits: { maxPairs: 2 } })).toThrow(LimitExceededError);
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    expect(() => bFunction(D, I, ['y1', 'y2'], [1, 1], { signal: controller.signal })).toThrow('stop');
  });

  it('rejects bad arguments', () => {
    const D = new WeylAlgebra(QQ, ['x', 'y']);
    expect(() => restrictionWeight(D, ['z'], [1])).toThrow(/not a coordinate/);
    expect(() => restrictionWeight(D, ['x'], [0])).toThrow(/positive integer/);
    expect(() => restrictionWeight(D, ['x'], [1, 2])).toThrow(/1 restricted variables but 2 weights/);
  });
});

describe('rationalRoots', () => {
  const q = (n: number, d = 1) => Rational.of(n, d);
  it('finds rational roots with multiplicity and ignores irreducible factors', () => {
    // (s − 1)²(2s + 3)(s² + 1)(s² − 2) expanded by hand through the helper below.
    const cs = mul(mul(mul(mul([q(-1), q(1)], [q(-1), q(1)]), [q(3), q(2)]), [q(1), q(0), q(1)]), [q(-2), q(0), q(1)]);
    expect(rationalRoots(cs).map((r) => [r.root.toString(), r.multiplicity])).toEqual([
      ['-3/2', 1],
      ['1', 2],
    ]);
    expect(rationalRoots([q(0), q(0), q(1)]).map((r) => [r.root.toString(), r.multiplicity])).toEqual([['0', 2]]);
    expect(rationalRoots([q(5)])).toEqual([]);
    // Regression: (s − 2)(s² + 1); a remainder with negative leading coefficient must keep its sign in the Sturm chain.
    expect(rationalRoots([q(-2), q(1), q(-2), q(1)]).map((r) => r.root.toString())).toEqual(['2']);
  });

  it('property: the roots of Π (d_i s − n_i) · (s² + k) are exactly the n_i/d_i', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -60, max: 60 }), fc.integer({ min: 1, max: 12 })), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 50 }),
        (factors, k) => {
          let cs: Rational[] = [q(k), q(0), q(1)];
          for (const [n, d] of factors) cs = mul(cs, [q(-n), q(d)]);
          const expected = new Map<string, { r: Rational; m: number }>();
          for (const [n, d] of factors) {
            const r = Rational.of(n, d);
            const e = expected.get(r.toString());
            expected.set(r.toString(), { r, m: (e?.m ?? 0) + 1 });
          }
          const want = [...expected.values()].sort((a, b) => a.r.cmp(b.r)).map((e) => [e.r.toString(), e.m]);
          expect(rationalRoots(cs).map((r) => [r.root.toString(), r.multiplicity])).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });

  function mul(a: Rational[], b: Rational[]): Rational[] {
    const out = new Array<Rational>(a.length + b.length - 1).fill(Rational.ZERO);
    a.forEach((x, i) => b.forEach((y, j) => (out[i + j] = out[i + j]!.add(x.mul(y)))));
    return out;
  }
});
