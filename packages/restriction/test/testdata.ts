import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureJson } from '../../../test/support/fixtures.ts';

export const HERE = dirname(fileURLToPath(import.meta.url));
/** A case of test/fixtures/restriction.json. */
export interface RestrictionCase {
  name: string;
  kind: 'restriction' | 'integration';
  vars: string[];
  dvars: string[];
  weight: number[];
  ideal: string[];
  expectBFunctionRoots: number[];
  expectS0: number;
  expectIdeal: string[];
  expectReducedGBGrevlex?: string[];
  expectRank?: number;
  expectHolonomicRankOfInput?: number;
  expectModuleGenerators?: string;
}

export const restrictionCases: RestrictionCase[] = fixtureJson<{ cases: RestrictionCase[] }>('restriction.json').cases;
