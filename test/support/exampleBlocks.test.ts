// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the runner is tested on template literals quoted as data
/**
 * The doctest runner, tested on inline examples: if these pass while the runner silently accepted a wrong example,
 * test/examples.test.ts would prove nothing. So most cases here are examples that must fail, and where.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExampleSyntaxError, REPO_ROOT, examplesInSource, markedStatements, parseMarker, runExample, translateExample } from './exampleBlocks.ts';

const FILE = 'packages/demo/src/demo.ts';
const FENCE = 10;

/** A block whose fence is on line 10, so its code line i is file line 11 + i. */
function block(...lines: string[]) {
  return { file: FILE, line: FENCE, code: lines.join('\n') };
}

mkdirSync(join(REPO_ROOT, '.cache', 'examples'), { recursive: true });
const outDir = mkdtempSync(join(REPO_ROOT, '.cache', 'examples', 'unit-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const run = (...lines: string[]) => runExample(block(...lines), outDir);

describe('finding @example blocks', () => {
  const source = [
    "const GLOB = 'src/**/*.ts';", // 1: `/**` inside a string is no comment
    '/**', // 2
    ' * Adds.', // 3
    ' *', // 4
    ' * @example Adding two numbers', // 5
    ' * ```ts', // 6
    " * import { add } from '@holonomic-ntk/demo';", // 7
    ' * add(1, 2); // → 3', // 8
    ' * ```', // 9
    ' * @param a the first', // 10
    ' */', // 11
    'export function add(a: number, b: number): number {', // 12
    '  return a + b;', // 13
    '}', // 14
    '', // 15
    '/**', // 16
    ' * A class.', // 17
    ' * ```ts', // 18: a fence in the description is not an example
    ' * not run', // 19
    ' * ```', // 20
    ' * @example new Thing(); // old prose style', // 21
    ' */', // 22
    'export class Thing {', // 23
    '  /**', // 24
    '   * @example', // 25
    '   * ```ts', // 26
    '   * new Thing().size(); // → 0', // 27
    '   * ```', // 28
    '   *', // 29
    '   * @example', // 30
    '   * ```js', // 31: only ```ts counts
    '   * 1;', // 32
    '   * ```', // 33
    '   */', // 34
    '  size(): number {', // 35
    '    return 0;', // 36
    '  }', // 37
    '}', // 38
    '/**', // 39
    ' * @example', // 40
    ' * ```ts', // 41
    ' * 1;', // 42
    ' */', // 43
    'export const half = 0.5;', // 44
  ].join('\n');
  const scan = examplesInSource(source, FILE, 'demo');

  it('records file, fence line, declaration and code of each ```ts fence', () => {
    expect(scan.blocks.map(({ line, declaration }) => ({ line, declaration }))).toEqual([
      { line: 6, declaration: 'add' },
      { line: 26, declaration: 'Thing.size' },
      { line: 41, declaration: 'half' },
    ]);
    expect(scan.blocks[0]).toMatchObject({ pkg: 'demo', file: FILE, code: "import { add } from '@holonomic-ntk/demo';\nadd(1, 2); // → 3" });
    expect(scan.blocks[1]?.code).toBe('new Thing().size(); // → 0');
    expect(scan.blocks.slice(0, 2).map((b) => b.problem)).toEqual([undefined, undefined]);
  });

  it('records the @example sections without a ```ts fence', () => {
    expect(scan.unfenced.map(({ line, declaration }) => ({ line, declaration }))).toEqual([
      { line: 21, declaration: 'Thing' },
      { line: 30, declaration: 'Thing.size' },
    ]);
  });

  it('marks a fence that is never closed as a problem, reported at the fence', () => {
    expect(scan.blocks[2]?.problem).toMatch(/never closed/);
    expect(() => translateExample(scan.blocks[2]!)).toThrow(`${FILE}:41: `);
  });
});

describe('parsing markers', () => {
  it('reads →, ≈, ≈ ±, throws', () => {
    expect(parseMarker(" → 'x*dx + 1'")).toEqual({ kind: 'equal', expected: "'x*dx + 1'" });
    expect(parseMarker('≈ 0.5')).toEqual({ kind: 'close', expected: '0.5' });
    expect(parseMarker(' ≈ 1.5 ± 1e-9')).toEqual({ kind: 'close', expected: '1.5', tolerance: '1e-9' });
    expect(parseMarker(' throws ParseError')).toEqual({ kind: 'throws', name: 'ParseError' });
  });

  it('leaves prose alone and rejects malformed markers', () => {
    expect(parseMarker(' the rank is 2')).toBeUndefined();
    expect(parseMarker(' throwsies')).toBeUndefined();
    expect(parseMarker(' →')).toMatch(/expected value/);
    expect(parseMarker(' ≈ 1 ±')).toMatch(/≈ NUMBER ± TOLERANCE/);
    expect(parseMarker(' throws when x < 0')).toMatch(/throws ErrorName/);
  });
});

describe('translating', () => {
  it('keeps every line where it was, behind a one-line prelude', () => {
    const code = ['const a = [', '  1,', '  2,', ']; // → [1, 2]', 'a.length; // → 2', "f('a;b // → c'); // throws E"];
    const out = translateExample(block(...code)).split('\n');
    expect(out.length).toBe(code.length + 2);
    expect(out[4]).toMatch(/__doctest\.equal\(__doctest_value0, \(\[1, 2\]\), "packages\/demo\/src\/demo.ts:14: const a = \[ \.\.\."\)/);
    expect(out[5]).toBe('__doctest.equal((a.length), (2), "packages/demo/src/demo.ts:15: a.length"); // → 2');
    expect(out[6]).toMatch(/^await __doctest\.throws\(async \(\) => \(f\('a;b \/\/ → c'\)\), "E", /);
  });

  it('finds statements after strings, templates, regexes and blocks that contain ; { } //', () => {
    const code = ["const s = '{;'; const t = `${s + '}'};`; const r = /[/;]/g;", 'for (const c of s) {', '  if (c) continue;', '}', 't.length; // → 4'].join(
      '\n',
    );
    const [stmt] = markedStatements(code);
    expect(code.slice(stmt!.start, stmt!.end)).toBe('t.length');
    expect(stmt).toMatchObject({ semicolon: true, codeLine: 4 });
    const inline = "`;${'}'}` + 'x;' + /;/.source; // → ';}x;;'";
    const [whole] = markedStatements(inline);
    expect(inline.slice(whole!.start, whole!.end)).toBe("`;${'}'}` + 'x;' + /;/.source");
  });

  it('rejects markers it cannot attach, naming the line', () => {
    expect(() => translateExample(block('1;', '// → 1'))).toThrow(new ExampleSyntaxError(FILE, 12, 'a marker must follow its statement on the same line'));
    expect(() => translateExample(block('f(', '  1, // → 1', ');'))).toThrow(`${FILE}:12: a marker must end a statement`);
    expect(() => translateExample(block('x;', 'return 1; // → 1'))).toThrow(`${FILE}:12: a marker needs an expression`);
    expect(() => translateExample(block('const a = 1, b = 2; // → 2'))).toThrow(`${FILE}:11: an asserted declaration needs exactly one`);
    expect(() => translateExample(block('', "import { f } from '../src/f.ts';"))).toThrow(`${FILE}:12: examples import from package names`);
  });
});

describe('running', () => {
  it('passes when every marker holds', async () => {
    await run(
      "import { join } from 'node:path';",
      "join('a', 'b'); // → 'a/b'",
      '2n ** 70n; // → 1180591620717411303424n',
      "({ a: [1, { b: 'c' }] }); // → { a: [1, { b: 'c' }] }",
      'const n = 41 + 1; // → 42',
      'n; // → 42',
    );
  });

  it('reports a → mismatch with the file and line of the marker', async () => {
    await expect(run('const a = 1;', 'a + 1; // → 3')).rejects.toThrow(`${FILE}:12: a + 1: expected 2 to deeply equal 3`);
  });

  it('reports the marker line of a statement spanning lines', async () => {
    await expect(run('[', '  1,', '  2,', ']; // → [1, 3]')).rejects.toThrow(`${FILE}:14: `);
  });

  it('≈ N: relative tolerance 1e-12·max(1, |N|)', async () => {
    await run('0.1 + 0.2; // ≈ 0.3', '1e6 + 1e-7; // ≈ 1e6', '5e-13; // ≈ 0');
    await expect(run('1; // ≈ 1', '1 + 1e-11; // ≈ 1')).rejects.toThrow(`${FILE}:12: 1 + 1e-11: expected 1.00000000001 ≈ 1 within 1e-12`);
    await expect(run("'1'; // ≈ 1")).rejects.toThrow(`${FILE}:11: '1': expected a number ≈ 1, got "1"`);
  });

  it('≈ N ± TOL: absolute tolerance', async () => {
    await run('Math.PI; // ≈ 3.14 ± 0.01');
    await expect(run('Math.PI; // ≈ 3.14 ± 0.001')).rejects.toThrow(`${FILE}:11: Math.PI: expected ${Math.PI} ≈ 3.14 within 0.001`);
  });

  it('throws NAME: passes on that name only, and not when nothing is thrown', async () => {
    const prelude = 'class ParseError extends Error { override name = "ParseError"; }';
    await run(prelude, 'JSON.parse("{"); // throws SyntaxError', '(() => { throw new ParseError("x"); })(); // throws ParseError');
    await expect(run('JSON.parse("{"); // throws TypeError')).rejects.toThrow(
      `${FILE}:11: JSON.parse("{"): expected it to throw TypeError, but it threw SyntaxError`,
    );
    await expect(run('JSON.parse("1"); // throws SyntaxError')).rejects.toThrow(
      `${FILE}:11: JSON.parse("1"): expected it to throw SyntaxError, but it returned 1`,
    );
  });

  it('supports top-level await, also in → and throws', async () => {
    await run(
      'const v = await Promise.resolve(7); // → 7',
      'await new Promise((r) => setTimeout(r, 1));',
      'v + (await Promise.resolve(1)); // → 8',
      'await Promise.reject(new RangeError("no")); // throws RangeError',
    );
    await expect(run('await Promise.resolve(1); // → 2')).rejects.toThrow(`${FILE}:11: `);
  });

  it('declarations assert on the declared value and stay declared', async () => {
    await run('const { a, b: [c] } = { a: 1, b: [2] }; // → { a: 1, b: [2] }', 'let s: string = "x"; // → "x"', 'a + c + s; // → "3x"');
    await expect(run('const x = 2 * 2; // → 5')).rejects.toThrow(`${FILE}:11: const x = 2 * 2: expected 4 to deeply equal 5`);
    await run('const y = JSON.parse("{"); // throws SyntaxError');
    await run(
      "const m = new Map<string, number>([['a', 1]]); // → new Map([['a', 1]])",
      'const g: (x: number) => number = Math.abs; // → Math.abs',
      'const same = 1 === 1; // → true',
    );
  });

  it('names the example line of an error the example did not expect', async () => {
    await expect(run('const o: any = null;', '', 'o.field;')).rejects.toThrow(`${FILE}:13: the example threw TypeError`);
  });

  it("resolves the workspace's package names (the convention's own example)", async () => {
    await run(
      "import { QQ, WeylAlgebra, parseOperator, operatorToText } from '@holonomic-ntk/weyl-algebra';",
      "const D = new WeylAlgebra(QQ, ['x']);",
      "operatorToText(D, parseOperator(D, 'dx*x')); // → 'x*dx + 1'",
    );
  });
});
