/**
 * The packages as a user gets them: build, `npm pack` every workspace, install the tarballs into an empty project
 * in the temp directory, then (a) import each package from plain `node`, (b) type-check a TypeScript consumer
 * against the installed declarations (nodenext, strict), (c) run the installed `hgm` bin. Slow (a build and an
 * `npm install`; third-party dependencies come from the registry or npm's cache).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// The children must resolve the published conditions (dist/), not the repo's `source` one (vitest.config.ts).
const ENV = { ...process.env, NODE_OPTIONS: '' };

let work: string;
let project: string;

function run(cmd: string, args: string[], cwd: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(cmd, args, { cwd, env: ENV, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'hgm-pack-'));
  const tarballs = join(work, 'tarballs');
  project = join(work, 'consumer');
  mkdirSync(tarballs);
  mkdirSync(project);
  const build = run(NPM, ['run', 'build', '--silent'], ROOT);
  expect(build.code, build.out + build.err).toBe(0);
  const pack = run(NPM, ['pack', '--workspaces', '--pack-destination', tarballs, '--silent'], ROOT);
  expect(pack.code, pack.out + pack.err).toBe(0);
  const files = readdirSync(tarballs).filter((f) => f.endsWith('.tgz'));
  expect(files).toHaveLength(7);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }, null, 2));
  const r = run(NPM, ['install', ...files.map((f) => join(tarballs, f)), '--no-audit', '--no-fund', '--no-package-lock'], project);
  expect(r.code, r.err).toBe(0);
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('packed and installed', { timeout: 600_000 }, () => {
  it('plain node imports every package and calls one function of each', () => {
    writeFileSync(
      join(project, 'use.mjs'),
      `import { builtinActivation } from '@holonomic-ntk/core';
import { QQ, WeylAlgebra, parseOperator, operatorToText } from '@holonomic-ntk/weyl-algebra';
import { groebnerBasis } from '@holonomic-ntk/groebner';
import { formulaToText, parseFormula } from '@holonomic-ntk/restriction';
import { builtinArtifact, dualActivation } from '@holonomic-ntk/hgm-runtime';
import { parseDualMethod, toRows } from '@holonomic-ntk/ntk';
import { kernelMatrix } from '@holonomic-ntk/ntk/node';
import { activationResolver } from '@holonomic-ntk/cli/resolver';
import relu from '@holonomic-ntk/hgm-runtime/artifacts/relu.artifact.json' with { type: 'json' };
const D = new WeylAlgebra(QQ, ['x']);
const out = {
  core: builtinActivation('gelu')?.formula,
  weyl: operatorToText(D, parseOperator(D, 'dx*x')),
  groebner: groebnerBasis(D, [parseOperator(D, 'x*dx - 1'), parseOperator(D, 'dx^2')]).map((p) => operatorToText(D, p)),
  restriction: formulaToText(parseFormula('u*heaviside(u)')),
  runtime: builtinArtifact('relu').systems.map((s) => s.rank),
  // The odex integrator (a CommonJS dependency, imported through '#odex'): relu's E[σσ] at a = 1, c = 0.5, b = 2.
  odex: Math.abs(dualActivation(builtinArtifact('relu'), builtinActivation('relu').sigma, 1, 0.5, 2, { solver: 'odex' }) - 0.3642988816942232) < 1e-9,
  ntk: parseDualMethod('gh:20'),
  node: toRows((await kernelMatrix({ depth: 0, activation: 'relu', method: 'closed' }, [[2, 0], [0, 4]], null, { workers: 0 })).nngp),
  resolver: activationResolver.functions('relu').sigma.sigma(2),
  json: relu.format,
};
console.log(JSON.stringify(out));
`,
    );
    const r = run(process.execPath, ['use.mjs'], project);
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out).toMatchObject({
      core: 'u*Phi(u)',
      weyl: 'x*dx + 1',
      restriction: expect.any(String),
      runtime: [2, 2],
      odex: true,
      ntk: 'gh:20',
      node: [
        [2, 0],
        [0, 8],
      ],
      resolver: 2,
      json: 'hgm-pfaffian/2',
    });
    expect(out.groebner.length).toBeGreaterThan(0);
  });

  it('a strict TypeScript consumer type-checks against the installed declarations (nodenext)', () => {
    writeFileSync(
      join(project, 'use.ts'),
      `import { type PfaffianArtifact, builtinActivation, DomainError } from '@holonomic-ntk/core';
import { QQ, WeylAlgebra, parseOperator, operatorToText } from '@holonomic-ntk/weyl-algebra';
import { groebnerBasis } from '@holonomic-ntk/groebner';
import { formulaToText, parseFormula } from '@holonomic-ntk/restriction';
import { builtinArtifact } from '@holonomic-ntk/hgm-runtime';
import { parseDualMethod, type DualMethod } from '@holonomic-ntk/ntk';
import { kernelMatrix, type KernelMatrix } from '@holonomic-ntk/ntk/node';
import { activationResolver } from '@holonomic-ntk/cli/resolver';
const D = new WeylAlgebra(QQ, ['x']);
const text: string = operatorToText(D, parseOperator(D, 'dx*x'));
const gb = groebnerBasis(D, [parseOperator(D, 'dx')]);
const roots: string = formulaToText(parseFormula('u'));
const art: PfaffianArtifact = builtinArtifact('relu');
const m: DualMethod = parseDualMethod('hgm');
const f: (s: string) => unknown = activationResolver.functions;
const k: Promise<KernelMatrix> = kernelMatrix({ depth: 1, activation: 'relu' }, [[1, 0]]);
const e: Error = new DomainError('x');
export { text, gb, roots, art, m, f, k, e, builtinActivation };
`,
    );
    const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
    const r = run(
      tsc,
      [
        '--strict',
        '--noEmit',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--target',
        'es2022',
        '--types',
        'node',
        '--typeRoots',
        join(ROOT, 'node_modules', '@types'),
        'use.ts',
      ],
      project,
    );
    expect(r.out + r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it('the installed hgm bin runs the built JavaScript', () => {
    const bin = join(project, 'node_modules', '.bin', 'hgm');
    const help = run(bin, ['--help'], project);
    expect(help.code, help.err).toBe(0);
    expect(help.out).toMatch(/Usage: hgm/);
    expect(help.out).toMatch(/dual \[options\] \[activation\]/);
    const dual = run(bin, ['dual', 'relu', '--cov', '1,0.5,2'], project);
    expect(dual.code, dual.err).toBe(0);
    expect(dual.out).toMatch(/relu, a = 1, c = 0\.5, b = 2: 0\.36429888169422/);
  });
});
