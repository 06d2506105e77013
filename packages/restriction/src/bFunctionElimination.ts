import { type GbOptions, groebnerBasis } from '@holonomic-ntk/groebner';
import { NotHolonomicError, type Poly, QQ, Rational, WeylAlgebra, blockOrder, grevlex } from '@holonomic-ntk/weyl-algebra';

/**
 * The b-function along one coordinate t by elimination, with no degree bound (MATH.md §3.1, [SST] Alg. 5.1.6).
 *
 * J = in_(−w,w)(I) is homogeneous for the weight (−1, 1) on (t, ∂t). Its degree-0 part J_0 is a left ideal of
 * D_x[θ], θ = t∂t (θ commutes with x and ∂x), and for homogeneous generators g_i of J of degree m_i,
 *   J_0 = D_x[θ]·ψ(g_i),   ψ(g) = t^m·g (m ≥ 0)  or  ∂t^(−m)·g (m < 0),
 * because a homogeneous a of degree −m with a·g ∈ J_0 is (polynomial in θ)·t^m or (polynomial in θ)·∂t^(−m).
 * t^j∂t^j = θ(θ−1)…(θ−j+1) and ∂t^k t^k = (θ+1)…(θ+k) turn ψ(g) into an element of D_x[s] (s for θ, a central
 * variable). A Gröbner basis of those for an order eliminating x and ∂x contains a generator of J_0 ∩ Q[s]: b(s), or
 * nothing when J ∩ Q[θ] = 0 — then I has no b-function along t, is not specializable there and so not holonomic.
 * Buchberger terminates, so this decides; the linear-algebra search of `bFunction` does not, and is tried first
 * because it is faster on most inputs.
 *
 * `initialForms` are (−w_t, w_t)-homogeneous elements of D generating J; the answer is b for θ (weight 1): the caller
 * rescales to θ_w = w_t·θ. Returns the ascending monic coefficients.
 */
export function bFunctionByElimination(D: WeylAlgebra<Rational>, initialForms: readonly Poly<Rational>[], t: string, options: GbOptions = {}): Rational[] {
  const ti = D.xNames.indexOf(t);
  const rest = D.pairs().filter((_, i) => i !== ti);
  const m = rest.length;
  // D_x[s]: exponent layout [x', ∂x', s]; the first 2m entries are eliminated.
  const E = new WeylAlgebra(QQ, rest, {
    central: ['_s'],
    order: blockOrder([
      [2 * m, grevlex],
      [1, grevlex],
    ]),
  });
  const psi = (g: Poly<Rational>) => degreeZeroForm(D, g, ti, E, E.gen('_s'));
  const G = groebnerBasis(E, initialForms.filter((g) => g.monos.length > 0).map(psi), options);
  const inS = G.filter((g) => g.monos.every((mono) => mono.slice(0, 2 * m).every((x) => x === 0)));
  if (inS.length === 0) {
    throw new NotHolonomicError(
      `in_(−w,w)(I) ∩ Q[${t}·d${t}] = 0 (elimination): the ideal has no b-function along ${t}, so it is not specializable along ${t}=0 and not holonomic`,
    );
  }
  // The reduced basis has exactly one element in Q[s] (a principal ideal), monic.
  const b = inS[0]!;
  let degree = 0;
  for (const mono of b.monos) degree = Math.max(degree, mono[2 * m]!);
  const coefficients = new Array<Rational>(degree + 1).fill(Rational.ZERO);
  b.monos.forEach((mono, k) => (coefficients[mono[2 * m]!] = b.coeffs[k]!));
  const lead = coefficients[degree]!;
  return coefficients.map((c) => c.div(lead));
}

/**
 * ψ(g) for a (−1, 1)-homogeneous g ∈ D (weight −1 on t = x_ti, +1 on ∂t): t^m·g (m ≥ 0) or ∂t^(−m)·g (m < 0) is a
 * polynomial in θ = t∂t with coefficients in D_x; returned as an element of E = D_x[central…] with θ replaced by
 * `theta` (an element of E commuting with D_x: s for the b-function, −s − 1 for Ann f^s). E's pairs are D's without
 * t, in order.
 */
export function degreeZeroForm(D: WeylAlgebra<Rational>, g: Poly<Rational>, ti: number, E: WeylAlgebra<Rational>, theta: Poly<Rational>): Poly<Rational> {
  const n = D.n;
  const m = E.n;
  const shifted = (c: number) => E.add(theta, E.fromInt(c));
  const falling: Poly<Rational>[] = [E.one]; // θ(θ−1)…(θ−j+1)
  const rising: Poly<Rational>[] = [E.one]; // (θ+1)…(θ+k)
  const fall = (j: number) => {
    while (falling.length <= j) falling.push(E.mul(falling[falling.length - 1]!, shifted(-(falling.length - 1))));
    return falling[j]!;
  };
  const rise = (k: number) => {
    while (rising.length <= k) rising.push(E.mul(rising[rising.length - 1]!, shifted(rising.length)));
    return rising[k]!;
  };
  let out = E.zero;
  const width = E.vars.length;
  const degree = g.monos.length > 0 ? g.monos[0]![n + ti]! - g.monos[0]![ti]! : 0;
  for (let k = 0; k < g.monos.length; k++) {
    const mono = g.monos[k]!;
    const i = mono[ti]!;
    const j = mono[n + ti]!;
    // The elimination guarantees homogeneity; a term of another degree would make ψ(g) wrong, so say so loudly.
    if (j - i !== degree) throw new Error(`internal: ψ of an element that is not (−1, 1)-homogeneous in ${D.xNames[ti]}`);
    const e = new Array<number>(width).fill(0);
    let c = 0;
    for (let a = 0; a < n; a++) {
      if (a === ti) continue;
      e[c] = mono[a]!;
      e[c + m] = mono[n + a]!;
      c++;
    }
    // t^i ∂t^j has degree j − i: t^(j−i)·t^i∂t^j = t^j∂t^j; ∂t^(i−j)·t^i∂t^j = ∂t^(i−j)t^(i−j)·t^j∂t^j.
    const th = j >= i ? fall(j) : E.mul(rise(i - j), fall(j));
    out = E.add(out, E.mul(E.monomial(e, g.coeffs[k]!), th));
  }
  return out;
}
