/**
 * test/fixtures/catalogue_dual_refs.json: high-precision references for the dual activations of the activation
 * catalogue (issue 11), made by tools/references/make_catalogue_refs.py (origin and methods in
 * test/fixtures/README.md). Every value was computed by two independent methods that agree to `digits` digits.
 */
import { fixtureJson } from './fixtures.ts';

/** 'sigma': E[σ(u)σ(v)]; 'dsigma': E[σ̇(u)σ̇(v)] with σ̇ the a.e. derivative (no Dirac terms). */
export type CatalogueRefKind = 'sigma' | 'dsigma';

/** One reference value at Λ = [[a, c], [c, b]]. */
export interface CatalogueRefPoint {
  kind: CatalogueRefKind;
  /** Exact float64 entries of Λ: the value is for exactly these doubles. */
  a: number;
  c: number;
  b: number;
  /** The grid's nominal ρ (−1, −0.999, …, 1); c = ρ·√(ab) rounded, and a·b = c² exactly when |ρ| = 1. */
  rho: number;
  /** c/√(ab) in high precision (decimal string). */
  rhoExact: string;
  /** The value as a float64 (0 when it underflows, see `underflows`). */
  value: number;
  /** The value as written: 25 significant digits, or '0' when it is exactly 0. */
  valueStr: string;
  /** Significant digits on which the two methods agree (≥ 15); for an exact zero, −log10(max |A|, |B| / scale) (≥ 16). */
  digits: number;
  /** √(E[σ(u)²]·E[σ(v)²]) (the Cauchy–Schwarz bound of |value|), for absolute comparisons near 0. */
  scale: number;
  /** Why the value is exactly 0 (odd σ at c = 0, σ supported on u ≥ 0 at ρ = −1, closed form 0), or null. */
  zero: string | null;
  /** Relative accuracy of method A's Arb ball, in digits (capped at 25); null for exact zeros. */
  certifiedDigitsA: number | null;
  /** Method B: 'gauss' closed form, 'polar' coordinates, or 'apex' (polar about the wedge's apex, step-shifted). */
  methodB: 'gauss' | 'polar' | 'apex';
  /** Nonzero but below the smallest normal float64 (2.2e-308): `value` is 0 or subnormal, a relative test is void. */
  underflows: boolean;
}

/** One catalogue activation: its formulas in the derive grammar and its reference points in file order. */
export interface CatalogueRefActivation {
  /** The catalogue name (elu, selu, leaky-relu, …, rectpow:3). */
  name: string;
  /** σ in the derive grammar. */
  formula: string;
  /** σ̇ in the derive grammar ('0' for step-shifted, which has sigma points only). */
  dsigmaFormula: string;
  points: CatalogueRefPoint[];
}

/** The file: provenance and the activations in file order. */
export interface CatalogueRefs {
  generator: string;
  command: string;
  date: string;
  mpmath: string;
  pythonFlint: string;
  activations: CatalogueRefActivation[];
}

const SMALLEST_NORMAL = 2.2250738585072014e-308;

let cache: CatalogueRefs | undefined;

/** The parsed file (cached; do not mutate). */
export function catalogueRefs(): CatalogueRefs {
  if (cache) return cache;
  const raw = fixtureJson('catalogue_dual_refs.json');
  const activations: CatalogueRefActivation[] = Object.entries(raw.activations as Record<string, any>).map(([name, act]) => ({
    name,
    formula: act.formula,
    dsigmaFormula: act.dsigmaFormula,
    points: (act.points as any[]).map((p): CatalogueRefPoint => {
      const value = Number(p.value);
      return {
        kind: p.kind,
        a: p.a,
        c: p.c,
        b: p.b,
        rho: p.rho,
        rhoExact: p.rhoExact,
        value,
        valueStr: p.value,
        digits: p.digits,
        scale: Number(p.scale),
        zero: p.zero,
        certifiedDigitsA: p.certifiedDigitsA,
        methodB: p.methodB,
        underflows: p.value !== '0' && Math.abs(value) < SMALLEST_NORMAL,
      };
    }),
  }));
  cache = { generator: raw.generator, command: raw.command, date: raw.date, mpmath: raw.mpmath, pythonFlint: raw['python-flint'], activations };
  return cache;
}

/** The activation called `name`; throws when the file has no such activation. */
export function catalogueRef(name: string): CatalogueRefActivation {
  const act = catalogueRefs().activations.find((x) => x.name === name);
  if (!act) throw new Error(`catalogue_dual_refs.json has no activation '${name}'`);
  return act;
}
