/**
 * The `cars` data set of vega-datasets (406 cars, 1970–1982; the classic "Auto MPG" data): loading, cleaning, a
 * seeded train/test split and standardization with training statistics only.
 *
 * Features: Cylinders, Displacement, Horsepower, Weight_in_lbs, Acceleration and the model year (from the
 * "Year" date string). Target: Miles_per_Gallon. Rows with a missing (null) feature or target are dropped
 * (14 rows: 8 without MPG, 6 without horsepower), leaving 392. Origin (a category) and Name are not used.
 */
import { mulberry32 } from '@holonomic-ntk/core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The numeric columns used as features, in this order. */
export const CARS_FEATURES = ['Cylinders', 'Displacement', 'Horsepower', 'Weight_in_lbs', 'Acceleration', 'Year'] as const;
/** The predicted column. */
export const CARS_TARGET = 'Miles_per_Gallon';

export interface CarRow {
  name: string;
  /** In CARS_FEATURES order; Year as a number (1970, …). */
  features: number[];
  mpg: number;
}

export interface CarsData {
  rows: CarRow[];
  /** Rows in the file. */
  total: number;
  /** Rows dropped for a null (or missing, or non-numeric) value. */
  dropped: number;
}

/**
 * Path of cars.json inside the installed vega-datasets package (its `exports` map names only the JS entry, so
 * the data file is found relative to the resolved entry).
 *
 * For example `readFileSync(carsJsonPath(), 'utf8').length > 0` gives true.
 */
export function carsJsonPath(): string {
  const entry = createRequire(import.meta.url).resolve('vega-datasets');
  // entry is <package>/build/index.js
  return join(dirname(dirname(entry)), 'data', 'cars.json');
}

/** A finite number from a JSON value; Year is an ISO date string whose year is the feature. */
function numeric(column: string, value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (column === 'Year' && typeof value === 'string') {
    const m = /^(\d{4})/.exec(value);
    return m ? Number(m[1]) : undefined;
  }
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * The usable rows of a parsed cars.json: an array of records; a record with any used column null or missing is
 * dropped.
 *
 * For example:
 *   parseCars([{ Name: 'a', Miles_per_Gallon: 18, Cylinders: 8, Displacement: 307, Horsepower: 130,
 *     Weight_in_lbs: 3504, Acceleration: 12, Year: '1970-01-01' }]).rows[0].features; // [8, 307, 130, 3504, 12, 1970]
 */
export function parseCars(json: unknown): CarsData {
  if (!Array.isArray(json)) throw new TypeError('cars.json: expected an array of records');
  const rows: CarRow[] = [];
  for (const rec of json as Record<string, unknown>[]) {
    const features = CARS_FEATURES.map((c) => numeric(c, rec?.[c]));
    const mpg = numeric(CARS_TARGET, rec?.[CARS_TARGET]);
    if (mpg === undefined || features.some((v) => v === undefined)) continue;
    rows.push({ name: String(rec.Name ?? ''), features: features as number[], mpg });
  }
  return { rows, total: json.length, dropped: json.length - rows.length };
}

/**
 * The cars data set from the installed vega-datasets package (or from `path`).
 *
 * For example `loadCars().rows.length` gives 392.
 */
export function loadCars(path = carsJsonPath()): CarsData {
  return parseCars(JSON.parse(readFileSync(path, 'utf8')));
}

/**
 * A seeded Fisher–Yates shuffle (mulberry32): the same seed gives the same order on every run and machine.
 *
 * For example `seededShuffle([1, 2, 3, 4], 7)` gives a fixed permutation of [1, 2, 3, 4].
 */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  const next = mulberry32(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Shuffle with `seed`, then the first round((1 − testFraction)·n) rows train and the rest test.
 *
 * For example `splitTrainTest([...Array(10).keys()], 0.2, 1).test.length` gives 2.
 */
export function splitTrainTest<T>(items: readonly T[], testFraction: number, seed: number): { train: T[]; test: T[] } {
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`testFraction must be in (0, 1), got ${testFraction}`);
  const shuffled = seededShuffle(items, seed);
  const nTrain = Math.round((1 - testFraction) * items.length);
  return { train: shuffled.slice(0, nTrain), test: shuffled.slice(nTrain) };
}

export interface Standardizer {
  mean: number[];
  /** Population standard deviation of each column (1 for a constant column, so it maps to 0 instead of NaN). */
  std: number[];
  apply(rows: readonly (readonly number[])[]): number[][];
}

/**
 * Column means and standard deviations of `rows` (the training rows only), and the map x ↦ (x − mean)/std.
 *
 * For example `fitStandardizer([[1], [3]]).apply([[2], [5]])` gives [[0], [3]].
 */
export function fitStandardizer(rows: readonly (readonly number[])[]): Standardizer {
  if (rows.length === 0) throw new RangeError('fitStandardizer needs at least one row');
  const d = rows[0]!.length;
  const mean = new Array<number>(d).fill(0);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j]! += r[j]! / rows.length;
  const std = mean.map((m, j) => {
    let s = 0;
    for (const r of rows) s += (r[j]! - m) ** 2;
    const sd = Math.sqrt(s / rows.length);
    return sd > 0 ? sd : 1;
  });
  return { mean, std, apply: (xs) => xs.map((r) => r.map((v, j) => (v - mean[j]!) / std[j]!)) };
}
