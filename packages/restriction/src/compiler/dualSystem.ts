import { type GbOptions, RationalWeylIdeal, integrabilityDefects, pfaffianSystem } from '@holonomic-ntk/groebner';
import {
  DomainError,
  NotHolonomicError,
  type Poly,
  PolyRing,
  QQ,
  type Rational,
  type RationalFunction,
  type RationalFunctionField,
  type WeylAlgebra,
  operatorToText,
  parseOperator,
  polyToText,
} from '@holonomic-ntk/weyl-algebra';
import { type RestrictionIdeal, restrictionIdeal } from '../restrictionIdeal.ts';
import { DUAL_ALGEBRA, TRANSFER_SOURCE_ALGEBRA, activationOperatorText, dualIntegralIdeal, parseActivationOperator } from './transferRule.ts';
import { singularLocus, spuriousFactors } from './singularLocus.ts';

/** The coordinates of the restricted system, in the order of the artifact's `variables`. */
/** The variables of x = −½Λ⁻¹, in the order of the artifact. */
export type DualVariable = 'x11' | 'x12' | 'x22';
export const DUAL_VARIABLES: readonly ['x11', 'x12', 'x22'] = ['x11', 'x12', 'x22'];

/**
 * Candidate ∂-orders for the default basis, most preferred first. The standard monomials are those of the
 * degrevlex order on the derivations in this sequence (the last one is the smallest), so putting ∂12 last keeps
 * powers of ∂12 standard: the HGM starts on x12 = 0 and integrates along x12, and a basis such as [1, ∂22]
 * for ReLU has a spurious pole at x12 = 0 (MATH.md §4) while [1, ∂12] has none.
 */
export const DEFAULT_DERIVATION_ORDERS: readonly (readonly string[])[] = [
  ['dx11', 'dx22', 'dx12'],
  ['dx22', 'dx11', 'dx12'],
  ['dx11', 'dx12', 'dx22'],
  ['dx22', 'dx12', 'dx11'],
  ['dx12', 'dx11', 'dx22'],
  ['dx12', 'dx22', 'dx11'],
];

export interface DualSystemOptions extends GbOptions {
  /**
   * A basis of the quotient instead of the standard monomials: operator texts in x11, x12, x22, dx11, dx12, dx22
   * (normally ordered, e.g. `1`, `dx12`, `x11*dx11+dx22`); it must contain `1` and have rank many elements.
   */
  basis?: readonly string[];
  /** ∂-orders to try for the default basis (first without spurious poles wins). Default `DEFAULT_DERIVATION_ORDERS`. */
  derivationOrders?: readonly (readonly string[])[];
  /** Check ∂_j P_i − ∂_i P_j + P_i P_j − P_j P_i = 0 exactly (default true); a failure throws. */
  checkIntegrability?: boolean;
  /** Reuse a restriction computed before (e.g. the same operator for σ and σ̇). */
  restriction?: RestrictionIdeal & { text: string[] };
  /**
   * Annihilator Q(v, ∂v) of the v-factor ψ when it differs from the u-factor's P (a mixed integrand φ(u)ψ(v), e.g.
   * two pieces of a piecewise activation, see `dualSystemsOfPieces`); text in u, du or a parsed operator. Default P.
   */
  vOperator?: string | Poly<Rational>;
}

/** One term coeff(x)·∂11^i ∂12^j ∂22^k of a basis element. */
export interface BasisTerm {
  i: number;
  j: number;
  k: number;
  /** A polynomial in x11, x12, x22 (1 for a monomial basis element). */
  coeff: Poly<Rational>;
}

export interface BasisElement {
  /** `1`, `dx12`, `dx11^2*dx12` for monomials; the operator text otherwise. */
  label: string;
  terms: BasisTerm[];
}

/** The restricted system of one annihilator and its Pfaffian for the chosen basis. */
export interface DualSystem {
  /** Normally ordered text of P(u, ∂u). */
  annihilator: string;
  /** Normally ordered text of Q (written in u, du) when the v-factor has its own annihilator (`vOperator`). */
  vAnnihilator?: string;
  /** The restriction ideal of I1 to y = 0 (kind 'ideal'). */
  restriction: RestrictionIdeal & { text: string[] };
  /** The ideal over R = Q(x)⟨∂11, ∂12, ∂22⟩ for the ∂-order that gave the basis. */
  ideal: RationalWeylIdeal;
  /** The ∂-order (degrevlex, last smallest) of `ideal`; the user basis, if any, is expressed through it. */
  derivationOrder: string[];
  rank: number;
  basis: BasisElement[];
  /** P_v for v = x11, x12, x22: row k = coordinates of ∂_v·s_k. */
  matrices: Record<DualVariable, RationalFunction[][]>;
  field: RationalFunctionField;
  /** Coprime factors of all denominators (see `singularLocus`). */
  singularLocus: string[];
  /** Factors of the singular locus flagged by `spuriousFactors` (empty for a good basis). */
  spurious: string[];
  /** Integrability checked exactly (undefined when the check was switched off). */
  integrable?: boolean;
  /** Wall-clock seconds per stage (volatile). */
  seconds: { restriction: number; groebner: number; pfaffian: number; integrability: number };
}

const seconds = (t0: number) => (performance.now() - t0) / 1000;

/**
 * The restriction of I1 = ⟨ι(P(u,∂u)), ι(Q(v,∂v)), heat equations⟩ to y1 = y2 = 0 for the weight (1, 1, 0, 0, 0)
 * ([SST] 5.2.12, MATH.md §3, §5): a holonomic ideal in D_{x11,x12,x22} annihilating F(x) for φ, ψ annihilated by
 * P, Q. Throws `NotHolonomicError` when the answer is degenerate (unit ideal: F ≡ 0 for every such φ; zero ideal:
 * nothing annihilates F).
 *
 * For example:
 * restrictDualIdeal(parseActivationOperator('u*du-1')).text;
 * // ['dx12^2-4*dx11*dx22', 'x12*dx12+2*x22*dx22+2', 'x11*dx11-x22*dx22', …]
 */
export function restrictDualIdeal(P: Poly<Rational>, Q: Poly<Rational> = P, options: GbOptions = {}): RestrictionIdeal & { text: string[] } {
  const r = restrictionIdeal(DUAL_ALGEBRA, dualIntegralIdeal(P, Q), ['y1', 'y2'], [1, 1], options);
  if (r.kind !== 'ideal') {
    const what = activationOperatorText(P) + (Q === P ? '' : ` / ${activationOperatorText(Q)}`);
    throw new NotHolonomicError(
      `the restriction of the dual system of ${what} to y = 0 is the ${r.kind} ideal (${r.reason ?? 'no reason given'}); no Pfaffian system`,
    );
  }
  return r;
}

/**
 * The dual-activation system of the annihilator P (text in u, du, or a parsed operator): restriction to y = 0,
 * Gröbner basis over Q(x)⟨∂⟩, rank, Pfaffian matrices for the default basis (standard monomials of the first
 * ∂-order in `derivationOrders` whose singular locus has no spurious factor; otherwise the one with the fewest)
 * or for `options.basis`, singular locus, exact integrability check.
 *
 * @example
 * ```ts
 * import { dualSystem } from '@holonomic-ntk/restriction';
 * const relu = dualSystem('u*du-1');
 * relu.rank; // → 2
 * relu.basis.map((b) => b.label); // → ['1', 'dx12']
 * relu.matrices.x12[1][0].toString(); // → '-4/(x12^2-x11*x22)'
 * relu.singularLocus; // → ['x11', 'x22', 'x12^2-x11*x22']
 * ```
 */
export function dualSystem(P: string | Poly<Rational>, options: DualSystemOptions = {}): DualSystem {
  const op = typeof P === 'string' ? parseActivationOperator(P) : P;
  const vOp = options.vOperator === undefined ? op : typeof options.vOperator === 'string' ? parseActivationOperator(options.vOperator) : options.vOperator;
  const mixed = !TRANSFER_SOURCE_ALGEBRA.eq(op, vOp);
  const gb: GbOptions = pickGbOptions(options);
  let t0 = performance.now();
  const restriction = options.restriction ?? restrictDualIdeal(op, mixed ? vOp : op, gb);
  const tRestriction = options.restriction ? 0 : seconds(t0);
  const Dx = restriction.algebra;

  const orders = options.basis ? [(options.derivationOrders ?? DEFAULT_DERIVATION_ORDERS)[0]!] : (options.derivationOrders ?? DEFAULT_DERIVATION_ORDERS);
  let best: Omit<DualSystem, 'annihilator' | 'restriction' | 'integrable' | 'seconds'> | undefined;
  let bestFactors: Poly<bigint>[] = [];
  let tGroebner = 0;
  let tPfaffian = 0;
  for (const order of orders) {
    t0 = performance.now();
    const ideal = RationalWeylIdeal.compute(Dx, restriction.generators, { ...gb, derivations: order });
    const rank = ideal.rank; // throws NotHolonomicError for infinite rank
    if (rank === 0) throw new NotHolonomicError('the restricted ideal is the unit ideal over Q(x)⟨∂⟩ (rank 0): F would vanish');
    tGroebner += seconds(t0);
    t0 = performance.now();
    const userBasis = options.basis?.map((text) => parseOperator(Dx, text));
    if (userBasis && !userBasis.some((b) => Dx.eq(b, Dx.one))) throw new DomainError(`the basis must contain 1 (F itself); got ${options.basis!.join(', ')}`);
    const sys = pfaffianSystem(ideal, userBasis, gb);
    const byName = new Map(sys.variables.map((v, i) => [v, sys.matrices[i]!]));
    const matrices = Object.fromEntries(DUAL_VARIABLES.map((v) => [v, byName.get(v)!])) as Record<DualVariable, RationalFunction[][]>;
    const basis = userBasis ? userBasis.map((b) => basisElement(Dx, b)) : ideal.standardMonomials().map((e) => monomialElement(order, e));
    const locus = singularLocus(DUAL_VARIABLES.map((v) => matrices[v]));
    const spurious = spuriousFactors(locus.ring, locus.factors).map((f) => polyToText(locus.ring.vars, locus.ring.domain, f, { compact: true }));
    tPfaffian += seconds(t0);
    const candidate = { ideal, derivationOrder: order.slice(), rank, basis, matrices, field: sys.field, singularLocus: locus.text, spurious };
    if (!best || spurious.length < best.spurious.length) {
      best = candidate;
      bestFactors = locus.factors;
    }
    if (spurious.length === 0) break;
  }
  const chosen = best!;
  t0 = performance.now();
  let integrable: boolean | undefined;
  if (options.checkIntegrability ?? true) {
    const defects = integrabilityDefects(
      {
        variables: DUAL_VARIABLES.slice(),
        basis: chosen.basis.map((b) => b.label),
        rank: chosen.rank,
        matrices: DUAL_VARIABLES.map((v) => chosen.matrices[v]),
        field: chosen.field,
      },
      { denominatorFactors: bestFactors },
    );
    if (defects.length > 0) {
      throw new DomainError(
        `the Pfaffian system is not integrable for (${defects.map((d) => `${d.i}, ${d.j}`).join('; ')}): a bug in the Gröbner basis or the basis change`,
      );
    }
    integrable = true;
  }
  const tIntegrability = seconds(t0);
  return {
    annihilator: activationOperatorText(op),
    ...(mixed ? { vAnnihilator: activationOperatorText(vOp) } : {}),
    restriction,
    ...chosen,
    ...(integrable === undefined ? {} : { integrable }),
    seconds: { restriction: tRestriction, groebner: tGroebner, pfaffian: tPfaffian, integrability: tIntegrability },
  };
}

function pickGbOptions(o: GbOptions): GbOptions {
  return {
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    ...(o.limits ? { limits: o.limits } : {}),
    ...(o.strategy ? { strategy: o.strategy } : {}),
  };
}

/** `dx11^i*dx12^j*dx22^k` (factors with exponent 0 left out; `1` for none): the artifact's monomial labels. */
export function monomialLabel(i: number, j: number, k: number): string {
  const parts: string[] = [];
  (
    [
      ['dx11', i],
      ['dx12', j],
      ['dx22', k],
    ] as const
  ).forEach(([name, e]) => {
    if (e === 1) parts.push(name);
    else if (e > 1) parts.push(`${name}^${e}`);
  });
  return parts.length ? parts.join('*') : '1';
}

const X_RING = new PolyRing(QQ, DUAL_VARIABLES);

/** A standard monomial (exponents in the order of `derivations`) as a basis element. */
function monomialElement(derivations: readonly string[], e: readonly number[]): BasisElement {
  const exp = (name: string) => e[derivations.indexOf(name)] ?? 0;
  const [i, j, k] = [exp('dx11'), exp('dx12'), exp('dx22')];
  return { label: monomialLabel(i, j, k), terms: [{ i, j, k, coeff: X_RING.one }] };
}

/** A user basis operator Σ c_β(x) ∂^β (normally ordered) as a basis element: one term per ∂-monomial. */
function basisElement(Dx: WeylAlgebra<Rational>, b: Poly<Rational>): BasisElement {
  const n = Dx.n;
  const xIdx = DUAL_VARIABLES.map((v) => Dx.xNames.indexOf(v));
  const dIdx = DUAL_VARIABLES.map((v) => Dx.dNames.indexOf(`d${v}`));
  const groups = new Map<string, { i: number; j: number; k: number; monos: number[][]; coeffs: Rational[] }>();
  b.monos.forEach((m, t) => {
    const [i, j, k] = dIdx.map((d) => m[n + d]!);
    const key = `${i},${j},${k}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { i: i!, j: j!, k: k!, monos: [], coeffs: [] }));
    g.monos.push(xIdx.map((x) => m[x]!));
    g.coeffs.push(b.coeffs[t]!);
  });
  const terms = [...groups.values()].map((g) => ({ i: g.i, j: g.j, k: g.k, coeff: X_RING.fromTerms(g.monos, g.coeffs) }));
  const isMonomial = terms.length === 1 && X_RING.isConstant(terms[0]!.coeff) && X_RING.constantCoeff(terms[0]!.coeff).isOne();
  const t0 = terms[0]!;
  return { label: isMonomial ? monomialLabel(t0.i, t0.j, t0.k) : operatorToText(Dx, b, { compact: true }), terms };
}
