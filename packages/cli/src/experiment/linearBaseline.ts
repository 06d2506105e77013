/**
 * The linear baseline: ridge least squares y ≈ w·x + w₀ with an unpenalised intercept, solved by Householder QR
 * of the augmented system [X 1; √λ·I 0] (QR instead of the normal equations, whose condition number is the
 * square of X's; the tests compare against a normal-equations solve).
 */

export interface LinearModel {
  weights: number[];
  intercept: number;
  predict(rows: readonly (readonly number[])[]): number[];
}

/**
 * Minimises Σ (y_i − w·x_i − w₀)² + λ|w|².
 *
 * For example:
 *   const m = fitRidge([[0], [1], [2]], [1, 3, 5], 0);
 *   [m.weights[0], m.intercept]; // [2, 1]
 */
export function fitRidge(x: readonly (readonly number[])[], y: readonly number[], lambda = 0): LinearModel {
  const n = x.length;
  if (n === 0 || y.length !== n) throw new RangeError(`fitRidge needs as many targets as rows (${n}, ${y.length})`);
  if (!(lambda >= 0)) throw new RangeError(`lambda must be ≥ 0, got ${lambda}`);
  const d = x[0]!.length;
  const p = d + 1; // unknowns: w_1..w_d, w₀
  const rows = lambda > 0 ? n + d : n;
  // Column-major augmented matrix A (rows × p) and right-hand side b.
  const a = Array.from({ length: p }, () => new Float64Array(rows));
  const b = new Float64Array(rows);
  for (let i = 0; i < n; i++) {
    if (x[i]!.length !== d) throw new RangeError(`row ${i} has ${x[i]!.length} features, expected ${d}`);
    for (let j = 0; j < d; j++) a[j]![i] = x[i]![j]!;
    a[d]![i] = 1;
    b[i] = y[i]!;
  }
  if (lambda > 0) for (let j = 0; j < d; j++) a[j]![n + j] = Math.sqrt(lambda);
  if (rows < p) throw new RangeError(`fitRidge: ${n} rows cannot determine ${p} coefficients without λ > 0`);

  // Householder QR, applying each reflection to b as we go; R overwrites the upper triangle of A.
  for (let k = 0; k < p; k++) {
    const col = a[k]!;
    let norm = 0;
    for (let i = k; i < rows; i++) norm = Math.hypot(norm, col[i]!);
    if (norm === 0) throw new RangeError(`fitRidge: column ${k} is linearly dependent on the others; use λ > 0`);
    // The sign that avoids cancellation in v₀ = x₀ ± |x|.
    const alpha = col[k]! > 0 ? -norm : norm;
    const v = new Float64Array(rows - k);
    v[0] = col[k]! - alpha;
    for (let i = k + 1; i < rows; i++) v[i - k] = col[i]!;
    let vv = 0;
    for (const t of v) vv += t * t;
    const reflect = (c: Float64Array) => {
      let dot = 0;
      for (let i = k; i < rows; i++) dot += v[i - k]! * c[i]!;
      const f = (2 * dot) / vv;
      for (let i = k; i < rows; i++) c[i]! -= f * v[i - k]!;
    };
    for (let j = k; j < p; j++) reflect(a[j]!);
    reflect(b);
  }
  const coef = new Array<number>(p).fill(0);
  for (let k = p - 1; k >= 0; k--) {
    let s = b[k]!;
    for (let j = k + 1; j < p; j++) s -= a[j]![k]! * coef[j]!;
    coef[k] = s / a[k]![k]!;
  }
  const weights = coef.slice(0, d);
  const intercept = coef[d]!;
  return {
    weights,
    intercept,
    predict: (xs) => xs.map((r) => r.reduce((s, v, j) => s + v * weights[j]!, intercept)),
  };
}
