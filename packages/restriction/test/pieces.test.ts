import type { SigmaSpec } from '@holonomic-ntk/core';
import { describe, expect, it } from 'vitest';
import { parseFormula } from '../src/annihilators/formula.ts';
import { evaluateFormula } from '../src/annihilators/taylor.ts';
import { DUAL_VARIABLES, dualSystem } from '../src/compiler/dualSystem.ts';
import { type ActivationPiece, activationPieces, dualSystemsOfPieces } from '../src/compiler/pieces.ts';
import { gaussianMoment } from './gaussianMoment.ts';

const ELU = 'u*heaviside(u) + heaviside(-u)*(exp(u)-1)';
const POINTS = [-3, -1.25, -0.5, -0.01, 0.01, 0.3, 1, 2.5];

const fn = (p: ActivationPiece): SigmaSpec => {
  const f = parseFormula(p.formula);
  // 0·∞ = NaN for Y(−u)·e^u far out (|u| > 709), where the Gaussian weight makes any finite value vanish anyway.
  const sigma = (u: number) => {
    const y = evaluateFormula(f, u);
    return Number.isNaN(y) ? 0 : y;
  };
  // A half-line support (Y(u)·g or Y(−u)·g) given as such: the quadrature then cuts exactly at 0 instead of at a
  // moving kink computed in floating point (a jump inside a tiny piece stops tanh-sinh from converging).
  const zeroOn = (sign: number) => [0.1, 0.7, 1.3, 2.9].every((t) => sigma(sign * t) === 0);
  const support = zeroOn(-1) ? ([0, Infinity] as const) : zeroOn(1) ? ([-Infinity, 0] as const) : undefined;
  return { sigma, kinks: p.kinks, ...(support ? { support } : {}) };
};

describe('activationPieces: σ = Σ σ_i with one small annihilator per piece', () => {
  it('ELU: u·Y(u), e^u·Y(−u), −Y(−u); σ̇: Y(u), e^u·Y(−u)', () => {
    expect(activationPieces(ELU).map((p) => p.text)).toEqual(['u*du - 1', 'u*du - u', 'u*du']);
    expect(activationPieces(ELU, 'dsigma').map((p) => p.text)).toEqual(['u*du', 'u*du - u']);
  });

  it('pieces with one annihilator stay one piece (leaky ReLU, abs); a σ̇ that is 0 a.e. has none', () => {
    expect(activationPieces('u*heaviside(u) + 1/10*u*heaviside(-u)').map((p) => p.text)).toEqual(['u*du - 1']);
    expect(activationPieces('u*heaviside(u) - u*heaviside(-u)', 'dsigma').map((p) => p.text)).toEqual(['u*du']);
    expect(activationPieces('heaviside(u-1)', 'dsigma')).toEqual([]);
  });

  for (const formula of [
    ELU,
    '21/20*(u*heaviside(u) + 5/3*heaviside(-u)*(exp(u)-1))',
    'heaviside(u)*u*exp(-u)',
    'sin(u) + u*heaviside(u)',
    'u*exp(-u^2/2)',
    '(u*heaviside(u))^3',
  ]) {
    it(`the pieces add up to σ and to σ̇ (a.e.): ${formula}`, () => {
      const f = parseFormula(formula);
      const df = parseFormula(`diff(${formula})`);
      for (const [which, g] of [
        ['sigma', f],
        ['dsigma', df],
      ] as const) {
        const pieces = activationPieces(formula, which).map(fn);
        for (const u of POINTS) {
          const sum = pieces.reduce((s, p) => s + p.sigma(u), 0);
          expect(sum, `${which} at ${u}`).toBeCloseTo(evaluateFormula(g, u), 12);
        }
      }
    });
  }
});

/** s_l•F for a monomial basis element ∂11^i ∂12^j ∂22^k (times extra powers u^pu v^pv from a derivative ∂x). */
function moment(phi: SigmaSpec, psi: SigmaSpec, x: readonly number[], i: number, j: number, k: number, pu = 0, pv = 0, scale = 1): number {
  return scale * 2 ** j * gaussianMoment(phi, psi, x, 2 * i + j + pu, 2 * k + j + pv, 1e-13);
}

describe('mixed systems of pairs of pieces against 2-D quadrature (exact derivatives, no differences)', () => {
  for (const [formula, which] of [
    [ELU, 'sigma'],
    [ELU, 'dsigma'],
    ['heaviside(u)*u*exp(-u)', 'dsigma'],
  ] as const) {
    it(`${formula} (${which}): ∂_v F⃗ = P_v F⃗ at two points, relative error < 1e-9`, () => {
      const pieces = activationPieces(formula, which);
      const systems = dualSystemsOfPieces(pieces);
      expect(systems.length).toBe((pieces.length * (pieces.length + 1)) / 2);
      for (const { i: pi, j: pj, system: sys } of systems) {
        expect(sys.integrable).toBe(true);
        const [phi, psi] = [fn(pieces[pi]!), fn(pieces[pj]!)];
        for (const [a, b, rho] of [
          [1, 0.7, 0.35],
          [0.6, 1.4, -0.55],
        ] as const) {
          const cc = rho * Math.sqrt(a * b);
          const d = a * b - cc * cc;
          const x = [-b / (2 * d), cc / (2 * d), -a / (2 * d)];
          const mono = sys.basis.map((e) => {
            expect(e.terms.length).toBe(1);
            return e.terms[0]!;
          });
          const F = mono.map((t) => moment(phi, psi, x, t.i, t.j, t.k));
          const scale = Math.max(...F.map(Math.abs));
          // ∂x11 multiplies the integrand by u², ∂x12 by 2uv, ∂x22 by v².
          const extra = { x11: [2, 0, 1], x12: [1, 1, 2], x22: [0, 2, 1] } as const;
          for (const v of DUAL_VARIABLES) {
            const [pu, pv, s] = extra[v];
            const dF = mono.map((t) => moment(phi, psi, x, t.i, t.j, t.k, pu, pv, s));
            const P = sys.matrices[v].map((row) => row.map((e) => sys.field.evaluateNumber(e, x)));
            const PF = P.map((row) => row.reduce((acc, p, m) => acc + p * F[m]!, 0));
            const err = Math.max(...dF.map((e, l) => Math.abs(e - PF[l]!))) / Math.max(scale, ...dF.map(Math.abs));
            expect(err, `pair (${pi}, ${pj}) ∂/∂${v} at a=${a}, b=${b}, ρ=${rho}`).toBeLessThan(1e-9);
          }
        }
      }
    }, 120_000);
  }

  it('a pair with P = Q is the ordinary system (vOperator equal to the operator changes nothing)', () => {
    const a = dualSystem('u*du-1');
    const b = dualSystem('u*du-1', { vOperator: 'u*du - 1' });
    expect(b.vAnnihilator).toBeUndefined();
    expect(b.restriction.text).toEqual(a.restriction.text);
  });
});
