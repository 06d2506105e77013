/**
 * `npx tsx --conditions=source packages/hgm-runtime/bench/accuracyScan.ts [mode] [filter]`: the shipped artifacts
 * against the high-precision references of test/fixtures/accuracy_refs.json (test/fixtures/make_accuracy_refs.py: closed forms or
 * 1-D quadrature in mpmath, 25 digits) over a, b ∈ {0.01 … 100} and ρ ∈ [−1, 1] including ±1 and 1 − |ρ| = 1e-10.
 * Prints, per activation and integrand, the worst relative error per region over the values with |E| ≥ 1e-3·S
 * (S = √(E[φ(u)²]E[ψ(v)²]), from the references at ρ = 1); the others ("near 0": E = 0 at ρ = −1 of relu, zero
 * crossings, resin's tiny boundary values at large b) as error/S; and with the error estimates
 * (`dualActivationWithError`) how often and by how much the estimate is below the error.
 *
 * mode: `single` (default: dualActivation, points of one (a, b) in a row, as a user sweeping c), `taylor`
 * (integrator 'taylor'), `curve` (dualActivationCurve per (a, b)), `batch` (dualActivationBatch over all points of
 * one integrand). filter: e.g. `gelu:dsigma`. Regions: variances S (min(a, b) < 0.1), L (else max(a, b) > 10), M;
 * ρ: I (|ρ| ≤ 0.9), N (0.9 < |ρ| < 1), B (|ρ| = 1).
 */
import { ACTIVATIONS, builtinActivation, type Integrand } from '@holonomic-ntk/core';
import { readFileSync } from 'node:fs';
import * as runtime from '../src/index.ts';

const { builtinArtifact, dualActivation, dualActivationBatch, dualActivationCurve } = runtime;
/** With the error estimate where the runtime has one (the scan also runs on commits before it). */
type WithError = (...args: Parameters<typeof dualActivation>) => { value: number; error: number };
const withError: WithError =
  (runtime as unknown as { dualActivationWithError?: WithError }).dualActivationWithError ?? ((...args) => ({ value: dualActivation(...args), error: NaN }));

type Row = [string, Integrand, number, number, number, string, number | null];
const refs = JSON.parse(readFileSync(new URL('../../../test/fixtures/accuracy_refs.json', import.meta.url), 'utf8')) as { rows: Row[] };
const mode = process.argv[2] ?? 'single';
const filter = process.argv[3];

interface Cell {
  worst: number;
  where: string;
  n: number;
  /** Points whose error exceeds the estimate (single/taylor modes), and the largest error/estimate ratio. */
  under: number;
  ratio: number;
  ms: number;
}
const groups = new Map<string, Row[]>();
for (const row of refs.rows) {
  const key = `${row[0]}:${row[1]}`;
  if (filter && key !== filter) continue;
  let g = groups.get(key);
  if (!g) groups.set(key, (g = []));
  g.push(row);
}
const region = (a: number, b: number, c: number): string => {
  const v = Math.min(a, b) < 0.1 ? 'S' : Math.max(a, b) > 10 ? 'L' : 'M';
  const r = Math.abs(c) / (Math.sqrt(a) * Math.sqrt(b));
  const rr = Math.abs(c) >= Math.sqrt(a * b) * (1 - 1e-13) ? 'B' : r <= 0.9 + 1e-12 ? 'I' : 'N';
  return v + rr;
};
const REGIONS = ['SI', 'SN', 'SB', 'MI', 'MN', 'MB', 'LI', 'LN', 'LB'];
/** S = √(E[φ(u)²]E[ψ(v)²]) from the references at ρ = +1, a = b (E[φ(u)φ(u)]). */
const squares = new Map<string, number>();
for (const row of refs.rows)
  if (row[2] === row[3] && row[4] > 0 && Math.abs(row[4] - row[2]) <= 1e-15 * row[2]) squares.set(`${row[0]}:${row[1]}:${row[2]}`, Number(row[5]));
const scaleOf = (row: Row): number => Math.sqrt(squares.get(`${row[0]}:${row[1]}:${row[2]}`)! * squares.get(`${row[0]}:${row[1]}:${row[3]}`)!);
/** Below this fraction of S a value is "near 0": relative accuracy is not meaningful there, the error is reported / S. */
const NEAR_ZERO = 1e-3;
const err = (x: number, ref: number): number => (ref === 0 ? Math.abs(x) : Math.abs(x - ref) / Math.abs(ref));

const lines: string[] = [];
lines.push(`mode ${mode}`);
lines.push(`| integrand | ${REGIONS.join(' | ')} | worst at (a, b, ρ) | near 0: n, max error/S | s | estimate < error |`);
lines.push(`| --- | ${REGIONS.map(() => '---').join(' | ')} | --- | --- | --- | --- |`);
for (const [key, rows] of groups) {
  const [name, integrand] = [key.slice(0, key.lastIndexOf(':')), key.slice(key.lastIndexOf(':') + 1)] as [string, Integrand];
  const artifact = builtinArtifact(name);
  const fns = name === 'phi' ? ACTIVATIONS.phi : builtinActivation(name)!;
  const cells = new Map<string, Cell>();
  const values = new Float64Array(rows.length);
  const estimates = new Float64Array(rows.length).fill(NaN);
  const t0 = performance.now();
  const failures: string[] = [];
  if (mode === 'single' || mode === 'taylor') {
    rows.forEach((row, i) => {
      try {
        const r = withError(artifact, fns, row[2], row[4], row[3], { integrand, ...(mode === 'taylor' ? { integrator: 'taylor' } : {}) });
        values[i] = r.value;
        estimates[i] = r.error;
      } catch (e) {
        values[i] = NaN;
        failures.push(`${(e as Error).name} at (${row[2]}, ${row[3]}, ${row[4]})`);
      }
    });
  } else if (mode === 'curve') {
    const byAB = new Map<string, number[]>();
    rows.forEach((row, i) => {
      const k = `${row[2]}:${row[3]}`;
      let g = byAB.get(k);
      if (!g) byAB.set(k, (g = []));
      g.push(i);
    });
    for (const idx of byAB.values()) {
      const [, , a, b] = rows[idx[0]!]!;
      try {
        const out = dualActivationCurve(
          artifact,
          fns,
          a,
          b,
          idx.map((i) => rows[i]![4]),
          { integrand },
        );
        idx.forEach((i, k) => (values[i] = out[k]!));
      } catch (e) {
        for (const i of idx) values[i] = NaN;
        failures.push(`${(e as Error).name} at (${a}, ${b})`);
      }
    }
  } else {
    try {
      values.set(
        dualActivationBatch(
          artifact,
          fns,
          rows.map((r) => ({ a: r[2], c: r[4], b: r[3] })),
          { integrand, scattered: 'always' },
        ),
      );
    } catch (e) {
      values.fill(NaN);
      failures.push(`${(e as Error).name}`);
    }
  }
  const ms = performance.now() - t0;
  let worst = 0;
  let worstAt = '';
  let under = 0;
  let ratio = 0;
  let nearZero = 0;
  let nearWorst = 0;
  rows.forEach((row, i) => {
    const [, , a, b, c, value] = row;
    const ref = Number(value);
    const S = scaleOf(row);
    const est = estimates[i]!;
    if (!Number.isNaN(est)) {
      // The estimate is absolute; compare with the absolute error.
      const absErr = Math.abs(values[i]! - ref);
      if (!(absErr <= est)) under++;
      if (absErr > 0) ratio = Math.max(ratio, absErr / est);
    }
    if (Math.abs(ref) < NEAR_ZERO * S) {
      nearZero++;
      nearWorst = Math.max(nearWorst, Number.isNaN(values[i]!) ? Infinity : Math.abs(values[i]! - ref) / S);
      return;
    }
    const e = Number.isNaN(values[i]!) ? Infinity : err(values[i]!, ref);
    const reg = region(a, b, c);
    let cell = cells.get(reg);
    if (!cell) cells.set(reg, (cell = { worst: 0, where: '', n: 0, under: 0, ratio: 0, ms: 0 }));
    cell.n++;
    const rho = c / (Math.sqrt(a) * Math.sqrt(b));
    if (e > cell.worst) cell.worst = e;
    if (e > worst) {
      worst = e;
      worstAt = `(${a}, ${b}, ${rho.toPrecision(8)})`;
    }
  });
  lines.push(
    `| ${name} ${integrand === 'sigma' ? 'σ' : 'σ̇'} | ${REGIONS.map((r) => (cells.get(r) ? cells.get(r)!.worst.toExponential(1) : '')).join(' | ')} | ${worst.toExponential(1)} at ${worstAt} | ${nearZero}, ${nearWorst.toExponential(1)} | ${(ms / 1000).toFixed(1)} | ${mode === 'single' || mode === 'taylor' ? `${under} of ${rows.length} (max error/estimate ${ratio.toExponential(1)})` : ''} |`,
  );
  if (failures.length) lines.push(`  failures (${failures.length}): ${failures.slice(0, 4).join('; ')}`);
  process.stderr.write(`${lines[lines.length - 1]}\n`);
}
console.log(lines.join('\n'));
