/**
 * The one expression parser of the project: text → a ring-free syntax tree ({@link ParsedExpr}). weyl-algebra
 * evaluates the tree into polynomials, operators, rational functions and rationals (its parser.ts), restriction
 * reads activation formulas from it, and core's numericFormula compiles float64 activations from it.
 *
 * Grammar (columns are 1-based positions in the input; whitespace is free):
 *
 *   list     := expr ((';' | ',') expr)* [';' | ',']
 *   expr     := term (('+' | '-') term)*
 *   term     := unary (('*' | '/') unary)*
 *   unary    := ('-' | '+') unary | power
 *   power    := primary ['^' exponent]
 *   exponent := ('-' | '+') exponent | primary ['^' exponent]     (must evaluate to an integer constant)
 *   primary  := INTEGER | IDENTIFIER | '(' expr ')'
 *             | IDENTIFIER '(' expr (',' expr)* ')'             (calls: only with parseExpressionWithCalls)
 *
 * So `^` binds tighter than unary minus (`-x^2` = −(x²)) and is right-associative (`x^2^3` = x^8). Products are
 * explicit: `2x` and `x y` are errors, because in the Weyl algebra a silent product would hide the order of the
 * factors. Sums and products are n-ary nodes evaluated left to right, which keeps the recursion depth independent
 * of the number of terms and fixes the factor order for non-commutative targets. Decimals (1.5) are refused with
 * the fraction to write instead (3/2).
 */
import { ParseError } from './errors.ts';
import { isDigit, isIdentPart, isIdentStart } from './characters.ts';

// ---------------------------------------------------------------------------------------------------------------
// AST

/**
 * One `+ term`, `- term`, `* factor` or `/ factor` after the first operand of a sum or product.
 *
 * @example
 * ```ts
 * import { parseExpression, type ParsedOperand } from '@holonomic-ntk/core';
 * const e = parseExpression('x - 1');
 * const rest: readonly ParsedOperand<'+' | '-'>[] = e.kind === 'sum' ? e.rest : [];
 * rest[0]; // → { op: '-', operand: { kind: 'integer', value: 1n, column: 5 }, column: 3 }
 * ```
 */
export interface ParsedOperand<Op extends string, Call = never> {
  readonly op: Op;
  readonly operand: ParsedExpr<Call>;
  /** Column of the operator. */
  readonly column: number;
}

/**
 * A parsed expression. Every node carries the 1-based column where it starts (operators: of the operator); the
 * root carries the parsed text as `source`. `Call` is the extra node kind of grammars with calls ({@link CallExpr}).
 *
 * @example
 * ```ts
 * import { parseExpression, type ParsedExpr } from '@holonomic-ntk/core';
 * const e: ParsedExpr = parseExpression('-x^2');
 * e; // → { kind: 'negate', operand: { kind: 'power', base: { kind: 'variable', name: 'x', column: 2 }, exponent: { kind: 'integer', value: 2n, column: 4 }, column: 3, exponentColumn: 4 }, column: 1, source: '-x^2' }
 * ```
 */
export type ParsedExpr<Call = never> =
  | { readonly kind: 'integer'; readonly value: bigint; readonly column: number; readonly source?: string }
  | { readonly kind: 'variable'; readonly name: string; readonly column: number; readonly source?: string }
  | { readonly kind: 'negate'; readonly operand: ParsedExpr<Call>; readonly column: number; readonly source?: string }
  | {
      readonly kind: 'sum';
      readonly first: ParsedExpr<Call>;
      readonly rest: readonly ParsedOperand<'+' | '-', Call>[];
      readonly column: number;
      readonly source?: string;
    }
  | {
      readonly kind: 'product';
      readonly first: ParsedExpr<Call>;
      readonly rest: readonly ParsedOperand<'*' | '/', Call>[];
      readonly column: number;
      readonly source?: string;
    }
  | {
      readonly kind: 'power';
      readonly base: ParsedExpr<Call>;
      readonly exponent: ParsedExpr<Call>;
      /** Column of `^`. */
      readonly column: number;
      /** Column of the first character of the exponent (errors about the exponent point here). */
      readonly exponentColumn: number;
      readonly source?: string;
    }
  | Call;

/**
 * A call `name(arg, …)` of {@link parseExpressionWithCalls}; `column` is the column of the name.
 *
 * @example
 * ```ts
 * import { type CallExpr, parseExpressionWithCalls } from '@holonomic-ntk/core';
 * const e = parseExpressionWithCalls('max(u, 0)', () => 2);
 * const call = e as CallExpr;
 * [call.name, call.args.length, call.column]; // → ['max', 2, 1]
 * ```
 */
export interface CallExpr {
  readonly kind: 'call';
  readonly name: string;
  readonly args: readonly ExprWithCalls[];
  readonly column: number;
  readonly source?: string;
}

/**
 * The tree of {@link parseExpressionWithCalls}: a {@link ParsedExpr} whose nodes may also be calls.
 *
 * @example
 * ```ts
 * import { type ExprWithCalls, parseExpressionWithCalls } from '@holonomic-ntk/core';
 * const e: ExprWithCalls = parseExpressionWithCalls('exp(u)', () => 1);
 * e.kind; // → 'call'
 * ```
 */
export type ExprWithCalls = ParsedExpr<CallExpr>;

// ---------------------------------------------------------------------------------------------------------------
// Tokenizer

type TokenKind = 'int' | 'decimal' | 'ident' | 'op' | 'lparen' | 'rparen' | 'sep' | 'end';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly column: number;
}

function tokenize(input: string, calls: boolean): Token[] {
  const tokens: Token[] = [];
  const n = input.length;
  let i = 0;
  while (i < n) {
    const ch = input[i]!;
    const column = i + 1;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
    } else if (isDigit(ch) || (ch === '.' && i + 1 < n && isDigit(input[i + 1]!))) {
      let j = i;
      while (j < n && isDigit(input[j]!)) j++;
      let kind: TokenKind = 'int';
      if (j < n && input[j] === '.') {
        kind = 'decimal';
        j++;
        while (j < n && isDigit(input[j]!)) j++;
      }
      tokens.push({ kind, text: input.slice(i, j), column });
      i = j;
    } else if (isIdentStart(ch)) {
      let j = i + 1;
      while (j < n && isIdentPart(input[j]!)) j++;
      tokens.push({ kind: 'ident', text: input.slice(i, j), column });
      i = j;
    } else if (ch === '+' || ch === '-' || ch === '*' || ch === '/' || ch === '^') {
      tokens.push({ kind: 'op', text: ch, column });
      i++;
    } else if (ch === '(') {
      tokens.push({ kind: 'lparen', text: ch, column });
      i++;
    } else if (ch === ')') {
      tokens.push({ kind: 'rparen', text: ch, column });
      i++;
    } else if (ch === ';' || ch === ',') {
      tokens.push({ kind: 'sep', text: ch, column });
      i++;
    } else {
      throw badCharacter(input, i, calls);
    }
  }
  tokens.push({ kind: 'end', text: '', column: n + 1 });
  return tokens;
}

const EXPECTED_TOKEN = 'a number, a variable, an operator (+ - * / ^), a parenthesis, or a separator (; ,)';
const EXPECTED_TOKEN_CALLS = 'a number, a variable, a function call, an operator (+ - * / ^), a parenthesis, or a comma between arguments';

function badCharacter(input: string, i: number, calls: boolean): ParseError {
  const cp = input.codePointAt(i)!;
  const ch = String.fromCodePoint(cp);
  const shown = cp < 0x20 || cp === 0x7f ? `U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : `'${ch}'`;
  let hint = '';
  // ∂ is operator text; a formula with calls has no ∂ to write.
  if (ch === '∂' && !calls) hint = ' (write ∂x as dx)';
  else if (ch === '[' || ch === ']' || ch === '{' || ch === '}') hint = ' (only round parentheses group)';
  else if (ch === '.') hint = ' (write rationals as fractions such as 3/2)';
  else if (ch === '=') hint = ' (write the expression alone, not an equation)';
  else if ('⁰¹²³⁴⁵⁶⁷⁸⁹'.includes(ch)) hint = ' (write powers with ^, as in x^2)';
  else if (ch === '·' || ch === '×') hint = ' (write products with *)';
  const expected = calls ? EXPECTED_TOKEN_CALLS : EXPECTED_TOKEN;
  return new ParseError(`unexpected character ${shown}${hint}: expected ${expected}`, i + 1, input, expected);
}

// ---------------------------------------------------------------------------------------------------------------
// Parser

/** Parentheses and unary signs nest at most this deep; deeper input is rejected instead of overflowing the stack. */
const MAX_DEPTH = 500;

const EXPECTED_OPERAND = 'an operand (a number, a variable or "(")';
const EXPECTED_OPERAND_CALLS = 'an operand (a number, a variable, a function call or "(")';
const EXPECTED_OPERATOR = 'an operator (+ - * / ^)';

/**
 * The number of arguments the function `name` takes; called when `name(` is read (`column` is the column of the
 * name). Throw a {@link ParseError} to refuse an unknown name.
 *
 * @example
 * ```ts
 * import { type ArityOf, ParseError, parseExpressionWithCalls } from '@holonomic-ntk/core';
 * const onlyExp: ArityOf = (name, column) => {
 *   if (name !== 'exp') throw new ParseError(`unknown function ${name}`, column, 'u*exp(u) + tanh(u)');
 *   return 1;
 * };
 * parseExpressionWithCalls('u*exp(u) + tanh(u)', onlyExp); // throws ParseError
 * ```
 */
export type ArityOf = (name: string, column: number) => number;

function describe(t: Token): string {
  return t.kind === 'end' ? 'the end of the input' : `'${t.text}'`;
}

class Parser {
  private pos = 0;
  private depth = 0;
  private readonly tokens: Token[];
  private readonly expectedOperand: string;

  constructor(
    private readonly input: string,
    private readonly arityOf?: ArityOf,
  ) {
    this.tokens = tokenize(input, arityOf !== undefined);
    this.expectedOperand = arityOf === undefined ? EXPECTED_OPERAND : EXPECTED_OPERAND_CALLS;
  }

  parseSingle(): ExprWithCalls {
    this.checkNotEmpty();
    const e = this.parseExpr();
    this.expectAfterExpression(null, false);
    return withSource(e, this.input);
  }

  parseList(): ExprWithCalls[] {
    this.checkNotEmpty();
    const items: ExprWithCalls[] = [];
    for (;;) {
      items.push(withSource(this.parseExpr(), this.input));
      this.expectAfterExpression(null, true);
      if (this.peek().kind === 'end') return items;
      this.pos++; // the separator
      if (this.peek().kind === 'end') return items; // one trailing separator is allowed
    }
  }

  private checkNotEmpty(): void {
    if (this.peek().kind === 'end') throw new ParseError('empty input: expected an expression', 1, this.input, 'an expression');
  }

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private error(message: string, column: number, expected: string): ParseError {
    return new ParseError(message, column, this.input, expected);
  }

  /**
   * After a complete expression only an operator (consumed already), `)`, a separator or the end can follow.
   * `open` is the "(" token when inside parentheses; `listAllowed` inside a call means a "," may follow.
   */
  private expectAfterExpression(open: Token | null, listAllowed: boolean): void {
    const t = this.peek();
    const closer = open ? '")"' : listAllowed ? '";", ","' : '';
    if (t.kind === 'int' || t.kind === 'decimal' || t.kind === 'ident' || t.kind === 'lparen') {
      const expected = closer ? `${EXPECTED_OPERATOR} or ${closer}` : EXPECTED_OPERATOR;
      throw this.error(`expected an operator before ${describe(t)}: products need an explicit * (write 2*x, x*y, x*(y+1))`, t.column, expected);
    }
    if (open) {
      if (t.kind === 'rparen' || (listAllowed && t.kind === 'sep' && t.text === ',')) return;
      if (t.kind === 'end') {
        throw this.error(`missing ")" to close the "(" of column ${open.column}`, t.column, '")"');
      }
      throw this.error(`expected ")" to close the "(" of column ${open.column}, found ${describe(t)}`, t.column, '")"');
    }
    if (t.kind === 'end') return;
    if (t.kind === 'rparen') {
      throw this.error(
        `unexpected ")" without a matching "(": expected ${EXPECTED_OPERATOR} or the end of the input`,
        t.column,
        `${EXPECTED_OPERATOR} or the end of the input`,
      );
    }
    if (t.kind === 'sep') {
      if (listAllowed) return;
      throw this.error(
        `unexpected '${t.text}': expected a single expression, ending here (lists of several need the list parser)`,
        t.column,
        `${EXPECTED_OPERATOR} or the end`,
      );
    }
    throw this.error(`unexpected ${describe(t)}: expected ${EXPECTED_OPERATOR}`, t.column, EXPECTED_OPERATOR);
  }

  private enter(t: Token): void {
    if (++this.depth > MAX_DEPTH) {
      throw this.error(`expression nested more than ${MAX_DEPTH} levels deep: expected a flatter expression`, t.column, 'a flatter expression');
    }
  }

  private parseExpr(after?: Token): ExprWithCalls {
    const first = this.parseTerm(after);
    const rest: ParsedOperand<'+' | '-', CallExpr>[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || (t.text !== '+' && t.text !== '-')) break;
      this.pos++;
      rest.push({ op: t.text, operand: this.parseTerm(t), column: t.column });
    }
    return rest.length === 0 ? first : { kind: 'sum', first, rest, column: first.column };
  }

  private parseTerm(after?: Token): ExprWithCalls {
    const first = this.parseUnary(after);
    const rest: ParsedOperand<'*' | '/', CallExpr>[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || (t.text !== '*' && t.text !== '/')) break;
      this.pos++;
      rest.push({ op: t.text, operand: this.parseUnary(t), column: t.column });
    }
    return rest.length === 0 ? first : { kind: 'product', first, rest, column: first.column };
  }

  private parseUnary(after?: Token): ExprWithCalls {
    const t = this.peek();
    if (t.kind === 'op' && (t.text === '-' || t.text === '+')) {
      this.pos++;
      this.enter(t);
      const operand = this.parseUnary(t);
      this.depth--;
      return t.text === '-' ? { kind: 'negate', operand, column: t.column } : operand;
    }
    return this.parsePower(after);
  }

  private parsePower(after?: Token): ExprWithCalls {
    const base = this.parsePrimary(after, false);
    const t = this.peek();
    if (t.kind !== 'op' || t.text !== '^') return base;
    this.pos++;
    const exponentColumn = this.peek().column;
    const exponent = this.parseExponent(t);
    return { kind: 'power', base, exponent, column: t.column, exponentColumn };
  }

  private parseExponent(caret: Token): ExprWithCalls {
    const t = this.peek();
    if (t.kind === 'op' && (t.text === '-' || t.text === '+')) {
      this.pos++;
      this.enter(t);
      const operand = this.parseExponent(t);
      this.depth--;
      return t.text === '-' ? { kind: 'negate', operand, column: t.column } : operand;
    }
    const base = this.parsePrimary(caret, true);
    const u = this.peek();
    if (u.kind !== 'op' || u.text !== '^') return base;
    this.pos++;
    const exponentColumn = this.peek().column;
    this.enter(u);
    const exponent = this.parseExponent(u);
    this.depth--;
    return { kind: 'power', base, exponent, column: u.column, exponentColumn };
  }

  private parsePrimary(after: Token | undefined, inExponent: boolean): ExprWithCalls {
    const t = this.peek();
    switch (t.kind) {
      case 'int':
        this.pos++;
        return { kind: 'integer', value: BigInt(t.text), column: t.column };
      case 'decimal': {
        if (inExponent) {
          throw this.error(`non-integer exponent ${t.text}; expected an integer exponent`, t.column, 'an integer exponent');
        }
        throw this.error(
          `decimal number ${t.text} is not supported; expected an integer or a fraction (write ${decimalAsFraction(t.text)})`,
          t.column,
          'an integer or a fraction such as 3/2',
        );
      }
      case 'ident':
        this.pos++;
        if (this.arityOf !== undefined && this.peek().kind === 'lparen') return this.parseCall(t, this.arityOf);
        return { kind: 'variable', name: t.text, column: t.column };
      case 'lparen': {
        this.pos++;
        this.enter(t);
        if (this.peek().kind === 'rparen') {
          throw this.error('empty parentheses: expected an expression inside "()"', this.peek().column, this.expectedOperand);
        }
        const inner = this.parseExpr(t);
        this.expectAfterExpression(t, false);
        this.pos++; // ')'
        this.depth--;
        return inner;
      }
      default: {
        const what = inExponent ? 'an exponent (an integer)' : this.expectedOperand;
        const where = after ? ` after '${after.text}'` : '';
        const hint = after?.text === '*' && t.text === '*' ? ' (write powers with ^, as in x^2)' : '';
        if (t.kind === 'end') throw this.error(`expected ${what}${where}, found the end of the input`, t.column, what);
        throw this.error(`expected ${what}${where}, found ${describe(t)}${hint}`, t.column, what);
      }
    }
  }

  /** `name(args)`: the name is consumed, the "(" is next. */
  private parseCall(name: Token, arityOf: ArityOf): CallExpr {
    const arity = arityOf(name.text, name.column);
    const open = this.peek();
    this.pos++;
    this.enter(open);
    const args: ExprWithCalls[] = [];
    for (;;) {
      if (this.peek().kind === 'rparen' && args.length === 0) {
        const what = arity === 1 ? 'an argument' : arity === 2 ? 'two arguments' : `${arity} arguments`;
        throw this.error(`empty parentheses: expected ${what} inside ${name.text}()`, this.peek().column, this.expectedOperand);
      }
      args.push(this.parseExpr(open));
      this.expectAfterExpression(open, true);
      const t = this.peek();
      this.pos++;
      if (t.kind === 'rparen') break;
      if (args.length >= arity) {
        throw this.error(`${name.text} takes ${arity} argument${arity === 1 ? '' : 's'}; expected ")"`, t.column, '")"');
      }
    }
    this.depth--;
    if (args.length < arity) {
      throw this.error(`${name.text} takes ${arity} arguments; expected ","`, this.tokens[this.pos - 1]!.column, '","');
    }
    return { kind: 'call', name: name.text, args, column: name.column };
  }
}

function withSource<E extends { readonly source?: string }>(e: E, source: string): E {
  return { ...e, source };
}

/** The fraction a decimal token such as `1.50` or `.5` stands for, in lowest terms (`3/2`, `1/2`). */
function decimalAsFraction(text: string): string {
  const [whole = '', frac = ''] = text.split('.');
  const n = BigInt((whole || '0') + frac);
  const d = 10n ** BigInt(frac.length);
  let [a, b] = [n, d];
  while (b !== 0n) [a, b] = [b, a % b];
  return d === a ? `${n / a}` : `${n / a}/${d / a}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Entry points

/**
 * Parses one expression into a {@link ParsedExpr} (no ring involved yet). Throws {@link ParseError}.
 *
 * @example
 * ```ts
 * import { parseExpression } from '@holonomic-ntk/core';
 * parseExpression('dx*x - 3/4').kind; // → 'sum'
 * parseExpression('x +'); // throws ParseError
 * parseExpression('1.5*x'); // throws ParseError
 * ```
 */
export function parseExpression(text: string): ParsedExpr {
  // Without an arity function the parser makes no call nodes.
  return new Parser(text).parseSingle() as ParsedExpr;
}

/**
 * Parses a list of expressions separated by `;` or `,` (a single trailing separator is allowed).
 *
 * @example
 * ```ts
 * import { parseList } from '@holonomic-ntk/core';
 * parseList('x*dx - 1; y*dy, dx + dy').length; // → 3
 * ```
 */
export function parseList(text: string): ParsedExpr[] {
  return new Parser(text).parseList() as ParsedExpr[];
}

/**
 * Parses one expression in which an identifier directly followed by "(" is a call `name(arg, …)` with
 * `arityOf(name, column)` comma-separated arguments (the grammar of numeric activation formulas). Everything
 * else, including every other ParseError, is as in {@link parseExpression}.
 *
 * @example
 * ```ts
 * import { parseExpressionWithCalls } from '@holonomic-ntk/core';
 * const arity = (name: string) => (name === 'max' ? 2 : 1);
 * parseExpressionWithCalls('u*exp(-u^2/2) + max(u, 0)', arity).kind; // → 'sum'
 * parseExpressionWithCalls('max(u)', arity); // throws ParseError
 * ```
 */
export function parseExpressionWithCalls(text: string, arityOf: ArityOf): ExprWithCalls {
  return new Parser(text, arityOf).parseSingle();
}
