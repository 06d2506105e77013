/**
 * The one parser for operator, polynomial and rational-function text in the project.
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
 *
 * So `^` binds tighter than unary minus (`-x^2` = −(x²)) and is right-associative (`x^2^3` = x^8). Products are
 * explicit: `2x` and `x y` are errors, because in the Weyl algebra a silent product would hide the order of the
 * factors. Sums and products are n-ary nodes evaluated left to right, which keeps the recursion depth independent
 * of the number of terms and fixes the factor order for non-commutative targets.
 *
 * Parsing (text → {@link Expr}) knows nothing about rings; {@link evaluate} maps an Expr into any
 * {@link ExprTarget}. Targets for PolyRing, WeylAlgebra, RationalFunctionField and plain rationals are below.
 */
import type { Domain } from './domain.ts';
import { DomainError, ParseError } from './errors.ts';
import type { Poly, PolyRing } from './polynomial.ts';
import { Rational } from './rational.ts';
import type { RationalFunction, RationalFunctionField } from './rationalFunction.ts';
import type { WeylAlgebra } from './weylAlgebra.ts';

// ---------------------------------------------------------------------------------------------------------------
// AST

/** One `+ term`, `- term`, `* factor` or `/ factor` after the first operand of a sum or product. */
export interface ExprOperand<Op extends string> {
  readonly op: Op;
  readonly operand: Expr;
  /** Column of the operator. */
  readonly column: number;
}

/** A parsed expression. Every node carries the 1-based column where it starts (operators: of the operator). */
export type Expr =
  | { readonly kind: 'integer'; readonly value: bigint; readonly column: number; readonly source?: string }
  | { readonly kind: 'variable'; readonly name: string; readonly column: number; readonly source?: string }
  | { readonly kind: 'negate'; readonly operand: Expr; readonly column: number; readonly source?: string }
  | {
      readonly kind: 'sum';
      readonly first: Expr;
      readonly rest: readonly ExprOperand<'+' | '-'>[];
      readonly column: number;
      readonly source?: string;
    }
  | {
      readonly kind: 'product';
      readonly first: Expr;
      readonly rest: readonly ExprOperand<'*' | '/'>[];
      readonly column: number;
      readonly source?: string;
    }
  | {
      readonly kind: 'power';
      readonly base: Expr;
      readonly exponent: Expr;
      /** Column of `^`. */
      readonly column: number;
      /** Column of the first character of the exponent (errors about the exponent point here). */
      readonly exponentColumn: number;
      readonly source?: string;
    };

// ---------------------------------------------------------------------------------------------------------------
// Tokenizer

type TokenKind = 'int' | 'decimal' | 'ident' | 'op' | 'lparen' | 'rparen' | 'sep' | 'end';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly column: number;
}

function tokenize(input: string): Token[] {
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
      throw badCharacter(input, i);
    }
  }
  tokens.push({ kind: 'end', text: '', column: n + 1 });
  return tokens;
}

const EXPECTED_TOKEN = 'a number, a variable, an operator (+ - * / ^), a parenthesis, or a separator (; ,)';

function badCharacter(input: string, i: number): ParseError {
  const cp = input.codePointAt(i)!;
  const ch = String.fromCodePoint(cp);
  const shown = cp < 0x20 || cp === 0x7f ? `U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : `'${ch}'`;
  let hint = '';
  if (ch === '∂') hint = ' (write ∂x as dx)';
  else if (ch === '[' || ch === ']' || ch === '{' || ch === '}') hint = ' (only round parentheses group)';
  else if (ch === '.') hint = ' (write rationals as fractions such as 3/2)';
  else if (ch === '=') hint = ' (write the expression alone, not an equation)';
  else if ('⁰¹²³⁴⁵⁶⁷⁸⁹'.includes(ch)) hint = ' (write powers with ^, as in x^2)';
  else if (ch === '·' || ch === '×') hint = ' (write products with *)';
  return new ParseError(`unexpected character ${shown}${hint}: expected ${EXPECTED_TOKEN}`, i + 1, input, EXPECTED_TOKEN);
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}
function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}
function isIdentPart(c: string): boolean {
  return isIdentStart(c) || isDigit(c);
}

// ---------------------------------------------------------------------------------------------------------------
// Parser

/** Parentheses and unary signs nest at most this deep; deeper input is rejected instead of overflowing the stack. */
const MAX_DEPTH = 500;

const EXPECTED_OPERAND = 'an operand (a number, a variable or "(")';
const EXPECTED_OPERATOR = 'an operator (+ - * / ^)';

function describe(t: Token): string {
  return t.kind === 'end' ? 'the end of the input' : `'${t.text}'`;
}

class Parser {
  private pos = 0;
  private depth = 0;
  private readonly tokens: Token[];

  constructor(private readonly input: string) {
    this.tokens = tokenize(input);
  }

  parseSingle(): Expr {
    this.checkNotEmpty();
    const e = this.parseExpr();
    this.expectAfterExpression(null, false);
    return withSource(e, this.input);
  }

  parseList(): Expr[] {
    this.checkNotEmpty();
    const items: Expr[] = [];
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
   * `open` is the "(" token when inside parentheses.
   */
  private expectAfterExpression(open: Token | null, listAllowed: boolean): void {
    const t = this.peek();
    const closer = open ? '")"' : listAllowed ? '";", ","' : '';
    if (t.kind === 'int' || t.kind === 'decimal' || t.kind === 'ident' || t.kind === 'lparen') {
      const expected = closer ? `${EXPECTED_OPERATOR} or ${closer}` : EXPECTED_OPERATOR;
      throw this.error(`expected an operator before ${describe(t)}: products need an explicit * (write 2*x, x*y, x*(y+1))`, t.column, expected);
    }
    if (open) {
      if (t.kind === 'rparen') return;
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

  private parseExpr(after?: Token): Expr {
    const first = this.parseTerm(after);
    const rest: ExprOperand<'+' | '-'>[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || (t.text !== '+' && t.text !== '-')) break;
      this.pos++;
      rest.push({ op: t.text, operand: this.parseTerm(t), column: t.column });
    }
    return rest.length === 0 ? first : { kind: 'sum', first, rest, column: first.column };
  }

  private parseTerm(after?: Token): Expr {
    const first = this.parseUnary(after);
    const rest: ExprOperand<'*' | '/'>[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || (t.text !== '*' && t.text !== '/')) break;
      this.pos++;
      rest.push({ op: t.text, operand: this.parseUnary(t), column: t.column });
    }
    return rest.length === 0 ? first : { kind: 'product', first, rest, column: first.column };
  }

  private parseUnary(after?: Token): Expr {
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

  private parsePower(after?: Token): Expr {
    const base = this.parsePrimary(after, false);
    const t = this.peek();
    if (t.kind !== 'op' || t.text !== '^') return base;
    this.pos++;
    const exponentColumn = this.peek().column;
    const exponent = this.parseExponent(t);
    return { kind: 'power', base, exponent, column: t.column, exponentColumn };
  }

  private parseExponent(caret: Token): Expr {
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

  private parsePrimary(after: Token | undefined, inExponent: boolean): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'int':
        this.pos++;
        return { kind: 'integer', value: BigInt(t.text), column: t.column };
      case 'decimal': {
        const asFraction = decimalAsFraction(t.text);
        if (inExponent) {
          throw this.error(`non-integer exponent ${t.text}; expected an integer exponent`, t.column, 'an integer exponent');
        }
        throw this.error(
          `decimal number ${t.text} is not supported; expected an integer or a fraction (write ${asFraction})`,
          t.column,
          'an integer or a fraction such as 3/2',
        );
      }
      case 'ident':
        this.pos++;
        return { kind: 'variable', name: t.text, column: t.column };
      case 'lparen': {
        this.pos++;
        this.enter(t);
        if (this.peek().kind === 'rparen') {
          throw this.error('empty parentheses: expected an expression inside "()"', this.peek().column, EXPECTED_OPERAND);
        }
        const inner = this.parseExpr(t);
        this.expectAfterExpression(t, false);
        this.pos++; // ')'
        this.depth--;
        return inner;
      }
      default: {
        const what = inExponent ? 'an exponent (an integer)' : EXPECTED_OPERAND;
        const where = after ? ` after '${after.text}'` : '';
        const hint = after?.text === '*' && t.text === '*' ? ' (write powers with ^, as in x^2)' : '';
        if (t.kind === 'end') throw this.error(`expected ${what}${where}, found the end of the input`, t.column, what);
        throw this.error(`expected ${what}${where}, found ${describe(t)}${hint}`, t.column, what);
      }
    }
  }
}

function withSource(e: Expr, source: string): Expr {
  return { ...e, source };
}

function decimalAsFraction(text: string): string {
  try {
    return Rational.parse(text).toString();
  } catch {
    return 'p/q';
  }
}

/**
 * Parses one expression into an {@link Expr} (no ring involved yet). Throws {@link ParseError}.
 *
 * @example
 * ```ts
 * import { parseExpression } from '@holonomic-ntk/weyl-algebra/internal';
 * parseExpression('dx*x - 3/4').kind; // → 'sum'
 * parseExpression('x +'); // throws ParseError
 * ```
 */
export function parseExpression(text: string): Expr {
  return new Parser(text).parseSingle();
}

/**
 * Parses a list of expressions separated by `;` or `,` (a single trailing separator is allowed).
 *
 * @example
 * ```ts
 * import { parseList } from '@holonomic-ntk/weyl-algebra/internal';
 * parseList('x*dx - 1; y*dy, dx + dy').length; // → 3
 * ```
 */
export function parseList(text: string): Expr[] {
  return new Parser(text).parseList();
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation

/**
 * What {@link evaluate} maps an expression into. `column` arguments are the 1-based columns to blame.
 * Methods signal a user error by throwing {@link TargetError} (or a ready {@link ParseError}); `evaluate` turns a
 * TargetError into a ParseError carrying the input text. A `DomainError` from an arithmetic method is reported
 * as a ParseError at the column of the operator that raised it.
 */
export interface ExprTarget<E> {
  fromRational(q: Rational): E;
  /** The value of an identifier; throws TargetError for an unknown name. */
  variable(name: string, column: number): E;
  add(a: E, b: E): E;
  sub(a: E, b: E): E;
  neg(a: E): E;
  /** Called left to right on products, so a non-commutative `mul` sees the factors in text order. */
  mul(a: E, b: E): E;
  /** base^k for an integer k ≥ 0 (negative exponents reach `div` as 1 / base^|k|). */
  pow(base: E, k: number, column: number): E;
  /** a / b; throws TargetError when the target cannot divide by b (zero, non-constant, inexact). */
  div(a: E, b: E, column: number): E;
}

/**
 * A user error raised by an {@link ExprTarget}: `evaluate` rethrows it as a ParseError with the input text and
 * the message "`reason`; expected `expected`".
 */
export class TargetError extends Error {
  override readonly name = 'TargetError';
  constructor(
    readonly reason: string,
    readonly column: number,
    readonly expected?: string,
  ) {
    super(`${TargetError.text(reason, expected)} at column ${column}`);
  }

  static text(reason: string, expected?: string): string {
    return expected === undefined ? reason : `${reason}; expected ${expected}`;
  }
}

/** Largest |exponent| accepted: far beyond anything useful, small enough to fail fast instead of hanging. */
export const MAX_EXPONENT = 1_000_000;

/**
 * Evaluates a parsed expression in `target`, products left to right. `input` (for the caret in error messages)
 * defaults to the text the expression was parsed from.
 *
 * @example
 * ```ts
 * import { evaluate, operatorTarget, parseExpression } from '@holonomic-ntk/weyl-algebra/internal';
 * import { QQ, WeylAlgebra, operatorToText } from '@holonomic-ntk/weyl-algebra';
 * const D = new WeylAlgebra(QQ, ['x']);
 * operatorToText(D, evaluate(parseExpression('dx*x'), operatorTarget(D))); // → 'x*dx + 1'
 * ```
 */
export function evaluate<E>(ast: Expr, target: ExprTarget<E>, input: string = ast.source ?? ''): E {
  try {
    return evalNode(ast, target);
  } catch (e) {
    if (e instanceof TargetError) throw new ParseError(TargetError.text(e.reason, e.expected), e.column, input, e.expected);
    throw e;
  }
}

/** Runs a target operation, reporting a DomainError at `column`. */
function guarded<R>(column: number, f: () => R): R {
  try {
    return f();
  } catch (e) {
    if (e instanceof DomainError) throw new TargetError(e.message, column);
    throw e;
  }
}

function evalNode<E>(node: Expr, target: ExprTarget<E>): E {
  switch (node.kind) {
    case 'integer':
      return guarded(node.column, () => target.fromRational(Rational.int(node.value)));
    case 'variable':
      return target.variable(node.name, node.column);
    case 'negate': {
      const v = evalNode(node.operand, target);
      return guarded(node.column, () => target.neg(v));
    }
    case 'sum': {
      let acc = evalNode(node.first, target);
      for (const { op, operand, column } of node.rest) {
        const v = evalNode(operand, target);
        const a = acc;
        acc = guarded(column, () => (op === '+' ? target.add(a, v) : target.sub(a, v)));
      }
      return acc;
    }
    case 'product': {
      let acc = evalNode(node.first, target);
      for (const { op, operand, column } of node.rest) {
        const v = evalNode(operand, target);
        const a = acc;
        acc = guarded(column, () => (op === '*' ? target.mul(a, v) : target.div(a, v, column)));
      }
      return acc;
    }
    case 'power': {
      const k = exponentValue(node.exponent, node.exponentColumn);
      const base = evalNode(node.base, target);
      const p = guarded(node.column, () => target.pow(base, Math.abs(k), node.column));
      if (k >= 0) return p;
      try {
        return guarded(node.exponentColumn, () => target.div(target.fromRational(Rational.ONE), p, node.exponentColumn));
      } catch (e) {
        if (e instanceof TargetError) {
          throw new TargetError(
            `negative exponent ${k} needs the inverse of the base, which fails here: ${e.reason}`,
            node.exponentColumn,
            'a nonnegative integer exponent',
          );
        }
        throw e;
      }
    }
  }
}

/** The integer value of an exponent expression: constants only, |k| ≤ MAX_EXPONENT. */
function exponentValue(e: Expr, column: number): number {
  const q = evalNode(e, exponentTarget);
  if (!q.isInteger()) throw new TargetError(`non-integer exponent ${q}`, column, 'an integer exponent');
  if (q.num > BigInt(MAX_EXPONENT) || q.num < -BigInt(MAX_EXPONENT)) {
    throw new TargetError(`exponent ${q} is too large`, column, `an exponent of absolute value at most ${MAX_EXPONENT}`);
  }
  return Number(q.num);
}

/** Rationals, refusing powers whose result would exceed `maxBits` bits (so a typo cannot hang the parser). */
function boundedRationalTarget(maxBits: number, variable: (name: string, column: number) => Rational): ExprTarget<Rational> {
  return {
    fromRational: (q) => q,
    variable,
    add: (a, b) => a.add(b),
    sub: (a, b) => a.sub(b),
    neg: (a) => a.neg(),
    mul: (a, b) => a.mul(b),
    pow(a, k, column) {
      const bits = Math.max(bitLen(a.num), bitLen(a.den));
      if (bits > 1 && (bits - 1) * k > maxBits) {
        throw new TargetError(`the power ${a}^${k} is too large (more than ${maxBits} bits)`, column, 'a smaller exponent');
      }
      return a.pow(k);
    },
    div(a, b, column) {
      if (b.isZero()) throw new TargetError('division by zero', column, 'a nonzero divisor');
      return a.div(b);
    },
  };
}

function bitLen(n: bigint): number {
  return (n < 0n ? -n : n).toString(2).length;
}

const exponentTarget = boundedRationalTarget(64, (name, column) => {
  throw new TargetError(`the variable ${name} in an exponent`, column, 'an integer constant exponent');
});

// ---------------------------------------------------------------------------------------------------------------
// Targets

/** Parameters of a coefficient field (e.g. a RationalFunctionField): any domain with `vars` and `gen(name)`. */
interface ParameterDomain<T> {
  readonly vars: readonly string[];
  gen(name: string): T;
}

function parametersOf<T>(domain: Domain<T>): ParameterDomain<T> | undefined {
  const d = domain as Domain<T> & Partial<ParameterDomain<T>>;
  return Array.isArray(d.vars) && typeof d.gen === 'function' ? (d as unknown as ParameterDomain<T>) : undefined;
}

function listNames(names: readonly string[]): string {
  return names.length === 0 ? '(none)' : names.join(', ');
}

/**
 * Shared by the PolyRing and WeylAlgebra targets: elements are Poly<T> over `domain`, constants are central, and
 * division is by nonzero constants only (coefficientwise, so it is exact in ZZ when it can be).
 */
function polyLikeTarget<T>(
  ring: {
    readonly domain: Domain<T>;
    constant(c: T): Poly<T>;
    add(p: Poly<T>, q: Poly<T>): Poly<T>;
    sub(p: Poly<T>, q: Poly<T>): Poly<T>;
    neg(p: Poly<T>): Poly<T>;
    mul(p: Poly<T>, q: Poly<T>): Poly<T>;
    pow(p: Poly<T>, k: number): Poly<T>;
  },
  coefficientRing: PolyRing<T>,
  lookup: (name: string) => Poly<T> | undefined,
  unknown: (name: string, column: number) => TargetError,
  what: string,
): ExprTarget<Poly<T>> {
  const d = ring.domain;
  const params = parametersOf(d);
  return {
    fromRational: (q) => ring.constant(d.fromRational(q)),
    variable(name, column) {
      const v = lookup(name);
      if (v !== undefined) return v;
      if (params?.vars.includes(name)) return guarded(column, () => ring.constant(params.gen(name)));
      throw unknown(name, column);
    },
    add: (a, b) => ring.add(a, b),
    sub: (a, b) => ring.sub(a, b),
    neg: (a) => ring.neg(a),
    mul: (a, b) => ring.mul(a, b),
    pow: (a, k) => ring.pow(a, k),
    div(a, b, column) {
      if (b.monos.length === 0) throw new TargetError('division by zero', column, 'a nonzero constant divisor');
      if (!coefficientRing.isConstant(b)) {
        throw new TargetError(`division by a non-constant ${what}`, column, 'a nonzero constant divisor');
      }
      const c = coefficientRing.constantCoeff(b);
      try {
        return coefficientRing.divScalar(a, c);
      } catch (e) {
        if (e instanceof DomainError) {
          throw new TargetError(`cannot divide by ${d.toString(c)} in ${d.name} (${e.message})`, column, 'a constant dividing every coefficient');
        }
        throw e;
      }
    },
  };
}

/**
 * The target for a commutative polynomial ring: identifiers are the ring's variables and, when the domain has
 * parameters (Q(a, b)), the parameter names. Division only by nonzero constants.
 *
 * @example
 * ```ts
 * import { evaluate, parseExpression, polynomialTarget } from '@holonomic-ntk/weyl-algebra/internal';
 * import { PolyRing, QQ, polynomialToText } from '@holonomic-ntk/weyl-algebra';
 * const R = new PolyRing(QQ, ['x', 'y']);
 * polynomialToText(R, evaluate(parseExpression('(x+y)^2/2'), polynomialTarget(R))); // → '1/2*x^2 + x*y + 1/2*y^2'
 * ```
 */
export function polynomialTarget<T>(ring: PolyRing<T>): ExprTarget<Poly<T>> {
  const index = new Map(ring.vars.map((v, i) => [v, i]));
  const params = parametersOf(ring.domain);
  return polyLikeTarget(
    ring,
    ring,
    (name) => {
      const i = index.get(name);
      return i === undefined ? undefined : ring.gen(i);
    },
    (name, column) => {
      const expected = `one of ${listNames(ring.vars)}` + (params ? ` or a parameter ${listNames(params.vars)}` : '');
      return new TargetError(`unknown variable ${name}`, column, expected);
    },
    'polynomial',
  );
}

/**
 * The target for a Weyl algebra D or D^(h): identifiers are the x-names, the ∂-names, h, and the parameters of a
 * Q(params) coefficient field (as constants). Products are Weyl products in text order, so `dx*x` = x*dx + 1.
 *
 * @example
 * ```ts
 * import { evaluate, operatorTarget, parseExpression } from '@holonomic-ntk/weyl-algebra/internal';
 * import { QQ, WeylAlgebra, operatorToText } from '@holonomic-ntk/weyl-algebra';
 * const D = new WeylAlgebra(QQ, ['x']);
 * operatorToText(D, evaluate(parseExpression('dx^2*x'), operatorTarget(D))); // → 'x*dx^2 + 2*dx'
 * ```
 */
export function operatorTarget<T>(ring: WeylAlgebra<T>): ExprTarget<Poly<T>> {
  const params = parametersOf(ring.domain);
  return polyLikeTarget(
    ring,
    ring.poly,
    (name) => (ring.indexOf(name) === undefined ? undefined : ring.gen(name)),
    (name, column) => {
      const expected = `one of ${listNames(ring.vars)}` + (params ? ` or a parameter ${listNames(params.vars)}` : '');
      // A "d"-name most likely means ∂ of a coordinate the ring does not have.
      if (name.length > 1 && name.startsWith('d')) {
        const x = name.slice(1);
        const why = params?.vars.includes(x)
          ? `${x} is a parameter of the coefficient field, not a variable of the ring`
          : `${x} is not a variable of the ring`;
        return new TargetError(`${name} has no pair: ${why}`, column, expected);
      }
      if (ring.hName === undefined && name === 'h') {
        return new TargetError('unknown variable h (this Weyl algebra is not homogenized)', column, expected);
      }
      return new TargetError(`unknown variable ${name}`, column, expected);
    },
    'operator',
  );
}

/**
 * The target for a rational function field Q(vars): any nonzero divisor, negative exponents allowed.
 *
 * @example
 * ```ts
 * import { evaluate, parseExpression, rationalFunctionTarget } from '@holonomic-ntk/weyl-algebra/internal';
 * import { RationalFunctionField } from '@holonomic-ntk/weyl-algebra';
 * const F = new RationalFunctionField(['a', 'b']);
 * evaluate(parseExpression('(a+1)/b'), rationalFunctionTarget(F)).toString(); // → '(a+1)/b'
 * ```
 */
export function rationalFunctionTarget(field: RationalFunctionField): ExprTarget<RationalFunction> {
  return {
    fromRational: (q) => field.fromRational(q),
    variable(name, column) {
      if (field.vars.includes(name)) return guarded(column, () => field.gen(name));
      throw new TargetError(`unknown variable ${name}`, column, `one of ${listNames(field.vars)}`);
    },
    add: (a, b) => field.add(a, b),
    sub: (a, b) => field.sub(a, b),
    neg: (a) => field.neg(a),
    mul: (a, b) => field.mul(a, b),
    pow: (a, k) => field.pow(a, k),
    div(a, b, column) {
      if (field.isZero(b)) throw new TargetError('division by zero', column, 'a nonzero divisor');
      return field.div(a, b);
    },
  };
}

/**
 * Rational numbers; identifiers are errors. Powers larger than 10^7 bits are refused.
 *
 * @example
 * ```ts
 * import { evaluate, parseExpression, rationalTarget } from '@holonomic-ntk/weyl-algebra/internal';
 * evaluate(parseExpression('(1/2)^3'), rationalTarget).toString(); // → '1/8'
 * ```
 */
export const rationalTarget: ExprTarget<Rational> = boundedRationalTarget(10_000_000, (name, column) => {
  throw new TargetError(`unknown variable ${name} (a rational number has no variables)`, column, 'a number');
});

// ---------------------------------------------------------------------------------------------------------------
// Convenience

/**
 * Parses a polynomial of `ring` (its variables, plus parameters if the domain is Q(params)).
 *
 * @example
 * ```ts
 * import { PolyRing, QQ, parsePolynomial, polynomialToText } from '@holonomic-ntk/weyl-algebra';
 * const R = new PolyRing(QQ, ['x', 'y']);
 * polynomialToText(R, parsePolynomial(R, '3/4*x^2 - y')); // → '3/4*x^2 - y'
 * parsePolynomial(R, 'x + z'); // throws ParseError
 * ```
 */
export function parsePolynomial<T>(ring: PolyRing<T>, text: string): Poly<T> {
  return evaluate(parseExpression(text), polynomialTarget(ring), text);
}

/**
 * Parses a `;`- or `,`-separated list of polynomials of `ring`.
 *
 * @example
 * ```ts
 * import { PolyRing, QQ, parsePolynomials, polynomialToText } from '@holonomic-ntk/weyl-algebra';
 * const R = new PolyRing(QQ, ['x', 'y']);
 * parsePolynomials(R, 'x^2-y; x*y').map((p) => polynomialToText(R, p)); // → ['x^2 - y', 'x*y']
 * ```
 */
export function parsePolynomials<T>(ring: PolyRing<T>, text: string): Poly<T>[] {
  const target = polynomialTarget(ring);
  return parseList(text).map((e) => evaluate(e, target, text));
}

/**
 * Parses an element of a Weyl algebra; products are Weyl products read left to right.
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, operatorToText, parseOperator } from '@holonomic-ntk/weyl-algebra';
 * const D = new WeylAlgebra(QQ, ['x']);
 * operatorToText(D, parseOperator(D, 'dx*x')); // → 'x*dx + 1'
 * parseOperator(D, 'dy*x'); // throws ParseError
 * ```
 */
export function parseOperator<T>(ring: WeylAlgebra<T>, text: string): Poly<T> {
  return evaluate(parseExpression(text), operatorTarget(ring), text);
}

/**
 * Parses a `;`- or `,`-separated list of Weyl-algebra elements (e.g. the generators of a left ideal).
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, operatorToText, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * const D = new WeylAlgebra(QQ, ['x', 'y']);
 * parseOperators(D, 'x*dx - 1; y*dy - 1').map((p) => operatorToText(D, p)); // → ['x*dx - 1', 'y*dy - 1']
 * ```
 */
export function parseOperators<T>(ring: WeylAlgebra<T>, text: string): Poly<T>[] {
  const target = operatorTarget(ring);
  return parseList(text).map((e) => evaluate(e, target, text));
}

/**
 * Parses a rational function of `field`.
 *
 * @example
 * ```ts
 * import { RationalFunctionField, parseRationalFunction, rationalFunctionToText } from '@holonomic-ntk/weyl-algebra';
 * const F = new RationalFunctionField(['a', 'b']);
 * rationalFunctionToText(F, parseRationalFunction(F, '(a^2-1)/(a-1) + b^-1')); // → '(a*b+b+1)/b'
 * parseRationalFunction(F, '1/(a-a)'); // throws ParseError
 * ```
 */
export function parseRationalFunction(field: RationalFunctionField, text: string): RationalFunction {
  return evaluate(parseExpression(text), rationalFunctionTarget(field), text);
}

/**
 * Parses a rational number written as an expression of integers: `-7/2`, `(1/2)^3`, `2^-10`.
 *
 * @example
 * ```ts
 * import { Rational, parseRational } from '@holonomic-ntk/weyl-algebra';
 * parseRational('3/4 - 1').toString(); // → '-1/4'
 * parseRational('2^-3'); // → Rational.of(1, 8)
 * ```
 */
export function parseRational(text: string): Rational {
  return evaluate(parseExpression(text), rationalTarget, text);
}
