import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { QQ, RationalFunctionField, WeylAlgebra, parseOperators, parseRationalFunction } from '@holonomic-ntk/weyl-algebra';
import { groebnerBasis, idealEquals } from '@holonomic-ntk/groebner';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');

function hgm(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'packages/cli/bin/hgm.js'), ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const noStackTrace = (s: string) => expect(s).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

describe('hgm command line', () => {
  it.each([[], ['gb'], ['pfaffian'], ['restrict'], ['integrate'], ['derive'], ['dual']])('--help for %j', (...cmd) => {
    const r = hgm(...(cmd as string[]), '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Usage: hgm/);
  });

  it('gb --json gives the reduced basis', () => {
    const r = hgm('gb', '--ideal', 'x*dx-1; y*dy-1; x*y*dx*dy-1', '--vars', 'x,y', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.basis).toEqual(['y*dy - 1', 'x*dx - 1']);
  });

  it('gb over Q(a): parameters in the coefficient field', () => {
    const r = hgm('gb', '--ideal', 'x*dx-a; dx^2', '--vars', 'x', '--params', 'a', '--json');
    expect(r.code).toBe(0);
    // x∂ − a and ∂²: ∂·(x∂ − a) = x∂² + (1 − a)∂ → (1 − a)∂ ∈ I → ∂ ∈ I over Q(a) → a ∈ I → the unit ideal.
    expect(JSON.parse(r.out).basis).toEqual(['1']);
  });

  it('gb with a weight vector that is not a term order goes through D^(h) and prints initial forms', () => {
    const r = hgm('gb', '--ideal', 'x*dx-1; dx^2-x', '--vars', 'x', '--order', 'weight:-1,1', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.method).toMatch(/D\^\(h\)/);
    expect(j.initialForms.length).toBe(j.basis.length);
  });

  it('pfaffian --json reproduces the Heaviside-step system of test/fixtures entry by entry', () => {
    const c = JSON.parse(readFileSync(join(FIXTURES, 'pfaffian.json'), 'utf8')).cases[0];
    const r = hgm('pfaffian', '--ideal', c.ideal.join('; '), '--vars', c.variables.join(','), '--basis', c.basis.join(', '), '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.rank).toBe(2);
    expect(j.integrable).toBe(true);
    expect(j.basis).toEqual(c.basis);
    // Entries are canonical text another system can parse: parse and compare as rational functions.
    const F = new RationalFunctionField(c.variables);
    for (const v of c.variables) {
      j.pfaffian[v].forEach((row: string[], i: number) =>
        row.forEach((e, k) => expect(F.eq(parseRationalFunction(F, e), parseRationalFunction(F, c.pfaffian[v][i][k]))).toBe(true)),
      );
    }
  });

  it('pfaffian --euler reads dx as x*dx (Appell F1)', () => {
    const c = JSON.parse(readFileSync(join(FIXTURES, 'pfaffian.json'), 'utf8')).cases[1];
    const r = hgm('pfaffian', '--ideal', c.ideal.join('; '), '--vars', 'x1,x2', '--params', 'a,b1,b2,c', '--euler', '--basis', '1, dx1, dx2', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).rank).toBe(3);
  });

  it('restrict and integrate reproduce the restriction.json cases (ideals compared by Gröbner bases)', () => {
    const cases = JSON.parse(readFileSync(join(FIXTURES, 'restriction.json'), 'utf8')).cases;
    for (const c of cases) {
      const r = hgm(
        c.kind === 'integration' ? 'integrate' : 'restrict',
        '--ideal',
        c.ideal.join('; '),
        '--vars',
        c.vars.join(','),
        '--weight',
        c.weight.join(','),
        '--json',
      );
      expect(r.code, r.err).toBe(0);
      const j = JSON.parse(r.out);
      expect(j.bFunctionRoots.map(Number)).toEqual(c.expectBFunctionRoots);
      expect(Number(j.s0)).toBe(c.expectS0);
      const D = new WeylAlgebra(QQ, j.vars);
      const got = j.ideal.length ? parseOperators(D, j.ideal.join(';')) : [];
      expect(idealEquals(D, got, parseOperators(D, c.expectIdeal.join(';')))).toBe(true);
    }
  });

  it('derive: a built-in loads its committed artifact; a formula is derived, cached, and the cache is used', () => {
    const cache = mkdtempSync(join(tmpdir(), 'hgm-cache-'));
    const env = { ...process.env, HGM_CACHE_DIR: cache };
    const relu = hgm('derive', 'relu', '--json');
    expect(relu.code).toBe(0);
    const art = JSON.parse(relu.out);
    expect(art.format).toBe('hgm-pfaffian/2');
    expect(art.activation).toMatchObject({ sigma: 'u*heaviside(u)', kinks: [0] });
    expect(art.systems.map((s: any) => s.rank)).toEqual([2, 2]);
    const run = () =>
      spawnSync(process.execPath, [join(ROOT, 'packages/cli/bin/hgm.js'), 'derive', '--expr', 'u*heaviside(u)', '--json'], {
        encoding: 'utf8',
        env,
        timeout: 120_000,
      });
    const first = run();
    expect(first.status, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).systems.map((s: any) => s.rank)).toEqual([2, 2]);
    expect(readdirSync(cache).filter((f) => f.endsWith('.artifact.json')).length).toBe(1);
    expect(readdirSync(cache).some((f) => f.endsWith('.tmp'))).toBe(false);
    const second = run();
    expect(second.stdout).toBe(first.stdout);
    const wrong = hgm('derive', '--annihilator', 'u*du-2', '--sigma', 'u*heaviside(u)');
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/does not annihilate.*residual/);
    noStackTrace(wrong.err);
    const typo = hgm('derive', '--expr', 'u*heavyside(u)');
    expect(typo.code).toBe(2);
    expect(typo.err).toMatch(/unknown function heavyside.*column 3/);
  });

  it('dual: HGM from the derived artifact equals the closed form (relu: 1e-10 relative); batch keeps input order', () => {
    const closed = (a: number, c: number, b: number) => {
      const t = Math.acos(c / Math.sqrt(a * b));
      return (Math.sqrt(a * b) * (Math.sin(t) + (Math.PI - t) * Math.cos(t))) / (2 * Math.PI);
    };
    const one = hgm('dual', 'relu', '--cov', '1,0.5,2', '--json');
    expect(one.code, one.err).toBe(0);
    const j = JSON.parse(one.out);
    expect(j.method).toBe('hgm');
    expect(Math.abs(j.value - closed(1, 0.5, 2)) / closed(1, 0.5, 2)).toBeLessThan(1e-10);
    // The HGM states its error estimate and route; the estimate bounds the actual error (with the rounding of
    // the closed form) and meets the default tolerance.
    expect(typeof j.route).toBe('string');
    expect(j.error).toBeLessThanOrEqual(1e-12 * j.value);
    expect(Math.abs(j.value - closed(1, 0.5, 2))).toBeLessThanOrEqual(j.error + 4e-16 * j.value);
    const dir = mkdtempSync(join(tmpdir(), 'hgm-dual-'));
    const rows = [
      [1, 0.5, 1],
      [2, -1, 3],
      [1, 1, 1],
      [0.5, -0.2, 4],
    ];
    writeFileSync(join(dir, 'c.csv'), `a,c,b\n${rows.map((r) => r.join(',')).join('\n')}\n`);
    const batch = hgm('dual', 'relu', '--batch', join(dir, 'c.csv'), '--json');
    expect(batch.code, batch.err).toBe(0);
    const out = JSON.parse(batch.out);
    expect(out.map((o: any) => [o.a, o.c, o.b])).toEqual(rows);
    out.forEach((o: any) => expect(Math.abs(o.value - closed(o.a, o.c, o.b)) / closed(o.a, o.c, o.b)).toBeLessThan(1e-10));
    out.forEach((o: any) => expect(o.error).toBeLessThanOrEqual(Math.max(1e-12 * Math.abs(o.value), 1e-13)));
    writeFileSync(join(dir, 'bad.csv'), 'a,c,b\n1,0.5,1\n2,x,3\n');
    const bad = hgm('dual', 'relu', '--batch', join(dir, 'bad.csv'), '--json');
    expect(bad.code).toBe(2);
    expect(bad.out).toBe('');
    expect(bad.err).toMatch(/row 3/);
    const invalid = hgm('dual', 'relu', '--cov', '1,3,4');
    expect(invalid.code).toBe(2);
    expect(invalid.err).toMatch(/\|ρ\| = 1.5 > 1/);
    noStackTrace(invalid.err);
  });

  it('one activation spec: derive -o FILE, then dual and ntk read --artifact FILE (or the path); --expr; the same values every way', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hgm-spec-'));
    const env = { ...process.env, HGM_CACHE_DIR: join(dir, 'cache') };
    const run = (...args: string[]) => {
      const r = spawnSync(process.execPath, [join(ROOT, 'packages/cli/bin/hgm.js'), ...args], { encoding: 'utf8', env, cwd: dir, timeout: 120_000 });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    expect(run('derive', '--expr', 'heaviside(u)*cos(u)', '-o', 'ycos.json').code).toBe(0);
    const art = JSON.parse(readFileSync(join(dir, 'ycos.json'), 'utf8'));
    expect(art.format).toBe('hgm-pfaffian/2');
    expect(art.activation).toMatchObject({ sigma: 'heaviside(u)*cos(u)', kinks: [0] });
    const value = (...args: string[]) => {
      const r = run('dual', ...args, '--cov', '1,0.5,2', '--json');
      expect(r.code, r.err).toBe(0);
      return JSON.parse(r.out).value as number;
    };
    const byArtifact = value('--artifact', 'ycos.json');
    const byPath = value('ycos.json');
    const byExpr = value('--expr', 'heaviside(u)*cos(u)');
    const byQuad = value('--artifact', 'ycos.json', '--method', 'quad');
    expect(byPath).toBe(byArtifact);
    expect(Math.abs(byExpr - byArtifact) / byArtifact).toBeLessThan(1e-12);
    expect(Math.abs(byQuad - byArtifact) / byArtifact).toBeLessThan(1e-10);
    writeFileSync(join(dir, 'X.csv'), '1,0\n0.6,0.8\n');
    const ntk = run('ntk', '--artifact', 'ycos.json', '--depth', '1', '--x', 'X.csv', '--json');
    expect(ntk.code, ntk.err).toBe(0);
    const quad = run('ntk', '--artifact', 'ycos.json', '--depth', '1', '--x', 'X.csv', '--json', '--method', 'quad');
    const [k, q] = [JSON.parse(ntk.out).kernel, JSON.parse(quad.out).kernel] as number[][][];
    k!.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - q![i]![j]!) / Math.abs(q![i]![j]!)).toBeLessThan(1e-9)));
    const exp = run('experiment', '--artifact', 'ycos.json', '--n-train', '8', '--n-test', '16', '--json');
    expect(exp.code, exp.err).toBe(0);
    const rows = JSON.parse(exp.out).rows as { method: string; kernelError: number }[];
    expect(rows.map((r) => r.method)).toEqual(['gauss-hermite-20', 'hgm-per-entry', 'hgm-all-at-once']);
    for (const r of rows.slice(1)) expect(r.kernelError).toBeLessThan(1e-9);
    const two = run('dual', 'relu', '--expr', 'u', '--cov', '1,0,1');
    expect([two.code, two.err]).toEqual([2, 'hgm: give exactly one activation: a name or formula, --expr FORMULA or --artifact FILE\n']);
    const missing = run('dual', '--artifact', 'nope.json', '--cov', '1,0,1');
    expect([missing.code, missing.err]).toEqual([2, 'hgm: artifact nope.json: no such file\n']);
  });

  it('a piecewise formula derives by pieces (ELU with α = 1/2): derive -o, dual --artifact = quadrature; catalogue names load', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hgm-pieces-'));
    const env = { ...process.env, HGM_CACHE_DIR: join(dir, 'cache') };
    const run = (...args: string[]) => {
      const r = spawnSync(process.execPath, [join(ROOT, 'packages/cli/bin/hgm.js'), ...args], { encoding: 'utf8', env, cwd: dir, timeout: 120_000 });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    const derived = run('derive', '--expr', 'u*heaviside(u) + 1/2*heaviside(-u)*(exp(u)-1)', '-o', 'elu2.json');
    expect(derived.code, derived.err).toBe(0);
    expect(derived.out).toMatch(/sigma = sum of 3 pieces: #0 heaviside\(u\)\*u \(u\*du - 1\)/);
    const art = JSON.parse(readFileSync(join(dir, 'elu2.json'), 'utf8'));
    expect(art.systems.map((s: any) => [s.integrands[0], s.pair])).toEqual([
      ['sigma', [0, 0]],
      ['sigma', [0, 1]],
      ['sigma', [0, 2]],
      ['sigma', [1, 1]],
      ['sigma', [1, 2]],
      ['sigma', [2, 2]],
      ['dsigma', [0, 0]],
      ['dsigma', [0, 1]],
      ['dsigma', [1, 1]],
    ]);
    for (const extra of [[], ['--derivative']]) {
      const value = (...args: string[]) => {
        const r = run('dual', '--artifact', 'elu2.json', ...extra, ...args, '--json');
        expect(r.code, r.err).toBe(0);
        return JSON.parse(r.out).value as number;
      };
      for (const cov of ['1,0.5,2', '0.3,-0.2,1', '4,1,1']) {
        const [h, q] = [value('--cov', cov), value('--cov', cov, '--method', 'quad')];
        expect(Math.abs(h - q) / Math.abs(q), `${extra} ${cov}`).toBeLessThan(1e-11);
      }
    }
    const elu = run('derive', 'elu');
    expect([elu.code, elu.out.split('\n')[0]]).toEqual([0, 'activation elu (built-in artifact elu.artifact.json)']);
    const tanh = run('derive', '--expr', 'tanh(u)');
    expect(tanh.code).toBe(3);
    expect(tanh.err).toMatch(/not D-finite.*nothing to derive.*hgm dual --expr "tanh\(u\)" --method quad/);
    noStackTrace(tanh.err);
  });

  it('a formula that is not holonomic: the HGM says why it cannot serve it; the numeric methods evaluate it', () => {
    const hgmRun = hgm('dual', 'tanh(u)', '--cov', '1,0.5,2');
    expect(hgmRun.code).toBe(2);
    expect(hgmRun.err).toMatch(/^hgm: .*tanh\(u\) is not holonomic \(tanh at column 1 is not D-finite.*use the method quad, gh:<n> or mc:<n>\n$/);
    noStackTrace(hgmRun.err);
    const quad = hgm('dual', '--expr', 'tanh(u)', '--cov', '1,0.5,2', '--method', 'quad', '--json');
    const gh = hgm('dual', '--expr', 'tanh(u)', '--cov', '1,0.5,2', '--method', 'gh:60', '--json');
    expect(quad.code, quad.err).toBe(0);
    const [vq, vg] = [JSON.parse(quad.out).value, JSON.parse(gh.out).value] as number[];
    // tanh is smooth: Gauss–Hermite 60 agrees with adaptive quadrature to many digits.
    expect(Math.abs(vq! - vg!) / vq!).toBeLessThan(1e-8);
  });

  it('errors say what and where, exit 2/3, no stack trace', () => {
    const bad = hgm('gb', '--ideal', 'x*z', '--vars', 'x,y');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/unknown variable z.*column 3/);
    noStackTrace(bad.err);
    const dangling = hgm('gb', '--ideal', 'x+', '--vars', 'x');
    expect(dangling.err).toMatch(/column 3/);
    const nopair = hgm('gb', '--ideal', 'dz', '--vars', 'x');
    expect(nopair.err).toMatch(/dz has no pair/);
    const infinite = hgm('pfaffian', '--ideal', 'dx-1', '--vars', 'x,y');
    expect(infinite.code).toBe(3);
    expect(infinite.err).toMatch(/pure power of dy/);
    noStackTrace(infinite.err);
    const order = hgm('gb', '--ideal', 'x', '--vars', 'x', '--order', 'weight:1');
    expect(order.code).toBe(2);
    expect(order.err).toMatch(/needs 2 integers/);
    const noWeight = hgm('restrict', '--ideal', 'x', '--vars', 'x', '--weight', '0');
    expect(noWeight.code).toBe(2);
    expect(noWeight.err).toMatch(/no positive weight/);
    const missing = hgm('gb', '--vars', 'x');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--ideal/);
  });
});

describe('Gröbner bases over Q(params) through the library', () => {
  const F = new RationalFunctionField(['a']);
  const D = new WeylAlgebra(F, ['x']);
  it('x²∂² ≡ a² − a modulo x∂ − a: with x²∂² the ideal is (1), with x²∂² − a² + a it is ⟨x∂ − a⟩', () => {
    const unit = groebnerBasis(D, parseOperators(D, 'x*dx-a; x^2*dx^2'));
    expect(unit.length).toBe(1);
    expect(D.eq(unit[0]!, D.one)).toBe(true);
    const proper = groebnerBasis(D, parseOperators(D, 'x*dx-a; x^2*dx^2-a^2+a'));
    expect(proper.length).toBe(1);
    expect(D.eq(proper[0]!, parseOperators(D, 'x*dx-a')[0]!)).toBe(true);
  });
  it('coefficients are rational functions in lowest terms: (a+1)/(a−1) survives a round trip', () => {
    const G = groebnerBasis(D, parseOperators(D, '(a-1)*x*dx-(a+1)'));
    expect(D.eq(G[0]!, parseOperators(D, 'x*dx-(a+1)/(a-1)')[0]!)).toBe(true);
  });
});
