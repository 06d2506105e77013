import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = dirname(fileURLToPath(import.meta.url));
/** shared/ sits beside the repository (CI clones it there too). */
export const SHARED = join(HERE, '../../../../shared');

/** A case of shared/testdata/restriction.json. */
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

export const restrictionCases: RestrictionCase[] = (
  JSON.parse(readFileSync(join(SHARED, 'testdata', 'restriction.json'), 'utf8')) as { cases: RestrictionCase[] }
).cases;
