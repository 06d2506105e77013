import { describe, expect, it } from 'vitest';
import { QQ, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
import { integrationIdeal } from '../src/integration.ts';
import { restrictionIdeal } from '../src/restrictionIdeal.ts';

/**
 * Restricting (integrating) every variable: the answer is an ideal of Q, (1) or (0). Expected values from Macaulay2
 * 1.21 Dmodules, run 2026-12-03 (DrestrictionIdeal / DintegrationIdeal with the same weights; `ideal 1` ↔ unit,
 * `ideal()` ↔ zero), including its own documentation example DrestrictionIdeal(ideal(x_1, D_2 - 1), {1,4}).
 */
describe('restriction and integration to a point (issue 16)', () => {
  const D = new WeylAlgebra(QQ, ['x1', 'x2']);
  it.each([
    ['x1; dx2-1', [1, 4], 'unit'],
    ['x1*dx1+2*x2*dx2-1/3; dx2-dx1^2', [1, 4], 'unit'],
    ['x1*dx1-1; x2*dx2-1', [1, 1], 'unit'],
    ['dx1; dx2', [1, 1], 'zero'],
  ] as const)('restrict %s to the origin, weight %j: %s (as Macaulay2)', (ideal, w, kind) => {
    const r = restrictionIdeal(D, parseOperators(D, ideal), ['x1', 'x2'], [...w]);
    expect(r.kind).toBe(kind);
    expect(r.algebra.n).toBe(0);
    expect(r.text).toEqual(kind === 'unit' ? ['1'] : []);
  });

  it.each([
    ['2*t*dx+dt; t*dt+2*x*dx+2', 'unit'],
    ['dt + 2*t; dx + 2*x', 'zero'],
  ] as const)('integrate %s over (t, x): %s (as Macaulay2)', (ideal, kind) => {
    const E = new WeylAlgebra(QQ, ['t', 'x']);
    expect(integrationIdeal(E, parseOperators(E, ideal), ['t', 'x'], [1, 1]).kind).toBe(kind);
  });
});
