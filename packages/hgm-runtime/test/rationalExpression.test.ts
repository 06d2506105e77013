import { evaluateExpression, parseRationalExpression, PFAFFIAN_VARIABLES, type Expr } from '@holonomic-ntk/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileExpressions, compilePfaffian, type CompileStats } from '../src/index.ts';
import { rng, fixtureJson } from './helpers.ts';

const V = PFAFFIAN_VARIABLES;

/** A priori relative error bound, in units of 2^-53, of evaluating a cancellation-free expression. */
function ulps(e: Expr): number {
  switch (e.kind) {
    case 'num':
    case 'var':
      return 0;
    case 'neg':
      return ulps(e.arg);
    case 'add':
      return Math.max(ulps(e.left), ulps(e.right)) + 1;
    case 'pow': {
      const n = Math.abs(e.exponent);
      return n * ulps(e.base) + 2 * n + 2; // ≤ n − 1 roundings of products (or pow's own), 1 for a reciprocal
    }
    default:
      return ulps(e.left) + ulps(e.right) + 1;
  }
}

describe('compiler', () => {
  it('shares common subexpressions and evaluates without allocating', () => {
    const stats: CompileStats = { outputs: 0, operations: 0 };
    const exprs = ['1/(x11*x22-x12^2)', '3*x12/(x11*x22-x12^2)', 'x22*x11 - x12^2'].map((s) => parseRationalExpression(s, V));
    const f = compileExpressions(exprs, V, stats);
    // x11*x22 (shared with x22*x11), x12^2, the difference, 1/d, 3*x12, 3*x12/d: 6 operations, not 11.
    expect(stats.operations).toBe(6);
    const out = new Float64Array(3);
    f([-1, 0.5, -2], out);
    expect(Array.from(out)).toEqual([1 / 1.75, 1.5 / 1.75, 1.75]);
  });

  it('compiled == tree-walk interpreter for products, quotients, powers and sums of positive terms (rel: a priori bound)', () => {
    // No cancellation in these expressions, so each evaluation is within `ulps(e)`·2^-53 of the exact value
    // (ulps: one per operation, powers amplify their argument's error |n|-fold). Tolerance: twice that, and at
    // least 1e-15.
    const leaf = fc.oneof(fc.constantFrom('x11', 'x12', 'x22'), fc.integer({ min: 1, max: 99 }).map(String));
    const expr = fc.letrec<{ e: string }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.tuple(tie('e'), fc.constantFrom('+', '*', '/'), tie('e')).map(([a, op, b]) => `(${a})${op}(${b})`),
        fc.tuple(tie('e'), fc.integer({ min: -6, max: 9 })).map(([a, n]) => `(${a})^(${n})`),
      ),
    })).e;
    fc.assert(
      fc.property(
        fc.array(expr, { minLength: 1, maxLength: 6 }),
        fc.tuple(fc.double({ min: 0.1, max: 10, noNaN: true }), fc.double({ min: 0.1, max: 10, noNaN: true }), fc.double({ min: 0.1, max: 10, noNaN: true })),
        (texts, [x11, x12, x22]) => {
          const exprs = texts.map((t) => parseRationalExpression(t, V));
          let f: ReturnType<typeof compileExpressions>;
          try {
            f = compileExpressions(exprs, V);
          } catch (e) {
            // A constant part like 30^7^6^5 overflows, or 23^-240 underflows to a 0 divisor: the compiler refuses
            // both (tested below); skip the case.
            expect(String(e)).toMatch(/constant subexpression (evaluates to Infinity|that evaluates to 0)/);
            fc.pre(false);
            return;
          }
          const out = new Float64Array(exprs.length);
          f([x11, x12, x22], out);
          exprs.forEach((e, k) => {
            const ref = evaluateExpression(e, { x11, x12, x22 });
            if (!Number.isFinite(ref) || ref === 0 || Math.abs(ref) < 1e-290 || Math.abs(ref) > 1e290) return;
            expect(Math.abs(out[k]! - ref) / Math.abs(ref)).toBeLessThan(Math.max(1e-15, 2 * ulps(e) * 2 ** -53));
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('compiled Pfaffians of test/fixtures equal the interpreter at random points (rel 1e-15 step, 1e-13 Appell)', () => {
    const data = fixtureJson('pfaffian.json');
    const random = rng(42);
    // Step system in x11, x12, x22 through compilePfaffian, at random points of the negative-definite cone.
    const step = data.cases.find((c: any) => c.name === 'ntk-heaviside-step');
    const mats = V.map((v) => step.pfaffian[v].map((row: string[]) => row.map((s) => parseRationalExpression(s, V))));
    const P = compilePfaffian(mats);
    const out = new Float64Array(12);
    let worst = 0;
    for (let n = 0; n < 2000; n++) {
      const x11 = -(0.05 + 10 * random());
      const x22 = -(0.05 + 10 * random());
      const x12 = (2 * random() - 1) * 0.999 * Math.sqrt(x11 * x22);
      P(x11, x12, x22, out);
      mats.forEach((m, v) =>
        m.forEach((row: any[], i: number) =>
          row.forEach((e, j) => {
            const ref = evaluateExpression(e, { x11, x12, x22 });
            if (ref !== 0) worst = Math.max(worst, Math.abs(out[v * 4 + i * 2 + j]! - ref) / Math.abs(ref));
            else expect(out[v * 4 + i * 2 + j]).toBe(0);
          }),
        ),
      );
    }
    expect(worst).toBeLessThan(1e-15);

    // Appell F1 in x1, x2 with symbolic parameters: the general compiler with 6 variables.
    const appell = data.cases.find((c: any) => c.name === 'appell-F1-euler');
    const vars = [...appell.variables, ...appell.parameters];
    const exprs = ['x1', 'x2'].flatMap((v) => appell.pfaffian[v].flat().map((s: string) => parseRationalExpression(s, vars)));
    const g = compileExpressions(exprs, vars);
    const o = new Float64Array(exprs.length);
    worst = 0;
    for (let n = 0; n < 2000; n++) {
      const x = [0.05 + 0.4 * random(), 0.55 + 0.4 * random(), random(), random(), random(), 2 + random()];
      g(x, o);
      const env = Object.fromEntries(vars.map((name: string, i: number) => [name, x[i]!]));
      exprs.forEach((e: any, k: number) => {
        const ref = evaluateExpression(e, env);
        if (ref !== 0) worst = Math.max(worst, Math.abs(o[k]! - ref) / Math.abs(ref));
      });
    }
    // Sums with cancellation (e.g. x1^2*x2 − x1^3 + …) amplify single-ulp differences of Math.pow vs products.
    expect(worst).toBeLessThan(1e-13);
  });

  it('rejects a constant division by zero, constants out of double range and an unknown variable at compile time', () => {
    expect(() => compileExpressions([parseRationalExpression('x11/(2-2)')], V)).toThrow(/division/);
    // The property test's counterexamples: 30^(7·6·5) overflows; 23^-240 underflows to a 0 divisor.
    expect(() => compileExpressions([parseRationalExpression('x11*((30^7)^6)^5')], V)).toThrow(/evaluates to Infinity/);
    expect(() => compileExpressions([parseRationalExpression('(x11+x11)/(((23)^(5))^(-6))^(8)')], V)).toThrow(/evaluates to 0/);
    expect(() => compileExpressions([parseRationalExpression('y')], V)).toThrow(/unknown variable 'y'/);
  });
});
