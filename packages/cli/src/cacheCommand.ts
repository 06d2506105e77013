import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { artifactCacheDir } from './activationArtifact.ts';
import { UsageError } from './io.ts';

/** Files the cache holds: derived artifacts and the temporary files of interrupted writes. Nothing else is touched. */
const CACHE_FILE = /^(\.[^/]*\.tmp|\.hgm-probe-.*|[0-9a-f]{24}\.artifact\.json(\.\d+\.\d+\.tmp)?)$/;

function cacheFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => CACHE_FILE.test(f));
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return [];
    throw e;
  }
}

/** `hgm cache dir | list | clear`: where derived artifacts are cached ($HGM_CACHE_DIR), what is there, remove them. */
export function registerCache(program: Command): void {
  const cache = program
    .command('cache')
    .description('The on-disk cache of derived artifacts ($HGM_CACHE_DIR, default ~/.cache/holonomic-ntk).')
    .addHelpText('after', '\nExamples:\n  hgm cache dir\n  hgm cache list\n  hgm cache clear');
  cache
    .command('dir')
    .description('print the cache directory')
    .action(() => console.log(artifactCacheDir()));
  cache
    .command('list')
    .description('list the cached artifacts')
    .action(() => {
      for (const f of cacheFiles(artifactCacheDir())) console.log(join(artifactCacheDir(), f));
    });
  cache
    .command('clear')
    .description('remove the cached artifacts (only files the cache wrote; the directory stays)')
    .action(() => {
      const dir = artifactCacheDir();
      const files = cacheFiles(dir);
      for (const f of files) rmSync(join(dir, f), { force: true });
      console.log(`removed ${files.length} file${files.length === 1 ? '' : 's'} from ${dir}`);
    });
  cache.action(() => {
    throw new UsageError('hgm cache: give dir, list or clear');
  });
}
