/**
 * shared/testdata/dual_refs.json, the project's high-precision dual-activation references (two independent
 * quadratures per value), for every package's tests. shared/ sits beside the repository checkout.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared/ folder next to the repository. */
export const SHARED = join(dirname(fileURLToPath(import.meta.url)), '../../../shared');

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
  return JSON.parse(readFileSync(join(SHARED, 'testdata', 'dual_refs.json'), 'utf8')) as DualRef[];
}
