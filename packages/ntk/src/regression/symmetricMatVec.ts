/**
 * y = (K + shift·I)·x for a symmetric row-major n × n K stored in full (both triangles, as kernel matrices are):
 * four rows at a time, so x is loaded once per four products. Memory-bound: one pass over K (8n² bytes) per call.
 */
export function symmetricMatVec(k: Float64Array, n: number, shift: number, x: Float64Array, y: Float64Array): void {
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const r0 = i * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < n; j++) {
      const xj = x[j]!;
      s0 += k[r0 + j]! * xj;
      s1 += k[r1 + j]! * xj;
      s2 += k[r2 + j]! * xj;
      s3 += k[r3 + j]! * xj;
    }
    y[i] = s0 + shift * x[i]!;
    y[i + 1] = s1 + shift * x[i + 1]!;
    y[i + 2] = s2 + shift * x[i + 2]!;
    y[i + 3] = s3 + shift * x[i + 3]!;
  }
  for (; i < n; i++) {
    const r = i * n;
    let s = 0;
    for (let j = 0; j < n; j++) s += k[r + j]! * x[j]!;
    y[i] = s + shift * x[i]!;
  }
}

/** Euclidean norm. */
export function norm2(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s);
}
