/**
 * `npx tsx --conditions=source packages/hgm-runtime/bench/catalogueEval.ts [names…]` (from the repository root):
 * evaluation cost per value of every shipped artifact, σ and σ̇, beside 2-D Gauss–Hermite with 20 nodes per axis
 * (the route neural-tangents users take) measured in the same process:
 *
 * - single, repeated variances: `dualActivation` at one (a, b) = (1.3, 0.7) with a new c per call (the cached dense
 *   path: one interpolation);
 * - single, new variances: a new (a, b) per call (first point of a path: Taylor series or a fresh integration);
 * - batch: `dualActivationBatch` of 4096 items with scattered (a, b, c), per item;
 * - GH-20: `gaussHermiteExpectation` of σ, σ̇ from the artifact's formulas, per value.
 *
 * Medians of 5 runs of ≥ 200 ms each (µs per value). Markdown table on stdout.
 */
import { gaussHermiteExpectation, mulberry32 } from '@holonomic-ntk/core';
import { BUILTIN_ARTIFACT_NAMES, artifactFunctions, builtinArtifact, dualActivation, dualActivationBatch } from '@holonomic-ntk/hgm-runtime';

const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : BUILTIN_ARTIFACT_NAMES;

function median(xs: number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  return s[s.length >> 1]!;
}

/** µs per call of f(k), k = 0, 1, …: median of 5 runs of at least 200 ms. */
function perCall(f: (k: number) => void): number {
  const runs: number[] = [];
  let k = 0;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < 200) {
      f(k++);
      n++;
    }
    runs.push(((performance.now() - t0) / n) * 1000);
  }
  return median(runs);
}

console.log('| activation | integrand | systems | single, repeated (a, b) µs | single, new (a, b) µs | batch µs/item | GH-20 µs | batch / GH-20 |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const name of names) {
  const art = builtinArtifact(name);
  const fns = artifactFunctions(art);
  for (const integrand of ['sigma', 'dsigma'] as const) {
    const systems = art.systems.filter((s) => s.integrands.includes(integrand)).length;
    const spec = fns[integrand];
    if (systems === 0 || !spec) continue;
    const rnd = mulberry32(7);
    const point = () => {
      const a = 0.2 + 3 * rnd();
      const b = 0.2 + 3 * rnd();
      return { a, b, c: (1.9 * rnd() - 0.95) * Math.sqrt(a * b) };
    };
    try {
      const repeated = perCall((k) => dualActivation(art, fns, 1.3, (((k % 1999) / 1999) * 1.9 - 0.95) * Math.sqrt(0.91), 0.7, { integrand }));
      const fresh = perCall(() => {
        const p = point();
        dualActivation(art, fns, p.a, p.c, p.b, { integrand });
      });
      const items = Array.from({ length: 4096 }, point);
      const batch = perCall(() => dualActivationBatch(art, fns, items, { integrand })) / items.length;
      const gh = perCall(() => {
        const p = point();
        gaussHermiteExpectation(spec.sigma, spec.sigma, p.a, p.c, p.b, 20);
      });
      const f = (x: number) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
      console.log(`| ${name} | ${integrand} | ${systems} | ${f(repeated)} | ${f(fresh)} | ${f(batch)} | ${f(gh)} | ${(batch / gh).toFixed(2)} |`);
    } catch (e) {
      // A refusal (IntegrationError) is a result too: the row says so instead of ending the run.
      console.log(`| ${name} | ${integrand} | ${systems} | ${(e as Error).name}: ${(e as Error).message.slice(0, 60)} | | | | |`);
    }
  }
}
