/**
 * Term orders as values (SymPy style): an order is an object passed to the ring, never global state.
 * Monomials are exponent vectors; `compare(a, b) > 0` means a is larger. Every order here works for any number of
 * variables, so one order value serves rings of different sizes.
 */

/**
 * An exponent vector: entry i is the exponent of variable i (for a Weyl algebra: of x_i, then ∂_i, then h).
 *
 * @example
 * ```ts
 * import { PolyRing, QQ, type Monomial } from '@holonomic-ntk/weyl-algebra';
 * const R = new PolyRing(QQ, ['x', 'y']);
 * const m: Monomial = [2, 1]; // x^2*y
 * R.leadingMonomial(R.add(R.monomial(m), R.gen('y'))); // → [2, 1]
 * ```
 */
export type Monomial = readonly number[];

/**
 * A term order: a total order on exponent vectors, compatible with multiplication.
 *
 * @example
 * ```ts
 * import { grevlex, lex, type MonomialOrder } from '@holonomic-ntk/weyl-algebra';
 * const byDegree: MonomialOrder = grevlex;
 * byDegree.compare([0, 2], [1, 0]) > 0; // → true
 * lex.compare([0, 2], [1, 0]) < 0; // → true
 * ```
 */
export interface MonomialOrder {
  readonly name: string;
  /** Sign of a − b in the order: positive when a ≻ b. */
  compare(a: Monomial, b: Monomial): number;
  /** Whether 1 ≺ m for every m ≠ 1 (a well-order). Weight orders with negative weights are not. */
  readonly isGlobal: boolean;
  /**
   * A linear sort key for monomials with m_i ≤ bounds_i: key(m) = offset + Σ weights_i·m_i, strictly increasing
   * in the order, exact in a double, with values in [0, range). Null when it would not fit in 2^53. Hashing and
   * sorting plain numbers is several times faster than comparing exponent arrays, and a linear key can be updated
   * incrementally when a product lowers a few exponents.
   */
  linearKey?(bounds: readonly number[]): LinearKey | null;
  /**
   * The order as a matrix order on exponent vectors of length `nslots`: integer rows whose values, compared
   * lexicographically, give `compare` and determine the monomial. Null when it is not one for that length. The
   * Gröbner engine packs rows into a few doubles per monomial (hash/heap reduction instead of `compare` calls).
   */
  rows?(nslots: number): number[][] | null;
}

/**
 * A linear sort key offset + Σ weights_i·m_i of a term order (see {@link MonomialOrder.linearKey}).
 *
 * @example
 * ```ts
 * import { lex } from '@holonomic-ntk/weyl-algebra';
 * // key(m) = 4·m_0 + m_1 for exponents m_0 ≤ 2, m_1 ≤ 3:
 * lex.linearKey?.([2, 3]); // → { weights: [4, 1], offset: 0, range: 12 }
 * ```
 */
export interface LinearKey {
  readonly weights: readonly number[];
  readonly offset: number;
  readonly range: number;
}

const KEY_LIMIT = 2 ** 53;

/** Mixed radix with the first variable most significant: lexicographic. */
function lexKey(bounds: readonly number[]): LinearKey | null {
  const weights = new Array<number>(bounds.length);
  let s = 1;
  for (let i = bounds.length - 1; i >= 0; i--) {
    weights[i] = s;
    s *= bounds[i]! + 1;
  }
  return s <= KEY_LIMIT ? { weights, offset: 0, range: s } : null;
}

/**
 * (linear form L, tie-break key T) ↦ (L − minL)·range(T) + T: lexicographic on (L, T). Exported so orders built
 * elsewhere (e.g. the homogenized weight order of the Gröbner engine) get linear keys too.
 *
 * @example
 * ```ts
 * import { lex } from '@holonomic-ntk/weyl-algebra';
 * import { refineKey } from '@holonomic-ntk/weyl-algebra/internal';
 * // Total degree first, then lex: grlex on exponents bounded by [2, 3].
 * refineKey([1, 1], [2, 3], lex.linearKey!([2, 3])); // → { weights: [16, 13], offset: 0, range: 72 }
 * ```
 */
export function refineKey(form: readonly number[], bounds: readonly number[], tie: LinearKey | null): LinearKey | null {
  if (tie === null) return null;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < form.length; i++) {
    const v = form[i]! * bounds[i]!;
    if (v < 0) lo += v;
    else hi += v;
  }
  const range = (hi - lo + 1) * tie.range;
  if (!(range <= KEY_LIMIT)) return null;
  return {
    weights: form.map((f, i) => f * tie.range + tie.weights[i]!),
    offset: -lo * tie.range + tie.offset,
    range,
  };
}

/**
 * Reverse lexicographic: the last variable most significant, the smaller exponent larger.
 *
 * @example
 * ```ts
 * import { revlexKey } from '@holonomic-ntk/weyl-algebra/internal';
 * revlexKey([2, 3]); // → { weights: [-1, -3], offset: 11, range: 12 }
 * ```
 */
export function revlexKey(bounds: readonly number[]): LinearKey | null {
  const weights = new Array<number>(bounds.length);
  let s = 1;
  let offset = 0;
  for (let i = 0; i < bounds.length; i++) {
    weights[i] = -s;
    offset += bounds[i]! * s;
    s *= bounds[i]! + 1;
  }
  return s <= KEY_LIMIT ? { weights, offset, range: s } : null;
}

const ones = (n: number) => new Array<number>(n).fill(1);

function sum(a: Monomial, from = 0, to = a.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i]!;
  return s;
}

/** The row ±e_i of length n. */
function unitRow(n: number, i: number, sign = 1): number[] {
  return Array.from({ length: n }, (_, k) => (k === i ? sign : 0));
}

/**
 * Lexicographic with x1 ≻ x2 ≻ ...
 *
 * @example
 * ```ts
 * import { lex } from '@holonomic-ntk/weyl-algebra';
 * lex.compare([1, 0], [0, 5]) > 0; // → true
 * ```
 */
export const lex: MonomialOrder = {
  name: 'lex',
  isGlobal: true,
  linearKey: lexKey,
  rows: (n) => (n > 0 ? Array.from({ length: n }, (_, i) => unitRow(n, i)) : null),
  compare(a, b) {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return 0;
  },
};

/**
 * Total degree, ties broken lexicographically.
 *
 * @example
 * ```ts
 * import { grlex } from '@holonomic-ntk/weyl-algebra';
 * grlex.compare([1, 0], [0, 2]) < 0; // → true
 * grlex.compare([1, 1], [0, 2]) > 0; // → true
 * ```
 */
export const grlex: MonomialOrder = {
  name: 'grlex',
  isGlobal: true,
  linearKey: (b) => refineKey(ones(b.length), b, lexKey(b)),
  rows: (n) => (n > 0 ? [ones(n), ...Array.from({ length: n - 1 }, (_, i) => unitRow(n, i))] : null),
  compare(a, b) {
    const d = sum(a) - sum(b);
    return d !== 0 ? d : lex.compare(a, b);
  },
};

/**
 * Total degree, ties broken by reverse lexicographic order (the smaller last exponent wins).
 *
 * @example
 * ```ts
 * import { grevlex } from '@holonomic-ntk/weyl-algebra';
 * // Same degree: the smaller last exponent wins, so x*z ≺ y^2.
 * grevlex.compare([1, 0, 1], [0, 2, 0]) < 0; // → true
 * ```
 */
export const grevlex: MonomialOrder = {
  name: 'grevlex',
  isGlobal: true,
  linearKey: (b) => refineKey(ones(b.length), b, revlexKey(b)),
  // Total degree, then revlex; the last row (−e_0) is implied by the degree and left out.
  rows: (n) => (n > 0 ? [ones(n), ...Array.from({ length: n - 1 }, (_, k) => unitRow(n, n - 1 - k, -1))] : null),
  compare(a, b) {
    const d = sum(a) - sum(b);
    if (d !== 0) return d;
    for (let i = a.length - 1; i >= 0; i--) if (a[i] !== b[i]) return b[i]! - a[i]!;
    return 0;
  },
};

/**
 * Reverse lexicographic without the degree (used as the last tie-break of homogenized orders).
 *
 * @example
 * ```ts
 * import { revlex } from '@holonomic-ntk/weyl-algebra';
 * revlex.compare([5, 0], [0, 1]) > 0; // → true
 * revlex.isGlobal; // → false
 * ```
 */
export const revlex: MonomialOrder = {
  name: 'revlex',
  isGlobal: false,
  linearKey: revlexKey,
  compare(a, b) {
    for (let i = a.length - 1; i >= 0; i--) if (a[i] !== b[i]) return b[i]! - a[i]!;
    return 0;
  },
};

/**
 * Weight order: compare the weights w·a, w·b (exact: weights are integers), break ties by `tieBreak`.
 * With negative weights this is not a well-order; Buchberger needs the homogenized route then (MATH.md §2).
 *
 * @example
 * ```ts
 * import { weightOrder } from '@holonomic-ntk/weyl-algebra';
 * const w = weightOrder([1, 2]);
 * w.compare([1, 0], [0, 1]) < 0; // → true
 * w.name; // → 'weight(1,2;grevlex)'
 * weightOrder([-1, 1]).isGlobal; // → false
 * weightOrder([0.5]); // throws RangeError
 * ```
 */
export function weightOrder(weights: readonly number[], tieBreak: MonomialOrder = grevlex): MonomialOrder {
  for (const w of weights) if (!Number.isInteger(w)) throw new RangeError(`weights must be integers, got ${w}`);
  const w = weights.slice();
  return {
    name: `weight(${w.join(',')};${tieBreak.name})`,
    isGlobal: w.every((x) => x > 0) || (w.every((x) => x >= 0) && tieBreak.isGlobal),
    linearKey: tieBreak.linearKey ? (b) => (b.length === w.length ? refineKey(w, b, tieBreak.linearKey!(b)) : null) : undefined,
    rows(n) {
      const rest = n === w.length ? (tieBreak.rows?.(n) ?? null) : null;
      return rest === null ? null : [w.slice(), ...rest];
    },
    compare(a, b) {
      let d = 0;
      for (let i = 0; i < w.length; i++) d += w[i]! * (a[i]! - b[i]!);
      return d !== 0 ? d : tieBreak.compare(a, b);
    },
  };
}

/**
 * Matrix order: compare M·a and M·b lexicographically. Rows must make it a total order on the monomials you use
 * (a nonsingular M does); add a tie-break row set otherwise.
 *
 * @example
 * ```ts
 * import { matrixOrder } from '@holonomic-ntk/weyl-algebra';
 * const o = matrixOrder([[1, 1], [1, 0]]); // degree, then lex
 * o.compare([1, 0], [0, 1]) > 0; // → true
 * o.isGlobal; // → true
 * ```
 */
export function matrixOrder(rows: readonly (readonly number[])[]): MonomialOrder {
  const m = rows.map((r) => r.slice());
  for (const r of m) for (const x of r) if (!Number.isInteger(x)) throw new RangeError(`matrix entries must be integers, got ${x}`);
  // Global iff the first nonzero entry of every column is positive.
  const cols = m[0]?.length ?? 0;
  let global = cols > 0;
  for (let j = 0; j < cols; j++) {
    const first = m.find((r) => r[j] !== 0)?.[j];
    if (first === undefined || first < 0) global = false;
  }
  return {
    name: `matrix(${m.map((r) => r.join(',')).join(';')})`,
    isGlobal: global,
    compare(a, b) {
      for (const r of m) {
        let d = 0;
        for (let i = 0; i < r.length; i++) d += r[i]! * (a[i]! - b[i]!);
        if (d !== 0) return d;
      }
      return 0;
    },
  };
}

/**
 * Block (product, elimination) order: the variables are split into consecutive blocks of the given sizes; the
 * first block decides, each with its own order, then the next. `blockOrder([[2, lex], [3, grevlex]])` eliminates the
 * first two variables.
 *
 * @example
 * ```ts
 * import { blockOrder, grevlex, lex } from '@holonomic-ntk/weyl-algebra';
 * const elim = blockOrder([[1, lex], [2, grevlex]]);
 * elim.compare([1, 0, 0], [0, 5, 5]) > 0; // → true
 * elim.name; // → 'block(1:lex,2:grevlex)'
 * ```
 */
export function blockOrder(blocks: readonly (readonly [size: number, order: MonomialOrder])[]): MonomialOrder {
  const spec = blocks.map(([n, o]) => [n, o] as const);
  return {
    name: `block(${spec.map(([n, o]) => `${n}:${o.name}`).join(',')})`,
    isGlobal: spec.every(([, o]) => o.isGlobal),
    rows(n) {
      if (spec.reduce((t, [k]) => t + k, 0) !== n) return null;
      const out: number[][] = [];
      let start = 0;
      for (const [k, o] of spec) {
        const r = o.rows?.(k) ?? null;
        if (r === null) return null;
        for (const row of r) out.push(Array.from({ length: n }, (_, i) => (i >= start && i < start + k ? row[i - start]! : 0)));
        start += k;
      }
      return out;
    },
    compare(a, b) {
      let start = 0;
      for (const [n, o] of spec) {
        const c = o.compare(a.slice(start, start + n), b.slice(start, start + n));
        if (c !== 0) return c;
        start += n;
      }
      return 0;
    },
  };
}

/**
 * Looks an order up by the names the CLI and the tests use: lex, grlex, grevlex (alias degrevlex).
 *
 * @example
 * ```ts
 * import { grevlex, orderByName } from '@holonomic-ntk/weyl-algebra';
 * orderByName('degrevlex') === grevlex; // → true
 * orderByName('foo'); // throws RangeError
 * ```
 */
export function orderByName(name: string): MonomialOrder {
  switch (name) {
    case 'lex':
      return lex;
    case 'grlex':
    case 'deglex':
      return grlex;
    case 'grevlex':
    case 'degrevlex':
      return grevlex;
    default:
      throw new RangeError(`unknown term order "${name}" (known: lex, grlex, grevlex)`);
  }
}
