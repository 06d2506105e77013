import { type GbOptions, groebnerBasis } from '@holonomic-ntk/groebner';
import {
  DomainError,
  type Poly,
  PolyRing,
  QQ,
  type Rational,
  WeylAlgebra,
  grevlex,
  operatorToText,
  polynomialToText,
  weightOrder,
} from '@holonomic-ntk/weyl-algebra';
import { degreeZeroForm } from './bFunctionElimination.ts';

/** The annihilator of f^s: generators in D_x[s] (s central), a reduced Gröbner basis for grevlex. */
export interface AnnFsResult {
  /** D_x[s]: the Weyl algebra of f's variables with the central variable s. */
  algebra: WeylAlgebra<Rational>;
  /** Reduced Gröbner basis of Ann_{D[s]} f^s (grevlex on x, ∂, s), monic. */
  generators: Poly<Rational>[];
  /** The generators as text (compact, normally ordered). */
  text: string[];
}

/**
 * The ideal of the graph embedding I_f = D⟨t, x⟩·(t − f, ∂_i + (∂f/∂x_i)·∂t) of a polynomial f, in the Weyl algebra
 * of (t, x) with t named `tName` (first). Its b-function along t is b_f(−s − 1) (MATH.md §3.2).
 *
 * @example
 * ```ts
 * import { PolyRing, QQ, operatorToText, parsePolynomial } from '@holonomic-ntk/weyl-algebra';
 * import { graphIdeal } from '@holonomic-ntk/restriction';
 * const R = new PolyRing(QQ, ['x']);
 * const { algebra, generators } = graphIdeal(R, parsePolynomial(R, 'x^2'));
 * generators.map((g) => operatorToText(algebra, g)); // → ['-x^2 + t', '2*x*dt + dx']
 * ```
 */
export function graphIdeal(
  R: PolyRing<Rational>,
  f: Poly<Rational>,
  tName = 't',
  central: readonly string[] = [],
): { algebra: WeylAlgebra<Rational>; generators: Poly<Rational>[] } {
  checkPolynomial(R, f, [tName, ...central]);
  const n = R.vars.length;
  const D = new WeylAlgebra(QQ, [tName, ...R.vars], { central });
  const width = D.vars.length;
  const embed = (p: Poly<Rational>, extra: (e: number[]) => void = () => {}) =>
    D.poly.fromTerms(
      p.monos.map((m) => {
        const e = new Array<number>(width).fill(0);
        for (let i = 0; i < n; i++) e[1 + i] = m[i]!;
        extra(e);
        return e;
      }),
      p.coeffs,
    );
  const t = D.gen(tName);
  const gens = [D.sub(t, embed(f))];
  R.vars.forEach((_, i) => {
    const dx = D.gen(D.dNames[1 + i]!);
    gens.push(
      D.add(
        dx,
        embed(R.diff(f, i), (e) => (e[n + 1] = 1)),
      ),
    );
  });
  return { algebra: D, generators: gens };
}

function checkPolynomial(R: PolyRing<Rational>, f: Poly<Rational>, reserved: readonly string[]): void {
  if (f.monos.length === 0) throw new DomainError('f = 0: f^s and its Bernstein–Sato polynomial are not defined');
  const clash = R.vars.find((v) => reserved.includes(v) || reserved.includes(`d${v}`));
  if (clash) throw new DomainError(`the variable name "${clash}" is reserved here (${reserved.join(', ')}); rename it`);
}

/**
 * Ann_{D[s]} f^s, the annihilator of f^s in D_x[s], by Oaku's algorithm ([Oaku 1997], [SST] Alg. 5.3.6; MATH.md §3.3):
 * in D⟨t, x⟩[u, v] the ideal (t − u·f, ∂_i + u·(∂f/∂x_i)·∂t, u·v − 1) is homogeneous for the weight (1, −1, 1, −1) on
 * (t, ∂t, u, v); eliminating u, v leaves the largest (−1, 1)-homogeneous ideal contained in I_f = Ann δ(t − f), whose
 * generators g map to D_x[s] by ψ (t^m·g or ∂t^(−m)·g is a polynomial in θ = t∂t) with θ = −s − 1 (−∂t·t acts as s).
 *
 * Why Oaku–Takayama rather than Briançon–Maisonobe: Briançon–Maisonobe computes in D_x⟨t, s⟩ with s·t = t·(s − 1)
 * (s = −∂t·t), a G-algebra that is not a Weyl algebra, and the project's Gröbner engine computes in Weyl algebras
 * with central (commuting) variables only. Oaku's method needs exactly that — D⟨t, x⟩ with u, v central — and the
 * ψ map that the b-function by elimination already uses. The price: one more pair of variables in the elimination
 * (MATH.md §3.3 and BENCHMARKS.md measure it against Singular's Briançon–Maisonobe `Sannfs`).
 *
 * @example
 * ```ts
 * import { PolyRing, QQ, parsePolynomial } from '@holonomic-ntk/weyl-algebra';
 * import { annFs } from '@holonomic-ntk/restriction';
 * const R = new PolyRing(QQ, ['x', 'y']);
 * annFs(R, parsePolynomial(R, 'x^2 + y^3')).text; // → ['x*dx + 2/3*y*dy - 2*s', 'y^2*dx - 2/3*x*dy', 'y^3*dy + x^2*dy - 3*y^2*s']
 * ```
 */
export function annFs(R: PolyRing<Rational>, f: Poly<Rational>, options: GbOptions = {}): AnnFsResult {
  if (R.vars.includes('s')) throw new DomainError('the variable name "s" is reserved for the parameter of f^s; rename it');
  const n = R.vars.length;
  const { algebra: A0, generators } = graphIdeal(R, f, '_t', []);
  // D⟨t, x⟩[u, v] with an order eliminating u and v: (u + v)-degree first, then grevlex.
  const width = 2 * (n + 1) + 2;
  const elim = new Array<number>(width).fill(0);
  elim[width - 2] = 1;
  elim[width - 1] = 1;
  const A = new WeylAlgebra(QQ, A0.pairs(), { central: ['_u', '_v'], order: weightOrder(elim, grevlex) });
  const lift = (p: Poly<Rational>) =>
    A.poly.fromTerms(
      p.monos.map((m) => [...m, 0, 0]),
      p.coeffs,
    );
  const u = A.gen('_u');
  const v = A.gen('_v');
  const t = A.gen('_t');
  // t − u·f and ∂_i + u·f_i·∂t: the graph ideal's generators with f and f_i multiplied by u.
  const [tMinusF, ...rest] = generators.map(lift);
  const gens = [
    A.add(t, A.mul(u, A.sub(tMinusF!, t))),
    ...rest.map((g, i) => A.add(A.gen(A.dNames[1 + i]!), A.mul(u, A.sub(g, A.gen(A.dNames[1 + i]!))))),
    A.sub(A.mul(u, v), A.one),
  ];
  // Sugar pair selection for this elimination unless the caller chose: measured 1.5–2× faster on x^5 + y^4 + x^3y^2
  // (median 156 → 107 ms, 7 runs each), no slower on the other benchmark polynomials (BENCHMARKS.md, issue 16).
  const G = groebnerBasis(A, gens, { strategy: 'sugar', ...options });
  const free = G.filter((g) => g.monos.every((m) => m[width - 2] === 0 && m[width - 1] === 0));
  // Back to D⟨t, x⟩ (drop the u, v slots), then ψ into D_x[s] with θ = −s − 1.
  const E = new WeylAlgebra(QQ, R.vars, { central: ['s'] });
  const theta = E.sub(E.neg(E.gen('s')), E.one);
  const images = free.map((g) =>
    degreeZeroForm(
      A0,
      A0.poly.fromTerms(
        g.monos.map((m) => m.slice(0, width - 2)),
        g.coeffs,
      ),
      0,
      E,
      theta,
    ),
  );
  const basis = groebnerBasis(E, images, options);
  return { algebra: E, generators: basis, text: basis.map((g) => operatorToText(E, g, { compact: false })) };
}

/**
 * Applies P ∈ D_x[s] to f^s symbolically: returns the polynomial q ∈ Q[x, s] and k with P·f^s = q·f^(s−k)
 * (k = the largest order of P). P annihilates f^s exactly when q = 0. A check of {@link annFs} that needs no
 * Gröbner basis.
 *
 * @example
 * ```ts
 * import { PolyRing, QQ, parseOperator, parsePolynomial } from '@holonomic-ntk/weyl-algebra';
 * import { annFs, applyToFs } from '@holonomic-ntk/restriction';
 * const R = new PolyRing(QQ, ['x']);
 * const f = parsePolynomial(R, 'x^2');
 * const { algebra } = annFs(R, f);
 * applyToFs(R, f, algebra, parseOperator(algebra, 'x*dx - 2*s')).isZero; // → true
 * applyToFs(R, f, algebra, parseOperator(algebra, 'dx')).text; // → '2*x*s'
 * ```
 */
export function applyToFs(R: PolyRing<Rational>, f: Poly<Rational>, E: WeylAlgebra<Rational>, P: Poly<Rational>): { isZero: boolean; k: number; text: string } {
  const n = R.vars.length;
  if (E.n !== n || E.central.length !== 1 || E.xNames.some((x, i) => x !== R.vars[i])) {
    throw new DomainError(`P must live in D_x[s] over the variables of f (${R.vars.join(', ')}) with one central s, as annFs returns it`);
  }
  // Q[x, s]: f, its derivatives, and the results live here.
  const S = new PolyRing(QQ, [...R.vars, 's']);
  const lift = (p: Poly<Rational>) =>
    S.fromTerms(
      p.monos.map((m) => [...m, 0]),
      p.coeffs,
    );
  const F = lift(f);
  const dF = R.vars.map((_, i) => lift(R.diff(f, i)));
  const s = S.gen('s');
  // ∂^b f^s = g_b · f^(s−|b|), memoized by the exponent vector b.
  const memo = new Map<string, Poly<Rational>>([[new Array<number>(n).fill(0).join(','), S.one]]);
  const derivative = (b: number[]): Poly<Rational> => {
    const key = b.join(',');
    const hit = memo.get(key);
    if (hit) return hit;
    const i = b.findIndex((e) => e > 0);
    const prev = b.slice();
    prev[i]!--;
    const g = derivative(prev);
    const k = prev.reduce((a, c) => a + c, 0);
    // ∂_i(g·f^(s−k)) = (∂_i g·f + (s − k)·g·∂_i f)·f^(s−k−1)
    const out = S.add(S.mul(S.diff(g, i), F), S.mul(S.mul(S.sub(s, S.fromInt(k)), g), dF[i]!));
    memo.set(key, out);
    return out;
  };
  let K = 0;
  for (const m of P.monos)
    K = Math.max(
      K,
      m.slice(n, 2 * n).reduce((a, c) => a + c, 0),
    );
  let total = S.zero;
  P.monos.forEach((m, idx) => {
    const b = m.slice(n, 2 * n);
    const order = b.reduce((a, c) => a + c, 0);
    const xs = [...m.slice(0, n), m[2 * n] ?? 0];
    const term = S.mul(S.monomial(xs, P.coeffs[idx]!), S.mul(derivative(b), S.pow(F, K - order)));
    total = S.add(total, term);
  });
  return { isZero: total.monos.length === 0, k: K, text: polynomialToText(S, total, { compact: true }) };
}
