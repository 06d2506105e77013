import { groebnerBasis } from '@holonomic-ntk/groebner';
import { Budget } from '@holonomic-ntk/groebner/internal';
import { DomainError, LimitExceededError, type Poly, PolyRing, QQ, Rational, WeylAlgebra, polyToText } from '@holonomic-ntk/weyl-algebra';
import { type AnnFsResult, annFs, graphIdeal } from './annFs.ts';
import { type BFunctionOptions, bFunction, minimalPolynomial } from './bFunction.ts';
import { type RationalRoot, rationalRoots } from './rationalRoots.ts';

/** Options of {@link bernsteinSato}: the b-function options (`method` is the b-function's, on the graph route) plus the route. */
export interface BernsteinSatoOptions extends BFunctionOptions {
  /**
   * 'graph' (default): the b-function of the graph ideal I_f along t, b_f(s) = ±b_(I_f)(−s − 1) (MATH.md §3.2).
   * 'annihilator': Ann_{D[s]} f^s by Oaku's algorithm, then the minimal polynomial of s modulo Ann f^s + D[s]·f
   * (the route of Singular's bfct and Macaulay2's AnnFs); also returns the annihilator.
   */
  route?: 'graph' | 'annihilator';
}

/** The Bernstein–Sato polynomial b_f(s) of a polynomial, with its roots and the log canonical threshold. */
export interface BernsteinSatoResult {
  /** Ascending coefficients of b_f(s), monic. */
  coefficients: Rational[];
  polynomial: Poly<Rational>;
  /** Q[s]. */
  ring: PolyRing<Rational>;
  /** Expanded text, e.g. "s^3+3*s^2+107/36*s+35/36". */
  text: string;
  /** Factored over Q by its rational roots, e.g. "(s+1)*(s+5/6)*(s+7/6)" (all roots are rational, Kashiwara). */
  factored: string;
  /** The roots (negative rationals in (−n, 0)), ascending, with multiplicities. */
  rationalRoots: RationalRoot[];
  /** lct(f) = −(largest root); null when b_f = 1 (f a nonzero constant). */
  logCanonicalThreshold: Rational | null;
  /** The route that computed it. */
  route: 'graph' | 'annihilator';
  /** Ann_{D[s]} f^s, when the 'annihilator' route computed it. */
  annihilator?: AnnFsResult;
}

/**
 * The (global) Bernstein–Sato polynomial b_f(s): the monic generator of the polynomials b with
 * P(s)·f^(s+1) = b(s)·f^s for some P ∈ D[s]. Its roots are negative rationals in (−n, 0); −(largest root) is the log
 * canonical threshold.
 *
 * @example
 * ```ts
 * import { PolyRing, QQ, parsePolynomial } from '@holonomic-ntk/weyl-algebra';
 * import { bernsteinSato } from '@holonomic-ntk/restriction';
 * const R = new PolyRing(QQ, ['x', 'y']);
 * const b = bernsteinSato(R, parsePolynomial(R, 'x^2 + y^3')); // the cusp
 * b.factored; // → '(s+7/6)*(s+1)*(s+5/6)'
 * b.logCanonicalThreshold?.toString(); // → '5/6'
 * bernsteinSato(R, parsePolynomial(R, 'x^2 + y^3'), { route: 'annihilator' }).text === b.text; // → true
 * ```
 */
export function bernsteinSato(R: PolyRing<Rational>, f: Poly<Rational>, options: BernsteinSatoOptions = {}): BernsteinSatoResult {
  if (f.monos.length === 0) throw new DomainError('f = 0: the Bernstein–Sato polynomial is not defined');
  if (R.isConstant(f)) return finish([Rational.ONE], 'graph');
  if (options.route === 'annihilator') {
    const ann = annFs(R, f, options);
    const E = ann.algebra;
    const embedded = E.poly.fromTerms(
      f.monos.map((m) => [...m, ...new Array<number>(R.vars.length).fill(0), 0]),
      f.coeffs,
    );
    const G = groebnerBasis(E, [...ann.generators, embedded], options);
    const maxDegree = options.maxDegree ?? 200;
    const b = minimalPolynomial(E, E.gen('s'), G, maxDegree, new Budget(options));
    if (b === null) {
      throw new LimitExceededError(
        `b_f has degree > ${maxDegree} (a limit, not a verdict: raise maxDegree, or --max-bfunction-degree on the command line)`,
        'maxDegree',
        maxDegree,
      );
    }
    return { ...finish(b, 'annihilator'), annihilator: ann };
  }
  const { algebra: D, generators } = graphIdeal(R, f, '_t');
  const bI = bFunction(D, generators, ['_t'], [1], options);
  // b_f(s) = ±b_(I_f)(−s − 1): substitute, then make monic.
  return finish(substituteMinusSMinusOne(bI.coefficients), 'graph');
}

/**
 * The Bernstein–Sato polynomial b_𝔞(s) of the ideal 𝔞 = (f_1, …, f_r) (Budur–Mustaţă–Saito; MATH.md §3.2): the
 * b-function of the graph ideal (t_i − f_i, ∂_j + Σ_i (∂f_i/∂x_j)·∂t_i) along t_1 = … = t_r = 0 for the weight
 * (1, …, 1), with s = −Σ ∂t_i·t_i = −θ − r: b_𝔞(s) = ±b(−s − r). One generator gives {@link bernsteinSato}'s b_f.
 * Several restricted variables: the linear-algebra search, bounded by `maxDegree` (a limit, LimitExceededError).
 *
 * @example
 * ```ts
 * import { PolyRing, QQ, parsePolynomials } from '@holonomic-ntk/weyl-algebra';
 * import { bernsteinSatoOfIdeal } from '@holonomic-ntk/restriction';
 * const R = new PolyRing(QQ, ['x', 'y']);
 * bernsteinSatoOfIdeal(R, parsePolynomials(R, 'x, y')).factored; // → '(s+2)'
 * bernsteinSatoOfIdeal(R, parsePolynomials(R, 'x^2, x*y, y^2')).factored; // → '(s+3/2)*(s+1)'
 * ```
 */
export function bernsteinSatoOfIdeal(R: PolyRing<Rational>, fs: readonly Poly<Rational>[], options: BFunctionOptions = {}): BernsteinSatoResult {
  const gens = fs.filter((f) => f.monos.length > 0);
  if (gens.length === 0) throw new DomainError('the zero ideal: its Bernstein–Sato polynomial is not defined');
  if (gens.some((f) => R.isConstant(f))) return finish([Rational.ONE], 'graph');
  const r = gens.length;
  const ts = gens.map((_, i) => `_t${i}`);
  const clash = R.vars.find((v) => ts.includes(v) || ts.some((t) => `d${t}` === v));
  if (clash) throw new DomainError(`the variable name "${clash}" is reserved here; rename it`);
  const n = R.vars.length;
  const D = new WeylAlgebra(QQ, [...ts, ...R.vars]);
  const width = 2 * (r + n);
  const embed = (p: Poly<Rational>, dt = -1) =>
    D.poly.fromTerms(
      p.monos.map((m) => {
        const e = new Array<number>(width).fill(0);
        for (let j = 0; j < n; j++) e[r + j] = m[j]!;
        if (dt >= 0) e[r + n + dt] = 1;
        return e;
      }),
      p.coeffs,
    );
  const generators = [
    ...gens.map((f, i) => D.sub(D.gen(ts[i]!), embed(f))),
    ...R.vars.map((_, j) => gens.reduce((acc, f, i) => D.add(acc, embed(R.diff(f, j), i)), D.gen(D.dNames[r + j]!))),
  ];
  const bI = bFunction(
    D,
    generators,
    ts,
    ts.map(() => 1),
    options,
  );
  return finish(substituteMinusSMinusOne(bI.coefficients, r), 'graph');
}

/** Σ c_j (−s − shift)^j, monic. */
function substituteMinusSMinusOne(c: readonly Rational[], shift = 1): Rational[] {
  let out: Rational[] = [Rational.ZERO];
  const k = Rational.int(shift);
  // Horner: out ← out·(−s − shift) + c_j from the top.
  for (let j = c.length - 1; j >= 0; j--) {
    const next = new Array<Rational>(out.length + 1).fill(Rational.ZERO);
    out.forEach((v, i) => {
      next[i] = next[i]!.sub(v.mul(k));
      next[i + 1] = next[i + 1]!.sub(v);
    });
    next[0] = next[0]!.add(c[j]!);
    out = next;
  }
  while (out.length > 1 && out[out.length - 1]!.isZero()) out.pop();
  const lead = out[out.length - 1]!;
  return out.map((v) => v.div(lead));
}

/** The result record of a b_f given by its ascending monic coefficients (roots, factored text, lct). */
export function bernsteinSatoOf(coefficients: Rational[], route: 'graph' | 'annihilator' = 'graph'): BernsteinSatoResult {
  return finish(coefficients, route);
}

function finish(coefficients: Rational[], route: 'graph' | 'annihilator'): BernsteinSatoResult {
  const ring = new PolyRing(QQ, ['s']);
  const polynomial = ring.fromTerms(
    coefficients.map((_, i) => [i]),
    coefficients,
  );
  const roots = coefficients.length > 1 ? rationalRoots(coefficients) : [];
  const degree = coefficients.length - 1;
  const rootDegree = roots.reduce((a, r) => a + r.multiplicity, 0);
  const linear = roots.map((r) => {
    const c = r.root.neg();
    const f = c.isZero() ? 's' : `(s${c.sign() > 0 ? '+' : '-'}${c.abs().toString()})`;
    return r.multiplicity === 1 ? f : `${f}^${r.multiplicity}`;
  });
  // Ascending roots, so the factor of the largest root (−lct) comes last; expanded text if a factor is not linear.
  const text = polyToText(ring.vars, QQ, polynomial, { compact: true });
  const factored = degree === 0 ? '1' : rootDegree === degree ? linear.join('*') : text;
  return {
    coefficients,
    polynomial,
    ring,
    text,
    factored,
    rationalRoots: roots,
    logCanonicalThreshold: roots.length > 0 ? roots[roots.length - 1]!.root.neg() : null,
    route,
  };
}
