import { type GbOptions, type WeightGroebnerResult, groebnerBasis, normalForm, weightGroebnerBasis } from '@holonomic-ntk/groebner';
import { Budget } from '@holonomic-ntk/groebner/internal';
import {
  DomainError,
  LimitExceededError,
  NotHolonomicError,
  type Poly,
  PolyRing,
  QQ,
  Rational,
  WeylAlgebra,
  grevlex,
  polyToText,
  type Monomial,
} from '@holonomic-ntk/weyl-algebra';
import { bFunctionByElimination } from './bFunctionElimination.ts';
import { characteristicIdeal } from './characteristicIdeal.ts';
import { type RationalRoot, rationalRoots } from './rationalRoots.ts';

/** Options of {@link bFunction}: the Gröbner options, the method and the degree limit of the linear-algebra search. */
export interface BFunctionOptions extends GbOptions {
  /**
   * How b is found. 'auto' (default): the linear-algebra search up to degree `linearAlgebraDegree`, then — for one
   * restricted variable — elimination, which has no degree bound and decides (NotHolonomicError only when
   * in_(−w,w)(I) ∩ Q[θ] = 0); for several restricted variables the search goes on up to `maxDegree`.
   * 'linearAlgebra': the search alone. 'elimination': elimination alone (one restricted variable only).
   */
  method?: 'auto' | 'linearAlgebra' | 'elimination';
  /**
   * A limit, not a verdict: the largest degree the linear-algebra search tries when elimination is not used (several
   * restricted variables, or method 'linearAlgebra'); reaching it throws LimitExceededError with limit 'maxDegree'
   * (default 200; the `hgm` option is --max-bfunction-degree).
   */
  maxDegree?: number;
  /** In 'auto' mode with one restricted variable: the degree after which elimination takes over (default 32). */
  linearAlgebraDegree?: number;
  /** Reuse a Gröbner basis for (−w, w) already computed (the restriction algorithm needs it too). */
  weightBasis?: WeightGroebnerResult;
  /**
   * Which grevlex Gröbner basis of J = in_(−w,w)(I) the normal forms use. 'initialForms' (default): the initial
   * forms themselves — they already are a grevlex Gröbner basis of J (see the comment in bFunction), which saves a
   * Buchberger run (~15% of the ReSin restriction). 'recompute': Buchberger on them, the cross-check the tests use.
   */
  initialIdealBasis?: 'recompute' | 'initialForms';
}

/** The b-function of a left ideal along t = 0 for a weight w, with its roots. */
export interface BFunctionResult {
  /** Ascending coefficients of b(s) ∈ Q[s], monic (the last one is 1). */
  coefficients: Rational[];
  /** b as an element of Q[s]. */
  polynomial: Poly<Rational>;
  /** The ring Q[s] of `polynomial`. */
  ring: PolyRing<Rational>;
  /** Compact text, e.g. "s^2-s". */
  text: string;
  /** Distinct rational roots, ascending, with multiplicities (non-linear factors over Q are ignored). */
  rationalRoots: RationalRoot[];
  /** Distinct integer roots, ascending. */
  integerRoots: bigint[];
  /** The largest integer root, or null when b has none. */
  s0: bigint | null;
  /** The Gröbner basis for (−w, w) the computation used (input to the restriction algorithm). */
  weightBasis: WeightGroebnerResult;
  /** The weight vector (−w on t, w on ∂t, 0 elsewhere) on (x, ∂) of D. */
  weight: number[];
  /** Which method found b: the linear-algebra search on normal forms, or elimination. */
  method: 'linearAlgebra' | 'elimination';
}

/**
 * The weight vector (u, v) = (−w, w) on the exponent layout [x_1..x_n, ∂_1..∂_n] of D, with w_i on the restricted
 * coordinates `tVars` and 0 on the others. Validates names and weights (positive integers).
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra } from '@holonomic-ntk/weyl-algebra';
 * import { restrictionWeight } from '@holonomic-ntk/restriction';
 * const D = new WeylAlgebra(QQ, ['x', 'y']);
 * restrictionWeight(D, ['x'], [1]); // → [-1, 0, 1, 0]
 * restrictionWeight(D, ['z'], [1]); // throws DomainError
 * ```
 */
export function restrictionWeight<T>(D: WeylAlgebra<T>, tVars: readonly string[], weights: readonly number[]): number[] {
  if (tVars.length === 0) throw new DomainError('restriction needs at least one variable t to restrict');
  if (tVars.length !== weights.length) throw new DomainError(`${tVars.length} restricted variables but ${weights.length} weights`);
  if (new Set(tVars).size !== tVars.length) throw new DomainError(`restricted variables repeat: ${tVars.join(', ')}`);
  if (D.isHomogenized || D.central.length > 0) throw new DomainError('restriction works in D itself (no h, no central variables)');
  const u = new Array<number>(2 * D.n).fill(0);
  tVars.forEach((t, k) => {
    const i = D.xNames.indexOf(t);
    if (i < 0) throw new DomainError(`"${t}" is not a coordinate of the Weyl algebra (${D.xNames.join(', ')})`);
    const w = weights[k]!;
    if (!Number.isSafeInteger(w) || w <= 0) throw new DomainError(`the weight of ${t} must be a positive integer, got ${w}`);
    u[i] = -w;
    u[D.n + i] = w;
  });
  return u;
}

/**
 * The b-function of a holonomic left ideal I = D·gens along t = 0 for the weight w (MATH.md §3, [SST] 5.1): the
 * monic generator of in_(−w,w)(I) ∩ Q[θ_w], θ_w = Σ w_i t_i ∂t_i, written b(s) with s standing for θ_w.
 *
 * G is a Gröbner basis of I for (−w, w) (computed in D^(h)); b is the minimal polynomial of θ_w modulo the left
 * ideal J = in_(−w,w)(I): r_0 = 1, r_k = NF(θ_w·r_(k−1)), and the first Q-linear dependency among r_0..r_k is b.
 * Normal forms are taken for grevlex, a well-order, with a reduced Gröbner basis of J computed from the initial
 * forms (see the comment in the body for why that basis is recomputed).
 *
 * For one restricted variable, a search that reaches degree `linearAlgebraDegree` hands over to elimination
 * (bFunctionByElimination, no degree bound), which either finds b or proves there is none: NotHolonomicError is
 * thrown only then. For several restricted variables the search is bounded by `maxDegree`; reaching it, the
 * characteristic ideal decides: NotHolonomicError if its dimension exceeds n (a proof), else LimitExceededError
 * (limit 'maxDegree': b exists but has a larger degree) — a limit, never a guess. LimitExceededError and the AbortSignal's
 * reason also propagate from the Gröbner computations.
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { bFunction } from '@holonomic-ntk/restriction';
 * const D = new WeylAlgebra(QQ, ['x', 'y']);
 * const b = bFunction(D, parseOperators(D, 'x*dx-1; y*dy-1'), ['x'], [1]);
 * b.text; // → 's-1'
 * b.integerRoots; // → [1n]
 * b.s0; // → 1n
 * b.rationalRoots.map((r) => r.root.toString()); // → ['1']
 * ```
 */
export function bFunction(
  D: WeylAlgebra<Rational>,
  gens: readonly Poly<Rational>[],
  tVars: readonly string[],
  weights: readonly number[],
  options: BFunctionOptions = {},
): BFunctionResult {
  const weight = restrictionWeight(D, tVars, weights);
  const method = options.method ?? 'auto';
  const maxDegree = options.maxDegree ?? 200;
  if (!Number.isSafeInteger(maxDegree) || maxDegree < 0) throw new DomainError(`maxDegree must be a nonnegative integer, got ${maxDegree}`);
  if (method === 'elimination' && tVars.length !== 1) {
    throw new DomainError(`the elimination method restricts one variable at a time, got ${tVars.length} (${tVars.join(', ')})`);
  }
  const weightBasis = options.weightBasis ?? weightGroebnerBasis(D, gens, weight, options);
  if (options.weightBasis && !sameWeight(options.weightBasis.weight, weight)) {
    throw new DomainError(`the given weight basis is for (${options.weightBasis.weight.join(',')}), not for (${weight.join(',')})`);
  }
  // Normal forms need a well-order; the weight order (−w,w) is not one. Why the initial forms are nevertheless a
  // grevlex Gröbner basis of J: J is (−w,w)-homogeneous, so lm_grevlex of a homogeneous f ∈ J is its leading
  // monomial for "(−w,w) refined by grevlex", f = in(F) for some F ∈ I, and lm(F) is divisible by some lm(g), g ∈ G,
  // which is lm_grevlex(in g). A non-homogeneous f ∈ J: J contains its (−w,w)-homogeneous parts, and lm_grevlex(f) is
  // lm_grevlex of one of them. The tests recompute the basis ('recompute') and check both modes agree.
  const Dg = new WeylAlgebra(QQ, D.pairs(), { order: grevlex });
  const forms = weightBasis.initialForms.map((g) => Dg.convert(g));
  const J = options.initialIdealBasis === 'recompute' ? groebnerBasis(Dg, forms, options) : forms;
  const budget = new Budget(options);

  // θ_w = Σ w_i t_i ∂t_i in Dg.
  let theta = Dg.zero;
  tVars.forEach((t, k) => {
    const i = D.xNames.indexOf(t);
    const m = new Array<number>(2 * D.n).fill(0);
    m[i] = 1;
    m[D.n + i] = 1;
    theta = Dg.add(theta, Dg.monomial(m, Rational.int(weights[k]!)));
  });

  let coefficients: Rational[] | null = null;
  const eliminate = tVars.length === 1 && method !== 'linearAlgebra';
  if (method !== 'elimination') {
    const cap = eliminate ? Math.min(maxDegree, options.linearAlgebraDegree ?? 32) : maxDegree;
    coefficients = minimalPolynomial(Dg, theta, J, cap, budget);
    if (coefficients === null && !eliminate) {
      // No elimination here: decide what can be decided. A non-holonomic ideal is reported as such (a proof: the
      // characteristic variety is too big); a holonomic one has a b-function (Kashiwara), of degree > maxDegree.
      const ch = characteristicIdeal(D, gens, options);
      if (!ch.isHolonomic) {
        throw new NotHolonomicError(
          `the ideal is not holonomic: its characteristic variety has dimension ${ch.dimension} > ${D.n} (the b-function search along ${tVars.join(', ')} stopped at degree ${maxDegree})`,
        );
      }
      throw new LimitExceededError(
        `the b-function search along ${tVars.join(', ')} reached degree ${maxDegree} without finding b; the ideal is holonomic, so b exists (a limit, not a verdict: raise maxDegree, or --max-bfunction-degree on the command line)`,
        'maxDegree',
        maxDegree,
      );
    }
  }
  const found: BFunctionResult['method'] = coefficients === null ? 'elimination' : 'linearAlgebra';
  if (coefficients === null) {
    // θ_w = w·θ: b_w(s) = b(s/w), made monic.
    const b = bFunctionByElimination(D, weightBasis.initialForms, tVars[0]!, options);
    const w = Rational.int(weights[0]!);
    const scaled = b.map((c, j) => c.div(w.pow(j)));
    const lead = scaled[scaled.length - 1]!;
    coefficients = scaled.map((c) => c.div(lead));
  }
  return { ...univariateParts(coefficients), weightBasis, weight, method: found };
}

/** The fields of a b-function result that follow from its monic coefficients: the polynomial, its text and roots. */
export type UnivariateParts = Pick<BFunctionResult, 'coefficients' | 'polynomial' | 'ring' | 'text' | 'rationalRoots' | 'integerRoots' | 's0'>;

/**
 * {@link UnivariateParts} of b(s) from its ascending coefficients (shared with the module b-function).
 *
 * For example `univariateParts([Rational.int(0), Rational.int(-1), Rational.int(1)]).s0` gives 1n (b = s² − s).
 */
export function univariateParts(coefficients: Rational[]): UnivariateParts {
  const ring = new PolyRing(QQ, ['s']);
  const polynomial = ring.fromTerms(
    coefficients.map((_, i) => [i]),
    coefficients,
  );
  const roots = rationalRoots(coefficients);
  const integerRoots = roots.filter((r) => r.root.isInteger()).map((r) => r.root.num);
  return {
    coefficients,
    polynomial,
    ring,
    text: polyToText(ring.vars, QQ, polynomial, { compact: true }),
    rationalRoots: roots,
    integerRoots,
    s0: integerRoots.length > 0 ? integerRoots[integerRoots.length - 1]! : null,
  };
}

function sameWeight(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The monic minimal polynomial of θ acting by left multiplication on Dg/J: incremental Gaussian elimination over Q
 * on the normal forms r_k, each row remembering which combination of r_0..r_k it is; null when there is none of
 * degree ≤ maxDegree.
 */
export function minimalPolynomial(
  Dg: WeylAlgebra<Rational>,
  theta: Poly<Rational>,
  J: readonly Poly<Rational>[],
  maxDegree: number,
  budget: Budget,
): Rational[] | null {
  // Echelon rows: a sparse vector over monomials with its pivot (first key in sort order), and the combination.
  interface Row {
    pivot: string;
    vec: Map<string, Rational>;
    combo: Rational[];
  }
  const rows: Row[] = [];
  const key = (m: Monomial) => m.join(',');
  let r = normalForm(Dg, Dg.one, J);
  for (let k = 0; k <= maxDegree; k++) {
    budget.check({ stage: 'b-function', pairsDone: k, pairsLeft: maxDegree - k, basisSize: rows.length, degree: k });
    const vec = new Map<string, Rational>();
    for (let i = 0; i < r.monos.length; i++) vec.set(key(r.monos[i]!), r.coeffs[i]!);
    const combo = new Array<Rational>(k + 1).fill(Rational.ZERO);
    combo[k] = Rational.ONE;
    for (const row of rows) {
      const c = vec.get(row.pivot);
      if (c === undefined) continue;
      // vec ← vec − c·row (the row is normalized to pivot coefficient 1).
      for (const [m, v] of row.vec) {
        const nv = (vec.get(m) ?? Rational.ZERO).sub(c.mul(v));
        if (nv.isZero()) vec.delete(m);
        else vec.set(m, nv);
      }
      row.combo.forEach((v, j) => (combo[j] = combo[j]!.sub(c.mul(v))));
    }
    if (vec.size === 0) return combo; // Σ combo_j r_j = 0 with combo_k = 1: b(s) = Σ combo_j s^j, monic.
    const pivot = vec.keys().next().value as string;
    const inv = vec.get(pivot)!.inv();
    for (const [m, v] of vec) vec.set(m, v.mul(inv));
    rows.push({ pivot, vec, combo: combo.map((v) => v.mul(inv)) });
    if (k === maxDegree) break;
    r = normalForm(Dg, Dg.mul(theta, r), J);
  }
  return null; // no dependency up to maxDegree: the caller decides (elimination, or a limit error)
}

/** s0 as a safe JavaScript integer for enumerations; LimitExceededError when it is absurdly large. */
export function s0AsNumber(s0: bigint, limit = 1000): number {
  if (s0 > BigInt(limit)) {
    throw new LimitExceededError(
      `the largest integer root of the b-function is ${s0}; the restriction module would need all ∂t^β with w·β ≤ ${s0} (limit ${limit})`,
      's0',
      limit,
    );
  }
  return Number(s0);
}
