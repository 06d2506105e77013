import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from './io.ts';

/**
 * Writes a file so that readers see either the old content or the complete new one, never half a file. A path that
 * is a directory is the user's mistake, said as such (not the temporary file's EISDIR).
 */
export function writeFileAtomic(path: string, text: string): void {
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`${path} is a directory; give a file name to write`);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    // Name the user's path, not the temporary file's.
    if (e instanceof Error && 'path' in e) e.path = path;
    throw e;
  }
}
