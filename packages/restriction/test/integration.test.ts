import { HERE, restrictionCases } from './testdata.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RationalWeylIdeal, idealEquals } from '@holonomic-ntk/groebner';
import { QQ, WeylAlgebra, parseOperator, parseOperators } from '@holonomic-ntk/weyl-algebra';
import { fourierTransform, integrationBFunction, integrationIdeal } from '../src/integration.ts';

const cases = restrictionCases;

describe('integration along t (Fourier transform, then restriction)', () => {
  for (const c of cases.filter((k) => k.kind === 'integration')) {
    it(`${c.name}: b-function roots, s0 and the integration ideal`, () => {
      const D = new WeylAlgebra(
        QQ,
        c.vars.map((x, i) => ({ x, d: c.dvars[i]! })),
      );
      const nt = c.weight.filter((w) => w > 0).length;
      const tv = c.vars.slice(0, nt);
      const I = parseOperators(D, c.ideal.join(';'));
      const b = integrationBFunction(D, I, tv, c.weight.slice(0, nt));
      expect(b.integerRoots).toEqual(c.expectBFunctionRoots.map(BigInt));
      expect(b.s0).toBe(BigInt(c.expectS0));
      const r = integrationIdeal(D, I, tv, c.weight.slice(0, nt));
      expect(r.kind).toBe('ideal');
      expect(idealEquals(r.algebra, r.generators, parseOperators(r.algebra, c.expectIdeal.join(';')))).toBe(true);
    });
  }

  it('sign convention: t ↦ −∂t, ∂t ↦ t (so ∂t·D becomes t·D)', () => {
    const D = new WeylAlgebra(QQ, ['t', 'x']);
    const [a, b] = fourierTransform(D, parseOperators(D, 'dt + 2*t*dx; t*dt+2*x*dx+2'), ['t']);
    expect(D.eq(a!, parseOperator(D, 't - 2*dt*dx'))).toBe(true);
    // t∂t ↦ (−∂t)·t = −t∂t − 1
    expect(D.eq(b!, parseOperator(D, '-t*dt + 2*x*dx + 1'))).toBe(true);
  });

  it('Gaussian: ∫ e^(−t²/2 + x t) dt = √(2π)·e^(x²/2) is annihilated by ∂x − x', () => {
    // f = e^(−t²/2 + xt): (∂t + t − x) f = 0, (∂x − t) f = 0.
    const D = new WeylAlgebra(QQ, ['t', 'x']);
    const r = integrationIdeal(D, parseOperators(D, 'dt + t - x; dx - t'), ['t']);
    expect(idealEquals(r.algebra, r.generators, parseOperators(r.algebra, 'dx - x'))).toBe(true);
  });

  it('ReLU dual by integrating the integrand’s annihilator over (u, v) equals the restriction route (Singular reference)', () => {
    // g = uY(u)·vY(v)·e^(x11u² + 2x12uv + x22v²): conjugating u∂u − 1 by the exponential gives u(∂u − 2x11u − 2x12v) − 1.
    const D = new WeylAlgebra(QQ, ['u', 'v', 'x11', 'x12', 'x22']);
    const I = parseOperators(D, 'u*(du-2*x11*u-2*x12*v)-1; v*(dv-2*x12*u-2*x22*v)-1; dx11-u^2; dx12-2*u*v; dx22-v^2');
    const r = integrationIdeal(D, I, ['u', 'v'], [1, 1]);
    expect(r.module.bFunction.text).toBe('s^2-s');
    const ref = parseOperators(r.algebra, readFileSync(join(HERE, 'fixtures', 'singular_relu_resIdeal.txt'), 'utf8'));
    expect(idealEquals(r.algebra, r.generators, ref)).toBe(true);
    expect(RationalWeylIdeal.compute(r.algebra, r.generators).rank).toBe(2);
  });
});
