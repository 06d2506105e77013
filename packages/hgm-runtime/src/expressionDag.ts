import { DomainError, type Expr } from '@holonomic-ntk/core';
/**
 * The DAG side of the expression compiler (src/compiledExpressions.ts): building a hash-consed DAG of
 * `const | var | neg | add | sub | mul | div` nodes from core's `Expr` trees, and the helpers that emit straight-line
 * code from it. The builder interfaces keep constant folding and interning with the compiler. Internal: not exported
 * from the package index.
 */

/** The node-building operations `powerNode` needs from a DAG. */
export interface PowerBuilder {
  constant(v: number): number;
  binary(op: 'mul' | 'div', a: number, b: number): number;
}

/** What `exprNode` needs from a DAG; each compiler folds constants and interns nodes its own way. */
export interface ExprBuilder extends PowerBuilder {
  /** The node of an integer literal (`text` exact, `value` its float64 rounding). */
  integer(text: string, value: number): number;
  variable(index: number): number;
  neg(a: number): number;
  binary(op: 'add' | 'sub' | 'mul' | 'div', a: number, b: number): number;
}

/** Adds an expression tree to the DAG (left operand before right, so node ids do not depend on the compiler). */
export function exprNode(dag: ExprBuilder, e: Expr, variables: readonly string[]): number {
  switch (e.kind) {
    case 'num':
      return dag.integer(e.text, e.value);
    case 'var': {
      const i = variables.indexOf(e.name);
      if (i < 0) throw new DomainError(`unknown variable '${e.name}' (compiling for ${variables.join(', ')})`);
      return dag.variable(i);
    }
    case 'neg':
      return dag.neg(exprNode(dag, e.arg, variables));
    case 'pow':
      return powerNode(dag, exprNode(dag, e.base, variables), e.exponent);
    default:
      return dag.binary(e.kind, exprNode(dag, e.left, variables), exprNode(dag, e.right, variables));
  }
}

/** x^n by repeated squaring: x^2, x^4, ... are shared with every other use through the DAG's hashing. */
export function powerNode(dag: PowerBuilder, x: number, n: number): number {
  if (n === 0) return dag.constant(1);
  if (n < 0) return dag.binary('div', dag.constant(1), powerNode(dag, x, -n));
  if (n === 1) return x;
  if (n % 2 === 0) {
    const h = powerNode(dag, x, n / 2);
    return dag.binary('mul', h, h);
  }
  return dag.binary('mul', powerNode(dag, x, n - 1), x);
}

/** Marks (1) the nodes the roots depend on; `a`, `b` are child ids except for 'const' and 'var' nodes. */
export function reachableNodes(nodes: readonly { readonly op: string; readonly a: number; readonly b: number }[], roots: readonly number[]): Uint8Array {
  const used = new Uint8Array(nodes.length);
  const stack = [...roots];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (used[id]) continue;
    used[id] = 1;
    const n = nodes[id]!;
    if (n.op === 'neg') stack.push(n.a);
    else if (n.op !== 'const' && n.op !== 'var') stack.push(n.a, n.b);
  }
  return used;
}

/** A double as JavaScript source text that reads back to the same double (−0 and negatives parenthesized). */
export function literal(v: number): string {
  if (Object.is(v, -0)) return '(-0)';
  // String() of a double is the shortest text that reads back to the same double.
  return v < 0 ? `(${String(v)})` : String(v);
}
