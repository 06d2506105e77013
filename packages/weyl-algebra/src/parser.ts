/**
 * Operator, polynomial, rational-function and rational text: core's one expression parser (`parseExpression` in
 * @holonomic-ntk/core's expressionParser.ts, which has the grammar, the tokens, every syntax ParseError and its
 * column) reads the text into a ring-free {@link Expr}; {@link evaluate} maps an Expr into any
 * {@link ExprTarget}. Targets for PolyRing, WeylAlgebra, RationalFunctionField and plain rationals are below.
 *
 * In short: `+ - * / ^`, integers, identifiers and round parentheses; `^` binds tighter than unary minus (`-x^2` =
 * −(x²)) and is right-associative; products are explicit (`2x` and `x y` are errors, because in the Weyl algebra a
 * silent product would hide the order of the factors); sums and products are n-ary nodes evaluated left to right,
 * which fixes the factor order for non-commutative targets.
 */
import { type ParsedExpr, type ParsedOperand, parseExpression, parseList } from '@holonomic-ntk/core';
import type { Domain } from './domain.ts';
import { DomainError, ParseError } from './errors.ts';
import type { Poly, PolyRing } from './polynomial.ts';
import { Rational } from './rational.ts';
import type { RationalFunction, RationalFunctionField } from './rationalFunction.ts';
import type { WeylAlgebra } from './weylAlgebra.ts';

// ---------------------------------------------------------------------------------------------------------------
// AST and parsing: core's one expression parser

/** One `+ term`, `- term`, `* factor` or `/ factor` after the first operand of a sum or product (core's ParsedOperand). */
export type ExprOperand<Op extends string> = ParsedOperand<Op>;

/** A parsed expression (core's ParsedExpr). Every node carries the 1-based column where it starts (operators: of the operator). */
export type Expr = ParsedExpr;

export { parseExpression, parseList };

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
