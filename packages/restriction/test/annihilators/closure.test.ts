import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rational, operatorToText, parseOperator, parsePolynomial, type Poly } from '@holonomic-ntk/weyl-algebra';
import { deriveFromFormula } from '../../src/annihilators/activationAnnihilator.ts';
import { adjoint } from '../../src/annihilators/adjoint.ts';
import { ACTIVATION_ALGEBRA as D, U_FIELD as F, U_POLY } from '../../src/annihilators/algebra.ts';
import { closureAnnihilator } from '../../src/annihilators/closureRules.ts';
import { derivativeAnnihilator } from '../../src/annihilators/derivativeClosure.ts';
import { parseFormula } from '../../src/annihilators/formula.ts';
import { lclm } from '../../src/annihilators/lclm.ts';
import { derivativeQuotient } from '../../src/annihilators/operatorDerivative.ts';
import { normalizeOperator, polyOperatorToWeyl, type RatOperator } from '../../src/annihilators/ratOperator.ts';
import { realRoots } from '../../src/annihilators/realRoots.ts';
import { symmetricProduct } from '../../src/annihilators/symmetricProduct.ts';

const op = (L: RatOperator) => operatorToText(D, polyOperatorToWeyl(normalizeOperator(L)));
const smooth = (formula: string) => op(closureAnnihilator(parseFormula(formula)));
const dist = (formula: string) => deriveFromFormula(parseFormula(formula)).text;
const norm = (text: string) => operatorToText(D, parseOperator(D, text));
const u = F.gen('u');

describe('closure rules over Q(u)⟨∂⟩', () => {
  it('atoms', () => {
    expect(smooth('exp(u^2)')).toBe(norm('du - 2*u'));
    expect(smooth('sin(3*u+1)')).toBe(norm('du^2 + 9'));
    expect(smooth('cos(u^2)')).toBe(norm('u*du^2 - du + 4*u^3'));
    expect(smooth('erf(u)')).toBe(norm('du^2 + 2*u*du'));
    expect(smooth('Phi(u)')).toBe(norm('du^2 + u*du'));
    expect(smooth('Phi(2*u+1)')).toBe(norm('du^2 + 2*(2*u+1)*du'));
    expect(smooth('u^2 + 1')).toBe(norm('(u^2+1)*du - 2*u'));
    expect(smooth('7')).toBe(norm('du'));
    expect(smooth('0')).toBe('1');
    expect(smooth('sin(2)')).toBe(norm('du'));
  });

  it('LCLM: sums', () => {
    expect(op(lclm([F.fromInt(-1), F.one], [F.one, F.one]))).toBe(norm('du^2 - 1'));
    expect(smooth('sin(u) + cos(u)')).toBe(norm('du^2 + 1'));
    expect(smooth('exp(u) + u')).toBe(norm('(u - 1)*du^2 - u*du + 1'));
    expect(smooth('sin(u) - sin(u)')).toBe(norm('du^2 + 1')); // generic: annihilates 0 too
  });

  it('symmetric products', () => {
    expect(op(symmetricProduct([F.neg(F.one), u], [F.zero, u, F.one]))).toBe(norm('u^2*du^2 + (u^3 - 2*u)*du - u^2 + 2'));
    expect(smooth('sin(u)^2')).toBe(norm('du^3 + 4*du'));
    expect(smooth('exp(u)*sin(u)')).toBe(norm('du^2 - 2*du + 2'));
    expect(smooth('sin(u)*0')).toBe('1');
  });

  it('derivatives', () => {
    expect(op(derivativeAnnihilator([F.zero, F.mul(F.fromInt(2), u), F.one]))).toBe(norm('du + 2*u'));
    expect(smooth('diff(u*Phi(u))')).toBe(norm('(u^2 - 2)*du^2 + (u^3 - 4*u)*du'));
    expect(smooth('diff(exp(u^2))')).toBe(norm('u*du - 2*u^2 - 1'));
    expect(smooth('diff(sin(u)+u^3)')).toBe(smooth('cos(u)+3*u^2'));
  });

  it('Heaviside: the kink factor, minimal k', () => {
    expect(dist('u*heaviside(u)')).toBe(norm('u*du - 1'));
    expect(dist('heaviside(u)')).toBe(norm('u*du'));
    expect(dist('heaviside(u)*sin(u)')).toBe(norm('u*(du^2 + 1)'));
    expect(dist('heaviside(u)*cos(u)')).toBe(norm('u^2*(du^2 + 1)'));
    expect(dist('heaviside(-u)*u^2')).toBe(norm('u*du - 2'));
    expect(dist('heaviside(u)*(u + 1)')).toBe(norm('u*((u + 1)*du - 1)'));
    expect(dist('heaviside(2*u - 1)*exp(u)')).toBe(norm('(2*u - 1)*(du - 1)'));
    expect(dist('heaviside(u^2 - 1)')).toBe(norm('(u^2 - 1)*du'));
    expect(dist('heaviside(u)*heaviside(u)')).toBe(norm('u*du'));
    expect(dist('diff(u^2*heaviside(u))')).toBe(norm('u*du - 1'));
    const d = deriveFromFormula(parseFormula('heaviside(u)*cos(u)')).derivation;
    expect(d.smoothText).toBe(norm('du^2 + 1'));
    expect(d.kinkPolynomial).toBe('u');
    expect(d.exponent).toBe(2);
    expect(d.kinks[0]!.order).toBe(1);
  });
});

describe('formal adjoint', () => {
  const term = fc.record({ a: fc.nat(3), b: fc.nat(3), c: fc.integer({ min: -5, max: 5 }) });
  const operator = fc.array(term, { minLength: 1, maxLength: 4 }).map((ts) =>
    D.poly.fromTerms(
      ts.map((t) => [t.a, t.b]),
      ts.map((t) => Rational.int(t.c)),
    ),
  );

  it('examples', () => {
    expect(operatorToText(D, adjoint(D, parseOperator(D, 'u*du - 1')))).toBe('-u*du - 2');
    expect(operatorToText(D, adjoint(D, parseOperator(D, 'du^2 + 2*u*du')))).toBe(norm('du^2 - 2*u*du - 2'));
  });

  it('is an involutive anti-automorphism: (PQ)* = Q*P*, P** = P', () => {
    fc.assert(
      fc.property(operator, operator, (P, Q) => {
        expect(D.eq(adjoint(D, D.mul(P, Q)), D.mul(adjoint(D, Q), adjoint(D, P)))).toBe(true);
        expect(D.eq(adjoint(D, adjoint(D, P)), P)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe('ideal quotient (D·P : ∂)', () => {
  it('Q∂ is a left multiple of P for random P', () => {
    const term = fc.record({ a: fc.nat(2), b: fc.nat(2), c: fc.integer({ min: -4, max: 4 }) });
    fc.assert(
      fc.property(fc.array(term, { minLength: 1, maxLength: 4 }), (ts) => {
        const P = D.poly.fromTerms(
          ts.map((t) => [t.a, t.b]),
          ts.map((t) => Rational.int(t.c)),
        );
        if (P.length === 0) return;
        const { generators } = derivativeQuotient(P);
        for (const Q of generators) {
          // Q∂ ∈ D·P ⇔ every solution-independent check: the right division by P leaves no remainder over Q(u).
          const X = D.mul(Q, D.gen('du'));
          expect(isLeftMultiple(X, P)).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });
});

/** Whether X = A·P for some A ∈ D: left division by P over Q(u)⟨∂⟩, then the quotient must be polynomial. */
function isLeftMultiple(X: Poly<Rational>, P: Poly<Rational>): boolean {
  // Division on the left by leading ∂-terms over Q(u): X − (c/lc)∂^k P lowers the order.
  const coeffs = (Y: Poly<Rational>) => {
    const r = D.differentialOrder(Y);
    const out = Array.from({ length: r + 1 }, () => F.zero);
    for (let t = 0; t < Y.length; t++) {
      const [a, b] = Y.monos[t]!;
      out[b!] = F.add(out[b!]!, F.mul(F.fromRational(Y.coeffs[t]!), F.pow(u, a!)));
    }
    return out;
  };
  const p = coeffs(P);
  const rp = p.length - 1;
  let x = coeffs(X);
  const mulLeft = (c: ReturnType<typeof F.gen>, k: number) => {
    // (c ∂^k)·P over Q(u): ∂^k·(Σ p_i ∂^i) by Leibniz.
    let cur = p.slice();
    for (let j = 0; j < k; j++) {
      const next = Array.from({ length: cur.length + 1 }, () => F.zero);
      cur.forEach((ci, i) => {
        next[i + 1] = F.add(next[i + 1]!, ci);
        next[i] = F.add(next[i]!, F.diff(ci, 0));
      });
      cur = next;
    }
    return cur.map((ci) => F.mul(c, ci));
  };
  while (x.length - 1 >= rp && x.some((c) => !F.isZero(c))) {
    const k = x.length - 1 - rp;
    const c = F.div(x[x.length - 1]!, p[rp]!);
    const sub = mulLeft(c, k);
    x = x.map((xi, i) => F.sub(xi, sub[i] ?? F.zero));
    while (x.length > 0 && F.isZero(x[x.length - 1]!)) x.pop();
  }
  return x.every((c) => F.isZero(c));
}

describe('real roots of kink polynomials', () => {
  const R = U_POLY;
  it('finds simple real roots', () => {
    expect(realRoots(parsePolynomial(R, '2*u - 1'))).toEqual([0.5]);
    const r = realRoots(parsePolynomial(R, 'u^2 - 2'));
    expect(r[0]).toBeCloseTo(-Math.SQRT2, 15);
    expect(r[1]).toBeCloseTo(Math.SQRT2, 15);
    expect(realRoots(parsePolynomial(R, 'u^2 + 1'))).toEqual([]);
    const c = realRoots(parsePolynomial(R, '(u - 1)*(u + 2)*(3*u - 1)'));
    expect(c.map((x) => Math.round(x * 1e12) / 1e12)).toEqual([-2, 0.333333333333, 1]);
  });
});
