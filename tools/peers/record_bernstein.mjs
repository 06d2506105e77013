#!/usr/bin/env node
// Writes packages/restriction/test/fixtures/bernstein.json from what packages/cli/bench/bernsteinList.mjs recorded
// (its state file, default $TMPDIR/hgm-bernsteinList.json): for every polynomial the roots of b_f with
// multiplicities as Singular 4.3 (bfct, bernsteinBM) and Macaulay2 (globalBFunction) printed them, whether the peers
// agree, and Singular's Ann f^s (Sannfs) for reference. The tests read only the JSON (the peers are not test
// dependencies).
//   node tools/peers/record_bernstein.mjs [state.json]
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const state = JSON.parse(readFileSync(process.argv[2] ?? join(tmpdir(), 'hgm-bernsteinList.json'), 'utf8'));
const listSource = readFileSync(join(root, 'packages/restriction/bench/bernsteinList.ts'), 'utf8');
const LIST = [...listSource.matchAll(/\{ id: '([^']+)', f: '([^']+)', vars: \[([^\]]+)\], what: '([^']+)'/g)].map((m) => ({
  id: m[1],
  f: m[2],
  vars: m[3].split(',').map((v) => v.trim().replace(/'/g, '')),
  what: m[4],
}));

/** Singular's list(roots, multiplicities) after "ROOTS <name>". */
function singularRoots(out, name) {
  const at = out.indexOf(`ROOTS ${name}`);
  if (at < 0) return null;
  const block = out.slice(at).split('STEP')[0];
  const roots = [...block.matchAll(/_\[\d+\]=(\S+)/g)].map((m) => m[1]);
  const mult = /\[2\]:\s*\n\s*([\d,]+)/.exec(block);
  if (!mult || roots.length === 0) return null;
  const ms = mult[1].split(',').map(Number);
  return roots.map((r, i) => [r, ms[i]]).sort((a, b) => num(a[0]) - num(b[0]));
}

/** Macaulay2's "factor b" text, e.g. (s+1)*(6*s+5)*(6*s+7)*(1/36), as roots with multiplicities. */
function m2Roots(out) {
  const line = /^B (.*)$/m.exec(out);
  if (!line) return null;
  const roots = new Map();
  for (const m of line[1].matchAll(/\(([^()]*s[^()]*)\)(?:\^(\d+))?/g)) {
    const lin = /^(?:(\d+)\*)?s(?:([+-])(\d+))?$/.exec(m[1].replace(/\s/g, ''));
    if (!lin) return null;
    const a = Number(lin[1] ?? 1);
    const b = lin[2] ? (lin[2] === '+' ? 1 : -1) * Number(lin[3]) : 0;
    const g = gcd(Math.abs(b), a);
    const r = b === 0 ? '0' : `${b > 0 ? '-' : ''}${Math.abs(b) / g}${a / g === 1 ? '' : `/${a / g}`}`;
    roots.set(r, (roots.get(r) ?? 0) + Number(m[2] ?? 1));
  }
  return [...roots].sort((x, y) => num(x[0]) - num(y[0]));
}
const gcd = (a, b) => (b === 0 ? a : gcd(b, a % b));
/** A rational 'p/q' or integer text as a number (for sorting only). */
const num = (r) => r.split('/').reduce((p, q) => Number(p) / Number(q));

const cases = LIST.map((c) => {
  const s = state.singular[c.id]?.output ?? '';
  const m = state.m2[c.id]?.output ?? '';
  const peers = { singularBfct: singularRoots(s, 'bfct'), singularBernsteinBM: singularRoots(s, 'bernsteinBM'), m2GlobalBFunction: m2Roots(m) };
  const known = Object.values(peers).filter((r) => r !== null);
  const agree = known.every((r) => JSON.stringify(r) === JSON.stringify(known[0]));
  const ann = /ANNFS\n((?:LD\[\d+\]=.*\n)+)/.exec(s);
  return {
    id: c.id,
    f: c.f,
    vars: c.vars,
    what: c.what,
    roots: known[0] ?? null,
    peers,
    peersAgree: agree && known.length > 0,
    singularSannfs: ann
      ? ann[1]
          .trim()
          .split('\n')
          .map((l) => l.replace(/^LD\[\d+\]=/, ''))
      : null,
  };
});
const out = {
  source:
    'Recorded by tools/peers/record_bernstein.mjs from a run of packages/cli/bench/bernsteinList.mjs: Singular 4.3.1 (bfun.lib bfct, dmod.lib bernsteinBM, Sannfs) and Macaulay2 1.21 Dmodules (globalBFunction, AnnFs) from Debian, ' +
    state.meta.date +
    '. roots: [root, multiplicity], ascending, from the first peer that answered; null peers timed out.',
  cases,
};
writeFileSync(join(root, 'packages/restriction/test/fixtures/bernstein.json'), `${JSON.stringify(out, null, 2)}\n`);
for (const c of cases) console.log(c.id, c.peersAgree ? 'agree' : 'DISAGREE/missing', JSON.stringify(c.roots));
