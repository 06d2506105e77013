/**
 * `npx tsx --conditions=source packages/groebner/bench/holonomicRank.ts [N]` (from the repository root): issue 16's
 * holonomic-rank benchmark. The GKZ system of A = [[1,1,1,1],[0,1,3,4]], β = (1/2, 1/3) (rank 4, as Macaulay2's
 * `gkz(A, β)` writes it) and the A = [[1,1,1],[0,1,2]] system (rank 2): `holonomicRank` (standard monomials of the
 * Gröbner basis over Q(x)⟨∂⟩) against the Pfaffian route it replaces (`pfaffianSystem(RationalWeylIdeal.compute)`),
 * N runs each after two warm-up runs (default 7), median and min in ms; then Macaulay2's `holonomicRank` on the same
 * systems in one M2 process (its first call, and the median of N; later calls may reuse cached Gröbner bases),
 * tools/peers/m2/holonomic_rank.m2, when `M2` is on the PATH.
 */
import { execFileSync } from 'node:child_process';
import { QQ, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
import { RationalWeylIdeal, holonomicRank, pfaffianSystem } from '../src/index.ts';

const N = Number(process.argv[2] ?? 7);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const SYSTEMS = [
  {
    id: 'gkz-1134',
    vars: ['x1', 'x2', 'x3', 'x4'],
    ideal: 'x1*dx1+x2*dx2+x3*dx3+x4*dx4-1/2; x2*dx2+3*x3*dx3+4*x4*dx4-1/3; -dx3^3+dx2*dx4^2; dx1*dx3^2-dx2^2*dx4; -dx2*dx3+dx1*dx4; -dx2^3+dx1^2*dx3',
  },
  { id: 'gkz-112', vars: ['x1', 'x2', 'x3'], ideal: 'dx1*dx3 - dx2^2; x1*dx1+x2*dx2+x3*dx3 - 1/2; x2*dx2+2*x3*dx3 - 1/3' },
];
for (const s of SYSTEMS) {
  const D = new WeylAlgebra(QQ, s.vars);
  const gens = parseOperators(D, s.ideal);
  for (let k = 0; k < 2; k++) holonomicRank(D, gens);
  const rank: number[] = [];
  const pf: number[] = [];
  let r = 0;
  for (let k = 0; k < N; k++) {
    let t0 = performance.now();
    r = holonomicRank(D, gens).rank;
    rank.push(performance.now() - t0);
    t0 = performance.now();
    pfaffianSystem(RationalWeylIdeal.compute(D, gens));
    pf.push(performance.now() - t0);
  }
  console.log(
    `${s.id}: rank ${r}; holonomicRank ${median(rank).toFixed(1)} ms (min ${Math.min(...rank).toFixed(1)}); Pfaffian route ${median(pf).toFixed(1)} ms (min ${Math.min(...pf).toFixed(1)})`,
  );
}
try {
  const out = execFileSync('M2', ['--script', 'tools/peers/m2/holonomic_rank.m2'], {
    encoding: 'utf8',
    env: { ...process.env, HGM_N: String(N) },
    timeout: 120_000,
  });
  process.stdout.write(out);
} catch (e) {
  console.log(`Macaulay2 not run: ${(e as Error).message.split('\n')[0]}`);
}
