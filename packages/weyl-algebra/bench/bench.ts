/**
 * `npm run bench -w @holonomic-ntk/weyl-algebra`: every case in bench/cases, printed as a Markdown table for
 * BENCHMARKS.md. Progress goes to stderr.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BenchCase, report, runCases } from './harness.ts';
import { singularPeer } from './singularPeer.ts';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'cases');
const filter = process.argv[2];
const all: BenchCase[] = [];
for (const f of readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .sort()) {
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as { cases: BenchCase[] };
  all.push(...mod.cases.filter((c) => !filter || c.name.includes(filter)));
}
console.log(report('weyl-algebra', 'npm run bench -w @holonomic-ntk/weyl-algebra', runCases(all)));
if (!filter) {
  process.stderr.write('bench: Singular on the same inputs ...\n');
  const peer = singularPeer();
  console.log(
    peer
      ? `\nSingular 4 (same inputs, same run, median of 5, timed inside Singular with 1 ms resolution): Weyl product ${peer.weylproduct} ms, gcd ${peer.gcd} ms, (x+y+z+1)^20 ${peer.pow} ms.`
      : '\nSingular not installed: no peer timings (apt-get install singular).',
  );
}
