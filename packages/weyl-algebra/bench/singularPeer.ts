/**
 * The same work in Singular, in the same run: the Weyl product of the two 200-term operators, the gcd of the
 * 3-variable inputs and (x+y+z+1)^20, timed inside Singular (rtimer, median of 5). Skipped when Singular is absent.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PolyRing, ZZ, operatorToText, polynomialToText } from '../src/index.ts';
import { gcdInput } from './cases/gcd.ts';
import { D, randomOperator } from './cases/weyl.ts';

export function singularPeer(): Record<string, number> | null {
  try {
    execFileSync('Singular', ['--version'], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const a = operatorToText(D, randomOperator(1, 200)).replace(/ /g, '');
  const b = operatorToText(D, randomOperator(2, 200)).replace(/ /g, '');
  const R = new PolyRing(ZZ, ['x', 'y', 'z']);
  const [f, g] = gcdInput().map((p) => polynomialToText(R, p).replace(/ /g, ''));
  const med = (name: string, body: string) =>
    `list T; int k; for (k = 1; k <= 5; k++) { t = rtimer; ${body}; T[k] = rtimer - t; } "TIME ${name} ms:", sort(T)[1][3]; kill T; kill k;`;
  const script = `LIB "nctools.lib"; system("--ticks-per-sec",1000); int t;
ring r0 = 0,(x1,x2,x3,x4,x5,dx1,dx2,dx3,dx4,dx5),dp; def W = Weyl(); setring W;
poly a = ${a}; poly b = ${b}; poly c;
${med('weylproduct', 'c = a*b')}
ring r1 = 0,(x,y,z),dp; poly f = ${f}; poly g = ${g}; poly h; poly e;
${med('gcd', 'h = gcd(f, g)')}
${med('pow', 'e = (x+y+z+1)^20')}
quit;`;
  const dir = mkdtempSync(join(tmpdir(), 'weyl-bench-'));
  const file = join(dir, 'peer.sing');
  writeFileSync(file, script);
  const out = execFileSync('Singular', ['-q', file], { encoding: 'utf8', timeout: 600_000 });
  const times: Record<string, number> = {};
  for (const m of out.matchAll(/TIME (\S+) ms: (\d+)/g)) times[m[1]!] = Number(m[2]);
  return times;
}
