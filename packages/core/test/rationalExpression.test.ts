import { evaluateExpression, expressionVariables, parseRationalExpression, ParseError, PFAFFIAN_VARIABLES } from '@holonomic-ntk/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const V = PFAFFIAN_VARIABLES;
const ev = (text: string, env: Record<string, number>) => evaluateExpression(parseRationalExpression(text), env);

describe('parser', () => {
  it('precedence: ^ over unary minus over * / over + -, left associative', () => {
    expect(ev('-x^2', { x: 3 })).toBe(-9);
    expect(ev('2-3-4', {})).toBe(-5);
    expect(ev('8/4/2', {})).toBe(1);
    expect(ev('2*3^2', {})).toBe(18);
    expect(ev('-(2*x11*x22+x12^2)/(2*x11*(x11*x22-x12^2))', { x11: -1, x12: 0, x22: -1 })).toBe(1);
    expect(ev('x^-2 + x^(-1) + 3/4', { x: 2 })).toBe(1.5);
    expect(ev(' - - x ', { x: 5 })).toBe(5);
  });

  it('reports the column of a syntax error', () => {
    const cases: [string, number, RegExp][] = [
      ['x11 + * 2', 7, /unexpected '\*'/],
      ['(x11 + 1', 9, /missing '\)'/],
      ['x11 ^ y', 7, /integer exponent/],
      ['1.5*x11', 2, /only integers/],
      ['x11 $ 2', 5, /unexpected '\$'/],
      ['x11*x13', 5, /unknown variable 'x13'/],
      ['', 1, /empty/],
      ['x11^2^3', 6, /chained/],
    ];
    for (const [text, column, message] of cases) {
      let err: unknown;
      try {
        parseRationalExpression(text, V);
      } catch (e) {
        err = e;
      }
      expect(err, text).toBeInstanceOf(ParseError);
      expect((err as ParseError).column, text).toBe(column);
      expect((err as ParseError).message, text).toMatch(message);
      expect((err as ParseError).message).toContain(`column ${column}`);
    }
  });
});

describe('expressionVariables and evaluateExpression', () => {
  it('lists variables in first-occurrence order, once each', () => {
    expect(expressionVariables(parseRationalExpression('x22*(x11 - x22)^2/x12'))).toEqual(['x22', 'x11', 'x12']);
    expect(expressionVariables(parseRationalExpression('3/4'))).toEqual([]);
  });

  it('the printed form of a sum of integer monomials parses back to the same value (property)', () => {
    // Integers and small powers: every intermediate is an exact float, so the comparison is exact.
    const term = fc.tuple(fc.integer({ min: -50, max: 50 }), fc.constantFrom(...V), fc.integer({ min: 0, max: 3 }));
    fc.assert(
      fc.property(
        fc.array(term, { minLength: 1, maxLength: 6 }),
        fc.tuple(fc.integer({ min: -9, max: 9 }), fc.integer({ min: -9, max: 9 }), fc.integer({ min: -9, max: 9 })),
        (terms, [x11, x12, x22]) => {
          const env: Record<string, number> = { x11, x12, x22 };
          const text = terms.map(([c, v, n]) => `(${c})*${v}^${n}`).join(' + ');
          const expected = terms.reduce((s, [c, v, n]) => s + c * env[v]! ** n, 0);
          expect(evaluateExpression(parseRationalExpression(text, V), env) + 0).toBe(expected + 0); // + 0: -0 and 0 are the same value here
        },
      ),
      { numRuns: 200 },
    );
  });
});
