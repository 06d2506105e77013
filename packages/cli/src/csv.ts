/**
 * Numeric CSV files for the kernel commands: comma-separated numbers, one record per line; blank lines are
 * skipped; a first line that is not all numbers is a header. Every problem is reported as one line naming the
 * file, the 1-based line ("row") and the reason, e.g. `train.csv row 7: column 3 is not a number: 'abc'`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { UsageError } from './io.ts';

/** A malformed CSV file (exit code 2, like every usage error). */
export class CsvError extends UsageError {}

export interface NumericCsv {
  /** The header's column names, when the file has a header line. */
  header?: string[];
  /** The records, all of the same length. */
  rows: number[][];
  /** 1-based line number of each record (for messages about a record). */
  lines: number[];
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function toNumber(cell: string): number | undefined {
  const t = cell.trim();
  if (/^[+-]?(inf|infinity|nan)$/i.test(t) || !NUMBER.test(t)) return undefined;
  return Number(t);
}

/**
 * Reads a file of numeric records. `minColumns`: fewer columns per record is an error (e.g. 2 for features plus
 * a target).
 *
 * For example:
 *   // train.csv: "x1,x2,y\n0.5,1,2\n0.1,0.2,0.3\n"
 *   readNumericCsv('train.csv').rows; // [[0.5, 1, 2], [0.1, 0.2, 0.3]]
 */
export function readNumericCsv(path: string, options: { minColumns?: number } = {}): NumericCsv {
  if (!existsSync(path)) throw new CsvError(`${path}: no such file`);
  if (statSync(path).isDirectory()) throw new CsvError(`${path} is a directory, not a CSV file`);
  const text = readFileSync(path, 'utf8');
  const out: NumericCsv = { rows: [], lines: [] };
  let width = -1;
  const records = text.split(/\r?\n/);
  for (let i = 0; i < records.length; i++) {
    const line = records[i]!;
    if (line.trim() === '') continue;
    const cells = line.split(',');
    const values = cells.map(toNumber);
    const row = i + 1;
    if (out.rows.length === 0 && out.header === undefined && values.some((v) => v === undefined)) {
      // A first line with any non-number is a header — unless it also has numbers: then it is a typo in data.
      if (values.every((v) => v === undefined)) {
        out.header = cells.map((c) => c.trim());
        width = cells.length;
        continue;
      }
    }
    if (width < 0) width = cells.length;
    if (cells.length !== width) {
      throw new CsvError(`${path} row ${row}: expected ${width} columns${out.header ? ' (as in the header)' : ''}, got ${cells.length}`);
    }
    const bad = values.indexOf(undefined);
    if (bad >= 0) throw new CsvError(`${path} row ${row}: column ${bad + 1} is not a number: '${cells[bad]!.trim()}'`);
    out.rows.push(values as number[]);
    out.lines.push(row);
  }
  if (out.rows.length === 0) throw new CsvError(`${path}: no data rows`);
  if (options.minColumns !== undefined && width < options.minColumns) {
    throw new CsvError(`${path} row ${out.lines[0]}: expected at least ${options.minColumns} columns, got ${width}`);
  }
  return out;
}

/**
 * A matrix as CSV text, every number in the shortest form that reads back to the same float64.
 *
 * For example `matrixToCsv([[1, 0.5], [0.5, 1]], ['a', 'b'])` gives 'a,b\n1,0.5\n0.5,1\n'.
 */
export function matrixToCsv(rows: readonly (readonly number[] | Float64Array)[], header?: readonly string[]): string {
  const lines = rows.map((r) => Array.from(r, (v) => String(v)).join(','));
  return `${header ? `${header.join(',')}\n` : ''}${lines.join('\n')}\n`;
}
