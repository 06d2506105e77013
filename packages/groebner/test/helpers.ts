import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** shared/ sits beside the repository (CI clones it there too). */
export const SHARED = join(dirname(fileURLToPath(import.meta.url)), '../../../../shared');

export function testdata<T = any>(name: string): T {
  return JSON.parse(readFileSync(join(SHARED, 'testdata', name), 'utf8')) as T;
}
