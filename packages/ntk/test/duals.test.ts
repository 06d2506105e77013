import { ACTIVATIONS, DomainError, type SigmaSpec, covariance, diffOfProducts, gaussHermiteExpectation } from '@holonomic-ntk/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { angularIntegral } from '../src/duals/arcCosine.ts';
import { quadratureExpectation } from '../src/duals/quadratureDual.ts';
import {
  CLOSED_FORM_DUALS,
  closedFormDual,
  erfDual,
  gaussHermiteDual,
  geluDual,
  monteCarloDual,
  quadratureDual,
  rectPowDual,
  reluDual,
  stepDual,
  type DualProvider,
} from '../src/index.ts';
import { dualRefs, relErr } from './helpers.ts';

const refs = dualRefs();
const value = (p: DualProvider, kind: 'sigma' | 'dsigma', a: number, c: number, b: number) => (kind === 'sigma' ? p.sigma(a, c, b) : p.dsigma(a, c, b));

describe('closed forms against test/fixtures/dual_refs.json (mpmath)', () => {
  for (const [act, p] of [
    ['relu', reluDual],
    ['erf', erfDual],
    ['gelu', geluDual],
  ] as const) {
    it(`${act}: every point incl. ρ = ±1, relative error ≤ 1e-12`, () => {
      const rows = refs.filter((r) => r.activation === act);
      expect(rows.length).toBe(80);
      let worst = 0;
      for (const r of rows) {
        const ref = Number(r.value_str);
        const err = relErr(value(p, r.kind, r.a, r.c, r.b), ref);
        worst = Math.max(worst, err);
        expect(err, `${act} ${r.kind} a=${r.a} b=${r.b} ρ=${r.rho}`).toBeLessThanOrEqual(1e-12);
      }
      expect(worst).toBeLessThan(1e-14); // measured: ≤ 3e-15
    });
  }

  it('relu at ρ = −1 is exactly 0, and so is its derivative dual', () => {
    for (const r of refs.filter((x) => x.activation === 'relu' && x.rho === -1)) {
      expect(value(reluDual, r.kind, r.a, r.c, r.b)).toBe(0);
    }
  });
});

describe('adaptive quadrature reference', () => {
  for (const act of ['resin', 'gelu', 'relu', 'erf'] as const) {
    it(`${act}: matches dual_refs.json to 1e-12 relative (all 80 points)`, () => {
      const p = quadratureDual(ACTIVATIONS[act]);
      for (const r of refs.filter((x) => x.activation === act)) {
        const ref = Number(r.value_str);
        const v = value(p, r.kind, r.a, r.c, r.b);
        expect(relErr(v, ref), `${act} ${r.kind} a=${r.a} b=${r.b} ρ=${r.rho}`).toBeLessThanOrEqual(ref === 0 ? 1e-15 : 1e-12);
      }
    });
  }
});

const grid: [number, number, number][] = [];
for (const [a, b] of [
  [1, 1],
  [0.3, 2.5],
  [4, 0.5],
] as const) {
  for (const rho of [-1, -0.99999, -0.9, -0.4, 0, 0.3, 0.8, 0.9999, 1]) {
    grid.push([a, rho === 1 || rho === -1 ? rho * Math.sqrt(a * b) : rho * Math.sqrt(a * b), b]);
  }
}
// a·b a perfect square for exact ρ = ±1
const exactBoundary: [number, number, number][] = (
  [
    [4, 2, 1],
    [4, -2, 1],
    [0.25, 0.5, 1],
    [0.25, -0.5, 1],
  ] as const
).map(([a, c, b]) => [a, c, b]);

describe('closed forms against the quadrature reference', () => {
  const power = (m: number): SigmaSpec => ({ sigma: (u) => (u > 0 ? u ** m : 0), kinks: [0], support: [0, Infinity] });
  for (const m of [2, 3, 5]) {
    it(`rectpow${m} (arc-cosine kernel of degree ${m}), σ and σ̇ duals, 1e-12`, () => {
      const p = rectPowDual(m);
      for (const [a, c, b] of [...grid, ...exactBoundary]) {
        const ref = quadratureExpectation(power(m), power(m), a, c, b);
        expect(relErr(p.sigma(a, c, b), ref), `m=${m} a=${a} c=${c} b=${b}`).toBeLessThanOrEqual(ref === 0 ? 1e-300 : 1e-12);
        const dref = m * m * quadratureExpectation(power(m - 1), power(m - 1), a, c, b);
        expect(relErr(p.dsigma(a, c, b), dref)).toBeLessThanOrEqual(dref === 0 ? 1e-300 : 1e-12);
      }
    });
  }

  it('rectpow: the recursion (ρ ≥ 0) and the angular integral (ρ < 0) agree at ρ = 0', () => {
    for (const m of [2, 3, 4, 7, 10]) {
      const s = Math.PI / 2;
      const viaRecursion = angularIntegral(m, s, 1, 0);
      const viaQuadrature = angularIntegral(m, s, 1, Number.MIN_VALUE); // cos s > 0 selects Gauss–Legendre
      expect(relErr(viaQuadrature, viaRecursion)).toBeLessThan(1e-14);
    }
  });

  it('rectpow Cho–Saul J₂ = 3 sin θ cos θ + (π − θ)(1 + 2cos²θ)', () => {
    for (const rho of [-0.5, 0.2, 0.7]) {
      const th = Math.acos(rho);
      expect(relErr(rectPowDual(2).sigma(1, rho, 1), (3 * Math.sin(th) * rho + (Math.PI - th) * (1 + 2 * rho * rho)) / (2 * Math.PI))).toBeLessThan(1e-14);
    }
  });

  it('step (relu′): vs quadrature, with E[δδ] = 1/(2π√Δ) as ∂/∂c of the step dual (Price)', () => {
    const step = ACTIVATIONS.step.sigma;
    for (const [a, c, b] of grid) {
      if (Math.abs(c) === Math.sqrt(a * b)) continue; // the hgm-runtime step has Y(0) = 0: skip the boundary
      expect(relErr(stepDual.sigma(a, c, b), quadratureExpectation(step, step, a, c, b))).toBeLessThan(1e-12);
      if (Math.abs(c) < 0.99 * Math.sqrt(a * b)) {
        const h = 1e-5 * Math.sqrt(a * b);
        const fd = (stepDual.sigma(a, c + h, b) - stepDual.sigma(a, c - h, b)) / (2 * h);
        expect(relErr(stepDual.dsigma(a, c, b), fd)).toBeLessThan(1e-7);
      }
    }
    expect(() => stepDual.dsigma(1, 1, 1)).toThrow(DomainError);
  });

  it('gelu σ̇ dual is the c-derivative of the σ dual (Price), and both match quadrature off the grid of the refs', () => {
    const q = quadratureDual(ACTIVATIONS.gelu);
    for (const [a, c, b] of [
      [1, 0.5, 1],
      [0.3, -0.8, 2.5],
      [4, 1.3, 0.5],
    ] as const) {
      const h = 1e-5;
      const fd = (geluDual.sigma(a, c + h, b) - geluDual.sigma(a, c - h, b)) / (2 * h);
      expect(relErr(geluDual.dsigma(a, c, b), fd)).toBeLessThan(1e-8);
      expect(relErr(geluDual.sigma(a, c, b), q.sigma(a, c, b))).toBeLessThan(1e-12);
      expect(relErr(geluDual.dsigma(a, c, b), q.dsigma(a, c, b))).toBeLessThan(1e-12);
    }
  });

  it('sin, cos, exp against quadrature', () => {
    const specs: Record<string, [SigmaSpec, SigmaSpec]> = {
      sin: [
        { sigma: Math.sin, kinks: [] },
        { sigma: Math.cos, kinks: [] },
      ],
      cos: [
        { sigma: Math.cos, kinks: [] },
        { sigma: (u) => -Math.sin(u), kinks: [] },
      ],
      exp: [
        { sigma: Math.exp, kinks: [] },
        { sigma: Math.exp, kinks: [] },
      ],
    };
    for (const [name, [s, ds]] of Object.entries(specs)) {
      const p = CLOSED_FORM_DUALS[name]!;
      for (const [a, c, b] of [
        [1, 0.5, 1],
        [0.3, -0.8, 2.5],
        [2, 2, 2],
        [0.5, -0.5, 0.5],
      ] as const) {
        expect(relErr(p.sigma(a, c, b), quadratureExpectation(s, s, a, c, b)), `${name} σ a=${a} c=${c}`).toBeLessThan(1e-12);
        expect(relErr(p.dsigma(a, c, b), quadratureExpectation(ds, ds, a, c, b)), `${name} σ̇ a=${a} c=${c}`).toBeLessThan(1e-12);
      }
    }
  });

  it('degenerate variances a = 0 or b = 0', () => {
    expect(reluDual.sigma(0, 0, 3)).toBe(0);
    expect(reluDual.dsigma(0, 0, 3)).toBe(0); // Y(0) = 0, the project's convention (MATH.md §5)
    expect(reluDual.dsigma(0, 0, 0)).toBe(0);
    expect(erfDual.sigma(0, 0, 3)).toBe(0);
    expect(geluDual.sigma(2, 0, 0)).toBe(0);
    expect(geluDual.dsigma(2, 0, 0)).toBeCloseTo(0.25, 15); // GELU′(0)·E[GELU′(v)] = ½·½
    expect(erfDual.dsigma(0, 0, 0)).toBeCloseTo(4 / Math.PI, 15);
    expect(() => reluDual.sigma(0, 0.1, 1)).toThrow(DomainError);
  });

  it('invalid Λ throws DomainError; rounding-level excess of c² over ab is treated as ρ = ±1', () => {
    for (const [a, c, b] of [
      [-1, 0, 1],
      [1, 0, -1],
      [1, 1.01, 1],
      [NaN, 0, 1],
      [1, Infinity, 1],
    ] as const) {
      for (const p of [reluDual, erfDual, geluDual]) expect(() => p.sigma(a, c, b)).toThrow(DomainError);
    }
    expect(reluDual.sigma(2, 2 * (1 + 1e-15), 2)).toBe(1); // √(ab)/2
    expect(covariance(2, 2 * (1 + 1e-15), 2).det).toBe(0);
  });

  it('Δ = ab − c² (diffOfProducts, which covariance uses) is accurate under cancellation (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        (a, b, r) => {
          const c = r * Math.sqrt(a * b);
          const d = diffOfProducts(a, b, c, c);
          const ref = exactDet(a, b, c);
          return ref === 0 ? Math.abs(d) <= 1e-300 : Math.abs(d - ref) <= 4e-16 * Math.abs(ref) + 1e-300;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('closedFormDual looks up names and rectpow<m>', () => {
    expect(closedFormDual('relu')).toBe(reluDual);
    expect(closedFormDual('rectpow:4')!.sigma(1, 1, 1)).toBeCloseTo(105 / 2, 12); // E[u⁸Y(u)] = 7!!/2
    expect(closedFormDual('resin')).toBeUndefined();
  });
});

/** ab − c² exactly for doubles (as BigInt fractions on a common 2^-k grid), rounded once. */
function exactDet(a: number, b: number, c: number): number {
  const toBig = (x: number): [bigint, number] => {
    // x = m·2^e with integer m
    let e = 0;
    let y = x;
    while (!Number.isInteger(y)) {
      y *= 2;
      e--;
    }
    return [BigInt(y), e];
  };
  const [ma, ea] = toBig(a);
  const [mb, eb] = toBig(b);
  const [mc, ec] = toBig(c);
  const e1 = ea + eb;
  const e2 = 2 * ec;
  const e = Math.min(e1, e2);
  const num = ma * mb * 2n ** BigInt(e1 - e) - mc * mc * 2n ** BigInt(e2 - e);
  // num·2^e to double: scale down in BigInt to keep 64 significant bits, then to number
  const neg = num < 0n;
  let n = neg ? -num : num;
  let shift = 0;
  while (n > 2n ** 64n) {
    n >>= 1n;
    shift++;
  }
  const v = Number(n) * 2 ** (e + shift);
  return neg ? -v : v;
}

describe('Gauss–Hermite', () => {
  it('normal-weight rules: Σw = 1 and E[z^{2k}] = (2k−1)!! exactly up to degree 2n − 1 (n ≤ 200)', () => {
    for (const n of [1, 2, 3, 5, 10, 20, 50, 100, 200]) {
      const f = (p: number) =>
        gaussHermiteExpectation(
          (u) => u ** p,
          () => 1,
          1,
          0,
          1,
          n,
        );
      expect(relErr(f(0), 1)).toBeLessThan(1e-14);
      let dfact = 1;
      for (let k = 1; 2 * k <= Math.min(2 * n - 1, 60); k++) {
        dfact *= 2 * k - 1;
        expect(relErr(f(2 * k), dfact), `n=${n} k=${k}`).toBeLessThan(1e-12);
        expect(Math.abs(f(2 * k - 1))).toBeLessThan(1e-12 * dfact);
      }
      // the first degree where the rule is not exact: 2n
      if (n <= 10) {
        let df = 1;
        for (let j = 1; j <= n; j++) df *= 2 * j - 1;
        expect(relErr(f(2 * n), df)).toBeGreaterThan(1e-3);
      }
    }
  });

  it('2-D rule: Isserlis moments E[u²v²] = ab + 2c², E[u⁴v⁴] = 9a²b² + 72abc² + 24c⁴, E[u³v] = 3ac', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 5, noNaN: true }),
        fc.double({ min: 0.1, max: 5, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        (a, b, r) => {
          const c = r * Math.sqrt(a * b);
          const gh = (p: number, q: number) =>
            gaussHermiteExpectation(
              (u) => u ** p,
              (v) => v ** q,
              a,
              c,
              b,
              5,
            );
          return (
            relErr(gh(2, 2), a * b + 2 * c * c) < 1e-12 &&
            relErr(gh(4, 4), 9 * a * a * b * b + 72 * a * b * c * c + 24 * c ** 4) < 1e-12 &&
            Math.abs(gh(3, 1) - 3 * a * c) < 1e-12 * a * Math.sqrt(a * b)
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it('error against the closed forms (reported, loosely bounded: kinks make GH converge slowly)', () => {
    const rows: string[] = [];
    for (const act of ['relu', 'erf', 'gelu'] as const) {
      const cf = CLOSED_FORM_DUALS[act]!;
      for (const n of [10, 20, 50, 100]) {
        const gh = gaussHermiteDual(ACTIVATIONS[act], n);
        let worst = 0;
        for (const r of refs.filter((x) => x.activation === act && x.kind === 'sigma')) {
          // error on the Cauchy–Schwarz scale √(E[σ(u)²]E[σ(v)²]) (relative error is meaningless where the dual ≈ 0)
          const scale = Math.sqrt(cf.sigma(r.a, r.a, r.a) * cf.sigma(r.b, r.b, r.b));
          worst = Math.max(worst, Math.abs(gh.sigma(r.a, r.c, r.b) - cf.sigma(r.a, r.c, r.b)) / scale);
        }
        rows.push(`${act} GH${n}: max error ${worst.toExponential(2)}`);
        if (n === 100) expect(worst).toBeLessThan(1e-2);
      }
    }
    console.log(rows.join('\n'));
  });
});

describe('Monte Carlo', () => {
  it('agrees with the closed forms within 5 standard errors, and is reproducible', () => {
    for (const act of ['relu', 'erf'] as const) {
      const mc = monteCarloDual(ACTIVATIONS[act], { samples: 20_000, seed: 3 });
      for (const [a, c, b] of [
        [1, 0.5, 1],
        [0.3, -0.8, 2.5],
      ] as const) {
        for (const kind of ['sigma', 'dsigma'] as const) {
          const est = mc.estimate(kind, a, c, b);
          expect(Math.abs(est.mean - value(CLOSED_FORM_DUALS[act]!, kind, a, c, b))).toBeLessThan(5 * est.stdError);
          expect(mc.estimate(kind, a, c, b)).toEqual(est);
        }
      }
    }
  });
});
