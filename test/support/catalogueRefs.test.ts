/**
 * The catalogue references as read by catalogueRefs.ts: complete, at the stated agreement, consistent with the
 * project's own reading of their formulas, and (a third route, float64) with the textbook closed forms where
 * there is one.
 */
import { numericFormula } from '@holonomic-ntk/core';
import { describe, expect, it } from 'vitest';
import { type CatalogueRefPoint, catalogueRef, catalogueRefs } from './catalogueRefs.ts';

const NAMES = [
  'elu',
  'selu',
  'leaky-relu',
  'abs',
  'step-shifted',
  'rectpow:2',
  'recos',
  'resin2',
  'rect-uexp',
  'gauss',
  'ugauss',
  'gabor',
  'sin',
  'cos',
  'sin-relu',
  'rect-erf',
  'cube',
  'hermite2',
  'rectpow:3',
];

describe('catalogue_dual_refs.json', () => {
  it('has every catalogue activation, 88 points per kind, at the stated agreement', () => {
    const refs = catalogueRefs();
    expect(refs.activations.map((a) => a.name)).toEqual(NAMES);
    for (const act of refs.activations) {
      for (const kind of ['sigma', 'dsigma'] as const) {
        const pts = act.points.filter((p) => p.kind === kind);
        expect(pts.length, `${act.name} ${kind}`).toBe(act.name === 'step-shifted' && kind === 'dsigma' ? 0 : 88);
      }
      for (const p of act.points) {
        expect(p.digits, `${act.name} ${p.kind} a=${p.a} b=${p.b} rho=${p.rho}`).toBeGreaterThanOrEqual(p.zero ? 16 : 15);
        expect(Number.isFinite(p.scale) && p.scale > 0).toBe(true);
        if (p.zero) expect(p.value).toBe(0);
        else if (!p.underflows) expect(p.value).not.toBe(0);
        if (Math.abs(p.rho) === 1) expect(p.a * p.b).toBe(p.c * p.c);
      }
    }
  });

  it('writes formulas the project reads as holonomic, with dsigmaFormula = diff(formula)', () => {
    for (const act of catalogueRefs().activations) {
      const f = numericFormula(act.formula);
      const d = numericFormula(act.dsigmaFormula);
      expect(f.holonomic, act.name).toBe(true);
      for (const x of [-2.7, -1.3, -0.4, 0.35, 0.8, 1.6, 3.1]) {
        const want = f.dsigma.sigma(x);
        expect(Math.abs(d.sigma.sigma(x) - want), `${act.name} at ${x}`).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(want)));
      }
    }
  });

  // Third route for the activations with a textbook closed form (float64, ρ = c/√(ab)).
  const closedForms: Record<string, Partial<Record<'sigma' | 'dsigma', (a: number, b: number, c: number) => number>>> = {
    abs: { sigma: absAbs, dsigma: (a, b, c) => (2 / Math.PI) * Math.asin(rhoOf(a, b, c)) },
    'leaky-relu': {
      sigma: (a, b, c) => 0.55 ** 2 * c + 0.45 ** 2 * absAbs(a, b, c),
      dsigma: (a, b, c) => 0.3025 + 0.2025 * (2 / Math.PI) * Math.asin(rhoOf(a, b, c)),
    },
    'rectpow:2': {
      sigma: (a, b, c) => {
        const t = Math.acos(rhoOf(a, b, c));
        return ((a * b) / (2 * Math.PI)) * (3 * Math.sin(t) * Math.cos(t) + (Math.PI - t) * (1 + 2 * Math.cos(t) ** 2));
      },
      dsigma: (a, b, c) => {
        const t = Math.acos(rhoOf(a, b, c));
        return ((4 * Math.sqrt(a * b)) / (2 * Math.PI)) * (Math.sin(t) + (Math.PI - t) * Math.cos(t));
      },
    },
    gauss: { sigma: (a, b, c) => 1 / Math.sqrt((1 + a) * (1 + b) - c * c) },
    sin: { sigma: (a, b, c) => Math.exp(-(a + b) / 2) * Math.sinh(c), dsigma: (a, b, c) => Math.exp(-(a + b) / 2) * Math.cosh(c) },
    cos: { sigma: (a, b, c) => Math.exp(-(a + b) / 2) * Math.cosh(c), dsigma: (a, b, c) => Math.exp(-(a + b) / 2) * Math.sinh(c) },
    cube: { sigma: (a, b, c) => 9 * a * b * c + 6 * c ** 3, dsigma: (a, b, c) => 9 * (a * b + 2 * c * c) },
    hermite2: { sigma: (a, b, c) => (a - 1) * (b - 1) + 2 * c * c, dsigma: (_a, _b, c) => 4 * c },
  };
  for (const [name, forms] of Object.entries(closedForms)) {
    it(`${name} agrees with its closed form`, () => {
      for (const p of catalogueRef(name).points) {
        const form = forms[p.kind];
        if (!form) continue;
        const want = form(p.a, p.b, p.c);
        expect(Math.abs(p.value - want), label(name, p)).toBeLessThanOrEqual(1e-12 * Math.abs(want) + 1e-15 * p.scale);
      }
    });
  }
});

function rhoOf(a: number, b: number, c: number): number {
  const r = c / Math.sqrt(a * b);
  return r > 1 ? 1 : r < -1 ? -1 : r;
}

/** E|u||v| = (2√(ab)/π)(√(1 − ρ²) + ρ·asin ρ) */
function absAbs(a: number, b: number, c: number): number {
  const r = rhoOf(a, b, c);
  return ((2 * Math.sqrt(a * b)) / Math.PI) * (Math.sqrt(1 - r * r) + r * Math.asin(r));
}

function label(name: string, p: CatalogueRefPoint): string {
  return `${name} ${p.kind} a=${p.a} b=${p.b} c=${p.c}: ${p.valueStr}`;
}
