/**
 * Compilation of rational expressions (core's \`Expr\` trees) to float64 code.
 *
 * The compiler turns many expressions into ONE straight-line JavaScript function (via `new Function`):
 * subtrees are hash-consed so a common subexpression (e.g. `x11*x22-x12^2`, which appears in most entries of
 * a Pfaffian) is computed once, powers become repeated multiplications, and divisions stay divisions (no
 * rewriting that changes rounding more than an ulp or two). The generated function allocates nothing.
 */
import { DomainError, type Expr, PFAFFIAN_VARIABLES } from '@holonomic-ntk/core';
import { exprNode, literal, reachableNodes } from './expressionDag.ts';

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
      if (y === 0) throw new DomainError('division by a constant subexpression that evaluates to 0 (zero, or a power that underflows)');
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

/**
 * Evaluates a list of compiled expressions at `x` (one value per variable) into `out`.
 *
 * @example
 * ```ts
 * import { parseRationalExpression } from '@holonomic-ntk/core';
 * import { compileExpressions, type CompiledExpressions } from '@holonomic-ntk/hgm-runtime';
 * const f: CompiledExpressions = compileExpressions([parseRationalExpression('x^2 - 1', ['x'])], ['x']);
 * const out = new Float64Array(1);
 * f([3], out);
 * out[0]; // → 8
 * ```
 */
export type CompiledExpressions = (x: ArrayLike<number>, out: Float64Array) => void;

/**
 * Size of generated code, for reports and tests of the sharing (filled by `compileExpressions`, `compilePfaffian`).
 *
 * @example
 * ```ts
 * import { parseRationalExpression } from '@holonomic-ntk/core';
 * import { compileExpressions, type CompileStats } from '@holonomic-ntk/hgm-runtime';
 * const stats: CompileStats = { outputs: 0, operations: 0 };
 * compileExpressions(['1/(a-b)', 'a/(a-b)'].map((e) => parseRationalExpression(e, ['a', 'b'])), ['a', 'b'], stats);
 * stats; // → { outputs: 2, operations: 3 }
 * ```
 */
export interface CompileStats {
  outputs: number;
  /** Number of arithmetic temporaries after hash-consing (each costs one flop). */
  operations: number;
}

/**
 * Compiles expressions into one allocation-free function `(x, out) => void` with `out[k] = exprs[k](x)`.
 * Throws `DomainError` for a variable not in `variables` or a division by the constant 0.
 *
 * @example
 * ```ts
 * import { parseRationalExpression } from '@holonomic-ntk/core';
 * import { compileExpressions } from '@holonomic-ntk/hgm-runtime';
 * const exprs = ['1/(a-b)', 'a/(a-b)'].map((e) => parseRationalExpression(e, ['a', 'b']));
 * const f = compileExpressions(exprs, ['a', 'b']); // a-b is computed once
 * const out = new Float64Array(2);
 * f([3, 1], out);
 * [...out]; // → [0.5, 1.5]
 * compileExpressions(exprs, ['a']); // throws DomainError
 * ```
 */
export function compileExpressions(exprs: readonly Expr[], variables: readonly string[], stats?: CompileStats): CompiledExpressions {
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

/**
 * Evaluates Pfaffian matrices at (x11, x12, x22). Layout of `out`: matrix m (in the order compiled), row i,
 * column j at `out[m*r*r + i*r + j]`, i.e. row-major matrices one after the other.
 *
 * @example
 * ```ts
 * import { PFAFFIAN_VARIABLES, parseRationalExpression } from '@holonomic-ntk/core';
 * import { compilePfaffian, type PfaffianEvaluator } from '@holonomic-ntk/hgm-runtime';
 * const P: PfaffianEvaluator = compilePfaffian([[['x11', 'x12'], ['x12', 'x22']].map((row) => row.map((e) => parseRationalExpression(e, PFAFFIAN_VARIABLES)))]);
 * const out = new Float64Array(4);
 * P(-1, 0.5, -2, out);
 * [...out]; // → [-1, 0.5, 0.5, -2]
 * ```
 */
export type PfaffianEvaluator = (x11: number, x12: number, x22: number, out: Float64Array) => void;

/**
 * Compiles r×r matrices of expressions in x11, x12, x22 into ONE straight-line function with shared
 * subexpressions. Pass all three matrices for the whole Pfaffian, or only `x12` for the ODE along x12.
 *
 * @example
 * ```ts
 * import { parseRationalExpression } from '@holonomic-ntk/core';
 * import { builtinArtifact, compilePfaffian } from '@holonomic-ntk/hgm-runtime';
 * const P = compilePfaffian([[['0', '1'], ['1/(x11*x22-x12^2)', '3*x12/(x11*x22-x12^2)']]].map(
 *   (m) => m.map((row) => row.map((s) => parseRationalExpression(s)))));
 * const out = new Float64Array(4);
 * P(-1, 0.5, -1, out);
 * [...out]; // → [0, 1, 1 / 0.75, 1.5 / 0.75]
 * // An artifact's P_12 (what the HGM along x12 integrates): relu σ, [[0, 1], [−4/(x12² − x11x22), −5x12/(x12² − x11x22)]].
 * const p12 = builtinArtifact('relu').systems[0].pfaffian.x12.map((row) => row.map((s) => parseRationalExpression(s)));
 * compilePfaffian([p12])(-1, 0.5, -1, out);
 * out[2]; // ≈ 16 / 3
 * out[3]; // ≈ 10 / 3
 * ```
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
