import { readArtifact, type PfaffianArtifact } from '@holonomic-ntk/core';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

export function fixtureText(name: string): string {
  return readFileSync(join(HERE, 'fixtures', name), 'utf8');
}

export function stepArtifact(): PfaffianArtifact {
  return readArtifact(fixtureText('step.artifact.json'));
}

/** Deep copy of the fixture JSON, for making malformed variants. */
export function stepJson(): any {
  return JSON.parse(fixtureText('step.artifact.json'));
}

export { fixtureJson } from '../../../test/support/fixtures.ts';

/** Deterministic PRNG (mulberry32) so failures reproduce. */
export { mulberry32 as rng } from '@holonomic-ntk/core';

export const relErr = (x: number, ref: number): number => Math.abs(x - ref) / Math.abs(ref);
