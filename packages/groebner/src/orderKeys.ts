import { grevlex, grlex, lex, type Monomial, type MonomialOrder } from '@holonomic-ntk/weyl-algebra';

/**
 * Term orders as matrix orders: a list of integer linear forms (rows) on exponent vectors of a given length, compared
 * lexicographically, whose values determine the monomial. The reduction engine packs consecutive rows into a few
 * doubles (mixed radix over their value ranges), so comparing and hashing a monomial costs 2–3 number comparisons
 * instead of a call to `compare` that recomputes degrees and weights (32 % of a ReSin weight Gröbner basis).
 *
 * Orders built elsewhere are known through their own `rows` (weight and block orders of weyl-algebra describe
 * themselves); `orderRows` returns null for the rest and callers keep the generic path.
 */
type RowsOf = (nslots: number) => number[][] | null;
const registry = new WeakMap<MonomialOrder, RowsOf>();

export function registerOrderRows(order: MonomialOrder, rows: RowsOf): void {
  registry.set(order, rows);
}

const unit = (n: number, i: number, s = 1) => Array.from({ length: n }, (_, k) => (k === i ? s : 0));

/** Total degree, then revlex; the last row (−e_0) is implied by the total degree and left out. */
function grevlexRows(n: number): number[][] {
  const rows = [new Array<number>(n).fill(1)];
  for (let i = n - 1; i >= 1; i--) rows.push(unit(n, i, -1));
  return rows;
}
registerOrderRows(grevlex, (n) => (n > 0 ? grevlexRows(n) : null));
registerOrderRows(grlex, (n) => (n > 0 ? [new Array<number>(n).fill(1), ...Array.from({ length: n - 1 }, (_, i) => unit(n, i))] : null));
registerOrderRows(lex, (n) => (n > 0 ? Array.from({ length: n }, (_, i) => unit(n, i)) : null));

export function orderRows(order: MonomialOrder, nslots: number): number[][] | null {
  // Registered here first (the engine's own orders), else what the order says of itself (weight and block orders).
  const own = registry.get(order);
  if (own) return own(nslots);
  return order.rows?.(nslots) ?? null;
}

const LIMIT = 2 ** 53;

/**
 * Keys for monomials with m_i ≤ bounds_i: K doubles whose lexicographic comparison is the term order, each an
 * affine form offset_c + Σ weights[c·N + i]·m_i, exact because every value stays below 2^53.
 */
export interface PackedLayout {
  readonly K: number;
  readonly N: number;
  readonly weights: Float64Array;
  readonly offsets: Float64Array;
}

/** Packs rows greedily into as few doubles as the bounds allow; null when one row alone does not fit. */
export function packRows(rows: readonly (readonly number[])[], bounds: readonly number[]): PackedLayout | null {
  const N = bounds.length;
  const lo: number[] = [];
  const range: number[] = [];
  for (const r of rows) {
    let a = 0;
    let b = 0;
    for (let i = 0; i < N; i++) {
      const v = r[i]! * bounds[i]!;
      if (v < 0) a += v;
      else b += v;
    }
    lo.push(a);
    range.push(b - a + 1);
    if (!(b - a + 1 <= LIMIT)) return null;
  }
  const chunks: number[][] = [];
  let cur: number[] = [];
  let prod = 1;
  rows.forEach((_, r) => {
    if (cur.length > 0 && prod * range[r]! > LIMIT) {
      chunks.push(cur);
      cur = [];
      prod = 1;
    }
    cur.push(r);
    prod *= range[r]!;
  });
  chunks.push(cur);
  const K = chunks.length;
  const weights = new Float64Array(K * N);
  const offsets = new Float64Array(K);
  chunks.forEach((rs, c) => {
    let mult = 1;
    for (let k = rs.length - 1; k >= 0; k--) {
      const r = rs[k]!;
      for (let i = 0; i < N; i++) weights[c * N + i]! += rows[r]![i]! * mult;
      offsets[c]! -= lo[r]! * mult;
      mult *= range[r]!;
    }
  });
  return { K, N, weights, offsets };
}

/** The packed key of m into out[at..at+K). */
export function packedKey(L: PackedLayout, m: Monomial, out: Float64Array, at: number): void {
  const { K, N, weights, offsets } = L;
  for (let c = 0; c < K; c++) {
    let s = offsets[c]!;
    const base = c * N;
    for (let i = 0; i < N; i++) {
      const e = m[i]!;
      if (e !== 0) s += weights[base + i]! * e;
    }
    out[at + c] = s;
  }
}
