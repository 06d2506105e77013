#!/usr/bin/env node
// Builds every workspace package to its dist/ (tsc -b on each per-package tsconfig.build.json, in dependency
// order), then rewrites relative `.ts` specifiers in the emitted declaration files to `.js`: tsc's
// rewriteRelativeImportExtensions rewrites the JavaScript only, and a consumer's tsc resolves './x.js' in a .d.ts
// to './x.d.ts' but cannot resolve './x.ts' (there is no .ts file next to the declarations).
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Dependency order. */
export const PACKAGES = ['core', 'weyl-algebra', 'groebner', 'restriction', 'hgm-runtime', 'ntk', 'cli'];

const tsc = join(root, 'node_modules', '.bin', 'tsc');
// One tsc per package, in order: `tsc -b a b c` builds projects without `references` concurrently, and a package's
// types come from its dependencies' dist/*.d.ts (the build does not use the `source` condition).
for (const p of PACKAGES) {
  const r = spawnSync(tsc, ['-b', join('packages', p, 'tsconfig.build.json'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const SPECIFIER = /((?:from|import)\s*\(?\s*['"])(\.\.?\/[^'"]*?)\.ts(['"])/g;
function* declarationFiles(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* declarationFiles(path);
    else if (e.name.endsWith('.d.ts')) yield path;
  }
}
for (const p of PACKAGES) {
  for (const file of declarationFiles(join(root, 'packages', p, 'dist'))) {
    const text = readFileSync(file, 'utf8');
    const fixed = text.replace(SPECIFIER, '$1$2.js$3');
    if (fixed !== text) writeFileSync(file, fixed);
  }
}
