import { DomainError, Rational } from '@holonomic-ntk/weyl-algebra';
import { gcdBig } from '@holonomic-ntk/weyl-algebra/internal';

/**
 * Exact rational roots of a univariate polynomial with rational coefficients, without factoring integers.
 *
 * Why not the textbook "p | a_0, q | a_n" search: enumerating divisors needs the factorization of a_0 and a_n, and
 * a b-function of degree 20 easily has a constant term with millions of divisors. Instead: the squarefree part B of
 * the primitive integer polynomial has its real roots isolated by a Sturm sequence on dyadic intervals; each
 * isolating interval is then bisected until the root, if rational p/q (q divides lc(B)), is a continued-fraction
 * convergent of the interval's midpoint (Legendre: |m − p/q| < 1/(2q²) makes p/q a convergent), checked exactly.
 * Once the interval is narrower than 1/lc(B)², no rational root is left in it. The depth of the bisection is
 * log₂(bound) + 2·log₂(q) per rational root — not log₂ of the scaled root c·r, which for the b-function
 * s·Π_(k ≤ 30)(31s + k) (c = 31^30) made the earlier integer search take 8 s; this one takes milliseconds.
 */

/** A root with its multiplicity in the polynomial. */
export interface RationalRoot {
  root: Rational;
  multiplicity: number;
}

/**
 * The rational roots of Σ coefficients[i]·s^i (ascending coefficients, not all zero), ascending, with their
 * multiplicities. Irrational and complex roots (non-linear factors over Q) are ignored.
 *
 * For example:
 * // 2s^3 − 3s^2 + s = s(s − 1)(2s − 1)
 * const roots = rationalRoots([0, 1, -3, 2].map((c) => Rational.of(c)));
 * roots.map((r) => r.root.toString()); // ['0', '1/2', '1']
 */
export function rationalRoots(coefficients: readonly Rational[]): RationalRoot[] {
  let b = primitiveIntegerCoefficients(coefficients);
  if (b.length === 0) throw new DomainError('the zero polynomial has every number as a root');
  const out: RationalRoot[] = [];
  // Root 0: strip the powers of s first (P's constant term is then nonzero, which keeps the bound tight).
  let zeros = 0;
  while (b[0] === 0n) {
    b = b.slice(1);
    zeros++;
  }
  if (zeros > 0) out.push({ root: Rational.ZERO, multiplicity: zeros });
  if (b.length >= 2) {
    for (const r of rationalRootsOfSquarefree(squarefree(b))) out.push({ root: r, multiplicity: multiplicity(b, r) });
  }
  out.sort((x, y) => x.root.cmp(y.root));
  return out;
}

/** Ascending integer coefficients, primitive with positive leading coefficient; trailing zeros removed. */
export function primitiveIntegerCoefficients(coefficients: readonly Rational[]): bigint[] {
  let top = coefficients.length - 1;
  while (top >= 0 && coefficients[top]!.isZero()) top--;
  if (top < 0) return [];
  const cs = coefficients.slice(0, top + 1);
  let l = 1n;
  for (const c of cs) l = (l / gcdBig(l, c.den)) * c.den;
  let ints = cs.map((c) => c.num * (l / c.den));
  let g = 0n;
  for (const v of ints) g = gcdBig(g, v);
  if (ints[top]! < 0n) g = -g;
  ints = ints.map((v) => v / g);
  return ints;
}

/** Multiplicity of the root r = p/q of the integer polynomial b (ascending coefficients), by exact deflation. */
function multiplicity(b: readonly bigint[], r: Rational): number {
  let cur = b.map((v) => Rational.int(v));
  let m = 0;
  for (;;) {
    // Synthetic division by (s − r): Horner from the top.
    const n = cur.length - 1;
    if (n < 1) return m;
    const q = new Array<Rational>(n);
    let acc = cur[n]!;
    for (let i = n - 1; i >= 0; i--) {
      q[i] = acc;
      acc = cur[i]!.add(acc.mul(r));
    }
    if (!acc.isZero()) return m;
    m++;
    cur = q;
  }
}

/**
 * The rational roots of a squarefree primitive integer polynomial B (ascending coefficients, degree ≥ 1): Sturm
 * isolation on dyadic intervals (a/2^k, b/2^k], then bisection of each isolating interval until the root is found as
 * a continued-fraction convergent or the interval is narrower than 1/lc(B)² (then the root is irrational).
 */
function rationalRootsOfSquarefree(B: readonly bigint[]): Rational[] {
  const d = degreeOf(B);
  if (d < 1) return [];
  const lc = abs(B[d]!);
  const sturm = sturmSequence(B);
  // Cauchy bound: every root has |r| < 1 + max |a_i| / |a_d| ≤ M.
  let top = 0n;
  for (let i = 0; i < d; i++) top = top > abs(B[i]!) ? top : abs(B[i]!);
  const M = 2n + top / lc;
  const changes = (a: bigint, k: number) => signChangesAt(sturm, a, k);
  const roots: Rational[] = [];
  // Roots in (a, b]/2^k number V(a) − V(b) (Sturm, B squarefree).
  const isolate = (a: bigint, va: number, b: bigint, vb: number, k: number): void => {
    const count = va - vb;
    if (count <= 0) return;
    if (count === 1) {
      const r = refine(B, sturm, lc, a, va, b, k);
      if (r) roots.push(r);
      return;
    }
    const mid = a + b;
    const vm = changes(mid, k + 1);
    isolate(2n * a, va, mid, vm, k + 1);
    isolate(mid, vm, 2n * b, vb, k + 1);
  };
  isolate(-M, changes(-M, 0), M, changes(M, 0), 0);
  return roots;
}

/** The one root of B in (a, b]/2^k if it is rational, else null. */
function refine(B: readonly bigint[], sturm: readonly bigint[][], lc: bigint, a: bigint, va: number, b: bigint, k: number): Rational | null {
  const tried = new Set<string>();
  for (;;) {
    if (valueAt(B, b, k) === 0n) return Rational.of(b, 1n << BigInt(k));
    // Convergents p/q of the midpoint with q | lc and q²·width < 1: the root is among them once the interval is that narrow.
    const width = b - a; // in units of 2^−k
    for (const [p, q] of convergents(a + b, 1n << BigInt(k + 1))) {
      if (q * q * width >= 1n << BigInt(k)) break;
      if (lc % q !== 0n) continue;
      const key = `${p}/${q}`;
      if (tried.has(key)) continue;
      tried.add(key);
      // p/q ∈ (a, b]/2^k and B(p/q) = 0.
      const scaled = p << BigInt(k);
      if (scaled > a * q && scaled <= b * q && rationalValue(B, p, q) === 0n) return Rational.of(p, q);
    }
    if (lc * lc * width < 1n << BigInt(k)) return null; // narrower than 1/lc²: no rational root with denominator | lc
    const mid = a + b;
    const vm = signChangesAt(sturm, mid, k + 1);
    if (va - vm === 1) {
      a *= 2n;
      b = mid;
    } else {
      a = mid;
      va = vm;
      b *= 2n;
    }
    k++;
  }
}

/** The convergents p/q (q > 0) of num/den (den > 0), in order. */
function* convergents(num: bigint, den: bigint): Generator<[bigint, bigint]> {
  let [h0, h1, k0, k1] = [0n, 1n, 1n, 0n];
  let [n, d] = [num, den];
  while (d !== 0n) {
    let q = n / d;
    if (n % d !== 0n && n < 0n) q -= 1n; // floor
    [h0, h1] = [h1, q * h1 + h0];
    [k0, k1] = [k1, q * k1 + k0];
    yield [h1, k1];
    [n, d] = [d, n - q * d];
  }
}

/** B(a/2^k)·2^(k·deg B), exactly. */
function valueAt(B: readonly bigint[], a: bigint, k: number): bigint {
  return rationalValue(B, a, 1n << BigInt(k));
}

/** B(p/q)·q^(deg B), exactly (q > 0). */
function rationalValue(B: readonly bigint[], p: bigint, q: bigint): bigint {
  return homogeneousValue(B, p, q);
}

function signChangesAt(seq: readonly bigint[][], a: bigint, k: number): number {
  let last = 0;
  let count = 0;
  const q = 1n << BigInt(k);
  for (const S of seq) {
    const v = homogeneousValue(S, a, q);
    const s = v > 0n ? 1 : v < 0n ? -1 : 0;
    if (s === 0) continue;
    if (last !== 0 && s !== last) count++;
    last = s;
  }
  return count;
}

/** S(p/q)·q^(deg S) by Horner on the homogenized form (sign is that of S(p/q), q > 0). */
function homogeneousValue(S: readonly bigint[], p: bigint, q: bigint): bigint {
  let acc = 0n;
  let qp = 1n;
  for (let i = S.length - 1; i >= 0; i--) {
    acc = acc * p + S[i]! * qp;
    qp *= q;
  }
  return acc;
}

/** Integer roots of a monic integer polynomial (ascending coefficients), ascending, each once. */
export function integerRootsOfMonic(P: readonly bigint[]): bigint[] {
  const n = P.length - 1;
  if (n < 1) return [];
  const square = squarefree(P);
  const sturm = sturmSequence(square);
  // Cauchy bound: every root has |y| < 1 + max |a_i| / |a_n|, and P is monic.
  let bound = 0n;
  for (let i = 0; i < n; i++) bound = bound > abs(P[i]!) ? bound : abs(P[i]!);
  bound += 1n;
  const changes = (y: bigint) => signChanges(sturm, y);
  const roots: bigint[] = [];
  // Roots in (a, b] number V(a) − V(b) for a squarefree polynomial (Sturm's theorem; neither end need avoid roots
  // because we count half-open intervals, with V evaluated at a root the standard way: zeros skipped).
  const search = (a: bigint, va: number, b: bigint, vb: number) => {
    const count = va - vb;
    if (count <= 0) return;
    if (b - a === 1n) {
      if (evaluate(square, b) === 0n) roots.push(b);
      return;
    }
    const mid = a + (b - a) / 2n;
    const vm = changes(mid);
    search(a, va, mid, vm);
    search(mid, vm, b, vb);
  };
  const lo = -bound - 1n;
  search(lo, changes(lo), bound, changes(bound));
  return roots;
}

function abs(a: bigint): bigint {
  return a < 0n ? -a : a;
}

/** Value at an integer by Horner. */
function evaluate(P: readonly bigint[], y: bigint): bigint {
  let acc = 0n;
  for (let i = P.length - 1; i >= 0; i--) acc = acc * y + P[i]!;
  return acc;
}

function derivative(P: readonly bigint[]): bigint[] {
  return P.slice(1).map((c, i) => c * BigInt(i + 1));
}

function degreeOf(P: readonly bigint[]): number {
  let d = P.length - 1;
  while (d >= 0 && P[d] === 0n) d--;
  return d;
}

/** Primitive part with a positive leading coefficient (trailing zeros trimmed). */
function primitive(P: readonly bigint[]): bigint[] {
  const d = degreeOf(P);
  const q = shrink(P);
  return d >= 0 && P[d]! < 0n ? q.map((c) => -c) : q;
}

/** P divided by its (positive) content: the sign pattern, which Sturm sequences depend on, is kept. */
function shrink(P: readonly bigint[]): bigint[] {
  const d = degreeOf(P);
  if (d < 0) return [];
  let g = 0n;
  for (let i = 0; i <= d; i++) g = gcdBig(g, P[i]!);
  return P.slice(0, d + 1).map((c) => c / g);
}

/**
 * Remainder of A by B up to a positive factor: each step multiplies by lc(B)² > 0 and divides by a positive content,
 * so the Sturm sequence built from it has the sign pattern of the one over Q.
 */
function positiveRemainder(A: readonly bigint[], B: readonly bigint[]): bigint[] {
  const db = degreeOf(B);
  const lb = B[db]!;
  let R = shrink(A);
  let dr = degreeOf(R);
  while (dr >= db && dr >= 0) {
    const lr = R[dr]!;
    // R ← lb²·R − (lr·lb)·y^(dr−db)·B: the factor lb² > 0 preserves signs.
    const next = R.map((c) => c * lb * lb);
    for (let i = 0; i <= db; i++) next[i + dr - db] = next[i + dr - db]! - lr * lb * B[i]!;
    R = shrink(next);
    dr = degreeOf(R);
  }
  return R;
}

/** Squarefree part P / gcd(P, P′) (primitive, positive leading coefficient). */
function squarefree(P: readonly bigint[]): bigint[] {
  let a = primitive(P);
  let b = primitive(derivative(a));
  while (degreeOf(b) > 0) {
    const r = positiveRemainder(a, b);
    a = b;
    b = r;
  }
  // b is now a nonzero constant (gcd 1) or zero (then a is the gcd).
  if (degreeOf(b) === 0) return primitive(P);
  return primitive(exactQuotient(primitive(P), a));
}

/** A / B over Z[y], exact up to content (B divides A over Q); result primitive. */
function exactQuotient(A: readonly bigint[], B: readonly bigint[]): bigint[] {
  const db = degreeOf(B);
  const lb = B[db]!;
  const da = degreeOf(A);
  // Work over Q via scaling: multiply A by lb^(da−db+1) so every step divides exactly.
  const R = A.map((c) => c * lb ** BigInt(da - db + 1));
  const Q = new Array<bigint>(da - db + 1).fill(0n);
  for (let k = da - db; k >= 0; k--) {
    const c = R[k + db]! / lb;
    Q[k] = c;
    for (let i = 0; i <= db; i++) R[k + i] = R[k + i]! - c * B[i]!;
  }
  return primitive(Q);
}

/** Sturm sequence S0 = P, S1 = P′, S(i+1) = −rem(S(i−1), S(i)), each scaled by a positive number. */
function sturmSequence(P: readonly bigint[]): bigint[][] {
  const seq: bigint[][] = [shrink(P)];
  const b = shrink(derivative(seq[0]!));
  if (degreeOf(b) < 0) return seq;
  seq.push(b);
  for (;;) {
    const r = positiveRemainder(seq[seq.length - 2]!, seq[seq.length - 1]!);
    if (degreeOf(r) < 0) return seq;
    seq.push(r.map((c) => -c));
  }
}

function signChanges(seq: readonly bigint[][], y: bigint): number {
  let last = 0;
  let count = 0;
  for (const S of seq) {
    const v = evaluate(S, y);
    const s = v > 0n ? 1 : v < 0n ? -1 : 0;
    if (s === 0) continue;
    if (last !== 0 && s !== last) count++;
    last = s;
  }
  return count;
}
