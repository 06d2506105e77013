import Fraction from 'fraction.js';
import { Rational } from '../../src/index.ts';
import type { BenchCase } from '../harness.ts';
import { randomBits, rng } from '../rng.ts';

const N = 10_000;

function operands(bits: number, seed: number): [bigint, bigint][] {
  const r = rng(seed);
  return Array.from({ length: N }, () => [randomBits(r, bits), randomBits(r, bits)]);
}

/** add and mul of N random pairs of `bits`-bit fractions, ours and fraction.js on the same numbers. */
function opCase(op: 'add' | 'mul', bits: number): BenchCase {
  const raw = operands(bits, bits * 7 + (op === 'add' ? 1 : 2));
  return {
    name: `rational ${op}, ${bits}-bit operands`,
    detail: `${N} operations (time per batch)`,
    setup: () => raw.map(([n, d]) => Rational.of(n, d)),
    run: (input) => {
      const xs = input as Rational[];
      let s = Rational.ZERO;
      for (let i = 1; i < xs.length; i++) s = op === 'add' ? xs[i - 1]!.add(xs[i]!) : xs[i - 1]!.mul(xs[i]!);
      return s;
    },
    peer: {
      name: 'fraction.js 5',
      setup: () => raw.map(([n, d]) => new Fraction(n, d)),
      run: (input) => {
        const xs = input as Fraction[];
        let s = new Fraction(0);
        for (let i = 1; i < xs.length; i++) s = op === 'add' ? xs[i - 1]!.add(xs[i]!) : xs[i - 1]!.mul(xs[i]!);
        return s;
      },
    },
  };
}

/** Σ_{k=1}^{2000} 1/k (harmonic number): growing denominators, the typical accumulation in elimination. */
const harmonic: BenchCase = {
  name: 'rational accumulation Σ 1/k, k ≤ 2000',
  detail: 'long sum with growing denominators',
  run: () => {
    let s = Rational.ZERO;
    for (let k = 1; k <= 2000; k++) s = s.add(Rational.of(1n, BigInt(k)));
    return s;
  },
  peer: {
    name: 'fraction.js 5',
    run: () => {
      let s = new Fraction(0);
      for (let k = 1; k <= 2000; k++) s = s.add(new Fraction(1n, BigInt(k)));
      return s;
    },
  },
  minRuns: 5,
  minMs: 1000,
};

export const cases: BenchCase[] = [opCase('add', 40), opCase('mul', 40), opCase('add', 128), opCase('mul', 128), harmonic];
