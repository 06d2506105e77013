/**
 * Regenerates the built-in Pfaffian artifacts under packages/hgm-runtime/artifacts/ from the compiler.
 *
 *   npm run regenerate-artifacts -w @holonomic-ntk/restriction               # all (about 1 min)
 *   npm run regenerate-artifacts -w @holonomic-ntk/restriction -- relu erf   # only these
 *
 * Output is deterministic except `timings` (see artifacts/README.md). Files are written atomically (temporary file
 * + rename), so an interrupted run never leaves a half-written artifact.
 */
import { createRequire } from 'node:module';
import { renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { artifactToJson } from '../src/compiler/artifact.ts';
import { BUILTIN_ARTIFACTS, CATALOGUE_ARTIFACTS } from '../src/compiler/builtinArtifacts.ts';
import { compileActivation, compileFormula } from '../src/compiler/compile.ts';

const SPECS = [...BUILTIN_ARTIFACTS, ...CATALOGUE_ARTIFACTS];

/** hgm-runtime's catalogue folder, found through the package name (the artifacts ship with the runtime). */
const OUT = dirname(createRequire(import.meta.url).resolve('@holonomic-ntk/hgm-runtime/artifacts/relu.artifact.json'));
const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith('--'));
const unknown = names.filter((n) => !SPECS.some((s) => s.name === n || s.file.replace('.artifact.json', '') === n));
if (unknown.length > 0) {
  console.error(`unknown activation(s): ${unknown.join(', ')}; built-ins: ${SPECS.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
for (const spec of SPECS) {
  if (names.length > 0 && !names.some((n) => spec.name === n || spec.file.replace('.artifact.json', '') === n)) continue;
  const t0 = performance.now();
  const artifact = 'formula' in spec ? compileFormula(spec) : compileActivation(spec);
  const path = join(OUT, spec.file);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, artifactToJson(artifact));
  renameSync(tmp, path);
  const ranks = artifact.systems.map((s) => `${s.integrands.join('+')}: rank ${s.rank} [${s.basis.join(', ')}]`).join('; ');
  console.log(`${spec.name}: ${((performance.now() - t0) / 1000).toFixed(1)} s — ${ranks} → ${path}`);
}
