import { integerPrimitive } from './content.ts';
import { QQ, ZZ, type Domain } from './domain.ts';
import { Rational } from './rational.ts';
import { DomainError } from './errors.ts';
import { grevlex, type Monomial, type MonomialOrder } from './monomialOrder.ts';
import { Poly, PolyRing, monoDegree } from './polynomial.ts';
import { TermAccumulator } from './termAccumulator.ts';
import { swapCoefficients } from './weylProduct.ts';
import { forEachMultiIndex, nextMultiIndex, powBySquaring } from './powBySquaring.ts';

/**
 * Receives terms one at a time (TermAccumulator is one).
 *
 * @example
 * ```ts
 * import { TermAccumulator, type TermSink } from '@holonomic-ntk/weyl-algebra/internal';
 * import { QQ, type Rational, lex } from '@holonomic-ntk/weyl-algebra';
 * const sink: TermSink<Rational> = new TermAccumulator(QQ, [2], lex);
 * sink.add([1], QQ.one);
 * ```
 */
export interface TermSink<T> {
  add(m: number[], c: T): void;
}

/**
 * A variable pair of the Weyl algebra: the coordinate and its derivation.
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, operatorToText, parseOperator } from '@holonomic-ntk/weyl-algebra';
 * const D = new WeylAlgebra(QQ, [{ x: 't', d: 'Dt' }]);
 * D.vars; // → ['t', 'Dt']
 * operatorToText(D, parseOperator(D, 'Dt*t')); // → 't*Dt + 1'
 * ```
 */
export interface VariablePair {
  x: string;
  d: string;
}

/**
 * Options of {@link WeylAlgebra}: homogenization, term order, extra central variables.
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, lex, operatorToText, parseOperator } from '@holonomic-ntk/weyl-algebra';
 * const Dh = new WeylAlgebra(QQ, ['x'], { homogenizer: 'h' });
 * operatorToText(Dh, parseOperator(Dh, 'dx*x')); // → 'x*dx + h^2'
 * new WeylAlgebra(QQ, ['x', 'y'], { order: lex }).order.name; // → 'lex'
 * ```
 */
export interface WeylAlgebraOptions {
  /** Name of the homogenizing variable h: then ∂x = x∂ + h² and h is central (the algebra D^(h)). */
  homogenizer?: string;
  /** Term order on the exponent vectors [a_1..a_n, b_1..b_n, (c), (central…)] of x^a ∂^b h^c. Default grevlex. */
  order?: MonomialOrder;
  /**
   * Extra commuting variables after h, central like h but with no role in the relations. The Gröbner engine uses
   * one to carry the component index of module elements through products.
   */
  central?: readonly string[];
}

/**
 * The Weyl algebra D = K⟨x_1..x_n, ∂_1..∂_n⟩ with ∂_i x_i = x_i ∂_i + 1 (or + h² in D^(h)), over a coefficient
 * domain K (QQ, ZZ for fraction-free work, or Q(parameters)). The ring is an explicit value: `D.mul(a, b)`.
 *
 * Elements are `Poly<T>` in normal order: Σ c · x^a ∂^b (h^c), all x left of all ∂, stored as the commutative
 * polynomial with the same exponents. Addition, leading terms and orders are those of that polynomial; only the
 * product differs. Substituting x_i = 0 or reading off ∂-coefficients is meaningful on this form only.
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, operatorToText } from '@holonomic-ntk/weyl-algebra';
 * const D = new WeylAlgebra(QQ, ['x']);
 * const [x, dx] = [D.gen('x'), D.gen('dx')];
 * operatorToText(D, D.mul(dx, x)); // → 'x*dx + 1'
 * D.eq(D.commutator(dx, x), D.one); // → true
 * ```
 */
export class WeylAlgebra<T> {
  readonly n: number;
  readonly xNames: readonly string[];
  readonly dNames: readonly string[];
  readonly hName: string | undefined;
  readonly central: readonly string[];
  /** All generators in storage order: x-names, then ∂-names, then h. */
  readonly vars: readonly string[];
  /** The commutative ring of normally ordered monomials (same variables, order and domain). */
  readonly poly: PolyRing<T>;
  readonly zero: Poly<T>;
  readonly one: Poly<T>;
  private readonly index: Map<string, number>;

  constructor(
    readonly domain: Domain<T>,
    pairs: readonly (string | VariablePair)[],
    readonly options: WeylAlgebraOptions = {},
  ) {
    const ps = pairs.map((p) => (typeof p === 'string' ? { x: p, d: `d${p}` } : p));
    this.n = ps.length;
    this.xNames = ps.map((p) => p.x);
    this.dNames = ps.map((p) => p.d);
    this.hName = options.homogenizer;
    this.central = options.central ?? [];
    this.vars = [...this.xNames, ...this.dNames, ...(this.hName !== undefined ? [this.hName] : []), ...this.central];
    const paramNames = (domain as { vars?: readonly string[] }).vars ?? [];
    for (const v of this.vars) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) throw new DomainError(`"${v}" is not a valid variable name`);
      if (paramNames.includes(v)) throw new DomainError(`"${v}" is both a variable and a parameter of the coefficient field`);
    }
    this.poly = new PolyRing(domain, this.vars, options.order ?? grevlex);
    this.zero = this.poly.zero;
    this.one = this.poly.one;
    this.index = new Map(this.vars.map((v, i) => [v, i]));
  }

  get order(): MonomialOrder {
    return this.poly.order;
  }

  get isHomogenized(): boolean {
    return this.hName !== undefined;
  }

  /** The same algebra under another term order (elements must be re-sorted with `convert`). */
  withOrder(order: MonomialOrder): WeylAlgebra<T> {
    return new WeylAlgebra(this.domain, this.pairs(), { ...this.options, order });
  }

  /** Re-sorts an element of an algebra with the same generators for this algebra's order. */
  convert(p: Poly<T>): Poly<T> {
    return this.poly.convert(p);
  }

  pairs(): VariablePair[] {
    return this.xNames.map((x, i) => ({ x, d: this.dNames[i]! }));
  }

  /** Index of h in exponent vectors, or −1. */
  get hIndex(): number {
    return this.hName !== undefined ? 2 * this.n : -1;
  }

  /** Index of a generator in the exponent vector, or undefined. */
  indexOf(name: string): number | undefined {
    return this.index.get(name);
  }

  /** The generator named `name` (a coordinate, a derivation or h). */
  gen(name: string): Poly<T> {
    const i = this.index.get(name);
    if (i === undefined) throw new DomainError(`no generator "${name}" in the Weyl algebra (${this.vars.join(', ')})`);
    return this.poly.gen(i);
  }

  constant(c: T): Poly<T> {
    return this.poly.constant(c);
  }
  fromInt(k: bigint | number): Poly<T> {
    return this.poly.fromInt(k);
  }
  /** c · x^a ∂^b h^e for the exponent vector m = [a, b, (e)]. */
  monomial(m: Monomial, c?: T): Poly<T> {
    return this.poly.monomial(m, c);
  }
  isZero(p: Poly<T>): boolean {
    return p.monos.length === 0;
  }
  isConstant(p: Poly<T>): boolean {
    return this.poly.isConstant(p);
  }
  constantCoeff(p: Poly<T>): T {
    return this.poly.constantCoeff(p);
  }
  eq(p: Poly<T>, q: Poly<T>): boolean {
    return this.poly.eq(p, q);
  }
  add(p: Poly<T>, q: Poly<T>): Poly<T> {
    return this.poly.add(p, q);
  }
  sub(p: Poly<T>, q: Poly<T>): Poly<T> {
    return this.poly.sub(p, q);
  }
  neg(p: Poly<T>): Poly<T> {
    return this.poly.neg(p);
  }
  /** c·p for a scalar c (scalars are central). */
  scale(p: Poly<T>, c: T): Poly<T> {
    return this.poly.scale(p, c);
  }
  /** p + s·q in one merge. */
  addScaled(p: Poly<T>, q: Poly<T>, s?: T): Poly<T> {
    return this.poly.addScaled(p, q, s);
  }

  /** The Weyl product p·q, normally ordered. */
  mul(p: Poly<T>, q: Poly<T>): Poly<T> {
    if (p.monos.length === 0 || q.monos.length === 0) return this.zero;
    if (this.domain === (QQ as Domain<unknown>) && p.monos.length * q.monos.length > 64) {
      return this.mulFractionFree(p as Poly<Rational>, q as Poly<Rational>) as Poly<T>;
    }
    return this.mulDirect(p, q);
  }

  /**
   * Over QQ, large products are computed over ZZ after clearing denominators: combining equal terms then costs a
   * bigint addition instead of a rational addition with its gcds; one normalization per result term at the end.
   */
  private mulFractionFree(p: Poly<Rational>, q: Poly<Rational>): Poly<Rational> {
    const zz = (this.zzTwin ??= new WeylAlgebra(ZZ, this.pairs(), this.options));
    const a = integerPrimitive(this.poly as PolyRing<Rational>, p, zz.poly);
    const b = integerPrimitive(this.poly as PolyRing<Rational>, q, zz.poly);
    const r = zz.mulDirect(a.prim, b.prim);
    const s = a.scale.mul(b.scale);
    return new Poly(
      r.monos,
      r.coeffs.map((c) => Rational.of(c * s.num, s.den)),
    );
  }
  private zzTwin: WeylAlgebra<bigint> | undefined;

  private mulDirect(p: Poly<T>, q: Poly<T>): Poly<T> {
    const n = this.n;
    const hi = this.hName !== undefined ? 2 * n : -1;
    const bp = this.poly.maxDegrees(p);
    const bq = this.poly.maxDegrees(q);
    const bounds = bp.map((b, i) => b + bq[i]!);
    if (hi >= 0) {
      let extra = 0;
      for (let i = 0; i < n; i++) extra += 2 * Math.min(bp[n + i]!, bq[i]!);
      bounds[hi] = bounds[hi]! + extra;
    }
    const acc = new TermAccumulator(this.domain, bounds, this.poly.order);
    for (let s = 0; s < p.monos.length; s++) {
      for (let t = 0; t < q.monos.length; t++) this.mulMonomials(p.monos[s]!, p.coeffs[s]!, q.monos[t]!, q.coeffs[t]!, acc);
    }
    const r = acc.result();
    return new Poly(r.monos, r.coeffs);
  }

  /** (c·m)·p for a single term on the left, the step of every left reduction. */
  mulTermLeft(m: Monomial, c: T, p: Poly<T>): Poly<T> {
    if (p.monos.length === 0 || this.domain.isZero(c)) return this.zero;
    const bounds = this.poly.maxDegrees(p);
    const hi = this.hIndex;
    let extra = 0;
    for (let i = 0; i < this.n; i++) extra += 2 * Math.min(m[this.n + i]!, bounds[i]!);
    for (let i = 0; i < bounds.length; i++) bounds[i] = bounds[i]! + m[i]!;
    if (hi >= 0) bounds[hi] = bounds[hi]! + extra;
    const acc = new TermAccumulator(this.domain, bounds, this.poly.order);
    this.mulTermInto(m, c, p, acc);
    const r = acc.result();
    return new Poly(r.monos, r.coeffs);
  }

  /**
   * Emits the terms of (c·m)·p to `sink` unsorted, a monomial possibly more than once (the sink adds them up).
   * The sink owns the emitted arrays. `skipLead` leaves out c·lc(p)·m·lm(p), the leading term of the product for
   * every order the Gröbner engine uses: a reduction step cancels it anyway.
   *
   * Reductions multiply a monomial by a polynomial tens of thousands of times, so this skips the general
   * product's per-call set-up (bounds, a hash table, a sort) and its closures; the swap expansions come from the
   * cache of swapCoefficients.
   */
  mulTermInto(m: Monomial, c: T, p: Poly<T>, sink: TermSink<T>, skipLead = false): void {
    const n = this.n;
    const d = this.domain;
    const hi = this.hIndex;
    const len = m.length;
    const cOne = d.isOne(c);
    let nd = 0;
    const dIdx = this.scratchD;
    for (let i = 0; i < n; i++) if (m[n + i]! > 0) dIdx[nd++] = i;
    const act = this.scratchAct;
    const js = this.scratchJ;
    const tabs = this.scratchTabs;
    for (let s = 0; s < p.monos.length; s++) {
      const mu = p.monos[s]!;
      const cc = cOne ? p.coeffs[s]! : d.mul(c, p.coeffs[s]!);
      const base = new Array<number>(len);
      for (let i = 0; i < len; i++) base[i] = m[i]! + mu[i]!;
      let na = 0;
      for (let k = 0; k < nd; k++) {
        const i = dIdx[k]!;
        if (mu[i]! > 0) {
          act[na] = i;
          tabs[na] = swapCoefficients(m[n + i]!, mu[i]!);
          js[na] = 0;
          na++;
        }
      }
      if (!(skipLead && s === 0)) sink.add(base, cc);
      if (na === 0) continue;
      // Odometer over the non-zero multi-indices j (j = 0 was emitted above).
      while (nextMultiIndex(js, tabs, na)) {
        const mono = base.slice();
        let coef = 1n;
        let jsum = 0;
        for (let q = 0; q < na; q++) {
          const j = js[q]!;
          if (j === 0) continue;
          const i = act[q]!;
          mono[i] = mono[i]! - j;
          mono[n + i] = mono[n + i]! - j;
          coef *= tabs[q]![j]!;
          jsum += j;
        }
        if (hi >= 0) mono[hi] = mono[hi]! + 2 * jsum;
        sink.add(mono, coef === 1n ? cc : d.mul(cc, d.fromInt(coef)));
      }
    }
  }
  private readonly scratchD: number[] = [];
  private readonly scratchAct: number[] = [];
  private readonly scratchJ: number[] = [];
  private readonly scratchTabs: bigint[][] = [];

  /**
   * Adds (c1 x^a ∂^b h^s)·(c2 x^α ∂^β h^t) to acc: one tensor product of per-pair swap expansions. Keys are
   * updated incrementally (they are linear in the exponents) and a monomial is only built when it is new.
   */
  private mulMonomials(m1: Monomial, c1: T, m2: Monomial, c2: T, acc: TermAccumulator<T>): void {
    const n = this.n;
    const d = this.domain;
    const hi = this.hName !== undefined ? 2 * n : -1;
    const c = d.mul(c1, c2);
    const base = new Array<number>(m1.length);
    for (let i = 0; i < m1.length; i++) base[i] = m1[i]! + m2[i]!;
    let active: number[] | null = null;
    for (let i = 0; i < n; i++) {
      if (m1[n + i]! > 0 && m2[i]! > 0) (active ??= []).push(i);
    }
    if (active === null) {
      acc.add(base, c);
      return;
    }
    const act = active;
    const expansions = act.map((i) => swapCoefficients(m1[n + i]!, m2[i]!));
    const w = acc.weights;
    const baseKey = acc.keyOf(base);
    // Key change per unit of j_r: x_i and ∂_i drop by one, h gains two.
    const step = act.map((i) => (w === null ? 0 : 2 * (hi >= 0 ? w[hi]! : 0) - w[i]! - w[n + i]!));
    forEachMultiIndex(
      expansions.map((e) => e.length),
      (js) => {
        let coef = 1n;
        let key = baseKey;
        for (let r = 0; r < act.length; r++) {
          const j = js[r]!;
          if (j === 0) continue;
          coef *= expansions[r]![j]!;
          if (key !== null) key += j * step[r]!;
        }
        const build = (): number[] => {
          const m = base.slice();
          let jsum = 0;
          for (let r = 0; r < act.length; r++) {
            m[act[r]!] = m[act[r]!]! - js[r]!;
            m[n + act[r]!] = m[n + act[r]!]! - js[r]!;
            jsum += js[r]!;
          }
          if (hi >= 0) m[hi] = m[hi]! + 2 * jsum;
          return m;
        };
        const cc = coef === 1n ? c : d.mul(c, d.fromInt(coef));
        if (key === null) acc.add(build(), cc);
        else acc.addKeyed(key, build, cc);
      },
    );
  }

  /** p^k, k ≥ 0, by repeated squaring. */
  pow(p: Poly<T>, k: number): Poly<T> {
    if (!Number.isInteger(k) || k < 0) throw new DomainError(`operator power needs an integer exponent ≥ 0, got ${k}`);
    return powBySquaring(p, k, this.one, (a, b) => this.mul(a, b));
  }

  /** Commutator [p, q] = pq − qp. */
  commutator(p: Poly<T>, q: Poly<T>): Poly<T> {
    return this.sub(this.mul(p, q), this.mul(q, p));
  }

  /** Total degree in x, ∂ (and h): the maximum of |a| + |b| (+ c). −Infinity for 0. */
  degree(p: Poly<T>): number {
    return this.poly.degree(p);
  }

  /** Order as a differential operator: the maximum of |b|. −Infinity for 0. */
  differentialOrder(p: Poly<T>): number {
    let r = -Infinity;
    for (const m of p.monos) {
      let s = 0;
      for (let i = 0; i < this.n; i++) s += m[this.n + i]!;
      r = Math.max(r, s);
    }
    return r;
  }

  /**
   * Weight of a monomial for a weight vector w = (u_1..u_n, v_1..v_n) on (x, ∂): u·a + v·b. h has weight 0.
   */
  weightOf(m: Monomial, w: readonly number[]): number {
    this.checkWeight(w);
    let s = 0;
    for (let i = 0; i < 2 * this.n; i++) s += w[i]! * m[i]!;
    return s;
  }

  /** ord_w(p): the largest weight of a term of p (−Infinity for 0). */
  ord(p: Poly<T>, w: readonly number[]): number {
    let r = -Infinity;
    for (const m of p.monos) r = Math.max(r, this.weightOf(m, w));
    return r;
  }

  /**
   * in_w(p): the terms of maximal weight. For u + v = 0 (e.g. (−w, w)) the graded ring is D again and this is an
   * element of D; for u + v > 0 it is read in the commutative graded ring (same terms, commutative product).
   */
  initialForm(p: Poly<T>, w: readonly number[]): Poly<T> {
    if (p.monos.length === 0) return p;
    const top = this.ord(p, w);
    const monos: Monomial[] = [];
    const coeffs: T[] = [];
    for (let i = 0; i < p.monos.length; i++) {
      if (this.weightOf(p.monos[i]!, w) === top) {
        monos.push(p.monos[i]!);
        coeffs.push(p.coeffs[i]!);
      }
    }
    return new Poly(monos, coeffs);
  }

  private checkWeight(w: readonly number[]): void {
    if (w.length !== 2 * this.n)
      throw new DomainError(`a weight vector for ${this.n} variable pairs needs ${2 * this.n} entries (u on x, v on ∂), got ${w.length}`);
  }

  /** Leading term under the algebra's order (or another one). */
  leadingTerm(p: Poly<T>, order?: MonomialOrder): Poly<T> {
    return this.poly.leadingTerm(p, order);
  }
  leadingMonomial(p: Poly<T>, order?: MonomialOrder): Monomial {
    return this.poly.leadingMonomial(p, order);
  }
  leadingCoeff(p: Poly<T>, order?: MonomialOrder): T {
    return this.poly.leadingCoeff(p, order);
  }

  /**
   * Sets the coordinate x_i to the scalar `value` in the normal form Σ c x^a ∂^b (x left of ∂), i.e. the class
   * of p modulo the right ideal (x_i − value)·D. `value` 0 drops every term containing x_i.
   */
  substituteX(p: Poly<T>, xName: string, value: T): Poly<T> {
    const i = this.xNames.indexOf(xName);
    if (i < 0) throw new DomainError(`"${xName}" is not a coordinate of the Weyl algebra (${this.xNames.join(', ')})`);
    const d = this.domain;
    const monos: Monomial[] = [];
    const coeffs: T[] = [];
    for (let k = 0; k < p.monos.length; k++) {
      const e = p.monos[k]![i]!;
      if (e > 0 && d.isZero(value)) continue;
      let c: T = p.coeffs[k]!;
      for (let r = 0; r < e; r++) c = d.mul(c, value);
      const m = p.monos[k]!.slice();
      m[i] = 0;
      monos.push(m);
      coeffs.push(c);
    }
    return this.poly.fromTerms(monos, coeffs);
  }

  /**
   * Fourier transform in the named coordinates: x ↦ −∂, ∂ ↦ x (an automorphism; in D^(h) too). Integration along
   * t becomes restriction to t = 0 after it (MATH.md §3).
   */
  fourier(p: Poly<T>, xNames: readonly string[]): Poly<T> {
    return this.swapPairs(p, xNames, false);
  }

  /** Inverse Fourier transform: x ↦ ∂, ∂ ↦ −x. */
  inverseFourier(p: Poly<T>, xNames: readonly string[]): Poly<T> {
    return this.swapPairs(p, xNames, true);
  }

  /**
   * x^a ∂^b ↦ (∓∂)^a (±x)^b per transformed pair, normally ordered with the same swap expansion as the product:
   * (−1)^a ∂^a x^b for the forward transform, (−1)^b ∂^a x^b for the inverse.
   */
  private swapPairs(p: Poly<T>, xNames: readonly string[], inverse: boolean): Poly<T> {
    const n = this.n;
    const idx = xNames.map((name) => {
      const i = this.xNames.indexOf(name);
      if (i < 0) throw new DomainError(`"${name}" is not a coordinate of the Weyl algebra (${this.xNames.join(', ')})`);
      return i;
    });
    const hi = this.hName !== undefined ? 2 * n : -1;
    const d = this.domain;
    // Bounds: a transformed pair has at most a + b in each slot; h gains at most 2·min(a, b).
    const bounds = this.poly.maxDegrees(p);
    for (const i of idx) {
      const s = bounds[i]! + bounds[n + i]!;
      if (hi >= 0) bounds[hi] = bounds[hi]! + s;
      bounds[i] = s;
      bounds[n + i] = s;
    }
    const acc = new TermAccumulator(d, bounds, this.poly.order);
    for (let k = 0; k < p.monos.length; k++) {
      const m0 = p.monos[k]!;
      let c0: T = p.coeffs[k]!;
      const base = m0.slice();
      for (const i of idx) {
        const a = m0[i]!;
        const b = m0[n + i]!;
        base[i] = b; // ∂^a x^b before normal ordering: exponents a ↔ b exchange places
        base[n + i] = a;
        if ((inverse ? b : a) % 2 === 1) c0 = d.neg(c0);
      }
      const expansions = idx.map((i) => swapCoefficients(m0[i]!, m0[n + i]!));
      forEachMultiIndex(
        expansions.map((e) => e.length),
        (js) => {
          const m = base.slice();
          let coef = 1n;
          let jsum = 0;
          for (let r = 0; r < idx.length; r++) {
            const j = js[r]!;
            if (j === 0) continue;
            const i = idx[r]!;
            m[i] = m[i]! - j;
            m[n + i] = m[n + i]! - j;
            coef *= expansions[r]![j]!;
            jsum += j;
          }
          if (hi >= 0) m[hi] = m[hi]! + 2 * jsum;
          acc.add(m, coef === 1n ? c0 : d.mul(c0, d.fromInt(coef)));
        },
      );
    }
    const res = acc.result();
    return new Poly(res.monos, res.coeffs);
  }

  /** The algebra D^(h) with the same pairs, domain and (by default) order. */
  homogenizedAlgebra(h = 'h', order?: MonomialOrder): WeylAlgebra<T> {
    if (this.hName !== undefined) return this;
    return new WeylAlgebra(this.domain, this.pairs(), { ...this.options, homogenizer: h, order: order ?? this.order });
  }

  /** The algebra D with the same pairs without h (by default the same order). */
  dehomogenizedAlgebra(order?: MonomialOrder): WeylAlgebra<T> {
    if (this.hName === undefined) return this;
    return new WeylAlgebra(this.domain, this.pairs(), { ...this.options, homogenizer: undefined, order: order ?? this.order });
  }

  /**
   * Homogenizes p ∈ D into `target` = D^(h): each term gets the power of h that brings its total degree in
   * (x, ∂, h) up to the maximum. ∂x = x∂ + h² is homogeneous, so D^(h) is graded by this degree.
   */
  homogenize(p: Poly<T>, target: WeylAlgebra<T>): Poly<T> {
    if (this.hName !== undefined || target.hName === undefined || target.n !== this.n || target.central.length !== this.central.length) {
      throw new DomainError('homogenize maps D (no h) into D^(h) with the same variable pairs');
    }
    const k = 2 * this.n;
    // Central slots (module components) do not count towards the degree.
    const deg = (m: Monomial) => monoDegree(m.slice(0, k));
    let top = -Infinity;
    for (const m of p.monos) top = Math.max(top, deg(m));
    return target.poly.fromTerms(
      p.monos.map((m) => [...m.slice(0, k), top - deg(m), ...m.slice(k)]),
      p.coeffs,
    );
  }

  /** Sets h = 1: D^(h) → `target` = D with the same pairs. */
  dehomogenize(p: Poly<T>, target: WeylAlgebra<T>): Poly<T> {
    if (this.hName === undefined || target.hName !== undefined || target.n !== this.n || target.central.length !== this.central.length) {
      throw new DomainError('dehomogenize maps D^(h) into D (no h) with the same variable pairs');
    }
    const k = 2 * this.n;
    return target.poly.fromTerms(
      p.monos.map((m) => [...m.slice(0, k), ...m.slice(k + 1)]),
      p.coeffs,
    );
  }

  /**
   * The algebra homomorphism from this algebra to `target` given by the images of the generators (every x, ∂,
   * and h if present). A monomial x^a ∂^b h^c maps to img(x)^a · img(∂)^b · img(h)^c, in that order.
   * `check` (default true) verifies the defining relations [img ∂_i, img x_i] = 1 (or img(h)²), all other
   * commutators 0, so a wrong image fails loudly instead of giving a map that is not a homomorphism.
   *
   * @example
   * ```ts
   * import { QQ, WeylAlgebra, operatorToText, parseOperator } from '@holonomic-ntk/weyl-algebra';
   * // The Fourier automorphism x ↦ ∂, ∂ ↦ −x.
   * const D = new WeylAlgebra(QQ, ['x']);
   * const fourier = D.homomorphism(D, { x: D.gen('dx'), dx: D.neg(D.gen('x')) });
   * operatorToText(D, fourier(parseOperator(D, 'x*dx + 1'))); // → '-x*dx'
   * D.homomorphism(D, { x: D.gen('dx'), dx: D.gen('x') }); // throws DomainError
   * ```
   */
  homomorphism<S>(
    target: WeylAlgebra<S>,
    images: Readonly<Record<string, Poly<S>>>,
    options: { check?: boolean; coefficient?: (c: T) => S } = {},
  ): (p: Poly<T>) => Poly<S> {
    const img = this.vars.map((v) => {
      const q = images[v];
      if (q === undefined) throw new DomainError(`homomorphism: no image given for the generator "${v}"`);
      return q;
    });
    const coeff = options.coefficient ?? ((c: T) => c as unknown as S);
    if (options.check ?? true) this.checkRelations(target, img);
    const powers: Poly<S>[][] = img.map((q) => [target.one, q]);
    const power = (i: number, e: number): Poly<S> => {
      const t = powers[i]!;
      while (t.length <= e) t.push(target.mul(t[t.length - 1]!, img[i]!));
      return t[e]!;
    };
    return (p: Poly<T>) => {
      let result = target.zero;
      for (let k = 0; k < p.monos.length; k++) {
        const m = p.monos[k]!;
        let t = target.constant(coeff(p.coeffs[k]!));
        for (let i = 0; i < m.length; i++) if (m[i]! > 0) t = target.mul(t, power(i, m[i]!));
        result = target.add(result, t);
      }
      return result;
    };
  }

  private checkRelations<S>(target: WeylAlgebra<S>, img: Poly<S>[]): void {
    const n = this.n;
    const hImg = this.hName !== undefined ? img[2 * n]! : target.one;
    const hh = target.mul(hImg, hImg);
    for (let i = 0; i < img.length; i++) {
      for (let j = i + 1; j < img.length; j++) {
        const c = target.commutator(img[j]!, img[i]!);
        // Only [∂_i, x_i] is nonzero: ∂_i x_i − x_i ∂_i = 1 (or h²).
        const expected = j === n + i && i < n ? hh : target.zero;
        if (!target.eq(c, expected)) {
          throw new DomainError(
            `homomorphism: the images of ${this.vars[j]} and ${this.vars[i]} do not satisfy the relation ` +
              `[${this.vars[j]}, ${this.vars[i]}] = ${j === n + i && i < n ? (this.hName ? `${this.hName}^2` : '1') : '0'}`,
          );
        }
      }
    }
  }
}
