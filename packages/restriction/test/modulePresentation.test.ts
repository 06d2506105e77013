import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModuleGroebner } from '@holonomic-ntk/groebner';
import { type Poly, QQ, type Rational, WeylAlgebra, operatorToText, parseOperators } from '@holonomic-ntk/weyl-algebra';
import { prunedPresentation, restrictionModule, restrictionModulePresentation } from '../src/index.ts';

/** Macaulay2's Drestriction(0, I, w) (fixtures/README.md): rows of `presentation` are generators, columns relations. */
interface Case {
  vars: string[];
  ideal: string[];
  weight: number[];
  generators: number;
  presentation: string[][];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/drestriction_m2.json', import.meta.url), 'utf8')) as { cases: Case[] };

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

/** Reduced POT Gröbner basis of a relation module, as text (canonical: primitive integer vectors). */
function gbText(Dx: WeylAlgebra<Rational>, rank: number, rels: readonly (readonly Poly<Rational>[])[]): string[] {
  if (rels.length === 0) return [];
  const M = new ModuleGroebner(Dx, rank, { kind: 'POT', lastComponentLeast: true });
  return M.groebnerBasis(rels).map((v) => v.map((e) => operatorToText(Dx, e)).join(' | '));
}

describe('the 0-th restriction module as a pruned presentation, against Macaulay2 Drestriction (issue 16 item 3)', () => {
  for (const c of fixture.cases) {
    const tVars = c.vars.filter((_, i) => c.weight[i]! > 0);
    it(`${c.ideal.join(', ')} along ${tVars.join(',')} (weight ${c.weight.join(',')}): ${c.generators} generator(s)`, () => {
      const D = new WeylAlgebra(QQ, c.vars);
      const P = restrictionModulePresentation(
        D,
        parseOperators(D, c.ideal.join('; ')),
        tVars,
        c.weight.filter((w) => w > 0),
      );
      expect(P.generators.length).toBe(c.generators);
      if (P.algebra.n === 0) {
        // A point: H^0 = Q^r, no relation (Macaulay2 prints r empty rows).
        expect(P.dimension).toBe(c.generators);
        expect(P.relations).toEqual([]);
        return;
      }
      const Dx = P.algebra;
      const cols = c.presentation.length > 0 ? c.presentation[0]!.length : 0;
      const theirs = Array.from({ length: cols }, (_, j) => c.presentation.map((row) => parseOperators(Dx, row[j]!)[0] ?? Dx.zero));
      const ours = gbText(Dx, c.generators, P.relations);
      // The same module up to the order of the generators (each a symbol ∂t^β, Macaulay2 orders them its own way).
      const match = permutations(c.generators).some((perm) =>
        sameList(
          ours,
          gbText(
            Dx,
            c.generators,
            theirs.map((v) => perm.map((k) => v[k]!)),
          ),
        ),
      );
      expect(match, `ours: ${JSON.stringify(P.relationText)}`).toBe(true);
    });
  }

  it('the zero module (b without an integer root ≥ 0) has no generator; a point gives a Q-dimension', () => {
    const D = new WeylAlgebra(QQ, ['x', 'y']);
    const zero = restrictionModulePresentation(D, parseOperators(D, 'x*dx+y*dy+1; x*dy-y*dx'), ['x', 'y'], [1, 1]);
    expect(zero.generators).toEqual([]);
    expect(zero.dimension).toBe(0);
    const airy = restrictionModulePresentation(D, parseOperators(D, 'dx^2 - x; dy - 1'), ['x', 'y'], [1, 1]);
    expect(airy.dimension).toBe(2);
    expect(airy.generatorText).toEqual(['dx', '1']);
  });
});

const D2 = new WeylAlgebra(QQ, ['x', 'y']);

describe('laws of pruning (property tests, fixed seed)', () => {
  // Holonomic ideals with a known module: the annihilator of x^a·y^b·e^(c·y) (exponents ≥ 0 so s0 ≥ 0).
  const ideal = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: -3, max: 3 }), fc.integer({ min: -2, max: 2 })).map(([a, b, c]) => ({
    a,
    yPart: `y*dy - ${b} - ${c}*y`,
    gens: parseOperators(D2, `x*dx - ${a}; y*dy - ${b} - ${c}*y`),
  }));

  // Tietze: a new generator e defined as a combination Σ a_j·g_j of the old ones (relation e − Σ a_j g_j, with no
  // constant a_j) gives the same module; pruning must remove it and return the same relations.
  const nonConstant = fc.constantFrom('y', 'dy', 'y*dy', 'y^2 - dy', '2*y + 3*dy');
  const modules = fc.constantFrom('x*dx - 2; y*dy - 1', 'x*dx+2*y*dy+3; dx^2-dy', 'dx^2 - x; dy - 1', 'x*dx - 1; y*dy + y');
  it('adding a generator defined through the others does not change the pruned presentation', () => {
    fc.assert(
      fc.property(modules, fc.array(nonConstant, { minLength: 3, maxLength: 3 }), (text, as) => {
        const M = restrictionModule(D2, parseOperators(D2, text), ['x'], [1]);
        if (M.kind !== 'module') return;
        const Dy = M.algebra;
        const r = M.basis.length;
        const extra: Poly<Rational>[] = [...as.slice(0, r).map((t) => Dy.neg(parseOperators(Dy, t)[0]!)), Dy.one];
        const widened = {
          ...M,
          basis: [...M.basis, [99]],
          basisText: [...M.basisText, 'e'],
          generators: [...M.generators.map((v) => [...v, Dy.zero]), extra],
        };
        const P = prunedPresentation(M);
        const Q = prunedPresentation(widened);
        expect(Q.generatorText).toEqual(P.generatorText);
        expect(gbText(Dy, P.generators.length, Q.relations)).toEqual(gbText(Dy, P.generators.length, P.relations));
      }),
      { numRuns: 40 },
    );
  });

  it('x^a·y^b·e^(cy) restricted to x = 0 (a ≥ 0): one generator ∂x^a, relation the annihilator of y^b·e^(cy)', () => {
    fc.assert(
      fc.property(ideal, ({ a, yPart, gens }) => {
        const P = restrictionModulePresentation(D2, gens, ['x'], [1]);
        expect(P.generatorText).toEqual([a === 0 ? '1' : a === 1 ? 'dx' : `dx^${a}`]);
        expect(P.relations.length).toBe(1);
        const Dy = P.algebra;
        const rel = P.relations[0]![0]!;
        // The relation generates the same ideal as y·∂y − b − c·y.
        const expected = parseOperators(Dy, yPart)[0]!;
        const G = new ModuleGroebner(Dy, 1, { kind: 'POT' });
        expect(G.groebnerBasis([[rel]]).map((v) => operatorToText(Dy, v[0]!))).toEqual(G.groebnerBasis([[expected]]).map((v) => operatorToText(Dy, v[0]!)));
      }),
      { numRuns: 40 },
    );
  });
});

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
