import { type Poly, PolyRing, QQ, type Rational, type RationalFunction, ZZ, gcdZZ, polyToText } from '@holonomic-ntk/weyl-algebra';
import { exactQuotient, integerPrimitive, primitivePartZZ } from '@holonomic-ntk/weyl-algebra/internal';

/**
 * Pairwise coprime, squarefree, primitive (positive leading coefficient) polynomials whose product has the same
 * zero set as the product of the inputs: a coprime basis ("factor refinement") built with the multivariate gcd
 * only — no factorization. Each element is a product of distinct irreducibles, not necessarily irreducible itself
 * (two irreducible factors that always occur together in the inputs stay together); for the singular locus of a
 * Pfaffian system that is all that is needed, the zero set is the same.
 *
 * Method: insert the inputs one by one; a new q that shares g = gcd(q, b) with an element b replaces b by g, b/g,
 * q/g (each re-inserted); a q coprime to all elements is split by g = gcd(q, ∂q/∂v) for each variable v it involves
 * (removes repeated factors, and also separates the factors free of v). Every step lowers the degree multiset,
 * so it terminates. Output sorted by total degree, then by text: deterministic.
 *
 * For example:
 * const R = new PolyRing(ZZ, ['x11', 'x12', 'x22']);
 * coprimeFactors(R, parsePolynomials(R, 'x11^2*(x11*x22-x12^2); 2*x11*x22^3')).map((p) => polyToText(R.vars, ZZ, p));
 * // ['x11', 'x22', 'x11*x22-x12^2']
 */
export function coprimeFactors(R: PolyRing<bigint>, polys: readonly Poly<bigint>[]): Poly<bigint>[] {
  const basis: Poly<bigint>[] = [];
  const queue: Poly<bigint>[] = polys.slice();
  const isConstant = (p: Poly<bigint>) => p.monos.length === 0 || R.isConstant(p);
  outer: while (queue.length > 0) {
    const q = primitivePartZZ(R, queue.pop()!);
    if (isConstant(q)) continue;
    for (let n = 0; n < basis.length; n++) {
      const b = basis[n]!;
      // Most denominators are products of factors already in the basis: an exact division settles those without
      // a gcd, and gives exactly what the gcd would (both are primitive with a positive leading coefficient).
      const qb = exactQuotient(R, q, b);
      if (qb) {
        basis.splice(n, 1);
        queue.push(b, R.one, qb);
        continue outer;
      }
      const g = gcdZZ(R, q, b);
      if (isConstant(g)) continue;
      basis.splice(n, 1);
      queue.push(g, R.divExact(b, g), R.divExact(q, g));
      continue outer;
    }
    for (let v = 0; v < R.vars.length; v++) {
      if (R.degreeIn(q, v) === 0) continue;
      const g = gcdZZ(R, q, R.diff(q, v));
      if (isConstant(g)) continue;
      queue.push(g, R.divExact(q, g));
      continue outer;
    }
    basis.push(q);
  }
  const text = (p: Poly<bigint>) => polyToText(R.vars, ZZ, p, { compact: true });
  return basis
    .map((p) => ({ p, t: text(p), d: R.degree(p) }))
    .sort((a, b) => a.d - b.d || (a.t < b.t ? -1 : a.t > b.t ? 1 : 0))
    .map((e) => e.p);
}

/** Denominators are monic in normal form, so their terms identify them. */
function denKey(p: Poly<Rational>): string {
  let s = '';
  for (let i = 0; i < p.monos.length; i++) s += `${p.coeffs[i]!.toString()}:${p.monos[i]!.join(',')};`;
  return s;
}

/**
 * The singular locus of a Pfaffian system as polynomials: the coprime factors (see `coprimeFactors`) of every
 * denominator of every matrix entry, as integer polynomials in the entries' variables, with their canonical text.
 *
 * For example:
 * singularLocus([[F.div(F.one, F.gen('x11'))]]).text; // ['x11']
 */
export function singularLocus(matrices: readonly (readonly (readonly RationalFunction[])[])[]): {
  factors: Poly<bigint>[];
  text: string[];
  ring: PolyRing<bigint>;
} {
  let field: RationalFunction['field'] | undefined;
  const dens: Poly<Rational>[] = [];
  const seen = new Set<string>();
  for (const M of matrices) {
    for (const row of M) {
      for (const e of row) {
        field ??= e.field;
        const key = denKey(e.den);
        if (seen.has(key)) continue;
        seen.add(key);
        dens.push(e.den);
      }
    }
  }
  const vars = field ? field.vars : [];
  const RQ = new PolyRing(QQ, vars);
  const R = new PolyRing(ZZ, vars);
  const factors = coprimeFactors(
    R,
    dens.map((d) => integerPrimitive(RQ, d, R).prim),
  );
  return { factors, text: factors.map((p) => polyToText(R.vars, ZZ, p, { compact: true })), ring: R };
}

/**
 * Exact rational test points x = [[x11, x12], [x12, x22]] ≺ 0 on a fixed grid (deterministic), as integer triples
 * (X11, X12, X22) with x = X / CONE_DENOMINATOR: signs are then read off integer arithmetic, no rationals.
 */
const CONE_DENOMINATOR = 112n;
const CONE_POINTS: readonly (readonly bigint[])[] = (() => {
  const pts: bigint[][] = [];
  const diag = [1, 2, 3, 5, 8, 13];
  const rhos = [-15, -11, -7, -3, -1, 0, 1, 2, 5, 9, 13, 15];
  for (const a of diag) {
    for (const b of diag) {
      // x12 = (ρ/16)·√(ab) rounded to a rational with |x12| < √(ab): use ρ/16·min(a, b), which is ≤ ρ/16·√(ab).
      for (const r of rhos) pts.push([BigInt(-16 * a), BigInt(r * Math.min(a, b)), BigInt(-16 * b)]);
    }
  }
  return pts;
})();

/** The sign of f(X / den) for an integer point X: that of den^deg(f)·f(X/den) = Σ c_m X^m den^(deg f − |m|). */
function signAt(f: Poly<bigint>, scaled: readonly bigint[], point: readonly bigint[]): number {
  let s = 0n;
  for (let t = 0; t < f.monos.length; t++) {
    const m = f.monos[t]!;
    let v = scaled[t]!;
    for (let i = 0; i < m.length; i++) for (let e = 0; e < m[i]!; e++) v *= point[i]!;
    s += v;
  }
  return s > 0n ? 1 : s < 0n ? -1 : 0;
}

/**
 * Which factors look like spurious singularities for the HGM path: factors divisible by x12 (they vanish on the
 * whole start plane x12 = 0, where the initial values are taken) and factors that vanish or change sign at exact
 * rational points of the open negative-definite cone x11 < 0, x22 < 0, x11x22 > x12² (a grid of 432 points —
 * a heuristic: a zero set that meets the cone only in a thin sliver between grid points goes unnoticed). The true
 * singular factors x11, x22, x11x22 − x12² keep one sign on the cone.
 *
 * For example:
 * spuriousFactors(R, [x11, x12]); // [x12]
 */
export function spuriousFactors(R: PolyRing<bigint>, factors: readonly Poly<bigint>[]): Poly<bigint>[] {
  const i12 = R.varIndex('x12');
  const where = ['x11', 'x12', 'x22'].map((v) => R.varIndex(v));
  const pts = CONE_POINTS.map((p) => {
    const out = R.vars.map(() => 0n);
    where.forEach((k, n) => (out[k] = p[n]!));
    return out;
  });
  return factors.filter((f) => {
    if (R.substitute(f, i12, R.zero).monos.length === 0) return true;
    const deg = R.degree(f);
    const scaled = f.monos.map((m, t) => f.coeffs[t]! * CONE_DENOMINATOR ** BigInt(deg - m.reduce((a, e) => a + e, 0)));
    let sign = 0;
    for (const p of pts) {
      const s = signAt(f, scaled, p);
      if (s === 0) return true;
      if (sign === 0) sign = s;
      else if (s !== sign) return true;
    }
    return false;
  });
}
