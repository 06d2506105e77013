/**
 * The repository's test fixtures (test/fixtures/, origin in its README): every test reads ground truth from here,
 * never from outside the checkout, so a fresh clone with nothing beside it passes.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** Parsed JSON of test/fixtures/<name>. */
export function fixtureJson<T = any>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as T;
}
