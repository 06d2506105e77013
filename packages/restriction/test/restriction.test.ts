import { HERE, restrictionCases } from './testdata.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModuleGroebner, RationalWeylIdeal, idealEquals } from '@holonomic-ntk/groebner';
import { LimitExceededError, type Poly, QQ, type Rational, WeylAlgebra, operatorToText, parseOperator, parseOperators } from '@holonomic-ntk/weyl-algebra';
import { restrictionIdeal, restrictionIdealOfModule } from '../src/restrictionIdeal.ts';
import { restrictedProduct, restrictionBasis, restrictionModule } from '../src/restrictionModule.ts';

const cases = restrictionCases;

/** Text of a vector of D_x, entries compact. */
const vecText = (Dx: WeylAlgebra<Rational>, v: readonly Poly<Rational>[]) => `(${v.map((e) => operatorToText(Dx, e, { compact: true })).join(', ')})`;

describe('restriction to t = 0: restriction.json', () => {
  for (const c of cases.filter((k) => k.kind === 'restriction')) {
    it(`${c.name}: restriction ideal (Gröbner-basis equality), s0${c.expectRank ? ', rank' : ''}`, () => {
      const D = new WeylAlgebra(
        QQ,
        c.vars.map((x, i) => ({ x, d: c.dvars[i]! })),
      );
      const nt = c.weight.filter((w) => w > 0).length;
      const I = parseOperators(D, c.ideal.join(';'));
      const r = restrictionIdeal(D, I, c.vars.slice(0, nt), c.weight.slice(0, nt));
      expect(r.module.bFunction.s0).toBe(BigInt(c.expectS0));
      const expected = parseOperators(r.algebra, c.expectIdeal.join(';'));
      expect(idealEquals(r.algebra, r.generators, expected)).toBe(true);
      if (c.expectIdeal.length === 1 && c.expectIdeal[0] === '1') expect(r.kind).toBe('unit');
      else expect(r.kind).toBe('ideal');
      if (c.expectReducedGBGrevlex) {
        expect(idealEquals(r.algebra, r.generators, parseOperators(r.algebra, c.expectReducedGBGrevlex.join(';')))).toBe(true);
      }
      if (c.expectRank !== undefined) expect(RationalWeylIdeal.compute(r.algebra, r.generators).rank).toBe(c.expectRank);
      if (c.expectHolonomicRankOfInput !== undefined) expect(RationalWeylIdeal.compute(D, I).rank).toBe(c.expectHolonomicRankOfInput);
    });
  }

  it('unit-ideal: the worked check of MATH.md §3, module generators over (dx, 1)', () => {
    const c = cases.find((k) => k.name === 'unit-ideal')!;
    const D = new WeylAlgebra(QQ, ['x', 'y']);
    const M = restrictionModule(D, parseOperators(D, c.ideal.join(';')), ['x'], [1]);
    expect(M.kind).toBe('module');
    if (M.kind !== 'module') return;
    expect(M.basisText).toEqual(['dx', '1']);
    expect(c.expectModuleGenerators).toContain('over basis (dx^1, dx^0)');
    // Same set of vectors as the expected "(0, y*dy-1), (y*dy-1, 0), (0, -1)" (the order of generators is free).
    expect(M.generators.map((v) => vecText(M.algebra, v)).sort()).toEqual(['(0, y*dy-1)', '(0, -1)', '(y*dy-1, 0)'].sort());
    const r = restrictionIdealOfModule(M);
    expect(r.kind).toBe('unit');
    expect(r.generators.map((g) => operatorToText(r.algebra, g))).toEqual(['1']);
  });
});

describe('the restricted product ∂t^β·g at t = 0', () => {
  it('equals the Weyl product followed by t = 0 (random g, β; 1 and 2 restricted variables)', () => {
    const D = new WeylAlgebra(QQ, ['t1', 'x', 't2']);
    const mono = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 6, maxLength: 6 });
    const g = fc.array(fc.tuple(mono, fc.integer({ min: -9, max: 9 }), fc.integer({ min: 1, max: 4 })), { maxLength: 6 }).map((ts) =>
      D.poly.fromTerms(
        ts.map((t) => t[0]),
        ts.map((t) => QQ.div(QQ.fromInt(t[1]), QQ.fromInt(t[2]))),
      ),
    );
    const beta = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 2, maxLength: 2 });
    fc.assert(
      fc.property(g, beta, fc.boolean(), (p, b, both) => {
        const tIdx = both ? [0, 2] : [2];
        const bb = both ? b : [b[0]!];
        const m = [0, 0, 0, 0, 0, 0];
        tIdx.forEach((i, j) => (m[3 + i] = bb[j]!));
        let ref = D.mulTermLeft(m, QQ.one, p);
        for (const i of tIdx) ref = D.substituteX(ref, D.xNames[i]!, QQ.zero);
        const got = restrictedProduct(p, bb, 3, tIdx);
        expect(D.eq(D.poly.fromTerms(got.monos, got.coeffs), ref)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('restriction: degenerate answers are explicit', () => {
  it('b without integer root ≥ 0: module 0, ideal (1)', () => {
    const D = new WeylAlgebra(QQ, ['t', 'x']);
    const half = restrictionIdeal(D, parseOperators(D, 't*dt-1/2; dx'), ['t'], [1]);
    expect(half.kind).toBe('unit');
    expect(half.module.kind).toBe('zero');
    expect(half.reason).toMatch(/no integer root/);
    const inv = restrictionIdeal(D, parseOperators(D, 't*dt+1; dx'), ['t'], [1]);
    expect(inv.kind).toBe('unit');
    expect(inv.reason).toMatch(/-1 < 0/);
  });

  it('nothing annihilates the class of 1: the zero ideal', () => {
    // D·∂t restricted to t = 0 is D_x itself (functions of x alone): b = s, s0 = 0, no relation.
    const D = new WeylAlgebra(QQ, ['t', 'x']);
    const r = restrictionIdeal(D, parseOperators(D, 'dt'), ['t'], [1]);
    expect(r.module.bFunction.text).toBe('s');
    expect(r.kind).toBe('zero');
    expect(r.generators).toEqual([]);
  });

  it('a generator of negative (−w,w)-order contributes ∂t^β beyond B', () => {
    // δ(t1)·t2² ⊗ 1(x): I = ⟨t1, t2∂t2 − 2, ∂t2³, ∂x⟩, w = (1, 1). θ ≡ (∂t1·t1 − 1) + 2 = 1, so b = s − 1 and
    // B = {∂t1, ∂t2, 1}; g = t1 has order −1, so β runs over |β| ≤ 2: ∂t1²·t1 = t1∂t1² + 2∂t1 gives (2, 0, 0).
    const D = new WeylAlgebra(QQ, ['t1', 't2', 'x']);
    const M = restrictionModule(D, parseOperators(D, 't1; t2*dt2-2; dt2^3; dx'), ['t1', 't2'], [1, 1]);
    expect(M.bFunction.text).toBe('s-1');
    if (M.kind !== 'module') throw new Error('expected a module');
    expect(M.basisText).toEqual(['dt1', 'dt2', '1']);
    expect(M.generators.map((v) => vecText(M.algebra, v))).toContain('(2, 0, 0)');
    // The restriction of δ(t1) is 0 in degree 0, so the ideal is (1).
    expect(restrictionIdealOfModule(M).kind).toBe('unit');
  });

  it('basis B is ordered by decreasing weight with ∂t^0 last', () => {
    expect(restrictionBasis([1, 1], 1)).toEqual([
      [1, 0],
      [0, 1],
      [0, 0],
    ]);
    expect(restrictionBasis([2, 1], 2)).toEqual([
      [1, 0],
      [0, 2],
      [0, 1],
      [0, 0],
    ]);
    expect(restrictionBasis([1], -1)).toEqual([]);
  });
});

// ---- Dual-activation systems of MATH.md §5 --------------------------------------------------------------------

const Dxy = new WeylAlgebra(QQ, ['y1', 'y2', 'x11', 'x12', 'x22']);
const Duv = new WeylAlgebra(QQ, ['u', 'v']);
/** The transfer rule ι: u ↦ ∂y1, v ↦ ∂y2, ∂u ↦ −(y1 + 2x11∂y1 + 2x12∂y2), ∂v ↦ −(y2 + 2x12∂y1 + 2x22∂y2). */
const transfer = Duv.homomorphism(Dxy, {
  u: parseOperator(Dxy, 'dy1'),
  v: parseOperator(Dxy, 'dy2'),
  du: parseOperator(Dxy, '-(y1 + 2*x11*dy1 + 2*x12*dy2)'),
  dv: parseOperator(Dxy, '-(y2 + 2*x12*dy1 + 2*x22*dy2)'),
});
/** I1 for σ annihilated by P(u, ∂u): ι(P(u)), ι(P(v)) and the three heat equations. */
function dualSystem(P: string): Poly<Rational>[] {
  const Q = P.replaceAll('du', 'DV').replaceAll('u', 'v').replaceAll('DV', 'dv');
  return [transfer(parseOperator(Duv, P)), transfer(parseOperator(Duv, Q)), ...parseOperators(Dxy, 'dx11-dy1^2; dx12-2*dy1*dy2; dx22-dy2^2')];
}
const fixture = (name: string) => readFileSync(join(HERE, 'fixtures', name), 'utf8');

describe('dual activations (MATH.md §5)', () => {
  it('ReLU: ι(u∂u − 1) as in MATH.md; restriction ideal = ⟨2x11∂11 + x12∂12 + 2, x12∂12 + 2x22∂22 + 2, 4∂11∂22 − ∂12²⟩, rank 2', () => {
    const I = dualSystem('u*du-1');
    expect(Dxy.eq(I[0]!, parseOperator(Dxy, '-(2*x11*dy1^2 + 2*x12*dy1*dy2 + y1*dy1 + 2)'))).toBe(true);
    const r = restrictionIdeal(Dxy, I, ['y1', 'y2'], [1, 1]);
    expect(r.module.bFunction.text).toBe('s^2-s');
    expect(r.kind).toBe('ideal');
    const Dx = r.algebra;
    expect(idealEquals(Dx, r.generators, parseOperators(Dx, '2*x11*dx11+x12*dx12+2; x12*dx12+2*x22*dx22+2; 4*dx11*dx22-dx12^2'))).toBe(true);
    expect(idealEquals(Dx, r.generators, parseOperators(Dx, fixture('singular_relu_resIdeal.txt')))).toBe(true);
    expect(RationalWeylIdeal.compute(Dx, r.generators).rank).toBe(2);
  });

  it('ReLU restriction module: presentation over (∂y1, ∂y2, 1) and the POT elimination agree with membership', () => {
    const M = restrictionModule(Dxy, dualSystem('u*du-1'), ['y1', 'y2'], [1, 1]);
    if (M.kind !== 'module') throw new Error('expected a module');
    expect(M.basisText).toEqual(['dy1', 'dy2', '1']);
    const r = restrictionIdealOfModule(M);
    // Every restriction-ideal generator g gives (0, 0, g) in the module N.
    const MG = new ModuleGroebner(M.algebra, 3, { kind: 'POT', lastComponentLeast: true });
    const G = MG.groebnerBasis(M.generators);
    for (const g of r.generators) expect(MG.isMember([M.algebra.zero, M.algebra.zero, g], G)).toBe(true);
  });

  it('ReSin (σ = Y(u) sin u): restriction ideal equals Singular’s, rank 5 (~1 s warm, timed)', () => {
    const I = dualSystem('u*(du^2+1)');
    // The transfer image is exactly the operator Singular was given (dy1·(B1² + 1)).
    const singularInput = parseOperator(
      Dxy,
      '4*x11^2*dy1^3+8*x11*x12*dy1^2*dy2+4*x12^2*dy1*dy2^2+4*y1*x11*dy1^2+4*y1*x12*dy1*dy2+y1^2*dy1+6*x11*dy1+4*x12*dy2+2*y1+dy1',
    );
    expect(Dxy.eq(I[0]!, singularInput)).toBe(true);
    const t0 = performance.now();
    const r = restrictionIdeal(Dxy, I, ['y1', 'y2'], [1, 1]);
    const ms = performance.now() - t0;
    expect(r.module.bFunction.text).toBe('s^2-s');
    expect(r.kind).toBe('ideal');
    const Dx = r.algebra;
    expect(idealEquals(Dx, r.generators, parseOperators(Dx, fixture('singular_resin_resIdeal.txt')))).toBe(true);
    expect(RationalWeylIdeal.compute(Dx, r.generators).rank).toBe(5);
    console.info(`ReSin restriction ideal: ${ms.toFixed(0)} ms, ${r.generators.length} elements in the reduced grevlex basis`);
  }, 120_000);

  it('limits and cancellation propagate through the restriction', () => {
    const I = dualSystem('u*du-1');
    expect(() => restrictionIdeal(Dxy, I, ['y1', 'y2'], [1, 1], { limits: { maxPairs: 3 } })).toThrow(LimitExceededError);
    const controller = new AbortController();
    controller.abort(new Error('cancelled by the user'));
    expect(() => restrictionIdeal(Dxy, I, ['y1', 'y2'], [1, 1], { signal: controller.signal })).toThrow('cancelled by the user');
  });
});
