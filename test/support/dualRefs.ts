/**
 * test/fixtures/dual_refs.json, the project's high-precision dual-activation references (two independent
 * quadratures per value), for every package's tests.
 */
import { fixtureJson } from './fixtures.ts';

/** One reference value E[σ(u)σ(v)] ('sigma') or E[σ̇(u)σ̇(v)] ('dsigma') at Λ = [[a, c], [c, b]]. */
export interface DualRef {
  activation: string;
  kind: 'sigma' | 'dsigma';
  a: number;
  b: number;
  c: number;
  rho: number;
  value: number;
  value_str: string;
  digits: number;
}

/** All reference points, in file order. */
export function dualRefs(): DualRef[] {
  return fixtureJson<DualRef[]>('dual_refs.json');
}
