import { describe, expect, it } from 'vitest';
import { AnnihilatorError } from '@holonomic-ntk/core';
import { operatorToText, parseOperator } from '@holonomic-ntk/weyl-algebra';
import { activationAnnihilator } from '../../src/annihilators/activationAnnihilator.ts';
import { ACTIVATION_ALGEBRA as D } from '../../src/annihilators/algebra.ts';
import { BUILTIN_ANNIHILATORS, builtinAnnihilator } from '../../src/annihilators/builtinActivations.ts';
import { assertAnnihilates, distributionResidual } from '../../src/annihilators/distributionCheck.ts';

/** Relative residual |∫σP*φ| / ∫|σ||P*φ| accepted as "annihilates"; the quadrature reaches ~1e-15. */
const TOL = 1e-10;

const NAMES = [...Object.keys(BUILTIN_ANNIHILATORS), 'rectpow:0', 'rectpow:1', 'rectpow:2', 'rectpow:5'];

describe('built-in activations (MATH.md §5)', () => {
  for (const name of NAMES) {
    it(`${name}: the derived operators are MATH.md's and annihilate σ, σ̇ as distributions`, () => {
      const b = builtinAnnihilator(name);
      const a = activationAnnihilator({ name }, { tolerance: TOL });
      expect(a.derivedFrom).toBe('builtin');
      expect(operatorToText(D, a.operator)).toBe(operatorToText(D, parseOperator(D, b.operator)));
      expect(D.eq(a.dsigma.operator, parseOperator(D, b.dsigmaOperator))).toBe(true);
      expect(a.dsigma.convention).toBe('almost-everywhere');
      expect(a.verified!.maxResidual).toBeLessThan(TOL);
      expect(a.dsigma.verified!.maxResidual).toBeLessThan(TOL);
      // Independently of the derivation: the registry's operators on the registry's functions.
      expect(distributionResidual(parseOperator(D, b.operator), b.sigma, { kinks: b.kinks }).maxResidual).toBeLessThan(TOL);
      expect(distributionResidual(parseOperator(D, b.dsigmaOperator), b.dsigma, { kinks: b.kinks }).maxResidual).toBeLessThan(TOL);
    });
  }

  it('matches the list of MATH.md literally', () => {
    const text = (name: string) => operatorToText(D, activationAnnihilator({ name }, { verify: false }).operator);
    const same = (name: string, expected: string) => expect(text(name)).toBe(operatorToText(D, parseOperator(D, expected)));
    same('relu', 'u*du - 1');
    same('step', 'u*du');
    same('rectpow:4', 'u*du - 4');
    same('resin', 'u*(du^2 + 1)');
    same('gelu', 'u^2*du^2 + (u^3 - 2*u)*du - u^2 + 2');
    same('phi', 'du^2 + u*du');
    same('erf', 'du^2 + 2*u*du');
  });

  it('u²(∂² + 1) kills both Y·sin and Y·cos (one system for σ and σ̇ of ReSin)', () => {
    const P = parseOperator(D, 'u^2*(du^2 + 1)');
    const b = BUILTIN_ANNIHILATORS.resin;
    expect(distributionResidual(P, b.sigma, { kinks: [0] }).maxResidual).toBeLessThan(TOL);
    expect(distributionResidual(P, b.dsigma, { kinks: [0] }).maxResidual).toBeLessThan(TOL);
  });

  it('the smooth part alone is not enough at a kink: ∂² + 1 does not kill Y·sin, u(∂² + 1) does not kill Y·cos', () => {
    const b = BUILTIN_ANNIHILATORS.resin;
    expect(distributionResidual(parseOperator(D, 'du^2 + 1'), b.sigma, { kinks: [0] }).maxResidual).toBeGreaterThan(0.1);
    expect(distributionResidual(parseOperator(D, 'u*du^2 + u'), b.dsigma, { kinks: [0] }).maxResidual).toBeGreaterThan(0.1);
  });

  it('unknown names are DomainErrors that list the built-ins', () => {
    expect(() => builtinAnnihilator('tanh')).toThrow(/unknown activation "tanh"; expected one of relu, step/);
    expect(() => builtinAnnihilator('rectpow:99')).toThrow(/at most 32/);
  });
});

describe('wrong operators are rejected with the residual', () => {
  it('u*du - 2 for ReLU', () => {
    let err: unknown;
    try {
      activationAnnihilator({ formula: 'u*heaviside(u)', operator: 'u*du - 2' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AnnihilatorError);
    const e = err as AnnihilatorError;
    expect(e.message).toMatch(
      /^u\*du - 2 does not annihilate sigma = u\*heaviside\(u\): residual [0-9.]+ \(relative\) for the test function centered at -?[0-9.]+/,
    );
    expect(e.residual).toBeGreaterThan(0.1);
  });

  it('at a single test function the message names it', () => {
    const relu = BUILTIN_ANNIHILATORS.relu.sigma;
    expect(() => assertAnnihilates(parseOperator(D, 'u*du - 2'), relu, 'u*heaviside(u)', { kinks: [0], testFunctions: [{ mu: 0.5, s: 1 }] })).toThrow(
      /residual 0\.\d+ \(relative\) for the test function centered at 0\.5 \(width 1\)/,
    );
  });

  it('a correct user operator passes with a formula and is reported as given', () => {
    const a = activationAnnihilator({ formula: 'heaviside(u)*sin(u)', operator: 'u^2*du^2 + u^2' });
    expect(a.derivedFrom).toBe('operator');
    expect(a.text).toBe('u^2*du^2 + u^2');
    expect(a.dsigma.text).toBe('u^2*du^2 + u^2');
  });
});

describe('σ̇ from an operator alone: the quotient (D·P : ∂), distributional derivative', () => {
  const cases: [string, string][] = [
    ['u*du - 1', 'u*du'], // ReLU′ = Y
    ['u*du', 'u'], // Y′ = δ, killed by u
    ['u*du^2 + u', 'u^2*du^2 + u^2'], // (Y sin)′ = Y cos
    ['du^2 + u*du', 'du + u'], // Φ′ = φ
    ['u*du - 3', 'u*du - 2'],
  ];
  for (const [P, Q] of cases) {
    it(`${P} ↦ ${Q}`, () => {
      const a = activationAnnihilator({ operator: P });
      expect(a.derivedFrom).toBe('operator');
      expect(a.dsigma.convention).toBe('distributional');
      expect(a.dsigma.text).toBe(operatorToText(D, parseOperator(D, Q)));
      expect(a.verified).toBeUndefined();
      // Q∂ ∈ D·P: every generator times ∂ is a left multiple of P (checked by the distribution check below too).
    });
  }

  it('with σ given, both are checked (Q∂ on σ)', () => {
    const b = BUILTIN_ANNIHILATORS.resin;
    const a = activationAnnihilator({ operator: 'u*du^2 + u', sigma: { sigma: b.sigma, kinks: [0] } });
    expect(a.verified!.maxResidual).toBeLessThan(TOL);
    expect(a.dsigma.verified!.maxResidual).toBeLessThan(TOL);
    expect(() => activationAnnihilator({ operator: 'du^2 + 1', sigma: { sigma: b.sigma, kinks: [0] } })).toThrow(AnnihilatorError);
  });

  it('GeLU: the quotient kills ∂σ; both generators are returned', () => {
    const b = BUILTIN_ANNIHILATORS.gelu;
    const a = activationAnnihilator({ operator: b.operator, sigma: b.sigma });
    expect(a.dsigma.generators!.length).toBe(2);
    for (const Q of a.dsigma.generators!) {
      expect(distributionResidual(Q, b.dsigma).maxResidual).toBeLessThan(TOL);
    }
  });
});

describe('input validation', () => {
  it('needs something, and not a name and a formula together', () => {
    expect(() => activationAnnihilator({})).toThrow(/needs a name, a formula or an operator/);
    expect(() => activationAnnihilator({ name: 'relu', formula: 'u' })).toThrow(/not both/);
    expect(() => activationAnnihilator({ operator: '0' })).toThrow(/zero operator/);
  });
});
