/**
 * Piecewise activations by linearity (issue 11): σ = Σ c_i σ_i gives E[σ(u)σ(v)] = Σ_{i,j} c_i c_j E[σ_i(u)σ_j(v)],
 * and each mixed integrand σ_i(u)σ_j(v) is annihilated by the ideal I1 of the PAIR (P_i for u, P_j for v), whose
 * restriction is small, while the annihilator of the whole σ (the LCLM of the pieces') has a solution space holding
 * every combination of the pieces, a dual system of far larger rank, and a weight Gröbner basis that does not finish
 * (ELU: u∂³ − u∂², minutes; its pieces u·Y(u), e^u·Y(−u), Y(−u): order 1, milliseconds).
 *
 * `activationPieces` expands a formula into a sum of products of atoms (distributing products over sums, the a.e.
 * derivative by the product rule), takes the annihilator of each term and merges the terms with the same annihilator
 * into one piece (e.g. leaky ReLU u·Y(u) + u·Y(−u)/10 stays one piece, u∂ − 1). `dualSystemsOfPieces` derives the
 * system of every unordered pair {i, j}: E[σ_j(u)σ_i(v)] is E[σ_i(u)σ_j(v)] with a ↔ b (x11 ↔ x22).
 */
import { DomainError, type Poly, Rational } from '@holonomic-ntk/weyl-algebra';
import { deriveFromFormula, formulaKinks } from '../annihilators/activationAnnihilator.ts';
import { U_POLY } from '../annihilators/algebra.ts';
import { assertAnnihilates } from '../annihilators/distributionCheck.ts';
import { type Formula, formulaToText, parseFormula } from '../annihilators/formula.ts';
import { evaluateFormula } from '../annihilators/taylor.ts';
import { type DualSystem, type DualSystemOptions, dualSystem } from './dualSystem.ts';

/** One piece σ_i of σ = Σ σ_i (coefficients included in the piece) with its annihilator as a distribution. */
export interface ActivationPiece {
  /** The piece as a formula (canonical text), e.g. `-heaviside(-u)`. */
  formula: string;
  /** Annihilator of the piece in Q⟨u, ∂u⟩, numerically checked as a distribution. */
  operator: Poly<Rational>;
  text: string;
  /** Kinks of the piece (for quadratures). */
  kinks: number[];
}

/** A term c · Π factors of the expansion; factors are atoms (poly, call, diff of an atom). */
interface Term {
  coef: Rational;
  factors: Formula[];
}

const COL = 0;

/** σ as Σ c·Π atoms: products distributed over sums, powers multiplied out, constants collected. */
function expand(f: Formula): Term[] {
  switch (f.kind) {
    case 'poly': {
      if (U_POLY.isConstant(f.poly)) {
        const c = U_POLY.constantCoeff(f.poly);
        return c.isZero() ? [] : [{ coef: c, factors: [] }];
      }
      return [{ coef: Rational.ONE, factors: [f] }];
    }
    case 'call':
      return [{ coef: Rational.ONE, factors: [f] }];
    case 'scale':
      return expand(f.operand).map((t) => ({ coef: t.coef.mul(f.factor), factors: t.factors }));
    case 'sum':
      return f.terms.flatMap(expand);
    case 'product':
      return f.factors.map(expand).reduce(multiply, [{ coef: Rational.ONE, factors: [] }]);
    case 'power': {
      const base = expand(f.base);
      let out: Term[] = [{ coef: Rational.ONE, factors: [] }];
      for (let k = 0; k < f.exponent; k++) out = multiply(out, base);
      return out;
    }
    case 'diff':
      return expand(f.operand).flatMap(differentiate);
  }
}

function multiply(a: Term[], b: Term[]): Term[] {
  return a.flatMap((s) => b.map((t) => ({ coef: s.coef.mul(t.coef), factors: [...s.factors, ...t.factors] })));
}

/** The a.e. derivative of c·Π f_k by the product rule; heaviside contributes 0 (no δ: the NTK's σ̇). */
function differentiate(t: Term): Term[] {
  const out: Term[] = [];
  t.factors.forEach((f, k) => {
    const rest = t.factors.filter((_, j) => j !== k);
    for (const d of atomDerivative(f)) out.push({ coef: t.coef.mul(d.coef), factors: [...rest, ...d.factors] });
  });
  return out;
}

function atomDerivative(f: Formula): Term[] {
  const poly = (p: Poly<Rational>): Formula => ({ kind: 'poly', poly: p, column: COL });
  const d = (p: Poly<Rational>) => U_POLY.diff(p, 0);
  if (f.kind === 'poly') return expand(poly(d(f.poly)));
  if (f.kind === 'call') {
    const dp = expand(poly(d(f.arg)));
    const with_ = (g: Formula, s: Rational) => dp.map((t) => ({ coef: t.coef.mul(s), factors: [...t.factors, g] }));
    switch (f.fn) {
      case 'heaviside':
        return [];
      case 'exp':
        return with_(f, Rational.ONE);
      case 'sin':
        return with_({ ...f, fn: 'cos' }, Rational.ONE);
      case 'cos':
        return with_({ ...f, fn: 'sin' }, Rational.MINUS_ONE);
      default:
        break; // erf, Phi: the derivative has an irrational constant; keep diff(atom) as an atom
    }
  }
  return [{ coef: Rational.ONE, factors: [{ kind: 'diff', operand: f, column: COL }] }];
}

function termFormula(t: Term): Formula {
  const prod: Formula =
    t.factors.length === 0
      ? { kind: 'poly', poly: U_POLY.one, column: COL }
      : t.factors.length === 1
        ? t.factors[0]!
        : { kind: 'product', factors: t.factors, column: COL };
  return t.coef.isOne() ? prod : { kind: 'scale', factor: t.coef, operand: prod, column: COL };
}

/** Terms with the same product (as text, factors sorted) added up; zero terms dropped. */
function collect(terms: Term[]): Term[] {
  const byKey = new Map<string, Term>();
  for (const t0 of terms) {
    // Polynomial factors multiplied into one (u·u → u^2), so equal products compare equal.
    const polys = t0.factors.filter((f) => f.kind === 'poly');
    const merged =
      polys.length > 1
        ? [{ kind: 'poly' as const, poly: polys.map((f) => (f as { poly: Poly<Rational> }).poly).reduce((a, b) => U_POLY.mul(a, b)), column: COL }]
        : polys;
    const t = { coef: t0.coef, factors: [...merged, ...t0.factors.filter((f) => f.kind !== 'poly')] };
    const factors = t.factors
      .map((f) => ({ f, k: formulaToText(f) }))
      .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
      .map((e) => e.f);
    const key = formulaToText(termFormula({ coef: Rational.ONE, factors }));
    const old = byKey.get(key);
    byKey.set(key, { coef: old ? old.coef.add(t.coef) : t.coef, factors });
  }
  return [...byKey.values()].filter((t) => !t.coef.isZero());
}

/**
 * A normal form of a formula as a sum of products (products distributed, factors sorted, like terms collected,
 * terms sorted): two spellings of one σ get the same text, e.g. to find a formula in a catalogue.
 *
 * @example
 * ```ts
 * import { formulaNormalForm } from '@holonomic-ntk/restriction';
 * formulaNormalForm('cos(u) * heaviside(u)') === formulaNormalForm('heaviside(u)*cos(u)'); // → true
 * formulaNormalForm('u*(heaviside(u) + 1) - u') === formulaNormalForm('heaviside(u)*u'); // → true
 * ```
 */
export function formulaNormalForm(formula: string): string {
  const texts = collect(expand(parseFormula(formula))).map((t) => formulaToText(termFormula(t)));
  return texts.sort().join(' + ') || '0';
}

/**
 * The pieces of σ (`which: 'sigma'`) or of its a.e. derivative σ̇ (`'dsigma'`), each with a numerically checked
 * annihilator; pieces that vanish almost everywhere are dropped (an empty list: σ̇ = 0 a.e., e.g. a step).
 *
 * @example
 * ```ts
 * import { activationPieces } from '@holonomic-ntk/restriction';
 * // ELU = u·Y(u) + e^u·Y(−u) − Y(−u): three pieces with first-order annihilators instead of one of order 3.
 * activationPieces('u*heaviside(u) + heaviside(-u)*(exp(u)-1)').map((p) => p.text); // → ['u*du - 1', 'u*du - u', 'u*du']
 * activationPieces('heaviside(u-1)', 'dsigma'); // → []
 * ```
 */
export function activationPieces(formula: string, which: 'sigma' | 'dsigma' = 'sigma'): ActivationPiece[] {
  const f = parseFormula(formula);
  const terms = collect(which === 'sigma' ? expand(f) : expand(f).flatMap(differentiate));
  const groups = new Map<string, { operator: Poly<Rational>; terms: Term[] }>();
  for (const t of terms) {
    const derived = deriveFromFormula(termFormula(t));
    if (derived.text.replace(/\s+/g, '') === '1') continue; // zero a.e.
    const g = groups.get(derived.text);
    if (g) g.terms.push(t);
    else groups.set(derived.text, { operator: derived.operator, terms: [t] });
  }
  return [...groups.entries()].map(([text, g]) => {
    const pf: Formula = g.terms.length === 1 ? termFormula(g.terms[0]!) : { kind: 'sum', terms: g.terms.map(termFormula), column: COL };
    const kinks = formulaKinks(pf);
    const canonical = formulaToText(pf);
    assertAnnihilates(g.operator, (u) => evaluateFormula(pf, u), canonical, { kinks });
    return { formula: canonical, operator: g.operator, text, kinks };
  });
}

/** The system of the mixed integrand σ_i(u)σ_j(v) (i ≤ j), for the pieces `pieces[i]`, `pieces[j]`. */
export interface PieceSystem {
  i: number;
  j: number;
  system: DualSystem;
}

/**
 * The dual systems of every unordered pair of pieces: for i ≤ j the restriction of I1(P_i, P_j) and its Pfaffian.
 * `onPair(i, j)` is called before each pair is derived (for progress displays).
 * E[σ(u)σ(v)] = Σ_i E[σ_i σ_i] + Σ_{i<j} (E_Λ[σ_i(u)σ_j(v)] + E_Λ'[σ_i(u)σ_j(v)]), Λ' = Λ with a ↔ b.
 *
 * @example
 * ```ts
 * import { activationPieces, dualSystemsOfPieces } from '@holonomic-ntk/restriction';
 * // Leaky ReLU is one piece (u∂ − 1), so one pair: the ReLU system of rank 2.
 * dualSystemsOfPieces(activationPieces('1/10*u + 9/10*u*heaviside(u)')).map((s) => [s.i, s.j, s.system.rank]); // → [[0, 0, 2]]
 * dualSystemsOfPieces([]); // throws DomainError
 * ```
 */
export function dualSystemsOfPieces(
  pieces: readonly ActivationPiece[],
  options: DualSystemOptions = {},
  onPair?: (i: number, j: number) => void,
): PieceSystem[] {
  if (pieces.length === 0) throw new DomainError('no pieces: the activation vanishes almost everywhere');
  const out: PieceSystem[] = [];
  for (let i = 0; i < pieces.length; i++) {
    for (let j = i; j < pieces.length; j++) {
      onPair?.(i, j);
      const { basis: _b, ...rest } = options;
      out.push({ i, j, system: dualSystem(pieces[i]!.operator, { ...rest, ...(i === j ? {} : { vOperator: pieces[j]!.operator }) }) });
    }
  }
  return out;
}
