/**
 * D-finite closure rules: the annihilator in R = Q(u)⟨∂u⟩ of a formula, valid almost everywhere (on every open
 * interval where the formula is smooth). heaviside(p) is locally constant off the real zeros of p, so it is
 * annihilated by ∂ there; heavisideKinks.ts then turns the result into an annihilator as a distribution.
 */
import { LimitExceededError, type Poly, type Rational, type RationalFunction } from '@holonomic-ntk/weyl-algebra';
import { U_FIELD, U_POLY } from './algebra.ts';
import { derivativeAnnihilator } from './derivativeClosure.ts';
import type { AtomFunction, Formula } from './formula.ts';
import { lclm } from './lclm.ts';
import { makeMonic, ratOrder } from './ratOperator.ts';
import { symmetricProduct } from './symmetricProduct.ts';

export interface ClosureOptions {
  /** Refuse intermediate operators of higher order (LimitExceededError). Default 24. */
  maxOrder?: number;
}

/**
 * Annihilator of an atom f(p(u)), monic in R. With p′, p″ the derivatives of the argument:
 * - polynomial q: q∂ − q′ (constants: ∂; the zero polynomial: 1);
 * - exp(p): ∂ − p′;
 * - sin(p), cos(p): p′∂² − p″∂ + p′³ (for p = au + b: ∂² + a²);
 * - erf(p): p′∂² + (2pp′² − p″)∂ (erf′(p) = (2/√π)p′e^{−p²}; p = u: ∂² + 2u∂);
 * - Phi(p): p′∂² + (pp′² − p″)∂ (Φ′(p) = p′φ(p); p = u: ∂² + u∂);
 * - heaviside(p): ∂ (almost everywhere).
 * A constant argument makes every atom a constant: ∂.
 *
 * For example:
 * atomAnnihilator('sin', U_POLY.gen(0)); // [1, 0, 1]: ∂² + 1
 */
export function atomAnnihilator(fn: AtomFunction | 'poly', p: Poly<Rational>): RationalFunction[] {
  const F = U_FIELD;
  const R = U_POLY;
  const P = F.fromPoly(p);
  const dp = F.fromPoly(R.diff(p, 0));
  const ddp = F.fromPoly(R.diff(R.diff(p, 0), 0));
  if (fn === 'poly') {
    if (p.length === 0) return [F.one];
    return makeMonic([F.neg(dp), P]);
  }
  if (R.degree(p) <= 0 || fn === 'heaviside') return [F.zero, F.one];
  switch (fn) {
    case 'exp':
      return [F.neg(dp), F.one];
    case 'sin':
    case 'cos':
      return makeMonic([F.pow(dp, 3), F.neg(ddp), dp]);
    case 'erf':
      return makeMonic([F.zero, F.sub(F.mul(F.fromInt(2), F.mul(P, F.mul(dp, dp))), ddp), dp]);
    case 'Phi':
      return makeMonic([F.zero, F.sub(F.mul(P, F.mul(dp, dp)), ddp), dp]);
  }
}

/**
 * The monic annihilator in R of a formula, valid off the kinks: atoms by {@link atomAnnihilator}, sums by LCLM,
 * products and powers by symmetric products, diff(f) by the derivative rule, scalar multiples unchanged.
 *
 * For example:
 * closureAnnihilator(parseFormula('u*Phi(u)')); // ∂² + (u − 2/u)∂ − 1 + 2/u²  (GeLU, monic)
 */
export function closureAnnihilator(f: Formula, options: ClosureOptions = {}): RationalFunction[] {
  const maxOrder = options.maxOrder ?? 24;
  const check = (L: RationalFunction[], what: string): RationalFunction[] => {
    if (ratOrder(L) > maxOrder) {
      throw new LimitExceededError(`the annihilator of ${what} has order ${ratOrder(L)} > maxOrder = ${maxOrder}`, 'maxOrder', ratOrder(L));
    }
    return L;
  };
  const rec = (g: Formula): RationalFunction[] => {
    switch (g.kind) {
      case 'poly':
        return atomAnnihilator('poly', g.poly);
      case 'call':
        return atomAnnihilator(g.fn, g.arg);
      case 'scale':
        return g.factor.isZero() ? [U_FIELD.one] : rec(g.operand);
      case 'diff':
        return check(derivativeAnnihilator(rec(g.operand)), 'a derivative');
      case 'sum':
        return g.terms.map(rec).reduce((a, b) => check(lclm(a, b), 'a sum'));
      case 'product':
        return g.factors.map(rec).reduce((a, b) => check(symmetricProduct(a, b), 'a product'));
      case 'power': {
        if (g.exponent === 0) return atomAnnihilator('poly', U_POLY.one);
        const L = rec(g.base);
        let acc = L;
        for (let i = 1; i < g.exponent; i++) acc = check(symmetricProduct(acc, L), 'a power');
        return acc;
      }
    }
  };
  return rec(f);
}
