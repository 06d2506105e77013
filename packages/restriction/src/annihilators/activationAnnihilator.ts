/**
 * The entry point: an activation given by built-in name, by formula, or by an annihilating operator → an operator
 * P(u, ∂u) annihilating σ as a distribution, and one for σ̇, each checked numerically.
 *
 * σ̇ conventions (documented choice):
 * - from a formula or a built-in name: σ̇ is the almost-everywhere derivative (the one the NTK's E[σ̇σ̇] uses),
 *   i.e. the formula `diff(σ)`: for Y·g it is Y·g′, with no δ at the kink even when g(kink) ≠ 0; its annihilator
 *   is derived like σ's (derivative closure, then the kink factor q^k). `convention: 'almost-everywhere'`.
 * - from an operator only: all that is known is P, so σ̇ is the distributional derivative ∂σ, annihilated by the
 *   ideal quotient (D·P : ∂) (operatorDerivative.ts). It differs from the a.e. one by δ-terms exactly when σ
 *   jumps at a kink (step: quotient u kills δ). `convention: 'distributional'`.
 */
import { DomainError, operatorToText, parseOperator, type Poly, type Rational } from '@holonomic-ntk/weyl-algebra';
import { ACTIVATION_ALGEBRA } from './algebra.ts';
import { builtinAnnihilator, type BuiltinAnnihilator } from './builtinActivations.ts';
import { closureAnnihilator, type ClosureOptions } from './closureRules.ts';
import { assertAnnihilates, type DistributionCheck, type DistributionCheckOptions } from './distributionCheck.ts';
import { formulaToText, parseFormula, type Formula } from './formula.ts';
import { distributionalAnnihilator, kinkPolynomial, type KinkReport } from './heavisideKinks.ts';
import { derivativeQuotient } from './operatorDerivative.ts';
import { normalizeOperator, polyOperatorToWeyl, primitivePolyOperator, weylToPolyOperator } from './ratOperator.ts';
import { realRoots } from './realRoots.ts';
import { evaluateFormula } from './taylor.ts';

/** σ as a function, with its kinks (where the quadrature must split). */
export interface SigmaFunction {
  sigma: (u: number) => number;
  kinks?: readonly number[];
}

export interface ActivationSpec {
  /** relu, step (heaviside), rectpow:m, resin, gelu, erf, phi. */
  name?: string;
  /** A formula in u, see formula.ts (e.g. `heaviside(u)*sin(u)`). */
  formula?: string;
  /** An annihilator of σ (text in u, du, or an element of ACTIVATION_ALGEBRA). With a formula it is checked. */
  operator?: string | Poly<Rational>;
  /** σ numerically, to check a bare operator. */
  sigma?: ((u: number) => number) | SigmaFunction;
}

export interface ActivationAnnihilatorOptions extends ClosureOptions {
  /** Check numerically as a distribution (default true). A failed check throws AnnihilatorError. */
  verify?: boolean;
  tolerance?: number;
  testFunctions?: DistributionCheckOptions['testFunctions'];
}

/** How an operator was obtained from a formula: the a.e. operator L and the kink factor q^k. */
export interface KinkDerivation {
  /** L, valid off the kinks (normalized, content 1). */
  smoothOperator: Poly<Rational>;
  smoothText: string;
  /** q (squarefree, vanishing at the kinks), as text; '1' if there are none. */
  kinkPolynomial: string;
  /** k in q^k·L. */
  exponent: number;
  kinks: KinkReport[];
}

export interface DerivedOperator {
  /** Element of ACTIVATION_ALGEBRA = Q⟨u, ∂u⟩, normalized (integer content 1, leading coefficient positive). */
  operator: Poly<Rational>;
  text: string;
  /** Present when derived from a formula. */
  derivation?: KinkDerivation;
  /** The numerical check; absent when nothing numerical is known about σ (operator only) or verify is false. */
  verified?: DistributionCheck;
}

export interface DsigmaAnnihilator extends DerivedOperator {
  convention: 'almost-everywhere' | 'distributional';
  derivedFrom: 'formula' | 'operator';
  /** From an operator: all generators of (D·P : ∂), `operator` being the first. */
  generators?: Poly<Rational>[];
  /** The formula of σ̇ (diff(σ)) when there is one. */
  formula?: string;
}

export interface ActivationAnnihilator extends DerivedOperator {
  derivedFrom: 'builtin' | 'formula' | 'operator';
  name?: string;
  /** The formula of σ (canonical text) when there is one. */
  formula?: string;
  dsigma: DsigmaAnnihilator;
}

/**
 * Annihilators of σ and σ̇ as distributions.
 *
 * @example
 * ```ts
 * import { activationAnnihilator } from '@holonomic-ntk/restriction';
 * const relu = activationAnnihilator({ formula: 'u*heaviside(u)' });
 * relu.text; // → 'u*du - 1'
 * relu.dsigma.text; // → 'u*du'
 * activationAnnihilator({ name: 'resin' }).text; // → 'u*du^2 + u'
 * activationAnnihilator({ operator: 'u*du - 1' }).dsigma.text; // → 'u*du'
 * activationAnnihilator({ formula: 'u*heaviside(u)', operator: 'u*du - 2' }); // throws AnnihilatorError
 * ```
 */
export function activationAnnihilator(spec: ActivationSpec, options: ActivationAnnihilatorOptions = {}): ActivationAnnihilator {
  if (spec.name !== undefined && spec.formula !== undefined) throw new DomainError('give either a built-in name or a formula, not both');
  if (spec.name === undefined && spec.formula === undefined && spec.operator === undefined) {
    throw new DomainError('an activation needs a name, a formula or an operator');
  }
  const D = ACTIVATION_ALGEBRA;
  const verify = options.verify ?? true;
  const checkOptions = (kinks: readonly number[]): DistributionCheckOptions => ({
    kinks,
    ...(options.tolerance !== undefined ? { tolerance: options.tolerance } : {}),
    ...(options.testFunctions !== undefined ? { testFunctions: options.testFunctions } : {}),
  });
  const builtin: BuiltinAnnihilator | undefined = spec.name !== undefined ? builtinAnnihilator(spec.name) : undefined;
  const formulaText = builtin?.formula ?? spec.formula;
  const userOperator = spec.operator === undefined ? undefined : typeof spec.operator === 'string' ? parseOperator(D, spec.operator) : spec.operator;
  if (userOperator !== undefined && userOperator.length === 0) throw new DomainError('the zero operator annihilates everything; give a nonzero operator');

  if (formulaText !== undefined) {
    const f = parseFormula(formulaText);
    const canonical = formulaToText(f);
    const numeric = builtin
      ? { sigma: builtin.sigma, dsigma: builtin.dsigma, kinks: builtin.kinks }
      : { sigma: (u: number) => evaluateFormula(f, u), dsigma: (u: number) => evaluateFormula(diffOf(f), u), kinks: formulaKinks(f) };
    const derived = deriveFromFormula(f, options);
    const dDerived = deriveFromFormula(diffOf(f), options);
    const opts = checkOptions(numeric.kinks);
    let main: DerivedOperator = derived;
    if (userOperator !== undefined) {
      main = { operator: primitiveOperator(userOperator), text: operatorToText(D, primitiveOperator(userOperator)) };
    }
    if (verify) {
      main = { ...main, verified: assertAnnihilates(main.operator, numeric.sigma, canonical, opts) };
    }
    const dsigma: DsigmaAnnihilator = {
      ...dDerived,
      convention: 'almost-everywhere',
      derivedFrom: 'formula',
      formula: `diff(${canonical})`,
      ...(verify ? { verified: assertAnnihilates(dDerived.operator, numeric.dsigma, `diff(${canonical})`, opts) } : {}),
    };
    return {
      ...main,
      derivedFrom: userOperator !== undefined ? 'operator' : builtin ? 'builtin' : 'formula',
      ...(builtin ? { name: builtin.name } : {}),
      formula: canonical,
      dsigma,
    };
  }

  // Operator only.
  const P = primitiveOperator(userOperator!);
  const sig = spec.sigma === undefined ? undefined : typeof spec.sigma === 'function' ? { sigma: spec.sigma, kinks: [] } : spec.sigma;
  const quotient = derivativeQuotient(P);
  const result: ActivationAnnihilator = {
    operator: P,
    text: operatorToText(D, P),
    derivedFrom: 'operator',
    dsigma: {
      operator: quotient.operator,
      text: operatorToText(D, quotient.operator),
      convention: 'distributional',
      derivedFrom: 'operator',
      generators: quotient.generators,
    },
  };
  if (verify && sig !== undefined) {
    const opts = checkOptions(sig.kinks ?? []);
    result.verified = assertAnnihilates(P, sig.sigma, 'the given function', opts);
    // Q kills ∂σ iff Q∂ kills σ (both as distributions), so σ itself checks the quotient.
    const Qd = D.mul(quotient.operator, D.gen('du'));
    result.dsigma.verified = assertAnnihilates(Qd, sig.sigma, 'the given function (checking Q*du for its derivative)', opts);
  }
  return result;
}

/**
 * The annihilator of a parsed formula as a distribution: closure rules in R (valid a.e.), normalization, then the
 * kink factor.
 *
 * For example:
 * deriveFromFormula(parseFormula('heaviside(u)*cos(u)')).text; // 'u^2*du^2 + u^2'
 */
export function deriveFromFormula(f: Formula, options: ClosureOptions = {}): DerivedOperator & { derivation: KinkDerivation } {
  const D = ACTIVATION_ALGEBRA;
  const L = normalizeOperator(closureAnnihilator(f, options));
  const dist = distributionalAnnihilator(f, L);
  const operator = polyOperatorToWeyl(dist.operator);
  const smooth = polyOperatorToWeyl(L);
  return {
    operator,
    text: operatorToText(D, operator),
    derivation: {
      smoothOperator: smooth,
      smoothText: operatorToText(D, smooth),
      kinkPolynomial: operatorToText(D, polyOperatorToWeyl([dist.kinkPolynomial])),
      exponent: dist.exponent,
      kinks: dist.kinks,
    },
  };
}

/**
 * The real kinks of a formula (zeros of its heaviside arguments).
 *
 * For example:
 * formulaKinks(parseFormula('heaviside(u^2 - 1)')); // [−1, 1]
 */
export function formulaKinks(f: Formula): number[] {
  return realRoots(kinkPolynomial(f));
}

/** diff(f), the almost-everywhere derivative. */
function diffOf(f: Formula): Formula {
  return { kind: 'diff', operand: f, column: f.column };
}

/** Integer content 1 and a positive leading coefficient, without touching polynomial factors. */
function primitiveOperator(P: Poly<Rational>): Poly<Rational> {
  return polyOperatorToWeyl(primitivePolyOperator(weylToPolyOperator(P)));
}
