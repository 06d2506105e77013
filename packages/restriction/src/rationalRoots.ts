import { DomainError, Rational } from '@holonomic-ntk/weyl-algebra';
import { gcdBig } from '@holonomic-ntk/weyl-algebra/internal';

/**
 * Exact rational roots of a univariate polynomial with rational coefficients, without factoring integers.
 *
 * Why not the textbook "p | a_0, q | a_n" search: enumerating divisors needs the factorization of a_0 and a_n, and
 * a b-function of degree 20 easily has a constant term with millions of divisors. Instead: with c = a_n > 0 of the
 * primitive integer polynomial b, every rational root r = p/q has q | c, so y = c·r is an integer root of the monic
 * integer polynomial P(y) = c^(n−1)·b(y/c). Integer roots of P are found by a Sturm-sequence bisection over integer
 * intervals (a, a+1], which is exact and needs O(n·log(bound)) sign evaluations.
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
  const n = b.length - 1;
  if (n >= 1) {
    const c = b[n]!;
    // P(y) = Σ b_i c^(n−1−i) y^i, monic: the i = n coefficient is c^(−1)·c = 1.
    const P: bigint[] = b.map((bi, i) => (i === n ? 1n : bi * c ** BigInt(n - 1 - i)));
    for (const y of integerRootsOfMonic(P)) {
      const r = Rational.of(y, c);
      out.push({ root: r, multiplicity: multiplicity(b, r) });
    }
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
