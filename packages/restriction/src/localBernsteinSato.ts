import { type GbOptions, groebnerBasis, weightGroebnerBasis } from '@holonomic-ntk/groebner';
import { DomainError, type Poly, PolyRing, QQ, Rational, WeylAlgebra, grevlex, weightOrder } from '@holonomic-ntk/weyl-algebra';
import { graphIdeal } from './annFs.ts';
import { degreeZeroForm } from './bFunctionElimination.ts';
import { type BernsteinSatoResult, bernsteinSato, bernsteinSatoOf } from './bernsteinSato.ts';

/**
 * The local Bernstein–Sato polynomial b_(f,p)(s) at a rational point p (MATH.md §3.2): the monic generator of the
 * b with P·f^(s+1) = b(s)·f^s for P in D[s] localized at p. It divides the global b_f; it is 1 where f(p) ≠ 0 and
 * s + 1 at a smooth point of f = 0.
 *
 * With J = in_(−w,w)(I_f) and K = ψ(J_0) ∩ Q[x][θ] (elimination of ∂x in D_x[θ]), b(θ) lies in the localization
 * K·Q[x]_p[θ] exactly when (K : b) ∩ Q[x] has an element u with u(p) ≠ 0 (a left fraction u⁻¹·a of D_p times u is
 * in D). Starting from the global b, each root's multiplicity is lowered while that membership holds.
 *
 * @example
 * ```ts
 * import { PolyRing, QQ, parsePolynomial } from '@holonomic-ntk/weyl-algebra';
 * import { localBernsteinSato } from '@holonomic-ntk/restriction';
 * const R = new PolyRing(QQ, ['x']);
 * const f = parsePolynomial(R, 'x^2*(x-1)^3');
 * localBernsteinSato(R, f, [0]).factored; // → '(s+1)*(s+1/2)'
 * localBernsteinSato(R, f, [1]).factored; // → '(s+1)*(s+2/3)*(s+1/3)'
 * localBernsteinSato(R, f, [2]).factored; // → '1'
 * ```
 */
export function localBernsteinSato(
  R: PolyRing<Rational>,
  f: Poly<Rational>,
  point: readonly (Rational | number)[],
  options: GbOptions = {},
): BernsteinSatoResult {
  const n = R.vars.length;
  if (point.length !== n) throw new DomainError(`the point needs ${n} coordinates (${R.vars.join(', ')}), got ${point.length}`);
  const p = point.map((c) => (typeof c === 'number' ? Rational.of(c) : c));
  if (!R.evaluate(f, p).isZero()) return bernsteinSatoOf([Rational.ONE]);
  const global = bernsteinSato(R, f, options);
  // K = ψ(J_0) ∩ Q[x][s] (s standing for θ = t∂t), by eliminating ∂x.
  const { algebra: D, generators } = graphIdeal(R, f, '_t');
  const weight = new Array<number>(2 * D.n).fill(0);
  weight[0] = -1;
  weight[D.n] = 1;
  const wb = weightGroebnerBasis(D, generators, weight, options);
  const m = n;
  // D_x[s], exponent layout [x, ∂x, s]: weight 1 on ∂x eliminates them.
  const elim = [...new Array<number>(m).fill(0), ...new Array<number>(m).fill(1), 0];
  const E = new WeylAlgebra(QQ, R.vars, { central: ['_s'], order: weightOrder(elim, grevlex) });
  const images = wb.initialForms.filter((g) => g.monos.length > 0).map((g) => degreeZeroForm(D, g, 0, E, E.gen('_s')));
  const G = groebnerBasis(E, images, options);
  // Q[x, s] as a commutative ring: a Weyl algebra with no pairs (exponent layout [x, s]).
  const names = [...R.vars, '_s'];
  const toK = (g: Poly<Rational>) => g.monos.map((mono) => [...mono.slice(0, m), mono[2 * m]!]);
  const K = G.filter((g) => g.monos.every((mono) => mono.slice(m, 2 * m).every((e) => e === 0))).map((g) => ({ monos: toK(g), coeffs: g.coeffs }));
  const S = new PolyRing(QQ, names, grevlex);
  const Kpolys = K.map((k) => S.fromTerms(k.monos, k.coeffs));
  // b_(I_f)(θ) = ± b_f(−θ − 1): roots θ = −r − 1 for the roots r of b_f.
  const roots = global.rationalRoots.map((r) => ({ theta: r.root.neg().sub(Rational.ONE), m: r.multiplicity, root: r.root }));
  const sVar = S.gen('_s');
  const productOf = (ms: number[]) => roots.reduce((acc, r, i) => S.mul(acc, S.pow(S.sub(sVar, S.constant(r.theta)), ms[i]!)), S.one);
  const mult = roots.map((r) => r.m);
  for (let i = 0; i < roots.length; i++) {
    while (mult[i]! > 0) {
      const trial = mult.slice();
      trial[i]!--;
      if (!inLocalization(S, Kpolys, productOf(trial), p, options)) break;
      mult[i] = trial[i]!;
    }
  }
  // Back to b_f: Π (s − r)^(mult).
  let coefficients: Rational[] = [Rational.ONE];
  roots.forEach((r, i) => {
    for (let k = 0; k < mult[i]!; k++) {
      const next = new Array<Rational>(coefficients.length + 1).fill(Rational.ZERO);
      coefficients.forEach((c, j) => {
        next[j + 1] = next[j + 1]!.add(c);
        next[j] = next[j]!.sub(c.mul(r.root));
      });
      coefficients = next;
    }
  });
  return bernsteinSatoOf(coefficients);
}

/** h ∈ K·Q[x]_p[s]: some element of (K : h) ∩ Q[x] does not vanish at p. */
function inLocalization(S: PolyRing<Rational>, K: readonly Poly<Rational>[], h: Poly<Rational>, p: readonly Rational[], options: GbOptions): boolean {
  const nv = S.vars.length; // x_1..x_n, s
  // K ∩ (h) by (z·K + (1 − z)·h) ∩ Q[x, s]; layout [z, x, s], z eliminated.
  const C = new WeylAlgebra(QQ, [], { central: ['_z', ...S.vars], order: weightOrder([1, ...new Array<number>(nv).fill(0)], grevlex) });
  const lift = (g: Poly<Rational>) =>
    C.poly.fromTerms(
      g.monos.map((mono) => [0, ...mono]),
      g.coeffs,
    );
  const z = C.gen('_z');
  const inter = groebnerBasis(C, [...K.map((g) => C.mul(z, lift(g))), C.mul(C.sub(C.one, z), lift(h))], options)
    .filter((g) => g.monos.every((mono) => mono[0] === 0))
    .map((g) =>
      S.fromTerms(
        g.monos.map((mono) => mono.slice(1)),
        g.coeffs,
      ),
    );
  const colon = inter.map((g) => S.divExact(g, h));
  // (K : h) ∩ Q[x]: eliminate s (last variable).
  const Cs = new WeylAlgebra(QQ, [], { central: S.vars, order: weightOrder([...new Array<number>(nv - 1).fill(0), 1], grevlex) });
  const inX = groebnerBasis(
    Cs,
    colon.map((g) => Cs.poly.fromTerms(g.monos, g.coeffs)),
    options,
  ).filter((g) => g.monos.every((mono) => mono[nv - 1] === 0));
  return inX.some((g) => {
    let v = Rational.ZERO;
    g.monos.forEach((mono, k) => {
      let t = g.coeffs[k]!;
      for (let i = 0; i < nv - 1; i++) t = t.mul(p[i]!.pow(mono[i]!));
      v = v.add(t);
    });
    return !v.isZero();
  });
}
