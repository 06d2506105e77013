/**
 * The doctest: every ```ts `@example` block of packages/*\/src runs as an ES module (see test/support/exampleBlocks.ts
 * for the dialect), so an example that drifts from the code fails here with the file and line to fix.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, findExampleBlocks, runExample } from './support/exampleBlocks.ts';

/**
 * Packages (directory names under packages/) whose API has been curated: there, an `@example` without a ```ts fence
 * (the old prose form) fails the suite instead of being skipped. Add a package once all its examples are fenced.
 */
const CURATED_PACKAGES: readonly string[] = ['hgm-runtime', 'weyl-algebra', 'groebner', 'core', 'restriction', 'ntk', 'cli'];

const scan = findExampleBlocks();

// Inside the repository (.cache/ is git-ignored), so that `@holonomic-ntk/*` resolve through its node_modules;
// a fresh directory per run, so that concurrent runs do not overwrite each other's modules.
mkdirSync(join(REPO_ROOT, '.cache', 'examples'), { recursive: true });
const outDir = mkdtempSync(join(REPO_ROOT, '.cache', 'examples', 'run-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('@example blocks', () => {
  for (const block of scan.blocks) {
    const inPackage = block.file.slice(`packages/${block.pkg}/`.length);
    it(`${block.pkg} ${inPackage}:${block.line} ${block.declaration}`, async () => {
      await runExample(block, outDir);
    });
  }
});

describe('curated packages', () => {
  it('name existing packages', () => {
    const missing = CURATED_PACKAGES.filter((pkg) => !existsSync(join(REPO_ROOT, 'packages', pkg, 'src')));
    expect(missing, 'CURATED_PACKAGES entries without packages/<name>/src').toEqual([]);
  });

  it('have only ```ts-fenced @example blocks', () => {
    const oldStyle = scan.unfenced.filter((u) => CURATED_PACKAGES.includes(u.pkg)).map((u) => `${u.file}:${u.line} ${u.declaration}`);
    expect(oldStyle, '@example without a ```ts fence in a curated package').toEqual([]);
  });

  it('use every value their public entries export in a runnable example', () => {
    // Public entries: src/index.ts, plus the subpaths users import (ntk/node, cli/resolver). Types are documented by
    // their comments; every function, class and constant must appear in some fenced example of its package.
    const entries: Record<string, readonly string[]> = { ntk: ['index', 'node'], cli: ['index', 'activationResolver'] };
    const missing: string[] = [];
    for (const pkg of CURATED_PACKAGES) {
      const code = scan.blocks
        .filter((b) => b.pkg === pkg)
        .map((b) => b.code)
        .join('\n');
      for (const entry of entries[pkg] ?? ['index']) {
        const text = readFileSync(join(REPO_ROOT, 'packages', pkg, 'src', `${entry}.ts`), 'utf8');
        const names = [
          ...[...text.matchAll(/export \{([^}]*)\}/g)].flatMap((m) =>
            m[1]!
              .split(',')
              .map((n) => n.trim())
              .filter((n) => n !== '' && !n.startsWith('type '))
              .map((n) => n.split(' as ').pop()!.trim()),
          ),
          ...[...text.matchAll(/export (?:const|function|class|async function) (\w+)/g)].map((m) => m[1]!),
        ];
        for (const n of names) if (!new RegExp(`\\b${n}\\b`).test(code)) missing.push(`@holonomic-ntk/${pkg} (${entry}): ${n}`);
      }
    }
    expect(missing, 'exported values without a runnable example').toEqual([]);
  });
});
