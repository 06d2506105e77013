import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type PfaffianArtifact, readArtifact } from '@holonomic-ntk/core';
import { describe, expect, it } from 'vitest';
import { artifactToJson } from '../src/compiler/artifact.ts';
import { CATALOGUE_ARTIFACTS } from '../src/compiler/builtinArtifacts.ts';
import { compileFormulaSystems } from '../src/compiler/compile.ts';
import { dualSystemDefects } from './integrability.ts';

/** hgm-runtime's catalogue folder, found through the package name (the artifacts ship with the runtime). */
const ARTIFACTS = dirname(createRequire(import.meta.url).resolve('@holonomic-ntk/hgm-runtime/artifacts/relu.artifact.json'));
const committed = (file: string): PfaffianArtifact => readArtifact(readFileSync(join(ARTIFACTS, file), 'utf8'));
/** Everything but `timings` (wall-clock seconds, the one volatile field; artifacts/README.md). */
const stable = (a: PfaffianArtifact) => artifactToJson({ ...a, timings: undefined });

describe('the formula catalogue (issue 11 list): derives, regenerates bit for bit, integrable, expected ranks', () => {
  for (const spec of CATALOGUE_ARTIFACTS) {
    it(spec.name, { timeout: 300_000 }, () => {
      const { artifact, systems } = compileFormulaSystems(spec);
      expect(artifact.systems.map((s) => s.rank)).toEqual(spec.expectedRanks);
      expect(stable(artifact)).toBe(stable(committed(spec.file)));
      for (const c of systems) {
        // A mixed pair of pieces may keep a pole on x12 = 0 in every basis tried (ELU's u·Y(u) × e^v·Y(−v)); the
        // runtime then starts its path off ρ = 0 (hgm-runtime src/offsetStart.ts). No other spurious factor.
        expect(c.system.spurious.filter((f) => f !== 'x12')).toEqual([]);
        if (c.system.spurious.length > 0) expect(c.pair?.[0]).not.toBe(c.pair?.[1]);
        expect(dualSystemDefects(c.system)).toEqual([]);
      }
    });
  }
});
