import { DomainError, RHO_SLACK, choleskyFactor, classifyCovariance, covariance, diffOfProducts } from '@holonomic-ntk/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** A positive semidefinite Λ = [[a, c], [c, b]] with a, b > 0 and ρ = c/√(ab) ∈ [−1, 1]. */
const psd = fc
  .tuple(fc.double({ min: 1e-3, max: 1e3, noNaN: true }), fc.double({ min: 1e-3, max: 1e3, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }))
  .map(([a, b, rho]) => ({ a, b, c: rho * Math.sqrt(a) * Math.sqrt(b) }));

describe('covariance laws (properties)', () => {
  it('c ↦ −c leaves det and √(ab) unchanged and negates the returned c', () => {
    fc.assert(
      fc.property(psd, ({ a, b, c }) => {
        const plus = covariance(a, c, b);
        const minus = covariance(a, -c, b);
        expect(minus.det).toBe(plus.det);
        expect(minus.sqrtDet).toBe(plus.sqrtDet);
        expect(minus.sqrtAb).toBe(plus.sqrtAb);
        expect(minus.c).toBe(-plus.c);
      }),
      { numRuns: 500 },
    );
  });

  it('a ↔ b leaves every invariant unchanged', () => {
    fc.assert(
      fc.property(psd, ({ a, b, c }) => {
        const x = covariance(a, c, b);
        const y = covariance(b, c, a);
        expect(y.det).toBe(x.det);
        expect(y.c).toBe(x.c);
        expect(Math.abs(y.sqrtAb - x.sqrtAb)).toBeLessThanOrEqual(2e-16 * x.sqrtAb);
      }),
      { numRuns: 500 },
    );
  });

  it('det = ab − c² ≥ 0 to a few ulps of ab (the exact product is the reference)', () => {
    fc.assert(
      fc.property(psd, ({ a, b, c }) => {
        const cov = covariance(a, c, b);
        expect(cov.det).toBeGreaterThanOrEqual(0);
        expect(cov.sqrtDet).toBe(Math.sqrt(cov.det));
        expect(Math.abs(cov.det - Math.max(0, diffOfProducts(a, b, c, c)))).toBeLessThanOrEqual(4e-16 * a * b);
      }),
      { numRuns: 500 },
    );
  });

  it('classifyCovariance agrees with covariance: interior ⇔ det > 0, with τ² = det/(ab) and ρ = c/√(ab); boundary carries sign c', () => {
    fc.assert(
      fc.property(psd, ({ a, b, c }) => {
        const cov = covariance(a, c, b);
        const kind = classifyCovariance(a, c, b);
        if (cov.det > 0) {
          expect(kind.kind).toBe('interior');
          if (kind.kind !== 'interior') return;
          expect(Math.abs(kind.tau * kind.tau - cov.det / (a * b))).toBeLessThanOrEqual(1e-15);
          expect(Math.abs(kind.rho - c / Math.sqrt(a * b))).toBeLessThanOrEqual(1e-15);
          expect(kind.rho * kind.rho + kind.tau * kind.tau).toBeCloseTo(1, 14);
          // c ↦ −c negates ρ and keeps τ.
          const mirrored = classifyCovariance(a, -c, b);
          expect(mirrored).toEqual({ kind: 'interior', rho: -kind.rho, tau: kind.tau });
        } else {
          expect(kind).toEqual({ kind: 'boundary', sign: c > 0 ? 1 : -1 });
        }
      }),
      { numRuns: 500 },
    );
  });

  it('choleskyFactor reproduces Λ: l11² = a, l11·l21 = c, l21² + l22² = b (relative 1e-15)', () => {
    fc.assert(
      fc.property(psd, ({ a, b, c }) => {
        const cov = covariance(a, c, b);
        const { l11, l21, l22 } = choleskyFactor(cov);
        expect(Math.abs(l11 * l11 - a)).toBeLessThanOrEqual(4e-16 * a);
        expect(Math.abs(l11 * l21 - cov.c)).toBeLessThanOrEqual(4e-16 * cov.sqrtAb);
        expect(Math.abs(l21 * l21 + l22 * l22 - b)).toBeLessThanOrEqual(1e-15 * b);
      }),
      { numRuns: 500 },
    );
  });
});

describe('covariance edge cases', () => {
  it('accepts |ρ| up to 1 + RHO_SLACK as the boundary and rejects beyond, naming the entry', () => {
    expect(covariance(4, 2 * (1 + RHO_SLACK / 2), 1)).toMatchObject({ c: 2, det: 0, sqrtDet: 0 });
    expect(classifyCovariance(4, -2, 1)).toEqual({ kind: 'boundary', sign: -1 });
    expect(() => covariance(4, 2 * (1 + 4 * RHO_SLACK), 1)).toThrow(/c = .* gives \|ρ\|/);
  });

  it('degenerate variances force c = 0', () => {
    expect(classifyCovariance(0, 0, 2)).toEqual({ kind: 'degenerate' });
    expect(choleskyFactor(covariance(0, 0, 4))).toEqual({ l11: 0, l21: 0, l22: 2 });
    expect(() => covariance(0, 1e-3, 2)).toThrow(DomainError);
  });

  it('rejects NaN, ∞ and negative variances with a DomainError naming the entry', () => {
    expect(() => covariance(Number.NaN, 0, 1)).toThrow(/^a = NaN/);
    expect(() => covariance(1, Number.POSITIVE_INFINITY, 1)).toThrow(/^c = Infinity is not finite/);
    expect(() => covariance(1, 0, -1)).toThrow(/^b = -1 < 0/);
  });
});
