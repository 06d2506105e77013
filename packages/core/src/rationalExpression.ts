/**
 * Rational expressions in the artifact's canonical text syntax: the tree, its parser and a reference evaluator.
 * hgm-runtime compiles these trees to float64 code (its compiledExpressions.ts).
 *
 * Syntax: integers, variables ([A-Za-z_][A-Za-z0-9_]*), `+ - * /`, `^` with an integer exponent (`x^3`,
 * `x^-2`, `x^(-2)`), parentheses and unary minus. A rational constant is a division of integers (`3/4`).
 * Precedence: `^` binds tighter than unary minus (`-x^2` is `-(x^2)`), which binds tighter than `* /`,
 * which bind tighter than `+ -`; binary operators are left-associative.
 */
import { DomainError, ParseError } from './errors.ts';
import { isDigit, isIdentPart, isIdentStart } from './characters.ts';

/** Expression tree. Integer literals keep their text so the exact value is not lost to float rounding. */
export type Expr =
  | { readonly kind: 'num'; readonly text: string; readonly value: number }
  | { readonly kind: 'var'; readonly name: string }
  | { readonly kind: 'neg'; readonly arg: Expr }
  | { readonly kind: 'add' | 'sub' | 'mul' | 'div'; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'pow'; readonly base: Expr; readonly exponent: number };

/** Exponents beyond this are surely a typo; they would also make the generated code needlessly long. */
const MAX_EXPONENT = 1000;

/**
 * Parses canonical rational-expression text. With `variables`, any other identifier is a `ParseError`.
 *
 * @example
 * ```ts
 * import { evaluateExpression, parseRationalExpression } from '@holonomic-ntk/core';
 * const e = parseRationalExpression('-(2*x11*x22+x12^2)/(2*x11)', ['x11', 'x12', 'x22']);
 * evaluateExpression(e, { x11: -1, x12: 0, x22: -1 }); // → 1
 * parseRationalExpression('-x^2'); // → { kind: 'neg', arg: { kind: 'pow', base: { kind: 'var', name: 'x' }, exponent: 2 } }
 * parseRationalExpression('x11*y', ['x11', 'x12', 'x22']); // throws ParseError
 * parseRationalExpression('1.5*x'); // throws ParseError
 * ```
 */
export function parseRationalExpression(text: string, variables?: readonly string[]): Expr {
  return new Parser(text, variables).parseAll();
}

class Parser {
  private pos = 0;
  constructor(
    private readonly text: string,
    private readonly variables: readonly string[] | undefined,
  ) {}

  parseAll(): Expr {
    this.skipSpace();
    if (this.pos >= this.text.length) this.fail('empty expression');
    const e = this.parseSum();
    this.skipSpace();
    if (this.pos < this.text.length) this.fail(`unexpected '${this.text[this.pos]}'`);
    return e;
  }

  private fail(message: string, pos = this.pos): never {
    throw new ParseError(message, pos + 1, this.text);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  private peek(): string | undefined {
    this.skipSpace();
    return this.text[this.pos];
  }

  private parseSum(): Expr {
    let left = this.parseProduct();
    for (let c = this.peek(); c === '+' || c === '-'; c = this.peek()) {
      this.pos++;
      const right = this.parseProduct();
      left = { kind: c === '+' ? 'add' : 'sub', left, right };
    }
    return left;
  }

  private parseProduct(): Expr {
    let left = this.parseUnary();
    for (let c = this.peek(); c === '*' || c === '/'; c = this.peek()) {
      this.pos++;
      const right = this.parseUnary();
      left = { kind: c === '*' ? 'mul' : 'div', left, right };
    }
    return left;
  }

  private parseUnary(): Expr {
    const c = this.peek();
    if (c === '-') {
      this.pos++;
      return { kind: 'neg', arg: this.parseUnary() };
    }
    if (c === '+') {
      this.pos++;
      return this.parseUnary();
    }
    return this.parsePower();
  }

  private parsePower(): Expr {
    const base = this.parsePrimary();
    if (this.peek() !== '^') return base;
    this.pos++;
    const exponent = this.parseExponent();
    return { kind: 'pow', base, exponent };
  }

  /** `^` takes an integer, optionally negative, optionally in parentheses: `x^2`, `x^-1`, `x^(-1)`. */
  private parseExponent(): number {
    let paren = false;
    if (this.peek() === '(') {
      paren = true;
      this.pos++;
    }
    let sign = 1;
    if (this.peek() === '-') {
      sign = -1;
      this.pos++;
    }
    this.skipSpace();
    const start = this.pos;
    while (this.pos < this.text.length && isDigit(this.text[this.pos]!)) this.pos++;
    if (this.pos === start) this.fail('expected an integer exponent after ^');
    const n = Number(this.text.slice(start, this.pos));
    if (n > MAX_EXPONENT) this.fail(`exponent ${n} is larger than ${MAX_EXPONENT}`, start);
    if (paren) {
      if (this.peek() !== ')') this.fail("expected ')' after the exponent");
      this.pos++;
    }
    if (this.peek() === '^') this.fail('chained ^ is ambiguous; use parentheses');
    return sign * n;
  }

  private parsePrimary(): Expr {
    const c = this.peek();
    if (c === undefined) this.fail('unexpected end of expression');
    if (c === '(') {
      const open = this.pos;
      this.pos++;
      if (this.peek() === ')') this.fail('empty parentheses');
      const e = this.parseSum();
      if (this.peek() !== ')') this.fail(`missing ')' for the '(' at column ${open + 1}`);
      this.pos++;
      return e;
    }
    if (isDigit(c)) {
      const start = this.pos;
      while (this.pos < this.text.length && isDigit(this.text[this.pos]!)) this.pos++;
      if (this.text[this.pos] === '.' || this.text[this.pos] === 'e' || this.text[this.pos] === 'E') {
        this.fail('only integers and ratios of integers are allowed (no decimal point or exponent notation)');
      }
      const digits = this.text.slice(start, this.pos);
      // Number() of a decimal string is correctly rounded, so large integers lose at most half an ulp.
      return { kind: 'num', text: digits, value: Number(digits) };
    }
    if (isIdentStart(c)) {
      const start = this.pos;
      while (this.pos < this.text.length && isIdentPart(this.text[this.pos]!)) this.pos++;
      const name = this.text.slice(start, this.pos);
      if (this.variables && !this.variables.includes(name)) {
        this.fail(`unknown variable '${name}' (expected one of ${this.variables.join(', ')})`, start);
      }
      return { kind: 'var', name };
    }
    this.fail(`unexpected '${c}'`);
  }
}

/**
 * The variables an expression mentions, in first-occurrence order.
 *
 * @example
 * ```ts
 * import { expressionVariables, parseRationalExpression } from '@holonomic-ntk/core';
 * expressionVariables(parseRationalExpression('x12/(x11*x12)')); // → ['x12', 'x11']
 * ```
 */
export function expressionVariables(e: Expr, into: string[] = []): string[] {
  switch (e.kind) {
    case 'num':
      break;
    case 'var':
      if (!into.includes(e.name)) into.push(e.name);
      break;
    case 'neg':
      expressionVariables(e.arg, into);
      break;
    case 'pow':
      expressionVariables(e.base, into);
      break;
    default:
      expressionVariables(e.left, into);
      expressionVariables(e.right, into);
  }
  return into;
}

/**
 * Direct tree-walking evaluation (the reference the compiled code is tested against). Uses `Math.pow`, so it
 * shares no rounding path with the compiler's repeated multiplication.
 *
 * @example
 * ```ts
 * import { evaluateExpression, parseRationalExpression } from '@holonomic-ntk/core';
 * evaluateExpression(parseRationalExpression('3/4*x^2'), { x: 2 }); // → 3
 * evaluateExpression(parseRationalExpression('x^-2 + 1'), { x: 2 }); // → 1.25
 * evaluateExpression(parseRationalExpression('x + y'), { x: 1 }); // throws DomainError
 * ```
 */
export function evaluateExpression(e: Expr, env: Readonly<Record<string, number>>): number {
  switch (e.kind) {
    case 'num':
      return e.value;
    case 'var': {
      const v = env[e.name];
      if (v === undefined) throw new DomainError(`no value for variable '${e.name}'`);
      return v;
    }
    case 'neg':
      return -evaluateExpression(e.arg, env);
    case 'add':
      return evaluateExpression(e.left, env) + evaluateExpression(e.right, env);
    case 'sub':
      return evaluateExpression(e.left, env) - evaluateExpression(e.right, env);
    case 'mul':
      return evaluateExpression(e.left, env) * evaluateExpression(e.right, env);
    case 'div':
      return evaluateExpression(e.left, env) / evaluateExpression(e.right, env);
    case 'pow':
      return evaluateExpression(e.base, env) ** e.exponent;
  }
}

/**
 * The Pfaffian variables, in the order of the compiled functions' arguments.
 *
 * @example
 * ```ts
 * import { PFAFFIAN_VARIABLES, parseRationalExpression } from '@holonomic-ntk/core';
 * PFAFFIAN_VARIABLES; // → ['x11', 'x12', 'x22']
 * parseRationalExpression('1/(x11*x22-x12^2)', PFAFFIAN_VARIABLES).kind; // → 'div'
 * ```
 */
export const PFAFFIAN_VARIABLES = ['x11', 'x12', 'x22'] as const;
export type PfaffianVariable = (typeof PFAFFIAN_VARIABLES)[number];
