/**
 * Fuzz of the text parsers a user reaches from the command line: operators (weyl-algebra), formulas (restriction's
 * derive grammar and core's numeric formulas), rational functions, numeric CSV (cli). Random strings and mutations
 * of valid inputs either parse or throw an error of the one hierarchy (HolonomicError: ParseError, DomainError, …),
 * never a TypeError, a RangeError or a stack overflow. Fixed seed (test/support/fastCheckSeed.ts).
 *
 * Inputs with a power of 20 or more are left out: expanding `(x+dx)^300` is a question of limits (time, size), not
 * of parsing, and would make this test slow.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HolonomicError, ParseError, numericFormula } from '@holonomic-ntk/core';
import { QQ, RationalFunctionField, WeylAlgebra, parseOperators, parseRationalFunction } from '@holonomic-ntk/weyl-algebra';
import { formulaNormalForm, parseFormula } from '@holonomic-ntk/restriction';
import { parseNumericCsv } from '../packages/cli/src/csv.ts';
import { describeError } from '../packages/cli/src/io.ts';

const D = new WeylAlgebra(QQ, ['x', 'y']);
const F = new RationalFunctionField(['x', 'y']);

const OPERATORS = ['x*dx-1; y*dy-1', 'dx^2-x', '(x+dx)^3*y - 1/3', '2*x11*dx11', 'x*dx*y*dy + 1/2', 'dx*x; dy^2 - y^2*dx'];
const FORMULAS = [
  'heaviside(u)*sin(u)',
  'u*heaviside(u) + 1/2*heaviside(-u)*(exp(u)-1)',
  'erf(u/sqrt(2))',
  'diff(u^2*Phi(u))',
  'tanh(u)',
  'exp(-u^2/2)*cos(3*u)',
];
const RATIONALS = ['(x+1)/(y-1)', 'x^2*y/3 - 1', '-(x*y)/(x^2+1)'];
const CSVS = ['a,c,b\n1,0.5,2\n', '1,0\r\n0.6,0.8\r\n', '\uFEFFx1,x2,y\n0.5,1,2\n-1e-3,+.5,3E2\n'];
const ALPHABET = [
  ...'()^*+-/0123456789.,;: \t\n\r',
  'x',
  'y',
  'u',
  'dx',
  'dy',
  'e',
  'E',
  'sin',
  'heaviside',
  'Infinity',
  'NaN',
  '\uFEFF',
  '\u00b2',
  '∂',
  '\0',
  '1e400',
];

/** A valid input with random insertions, deletions and replacements. */
const mutated = (valid: readonly string[]) =>
  fc
    .tuple(
      fc.constantFrom(...valid),
      fc.array(fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), fc.constantFrom(...ALPHABET)), { minLength: 1, maxLength: 6 }),
    )
    .map(([text, edits]) => {
      let t = text;
      for (const [at, op, s] of edits) {
        const i = t.length === 0 ? 0 : at % (t.length + 1);
        t = op === 'insert' ? t.slice(0, i) + s + t.slice(i) : op === 'delete' ? t.slice(0, i) + t.slice(i + 1) : t.slice(0, i) + s + t.slice(i + 1);
      }
      return t;
    });

const anyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 25 }),
);

/** No power of 20 or more (see the header). */
const small = (t: string) => !/\^\s*[(\s+]*\d{2,}/.test(t) && !/\^\s*\(\s*[^)]*\d{2,}/.test(t);

/** Runs `parse` and says what escaped that is not a HolonomicError (undefined: fine). */
function escaped(parse: () => unknown): string | undefined {
  try {
    parse();
    return undefined;
  } catch (e) {
    if (e instanceof HolonomicError) return undefined;
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
}

const RUNS = Number(process.env['HGM_FUZZ_RUNS'] ?? 250);

describe('parsers never throw anything but the typed errors', () => {
  it.each([
    ['operators (weyl-algebra parseOperators)', OPERATORS, (t: string) => parseOperators(D, t)],
    ['derive formulas (restriction parseFormula, formulaNormalForm)', FORMULAS, (t: string) => (parseFormula(t), formulaNormalForm(t))],
    ['numeric formulas (core numericFormula, σ at 0.5)', FORMULAS, (t: string) => numericFormula(t).sigma.sigma(0.5)],
    ['rational functions (weyl-algebra parseRationalFunction)', RATIONALS, (t: string) => parseRationalFunction(F, t)],
    ['numeric CSV (cli parseNumericCsv)', CSVS, (t: string) => parseNumericCsv(t, 'fuzz.csv', { minColumns: 2 })],
  ] as const)('%s', (_name, valid, parse) => {
    fc.assert(
      fc.property(fc.oneof(mutated(valid), anyText).filter(small), (text) => {
        expect(
          escaped(() => parse(text)),
          JSON.stringify(text),
        ).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  });
});

describe('what reaches the user', () => {
  it('every error is one line with no token longer than 80 characters plus its length note', () => {
    const long = fc.string({ minLength: 0, maxLength: 400 });
    fc.assert(
      fc.property(long, long, fc.nat(500), fc.boolean(), (message, input, column, parse) => {
        const e = parse ? new ParseError(message, column, input) : new HolonomicError(message);
        const { message: line, code } = describeError(e);
        expect(code).toBe(2);
        expect(line).not.toMatch(/[\n\r]/);
        expect([...line].filter((ch) => ch.charCodeAt(0) < 32 && ch !== '\t')).toEqual([]);
        for (const token of line.split(/\s+/)) expect([...token].length).toBeLessThanOrEqual(81);
      }),
      { numRuns: RUNS },
    );
  });
});
