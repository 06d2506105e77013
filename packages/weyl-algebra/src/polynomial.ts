import type { Domain } from './domain.ts';
import { DomainError } from './errors.ts';
import { grevlex, type Monomial, type MonomialOrder } from './monomialOrder.ts';
import { TermAccumulator } from './termAccumulator.ts';
import { powBySquaring } from './powBySquaring.ts';

/**
 * A sparse polynomial: parallel arrays of exponent vectors and nonzero coefficients, sorted decreasingly by the
 * ring's term order (so the leading term is index 0). Immutable; only a ring interprets it.
 *
 * @example
 * ```ts
 * import { PolyRing, QQ, Rational, polynomialToText } from '@holonomic-ntk/weyl-algebra';
 * const R = new PolyRing(QQ, ['x', 'y']);
 * const p = R.fromTerms([[0, 1], [2, 0]], [Rational.of(-1), Rational.of(3)]);
 * p.length; // → 2
 * p.monos; // → [[2, 0], [0, 1]]
 * polynomialToText(R, p); // → '3*x^2 - y'
 * ```
 */
export class Poly<T> {
  constructor(
    readonly monos: readonly Monomial[],
    readonly coeffs: readonly T[],
  ) {}
  get length(): number {
    return this.monos.length;
  }
}

/** Is the exponent vector a divisible by b (componentwise ≥)? */
export function monoDivides(b: Monomial, a: Monomial): boolean {
  for (let i = 0; i < a.length; i++) if (b[i]! > a[i]!) return false;
  return true;
}

export function monoMul(a: Monomial, b: Monomial): number[] {
  const r = new Array<number>(a.length);
  for (let i = 0; i < a.length; i++) r[i] = a[i]! + b[i]!;
  return r;
}

export function monoDiv(a: Monomial, b: Monomial): number[] {
  const r = new Array<number>(a.length);
  for (let i = 0; i < a.length; i++) r[i] = a[i]! - b[i]!;
  return r;
}

export function monoLcm(a: Monomial, b: Monomial): number[] {
  const r = new Array<number>(a.length);
  for (let i = 0; i < a.length; i++) r[i] = Math.max(a[i]!, b[i]!);
  return r;
}

export function monoDegree(a: Monomial): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}

export function monoEq(a: Monomial, b: Monomial): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The commutative polynomial ring domain[vars] with a term order, SymPy style: `ring.mul(p, q)`.
 *
 * @example
 * ```ts
 * import { PolyRing, QQ, polynomialToText } from '@holonomic-ntk/weyl-algebra';
 * const R = new PolyRing(QQ, ['x', 'y']);
 * const [x, y] = R.gens();
 * polynomialToText(R, R.pow(R.add(x, y), 2)); // → 'x^2 + 2*x*y + y^2'
 * R.degree(R.mul(x, y)); // → 2
 * polynomialToText(R, R.diff(R.pow(x, 3), 'x')); // → '3*x^2'
 * ```
 */
export class PolyRing<T> {
  readonly nvars: number;
  readonly zero: Poly<T>;
  readonly one: Poly<T>;
  private readonly zeroMono: Monomial;

  constructor(
    readonly domain: Domain<T>,
    readonly vars: readonly string[],
    readonly order: MonomialOrder = grevlex,
  ) {
    if (new Set(vars).size !== vars.length) throw new DomainError(`variable names repeat: ${vars.join(', ')}`);
    this.nvars = vars.length;
    this.zeroMono = new Array<number>(vars.length).fill(0);
    this.zero = new Poly<T>([], []);
    this.one = new Poly<T>([this.zeroMono], [domain.one]);
  }

  /** The same variables and domain under another term order. */
  withOrder(order: MonomialOrder): PolyRing<T> {
    return new PolyRing(this.domain, this.vars, order);
  }

  /** Re-sorts p (of a ring with the same variables and domain) for this ring's order. */
  convert(p: Poly<T>): Poly<T> {
    return this.fromTerms(p.monos, p.coeffs);
  }

  /** Builds a polynomial from unsorted terms; equal monomials are added, zeros dropped. */
  fromTerms(monos: readonly Monomial[], coeffs: readonly T[]): Poly<T> {
    const bounds = this.zeroMono.slice();
    for (const m of monos) {
      if (m.length !== this.nvars) throw new DomainError(`monomial of length ${m.length} in a ring of ${this.nvars} variables`);
      for (let i = 0; i < m.length; i++) if (m[i]! > bounds[i]!) bounds[i] = m[i]!;
    }
    // Terms that already come strictly decreasing with no zero coefficient (a conversion between rings with the
    // same order, a small or empty part) need no accumulator: its setup dominates for small polynomials.
    if (this.isSortedNonzero(monos, coeffs)) return new Poly(monos.slice(), coeffs.slice(0, monos.length));
    const acc = new TermAccumulator(this.domain, bounds, this.order);
    for (let i = 0; i < monos.length; i++) acc.add(monos[i]!, coeffs[i]!);
    const r = acc.result();
    return new Poly(r.monos, r.coeffs);
  }

  private isSortedNonzero(monos: readonly Monomial[], coeffs: readonly T[]): boolean {
    const d = this.domain;
    const ord = this.order;
    for (let i = 0; i < monos.length; i++) {
      if (d.isZero(coeffs[i]!)) return false;
      if (i > 0 && ord.compare(monos[i - 1]!, monos[i]!) <= 0) return false;
    }
    return true;
  }

  constant(c: T): Poly<T> {
    return this.domain.isZero(c) ? this.zero : new Poly([this.zeroMono], [c]);
  }

  fromInt(n: bigint | number): Poly<T> {
    return this.constant(this.domain.fromInt(n));
  }

  monomial(m: Monomial, c: T = this.domain.one): Poly<T> {
    return this.domain.isZero(c) ? this.zero : new Poly([m.slice()], [c]);
  }

  varIndex(name: string): number {
    const i = this.vars.indexOf(name);
    if (i < 0) throw new DomainError(`no variable "${name}" in the ring (${this.vars.join(', ')})`);
    return i;
  }

  /** The i-th variable (by index or name) as a polynomial. */
  gen(v: number | string): Poly<T> {
    const i = typeof v === 'number' ? v : this.varIndex(v);
    const m = this.zeroMono.slice();
    m[i] = 1;
    return new Poly([m], [this.domain.one]);
  }

  gens(): Poly<T>[] {
    return this.vars.map((_, i) => this.gen(i));
  }

  isZero(p: Poly<T>): boolean {
    return p.monos.length === 0;
  }

  /** Constant polynomials, including 0. */
  isConstant(p: Poly<T>): boolean {
    return p.monos.length === 0 || (p.monos.length === 1 && monoDegree(p.monos[0]!) === 0);
  }

  /** The constant term (coefficient of 1). */
  constantCoeff(p: Poly<T>): T {
    const n = p.monos.length;
    // The monomial 1 is last in every global order, but not under weights with negative entries: search.
    for (let i = n - 1; i >= 0; i--) if (monoDegree(p.monos[i]!) === 0) return p.coeffs[i]!;
    return this.domain.zero;
  }

  eq(p: Poly<T>, q: Poly<T>): boolean {
    if (p.monos.length !== q.monos.length) return false;
    const d = this.domain;
    for (let i = 0; i < p.monos.length; i++) {
      if (!monoEq(p.monos[i]!, q.monos[i]!) || !d.eq(p.coeffs[i]!, q.coeffs[i]!)) return false;
    }
    return true;
  }

  /** Leading monomial, coefficient and term under the ring's order (or another order, without re-sorting p). */
  leadingMonomial(p: Poly<T>, order?: MonomialOrder): Monomial {
    return p.monos[this.leadingIndex(p, order)]!;
  }
  leadingCoeff(p: Poly<T>, order?: MonomialOrder): T {
    return p.coeffs[this.leadingIndex(p, order)]!;
  }
  leadingTerm(p: Poly<T>, order?: MonomialOrder): Poly<T> {
    const i = this.leadingIndex(p, order);
    return new Poly([p.monos[i]!], [p.coeffs[i]!]);
  }
  private leadingIndex(p: Poly<T>, order?: MonomialOrder): number {
    if (p.monos.length === 0) throw new DomainError('the zero polynomial has no leading term');
    if (order === undefined || order === this.order) return 0;
    let best = 0;
    for (let i = 1; i < p.monos.length; i++) if (order.compare(p.monos[i]!, p.monos[best]!) > 0) best = i;
    return best;
  }

  /** Total degree (−Infinity for 0). */
  degree(p: Poly<T>): number {
    let d = -Infinity;
    for (const m of p.monos) d = Math.max(d, monoDegree(m));
    return d;
  }

  /** Degree in one variable (−Infinity for 0). */
  degreeIn(p: Poly<T>, v: number | string): number {
    const i = typeof v === 'number' ? v : this.varIndex(v);
    let d = -Infinity;
    for (const m of p.monos) d = Math.max(d, m[i]!);
    return d;
  }

  /** Componentwise maximum exponent vector (zeros for 0). */
  maxDegrees(p: Poly<T>): number[] {
    const r = this.zeroMono.slice();
    for (const m of p.monos) for (let i = 0; i < r.length; i++) if (m[i]! > r[i]!) r[i] = m[i]!;
    return r;
  }

  neg(p: Poly<T>): Poly<T> {
    const d = this.domain;
    return new Poly(
      p.monos,
      p.coeffs.map((c) => d.neg(c)),
    );
  }

  /** c·p for a scalar c. */
  scale(p: Poly<T>, c: T): Poly<T> {
    const d = this.domain;
    if (d.isZero(c)) return this.zero;
    if (d.isOne(c)) return p;
    // In a domain with zero divisors products could vanish; our domains are integral, so no zero test needed.
    return new Poly(
      p.monos,
      p.coeffs.map((a) => d.mul(a, c)),
    );
  }

  /** p / c for a scalar c (exact in ZZ; throws DomainError otherwise). */
  divScalar(p: Poly<T>, c: T): Poly<T> {
    const d = this.domain;
    if (d.isOne(c)) return p;
    return new Poly(
      p.monos,
      p.coeffs.map((a) => d.div(a, c)),
    );
  }

  /** p + s·q in one merge (s defaults to 1); the workhorse of reductions. */
  addScaled(p: Poly<T>, q: Poly<T>, s?: T): Poly<T> {
    const d = this.domain;
    const ord = this.order;
    const pm = p.monos,
      pc = p.coeffs,
      qm = q.monos,
      qc = q.coeffs;
    const monos: Monomial[] = [];
    const coeffs: T[] = [];
    let i = 0;
    let j = 0;
    while (i < pm.length && j < qm.length) {
      const c = ord.compare(pm[i]!, qm[j]!);
      if (c > 0) {
        monos.push(pm[i]!);
        coeffs.push(pc[i++]!);
      } else if (c < 0) {
        monos.push(qm[j]!);
        coeffs.push(s === undefined ? qc[j++]! : d.mul(qc[j++]!, s));
      } else {
        const v = d.add(pc[i]!, s === undefined ? qc[j]! : d.mul(qc[j]!, s));
        if (!d.isZero(v)) {
          monos.push(pm[i]!);
          coeffs.push(v);
        }
        i++;
        j++;
      }
    }
    for (; i < pm.length; i++) {
      monos.push(pm[i]!);
      coeffs.push(pc[i]!);
    }
    for (; j < qm.length; j++) {
      monos.push(qm[j]!);
      coeffs.push(s === undefined ? qc[j]! : d.mul(qc[j]!, s));
    }
    return new Poly(monos, coeffs);
  }

  add(p: Poly<T>, q: Poly<T>): Poly<T> {
    return this.addScaled(p, q);
  }

  sub(p: Poly<T>, q: Poly<T>): Poly<T> {
    return this.addScaled(p, q, this.domain.neg(this.domain.one));
  }

  /** c·m·p for a monomial m and scalar c; the order is preserved by monomial multiplication, so no sort. */
  mulTerm(p: Poly<T>, m: Monomial, c: T = this.domain.one): Poly<T> {
    const d = this.domain;
    if (d.isZero(c)) return this.zero;
    return new Poly(
      p.monos.map((a) => monoMul(a, m)),
      d.isOne(c) ? p.coeffs : p.coeffs.map((a) => d.mul(a, c)),
    );
  }

  mul(p: Poly<T>, q: Poly<T>): Poly<T> {
    if (p.monos.length === 0 || q.monos.length === 0) return this.zero;
    if (p.monos.length === 1) return this.mulTerm(q, p.monos[0]!, p.coeffs[0]!);
    if (q.monos.length === 1) return this.mulTerm(p, q.monos[0]!, q.coeffs[0]!);
    const d = this.domain;
    const bp = this.maxDegrees(p);
    const bq = this.maxDegrees(q);
    const acc = new TermAccumulator(
      d,
      bp.map((b, i) => b + bq[i]!),
      this.order,
    );
    for (let i = 0; i < p.monos.length; i++) {
      const mi = p.monos[i]!;
      const ci = p.coeffs[i]!;
      for (let j = 0; j < q.monos.length; j++) acc.add(monoMul(mi, q.monos[j]!), d.mul(ci, q.coeffs[j]!));
    }
    const r = acc.result();
    return new Poly(r.monos, r.coeffs);
  }

  /** p^k for an integer k ≥ 0, by repeated squaring. */
  pow(p: Poly<T>, k: number): Poly<T> {
    if (!Number.isInteger(k) || k < 0) throw new DomainError(`polynomial power needs an integer exponent ≥ 0, got ${k}`);
    return powBySquaring(p, k, this.one, (a, b) => this.mul(a, b));
  }

  /** ∂p/∂x_i. */
  diff(p: Poly<T>, v: number | string): Poly<T> {
    const i = typeof v === 'number' ? v : this.varIndex(v);
    const d = this.domain;
    const monos: Monomial[] = [];
    const coeffs: T[] = [];
    for (let k = 0; k < p.monos.length; k++) {
      const e = p.monos[k]![i]!;
      if (e === 0) continue;
      const m = p.monos[k]!.slice();
      m[i] = e - 1;
      monos.push(m);
      coeffs.push(d.mul(p.coeffs[k]!, d.fromInt(e)));
    }
    // Lowering one exponent can reorder terms under a general order: sort.
    return this.fromTerms(monos, coeffs);
  }

  /** Value at a point of the coefficient domain. */
  evaluate(p: Poly<T>, point: readonly T[]): T {
    if (point.length !== this.nvars) throw new DomainError(`evaluate needs ${this.nvars} values, got ${point.length}`);
    const d = this.domain;
    const powers = this.powerTables(p, point, d.one, (a, b) => d.mul(a, b));
    let s = d.zero;
    for (let k = 0; k < p.monos.length; k++) {
      let t: T = p.coeffs[k]!;
      const m = p.monos[k]!;
      for (let i = 0; i < m.length; i++) if (m[i]! > 0) t = d.mul(t, powers[i]![m[i]!]!);
      s = d.add(s, t);
    }
    return s;
  }

  /** Value at a point of doubles (coefficients rounded once each). */
  evaluateNumber(p: Poly<T>, point: readonly number[]): number {
    if (point.length !== this.nvars) throw new DomainError(`evaluate needs ${this.nvars} values, got ${point.length}`);
    const toNumber = this.domain.toNumber;
    if (!toNumber) throw new DomainError(`the domain ${this.domain.name} has no numeric value`);
    const powers = this.powerTables(p, point, 1, (a, b) => a * b);
    let s = 0;
    for (let k = 0; k < p.monos.length; k++) {
      let t = toNumber(p.coeffs[k]!);
      const m = p.monos[k]!;
      for (let i = 0; i < m.length; i++) if (m[i]! > 0) t *= powers[i]![m[i]!]!;
      s += t;
    }
    return s;
  }

  private powerTables<S>(p: Poly<T>, point: readonly S[], one: S, mul: (a: S, b: S) => S): S[][] {
    const maxd = this.maxDegrees(p);
    return point.map((x, i) => {
      const t: S[] = [one];
      for (let e = 1; e <= maxd[i]!; e++) t.push(mul(t[e - 1]!, x));
      return t;
    });
  }

  /** p with x_i replaced by the polynomial q. */
  substitute(p: Poly<T>, v: number | string, q: Poly<T>): Poly<T> {
    const i = typeof v === 'number' ? v : this.varIndex(v);
    const maxE = this.degreeIn(p, i);
    if (maxE <= 0) return p;
    const qpow: Poly<T>[] = [this.one];
    for (let e = 1; e <= maxE; e++) qpow.push(this.mul(qpow[e - 1]!, q));
    // Group terms by their exponent of x_i, so each power of q is multiplied once.
    const groups = new Map<number, { monos: Monomial[]; coeffs: T[] }>();
    for (let k = 0; k < p.monos.length; k++) {
      const e = p.monos[k]![i]!;
      const m = p.monos[k]!.slice();
      m[i] = 0;
      let g = groups.get(e);
      if (!g) groups.set(e, (g = { monos: [], coeffs: [] }));
      g.monos.push(m);
      g.coeffs.push(p.coeffs[k]!);
    }
    let r = this.zero;
    for (const [e, g] of groups) r = this.add(r, this.mul(this.fromTerms(g.monos, g.coeffs), qpow[e]!));
    return r;
  }

  /** Applies f to every coefficient, landing in `target` (same variables); zeros are dropped. */
  mapCoeffs<S>(p: Poly<T>, target: PolyRing<S>, f: (c: T) => S): Poly<S> {
    return target.fromTerms(p.monos, p.coeffs.map(f));
  }

  /**
   * Exact quotient p / q; throws DomainError if q does not divide p. Works over fields and over ZZ (where every
   * leading-coefficient division must be exact).
   */
  divExact(p: Poly<T>, q: Poly<T>): Poly<T> {
    const { quotient, remainder } = this.divRem(p, q);
    if (remainder.monos.length !== 0) throw new DomainError('divExact: the divisor does not divide the dividend');
    return quotient;
  }

  /**
   * Division with remainder by one polynomial under the ring's order: p = quotient·q + remainder, and no term
   * of the remainder is divisible by lm(q). Over ZZ it stops (throws) when a leading coefficient does not divide.
   */
  divRem(p: Poly<T>, q: Poly<T>): { quotient: Poly<T>; remainder: Poly<T> } {
    if (q.monos.length === 0) throw new DomainError('division by the zero polynomial');
    const d = this.domain;
    const lmq = q.monos[0]!;
    const lcq = q.coeffs[0]!;
    const qm: Monomial[] = [];
    const qc: T[] = [];
    const rm: Monomial[] = [];
    const rc: T[] = [];
    let rest = p;
    while (rest.monos.length > 0) {
      const m = rest.monos[0]!;
      const c = rest.coeffs[0]!;
      if (monoDivides(lmq, m)) {
        const t = monoDiv(m, lmq);
        const f = d.div(c, lcq);
        qm.push(t);
        qc.push(f);
        rest = this.addScaled(rest, this.mulTerm(q, t), d.neg(f));
      } else {
        rm.push(m);
        rc.push(c);
        rest = new Poly(rest.monos.slice(1), rest.coeffs.slice(1));
      }
    }
    return { quotient: new Poly(qm, qc), remainder: new Poly(rm, rc) };
  }

  /** Terms as [coefficient, monomial] pairs, leading first. */
  *terms(p: Poly<T>): IterableIterator<[T, Monomial]> {
    for (let i = 0; i < p.monos.length; i++) yield [p.coeffs[i]!, p.monos[i]!];
  }
}
