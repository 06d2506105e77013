/**
 * Activation formulas: grammar, parser and printer.
 *
 * Grammar (on top of the project's one expression parser, `parseExpression`, which supplies the syntax of sums,
 * products, powers, rationals and every ParseError column):
 *
 *   formula := polynomial in u with rational coefficients
 *            | FN '(' polynomial in u ')'        FN ∈ exp, sin, cos, erf, Phi, heaviside
 *            | 'diff(' formula ')'               the almost-everywhere derivative d/du
 *            | formula ± formula | formula * formula | formula / constant | formula ^ k (integer k ≥ 0) | -formula
 *
 * Phi is the standard normal CDF Φ, heaviside the step Y (its value at the kink does not matter: everything here
 * is up to null sets). `diff(f)` is the pointwise derivative where f is smooth, so diff(heaviside(u)) = 0 and
 * diff(u*heaviside(u)) = heaviside(u); no Dirac deltas are ever produced (the NTK's σ̇ is this derivative).
 * Arguments must be polynomials (exp(sin(u)) is not D-finite); products are explicit (2*u, not 2u); `d(f)` and
 * unknown functions or variables are ParseErrors with the column of the offending name.
 *
 * How the shared parser reads calls: its grammar has no function application, so before parsing, the last letter
 * of a known function name directly followed by "(" is replaced by "*" ("exp(u)" → "ex*(u)"), which keeps every
 * column. The product node it yields is then regrouped here: a marked head and the operand after it form a call.
 * Only "^" can bind tighter than the inserted "*", and a power whose "^" stands after the call's ")" is read as a
 * power of the call.
 */
import { unknownFunctionError } from '@holonomic-ntk/core';
import { ParseError, Rational, polynomialToText, type Poly } from '@holonomic-ntk/weyl-algebra';
import { evaluate, parseExpression, polynomialTarget, rationalTarget, type Expr } from '@holonomic-ntk/weyl-algebra/internal';
import { U_POLY } from './algebra.ts';

/** The functions a formula may call on a polynomial argument. */
export type AtomFunction = 'exp' | 'sin' | 'cos' | 'erf' | 'Phi' | 'heaviside';

export const ATOM_FUNCTIONS: readonly AtomFunction[] = ['exp', 'sin', 'cos', 'erf', 'Phi', 'heaviside'];

/** A parsed activation formula; `column` is the 1-based column in the source text. */
export type Formula =
  | { readonly kind: 'poly'; readonly poly: Poly<Rational>; readonly column: number }
  | { readonly kind: 'call'; readonly fn: AtomFunction; readonly arg: Poly<Rational>; readonly column: number }
  | { readonly kind: 'diff'; readonly operand: Formula; readonly column: number }
  | { readonly kind: 'sum'; readonly terms: readonly Formula[]; readonly column: number }
  | { readonly kind: 'scale'; readonly factor: Rational; readonly operand: Formula; readonly column: number }
  | { readonly kind: 'product'; readonly factors: readonly Formula[]; readonly column: number }
  | { readonly kind: 'power'; readonly base: Formula; readonly exponent: number; readonly column: number };

const CALLABLE = new Set<string>([...ATOM_FUNCTIONS, 'diff']);
const EXPECTED_FUNCTION = `one of ${ATOM_FUNCTIONS.join(', ')}, diff`;

/** Exponents of formulas beyond this are refused: the symmetric power's order grows linearly with them. */
export const MAX_FORMULA_EXPONENT = 32;

interface Head {
  readonly name: string;
  /** Column of the ")" that closes the call (Infinity when unbalanced: the parser reports it). */
  readonly close: number;
}

/**
 * Parses an activation formula in the variable u. Throws ParseError (with column) for bad syntax, unknown
 * functions or variables, non-polynomial arguments, division by a non-constant, non-integer exponents.
 *
 * @example
 * ```ts
 * import { evaluateFormula, parseFormula } from '@holonomic-ntk/restriction';
 * const relu = parseFormula('u*heaviside(u)');
 * evaluateFormula(relu, 2); // → 2
 * const dgelu = parseFormula('diff(u*Phi(u))'); // GeLU′ = Φ + uφ
 * evaluateFormula(dgelu, 0); // ≈ 0.5
 * parseFormula('u*tanh(u)'); // throws ParseError
 * ```
 */
export function parseFormula(text: string): Formula {
  const { rewritten, heads } = markCalls(text);
  let ast: Expr;
  try {
    ast = parseExpression(rewritten);
  } catch (e) {
    if (e instanceof ParseError) throw restate(e, text, heads);
    throw e;
  }
  return new FormulaBuilder(text, heads).build(ast);
}

/** Finds `name(` in the text: known names are marked (last letter → "*"), unknown ones are errors. */
function markCalls(text: string): { rewritten: string; heads: Map<number, Head> } {
  const heads = new Map<number, Head>();
  const chars = text.split('');
  const ident = /[A-Za-z_][A-Za-z0-9_]*/g;
  for (let m = ident.exec(text); m !== null; m = ident.exec(text)) {
    const name = m[0];
    const start = m.index;
    if (start > 0 && /[0-9.]/.test(text[start - 1]!)) continue; // "2e5": the tokenizer's business
    let j = start + name.length;
    while (j < text.length && /\s/.test(text[j]!)) j++;
    if (text[j] !== '(') continue;
    if (!CALLABLE.has(name)) throw unknownFunctionError(text, name, start + 1, EXPECTED_FUNCTION);
    chars[start + name.length - 1] = '*';
    heads.set(start + 1, { name, close: matchingParen(text, j) });
  }
  return { rewritten: chars.join(''), heads };
}

function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i + 1;
  }
  return Infinity;
}

/** A ParseError of the rewritten text, restated on the user's text (same column, names spelled in full). */
function restate(e: ParseError, text: string, heads: Map<number, Head>): ParseError {
  let message = e.message.split('\n')[0]!;
  const suffix = ` at column ${e.column}`;
  if (message.endsWith(suffix)) message = message.slice(0, -suffix.length);
  for (const { name } of heads.values()) message = message.split(`'${name.slice(0, -1)}'`).join(`'${name}'`);
  return new ParseError(message, e.column, text, e.expected);
}

class FormulaBuilder {
  private readonly polyTarget = polynomialTarget(U_POLY);

  constructor(
    private readonly text: string,
    private readonly heads: Map<number, Head>,
  ) {}

  private error(message: string, column: number, expected: string): ParseError {
    return new ParseError(message, column, this.text, expected);
  }

  private isHead(e: Expr): boolean {
    return e.kind === 'variable' && this.heads.has(e.column);
  }

  private hasCall(e: Expr): boolean {
    switch (e.kind) {
      case 'integer':
        return false;
      case 'variable':
        return this.heads.has(e.column) || CALLABLE.has(e.name);
      case 'negate':
        return this.hasCall(e.operand);
      case 'sum':
      case 'product':
        return this.hasCall(e.first) || e.rest.some((r) => this.hasCall(r.operand));
      case 'power':
        return this.hasCall(e.base) || this.hasCall(e.exponent);
    }
  }

  /** The first call head inside e (for the column of "argument is not a polynomial"). */
  private firstCallColumn(e: Expr): number {
    switch (e.kind) {
      case 'integer':
        return e.column;
      case 'variable':
        return e.column;
      case 'negate':
        return this.hasCall(e.operand) ? this.firstCallColumn(e.operand) : e.column;
      case 'sum':
      case 'product':
        for (const x of [e.first, ...e.rest.map((r) => r.operand)]) if (this.hasCall(x)) return this.firstCallColumn(x);
        return e.column;
      case 'power':
        return this.hasCall(e.base) ? this.firstCallColumn(e.base) : this.firstCallColumn(e.exponent);
    }
  }

  build(e: Expr): Formula {
    if (!this.hasCall(e)) return { kind: 'poly', poly: this.polynomial(e), column: e.column };
    switch (e.kind) {
      case 'variable':
        // A function name without "(": the only way hasCall is true for a bare variable.
        throw this.error(`${e.name} is a function: write ${e.name}(…) with a polynomial argument in u`, e.column, `${e.name}(…)`);
      case 'integer':
        throw new Error('unreachable: integers contain no calls');
      case 'negate':
        return { kind: 'scale', factor: Rational.MINUS_ONE, operand: this.build(e.operand), column: e.column };
      case 'sum': {
        const terms: Formula[] = [this.build(e.first)];
        for (const r of e.rest) {
          const t = this.build(r.operand);
          terms.push(r.op === '+' ? t : { kind: 'scale', factor: Rational.MINUS_ONE, operand: t, column: r.column });
        }
        return { kind: 'sum', terms, column: e.column };
      }
      case 'product':
        return this.product(e);
      case 'power':
        return this.power(this.build(e.base), e.exponent, e.exponentColumn, e.column);
    }
  }

  private polynomial(e: Expr): Poly<Rational> {
    return evaluate(e, this.polyTarget, this.text);
  }

  private power(base: Formula, exponent: Expr, exponentColumn: number, column: number): Formula {
    if (this.hasCall(exponent))
      throw this.error('a function in an exponent; expected an integer constant exponent', this.firstCallColumn(exponent), 'an integer exponent');
    const k = evaluate(exponent, rationalTarget, this.text);
    if (!k.isInteger() || k.num < 0n)
      throw this.error(`exponent ${k} of a formula with functions; expected an integer ≥ 0`, exponentColumn, 'an integer exponent ≥ 0');
    if (k.num > BigInt(MAX_FORMULA_EXPONENT))
      throw this.error(`exponent ${k} is too large; expected at most ${MAX_FORMULA_EXPONENT}`, exponentColumn, `an exponent ≤ ${MAX_FORMULA_EXPONENT}`);
    return { kind: 'power', base, exponent: Number(k.num), column };
  }

  /**
   * A flat product node: regroup each marked head with the operand after it (head · (arg) or head · (arg)^k),
   * then multiply factors; "/" only by nonzero constants.
   */
  private product(e: Extract<Expr, { kind: 'product' }>): Formula {
    const items: { op: '*' | '/'; expr: Expr; column: number }[] = [
      { op: '*', expr: e.first, column: e.column },
      ...e.rest.map((r) => ({ op: r.op, expr: r.operand, column: r.column })),
    ];
    const factors: Formula[] = [];
    let scale = Rational.ONE;
    for (let i = 0; i < items.length; i++) {
      const { op, expr, column } = items[i]!;
      // Unary minus binds tighter than the inserted "*": -exp(u) is (−ex)·(u). Peel the signs off the head.
      let sign = 1;
      let head = expr;
      while (head.kind === 'negate') {
        sign = -sign;
        head = head.operand;
      }
      let factor: Formula;
      if (this.isHead(head)) {
        const next = items[++i]!; // the parser put the "(…)" right after the head
        factor = this.call(head as Extract<Expr, { kind: 'variable' }>, next.expr);
        if (sign < 0) factor = { kind: 'scale', factor: Rational.MINUS_ONE, operand: factor, column: expr.column };
      } else {
        factor = this.build(expr);
      }
      if (op === '/') {
        if (factor.kind !== 'poly' || U_POLY.degree(factor.poly) > 0 || factor.poly.length === 0) {
          throw this.error('division by a non-constant (or zero) formula; expected a nonzero constant divisor', column, 'a nonzero constant divisor');
        }
        scale = scale.div(factor.poly.coeffs[0]!);
        continue;
      }
      factors.push(factor);
    }
    const prod: Formula = factors.length === 1 ? factors[0]! : { kind: 'product', factors, column: e.column };
    return scale.isOne() ? prod : { kind: 'scale', factor: scale, operand: prod, column: e.column };
  }

  /** head(…) where `operand` is what the parser read after the inserted "*": "(arg)" or "(arg)^k". */
  private call(head: Extract<Expr, { kind: 'variable' }>, operand: Expr): Formula {
    const info = this.heads.get(head.column)!;
    if (operand.kind === 'power' && operand.column > info.close) {
      return this.power(this.call(head, operand.base), operand.exponent, operand.exponentColumn, operand.column);
    }
    if (info.name === 'diff') return { kind: 'diff', operand: this.build(operand), column: head.column };
    if (this.hasCall(operand)) {
      throw this.error(
        `the argument of ${info.name} must be a polynomial in u (functions of functions are not D-finite in general)`,
        this.firstCallColumn(operand),
        'a polynomial in u',
      );
    }
    return { kind: 'call', fn: info.name as AtomFunction, arg: this.polynomial(operand), column: head.column };
  }
}

/**
 * Text of a formula that parses back to the same formula (up to grouping of sums and products).
 *
 * @example
 * ```ts
 * import { formulaToText, parseFormula } from '@holonomic-ntk/restriction';
 * formulaToText(parseFormula('u * heaviside( u )')); // → 'u*heaviside(u)'
 * ```
 */
export function formulaToText(f: Formula): string {
  const poly = (p: Poly<Rational>) => polynomialToText(U_POLY, p, { compact: true });
  const wrap = (s: string, atomic: boolean) => (atomic ? s : `(${s})`);
  switch (f.kind) {
    case 'poly': {
      const s = poly(f.poly);
      return s;
    }
    case 'call':
      return `${f.fn}(${poly(f.arg)})`;
    case 'diff':
      return `diff(${formulaToText(f.operand)})`;
    case 'sum':
      return f.terms.map((t, i) => (i === 0 ? formulaToText(t) : `+${wrap(formulaToText(t), t.kind !== 'sum')}`)).join('');
    case 'scale':
      return `${wrap(f.factor.toString(), f.factor.isInteger() && f.factor.sign() > 0)}*${wrap(formulaToText(f.operand), isAtomic(f.operand))}`;
    case 'product':
      return f.factors.map((t) => wrap(formulaToText(t), isAtomic(t))).join('*');
    case 'power':
      return `${wrap(formulaToText(f.base), f.base.kind === 'call' || f.base.kind === 'diff' || (f.base.kind === 'poly' && f.base.poly.length === 1 && f.base.poly.coeffs[0]!.isOne()))}^${f.exponent}`;
  }
}

function isAtomic(f: Formula): boolean {
  return (
    f.kind === 'call' ||
    f.kind === 'diff' ||
    f.kind === 'power' ||
    f.kind === 'product' ||
    (f.kind === 'poly' && f.poly.length <= 1 && (f.poly.length === 0 || f.poly.coeffs[0]!.sign() > 0))
  );
}

/** Every call of `fn` in the formula (e.g. the heaviside atoms, whose arguments carry the kinks). */
export function callsOf(f: Formula, fn: AtomFunction): Poly<Rational>[] {
  switch (f.kind) {
    case 'poly':
      return [];
    case 'call':
      return f.fn === fn ? [f.arg] : [];
    case 'diff':
    case 'scale':
      return callsOf(f.operand, fn);
    case 'power':
      return f.exponent === 0 ? [] : callsOf(f.base, fn);
    case 'sum':
      return f.terms.flatMap((t) => callsOf(t, fn));
    case 'product':
      return f.factors.flatMap((t) => callsOf(t, fn));
  }
}
