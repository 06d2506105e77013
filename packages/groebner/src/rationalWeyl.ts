import {
  DomainError,
  type Monomial,
  NotHolonomicError,
  Poly,
  PolyRing,
  QQ,
  Rational,
  type RationalFunction,
  RationalFunctionField,
  WeylAlgebra,
  ZZ,
  gcdZZ,
} from '@holonomic-ntk/weyl-algebra';
import { integerPrimitive } from '@holonomic-ntk/weyl-algebra/internal';
import { buchberger } from './buchberger.ts';
import { integerStrategy } from './coefficients.ts';
import type { GbOptions } from './options.ts';
import { derivationBlockOrder } from './orders.ts';

/**
 * Options of {@link RationalWeylIdeal.compute}: the Gröbner options and the derivations of R.
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { RationalWeylIdeal } from '@holonomic-ntk/groebner';
 * const D = new WeylAlgebra(QQ, ['x', 'y']);
 * // R = Q(x, y)⟨∂x⟩: y is a parameter of the coefficient field.
 * const I = RationalWeylIdeal.compute(D, parseOperators(D, 'dx - y'), { derivations: ['dx'] });
 * I.rank; // → 1
 * ```
 */
export interface RationalGroebnerOptions extends GbOptions {
  /** Names of the ∂'s of R = K(x)⟨∂_S⟩ (default: every ∂ of the algebra). The coefficient field is Q(all x). */
  derivations?: readonly string[];
}

/**
 * A normal form over R: numerator / denominator, numerator ∈ D with only standard ∂-monomials, denominator ∈ Q[x].
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, operatorToText, parseOperator, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { RationalWeylIdeal } from '@holonomic-ntk/groebner';
 * const D = new WeylAlgebra(QQ, ['x']);
 * const I = RationalWeylIdeal.compute(D, parseOperators(D, 'dx^2 - x')); // Airy
 * const nf = I.normalForm(parseOperator(D, 'dx^3'));
 * operatorToText(I.Z, nf.numerator); // → 'x*dx + 1'
 * operatorToText(I.Z, nf.denominator); // → '1'
 * ```
 */
export interface RationalNormalForm {
  numerator: Poly<bigint>;
  denominator: Poly<bigint>;
}

/**
 * A left ideal of R = Q(x)⟨∂_S⟩ given by generators in D, with its Gröbner basis over R, standard monomials,
 * holonomic rank and normal forms.
 *
 * The basis is computed in D for the order "∂_S first" (MATH.md §4: such a basis of I ⊂ D is a basis of R·I), then
 * minimalized by leading ∂-monomial. Reductions over R are fraction-free: a reductee is multiplied by polynomials
 * in x (units of R) and the x-content is removed with a multivariate gcd, so coefficients stay polynomial.
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { RationalWeylIdeal } from '@holonomic-ntk/groebner';
 * const D = new WeylAlgebra(QQ, ['x']);
 * const I = RationalWeylIdeal.compute(D, parseOperators(D, 'dx^2 - x')); // Airy
 * I.rank; // → 2
 * I.standardMonomials(); // → [[0], [1]]
 * RationalWeylIdeal.compute(D, parseOperators(D, 'x*dx')).rank; // → 1
 * ```
 */
export class RationalWeylIdeal {
  /** Positions of ∂_S, of the coordinates, in exponent vectors of D. */
  readonly dIndex: readonly number[];
  /** Polynomials in all coordinates over ZZ: the coefficient ring of the fraction-free work. */
  readonly xRing: PolyRing<bigint>;
  /** Q(all coordinates): where Pfaffian entries live. */
  readonly field: RationalFunctionField;
  /** The pure ∂_S exponents of each basis element's leading term. */
  readonly leadingD: readonly number[][];
  /** D over QQ with the ∂-first order: inputs are re-sorted here before the fraction-free work. */
  private readonly Q: WeylAlgebra<Rational>;

  private constructor(
    /** The user's algebra. */
    readonly D: WeylAlgebra<Rational>,
    /** D over ZZ with the ∂-first order. */
    readonly Z: WeylAlgebra<bigint>,
    /** The Gröbner basis over R (minimal; fraction-free, in Z). */
    readonly basis: readonly Poly<bigint>[],
    readonly derivations: readonly string[],
  ) {
    this.dIndex = derivations.map((d) => D.indexOf(d)!);
    this.xRing = new PolyRing(ZZ, D.xNames);
    this.field = new RationalFunctionField(D.xNames as string[]);
    this.leadingD = basis.map((g) => this.dPart(g.monos[0]!));
    this.Q = new WeylAlgebra(QQ, D.pairs(), { order: Z.order });
  }

  static compute(D: WeylAlgebra<Rational>, gens: readonly Poly<Rational>[], options: RationalGroebnerOptions = {}): RationalWeylIdeal {
    if (D.isHomogenized || D.central.length > 0) throw new DomainError('Gröbner bases over R are computed from D (no h, no extra central variables)');
    const derivations = options.derivations ?? D.dNames;
    const dIdx = derivations.map((d) => {
      const i = D.indexOf(d);
      if (i === undefined || i < D.n) throw new DomainError(`"${d}" is not a derivation of the Weyl algebra (${D.dNames.join(', ')})`);
      return i;
    });
    const inR = new Set(dIdx);
    for (const g of gens) {
      for (const m of g.monos) {
        for (let i = D.n; i < 2 * D.n; i++) {
          if (m[i]! > 0 && !inR.has(i)) {
            throw new DomainError(`the generators contain ${D.vars[i]}, which is not a derivation of R (derivations: ${derivations.join(', ')})`);
          }
        }
      }
    }
    const Z = new WeylAlgebra(ZZ, D.pairs(), { order: derivationBlockOrder(dIdx) });
    const Q = new WeylAlgebra(QQ, D.pairs(), { order: Z.order });
    const G = buchberger(
      Z,
      integerStrategy,
      { component: -1 },
      gens.map((g) => integerPrimitive(Q.poly, Q.convert(g), Z.poly).prim),
      options,
    );
    // Over R only the ∂-part of a leading term matters: keep one element per minimal leading ∂-monomial.
    const lead = G.map((g) => dIdx.map((i) => g.monos[0]![i]!));
    const keep: Poly<bigint>[] = [];
    const kept: number[][] = [];
    G.forEach((g, i) => {
      const li = lead[i]!;
      const divisible = lead.some((lj, j) => j !== i && dDivides(lj, li) && (!dEq(lj, li) || j < i));
      if (!divisible) {
        keep.push(g);
        kept.push(li);
      }
    });
    return new RationalWeylIdeal(D, Z, keep, derivations);
  }

  /** ∂_S exponents of a monomial of D. */
  dPart(m: Monomial): number[] {
    return this.dIndex.map((i) => m[i]!);
  }

  /**
   * Standard monomials: the ∂_S-monomials divisible by no leading ∂-monomial, in increasing degrevlex order
   * (1 first). Throws NotHolonomicError naming a ∂ with no pure power among the leading monomials (infinite rank).
   */
  standardMonomials(): number[][] {
    // Asked for by rank, the Pfaffian and the basis labels alike; the caller may keep the array, so hand out copies.
    this.std ??= this.computeStandardMonomials();
    return this.std.map((e) => e.slice());
  }

  private std: number[][] | undefined;

  private computeStandardMonomials(): number[][] {
    const k = this.dIndex.length;
    // 1 ∈ R·I (a leading ∂-monomial 1): the quotient is 0, rank 0.
    if (this.leadingD.some((l) => l.every((e) => e === 0))) return [];
    const caps: number[] = [];
    for (let i = 0; i < k; i++) {
      let cap = Infinity;
      for (const l of this.leadingD) if (l.every((e, j) => j === i || e === 0) && l[i]! > 0) cap = Math.min(cap, l[i]!);
      if (cap === Infinity) {
        throw new NotHolonomicError(
          `the holonomic rank is infinite: no leading monomial is a pure power of ${this.derivations[i]} (leading ∂-monomials: ${this.leadingD
            .map((l) => dText(this.derivations, l))
            .join(', ')})`,
        );
      }
      caps.push(cap);
    }
    const out: number[][] = [];
    const cur = new Array<number>(k).fill(0);
    const walk = (i: number) => {
      if (i === k) {
        if (!this.leadingD.some((l) => dDivides(l, cur))) out.push(cur.slice());
        return;
      }
      for (let e = 0; e < caps[i]!; e++) {
        cur[i] = e;
        walk(i + 1);
      }
      cur[i] = 0;
    };
    walk(0);
    out.sort(dGrevlexCompare);
    return out;
  }

  /** The holonomic rank: the number of standard monomials (NotHolonomicError when infinite). */
  get rank(): number {
    return this.standardMonomials().length;
  }

  /** The Gröbner basis over R, normalized monic over Q(x) and printed-ready: elements of D over QQ (∂-first order). */
  basisOverQ(): Poly<Rational>[] {
    const Q = this.Q;
    return this.basis.map((g) =>
      Q.poly.fromTerms(
        g.monos,
        g.coeffs.map((c) => Rational.int(c)),
      ),
    );
  }

  /** Reduced Gröbner basis over R: every element monic (leading coefficient 1 in Q(x)) with a reduced tail. */
  reducedBasis(): { leading: number[]; terms: { d: number[]; coeff: RationalFunction }[] }[] {
    return this.basis.map((g, i) => {
      const others = this.basis.filter((_, j) => j !== i);
      const head = this.leadGroup(g);
      const tail = this.rest(g, head.length);
      const nf = this.reduceWith(tail, others);
      const lc = this.groupCoeff(g, 0, head.length);
      const terms = [
        { d: this.leadingD[i]!, coeff: this.field.one },
        ...this.coefficientTerms(nf).map((t) => ({ d: t.d, coeff: this.field.div(t.coeff, this.toField(lc)) })),
      ];
      return { leading: this.leadingD[i]!, terms };
    });
  }

  /** Normal form of f ∈ D over R. */
  normalForm(f: Poly<Rational>): RationalNormalForm {
    const Q = this.Q;
    const { scale, prim } = integerPrimitive(Q.poly, Q.convert(f), this.Z.poly);
    const r = this.reduceWith({ numerator: prim, denominator: this.xRing.one }, this.basis);
    // f = scale · prim: fold the rational scale into numerator / denominator.
    const num = this.Z.poly.scale(r.numerator, scale.num);
    return { numerator: num, denominator: this.xRing.scale(r.denominator, scale.den) };
  }

  /** Coefficients of NF(f) on the given ∂-monomials, as rational functions; throws if NF uses another monomial. */
  coordinates(f: Poly<Rational>, monomials: readonly number[][]): RationalFunction[] {
    const nf = this.normalForm(f);
    const terms = this.coefficientTerms(nf);
    const out = monomials.map(() => this.field.zero);
    for (const t of terms) {
      const k = monomials.findIndex((m) => dEq(m, t.d));
      if (k < 0) throw new DomainError(`the normal form has the term ${dText(this.derivations, t.d)}, which is not among the given monomials`);
      out[k] = t.coeff;
    }
    return out;
  }

  /** NF as Σ coeff(x) ∂^d with rational-function coefficients. */
  coefficientTerms(nf: RationalNormalForm): { d: number[]; coeff: RationalFunction }[] {
    const out: { d: number[]; coeff: RationalFunction }[] = [];
    const den = this.toField(nf.denominator);
    let start = 0;
    const p = nf.numerator;
    while (start < p.monos.length) {
      const len = this.groupLength(p, start);
      const c = this.groupCoeff(p, start, len);
      out.push({ d: this.dPart(p.monos[start]!), coeff: this.field.div(this.toField(c), den) });
      start += len;
    }
    return out;
  }

  // ---- fraction-free reduction over R ----

  /** Number of terms from `start` sharing the ∂-part of term `start` (contiguous: ∂ decides the order first). */
  private groupLength(p: Poly<bigint>, start: number): number {
    const d0 = this.dPart(p.monos[start]!);
    let k = start + 1;
    while (k < p.monos.length && dEq(this.dPart(p.monos[k]!), d0)) k++;
    return k - start;
  }

  private leadGroup(p: Poly<bigint>): Poly<bigint> {
    const len = this.groupLength(p, 0);
    return new Poly(p.monos.slice(0, len), p.coeffs.slice(0, len));
  }

  private rest(p: Poly<bigint>, from: number): RationalNormalForm {
    return { numerator: new Poly(p.monos.slice(from), p.coeffs.slice(from)), denominator: this.xRing.one };
  }

  /** The x-polynomial coefficient of the ∂-group [start, start+len). */
  private groupCoeff(p: Poly<bigint>, start: number, len: number): Poly<bigint> {
    const monos: number[][] = [];
    const coeffs: bigint[] = [];
    for (let k = start; k < start + len; k++) {
      monos.push(p.monos[k]!.slice(0, this.D.n));
      coeffs.push(p.coeffs[k]!);
    }
    return this.xRing.fromTerms(monos, coeffs);
  }

  /** a(x)·p: x's are on the left in normal order, so this is the commutative product. */
  private mulX(a: Poly<bigint>, p: Poly<bigint>): Poly<bigint> {
    const pad = new Array<number>(this.Z.vars.length - this.D.n).fill(0);
    const emb = new Poly(
      a.monos.map((m) => [...m, ...pad]),
      a.coeffs,
    );
    return this.Z.poly.mul(emb, p);
  }

  private toField(a: Poly<bigint>): RationalFunction {
    return this.field.fromPolys(toQ(this.field.polyRing, a), this.field.polyRing.one);
  }

  /**
   * Full reduction over R of num/den by G: the leading ∂-group c_f ∂^β is cancelled by (c_g/γ)·f − (c_f/γ)·∂^(β−γ)·g,
   * γ = gcd(c_f, c_g); irreducible groups move to the remainder; the x-content is divided out at the end.
   */
  private reduceWith(f: RationalNormalForm, G: readonly Poly<bigint>[]): RationalNormalForm {
    const Z = this.Z;
    const X = this.xRing;
    let cur = f.numerator;
    let den = f.denominator;
    const rest: { monos: Monomial[]; coeffs: bigint[] } = { monos: [], coeffs: [] };
    let restPoly = Z.zero;
    while (cur.monos.length > 0) {
      const len = this.groupLength(cur, 0);
      const beta = this.dPart(cur.monos[0]!);
      let best = -1;
      for (let i = 0; i < G.length; i++) {
        const gl = this.dPart(G[i]!.monos[0]!);
        if (!dDivides(gl, beta)) continue;
        if (best < 0 || G[i]!.monos.length < G[best]!.monos.length) best = i;
      }
      if (best < 0) {
        for (let k = 0; k < len; k++) {
          rest.monos.push(cur.monos[k]!);
          rest.coeffs.push(cur.coeffs[k]!);
        }
        cur = new Poly(cur.monos.slice(len), cur.coeffs.slice(len));
        continue;
      }
      const g = G[best]!;
      const glen = this.groupLength(g, 0);
      const cf = this.groupCoeff(cur, 0, len);
      const cg = this.groupCoeff(g, 0, glen);
      const gamma = gcdZZ(X, cf, cg);
      const a = X.divExact(cg, gamma);
      const b = X.divExact(cf, gamma);
      const shift = new Array<number>(Z.vars.length).fill(0);
      const gd = this.dPart(g.monos[0]!);
      this.dIndex.forEach((idx, j) => (shift[idx] = beta[j]! - gd[j]!));
      const tg = Z.mulTermLeft(shift, 1n, g);
      // f ← a·f − b·(∂^shift·g); the remainder part is scaled by a as well, and NF = (stuff)/den·… tracks a.
      cur = Z.poly.sub(this.mulX(a, cur), this.mulX(b, tg));
      restPoly = Z.poly.add(restPoly, Z.poly.fromTerms(rest.monos, rest.coeffs));
      rest.monos = [];
      rest.coeffs = [];
      restPoly = this.mulX(a, restPoly);
      den = X.mul(den, a);
    }
    restPoly = Z.poly.add(restPoly, Z.poly.fromTerms(rest.monos, rest.coeffs));
    // Divide out the x-content of the remainder (a unit of R), and cancel it against the denominator.
    let content = X.zero;
    let start = 0;
    while (start < restPoly.monos.length) {
      const len = this.groupLength(restPoly, start);
      content = gcdZZ(X, content, this.groupCoeff(restPoly, start, len));
      start += len;
    }
    if (restPoly.monos.length === 0) return { numerator: restPoly, denominator: X.one };
    const g = gcdZZ(X, content, den);
    if (!X.eq(g, X.one)) {
      const emb = g;
      restPoly = this.divX(restPoly, emb);
      den = X.divExact(den, emb);
    }
    return { numerator: restPoly, denominator: den };
  }

  /** p / a(x), exact, group by group. */
  private divX(p: Poly<bigint>, a: Poly<bigint>): Poly<bigint> {
    const monos: number[][] = [];
    const coeffs: bigint[] = [];
    let start = 0;
    const n = this.D.n;
    while (start < p.monos.length) {
      const len = this.groupLength(p, start);
      const q = this.xRing.divExact(this.groupCoeff(p, start, len), a);
      const dm = p.monos[start]!.slice(n);
      for (let k = 0; k < q.monos.length; k++) {
        monos.push([...q.monos[k]!, ...dm]);
        coeffs.push(q.coeffs[k]!);
      }
      start += len;
    }
    return this.Z.poly.fromTerms(monos, coeffs);
  }
}

function toQ(ring: PolyRing<Rational>, p: Poly<bigint>): Poly<Rational> {
  return ring.fromTerms(
    p.monos,
    p.coeffs.map((c) => Rational.int(c)),
  );
}

export function dDivides(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i]! > b[i]!) return false;
  return true;
}

export function dEq(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Increasing degrevlex on ∂-exponent vectors (1 first). */
export function dGrevlexCompare(a: readonly number[], b: readonly number[]): number {
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    da += a[i]!;
    db += b[i]!;
  }
  if (da !== db) return da - db;
  for (let i = a.length - 1; i >= 0; i--) if (a[i] !== b[i]) return b[i]! - a[i]!;
  return 0;
}

/** "dx11^2*dx12" for exponents over the derivation names; "1" for the empty monomial. */
export function dText(names: readonly string[], e: readonly number[]): string {
  const parts: string[] = [];
  e.forEach((k, i) => {
    if (k === 1) parts.push(names[i]!);
    else if (k > 1) parts.push(`${names[i]}^${k}`);
  });
  return parts.length ? parts.join('*') : '1';
}
