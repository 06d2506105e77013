/**
 * Numeric CSV files for the kernel commands: comma-separated numbers, one record per line; blank lines are
 * skipped; a first line that is not all numbers is a header. Every problem is reported as one line naming the
 * file, the 1-based line ("row") and the reason, e.g. `train.csv row 7, column 3: 'abc' is not a number`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { UsageError } from './io.ts';
import { clip } from './text.ts';

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

/** What a cell holds: a finite number, a number beyond float64 (`1e400`), or not a number. */
function toNumber(cell: string): number | 'overflow' | undefined {
  const t = cell.trim();
  if (!NUMBER.test(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : 'overflow';
}

/** Files larger than this are refused before reading (a CSV of inputs, not a data lake). */
export const MAX_CSV_BYTES = 512 * 1024 * 1024;

/**
 * Reads a file of numeric records. `minColumns`: fewer columns per record is an error (e.g. 2 for features plus
 * a target); `columns`: exactly this many.
 *
 * For example:
 *   // train.csv: "x1,x2,y\n0.5,1,2\n0.1,0.2,0.3\n"
 *   readNumericCsv('train.csv').rows; // [[0.5, 1, 2], [0.1, 0.2, 0.3]]
 */
export function readNumericCsv(path: string, options: { minColumns?: number; columns?: number } = {}): NumericCsv {
  if (path === '') throw new CsvError('empty file name; give the path of a CSV file');
  if (!existsSync(path)) throw new CsvError(clip(`${path}: no such file`));
  const st = statSync(path);
  if (st.isDirectory()) throw new CsvError(clip(`${path} is a directory, not a CSV file`));
  if (st.isFile() && st.size > MAX_CSV_BYTES)
    throw new CsvError(clip(`${path}: ${(st.size / 2 ** 20).toFixed(0)} MB is more than the ${MAX_CSV_BYTES / 2 ** 20} MB a CSV file may have`));
  return parseNumericCsv(readFileSync(path, 'utf8'), path, options);
}

/**
 * Parses numeric CSV text (what {@link readNumericCsv} reads); `path` names the file in messages. A byte-order mark
 * is skipped; CRLF, LF and CR line ends are read; cells separated by ';' or tabs are refused with a message saying
 * so (a decimal comma cannot be told from a separator).
 *
 * For example `parseNumericCsv('\uFEFFa,b\r\n1,2\r\n', 'x.csv').rows` gives [[1, 2]].
 */
export function parseNumericCsv(text: string, path: string, options: { minColumns?: number; columns?: number } = {}): NumericCsv {
  const out: NumericCsv = { rows: [], lines: [] };
  let width = -1;
  const records = (text.startsWith('\uFEFF') ? text.slice(1) : text).split(/\r\n|\n|\r/);
  for (let i = 0; i < records.length; i++) {
    const line = records[i]!;
    if (line.trim() === '') continue;
    const row = i + 1;
    const cells = line.split(',');
    const values = cells.map(toNumber);
    if (cells.length === 1 && /[;\t]/.test(line)) {
      const sep = line.includes(';') ? "';'" : 'tabs';
      throw new CsvError(clip(`${path} row ${row}: cells separated by ${sep}; hgm reads comma-separated numbers with '.' decimals, e.g. 0.5,1,2`));
    }
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
      throw new CsvError(`${clip(path)} row ${row}: expected ${width} columns${out.header ? ' (as in the header)' : ''}, got ${cells.length}`);
    }
    const bad = values.findIndex((v) => typeof v !== 'number');
    if (bad >= 0) {
      const cell = cells[bad]!.trim();
      const why = values[bad] === 'overflow' ? 'is beyond the range of a float64 number (about 1.8e308)' : 'is not a number';
      const hint = /[;\t]/.test(cell) ? "; cells must be separated by ',' (not ';' or tabs)" : '';
      throw new CsvError(clip(`${path} row ${row}, column ${bad + 1}: '${cell}' ${why}${hint}`));
    }
    out.rows.push(values as number[]);
    out.lines.push(row);
  }
  if (out.rows.length === 0) throw new CsvError(clip(`${path}: no data rows`));
  if (options.minColumns !== undefined && width < options.minColumns) {
    throw new CsvError(clip(`${path} row ${out.lines[0]}: expected at least ${options.minColumns} columns, got ${width}`));
  }
  if (options.columns !== undefined && width !== options.columns) {
    throw new CsvError(clip(`${path} row ${out.lines[0]}: expected ${options.columns} columns, got ${width}`));
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
