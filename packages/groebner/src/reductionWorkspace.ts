import type { Monomial, Poly } from '@holonomic-ntk/weyl-algebra';
import { gcdBig, nextMultiIndex as nextMultiIndexExport, swapCoefficients } from '@holonomic-ntk/weyl-algebra/internal';
import { type PackedLayout, packRows, packedKey } from './orderKeys.ts';

// A module-local binding: through the package's re-export every call of an imported function pays a getter.
const gcd = gcdBig;
const swap = swapCoefficients;
const nextMultiIndex = nextMultiIndexExport;
const pack = packedKey;

/**
 * Coefficients are doubles while they are safe integers and bigints beyond: in the weight bases of the dual systems
 * they stay under 48 bits, and a bigint operation allocates. A double result is trusted only when its magnitude is
 * ≤ 2^53 − 1: rounding is monotone, so a true value ≥ 2^53 never rounds below 2^53, and every integer below is exact.
 */
export type Coef = number | bigint;
const SAFE = Number.MAX_SAFE_INTEGER;

function addCoef(a: Coef, b: Coef): Coef {
  if (typeof a === 'number' && typeof b === 'number') {
    const s = a + b;
    if (s <= SAFE && s >= -SAFE) return s;
  }
  return BigInt(a) + BigInt(b);
}

function mulCoef(a: Coef, b: Coef): Coef {
  if (typeof a === 'number' && typeof b === 'number') {
    const p = a * b;
    if (p <= SAFE && p >= -SAFE) return p;
  }
  return BigInt(a) * BigInt(b);
}

/** A bigint as a double when that is exact, else itself. */
export function toCoef(c: bigint): Coef {
  return c <= 9007199254740991n && c >= -9007199254740991n ? Number(c) : c;
}

const numericSwaps = new Map<number, Coef[]>();
function swapCoefs(k: number, l: number): Coef[] {
  if (k >= 4096 || l >= 4096) return swap(k, l).map(toCoef);
  const key = k * 4096 + l;
  let r = numericSwaps.get(key);
  if (r === undefined) numericSwaps.set(key, (r = swap(k, l).map(toCoef)));
  return r;
}

/** What the workspace keeps per reducer: its terms' keys under one key layout, exponent maxima, coefficients. */
interface PolyKeys {
  layout: PackedLayout;
  keys: Float64Array;
  maxDeg: number[];
  coefs: Coef[];
}

/**
 * The polynomial under reduction, over ZZ, as a hash table of terms plus a max-heap of their order keys.
 *
 * A reduction step f ← a·f − b·t·g only touches the |t·g| new terms (hash insert, heap push) instead of merging
 * into all of f: on a ReSin rank-8 weight basis the reductee averages 700 terms and t·g 17, and the merges of the
 * sorted-array representation were 41 % of the time. The multiplier a is 1 in 99 % of the steps (scaled then in
 * place). Monomials are compared and hashed through packed keys (orderKeys.ts); bounds grow when a monomial exceeds
 * them, and the keys are rebuilt (the heap stays valid: the order does not change, only its encoding).
 *
 * Invariant: terms are popped in strictly decreasing order and a step only adds terms below the one just popped
 * (true for every Weyl-algebra term order: the leading term of t·g is t·lm(g), the swap corrections are smaller).
 * So a popped monomial never comes back; `add` checks that.
 */
export class ReductionWorkspace {
  readonly N: number;
  private layout: PackedLayout;
  private K: number;
  private bounds: number[];

  private mon: Monomial[] = [];
  private coef: Coef[] = [];
  private keys: Float64Array;
  private popped: Uint8Array;
  private count = 0;

  private heap: Int32Array;
  private heapLen = 0;

  private slots: Int32Array;
  private slotGen: Int32Array;
  private gen = 1;
  private mask: number;

  private constructor(
    private readonly rows: readonly (readonly number[])[],
    bounds: number[],
    layout: PackedLayout,
    /** Variable pairs and the index of h (−1 without): the Weyl product needs them. */
    private readonly n: number,
    private readonly hi: number,
  ) {
    this.N = bounds.length;
    this.bounds = bounds;
    this.layout = layout;
    this.K = layout.K;
    // Each chunk holds at least one row, so K never exceeds the number of rows.
    this.tKey = new Float64Array(rows.length);
    this.keys = new Float64Array(256 * this.K);
    this.popped = new Uint8Array(256);
    this.heap = new Int32Array(256);
    this.slots = new Int32Array(512);
    this.slotGen = new Int32Array(512);
    this.mask = 511;
  }

  /** A workspace for monomials of length `nslots` under the order given by `rows`, or null if it cannot pack. */
  static create(rows: readonly (readonly number[])[], nslots: number, n: number, hi: number, initialBound = 16): ReductionWorkspace | null {
    const bounds = new Array<number>(nslots).fill(initialBound);
    const layout = packRows(rows, bounds);
    if (layout === null) return null;
    return new ReductionWorkspace(rows, bounds, layout, n, hi);
  }

  /** Empties the workspace (O(1) for the hash table: slots of older generations count as free). */
  clear(): void {
    this.count = 0;
    this.heapLen = 0;
    this.mon.length = 0;
    this.coef.length = 0;
    this.gen++;
    if (this.gen > 0x3fffffff) {
      this.slotGen.fill(0);
      this.gen = 1;
    }
  }

  get size(): number {
    return this.heapLen;
  }

  private hashAt(at: number): number {
    const K = this.K;
    const keys = this.keys;
    let h = 0x811c9dc5;
    for (let c = 0; c < K; c++) {
      const k = keys[at + c]!;
      const lo = k >>> 0;
      const hi = (k / 4294967296) >>> 0;
      h = Math.imul(h ^ lo, 0x85ebca6b);
      h = Math.imul(h ^ hi ^ (h >>> 13), 0xc2b2ae35);
    }
    return (h ^ (h >>> 16)) >>> 0;
  }

  /** Adds c·m; m becomes owned by the workspace when it is new. */
  add(m: Monomial, c: Coef): void {
    if (c === 0 || c === 0n) return;
    const bounds = this.bounds;
    for (let i = 0; i < this.N; i++) {
      if (m[i]! > bounds[i]!) {
        this.grow(m);
        break;
      }
    }
    const idx = this.count;
    if ((idx + 1) * this.K > this.keys.length) this.growEntries();
    pack(this.layout, m, this.keys, idx * this.K);
    this.insert(c, m, m, m, 0);
  }

  /**
   * Adds c·t·g (the Weyl product of the monomial t and g), without its leading term when `skipLead`. The step of
   * every reduction, so nothing is allocated for terms already present: keys are linear, key(t·μ) = key(t) + key(μ)
   * with g's term keys cached, a swap x_i∂_i → h² moves the key by a constant per pair, and a monomial array is only
   * built for a new entry.
   */
  addTermTimes(t: Monomial, cBig: bigint, g: Poly<bigint>, skipLead: boolean): void {
    const c = toCoef(cBig);
    const N = this.N;
    const n = this.n;
    const hi = this.hi;
    let info = this.keysOf(g);
    // Every exponent of the product is at most t + maxDeg(g), plus 2·Σ min(∂ of t, x of g) on h.
    let extra = 0;
    for (let i = 0; i < n; i++) if (t[n + i]! > 0) extra += 2 * Math.min(t[n + i]!, info.maxDeg[i]!);
    let fits = true;
    for (let i = 0; i < N; i++) if (t[i]! + info.maxDeg[i]! + (i === hi ? extra : 0) > this.bounds[i]!) fits = false;
    if (!fits) {
      const need = t.map((e, i) => e + info.maxDeg[i]! + (i === hi ? extra : 0));
      this.grow(need);
      info = this.keysOf(g);
    }
    const K = this.K;
    const W = this.layout.weights;
    const tl = this.tKey;
    for (let k = 0; k < K; k++) {
      let v = this.layout.offsets[k]!;
      for (let i = 0; i < N; i++) if (t[i] !== 0) v += W[k * N + i]! * t[i]!;
      tl[k] = v;
    }
    let nd = 0;
    const dIdx = this.dIdx;
    const dStep = this.dStep;
    for (let i = 0; i < n; i++) {
      if (t[n + i]! === 0) continue;
      // One unit of swap: x_i and ∂_i drop by one, h gains two.
      for (let k = 0; k < K; k++) dStep[nd * K + k] = -W[k * N + i]! - W[k * N + n + i]! + (hi >= 0 ? 2 * W[k * N + hi]! : 0);
      dIdx[nd++] = i;
    }
    const act = this.act;
    const js = this.js;
    const tabs = this.tabs;
    const gk = info.keys;
    const gm = g.monos;
    const gc = info.coefs;
    for (let s = 0; s < gm.length; s++) {
      const mu = gm[s]!;
      const cc = mulCoef(c, gc[s]!);
      let na = 0;
      for (let q = 0; q < nd; q++) {
        const i = dIdx[q]!;
        if (mu[i]! > 0) {
          act[na] = q;
          tabs[na] = swapCoefs(t[n + i]!, mu[i]!);
          js[na] = 0;
          na++;
        }
      }
      if (!(skipLead && s === 0)) {
        const idx = this.count;
        if ((idx + 1) * K > this.keys.length) this.growEntries();
        const keys = this.keys;
        for (let k = 0; k < K; k++) keys[idx * K + k] = gk[s * K + k]! + tl[k]!;
        this.insert(cc, null, t, mu, 0);
      }
      if (na === 0) continue;
      while (nextMultiIndex(js, tabs, na)) {
        const idx = this.count;
        if ((idx + 1) * K > this.keys.length) this.growEntries();
        const keys = this.keys;
        let coef = cc;
        for (let k = 0; k < K; k++) keys[idx * K + k] = gk[s * K + k]! + tl[k]!;
        for (let q = 0; q < na; q++) {
          const j = js[q]!;
          if (j === 0) continue;
          coef = mulCoef(coef, tabs[q]![j]!);
          const d = act[q]!;
          for (let k = 0; k < K; k++) keys[idx * K + k]! += j * dStep[d * K + k]!;
        }
        this.insert(coef, null, t, mu, na);
      }
    }
  }
  private readonly tKey: Float64Array;
  private readonly dIdx: number[] = [];
  private readonly dStep: number[] = [];
  private readonly act: number[] = [];
  private readonly js: number[] = [];
  private readonly tabs: Coef[][] = [];
  private polyKeys = new WeakMap<Poly<bigint>, PolyKeys>();

  private keysOf(g: Poly<bigint>): PolyKeys {
    let info = this.polyKeys.get(g);
    if (info !== undefined && info.layout === this.layout) return info;
    const K = this.K;
    const keys = new Float64Array(g.monos.length * K);
    const maxDeg = new Array<number>(this.N).fill(0);
    for (let s = 0; s < g.monos.length; s++) {
      const m = g.monos[s]!;
      for (let i = 0; i < this.N; i++) if (m[i]! > maxDeg[i]!) maxDeg[i] = m[i]!;
    }
    // Keys without the offsets: the product's key is offset + lin(t) + lin(μ).
    for (let s = 0; s < g.monos.length; s++) {
      pack(this.layout, g.monos[s]!, keys, s * K);
      for (let k = 0; k < K; k++) keys[s * K + k]! -= this.layout.offsets[k]!;
    }
    // Unbounded keys would be wrong keys: g's own terms must fit the layout as well.
    for (let i = 0; i < this.N; i++) {
      if (maxDeg[i]! > this.bounds[i]!) {
        this.grow(maxDeg);
        return this.keysOf(g);
      }
    }
    info = { layout: this.layout, keys, maxDeg, coefs: info?.coefs ?? g.coeffs.map(toCoef) };
    this.polyKeys.set(g, info);
    return info;
  }

  /**
   * Adds c at the key written at the next entry's position. The monomial is `m`, or (m null) t·μ with the swaps
   * js[0..na) of the pairs act[] applied, built only when the entry is new.
   */
  private insert(c: Coef, m: Monomial | null, t: Monomial, mu: Monomial, na: number): void {
    const K = this.K;
    const keys = this.keys;
    const idx = this.count;
    const at = idx * K;
    let h = this.hashAt(at) & this.mask;
    const gen = this.gen;
    for (;;) {
      if (this.slotGen[h] !== gen) break;
      const e = this.slots[h]!;
      const eat = e * K;
      let same = true;
      for (let k = 0; k < K; k++) {
        if (keys[eat + k] !== keys[at + k]) {
          same = false;
          break;
        }
      }
      if (same) {
        if (this.popped[e] === 1)
          throw new Error('reduction workspace: a term above the current leading term was added (the order is not compatible with the product)');
        this.coef[e] = addCoef(this.coef[e]!, c);
        return;
      }
      h = (h + 1) & this.mask;
    }
    if (m === null) {
      const N = this.N;
      const mono = new Array<number>(N);
      for (let i = 0; i < N; i++) mono[i] = t[i]! + mu[i]!;
      let jsum = 0;
      for (let q = 0; q < na; q++) {
        const j = this.js[q]!;
        if (j === 0) continue;
        const i = this.dIdx[this.act[q]!]!;
        mono[i] = mono[i]! - j;
        mono[this.n + i] = mono[this.n + i]! - j;
        jsum += j;
      }
      if (this.hi >= 0) mono[this.hi] = mono[this.hi]! + 2 * jsum;
      m = mono;
    }
    this.slotGen[h] = gen;
    this.slots[h] = idx;
    this.mon[idx] = m;
    this.coef[idx] = c;
    this.popped[idx] = 0;
    this.count = idx + 1;
    this.heapPush(idx);
    if (this.count * 2 > this.mask) this.growTable();
  }

  /** Adds every term of s·p. */
  addPoly(p: Poly<bigint>, s: bigint = 1n): void {
    const pm = p.monos;
    const pc = p.coeffs;
    for (let i = 0; i < pm.length; i++) this.add(pm[i]!, toCoef(s === 1n ? pc[i]! : pc[i]! * s));
  }

  /** Removes and returns the entry of the largest monomial with a nonzero coefficient, or −1 when none is left. */
  pop(): number {
    while (this.heapLen > 0) {
      const top = this.heap[0]!;
      this.heapPopTop();
      this.popped[top] = 1;
      const c = this.coef[top];
      if (c !== 0 && c !== 0n) return top;
    }
    return -1;
  }

  monomial(e: number): Monomial {
    return this.mon[e]!;
  }

  coefficient(e: number): bigint {
    return BigInt(this.coef[e]!);
  }

  /** Multiplies every term still in the workspace by a. */
  scale(a: bigint): void {
    const heap = this.heap;
    const coef = this.coef;
    const an = toCoef(a);
    for (let k = 0; k < this.heapLen; k++) {
      const e = heap[k]!;
      coef[e] = mulCoef(coef[e]!, an);
    }
  }

  /**
   * gcd of the coefficients still in the workspace, folded into g (stops early at 1). A remainder test first: once
   * g is the content, every further coefficient is a multiple, and c % g costs far less than a gcd.
   */
  content(g: bigint): bigint {
    const heap = this.heap;
    const coef = this.coef;
    for (let k = 0; k < this.heapLen && g !== 1n && g !== -1n; k++) {
      const c = BigInt(coef[heap[k]!]!);
      if (c === 0n || (g !== 0n && c % g === 0n)) continue;
      g = gcd(g, c);
    }
    return g < 0n ? -g : g;
  }

  /** Divides every term still in the workspace by g (exactly). */
  divide(g: bigint): void {
    const heap = this.heap;
    const coef = this.coef;
    for (let k = 0; k < this.heapLen; k++) {
      const e = heap[k]!;
      coef[e] = toCoef(BigInt(coef[e]!) / g);
    }
  }

  /** Everything left, sorted decreasingly, zeros dropped; empties the workspace. */
  drain(monos: Monomial[], coeffs: bigint[]): void {
    for (let e = this.pop(); e >= 0; e = this.pop()) {
      monos.push(this.mon[e]!);
      coeffs.push(BigInt(this.coef[e]!));
    }
  }

  // ---- heap (max at the root) ----

  private greater(a: number, b: number): boolean {
    const K = this.K;
    const keys = this.keys;
    const pa = a * K;
    const pb = b * K;
    for (let k = 0; k < K; k++) {
      const x = keys[pa + k]!;
      const y = keys[pb + k]!;
      if (x !== y) return x > y;
    }
    return false;
  }

  private heapPush(e: number): void {
    if (this.heapLen === this.heap.length) {
      const h = new Int32Array(this.heap.length * 2);
      h.set(this.heap);
      this.heap = h;
    }
    const heap = this.heap;
    let i = this.heapLen++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!this.greater(e, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = e;
  }

  private heapPopTop(): void {
    const heap = this.heap;
    const n = --this.heapLen;
    if (n === 0) return;
    const e = heap[n]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.greater(heap[child + 1]!, heap[child]!)) child++;
      const ch = heap[child]!;
      if (!this.greater(ch, e)) break;
      heap[i] = ch;
      i = child;
    }
    heap[i] = e;
  }

  // ---- growth ----

  private growEntries(): void {
    const cap = Math.max(256, (this.keys.length / this.K) * 2);
    const k = new Float64Array(cap * this.K);
    k.set(this.keys);
    this.keys = k;
    const p = new Uint8Array(cap);
    p.set(this.popped);
    this.popped = p;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    this.slotGen = new Int32Array(size);
    this.gen = 1;
    this.mask = size - 1;
    const K = this.K;
    for (let e = 0; e < this.count; e++) {
      let h = this.hashAt(e * K) & this.mask;
      while (this.slotGen[h] === 1) h = (h + 1) & this.mask;
      this.slotGen[h] = 1;
      this.slots[h] = e;
    }
  }

  private growTable(): void {
    this.rehash((this.mask + 1) * 2);
  }

  /** New bounds (at least double the exceeded ones) so that m fits, new key layout, all keys recomputed. */
  private grow(m: readonly number[]): void {
    const bounds = this.bounds.slice();
    for (let i = 0; i < this.N; i++) if (m[i]! > bounds[i]!) bounds[i] = Math.max(2 * bounds[i]!, m[i]!);
    const layout = packRows(this.rows, bounds);
    if (layout === null) throw new RangeError('reduction workspace: exponents beyond 2^53 / (number of variables) cannot be packed into order keys');
    this.bounds = bounds;
    this.layout = layout;
    const K = layout.K;
    const cap = Math.max(256, this.popped.length);
    this.keys = new Float64Array(cap * K);
    this.K = K;
    for (let e = 0; e < this.count; e++) pack(layout, this.mon[e]!, this.keys, e * K);
    this.rehash(this.mask + 1);
  }
}
