/**
 * `npm run bench -w @holonomic-ntk/weyl-algebra`: every case in bench/cases, printed as a Markdown table for
 * BENCHMARKS.md. Progress goes to stderr.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BenchCase, report, runCases } from './harness.ts';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'cases');
const filter = process.argv[2];
const all: BenchCase[] = [];
for (const f of readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()) {
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as { cases: BenchCase[] };
  all.push(...mod.cases.filter((c) => !filter || c.name.includes(filter)));
}
console.log(report('weyl-algebra', 'npm run bench -w @holonomic-ntk/weyl-algebra', runCases(all)));
