import { DomainError, Poly, PolyRing, Rational, type RationalFunction, type RationalFunctionField, ZZ } from '@holonomic-ntk/weyl-algebra';
import { exactQuotient, gcdBig } from '@holonomic-ntk/weyl-algebra/internal';

/**
 * Exact matrices over Q(x): the arithmetic Pfaffian systems need (products, derivatives, inverse).
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { RationalWeylIdeal, pfaffianSystem, type RMatrix } from '@holonomic-ntk/groebner';
 * const D = new WeylAlgebra(QQ, ['x']);
 * const P: RMatrix = pfaffianSystem(RationalWeylIdeal.compute(D, parseOperators(D, 'dx^2 - x'))).matrices[0];
 * P.map((row) => row.map((a) => a.toString())); // → [['0', '1'], ['x', '0']]
 * ```
 */
export type RMatrix = RationalFunction[][];

export function matMul(F: RationalFunctionField, A: RMatrix, B: RMatrix): RMatrix {
  return A.map((row) =>
    B[0]!.map((_, j) => {
      let s = F.zero;
      for (let k = 0; k < row.length; k++) if (!F.isZero(row[k]!) && !F.isZero(B[k]![j]!)) s = F.add(s, F.mul(row[k]!, B[k]![j]!));
      return s;
    }),
  );
}

export function matAdd(F: RationalFunctionField, A: RMatrix, B: RMatrix): RMatrix {
  return A.map((row, i) => row.map((a, j) => F.add(a, B[i]![j]!)));
}

export function matSub(F: RationalFunctionField, A: RMatrix, B: RMatrix): RMatrix {
  return A.map((row, i) => row.map((a, j) => F.sub(a, B[i]![j]!)));
}

export function matDiff(F: RationalFunctionField, A: RMatrix, v: string): RMatrix {
  return A.map((row) => row.map((a) => F.diff(a, v)));
}

export function isZeroMatrix(F: RationalFunctionField, A: RMatrix): boolean {
  return A.every((row) => row.every((a) => F.isZero(a)));
}

/** Inverse by Gauss–Jordan with exact pivots; DomainError if singular. */
export function matInverse(F: RationalFunctionField, A: RMatrix): RMatrix {
  const n = A.length;
  const M = A.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? F.one : F.zero))]);
  for (let c = 0; c < n; c++) {
    // The simplest nonzero pivot keeps the expressions small.
    let p = -1;
    for (let r = c; r < n; r++) {
      if (F.isZero(M[r]![c]!)) continue;
      if (p < 0 || F.toString(M[r]![c]!).length < F.toString(M[p]![c]!).length) p = r;
    }
    if (p < 0) throw new DomainError('the matrix is singular over Q(x): the chosen basis does not span the quotient module');
    [M[c], M[p]] = [M[p]!, M[c]!];
    const inv = F.div(F.one, M[c]![c]!);
    M[c] = M[c]!.map((a) => F.mul(a, inv));
    for (let r = 0; r < n; r++) {
      if (r === c || F.isZero(M[r]![c]!)) continue;
      const f = M[r]![c]!;
      M[r] = M[r]!.map((a, j) => F.sub(a, F.mul(f, M[c]![j]!)));
    }
  }
  return M.map((row) => row.slice(n));
}

// ---- gcd-free exact arithmetic for identities (the integrability check) ----

/**
 * n / (c · Π f_k^{e_k}) over a fixed list of denominator factors f_k ∈ Z[x], with n ∈ Z[x] and c > 0. Never
 * normalized: no gcd is ever taken, so a value has many representations, but the denominator is never zero and
 * the value is zero exactly when n is. That is all an identity check needs, and it avoids the multivariate gcds
 * that dominate normal-form arithmetic in Q(x).
 */
export interface FactoredFraction {
  n: Poly<bigint>;
  c: bigint;
  e: number[];
}

/**
 * Arithmetic on {@link FactoredFraction}s for the rational functions of one field. The factors need not be
 * coprime or irreducible (any nonzero polynomials keep the arithmetic exact); coprime squarefree factors, such as
 * a singular locus, keep the numerators small. Denominators not covered by the factors add new factors.
 *
 * @example
 * ```ts
 * import { FactoredArithmetic } from '@holonomic-ntk/groebner/internal';
 * import { RationalFunctionField, parseRationalFunction } from '@holonomic-ntk/weyl-algebra';
 * const F = new RationalFunctionField(['x']);
 * const A = new FactoredArithmetic(F);
 * const a = A.from(parseRationalFunction(F, '1/(x+1)'));
 * A.isZero(A.sum([a, A.neg(a)])); // → true
 * ```
 */
export class FactoredArithmetic {
  readonly ring: PolyRing<bigint>;
  private readonly factors: Poly<bigint>[];
  private readonly powers: Poly<bigint>[][] = [];
  private readonly denCache = new Map<string, { c: bigint; e: number[] }>();

  constructor(
    readonly field: RationalFunctionField,
    factors: readonly Poly<bigint>[] = [],
  ) {
    const Q = field.polyRing;
    this.ring = new PolyRing(ZZ, Q.vars, Q.order);
    // Re-sort under this ring's order (the factors may come from a ring with the same variables, another order).
    this.factors = factors.filter((f) => !this.ring.isConstant(f)).map((f) => this.ring.fromTerms(f.monos, f.coeffs));
  }

  /** The factors so far (conversions may append). */
  get factorCount(): number {
    return this.factors.length;
  }

  from(a: RationalFunction): FactoredFraction {
    let l = 1n;
    for (const q of a.num.coeffs) l = (l / gcdBig(l, q.den)) * q.den;
    for (const q of a.den.coeffs) l = (l / gcdBig(l, q.den)) * q.den;
    const toZ = (p: Poly<Rational>) =>
      new Poly(
        p.monos,
        p.coeffs.map((q) => q.num * (l / q.den)),
      );
    const d = this.splitDen(toZ(a.den));
    const n = toZ(a.num);
    return d.c < 0n ? { n: this.ring.neg(n), c: -d.c, e: d.e.slice() } : { n, c: d.c, e: d.e.slice() };
  }

  /** Back to a normalized rational function (for tests and error messages: this takes gcds). */
  toRationalFunction(a: FactoredFraction): RationalFunction {
    const F = this.field;
    const Q = F.polyRing;
    let den = this.ring.constant(a.c);
    a.e.forEach((k, i) => (den = k > 0 ? this.ring.mul(den, this.power(i, k)) : den));
    const toQ = (p: Poly<bigint>) =>
      Q.fromTerms(
        p.monos,
        p.coeffs.map((c) => Rational.int(c)),
      );
    return F.fromPolys(toQ(a.n), toQ(den));
  }

  isZero(a: FactoredFraction): boolean {
    return a.n.monos.length === 0;
  }

  neg(a: FactoredFraction): FactoredFraction {
    return { n: this.ring.neg(a.n), c: a.c, e: a.e };
  }

  mul(a: FactoredFraction, b: FactoredFraction): FactoredFraction {
    const e = this.pad(a.e).map((k, i) => k + (b.e[i] ?? 0));
    return { n: this.ring.mul(a.n, b.n), c: a.c * b.c, e };
  }

  /** Σ terms over the least common factored denominator: terms with equal exponents are added before scaling. */
  sum(terms: readonly FactoredFraction[]): FactoredFraction {
    const R = this.ring;
    const live = terms.filter((t) => t.n.monos.length > 0);
    if (live.length === 0) return { n: R.zero, c: 1n, e: this.pad([]) };
    let c = 1n;
    for (const t of live) c = (c / gcdBig(c, t.c)) * t.c;
    const e = this.pad([]);
    const groups = new Map<string, { e: number[]; n: Poly<bigint> }>();
    for (const t of live) {
      const te = this.pad(t.e);
      te.forEach((k, i) => (e[i] = Math.max(e[i]!, k)));
      const key = te.join(',');
      const n = t.c === c ? t.n : R.scale(t.n, c / t.c);
      const g = groups.get(key);
      if (g) g.n = R.add(g.n, n);
      else groups.set(key, { e: te, n });
    }
    let n = R.zero;
    for (const g of groups.values()) {
      let m = g.n;
      for (let i = 0; i < e.length && m.monos.length > 0; i++) if (e[i]! > g.e[i]!) m = R.mul(m, this.power(i, e[i]! - g.e[i]!));
      n = R.add(n, m);
    }
    return { n, c, e };
  }

  /** ∂a/∂x_v: with S the factors in the denominator that involve x_v, a' = (n'·Π_S f − n·Σ_S e_k f_k'·Π_{S∖k} f)/(c·Π f^e·Π_S f). */
  diff(a: FactoredFraction, v: number): FactoredFraction {
    const R = this.ring;
    const e = this.pad(a.e);
    const S: number[] = [];
    for (let k = 0; k < e.length; k++) if (e[k]! > 0 && R.degreeIn(this.factors[k]!, v) > 0) S.push(k);
    let n = R.diff(a.n, v);
    if (S.length === 0 || a.n.monos.length === 0) return { n, c: a.c, e };
    for (const k of S) n = R.mul(n, this.factors[k]!);
    for (const k of S) {
      let t = R.scale(R.diff(this.factors[k]!, v), BigInt(e[k]!));
      for (const l of S) if (l !== k) t = R.mul(t, this.factors[l]!);
      n = R.sub(n, R.mul(a.n, t));
    }
    const e2 = e.slice();
    for (const k of S) e2[k]!++;
    return { n, c: a.c, e: e2 };
  }

  private pad(e: readonly number[]): number[] {
    const out = e.slice();
    while (out.length < this.factors.length) out.push(0);
    return out;
  }

  private power(i: number, k: number): Poly<bigint> {
    const ps = (this.powers[i] ??= [this.ring.one]);
    while (ps.length <= k) ps.push(this.ring.mul(ps[ps.length - 1]!, this.factors[i]!));
    return ps[k]!;
  }

  /** d = c · Π f_k^{e_k} by trial division; a cofactor left over becomes a new factor. */
  private splitDen(d: Poly<bigint>): { c: bigint; e: number[] } {
    const key = polyKey(d);
    const hit = this.denCache.get(key);
    if (hit) return hit;
    const R = this.ring;
    const e: number[] = [];
    let rest = d;
    for (let k = 0; k < this.factors.length; k++) {
      e.push(0);
      if (R.isConstant(rest)) continue;
      for (let q = exactQuotient(R, rest, this.factors[k]!); q; q = exactQuotient(R, rest, this.factors[k]!)) {
        rest = q;
        e[k]!++;
      }
    }
    if (!R.isConstant(rest)) {
      // Keep the new factor primitive with a positive leading coefficient; its content goes to the constant.
      let g = 0n;
      for (const c of rest.coeffs) g = gcdBig(g, c);
      if (rest.coeffs[0]! < 0n) g = -g;
      this.factors.push(R.divScalar(rest, g));
      e.push(1);
      rest = R.constant(g);
    }
    const out = { c: rest.coeffs[0]!, e };
    this.denCache.set(key, out);
    return out;
  }
}

function polyKey(p: Poly<bigint>): string {
  let s = '';
  for (let i = 0; i < p.monos.length; i++) s += `${p.coeffs[i]}:${p.monos[i]!.join(',')};`;
  return s;
}
