/**
 * Which variance coordinate the scattered-batch grid should interpolate in (ACCURACY.md §7): E(a, b = 1.3, ρ) for
 * a ∈ [0.25, 4] (the NTK bench's layer-1 range), Chebyshev–Lobatto in √a, log a and a with n intervals; max error at
 * 200 log-spaced points over max|E|, against paths at rtol 1e-15.
 *
 * Run: npx tsx packages/hgm-runtime/bench/scatteredCoordinates.ts   (env ACT = resin | gelu, NORMALIZE=1 divides E by √a)
 */
import { ACTIVATIONS, readArtifact, type BuiltinActivationName, type Integrand } from '@holonomic-ntk/core';
import { readFileSync } from 'node:fs';
import { dualActivation } from '../src/index.ts';

const name = (process.env.ACT ?? 'resin') as BuiltinActivationName;
const artifact = readArtifact(readFileSync(`packages/hgm-runtime/artifacts/${name}.artifact.json`, 'utf8'));
const fns = ACTIVATIONS[name];
const power = process.env.NORMALIZE ? 1 : 0;
const [lo, hi, b] = [0.25, 4, 1.3];
const cases: [Integrand, number][] = [['sigma', 0.5], ['sigma', -0.8], ...(fns.dsigma ? [['dsigma', 0.3] as [Integrand, number]] : [])];
const coordinates: [string, (a: number) => number, (x: number) => number][] = [
  ['√a', Math.sqrt, (x) => x * x],
  ['log a', Math.log, Math.exp],
  ['a', (a) => a, (x) => x],
];
for (const [integrand, rho] of cases) {
  const E = (a: number): number =>
    dualActivation(artifact, fns, a, rho * Math.sqrt(a * b), b, { integrand, rtol: 1e-15, atolFactor: 1e-3 }) / Math.sqrt(a) ** power;
  const tests = Array.from({ length: 200 }, (_, i) => lo * (hi / lo) ** ((i + 0.5) / 200));
  const ref = tests.map(E);
  const scale = Math.max(...ref.map(Math.abs));
  console.log(`${name} ${integrand}${power ? ' / √a' : ''}, b = ${b}, ρ = ${rho}, a ∈ [${lo}, ${hi}]`);
  for (const [label, fwd, inv] of coordinates) {
    const errors: string[] = [];
    for (const n of [4, 8, 12, 16, 24]) {
      const [x0, x1] = [fwd(lo), fwd(hi)];
      const xs = Array.from({ length: n + 1 }, (_, j) => (x0 + x1) / 2 - ((x1 - x0) / 2) * Math.cos((Math.PI * j) / n));
      const vs = xs.map((x) => E(inv(x)));
      let worst = 0;
      tests.forEach((a, i) => {
        const x = fwd(a);
        let num = 0;
        let den = 0;
        for (let j = 0; j <= n; j++) {
          const w = ((j % 2 ? -1 : 1) * (j === 0 || j === n ? 0.5 : 1)) / (x - xs[j]!);
          num += w * vs[j]!;
          den += w;
        }
        worst = Math.max(worst, Math.abs(num / den - ref[i]!) / scale);
      });
      errors.push(`n = ${n}: ${worst.toExponential(1)}`);
    }
    console.log(`  ${label}: ${errors.join(', ')}`);
  }
}
