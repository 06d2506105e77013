/**
 * Double-double ("dd", ~106-bit) evaluation of rational expressions, compiled to straight-line code.
 *
 * Why: near |ρ| = 1 the Pfaffian entries contain x11·x22 − x12², which cancels to a relative size of
 * 1 − ρ². Evaluated in float64 from rounded x the cancellation costs ε/(1 − ρ²) (2e-3 at 1 − ρ = 1e-13), and no
 * ODE solver can recover that. Evaluated in dd from a point that is itself exact to dd precision, it costs
 * 1e-32/(1 − ρ²), invisible after rounding to float64. Only the matrix of the ODE is evaluated in dd; the
 * solver stays float64.
 *
 * Arithmetic after Dekker (1971) and the QD library (Hida, Li, Bailey): twoSum, Veltkamp splitting for the
 * exact product (no FMA in JavaScript), "IEEE" dd addition (accurate under cancellation), dd division with
 * one correction step. Relative error of each operation ≲ 4·2^−106.
 */
import { type Expr, DomainError } from '@holonomic-ntk/core';
import { exprNode, literal, reachableNodes } from './expressionDag.ts';

type Op = 'const' | 'var' | 'neg' | 'add' | 'sub' | 'mul' | 'div';
interface Node {
  op: Op;
  a: number;
  b: number;
  hi: number;
  lo: number;
}

/** A hash-consed DAG of dd operations; constants are folded in dd, so `1/3` is exact to ~1e-32. */
class DdDag {
  readonly nodes: Node[] = [];
  private readonly index = new Map<string, number>();

  private intern(op: Op, a: number, b: number, hi = 0, lo = 0): number {
    const key = op === 'const' ? `c${hi}:${lo}` : `${op}:${a}:${b}`;
    const hit = this.index.get(key);
    if (hit !== undefined) return hit;
    this.nodes.push({ op, a, b, hi, lo });
    this.index.set(key, this.nodes.length - 1);
    return this.nodes.length - 1;
  }

  constant(hi: number, lo = 0): number {
    if (!Number.isFinite(hi)) throw new DomainError(`a constant subexpression evaluates to ${hi} (division by zero?)`);
    return this.intern('const', -1, -1, hi, lo);
  }

  private constOf(id: number): [number, number] | undefined {
    const n = this.nodes[id]!;
    return n.op === 'const' ? [n.hi, n.lo] : undefined;
  }

  binary(op: 'add' | 'sub' | 'mul' | 'div', a: number, b: number): number {
    const ca = this.constOf(a);
    const cb = this.constOf(b);
    if (ca && cb) {
      const r = ddBinary(op, ca[0], ca[1], cb[0], cb[1]);
      return this.constant(r[0], r[1]);
    }
    const isOne = (c: [number, number] | undefined) => c !== undefined && c[0] === 1 && c[1] === 0;
    const isZero = (c: [number, number] | undefined) => c !== undefined && c[0] === 0 && c[1] === 0;
    if (op === 'mul' && (isZero(ca) || isZero(cb))) return this.constant(0); // expressions are finite where used
    if (op === 'sub' && isZero(ca)) return this.neg(b);
    if ((op === 'add' || op === 'sub') && isZero(cb)) return a;
    if (op === 'add' && isZero(ca)) return b;
    if ((op === 'mul' || op === 'div') && isOne(cb)) return a;
    if (op === 'mul' && isOne(ca)) return b;
    if (op === 'div' && isZero(cb)) throw new DomainError('division by the constant 0');
    if ((op === 'add' || op === 'mul') && a > b) [a, b] = [b, a];
    return this.intern(op, a, b);
  }

  neg(a: number): number {
    const c = this.constOf(a);
    if (c) return this.constant(-c[0], -c[1]);
    return this.intern('neg', a, -1);
  }

  /** Integer literals beyond 2^53 are not exact in float64; their dd value is (value, text − value). */
  integer(text: string): number {
    const big = BigInt(text);
    const hi = Number(big);
    const lo = Number(big - BigInt(hi));
    return this.constant(hi, lo);
  }

  variable(i: number): number {
    return this.intern('var', i, -1);
  }
}

// --- Code templates. Each writes the dd result into (H, L); temporaries live in a block and end in `_` or are
// short names never used for operands (operands are h<id>, l<id>, x[..], literals, ah/al/bh/bl at compile time).

const SPLIT = 134217729; // 2^27 + 1
const TWO_PROD = (p: string, e: string, a: string, b: string) =>
  `${p} = ${a} * ${b}; { const ta_ = ${SPLIT} * ${a}, ah_ = ta_ - (ta_ - ${a}), al_ = ${a} - ah_, tb_ = ${SPLIT} * ${b}, bh_ = tb_ - (tb_ - ${b}), bl_ = ${b} - bh_; ${e} = ((ah_ * bh_ - ${p}) + ah_ * bl_ + al_ * bh_) + al_ * bl_; }`;

function addCode(H: string, L: string, ah: string, al: string, bh: string, bl: string): string {
  return `{ let s1 = ${ah} + ${bh}; let bb = s1 - ${ah}; let s2 = (${ah} - (s1 - bb)) + (${bh} - bb);
  const t1 = ${al} + ${bl}; bb = t1 - ${al}; const t2 = (${al} - (t1 - bb)) + (${bl} - bb);
  s2 += t1; let q = s1 + s2; s2 = s2 - (q - s1); s1 = q; s2 += t2; q = s1 + s2; ${L} = s2 - (q - s1); ${H} = q; }`;
}

function mulCode(H: string, L: string, ah: string, al: string, bh: string, bl: string): string {
  return `{ let p, e; ${TWO_PROD('p', 'e', ah, bh)} e += ${ah} * ${bl} + ${al} * ${bh}; const q = p + e; ${L} = e - (q - p); ${H} = q; }`;
}

/** a / b: q1 = ah/bh, r = a − q1·b (exact product, dd subtraction), q2 = r/bh, then one more correction. */
function divCode(H: string, L: string, ah: string, al: string, bh: string, bl: string): string {
  const rem = (q: string) =>
    `{ let p, e; ${TWO_PROD('p', 'e', q, bh)} e += ${q} * ${bl}; const s = rh - p; const bb = s - rh; let f = (rh - (s - bb)) + (-p - bb); f += rl - e; rh = s + f; rl = f - (rh - s); }`;
  return `{ const q1 = ${ah} / ${bh}; let rh = ${ah}, rl = ${al}; ${rem('q1')} const q2 = rh / ${bh}; ${rem('q2')} const q3 = rh / ${bh};
  let s = q1 + q2; let e = q2 - (s - q1); e += q3; ${H} = s + e; ${L} = e - (${H} - s); }`;
}

/** Evaluates compiled expressions: `x` holds (hi, lo) pairs, one per variable; `out[k]` gets hi + lo of expression k. */
export type CompiledDd = (x: Float64Array, out: Float64Array) => void;

/** Operations per generated function (compileExpressionsDd): once hot, 30 ran ~20× faster than 200 or 1000 (erf σ). */
const DD_CHUNK = 30;

/**
 * Compiles expressions into one straight-line dd function. The inputs are dd numbers (hi, lo interleaved); the
 * outputs are rounded to float64.
 *
 * @example
 *   const f = compileExpressionsDd([parseRationalExpression('1/(a*a-b*b)')], ['a', 'b']);
 *   const out = new Float64Array(1);
 *   f(Float64Array.of(1 + 2 ** -40, 0, 1, 0), out); // 1/((1+2^-40)^2 − 1) to full float64 accuracy
 */
export function compileExpressionsDd(exprs: readonly Expr[], variables: readonly string[]): CompiledDd {
  const dag = new DdDag();
  const roots = exprs.map((e) => exprNode(dag, e, variables));
  const used = reachableNodes(dag.nodes, roots);
  // The straight-line code is split into chunks of DD_CHUNK operations, one function each: V8 does not optimize
  // a function of tens of thousands of statements (the erf σ matrix ran ~400× slower than float64, interpreted)
  // and cannot always allocate its frame (the gelu σ matrices overflowed the stack). Values crossing a chunk
  // boundary go through the scratch array w (hi at 2k, lo at 2k + 1 for slot k).
  const ops: number[] = [];
  for (let id = 0; id < dag.nodes.length; id++) {
    const n = dag.nodes[id]!;
    if (used[id] && n.op !== 'const' && n.op !== 'var') ops.push(id);
  }
  const chunkOf = new Int32Array(dag.nodes.length).fill(-1);
  ops.forEach((id, k) => (chunkOf[id] = Math.floor(k / DD_CHUNK)));
  const slot = new Int32Array(dag.nodes.length).fill(-1);
  let slots = 0;
  const needSlot = (id: number) => {
    if (chunkOf[id]! >= 0 && slot[id]! < 0) slot[id] = slots++;
  };
  for (const id of ops) {
    const n = dag.nodes[id]!;
    for (const c of n.op === 'neg' ? [n.a] : [n.a, n.b]) if (chunkOf[c]! >= 0 && chunkOf[c]! < chunkOf[id]!) needSlot(c);
  }
  for (const r of roots) needSlot(r);
  const operand = (id: number, part: 0 | 1, chunk: number): string => {
    const n = dag.nodes[id]!;
    if (n.op === 'const') return literal(part === 0 ? n.hi : n.lo);
    if (n.op === 'var') return `x[${2 * n.a + part}]`;
    if (chunkOf[id] === chunk) return `${part === 0 ? 'h' : 'l'}${id}`;
    return `w[${2 * slot[id]! + part}]`;
  };
  const chunks: string[][] = [];
  for (const id of ops) {
    const c = chunkOf[id]!;
    const lines = (chunks[c] ??= []);
    const n = dag.nodes[id]!;
    const hi = (i: number) => operand(i, 0, c);
    const lo = (i: number) => operand(i, 1, c);
    lines.push(`let h${id}, l${id};`);
    if (n.op === 'neg') {
      lines.push(`h${id} = -${hi(n.a)}; l${id} = -${lo(n.a)};`);
    } else {
      const args = [hi(n.a), lo(n.a), hi(n.b), lo(n.b)] as const;
      switch (n.op) {
        case 'add':
          lines.push(addCode(`h${id}`, `l${id}`, ...args));
          break;
        case 'sub':
          lines.push(addCode(`h${id}`, `l${id}`, args[0], args[1], `(-${args[2]})`, `(-${args[3]})`));
          break;
        case 'mul':
          lines.push(mulCode(`h${id}`, `l${id}`, ...args));
          break;
        case 'div':
          lines.push(divCode(`h${id}`, `l${id}`, ...args));
          break;
      }
    }
    if (slot[id]! >= 0) lines.push(`w[${2 * slot[id]!}] = h${id}; w[${2 * slot[id]! + 1}] = l${id};`);
  }
  // The generated text contains only our own identifiers and numeric literals, never artifact text.
  type Part = (x: Float64Array, w: Float64Array) => void;
  const parts = chunks.map((lines) => new Function('x', 'w', `"use strict";\n${lines.join('\n')}`) as Part);
  const finishBody = roots.map((r, k) => `out[${k}] = ${operand(r, 0, -1)} + ${operand(r, 1, -1)};`).join('\n');
  const finish = new Function('x', 'w', 'out', `"use strict";\n${finishBody}`) as (x: Float64Array, w: Float64Array, out: Float64Array) => void;
  const w = new Float64Array(Math.max(2 * slots, 2));
  return (x, out) => {
    for (let k = 0; k < parts.length; k++) parts[k]!(x, w);
    finish(x, w, out);
  };
}

type DdOp = (ah: number, al: number, bh: number, bl: number) => [number, number];
const DD_OPS: Record<'add' | 'sub' | 'mul' | 'div', DdOp> = (() => {
  // The same templates as the generated code, compiled once.
  const make = (code: string) => new Function('ah', 'al', 'bh', 'bl', `let H, L; ${code} return [H, L];`) as DdOp;
  return {
    add: make(addCode('H', 'L', 'ah', 'al', 'bh', 'bl')),
    sub: make(addCode('H', 'L', 'ah', 'al', '(-bh)', '(-bl)')),
    mul: make(mulCode('H', 'L', 'ah', 'al', 'bh', 'bl')),
    div: make(divCode('H', 'L', 'ah', 'al', 'bh', 'bl')),
  };
})();

/** dd arithmetic on (hi, lo) pairs outside generated code: constant folding, √(ab). */
function ddBinary(op: 'add' | 'sub' | 'mul' | 'div', ah: number, al: number, bh: number, bl: number): [number, number] {
  return DD_OPS[op](ah, al, bh, bl);
}

/**
 * √(p·q) for float64 p, q > 0 as a dd number (hi, lo): exact product, one Newton step in dd.
 *
 * @example sqrtProductDd(2, 1); // [1.4142135623730951, −9.667293313452913e−17]
 */
export function sqrtProductDd(p: number, q: number): [number, number] {
  const [ph, pl] = ddBinary('mul', p, 0, q, 0);
  const r = Math.sqrt(ph);
  // r² exactly, then (pq − r²)/(2r) as the low part.
  const [sh, sl] = ddBinary('mul', r, 0, r, 0);
  const [dh, dl] = ddBinary('sub', ph, pl, sh, sl);
  const corr = (dh + dl) / (2 * r);
  const hi = r + corr;
  return [hi, corr - (hi - r)];
}
