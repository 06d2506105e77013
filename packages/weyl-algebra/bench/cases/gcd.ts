import { type Poly, PolyRing, QQ, Rational, ZZ, gcdZZ } from '../../src/index.ts';
import type { BenchCase } from '../harness.ts';
import { rng } from '../rng.ts';

const R = new PolyRing(ZZ, ['x', 'y', 'z']);

/** Every monomial of total degree ≤ deg with a coefficient uniform in [−9, 9]. */
export function densePoly(r: () => number, deg: number): Poly<bigint> {
  const monos: number[][] = [];
  const coeffs: bigint[] = [];
  for (let a = 0; a <= deg; a++) {
    for (let b = 0; a + b <= deg; b++) {
      for (let c = 0; a + b + c <= deg; c++) {
        monos.push([a, b, c]);
        coeffs.push(BigInt(Math.floor(r() * 19) - 9));
      }
    }
  }
  return R.fromTerms(monos, coeffs);
}

/** f·g and f·h for random dense f, g, h of degree 4 (f the common factor). */
export function gcdInput(): [Poly<bigint>, Poly<bigint>] {
  const r = rng(20240806);
  const f = densePoly(r, 4);
  const g = densePoly(r, 4);
  const h = densePoly(r, 4);
  return [R.mul(f, g), R.mul(f, h)];
}

export const cases: BenchCase[] = [
  {
    name: 'gcd 3-var deg 8, common deg 4 factor',
    detail: 'gcdZZ of f·g and f·h, f, g, h dense of degree 4 in x, y, z, coefficients in [−9, 9] (heuristic path)',
    setup: gcdInput,
    run: (input) => {
      const [a, b] = input as [Poly<bigint>, Poly<bigint>];
      return gcdZZ(R, a, b);
    },
  },
  {
    name: 'gcd 3-var deg 8, common deg 4 factor, modular fallback',
    detail: 'the same inputs with the heuristic skipped (Brown’s modular algorithm alone)',
    setup: gcdInput,
    run: (input) => {
      const [a, b] = input as [Poly<bigint>, Poly<bigint>];
      return gcdZZ(R, a, b, { algorithm: 'modular' });
    },
  },
  {
    name: '(x+y+z+1)^20 expanded',
    detail: 'PolyRing.pow over QQ, 1771 terms',
    setup: () => {
      const Q = new PolyRing(QQ, ['x', 'y', 'z']);
      const [x, y, z] = Q.gens();
      return { Q, s: Q.add(Q.add(Q.add(x!, y!), z!), Q.constant(Rational.ONE)) };
    },
    run: (input) => {
      const { Q, s } = input as { Q: PolyRing<Rational>; s: Poly<Rational> };
      return Q.pow(s, 20);
    },
  },
];
