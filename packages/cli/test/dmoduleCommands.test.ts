import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/main.ts';

/** Runs `hgm …` in this process, capturing stdout and stderr. */
async function hgm(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  const l = vi.spyOn(console, 'log').mockImplementation((...xs: unknown[]) => void (out += `${xs.join(' ')}\n`));
  try {
    const code = await main(args);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    l.mockRestore();
  }
}

describe('hgm D-module commands (issue 16)', () => {
  beforeEach(() => vi.restoreAllMocks());
  afterEach(() => vi.restoreAllMocks());

  it.each([['bfunction'], ['bernstein'], ['annfs'], ['rank'], ['char'], ['singlocus']])('%s --help', async (cmd) => {
    const r = await hgm(cmd, '--help');
    expect(r.code).toBe(0);
    expect(r.out + r.err).toMatch(/Usage: hgm/);
  });

  it('bfunction: the issue-16 repro of degree 31 is found (exit 0), a non-holonomic ideal is a verdict (exit 3), a reached limit is exit 4 naming the option', async () => {
    const ok = await hgm('bfunction', '--ideal', 't - x^31; dx + 31*x^30*dt', '--vars', 't,x', '--weight', '1,0', '--json');
    expect(ok.code).toBe(0);
    const j = JSON.parse(ok.out);
    expect(j.degree).toBe(31);
    expect(j.roots[0]).toEqual({ root: '-30/31', multiplicity: 1 });
    const verdict = await hgm('bfunction', '--ideal', 'dy', '--vars', 'x,y', '--weight', '1,0');
    expect(verdict.code).toBe(3);
    expect(verdict.err).toMatch(/not holonomic/);
    const verdict2 = await hgm('bfunction', '--ideal', 'dz', '--vars', 'x,y,z', '--weight', '1,1,0', '--max-bfunction-degree', '4');
    expect(verdict2.code).toBe(3);
    expect(verdict2.err).toMatch(/characteristic variety has dimension 5 > 3/);
    const limit = await hgm(
      'bfunction',
      '--ideal',
      't - x^31; dx + 31*x^30*dt',
      '--vars',
      't,x',
      '--weight',
      '1,0',
      '--method',
      'linear-algebra',
      '--max-bfunction-degree',
      '5',
    );
    expect(limit.code).toBe(4);
    expect(limit.err).toMatch(/limit reached: .*degree 5.*--max-bfunction-degree/);
    const restrict = await hgm(
      'restrict',
      '--ideal',
      'x1*dx1+2*x2*dx2-1/3; dx2-dx1^2; x3*dx3-1',
      '--vars',
      'x1,x3,x2',
      '--weight',
      '1,1,0',
      '--max-bfunction-degree',
      '1',
    );
    expect(restrict.code).toBe(4);
    expect(restrict.err).toMatch(/--max-bfunction-degree/);
  });

  it('bernstein --json: b_f, roots and lct of the cusp; annfs --check; rank; char; singlocus', async () => {
    const b = await hgm('bernstein', '--f', 'x^2+y^3', '--vars', 'x,y', '--json');
    expect(b.code).toBe(0);
    const j = JSON.parse(b.out);
    expect(j.factored).toBe('(s+7/6)*(s+1)*(s+5/6)');
    expect(j.logCanonicalThreshold).toBe('5/6');
    const a = await hgm('annfs', '--f', 'x*y*(x+y)', '--vars', 'x,y', '--check', '--json');
    expect(a.code).toBe(0);
    expect(JSON.parse(a.out).annihilatesFs.every((x: boolean) => x)).toBe(true);
    const r = await hgm('rank', '--ideal', 'dx^2 - x; dy - 1', '--vars', 'x,y', '--json');
    expect(JSON.parse(r.out).rank).toBe(2);
    const c = await hgm('char', '--ideal', 'dx', '--vars', 'x,y', '--json');
    expect(JSON.parse(c.out)).toMatchObject({ dimension: 3, holonomic: false });
    const s = await hgm('singlocus', '--ideal', 'x*(1-x)*dx^2 + (1/5 - 11/6*x)*dx - 1/6', '--vars', 'x', '--json');
    expect(JSON.parse(s.out).singularLocus).toEqual(['x^2 - x']);
    const bad = await hgm('bernstein', '--f', 'x^2', '--vars', 'x', '--route', 'nope');
    expect(bad.code).toBe(2);
    const slow = await hgm('annfs', '--f', 'x*y*z*(x-y)*(x-z)*(y-z)', '--vars', 'x,y,z', '--timeout', '0.05');
    expect(slow.code).toBe(4);
    expect(slow.err).toMatch(/limit reached: .*maxMilliseconds.*raise it with --timeout/);
  });

  it('gb --params with negative weights (u + v ≥ 0): the initial ideal over Q(a, b, c) as Macaulay2 inw; u + v < 0 is a usage error', async () => {
    const r = await hgm(
      'gb',
      '--ideal',
      'x*(1-x)*dx^2+(c-(a+b+1)*x)*dx-a*b; y*dy-a',
      '--vars',
      'x,y',
      '--params',
      'a,b,c',
      '--order',
      'weight:-1,0,1,0',
      '--json',
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.params).toEqual(['a', 'b', 'c']);
    // Macaulay2 1.21: inw(I, {-1,0,1,0}) = {y*dy-a, x*dx^2+c*dx} (packages/groebner/test/fixtures).
    expect([...j.initialForms].sort()).toEqual(['x*dx^2 + c*dx', 'y*dy - a']);
    const text = await hgm('gb', '--ideal', 'x*dx - a', '--vars', 'x', '--params', 'a', '--order', 'weight:-1,2');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/over Q\(a\) for the weight \(-1, 2\)/);
    const euler = await hgm('gb', '--ideal', 'dx*(dx+a-1) - x', '--euler', '--vars', 'x', '--params', 'a', '--order', 'weight:-1,1', '--json');
    expect(JSON.parse(euler.out).initialForms).toEqual(['x^2*dx^2 + a*x*dx']);
    const bad = await hgm('gb', '--ideal', 'x*dx - 1', '--vars', 'x', '--order', 'weight:-2,1');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/u1 \+ v1 = -2 \+ 1 < 0/);
  });

  it('restrict --module: the pruned 0-th restriction module (Macaulay2 Drestriction(0, I, {1,0})), Q^r at a point, 0 without a root ≥ 0', async () => {
    const r = await hgm('restrict', '--ideal', 'x*dx+2*y*dy+3; dx^2-dy', '--vars', 'x,y', '--weight', '1,0', '--module', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    // Macaulay2 1.21: cokernel {{2*y*dy+3, 0}, {0, y*dy+2}} (packages/restriction/test/fixtures/drestriction_m2.json).
    expect(j.module).toMatchObject({
      generators: ['dx', '1'],
      relations: [
        ['0', '2*y*dy + 3'],
        ['y*dy + 2', '0'],
      ],
      dimension: null,
    });
    const point = await hgm('restrict', '--ideal', 'dx^2 - x; dy - 1', '--vars', 'x,y', '--weight', '1,1', '--module');
    expect(point.out).toMatch(/H\^0 = Q\^2/);
    const zero = await hgm('restrict', '--ideal', 'x*dx+y*dy+1; x*dy-y*dx', '--vars', 'x,y', '--weight', '1,1', '--module', '--json');
    expect(JSON.parse(zero.out).module).toMatchObject({ generators: [], dimension: 0 });
    const integ = await hgm('integrate', '--ideal', 'dt + t; dx - 1', '--vars', 't,x', '--weight', '1,0', '--module', '--json');
    expect(JSON.parse(integ.out).module.relations).toEqual([['dx - 1']]);
  });

  it('bfunction --module --shift: Macaulay2 bFunction(M, w, m) (its own TEST module, and shifts); --shift without --module is a usage error', async () => {
    const r = await hgm(
      'bfunction',
      '--module',
      '(-dy^2-dy, -x*dx-x*dy-x+1, y*dy^2+y*dy-dy-7); (-dx+dy, x-(5/4)*y, -1); (0, -y, -4); (-1, 0, -x)',
      '--vars',
      'x,y',
      '--weight',
      '1,1',
      '--shift',
      '1,0,-2',
      '--json',
    );
    expect(r.code).toBe(0);
    // Macaulay2 1.21 (packages/restriction/test/fixtures/bfunction_module_m2.json).
    expect(JSON.parse(r.out).bFunction).toBe('s^6+26*s^5+198*s^4+172*s^3-2311*s^2-2310*s');
    const text = await hgm('bfunction', '--module', '(2*y*dy+3, 0); (0, y*dy+2)', '--vars', 'x,y', '--weight', '0,1', '--shift', '-3,2');
    expect(text.out).toMatch(/s\^2\+9\/2\*s/);
    expect((await hgm('bfunction', '--ideal', 'x*dx-1', '--vars', 'x', '--weight', '1', '--shift', '1')).code).toBe(2);
    const ragged = await hgm('bfunction', '--module', '(x*dx-1, 0); (dx)', '--vars', 'x', '--weight', '1');
    expect(ragged.code).toBe(2);
    expect(ragged.err).toMatch(/relation 2 has 1 entries/);
    const free = await hgm('bfunction', '--module', '(x*dx-1, 0)', '--vars', 'x', '--weight', '1');
    expect(free.code).toBe(3);
  });
});
