/**
 * The main entry of every library package bundles for the browser: esbuild (platform browser, the `source`
 * condition, so from the TypeScript sources) must find no `node:` import and no Node built-in. Node-only code lives
 * behind subpaths (`@holonomic-ntk/ntk/node`) and in the CLI.
 */
import { build, type Plugin } from 'esbuild';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const LIBRARIES = ['core', 'weyl-algebra', 'groebner', 'restriction', 'hgm-runtime', 'ntk'];
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Records every import of a Node built-in (with the importing file) and marks it external instead of failing. */
function nodeImports(found: string[]): Plugin {
  return {
    name: 'node-imports',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        const bare = args.path.split('/')[0]!;
        if (args.path.startsWith('node:') || BUILTINS.has(args.path) || (BUILTINS.has(bare) && !bare.startsWith('@'))) {
          found.push(`${args.path} (imported by ${args.importer.replace(ROOT, '.')})`);
          return { path: args.path, external: true };
        }
        return undefined;
      });
    },
  };
}

describe('browser bundles of the main entries', () => {
  for (const pkg of LIBRARIES) {
    it(`@holonomic-ntk/${pkg} bundles with platform 'browser' and imports no Node module`, async () => {
      const found: string[] = [];
      const result = await build({
        stdin: { contents: `export * from '@holonomic-ntk/${pkg}';`, resolveDir: ROOT, loader: 'ts' },
        bundle: true,
        write: false,
        format: 'esm',
        platform: 'browser',
        conditions: ['source'],
        logLevel: 'silent',
        plugins: [nodeImports(found)],
      });
      expect(result.errors).toEqual([]);
      expect(found, `Node imports in @holonomic-ntk/${pkg}`).toEqual([]);
      expect(result.outputFiles[0]!.text.length).toBeGreaterThan(0);
    });
  }
});

describe('the seam: the numerics never pull in the algebra', () => {
  // The runtime evaluates an artifact alone (its σ formulas included), and ntk with the shipped catalogue never pays
  // for the CAS: their bundles must contain no module of weyl-algebra, groebner or restriction.
  for (const pkg of ['core', 'hgm-runtime', 'ntk']) {
    it(`@holonomic-ntk/${pkg} bundles without any algebra package`, async () => {
      const result = await build({
        stdin: { contents: `export * from '@holonomic-ntk/${pkg}';`, resolveDir: ROOT, loader: 'ts' },
        bundle: true,
        write: false,
        metafile: true,
        format: 'esm',
        platform: 'browser',
        conditions: ['source'],
        logLevel: 'silent',
      });
      const inputs = Object.keys(result.metafile.inputs);
      // hgm-runtime carries the formula evaluator that makes an artifact self-contained.
      if (pkg === 'hgm-runtime') expect(inputs.some((f) => f.endsWith('packages/core/src/numericFormula.ts'))).toBe(true);
      expect(inputs.filter((f) => /packages\/(weyl-algebra|groebner|restriction)\//.test(f))).toEqual([]);
    });
  }
});
