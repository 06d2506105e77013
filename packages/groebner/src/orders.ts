import { grevlex, type Monomial, type MonomialOrder } from '@holonomic-ntk/weyl-algebra';
import { refineKey, revlexKey } from '@holonomic-ntk/weyl-algebra/internal';
import { orderRows, registerOrderRows } from './orderKeys.ts';

/**
 * Orders on vectors of operators. Module elements carry their component index in a trailing exponent slot, so a
 * module order is a term order on [exponents…, component]. `base` compares the exponents (the slot is cut off).
 *
 * - POT (position over term): the component decides first.
 * - TOP (term over position): the monomial decides, the component breaks ties.
 * `lastComponentLeast`: component k ≻ component k+1, so the last component is the least significant one — with POT
 * a Gröbner basis then contains a basis of the submodule of vectors living in the last component only (the
 * restriction ideal reads it off there, MATH.md §3 step 6). Otherwise component 0 is the least significant.
 */
export function moduleOrder(base: MonomialOrder, kind: 'POT' | 'TOP', lastComponentLeast = true): MonomialOrder {
  const cmpComp = (a: Monomial, b: Monomial): number => {
    const ca = a[a.length - 1]!;
    const cb = b[b.length - 1]!;
    return lastComponentLeast ? cb - ca : ca - cb;
  };
  const cut = (a: Monomial) => a.slice(0, a.length - 1);
  const order: MonomialOrder = {
    name: `${kind}(${base.name}${lastComponentLeast ? ', last component least' : ', first component least'})`,
    isGlobal: base.isGlobal,
    compare(a, b) {
      if (kind === 'POT') {
        const c = cmpComp(a, b);
        return c !== 0 ? c : base.compare(cut(a), cut(b));
      }
      const c = base.compare(cut(a), cut(b));
      return c !== 0 ? c : cmpComp(a, b);
    },
  };
  registerOrderRows(order, (nslots) => {
    const b = orderRows(base, nslots - 1);
    if (b === null) return null;
    const rows = b.map((r) => [...r, 0]);
    const comp = Array.from({ length: nslots }, (_, i) => (i === nslots - 1 ? (lastComponentLeast ? -1 : 1) : 0));
    return kind === 'POT' ? [comp, ...rows] : [...rows, comp];
  });
  return order;
}

/**
 * The order on D^(h) used for a weight vector (u, v) with u + v ≥ 0 (MATH.md §2): total degree including h, then
 * the (u, v)-weight, then the degree without h, then reverse lexicographic. Homogeneous elements and a
 * degree-first order make Buchberger terminate; setting h = 1 gives a Gröbner basis for (u, v) refined by
 * degrevlex. Exponent vectors are [x (n), ∂ (n), h, (component)]; a trailing component slot is ignored here.
 */
export function homogenizedWeightOrder(n: number, weight: readonly number[]): MonomialOrder {
  if (weight.length !== 2 * n) throw new RangeError(`a weight for ${n} variable pairs has ${2 * n} entries, got ${weight.length}`);
  const w = weight.slice();
  const total = (a: Monomial) => {
    let s = 0;
    for (let i = 0; i <= 2 * n; i++) s += a[i]!;
    return s;
  };
  const wt = (a: Monomial) => {
    let s = 0;
    for (let i = 0; i < 2 * n; i++) s += w[i]! * a[i]!;
    return s;
  };
  const order: MonomialOrder = {
    name: `hweight(${w.join(',')})`,
    isGlobal: true,
    // Every criterion is a linear form (total degree, weight, −h, then revlex), so sorting and hashing can use one
    // number per monomial; measured: comparisons were 31% of a ReSin restriction before this key.
    linearKey(bounds) {
      // With a module-component slot compare ignores the slot; keys would separate what compare calls equal.
      if (bounds.length !== 2 * n + 1) return null;
      const len = bounds.length;
      const form = (f: (i: number) => number) => Array.from({ length: len }, (_, i) => (i <= 2 * n ? f(i) : 0));
      const tot = form(() => 1);
      const wf = form((i) => (i < 2 * n ? w[i]! : 0));
      const minusH = form((i) => (i === 2 * n ? -1 : 0));
      return refineKey(tot, bounds, refineKey(wf, bounds, refineKey(minusH, bounds, revlexKey(bounds))));
    },
    compare(a, b) {
      let c = total(a) - total(b);
      if (c !== 0) return c;
      c = wt(a) - wt(b);
      if (c !== 0) return c;
      // Same total degree: less h means more degree in x, ∂.
      c = b[2 * n]! - a[2 * n]!;
      if (c !== 0) return c;
      for (let i = 2 * n - 1; i >= 0; i--) if (a[i] !== b[i]) return b[i]! - a[i]!;
      return 0;
    },
  };
  // The same criteria as rows; e_0 is implied by the total degree. A trailing slot (compare ignores it) has no rows.
  registerOrderRows(order, (nslots) => {
    if (nslots !== 2 * n + 1) return null;
    const rows = [new Array<number>(nslots).fill(1), [...w, 0], Array.from({ length: nslots }, (_, i) => (i === 2 * n ? -1 : 0))];
    for (let i = 2 * n - 1; i >= 1; i--) rows.push(Array.from({ length: nslots }, (_, k) => (k === i ? -1 : 0)));
    return rows;
  });
  return order;
}

/**
 * The order "∂ first": compare the ∂-exponents of the chosen pairs by grevlex, then everything else by grevlex.
 * A Gröbner basis of I ⊂ D for it is a Gröbner basis of R·I, R = K(x)⟨∂_S⟩ (MATH.md §4). `dIndices` are the
 * positions of ∂_S in the exponent vector.
 */
export function derivationBlockOrder(dIndices: readonly number[]): MonomialOrder {
  const idx = dIndices.slice();
  const set = new Set(idx);
  const order: MonomialOrder = {
    name: `dblock(${idx.join(',')})`,
    isGlobal: true,
    compare(a, b) {
      let da = 0;
      let db = 0;
      for (const i of idx) {
        da += a[i]!;
        db += b[i]!;
      }
      if (da !== db) return da - db;
      for (let k = idx.length - 1; k >= 0; k--) {
        const i = idx[k]!;
        if (a[i] !== b[i]) return b[i]! - a[i]!;
      }
      const ra: number[] = [];
      const rb: number[] = [];
      for (let i = 0; i < a.length; i++) {
        if (set.has(i)) continue;
        ra.push(a[i]!);
        rb.push(b[i]!);
      }
      return grevlex.compare(ra, rb);
    },
  };
  registerOrderRows(order, (nslots) => {
    if (idx.some((i) => i >= nslots)) return null;
    const e = (i: number, s: number) => Array.from({ length: nslots }, (_, k) => (k === i ? s : 0));
    const rest = Array.from({ length: nslots }, (_, i) => i).filter((i) => !set.has(i));
    const rows: number[][] = [Array.from({ length: nslots }, (_, k) => (set.has(k) ? 1 : 0))];
    for (let k = idx.length - 1; k >= 0; k--) rows.push(e(idx[k]!, -1));
    if (rest.length > 0) {
      rows.push(Array.from({ length: nslots }, (_, k) => (set.has(k) ? 0 : 1)));
      for (let k = rest.length - 1; k >= 1; k--) rows.push(e(rest[k]!, -1));
    }
    return rows;
  });
  return order;
}
