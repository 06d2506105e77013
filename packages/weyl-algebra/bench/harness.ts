import { cpus, totalmem } from 'node:os';

/** One benchmark case: `setup` builds the inputs (untimed), `run` is timed; `peer` is an optional side-by-side. */
export interface BenchCase {
  name: string;
  /** What is measured, for the table. */
  detail?: string;
  setup?: () => unknown;
  run: (input: unknown) => unknown;
  /** Same work done by a peer implementation (e.g. fraction.js), timed the same way. */
  peer?: { name: string; setup?: () => unknown; run: (input: unknown) => unknown };
  /** Minimum number of timed repetitions and minimum total time in ms. */
  minRuns?: number;
  minMs?: number;
}

export interface BenchResult {
  name: string;
  detail: string;
  medianMs: number;
  runs: number;
  peerName?: string;
  peerMedianMs?: number;
}

function time(setup: (() => unknown) | undefined, run: (input: unknown) => unknown, minRuns: number, minMs: number) {
  const input = setup ? setup() : undefined;
  run(input); // warm-up: JIT and caches
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < minRuns || performance.now() - start < minMs) {
    const t0 = performance.now();
    run(input);
    samples.push(performance.now() - t0);
    if (samples.length > 10_000) break;
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)]!, runs: samples.length };
}

export function runCases(cases: BenchCase[]): BenchResult[] {
  const results: BenchResult[] = [];
  for (const c of cases) {
    process.stderr.write(`bench: ${c.name} ...\n`);
    const minRuns = c.minRuns ?? 5;
    const minMs = c.minMs ?? 500;
    const own = time(c.setup, c.run, minRuns, minMs);
    const r: BenchResult = { name: c.name, detail: c.detail ?? '', medianMs: own.median, runs: own.runs };
    if (c.peer) {
      const p = time(c.peer.setup, c.peer.run, minRuns, minMs);
      r.peerName = c.peer.name;
      r.peerMedianMs = p.median;
    }
    results.push(r);
  }
  return results;
}

function fmt(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  if (ms >= 0.001) return `${(ms * 1000).toFixed(2)} µs`;
  return `${(ms * 1e6).toFixed(1)} ns`;
}

/** A Markdown table with the machine and date, ready to paste into BENCHMARKS.md. */
export function report(title: string, command: string, results: BenchResult[]): string {
  const lines = [
    `### ${title}`,
    '',
    `- date: ${new Date().toISOString()}`,
    `- machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    `- command: \`${command}\``,
    '',
    '| case | what | ours (median) | peer | peer (median) | peer / ours |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    const ratio = r.peerMedianMs !== undefined ? (r.peerMedianMs / r.medianMs).toFixed(2) + '×' : '';
    lines.push(
      `| ${r.name} | ${r.detail} | ${fmt(r.medianMs)} (${r.runs} runs) | ${r.peerName ?? ''} | ${r.peerMedianMs !== undefined ? fmt(r.peerMedianMs) : ''} | ${ratio} |`,
    );
  }
  return lines.join('\n');
}
