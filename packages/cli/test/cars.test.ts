import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CARS_FEATURES,
  carsJsonPath,
  fitStandardizer,
  loadCars,
  parseCars,
  seededShuffle,
  splitTrainTest,
  type CarRow,
} from '../src/experiment/carsDataset.ts';
import { runCarsExperiment, type CarsRow as CarsRowT } from '../src/experiment/carsExperiment.ts';
import { fitRidge } from '../src/experiment/linearBaseline.ts';

const raw = JSON.parse(readFileSync(carsJsonPath(), 'utf8')) as Record<string, unknown>[];
const cars = loadCars();

/** Solves A x = b by Gaussian elimination with partial pivoting (the independent reference for the QR solve). */
function gaussSolve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i]![k]!) > Math.abs(m[p]![k]!)) p = i;
    [m[k], m[p]] = [m[p]!, m[k]!];
    for (let i = k + 1; i < n; i++) {
      const f = m[i]![k]! / m[k]![k]!;
      for (let j = k; j <= n; j++) m[i]![j]! -= f * m[k]![j]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = m[i]![n]!;
    for (let j = i + 1; j < n; j++) s -= m[i]![j]! * x[j]!;
    x[i] = s / m[i]![i]!;
  }
  return x;
}

/** Ridge by the normal equations [XᵀX + λP  Xᵀ1; 1ᵀX  n] (w, w₀) = (Xᵀy, 1ᵀy), P = I on w only. */
function normalEquations(x: number[][], y: number[], lambda: number): number[] {
  const rows = x.map((r) => [...r, 1]);
  const p = rows[0]!.length;
  const ata = Array.from({ length: p }, (_, i) =>
    Array.from({ length: p }, (_, j) => rows.reduce((s, r) => s + r[i]! * r[j]!, 0) + (i === j && i < p - 1 ? lambda : 0)),
  );
  const aty = Array.from({ length: p }, (_, i) => rows.reduce((s, r, k) => s + r[i]! * y[k]!, 0));
  return gaussSolve(ata, aty);
}

describe('the cars data set (vega-datasets 3.2.1)', () => {
  it('drops exactly the rows with a null in a used column (counted independently on the raw JSON)', () => {
    const used = [...CARS_FEATURES, 'Miles_per_Gallon'];
    const withNull = raw.filter((r) => used.some((c) => r[c] === null || r[c] === undefined)).length;
    expect(raw.length).toBe(406);
    expect(withNull).toBe(14);
    expect(cars).toMatchObject({ total: 406, dropped: 14 });
    expect(cars.rows.length).toBe(392);
    expect(cars.rows.every((r) => r.features.length === 6 && r.features.every(Number.isFinite) && Number.isFinite(r.mpg))).toBe(true);
    expect(cars.rows[0]).toEqual({ name: 'chevrolet chevelle malibu', features: [8, 307, 130, 3504, 12, 1970], mpg: 18 });
  });

  it('parseCars: nulls and missing keys drop a row; Year is the year of the date', () => {
    const ok = { Name: 'a', Miles_per_Gallon: 20, Cylinders: 4, Displacement: 100, Horsepower: 80, Weight_in_lbs: 2000, Acceleration: 15, Year: '1982-01-01' };
    const d = parseCars([ok, { ...ok, Horsepower: null }, { ...ok, Miles_per_Gallon: null }, (({ Acceleration: _, ...rest }) => rest)(ok)]);
    expect(d).toEqual({ rows: [{ name: 'a', features: [4, 100, 80, 2000, 15, 1982], mpg: 20 }], total: 4, dropped: 3 });
    expect(() => parseCars({})).toThrow(TypeError);
  });

  it('the split is a deterministic partition: 80/20, same seed same split, another seed another', () => {
    const s1 = splitTrainTest(cars.rows, 0.2, 42);
    const s2 = splitTrainTest(cars.rows, 0.2, 42);
    expect(s1).toEqual(s2);
    expect(s1.train.length).toBe(314);
    expect(s1.test.length).toBe(78);
    const all = new Set([...s1.train, ...s1.test]);
    expect(all.size).toBe(392); // disjoint, and every row used
    expect(splitTrainTest(cars.rows, 0.2, 43).test).not.toEqual(s1.test);
    const perm = seededShuffle([...Array(50).keys()], 9);
    expect([...perm].sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
    expect(perm).not.toEqual([...Array(50).keys()]);
  });

  it('standardization uses the training rows only', () => {
    const { train, test } = splitTrainTest(cars.rows, 0.2, 42);
    const st = fitStandardizer(train.map((r) => r.features));
    for (let j = 0; j < 6; j++) {
      const col = train.map((r) => r.features[j]!);
      const mean = col.reduce((s, v) => s + v, 0) / col.length;
      const sd = Math.sqrt(col.reduce((s, v) => s + (v - mean) ** 2, 0) / col.length);
      expect(Math.abs(st.mean[j]! - mean)).toBeLessThanOrEqual(1e-12 * Math.abs(mean));
      expect(Math.abs(st.std[j]! - sd)).toBeLessThanOrEqual(1e-12 * sd);
      const z = st.apply(test.map((r) => r.features)).map((r) => r[j]!);
      z.forEach((v, i) => expect(Math.abs(v - (test[i]!.features[j]! - mean) / sd)).toBeLessThan(1e-12));
    }
    expect(
      fitStandardizer([
        [1, 5],
        [3, 5],
      ]).apply([[2, 5]]),
    ).toEqual([[0, 0]]); // a constant column maps to 0
  });

  it('the experiment never looks at the test rows: changing them changes only the test RMSE', async () => {
    const { train, test } = splitTrainTest(cars.rows, 0.2, 42);
    // Give the test rows absurd values, then put them back in the positions the split will draw them from.
    const shuffledOrder = seededShuffle(
      cars.rows.map((_, i) => i),
      42,
    );
    const testIdx = new Set(shuffledOrder.slice(train.length));
    const perturbed: CarRow[] = cars.rows.map((r, i) => (testIdx.has(i) ? { ...r, features: r.features.map((v) => v * 100), mpg: r.mpg + 1000 } : r));
    expect(splitTrainTest(perturbed, 0.2, 42).train).toEqual(train);
    const methods = ['linear', 'ntk-relu'] as const;
    const a = await runCarsExperiment({ methods, rows: cars.rows });
    const b = await runCarsExperiment({ methods, rows: perturbed });
    expect(a.counts).toEqual({ total: 392, dropped: 0, train: 314, validation: 63, test: 78 });
    a.rows.forEach((row, k) => {
      expect(b.rows[k]!.regularizer).toBe(row.regularizer);
      expect(b.rows[k]!.validationRmse).toBe(row.validationRmse);
      expect(b.rows[k]!.testRmse).toBeGreaterThan(100);
    });
    expect(test.length).toBe(78);
  });

  it('the linear baseline equals a normal-equations solve (1e-9 relative) and recovers an exact line', () => {
    const { train } = splitTrainTest(cars.rows, 0.2, 42);
    const st = fitStandardizer(train.map((r) => r.features));
    const x = st.apply(train.map((r) => r.features));
    const y = train.map((r) => r.mpg);
    for (const lambda of [0, 1, 100]) {
      const m = fitRidge(x, y, lambda);
      const ref = normalEquations(x, y, lambda);
      [...m.weights, m.intercept].forEach((v, i) => expect(Math.abs(v - ref[i]!)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(ref[i]!))));
    }
    const exact = fitRidge(
      [
        [0, 1],
        [1, 0],
        [2, 3],
        [5, -1],
      ],
      [3, 4, 13, 14],
      0,
    ); // y = 3a + 2b + 1
    [...exact.weights, exact.intercept].forEach((v, i) => expect(Math.abs(v - [3, 2, 1][i]!)).toBeLessThan(1e-13));
    expect(exact.predict([[1, 1]])[0]).toBeCloseTo(6, 12);
  });

  it('NTK regression beats the linear baseline and the mean on held-out cars (measured: relu 1.98 vs 2.78 mpg)', async () => {
    const r = await runCarsExperiment({ methods: ['linear', 'ntk-relu', 'ntk-gelu'] });
    const [linear, relu, gelu] = r.rows as [CarsRowT, CarsRowT, CarsRowT];
    expect(linear.testRmse).toBeLessThan(0.5 * r.meanBaselineRmse);
    expect(relu.testRmse).toBeLessThan(linear.testRmse);
    expect(gelu.testRmse).toBeLessThan(linear.testRmse);
  });
});
