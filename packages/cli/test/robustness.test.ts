/**
 * Hostile input and faults (issue 17): every case class asserts the exit code, a one-line message and that no file
 * is half-written. The command runs in this process (main) except where a process is the point (pipes, stdout).
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { planOutput, writeOutput } from '../src/output.ts';
import { hgmInProcess as hgm } from './helpers.ts';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '../bin/hgm.js');
const dir = mkdtempSync(join(tmpdir(), 'hgm-robust-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const p = (name: string) => join(dir, name);

writeFileSync(p('X.csv'), '1,0\n0.6,0.8\n');
const NTK = ['ntk', '--activation', 'relu', '--depth', '1', '--method', 'closed', '--x', p('X.csv')];
const CSV = '0.5,0.27511180664649815\n0.27511180664649815,0.5\n';

/** One line on stderr, starting with `hgm: `, no stack trace. */
function oneLine(err: string): void {
  expect(err).toMatch(/^hgm: [^\n]+\n$/);
  expect(err).not.toMatch(/\n\s+at /);
}

/** No temporary or probe files left in a directory. */
function noLeftovers(d: string): void {
  expect(readdirSync(d).filter((f) => f.endsWith('.tmp') || f.startsWith('.hgm-probe'))).toEqual([]);
}

describe('output paths', () => {
  it('a symbolic link is written through: the link stays, its target gets the matrix', async () => {
    writeFileSync(p('real.csv'), 'old\n');
    symlinkSync('real.csv', p('link.csv'));
    const r = await hgm([...NTK, '--out', p('link.csv')]);
    expect(r.code, r.err).toBe(0);
    expect(lstatSync(p('link.csv')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(p('link.csv'))).toBe('real.csv');
    expect(readFileSync(p('real.csv'), 'utf8')).toBe(CSV);
    // A dangling link: its target is created.
    symlinkSync('made.csv', p('dangling.csv'));
    expect((await hgm([...NTK, '--out', p('dangling.csv')])).code).toBe(0);
    expect(readFileSync(p('made.csv'), 'utf8')).toBe(CSV);
    noLeftovers(dir);
  });

  it('/dev/null stays a device; - is standard output (no file named -); the permission bits of a file are kept', async () => {
    const r = await hgm([...NTK, '--out', '/dev/null']);
    expect(r.code, r.err).toBe(0);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    const s = await hgm([...NTK, '--out', '-']);
    expect([s.code, s.out]).toEqual([0, CSV]);
    expect(existsSync('-')).toBe(false);
    writeFileSync(p('private.csv'), 'old\n');
    chmodSync(p('private.csv'), 0o600);
    expect((await hgm([...NTK, '--out', p('private.csv')])).code).toBe(0);
    expect(statSync(p('private.csv')).mode & 0o777).toBe(0o600);
  });

  it('a FIFO is written directly (its reader gets the matrix; it stays a FIFO)', async () => {
    const fifo = p('k.fifo');
    const mk = spawnSync('mkfifo', [fifo]);
    if (mk.status !== 0) return; // no mkfifo on this system
    const reader = spawn('cat', [fifo]);
    let got = '';
    reader.stdout.on('data', (d) => (got += String(d)));
    const done = new Promise((resolve) => reader.on('close', resolve));
    const r = await hgm([...NTK, '--out', fifo]);
    await done;
    expect(r.code, r.err).toBe(0);
    expect(got).toBe(CSV);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it.each([
    ['an empty path', '', /--out: empty path/],
    ['a directory', dir, /is a directory/],
    ['a path under a regular file', join(dir, 'X.csv', 'K.csv'), /cannot write .*X\.csv\/K\.csv: a component of the path is not a directory/],
    [
      'a place nobody may create files (sysfs)',
      '/sys/hgm-K.csv',
      /cannot write \/sys\/hgm-K\.csv: (permission denied|read-only file system|operation not permitted)/,
    ],
  ])('%s: exit 2 and one line before anything is read or computed', async (_what, out, message) => {
    // --x names a missing file: the output error comes first, so the path was checked before any input was read.
    const r = await hgm(['ntk', '--activation', 'relu', '--depth', '1', '--x', p('missing.csv'), '--out', out]);
    expect(r.code).toBe(2);
    oneLine(r.err);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
    noLeftovers(dir);
  });

  it('a full disk (mocked writer): one line naming the path, the old file intact, no temporary file', () => {
    writeFileSync(p('keep.csv'), 'old content\n');
    const target = planOutput(p('keep.csv'), '--out')!;
    const full = {
      writeFileSync: (path: string, data: string) => {
        writeFileSync(path, data.slice(0, 5)); // half written, then the disk is full
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write', path });
      },
    };
    expect(() => writeOutput(target, 'a,b\n1,2\n', full)).toThrow(/^cannot write .*keep\.csv: no space left on the device$/);
    expect(readFileSync(p('keep.csv'), 'utf8')).toBe('old content\n');
    noLeftovers(dir);
  });

  it('/dev/full: the JSON table is printed, then one line naming the path, exit 2', async () => {
    if (!existsSync('/dev/full')) return;
    const r = await hgm([...NTK, '--json', '--out', '/dev/full']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).kernel).toHaveLength(2);
    oneLine(r.err);
    expect(r.err).toMatch(/cannot write \/dev\/full: no space left on the device/);
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
  });

  it('--figure that fails when written (a link to /dev/full): the table is printed, then one line, exit 2', async () => {
    if (!existsSync('/dev/full')) return;
    symlinkSync('/dev/full', p('full.svg'));
    const r = await hgm(['experiment', '--activation', 'relu', '--n-train', '4', '--n-test', '4', '--depth', '1', '--figure', p('full.svg')]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/HGM all-at-once/);
    oneLine(r.err);
    expect(r.err).toMatch(/cannot write .*full\.svg: no space left on the device/);
    expect(lstatSync(p('full.svg')).isSymbolicLink()).toBe(true);
  });

  it('--figure on an unwritable place fails before the experiment runs (exit 2, one line)', async () => {
    const r = await hgm(['experiment', '--activation', 'relu', '--n-train', '4', '--n-test', '4', '--figure', '/sys/hgm-r.svg']);
    expect(r.code).toBe(2);
    oneLine(r.err);
    expect(r.out).toBe('');
  });
});

describe('names, options, messages', () => {
  it.each(['__proto__', 'toString', 'constructor', 'hasOwnProperty'])('dual %s: unknown activation with the list (exit 2)', async (name) => {
    for (const method of ['quad', 'gh:10', 'hgm']) {
      const r = await hgm(['dual', name, '--cov', '1,0,1', '--method', method]);
      expect(r.code).toBe(2);
      oneLine(r.err);
      expect(r.err).toMatch(new RegExp(`unknown activation "${name}".*built-ins: relu`));
    }
    const d = await hgm(['derive', name]);
    expect(d.code).toBe(2);
    oneLine(d.err);
    expect(d.err).toMatch(/unknown activation/);
  });

  it('an unknown activation in ntk says so with the closest name; a function name suggests the formula', async () => {
    const r = await hgm(['ntk', '--activation', 'rleu', '--depth', '1', '--x', p('X.csv')]);
    expect(r.code).toBe(2);
    oneLine(r.err);
    expect(r.err).toMatch(/unknown activation "rleu" \(did you mean "relu"\?\)/);
    const t = await hgm(['dual', 'tanh', '--cov', '1,0,1']);
    expect(t.err).toMatch(/did you mean the formula "tanh\(u\)"/);
  });

  it('a typo in an option names the typo and the closest option, not a missing required one', async () => {
    const r = await hgm(['gb', '--idael', 'x*dx-1', '--vars', 'x']);
    expect(r.code).toBe(2);
    oneLine(r.err);
    expect(r.err).toMatch(/unknown option '--idael' \(did you mean --ideal\?\)/);
    // An option value that starts with a dash is a value, not an option.
    expect((await hgm(['dual', 'relu', '--cov', '1,-0.5,2', '--method', 'closed'])).code).toBe(0);
  });

  it('an unknown command, a family parameter out of range, a singular regression: one line each with the way out', async () => {
    const c = await hgm(['drive', 'relu']);
    expect(c.code).toBe(2);
    oneLine(c.err);
    expect(c.err).toMatch(/unknown command 'drive' \(did you mean derive\?\)/);
    const r = await hgm(['dual', 'rectpow:999', '--cov', '1,0,1']);
    expect(r.code).toBe(2);
    oneLine(r.err);
    expect(r.err).toMatch(/rectpow:999: the power must be at most/);
    writeFileSync(p('twice.csv'), '1,0,1\n1,0,1\n');
    const g = await hgm(['regress', '--activation', 'relu', '--kernel', 'nngp', '--train', p('twice.csv'), '--test', p('twice.csv')]);
    expect(g.code).toBe(2);
    oneLine(g.err);
    expect(g.err).toMatch(/--diag-reg 1e-6/);
    const both = await hgm([...NTK, '--out', '-', '--json']);
    expect(both.code).toBe(2);
    oneLine(both.err);
  });

  it('long tokens are clipped in messages (a 100 000-character operator)', async () => {
    const huge = `x*${'y'.repeat(100_000)}`;
    const r = await hgm(['gb', '--ideal', huge, '--vars', 'x']);
    expect(r.code).toBe(2);
    oneLine(r.err);
    expect(r.err.length).toBeLessThan(400);
    expect(r.err).toMatch(/… \(\d+ characters\)/);
  });

  it('a parse error is one line with the column; --version prints the version', async () => {
    const r = await hgm(['gb', '--ideal', 'x*z', '--vars', 'x,y']);
    expect(r.code).toBe(2);
    oneLine(r.err);
    expect(r.err).toMatch(/unknown variable z.*column 3/);
    const v = await hgm(['--version'], { version: '9.8.7' });
    expect([v.code, v.out]).toEqual([0, '9.8.7\n']);
  });
});

describe('CSV input', () => {
  it('1e400 names file, row and column (exit 2)', async () => {
    writeFileSync(p('huge.csv'), 'a,b\n1,0\n0.5,1e400\n');
    const r = await hgm(['ntk', '--activation', 'relu', '--depth', '1', '--x', p('huge.csv')]);
    expect(r.code).toBe(2);
    oneLine(r.err);
    expect(r.err).toMatch(/huge\.csv row 3, column 2: '1e400' is beyond the range of a float64 number/);
  });

  it('a BOM and CRLF (or CR) line ends read like LF; semicolons and tabs are refused with the reason', async () => {
    writeFileSync(p('bom.csv'), '\uFEFFa,b\r\n1,0\r\n0.6,0.8\r\n');
    writeFileSync(p('cr.csv'), '1,0\r0.6,0.8\r');
    for (const f of ['bom.csv', 'cr.csv']) {
      const r = await hgm(['ntk', '--activation', 'relu', '--depth', '1', '--method', 'closed', '--x', p(f), '--out', '-']);
      expect([r.code, r.out], r.err).toEqual([0, CSV]);
    }
    writeFileSync(p('semi.csv'), '1;0\n0,6;0,8\n');
    writeFileSync(p('tab.csv'), '1\t0\n0.6\t0.8\n');
    for (const [f, sep] of [
      ['semi.csv', "';'"],
      ['tab.csv', 'tabs'],
    ] as const) {
      const r = await hgm(['ntk', '--activation', 'relu', '--depth', '1', '--x', p(f)]);
      expect(r.code).toBe(2);
      oneLine(r.err);
      expect(r.err).toContain(`row 1: cells separated by ${sep}`);
    }
  });

  it('a batch error names the file row (not an item index); a directory as input is exit 2', async () => {
    writeFileSync(p('covs.csv'), 'a,c,b\n1,0.5,1\n\n1,3,4\n');
    const r = await hgm(['dual', 'relu', '--batch', p('covs.csv'), '--method', 'closed']);
    expect(r.code).toBe(2);
    oneLine(r.err);
    expect(r.err).toMatch(/covs\.csv row 4: /);
    expect(r.err).not.toMatch(/items\[/);
    const d = await hgm(['ntk', '--activation', 'relu', '--depth', '1', '--x', dir]);
    expect(d.code).toBe(2);
    oneLine(d.err);
  });
});

describe('limits', () => {
  it('memory is estimated before the kernel is allocated (exit 4, the sizes and the variable)', async () => {
    writeFileSync(p('big.csv'), Array.from({ length: 400 }, (_, i) => `${Math.cos(i)},${Math.sin(i)}\n`).join(''));
    process.env['HGM_MAX_MEMORY_MB'] = '1';
    try {
      const r = await hgm(['ntk', '--activation', 'relu', '--depth', '1', '--x', p('big.csv'), '--out', p('bigK.csv')]);
      expect(r.code).toBe(4);
      oneLine(r.err);
      expect(r.err).toMatch(/400 × 400 entries need about .* HGM_MAX_MEMORY_MB/);
      expect(existsSync(p('bigK.csv'))).toBe(false);
      const e = await hgm(['experiment', '--n-train', '100000']);
      expect(e.code).toBe(4);
      oneLine(e.err);
    } finally {
      delete process.env['HGM_MAX_MEMORY_MB'];
    }
  });

  it('--timeout: an elapsed deadline stops gb, pfaffian, restrict and derive with exit 4 naming it; a bad value is exit 2', async () => {
    const runs = [
      ['gb', '--ideal', 'x*dx-1; y*dy-1', '--vars', 'x,y'],
      ['pfaffian', '--ideal', 'x*dx-1; y*dy-1', '--vars', 'x,y'],
      ['restrict', '--ideal', 'x1*dx1+2*x2*dx2-1/3; dx2-dx1^2', '--vars', 'x1,x2', '--weight', '1,0'],
      ['derive', '--annihilator', 'u*du-2', '--no-cache'],
    ];
    for (const args of runs) {
      const r = await hgm([...args, '--timeout', '1e-9']);
      expect(r.code, `${args[0]}: ${r.err}`).toBe(4);
      expect(r.err).toMatch(/^hgm: limit reached: stopped after --timeout 1e-9 s/m);
    }
    const bad = await hgm(['gb', '--ideal', 'x', '--vars', 'x', '--timeout', 'soon']);
    expect(bad.code).toBe(2);
    oneLine(bad.err);
  });
});

describe('the artifact cache', () => {
  const cache = p('cache');
  const derive = (...extra: string[]) => hgm(['derive', '--annihilator', 'u*du-1', '--sigma', 'u*heaviside(u)', ...extra]);

  it('a bad entry (truncated, empty, wrong shape, another activation) is named by path, derived again and repaired', async () => {
    process.env['HGM_CACHE_DIR'] = cache;
    try {
      const first = await derive('--json');
      expect(first.code, first.err).toBe(0);
      const [entry] = readdirSync(cache).filter((f) => f.endsWith('.artifact.json'));
      const file = join(cache, entry!);
      const good = readFileSync(file, 'utf8');
      const other = readFileSync(
        join(dirname(fileURLToPath(import.meta.resolve('@holonomic-ntk/hgm-runtime/artifacts/relu.artifact.json'))), 'relu.artifact.json'),
        'utf8',
      );
      for (const bad of [good.slice(0, 100), '', '{"format": "hgm-pfaffian/2", "systems": 3}', other]) {
        writeFileSync(file, bad);
        const r = await derive('--json');
        expect(r.code, r.err).toBe(0);
        expect(r.err).toContain(`cache entry ${file} is invalid`);
        expect(r.out).toBe(first.out);
        expect(readFileSync(file, 'utf8')).toBe(good);
      }
      noLeftovers(cache);
    } finally {
      delete process.env['HGM_CACHE_DIR'];
    }
  });

  it('artifacts are byte-reproducible (no timings unless --timings); an unwritable cache is a warning, not a lost result', async () => {
    process.env['HGM_CACHE_DIR'] = join(dir, 'X.csv', 'cache'); // under a regular file: cannot be created
    try {
      const a = await derive('--json');
      const b = await derive('--json');
      expect(a.code, a.err).toBe(0);
      expect(a.err).toMatch(/^hgm: could not write the cache/m);
      expect(b.out).toBe(a.out);
      expect(JSON.parse(a.out).timings).toBeUndefined();
      const t = await derive('--json', '--timings', '--no-cache');
      expect(JSON.parse(t.out).timings).toBeDefined();
    } finally {
      delete process.env['HGM_CACHE_DIR'];
    }
  });

  it('HGM_NO_CACHE=1 neither reads nor writes the cache; derive -o - prints the artifact', async () => {
    const fresh = join(dir, 'nocache');
    process.env['HGM_CACHE_DIR'] = fresh;
    process.env['HGM_NO_CACHE'] = '1';
    try {
      const r = await derive('-o', '-');
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(r.out).format).toBe('hgm-pfaffian/2');
      expect(existsSync(fresh)).toBe(false);
    } finally {
      delete process.env['HGM_CACHE_DIR'];
      delete process.env['HGM_NO_CACHE'];
    }
  });

  it('hgm cache clear removes the cached artifacts only', async () => {
    process.env['HGM_CACHE_DIR'] = cache;
    try {
      mkdirSync(cache, { recursive: true });
      writeFileSync(join(cache, 'notes.txt'), 'mine\n');
      const r = await hgm(['cache', 'clear']);
      expect(r.code, r.err).toBe(0);
      expect(readdirSync(cache)).toEqual(['notes.txt']);
      expect((await hgm(['cache', 'dir'])).out).toBe(`${cache}\n`);
    } finally {
      delete process.env['HGM_CACHE_DIR'];
    }
  });
});

describe('pipes and standard output (a process)', () => {
  it('a reader that closes early ends the command quietly with exit 0 (big --batch | head; --help | true)', async () => {
    writeFileSync(p('many.csv'), Array.from({ length: 4000 }, (_, i) => `1,${(i % 100) / 200},2\n`).join(''));
    const child = spawn(process.execPath, [BIN, 'dual', 'relu', '--batch', p('many.csv'), '--method', 'closed', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += String(d)));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise((resolve) => child.on('close', (c) => resolve(c)));
    expect([code, err]).toEqual([0, '']);
    const help = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" ntk --help | true; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    expect(help.stdout.trim()).toBe('0');
    expect(help.stderr).toBe('');
  });

  it('--timeout stops from outside what never yields (expanding (x+dx+y*dy)^50, minutes): exit 4, one line', () => {
    const r = spawnSync(process.execPath, [BIN, 'gb', '--ideal', '(x+dx+y*dy)^50', '--vars', 'x,y', '--timeout', '0.5'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(4);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/stopped after --timeout 0\.5 s/);
    expect(r.stdout).toBe('');
  });

  it('dual takes --timeout: a long batch (400 distinct rows by 2-D quadrature, ~10 ms each) stops with exit 4, nothing printed', () => {
    const rows = Array.from({ length: 400 }, (_, i) => {
      const a = 0.5 + (i % 20) / 8;
      const b = 0.5 + Math.floor(i / 20) / 8;
      return `${a},${(((i % 7) - 3) / 3.1) * Math.sqrt(a * b)},${b}`;
    }).join('\n');
    writeFileSync(p('slow.csv'), `a,c,b\n${rows}\n`);
    const r = spawnSync(process.execPath, [BIN, 'dual', 'u*tanh(u)', '--method', 'quad', '--batch', p('slow.csv'), '--timeout', '0.5'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(4);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/stopped after --timeout 0\.5 s/);
    expect(r.stdout).toBe('');
  });

  it('stdout on a full device: one line, exit 2', () => {
    if (!existsSync('/dev/full')) return;
    const fd = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [BIN, 'dual', 'relu', '--cov', '1,0.5,2', '--method', 'closed'], {
        stdio: ['ignore', fd, 'pipe'],
        encoding: 'utf8',
      });
      expect(r.status).toBe(2);
      oneLine(r.stderr);
      expect(r.stderr).toMatch(/cannot write standard output: no space left/);
    } finally {
      closeSync(fd);
    }
  });
});
