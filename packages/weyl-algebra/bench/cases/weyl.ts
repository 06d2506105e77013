import { type Poly, QQ, Rational, WeylAlgebra } from '../../src/index.ts';
import type { BenchCase } from '../harness.ts';
import { rng } from '../rng.ts';

export const D = new WeylAlgebra(QQ, ['x1', 'x2', 'x3', 'x4', 'x5']);

/** A random operator: `terms` distinct monomials in 5 pairs, exponents 0..3, small rational coefficients. */
export function randomOperator(seed: number, terms: number): Poly<Rational> {
  const r = rng(seed);
  const monos: number[][] = [];
  const coeffs: Rational[] = [];
  const seen = new Set<string>();
  while (monos.length < terms) {
    const m = Array.from({ length: 10 }, () => Math.floor(r() * 4));
    const k = m.join();
    if (seen.has(k)) continue;
    seen.add(k);
    monos.push(m);
    coeffs.push(Rational.of(Math.floor(r() * 199) - 99, 1 + Math.floor(r() * 9)));
  }
  return D.poly.fromTerms(monos, coeffs);
}

export const cases: BenchCase[] = [
  {
    name: 'Weyl product 200×200 terms, 5 pairs',
    detail: 'random operators, exponents 0–3, rational coefficients',
    setup: () => [randomOperator(1, 200), randomOperator(2, 200)],
    run: (input) => {
      const [a, b] = input as [Poly<Rational>, Poly<Rational>];
      return D.mul(a, b);
    },
    minRuns: 5,
    minMs: 2000,
  },
];
