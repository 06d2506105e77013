import { type Matrix, toRows } from '@holonomic-ntk/ntk';
import { matrixToCsv } from './csv.ts';
import { printJson } from './io.ts';
import { type OutputTarget, writeOutput } from './output.ts';

/**
 * Writes a kernel matrix where `hgm ntk` was asked to (planned `--out`, `--json`, or a table with `header`; `summary`:
 * min, max and the first row when the matrix is too large for a table), the file after what is printed.
 */
export function printKernelMatrix(m: Matrix, out: OutputTarget | undefined, flags: { json?: boolean; out?: string }, header: string, summary: boolean): void {
  // Arrays of rows only at the edge: the CSV, JSON and table formats are per row.
  const rows = toRows(m);
  if (out?.kind === 'stdout') {
    writeOutput(out, matrixToCsv(rows));
    return;
  }
  if (flags.json) {
    printJson({ kernel: rows });
    // The matrix is printed; a file that cannot be written is still an error (exit 2).
    if (out) writeOutput(out, matrixToCsv(rows));
    return;
  }
  console.log(header);
  if (m.rows <= 10 && m.cols <= 10) {
    for (const r of rows) console.log(r.map((v) => v.toPrecision(10).padStart(17)).join(''));
  } else {
    if (summary) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of m.data) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      console.log(
        `min ${lo.toPrecision(10)}, max ${hi.toPrecision(10)}; first row: ${rows[0]!
          .slice(0, 5)
          .map((v) => v.toPrecision(8))
          .join(', ')}, …`,
      );
    }
    if (!flags.out) console.log('(use --out K.csv or --json for the full matrix)');
  }
  if (out) {
    writeOutput(out, matrixToCsv(rows));
    console.log(`written to ${flags.out}`);
  }
}
