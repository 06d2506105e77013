/**
 * Rational expressions in the artifact's canonical text syntax, and their compilation to float64 code.
 *
 * Syntax: integers, variables ([A-Za-z_][A-Za-z0-9_]*), `+ - * /`, `^` with an integer exponent (`x^3`,
 * `x^-2`, `x^(-2)`), parentheses and unary minus. A rational constant is a division of integers (`3/4`).
 * Precedence: `^` binds tighter than unary minus (`-x^2` is `-(x^2)`), which binds tighter than `* /`,
 * which bind tighter than `+ -`; binary operators are left-associative.
 *
 * The compiler turns many expressions into ONE straight-line JavaScript function (via `new Function`):
 * subtrees are hash-consed so a common subexpression (e.g. `x11*x22-x12^2`, which appears in most entries of
 * a Pfaffian) is computed once, powers become repeated multiplications, and divisions stay divisions (no
 * rewriting that changes rounding more than an ulp or two). The generated function allocates nothing.
 */
import { DomainError, ParseError } from './errors.ts';
import { exprNode, literal, reachableNodes } from './expressionDag.ts';

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
 *   const e = parseRationalExpression('-(2*x11*x22+x12^2)/(2*x11)', ['x11', 'x12', 'x22']);
 *   evaluateExpression(e, { x11: -1, x12: 0, x22: -1 }); // → 1
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

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}
function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}
function isIdentPart(c: string): boolean {
  return isIdentStart(c) || isDigit(c);
}

/**
 * The variables an expression mentions, in first-occurrence order.
 *
 * @example expressionVariables(parseRationalExpression('x12/(x11*x12)')); // → ['x12', 'x11']
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
 * @example evaluateExpression(parseRationalExpression('3/4*x^2'), { x: 2 }); // → 3
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
      return Math.pow(evaluateExpression(e.base, env), e.exponent);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Compilation: hash-consed DAG → straight-line code.

type Op = 'const' | 'var' | 'neg' | 'add' | 'sub' | 'mul' | 'div';
interface DagNode {
  readonly op: Op;
  readonly a: number; // child id, or variable index for 'var'
  readonly b: number; // child id
  readonly value: number; // for 'const'
}

/** A DAG in which every distinct subexpression exists once (hash-consing). Children precede parents. */
class Dag {
  readonly nodes: DagNode[] = [];
  private readonly index = new Map<string, number>();

  private intern(op: Op, a: number, b: number, value: number): number {
    // Object.is keeps -0 apart from 0 for constants.
    const key = op === 'const' ? `c${Object.is(value, -0) ? '-0' : String(value)}` : `${op}:${a}:${b}`;
    const found = this.index.get(key);
    if (found !== undefined) return found;
    const id = this.nodes.length;
    this.nodes.push({ op, a, b, value });
    this.index.set(key, id);
    return id;
  }

  constant(v: number): number {
    if (!Number.isFinite(v)) throw new DomainError(`a constant subexpression evaluates to ${v} (division by zero?)`);
    return this.intern('const', -1, -1, v);
  }
  integer(_text: string, value: number): number {
    return this.constant(value);
  }
  variable(i: number): number {
    return this.intern('var', i, -1, 0);
  }
  private isConst(id: number, v?: number): boolean {
    const n = this.nodes[id]!;
    return n.op === 'const' && (v === undefined || n.value === v);
  }
  private val(id: number): number {
    return this.nodes[id]!.value;
  }

  neg(a: number): number {
    if (this.isConst(a)) return this.constant(-this.val(a));
    const n = this.nodes[a]!;
    if (n.op === 'neg') return n.a;
    return this.intern('neg', a, -1, 0);
  }

  binary(op: 'add' | 'sub' | 'mul' | 'div', a: number, b: number): number {
    // Folding only where IEEE arithmetic gives the identical result at run time.
    if (this.isConst(a) && this.isConst(b)) {
      const x = this.val(a);
      const y = this.val(b);
      return this.constant(op === 'add' ? x + y : op === 'sub' ? x - y : op === 'mul' ? x * y : x / y);
    }
    if (op === 'add' && this.isConst(b, 0)) return a;
    if (op === 'add' && this.isConst(a, 0)) return b;
    if (op === 'sub' && this.isConst(b, 0)) return a;
    if (op === 'sub' && this.isConst(a, 0)) return this.neg(b);
    if ((op === 'mul' || op === 'div') && this.isConst(b, 1)) return a;
    if (op === 'mul' && this.isConst(a, 1)) return b;
    if ((op === 'mul' || op === 'div') && this.isConst(b, -1)) return this.neg(a);
    if (op === 'mul' && this.isConst(a, -1)) return this.neg(b);
    if (op === 'div' && this.isConst(b)) {
      const y = this.val(b);
      if (y === 0) throw new DomainError('division by the constant 0');
    }
    // + and * commute exactly in IEEE arithmetic: order the operands so a*b and b*a share one node.
    if ((op === 'add' || op === 'mul') && a > b) [a, b] = [b, a];
    return this.intern(op, a, b, 0);
  }
}

const OP_SYMBOL = { add: '+', sub: '-', mul: '*', div: '/' } as const;

/** Straight-line body assigning `out[k]` for every root; `varNames[i]` is the JS name of variable i. */
function generateBody(dag: Dag, roots: readonly number[], varNames: readonly string[]): { body: string; temps: number } {
  const used = reachableNodes(dag.nodes, roots);
  const name = (id: number): string => {
    const n = dag.nodes[id]!;
    if (n.op === 'const') return literal(n.value);
    if (n.op === 'var') return varNames[n.a]!;
    return `t${id}`;
  };
  const lines: string[] = [];
  let temps = 0;
  // Children have smaller ids than their parents, so id order is a topological order.
  for (let id = 0; id < dag.nodes.length; id++) {
    const n = dag.nodes[id]!;
    if (!used[id] || n.op === 'const' || n.op === 'var') continue;
    temps++;
    const rhs = n.op === 'neg' ? `-${name(n.a)}` : `${name(n.a)} ${OP_SYMBOL[n.op]} ${name(n.b)}`;
    lines.push(`const t${id} = ${rhs};`);
  }
  roots.forEach((r, k) => lines.push(`out[${k}] = ${name(r)};`));
  return { body: lines.join('\n'), temps };
}

/** Evaluates a list of compiled expressions at `x` (one value per variable) into `out`. */
export type CompiledExpressions = (x: ArrayLike<number>, out: Float64Array) => void;

/** Size of generated code, for reports and tests of the sharing. */
export interface CompileStats {
  outputs: number;
  /** Number of arithmetic temporaries after hash-consing (each costs one flop). */
  operations: number;
}

/**
 * Compiles expressions into one allocation-free function `(x, out) => void` with `out[k] = exprs[k](x)`.
 *
 * @example
 *   const f = compileExpressions([parseRationalExpression('1/(a-b)'), parseRationalExpression('a/(a-b)')], ['a', 'b']);
 *   const out = new Float64Array(2);
 *   f([3, 1], out); // out = [0.5, 1.5]; a-b is computed once
 */
export function compileExpressions(
  exprs: readonly Expr[],
  variables: readonly string[],
  stats?: CompileStats,
): CompiledExpressions {
  const dag = new Dag();
  const roots = exprs.map((e) => exprNode(dag, e, variables));
  const varNames = variables.map((_, i) => `v${i}`);
  const { body, temps } = generateBody(dag, roots, varNames);
  if (stats) {
    stats.outputs = roots.length;
    stats.operations = temps;
  }
  const header = varNames.map((v, i) => `const ${v} = x[${i}];`).join('\n');
  // The generated text contains only our own identifiers and numeric literals, never artifact text.
  return new Function('x', 'out', `"use strict";\n${header}\n${body}`) as CompiledExpressions;
}

/** The Pfaffian variables, in the order of the compiled functions' arguments. */
export const PFAFFIAN_VARIABLES = ['x11', 'x12', 'x22'] as const;
export type PfaffianVariable = (typeof PFAFFIAN_VARIABLES)[number];

/**
 * Evaluates Pfaffian matrices at (x11, x12, x22). Layout of `out`: matrix m (in the order compiled), row i,
 * column j at `out[m*r*r + i*r + j]`, i.e. row-major matrices one after the other.
 */
export type PfaffianEvaluator = (x11: number, x12: number, x22: number, out: Float64Array) => void;

/**
 * Compiles r×r matrices of expressions in x11, x12, x22 into ONE straight-line function with shared
 * subexpressions. Pass all three matrices for the whole Pfaffian, or only `x12` for the ODE along x12.
 *
 * @example
 *   const P = compilePfaffian([[['0', '1'], ['1/(x11*x22-x12^2)', '3*x12/(x11*x22-x12^2)']]].map(
 *     (m) => m.map((row) => row.map((s) => parseRationalExpression(s)))));
 *   const out = new Float64Array(4);
 *   P(-1, 0.5, -1, out); // out = [0, 1, 1/0.75, 1.5/0.75]
 */
export function compilePfaffian(matrices: readonly (readonly (readonly Expr[])[])[], stats?: CompileStats): PfaffianEvaluator {
  const exprs: Expr[] = [];
  for (const m of matrices) {
    for (const row of m) {
      if (row.length !== m.length) throw new DomainError(`Pfaffian matrix is not square (${m.length} rows, a row of ${row.length})`);
      exprs.push(...row);
    }
  }
  const dag = new Dag();
  const roots = exprs.map((e) => exprNode(dag, e, PFAFFIAN_VARIABLES));
  const { body, temps } = generateBody(dag, roots, PFAFFIAN_VARIABLES);
  if (stats) {
    stats.outputs = roots.length;
    stats.operations = temps;
  }
  return new Function(...PFAFFIAN_VARIABLES, 'out', `"use strict";\n${body}`) as PfaffianEvaluator;
}
