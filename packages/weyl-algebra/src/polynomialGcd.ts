import { absBig, bitLength, gcdBig } from './bigintMath.ts';
import { integerPrimitive } from './content.ts';
import { QQ, ZZ } from './domain.ts';
import { DomainError } from './errors.ts';
import type { Monomial } from './monomialOrder.ts';
import { Poly, PolyRing } from './polynomial.ts';
import { Rational } from './rational.ts';

/**
 * Multivariate polynomial GCD over ZZ and QQ.
 *
 * Strategy (each step is exact; randomness only decides how fast we get there, never what is returned):
 * 1. Split off what is cheap and canonical: the common monomial factor and the integer content.
 * 2. Degree certificate: for each variable x_k, map both inputs to Z_p[x_k] (the other variables at random points,
 *    p a random 26-bit prime). When the image keeps the degree of a leading coefficient, deg gcd(images) is an
 *    upper bound e_k for deg_{x_k} of the true gcd. A common divisor that reaches e_k in every variable *is* the
 *    gcd (it divides the gcd and the quotient has degree 0 everywhere, and both are primitive). All e_k = 0 —
 *    the usual case in rational-function arithmetic — ends the computation at once.
 * 3. Heuristic GCD (Char–Geddes–Gonnet): evaluate one variable at a large integer ξ, recurse down to an integer
 *    gcd, and read the polynomial back from the symmetric ξ-adic digits; accept only a candidate that divides
 *    both inputs exactly and meets the certificate. A few ξ are tried, growing.
 * 4. Fallback: Brown's dense modular algorithm (images modulo 26-bit primes, each by evaluation/interpolation of
 *    one variable at a time with the content in that variable removed, then CRT and trial division). It is always
 *    right and scales far better than a PRS, whose content gcds explode on inputs like the benchmark's.
 *
 * Internally a polynomial is "dense recursive" (as in SymPy's DMP): a level-u value is a bigint when u = 0 and
 * otherwise an array of level-(u−1) values indexed by the exponent of the outermost variable, with no trailing
 * zeros. Zero sub-polynomials cost one empty array, so sparse inputs stay cheap.
 */

/**
 * How the gcd should be computed; the result is the same whichever path is taken.
 *
 * @example
 * ```ts
 * import { PolyRing, ZZ, gcdZZ, parsePolynomial, polynomialToText } from '@holonomic-ntk/weyl-algebra';
 * const R = new PolyRing(ZZ, ['x']);
 * const [a, b] = [parsePolynomial(R, 'x^2 - 1'), parsePolynomial(R, 'x^2 + 2*x + 1')];
 * polynomialToText(R, gcdZZ(R, a, b, { algorithm: 'modular' })); // → 'x + 1'
 * ```
 */
export interface GcdOptions {
  /** 'auto' (default): heuristic first, the modular algorithm when it fails; 'modular': the fallback alone. */
  algorithm?: 'auto' | 'modular';
  /** How many evaluation points the heuristic tries per level before giving up (default 6). */
  heuristicTries?: number;
  /** Called with the path that produced the answer; for tests and profiling. */
  onPath?: (path: GcdPath) => void;
}

/**
 * Which algorithm produced a gcd (reported through {@link GcdOptions.onPath}).
 *
 * @example
 * ```ts
 * import { PolyRing, ZZ, gcdZZ, parsePolynomial, type GcdPath } from '@holonomic-ntk/weyl-algebra';
 * const R = new PolyRing(ZZ, ['x']);
 * const paths: GcdPath[] = [];
 * gcdZZ(R, parsePolynomial(R, 'x^2 - 1'), parsePolynomial(R, 'x - 1'), { algorithm: 'modular', onPath: (p) => paths.push(p) });
 * paths; // → ['modular']
 * ```
 */
export type GcdPath = 'trivial' | 'certificate' | 'heuristic' | 'modular';

/**
 * gcd with the cofactors: a = gcd·ca and b = gcd·cb.
 *
 * @example
 * ```ts
 * import { PolyRing, ZZ, cofactorsZZ, parsePolynomial, type GcdCofactors } from '@holonomic-ntk/weyl-algebra';
 * const R = new PolyRing(ZZ, ['x']);
 * const a = parsePolynomial(R, 'x^2 - 1');
 * const r: GcdCofactors<bigint> = cofactorsZZ(R, a, parsePolynomial(R, '2*x + 2'));
 * R.eq(R.mul(r.gcd, r.ca), a); // → true
 * ```
 */
export interface GcdCofactors<T> {
  gcd: Poly<T>;
  ca: Poly<T>;
  cb: Poly<T>;
}

// ---------------------------------------------------------------------------------------------------------------
// Dense recursive polynomials over Z

type DP = bigint | DP[];

const HEURISTIC_TRIES = 6;
/**
 * The heuristic's integers grow like (deg+1) per level; past this many bits of an evaluation the integer gcd costs
 * more than the fallback, so the heuristic steps aside.
 */
const HEURISTIC_MAX_BITS = 30_000;

function zeroD(u: number): DP {
  return u === 0 ? 0n : [];
}

function isZeroD(f: DP, u: number): boolean {
  return u === 0 ? f === 0n : (f as DP[]).length === 0;
}

function constD(c: bigint, u: number): DP {
  if (c === 0n) return zeroD(u);
  let r: DP = c;
  for (let i = 0; i < u; i++) r = [r];
  return r;
}

/** Drops trailing zeros of a freshly built array (mutates it: only call on arrays nobody else holds). */
function trimD(a: DP[], u: number): DP[] {
  let n = a.length;
  while (n > 0 && isZeroD(a[n - 1]!, u - 1)) n--;
  if (n < a.length) a.length = n;
  return a;
}

function addD(f: DP, g: DP, u: number): DP {
  if (u === 0) return (f as bigint) + (g as bigint);
  const a = f as DP[];
  const b = g as DP[];
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const n = Math.max(a.length, b.length);
  const r = new Array<DP>(n);
  for (let i = 0; i < n; i++) r[i] = i >= a.length ? b[i]! : i >= b.length ? a[i]! : addD(a[i]!, b[i]!, u - 1);
  return a.length === b.length ? trimD(r, u) : r;
}

function negD(f: DP, u: number): DP {
  if (u === 0) return -(f as bigint);
  return (f as DP[]).map((c) => negD(c, u - 1));
}

function subD(f: DP, g: DP, u: number): DP {
  if (u === 0) return (f as bigint) - (g as bigint);
  const a = f as DP[];
  const b = g as DP[];
  if (b.length === 0) return a;
  if (a.length === 0) return negD(b, u);
  const n = Math.max(a.length, b.length);
  const r = new Array<DP>(n);
  for (let i = 0; i < n; i++) r[i] = i >= a.length ? negD(b[i]!, u - 1) : i >= b.length ? a[i]! : subD(a[i]!, b[i]!, u - 1);
  return a.length === b.length ? trimD(r, u) : r;
}

function mulIntD(f: DP, c: bigint, u: number): DP {
  if (u === 0) return (f as bigint) * c;
  if (c === 0n) return [];
  if (c === 1n) return f;
  return (f as DP[]).map((x) => mulIntD(x, c, u - 1));
}

/** f / c, every coefficient divisible by c (the caller knows). */
function divIntD(f: DP, c: bigint, u: number): DP {
  if (u === 0) return (f as bigint) / c;
  if (c === 1n) return f;
  return (f as DP[]).map((x) => divIntD(x, c, u - 1));
}

function mulD(f: DP, g: DP, u: number): DP {
  if (u === 0) return (f as bigint) * (g as bigint);
  const a = f as DP[];
  const b = g as DP[];
  if (a.length === 0 || b.length === 0) return [];
  if (u === 1) {
    const r = new Array<bigint>(a.length + b.length - 1).fill(0n);
    for (let i = 0; i < a.length; i++) {
      const ai = a[i] as bigint;
      if (ai === 0n) continue;
      for (let j = 0; j < b.length; j++) r[i + j]! += ai * (b[j] as bigint);
    }
    return r; // leading coefficient is a product of nonzero integers: no trim needed
  }
  const r = new Array<DP>(a.length + b.length - 1).fill([]);
  for (let i = 0; i < a.length; i++) {
    if ((a[i] as DP[]).length === 0) continue;
    for (let j = 0; j < b.length; j++) {
      if ((b[j] as DP[]).length === 0) continue;
      r[i + j] = addD(r[i + j]!, mulD(a[i]!, b[j]!, u - 1), u - 1);
    }
  }
  return r;
}

/** gcd of all integer coefficients (≥ 0). */
function contentIntD(f: DP, u: number): bigint {
  const all: bigint[] = [];
  const collect = (x: DP, l: number) => {
    if (l === 0) {
      if (x !== 0n) all.push(x as bigint);
    } else for (const c of x as DP[]) collect(c, l - 1);
  };
  collect(f, u);
  return gcdOfList(all);
}

/**
 * gcd of integers, starting from the smallest: every later gcd then costs one division of a big number by a small
 * one, where folding in storage order may run Euclid on two big numbers.
 */
function gcdOfList(values: bigint[]): bigint {
  if (values.length === 0) return 0n;
  let best = 0;
  let bestBits = Infinity;
  for (let i = 0; i < values.length; i++) {
    const b = bitLength(values[i]!);
    if (b < bestBits) {
      best = i;
      bestBits = b;
    }
  }
  let g = absBig(values[best]!);
  for (let i = 0; i < values.length && g !== 1n; i++) if (i !== best) g = gcdInt(g, values[i]!);
  return g;
}

/**
 * Integer gcd, Lehmer's algorithm for big operands: quotients are found from the leading 48 bits in double
 * arithmetic (all intermediate values stay below 2^53, so exact) and applied to the full numbers as one 2×2
 * unimodular step, replacing a dozen or more bigint divisions. Plain Euclid is quadratic with a large constant,
 * and the heuristic's evaluations reach thousands of bits.
 *
 * @example
 * ```ts
 * import { gcdInt } from '@holonomic-ntk/weyl-algebra/internal';
 * gcdInt(2n ** 100n * 3n, 2n ** 64n * 9n); // → 3n * 2n ** 64n
 * ```
 */
export function gcdInt(a: bigint, b: bigint): bigint {
  return gcdBig(a, b);
}

function maxNormD(f: DP, u: number): bigint {
  if (u === 0) return absBig(f as bigint);
  let m = 0n;
  for (const c of f as DP[]) {
    const n = maxNormD(c, u - 1);
    if (n > m) m = n;
  }
  return m;
}

/** Leading integer coefficient in the recursive (lexicographic) sense. */
function groundLcD(f: DP, u: number): bigint {
  for (; u > 0; u--) {
    const a = f as DP[];
    if (a.length === 0) return 0n;
    f = a[a.length - 1]!;
  }
  return f as bigint;
}

/** Degree in each level's variable, outermost first (all 0 for constants and for 0). */
function degreesD(f: DP, u: number, out: number[] = new Array<number>(u).fill(0), depth = 0): number[] {
  if (u === 0) return out;
  const a = f as DP[];
  if (a.length - 1 > out[depth]!) out[depth] = a.length - 1;
  for (const c of a) degreesD(c, u - 1, out, depth + 1);
  return out;
}

/** f divided by its integer content, ground leading coefficient made positive. */
function primitiveIntD(f: DP, u: number): DP {
  if (isZeroD(f, u)) return f;
  let c = contentIntD(f, u);
  if (groundLcD(f, u) < 0n) c = -c;
  return divIntD(f, c, u);
}

/** f with the outermost variable set to x (a level-(u−1) value), by Horner. */
function evalD(f: DP, x: bigint, u: number): DP {
  const a = f as DP[];
  if (a.length === 0) return zeroD(u - 1);
  if (u === 1) {
    let r = a[a.length - 1] as bigint;
    for (let i = a.length - 2; i >= 0; i--) r = r * x + (a[i] as bigint);
    return r;
  }
  let r = a[a.length - 1]!;
  for (let i = a.length - 2; i >= 0; i--) r = addD(mulIntD(r, x, u - 1), a[i]!, u - 1);
  return r;
}

/** One symmetric ξ-adic digit: [h mods x, (h − digit)/x], coefficientwise, digits in (−x/2, x/2]. */
function digitD(h: DP, x: bigint, half: bigint, u: number): [DP, DP] {
  if (u === 0) {
    const c = h as bigint;
    let r = c % x;
    if (r < 0n) r += x;
    if (r > half) r -= x;
    return [r, (c - r) / x];
  }
  const a = h as DP[];
  const d = new Array<DP>(a.length);
  const q = new Array<DP>(a.length);
  for (let i = 0; i < a.length; i++) [d[i], q[i]] = digitD(a[i]!, x, half, u - 1);
  return [trimD(d, u), trimD(q, u)];
}

/** The level-u polynomial whose value at the outermost variable = x is h (level u−1), read off digit by digit. */
function interpolateD(h: DP, x: bigint, u: number): DP {
  const out: DP[] = [];
  const half = x >> 1n;
  while (!isZeroD(h, u - 1)) {
    const [d, q] = digitD(h, x, half, u - 1);
    out.push(d);
    h = q;
  }
  return out; // the last digit equals the last nonzero h: no trailing zero
}

/** Exact quotient f / g, or null when g does not divide f in Z[x…]. */
function divExactD(f: DP, g: DP, u: number): DP | null {
  if (u === 0) {
    const q = (f as bigint) / (g as bigint);
    return q * (g as bigint) === f ? q : null;
  }
  const a = f as DP[];
  const b = g as DP[];
  if (a.length === 0) return a;
  const dg = b.length - 1;
  const df = a.length - 1;
  if (df < dg) return null;
  if (u === 1) return divExactUni(a as bigint[], b as bigint[]);
  // Cheap rejection first: the ground leading coefficients must divide.
  const lf = groundLcD(f, u);
  const lg = groundLcD(g, u);
  if (lf % lg !== 0n) return null;
  const rem = a.slice();
  const q = new Array<DP>(df - dg + 1);
  const lcg = b[dg]!;
  for (let k = df - dg; k >= 0; k--) {
    const c = rem[k + dg]!;
    if (isZeroD(c, u - 1)) {
      q[k] = zeroD(u - 1);
      continue;
    }
    const qc = divExactD(c, lcg, u - 1);
    if (qc === null) return null;
    q[k] = qc;
    for (let j = 0; j < dg; j++) if (!isZeroD(b[j]!, u - 1)) rem[k + j] = subD(rem[k + j]!, mulD(qc, b[j]!, u - 1), u - 1);
  }
  for (let j = 0; j < dg; j++) if (!isZeroD(rem[j]!, u - 1)) return null;
  return q;
}

function divExactUni(a: bigint[], b: bigint[]): bigint[] | null {
  const dg = b.length - 1;
  const df = a.length - 1;
  const lcg = b[dg]!;
  // Both ends must divide: a cheap test that rejects most wrong candidates before any real work.
  if (a[df]! % lcg !== 0n) return null;
  let t = 0;
  while (b[t] === 0n) t++;
  let s = 0;
  while (a[s] === 0n) s++;
  if (s < t || a[s]! % b[t]! !== 0n) return null;
  const rem = a.slice();
  const q = new Array<bigint>(df - dg + 1);
  for (let k = df - dg; k >= 0; k--) {
    const c = rem[k + dg]!;
    if (c === 0n) {
      q[k] = 0n;
      continue;
    }
    const qc = c / lcg;
    if (qc * lcg !== c) return null;
    q[k] = qc;
    for (let j = t; j < dg; j++) rem[k + j]! -= qc * b[j]!;
  }
  for (let j = 0; j < dg; j++) if (rem[j] !== 0n) return null;
  return q;
}

function isqrtBig(n: bigint): bigint {
  if (n < 2n) return n;
  // Newton from a power of two above the root: decreasing, stops at floor(sqrt(n)).
  let x = 1n << BigInt((bitLength(n) >> 1) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

const minBig = (a: bigint, b: bigint) => (a < b ? a : b);
const maxBig = (a: bigint, b: bigint) => (a > b ? a : b);

interface DenseCofactors {
  h: DP;
  cff: DP;
  cfg: DP;
}

/**
 * Char–Geddes–Gonnet heuristic gcd of nonzero f, g (level u), with cofactors; null when it gives up. `accept`
 * (top level only) adds the degree certificate to the divisibility test.
 */
function heuristicD(f: DP, g: DP, u: number, tries: number, accept?: (h: DP) => boolean): DenseCofactors | null {
  if (u === 0) {
    const h = gcdInt(f as bigint, g as bigint);
    return { h, cff: (f as bigint) / h, cfg: (g as bigint) / h };
  }
  const c = contentIntD([f, g], u + 1);
  if (c !== 1n) {
    f = divIntD(f, c, u);
    g = divIntD(g, c, u);
  }
  const fn = maxNormD(f, u);
  const gn = maxNormD(g, u);
  // The evaluation point: the published GCDHEU choice (large enough that digits rarely wrap, small enough to keep
  // the integers short); our acceptance test never depends on it being "large enough".
  const B = 2n * minBig(fn, gn) + 29n;
  let x = maxBig(minBig(B, 99n * isqrtBig(B)), 2n * minBig(fn / absBig(groundLcD(f, u)), gn / absBig(groundLcD(g, u))) + 4n);
  const df = (f as DP[]).length - 1;
  const dg = (g as DP[]).length - 1;
  const ok = accept ?? (() => true);
  for (let i = 0; i < tries; i++) {
    if (bitLength(maxBig(fn, gn)) + Math.max(df, dg) * bitLength(x) > HEURISTIC_MAX_BITS) return null;
    const ff = evalD(f, x, u);
    const gg = evalD(g, x, u);
    if (!isZeroD(ff, u - 1) && !isZeroD(gg, u - 1)) {
      const r = heuristicD(ff, gg, u - 1, tries);
      // The deeper level has tried its own points already; more points here only make its integers bigger.
      if (r === null) return null;
      const h = primitiveIntD(interpolateD(r.h, x, u), u);
      if (ok(h)) {
        const cff = divExactD(f, h, u);
        const cfg = cff && divExactD(g, h, u);
        if (cff && cfg) return { h: mulIntD(h, c, u), cff, cfg };
      }
      // The cofactors' values are often smaller than the gcd's: interpolating them may succeed where h did not.
      const cff = interpolateD(r.cff, x, u);
      const h1 = divExactD(f, cff, u);
      if (h1 !== null && ok(h1)) {
        const cfg = divExactD(g, h1, u);
        if (cfg) return { h: mulIntD(h1, c, u), cff, cfg };
      }
      const cfg = interpolateD(r.cfg, x, u);
      const h2 = divExactD(g, cfg, u);
      if (h2 !== null && ok(h2)) {
        const cff2 = divExactD(f, h2, u);
        if (cff2) return { h: mulIntD(h2, c, u), cff: cff2, cfg };
      }
    }
    x = (73794n * x * isqrtBig(isqrtBig(x))) / 27011n;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Fallback: Brown's dense modular algorithm

/** A dense recursive polynomial over Z_p (p < 2^26), laid out like DP, residues in [0, p). */
type MP = number | MP[];

function mpZero(u: number): MP {
  return u === 0 ? 0 : [];
}

function mpIsZero(f: MP, u: number): boolean {
  return u === 0 ? f === 0 : (f as MP[]).length === 0;
}

function mpTrim(a: MP[], u: number): MP[] {
  let n = a.length;
  while (n > 0 && mpIsZero(a[n - 1]!, u - 1)) n--;
  if (n < a.length) a.length = n;
  return a;
}

function mpConst(c: number, u: number): MP {
  if (c === 0) return mpZero(u);
  let r: MP = c;
  for (let i = 0; i < u; i++) r = [r];
  return r;
}

function mpFromD(f: DP, u: number, p: number): MP {
  if (u === 0) return bigMod(f as bigint, p);
  const a = f as DP[];
  const r = new Array<MP>(a.length);
  for (let i = 0; i < a.length; i++) r[i] = mpFromD(a[i]!, u - 1, p);
  return mpTrim(r, u);
}

function mpAdd(f: MP, g: MP, u: number, p: number): MP {
  if (u === 0) {
    const s = (f as number) + (g as number);
    return s >= p ? s - p : s;
  }
  const a = f as MP[];
  const b = g as MP[];
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const n = Math.max(a.length, b.length);
  const r = new Array<MP>(n);
  for (let i = 0; i < n; i++) r[i] = i >= a.length ? b[i]! : i >= b.length ? a[i]! : mpAdd(a[i]!, b[i]!, u - 1, p);
  return mpTrim(r, u);
}

function mpSub(f: MP, g: MP, u: number, p: number): MP {
  if (u === 0) {
    const s = (f as number) - (g as number);
    return s < 0 ? s + p : s;
  }
  const b = g as MP[];
  if (b.length === 0) return f;
  return mpAdd(f, mpScale(g, p - 1, u, p), u, p);
}

/** s·f for a residue s. */
function mpScale(f: MP, s: number, u: number, p: number): MP {
  if (u === 0) return ((f as number) * s) % p;
  if (s === 0) return [];
  if (s === 1) return f;
  return (f as MP[]).map((x) => mpScale(x, s, u - 1, p)); // p prime and s ≠ 0: no coefficient vanishes
}

/** f with the outermost variable set to x: Σ f_i·x^i accumulated in place (Horner would allocate per step). */
function mpEval(f: MP, x: number, u: number, p: number): MP {
  const a = f as MP[];
  if (u === 1) return uniEval(a as number[], x, p);
  const acc: MP[] = [];
  let xi = 1;
  for (let i = 0; i < a.length; i++) {
    if (!mpIsZero(a[i]!, u - 1)) addScaledInto(acc, a[i]!, xi, u - 1, p);
    xi = (xi * x) % p;
  }
  return mpTrimDeep(acc, u - 1);
}

/** acc += s·x for a level-u acc that this code owns (every nested array was created here). */
function addScaledInto(acc: MP[], x: MP, s: number, u: number, p: number): void {
  const b = x as MP[];
  if (u === 1) {
    while (acc.length < b.length) acc.push(0);
    for (let j = 0; j < b.length; j++) acc[j] = ((acc[j] as number) + s * (b[j] as number)) % p;
    return;
  }
  while (acc.length < b.length) acc.push([]);
  for (let j = 0; j < b.length; j++) if ((b[j] as MP[]).length > 0) addScaledInto(acc[j] as MP[], b[j]!, s, u - 1, p);
}

/** Trims trailing zeros at every level (cancellations in place may leave them anywhere). */
function mpTrimDeep(a: MP[], u: number): MP[] {
  if (u > 1) for (const c of a) mpTrimDeep(c as MP[], u - 1);
  return mpTrim(a, u);
}

/** Exponents of the lexicographically leading monomial, outermost first. */
function mpLeadExps(f: MP, u: number): number[] {
  const out: number[] = [];
  for (; u > 0; u--) {
    const a = f as MP[];
    out.push(a.length - 1);
    f = a[a.length - 1]!;
  }
  return out;
}

function mpGroundLc(f: MP, u: number): number {
  for (; u > 0; u--) {
    const a = f as MP[];
    f = a[a.length - 1]!;
  }
  return f as number;
}

function mpMonic(f: MP, u: number, p: number): MP {
  if (mpIsZero(f, u)) return f;
  return mpScale(f, invMod(mpGroundLc(f, u), p), u, p);
}

function lexLess(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

function uniEval(a: readonly number[], x: number, p: number): number {
  let r = 0;
  for (let i = a.length - 1; i >= 0; i--) r = (((r * x) % p) + a[i]!) % p;
  return r;
}

function uniMul(a: readonly number[], b: readonly number[], p: number): number[] {
  if (a.length === 0 || b.length === 0) return [];
  const r = new Array<number>(a.length + b.length - 1).fill(0);
  for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) r[i + j] = (r[i + j]! + a[i]! * b[j]!) % p;
  return r;
}

/** Monic gcd in Z_p[x] ([] for gcd(0, 0)). */
function uniGcdMonic(a: readonly number[], b: readonly number[], p: number): number[] {
  let x = trimMod(a.slice());
  let y = trimMod(b.slice());
  while (y.length > 0) {
    const inv = invMod(y[y.length - 1]!, p);
    while (x.length >= y.length) {
      const s = x.length - y.length;
      const f = (x[x.length - 1]! * inv) % p;
      for (let j = 0; j < y.length; j++) x[s + j] = (x[s + j]! + p - ((f * y[j]!) % p)) % p;
      trimMod(x);
    }
    [x, y] = [y, x];
  }
  if (x.length === 0) return x;
  const inv = invMod(x[x.length - 1]!, p);
  return x.map((c) => (c * inv) % p);
}

/**
 * f ∈ Z_p[x1][x2..xu] seen from the inner variables: its content (gcd of the coefficients, which are polynomials in
 * x1) and its leading coefficient in x1 for the lexicographic order on x2..xu.
 */
function outerView(f: MP[], u: number, p: number): { content: number[]; lc: number[] } {
  // Key the inner monomials by a mixed-radix number; the radices are the inner degrees + 1.
  const deg = new Array<number>(u - 1).fill(0);
  const scan = (x: MP, level: number, depth: number) => {
    if (level === 0) return;
    const a = x as MP[];
    if (a.length - 1 > deg[depth]!) deg[depth] = a.length - 1;
    for (const c of a) scan(c, level - 1, depth + 1);
  };
  for (const x of f) scan(x, u - 1, 0);
  const stride = new Array<number>(u - 1);
  let size = 1;
  for (let d = u - 2; d >= 0; d--) {
    stride[d] = size;
    size *= deg[d]! + 1;
  }
  const coeffs = new Map<number | string, number[]>();
  const path: number[] = [];
  const exact = size <= 2 ** 52;
  const walk = (x: MP, level: number, e: number, key: number) => {
    if (level === 0) {
      if (x !== 0) {
        const k = exact ? key : path.join(',');
        let c = coeffs.get(k);
        if (!c) coeffs.set(k, (c = new Array<number>(f.length).fill(0)));
        c[e] = x as number;
      }
      return;
    }
    const a = x as MP[];
    const depth = u - 1 - level;
    for (let i = 0; i < a.length; i++) {
      path.push(i);
      walk(a[i]!, level - 1, e, key + i * stride[depth]!);
      path.pop();
    }
  };
  for (let e = 0; e < f.length; e++) walk(f[e]!, u - 1, e, 0);
  let best: number[] | null = null;
  for (const x of f) {
    if (mpIsZero(x, u - 1)) continue;
    const le = mpLeadExps(x, u - 1);
    if (best === null || lexLess(best, le)) best = le;
  }
  const lcKey = exact ? best!.reduce((k, i, d) => k + i * stride[d]!, 0) : best!.join(',');
  const lc = trimMod(coeffs.get(lcKey)!.slice());
  // Fold the gcd from the lowest degree up: each step then costs little, and a unit ends it early.
  const all = [...coeffs.values()].map((c) => trimMod(c)).sort((x, y) => x.length - y.length);
  let content: number[] = [];
  for (const c of all) {
    content = uniGcdMonic(content, c, p);
    if (content.length === 1) break;
  }
  return { content, lc };
}

/** a / b in Z_p[x] for b dividing a. */
function uniDivExact(a: readonly number[], b: readonly number[], p: number): number[] {
  const db = b.length - 1;
  if (db === 0) {
    const inv = invMod(b[0]!, p);
    return a.map((c) => (c * inv) % p);
  }
  const inv = invMod(b[db]!, p);
  const rem = a.slice();
  const q = new Array<number>(a.length - db);
  for (let k = a.length - 1 - db; k >= 0; k--) {
    const t = (rem[k + db]! * inv) % p;
    q[k] = t;
    if (t !== 0) for (let j = 0; j < db; j++) rem[k + j] = (rem[k + j]! + p - ((t * b[j]!) % p)) % p;
  }
  return q;
}

/** f / c for a univariate c(x1) that divides every coefficient (exact long division in x1). */
function mpDivOuterUni(f: MP[], c: readonly number[], u: number, p: number): MP[] {
  const dc = c.length - 1;
  const inv = invMod(c[dc]!, p);
  if (dc === 0) return mpScale(f, inv, u, p) as MP[];
  const rem = f.slice();
  const q = new Array<MP>(f.length - dc);
  for (let k = f.length - 1 - dc; k >= 0; k--) {
    const t = mpScale(rem[k + dc]!, inv, u - 1, p);
    q[k] = t;
    if (mpIsZero(t, u - 1)) continue;
    for (let j = 0; j < dc; j++) if (c[j] !== 0) rem[k + j] = mpSub(rem[k + j]!, mpScale(t, c[j]!, u - 1, p), u - 1, p);
  }
  return mpTrim(q, u);
}

/** f·c for a univariate c(x1). */
function mpMulOuterUni(f: MP[], c: readonly number[], u: number, p: number): MP[] {
  if (f.length === 0 || c.length === 0) return [];
  const r = new Array<MP>(f.length + c.length - 1).fill(mpZero(u - 1));
  for (let i = 0; i < f.length; i++) {
    if (mpIsZero(f[i]!, u - 1)) continue;
    for (let j = 0; j < c.length; j++) if (c[j] !== 0) r[i + j] = mpAdd(r[i + j]!, mpScale(f[i]!, c[j]!, u - 1, p), u - 1, p);
  }
  return mpTrim(r, u);
}

/**
 * Monic (ground leading coefficient 1) gcd of nonzero f, g in Z_p[x1..xu] by evaluating x1 and interpolating
 * (Brown's PGCD, with early termination: stop as soon as the interpolant predicts one more random point).
 * Null when the points were unlucky too often; the caller then tries another prime.
 */
function pgcd(f: MP, g: MP, u: number, p: number): MP | null {
  if (u === 0) return 1;
  if (u === 1) return uniGcdMonic(f as number[], g as number[], p);
  const va = outerView(f as MP[], u, p);
  const vb = outerView(g as MP[], u, p);
  const cc = uniGcdMonic(va.content, vb.content, p);
  const ccPoly = () =>
    mpMonic(
      cc.map((c) => mpConst(c, u - 1)),
      u,
      p,
    );
  const a = mpDivOuterUni(f as MP[], va.content, u, p);
  const b = mpDivOuterUni(g as MP[], vb.content, u, p);
  const innerConst = (x: MP[]) => x.every((c) => mpIsZero(c, u - 1) || mpLeadExps(c, u - 1).every((e) => e === 0));
  if (innerConst(a) || innerConst(b)) return ccPoly(); // primitive and free of x2..xu: a unit
  const la = uniDivExact(va.lc, va.content, p);
  const lb = uniDivExact(vb.lc, vb.content, p);
  const gam = uniGcdMonic(la, lb, p);
  // deg_x1 of gam·gcd/lc(gcd) is at most this; one more point confirms it.
  const bound = gam.length - 1 + Math.min(a.length - 1, b.length - 1);
  let C: MP[] = [];
  let q: number[] = [1];
  let lead: number[] = [];
  let n = 0;
  for (let attempt = 0; attempt < 3 * bound + 30; attempt++) {
    const alpha = Math.floor(nextRandom() * p);
    if (uniEval(la, alpha, p) === 0 || uniEval(lb, alpha, p) === 0 || uniEval(q, alpha, p) === 0) continue;
    const h0 = pgcd(mpEval(a, alpha, u, p), mpEval(b, alpha, u, p), u - 1, p);
    if (h0 === null) return null;
    const le = mpLeadExps(h0, u - 1);
    // The image degree never falls below the true one at these points, so a constant image proves gcd = content.
    if (le.every((e) => e === 0)) return ccPoly();
    const h = mpScale(h0, uniEval(gam, alpha, p), u - 1, p);
    if (n === 0 || lexLess(le, lead)) {
      // First point, or every earlier point was unlucky (degree too high): start over from here.
      C = [h];
      q = [(p - alpha) % p, 1];
      lead = le;
      n = 1;
      continue;
    }
    if (lexLess(lead, le)) continue; // an unlucky point
    const v = mpSub(h, mpEval(C, alpha, u, p), u - 1, p);
    if (mpIsZero(v, u - 1)) {
      // The interpolant predicted a new random point: it is the scaled gcd unless α hit a root of the (nonzero)
      // difference, with probability ≤ deg/p ≈ 1e-6. No trial division here — it would cost more than the rest —
      // the caller checks over Z, and recovers from a wrong image by starting over.
      const H = mpDivOuterUni(C, outerView(C, u, p).content, u, p);
      return mpMonic(mpMulOuterUni(H, cc, u, p), u, p);
    } else {
      // Newton: C += v·q(x1)/q(α), which keeps the old values and takes the value h at α.
      const s = invMod(uniEval(q, alpha, p), p);
      const t = mpScale(v, s, u - 1, p);
      C = mpAdd(
        C,
        q.map((qj) => mpScale(t, qj, u - 1, p)),
        u,
        p,
      ) as MP[];
      q = uniMul(q, [(p - alpha) % p, 1], p);
    }
    if (++n > bound + 1) return null; // more points than the degree allows: an unlucky point got in
  }
  return null;
}

/** Chinese remaindering: the value ≡ H mod M and ≡ hp mod p, symmetric mod M·p. */
function crtD(H: DP, hp: MP, u: number, M: bigint, p: number, mInv: number, Mp: bigint, halfMp: bigint): DP {
  if (u === 0) {
    const h = H as bigint;
    const t = ((((hp as number) - bigMod(h, p) + p) % p) * mInv) % p;
    let v = h + M * BigInt(t);
    if (v > halfMp) v -= Mp;
    return v;
  }
  const a = H as DP[];
  const b = hp as MP[];
  const n = Math.max(a.length, b.length);
  const r = new Array<DP>(n);
  for (let i = 0; i < n; i++) r[i] = crtD(i < a.length ? a[i]! : zeroD(u - 1), i < b.length ? b[i]! : mpZero(u - 1), u - 1, M, p, mInv, Mp, halfMp);
  return trimD(r, u);
}

function liftD(hp: MP, u: number, p: number): DP {
  if (u === 0) {
    const v = hp as number;
    return BigInt(v > p / 2 ? v - p : v);
  }
  return (hp as MP[]).map((x) => liftD(x, u - 1, p));
}

function eqD(f: DP, g: DP, u: number): boolean {
  if (u === 0) return f === g;
  const a = f as DP[];
  const b = g as DP[];
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!eqD(a[i]!, b[i]!, u - 1)) return false;
  return true;
}

/**
 * Brown's modular gcd of nonzero, integer-primitive f, g: images modulo primes that keep the leading coefficients,
 * scaled to the leading coefficient gcd(lc f, lc g), combined by CRT until one more prime changes nothing and the
 * primitive part divides both. The result cannot be a proper divisor of the gcd: its leading monomial is that of
 * an image gcd, which is never below the true one.
 */
function modularGcdD(f: DP, g: DP, u: number): DenseCofactors {
  const lf = groundLcD(f, u);
  const lg = groundLcD(g, u);
  const gamma = gcdBig(lf, lg);
  // A factor h of f has |h|∞ ≤ 2^(Σ deg f)·|f|₂ (Mignotte), and the image is scaled by gamma: a modulus beyond
  // twice that which still has not produced a divisor means a wrong image got into the CRT (an inner early stop
  // that was unlucky). Start over then, with a doubled allowance so that this always ends.
  let terms = 0;
  const countTerms = (x: DP, l: number): void => {
    if (l === 0) terms += x === 0n ? 0 : 1;
    else for (const c of x as DP[]) countTerms(c, l - 1);
  };
  countTerms(f, u);
  let allowance = 64 + bitLength(gamma) + degreesD(f, u).reduce((s, d) => s + d, 0) + bitLength(maxNormD(f, u)) + bitLength(BigInt(terms));
  let H: DP = zeroD(u);
  let M = 0n;
  let lead: number[] = [];
  for (let i = 0; i < MAX_PRIMES; i++) {
    const p = primeAt(i);
    const P = BigInt(p);
    if (lf % P === 0n || lg % P === 0n) continue;
    const h0 = pgcd(mpFromD(f, u, p), mpFromD(g, u, p), u, p);
    if (h0 === null) continue;
    const le = mpLeadExps(h0, u);
    if (le.every((e) => e === 0)) return { h: constD(1n, u), cff: f, cfg: g };
    const hp = mpScale(h0, bigMod(gamma, p), u, p);
    if (M === 0n || lexLess(le, lead) || bitLength(M) > allowance) {
      if (M !== 0n && !lexLess(le, lead)) allowance *= 2;
      H = liftD(hp, u, p);
      M = P;
      lead = le;
      continue;
    }
    if (lexLess(lead, le)) continue; // an unlucky prime
    const Mp = M * P;
    const next = crtD(H, hp, u, M, p, invMod(bigMod(M, p), p), Mp, Mp >> 1n);
    if (eqD(next, H, u)) {
      const h = primitiveIntD(H, u);
      const cff = divExactD(f, h, u);
      const cfg = cff && divExactD(g, h, u);
      if (cff && cfg) return { h, cff, cfg };
    }
    H = next;
    M = Mp;
  }
  throw new Error('internal: the modular gcd ran out of primes');
}

// ---------------------------------------------------------------------------------------------------------------
// Degree certificate modulo small primes

/** Primes below 2^26, largest first, found on demand: products of two residues stay below 2^52, exact in a double. */
const primes: number[] = [];
const MAX_PRIMES = 20_000;
function primeAt(i: number): number {
  for (let n = primes.length === 0 ? 2 ** 26 - 1 : primes[primes.length - 1]! - 2; primes.length <= i; n -= 2) {
    let prime = true;
    for (let d = 3; d * d <= n; d += 2) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) primes.push(n);
  }
  return primes[i]!;
}

// A fixed-seed generator: runs are reproducible, and no choice of points can change the (certified) answer.
let rngState = 0x9e3779b9;
function nextRandom(): number {
  rngState ^= rngState << 13;
  rngState ^= rngState >>> 17;
  rngState ^= rngState << 5;
  return (rngState >>> 0) / 4294967296;
}

function bigMod(c: bigint, p: number): number {
  const n = Number(c);
  if (Number.isSafeInteger(n)) {
    const r = n % p;
    return r < 0 ? r + p : r;
  }
  const r = Number(c % BigInt(p));
  return r < 0 ? r + p : r;
}

/** Value of f (level u) mod p with the variables of depth `depth`… set to beta[depth]…. */
function evalAllMod(f: DP, u: number, depth: number, beta: number[], p: number): number {
  if (u === 0) return bigMod(f as bigint, p);
  const a = f as DP[];
  const b = beta[depth]!;
  let r = 0;
  for (let i = a.length - 1; i >= 0; i--) r = (((r * b) % p) + evalAllMod(a[i]!, u - 1, depth + 1, beta, p)) % p;
  return r;
}

/** Image of f in Z_p[x_k] (every other variable at beta), coefficients indexed by exponent. */
function imageMod(f: DP, u: number, depth: number, k: number, beta: number[], p: number): number[] {
  const a = f as DP[];
  if (depth === k) return a.map((c) => evalAllMod(c, u - 1, depth + 1, beta, p));
  const b = beta[depth]!;
  let r: number[] = [];
  for (let i = a.length - 1; i >= 0; i--) {
    const c = imageMod(a[i]!, u - 1, depth + 1, k, beta, p);
    const n = Math.max(r.length, c.length);
    const next = new Array<number>(n);
    for (let j = 0; j < n; j++) next[j] = ((((j < r.length ? r[j]! : 0) * b) % p) + (j < c.length ? c[j]! : 0)) % p;
    r = next;
  }
  return r;
}

function trimMod(a: number[]): number[] {
  let n = a.length;
  while (n > 0 && a[n - 1] === 0) n--;
  a.length = n;
  return a;
}

function invMod(a: number, p: number): number {
  let [r0, r1, s0, s1] = [a, p, 1, 0];
  while (r1 !== 0) {
    const q = Math.floor(r0 / r1);
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return ((s0 % p) + p) % p;
}

/** Degree of gcd(a, b) in Z_p[x] (−1 when both are 0). */
function gcdDegreeMod(a: number[], b: number[], p: number): number {
  a = trimMod(a.slice());
  b = trimMod(b.slice());
  while (b.length > 0) {
    // a ← a mod b
    const inv = invMod(b[b.length - 1]!, p);
    while (a.length >= b.length) {
      const s = a.length - b.length;
      const f = (a[a.length - 1]! * inv) % p;
      for (let j = 0; j < b.length; j++) a[s + j] = (a[s + j]! + p - ((f * b[j]!) % p)) % p;
      trimMod(a);
    }
    [a, b] = [b, a];
  }
  return a.length - 1;
}

/**
 * An upper bound for deg_{x_k} gcd(f, g): the degree of the gcd of images in Z_p[x_k] at a random point, valid
 * when the image keeps the degree of f or of g (then it keeps that of the gcd, whose leading coefficient divides).
 */
function degreeBoundD(f: DP, g: DP, u: number, k: number, dfk: number, dgk: number): number {
  for (let attempt = 0; attempt < 4; attempt++) {
    const p = primeAt(Math.floor(nextRandom() * 32));
    const beta = Array.from({ length: u }, () => 1 + Math.floor(nextRandom() * (p - 1)));
    const fi = trimMod(imageMod(f, u, 0, k, beta, p));
    const gi = trimMod(imageMod(g, u, 0, k, beta, p));
    if (fi.length - 1 === dfk || gi.length - 1 === dgk) return gcdDegreeMod(fi, gi, p);
  }
  return Math.min(dfk, dgk);
}

/**
 * gcd with cofactors of nonzero, integer-primitive f, g (level u) without common monomial factor; the gcd has
 * positive ground leading coefficient.
 */
function gcdPrimitiveD(f: DP, g: DP, u: number, options: GcdOptions, report: (p: GcdPath) => void): DenseCofactors {
  const one = constD(1n, u);
  const df = degreesD(f, u);
  const dg = degreesD(g, u);
  if (df.every((d) => d === 0) || dg.every((d) => d === 0)) {
    report('trivial');
    return { h: one, cff: f, cfg: g };
  }
  if (options.algorithm !== 'modular') {
    const bound = df.map((d, k) => (d === 0 || dg[k] === 0 ? 0 : degreeBoundD(f, g, u, k, d, dg[k]!)));
    if (bound.every((e) => e === 0)) {
      report('certificate');
      return { h: one, cff: f, cfg: g };
    }
    // The bound met by one input: that input is the gcd if it divides the other.
    for (const [p, q, dp, swap] of [
      [f, g, df, false],
      [g, f, dg, true],
    ] as const) {
      if (dp.every((d, k) => d === bound[k])) {
        const quo = divExactD(q, p, u);
        if (quo !== null) {
          report('certificate');
          const s = groundLcD(p, u) < 0n ? -1n : 1n;
          const h = mulIntD(p, s, u);
          const cp = constD(s, u);
          const cq = mulIntD(quo, s, u);
          return swap ? { h, cff: cq, cfg: cp } : { h, cff: cp, cfg: cq };
        }
      }
    }
    // A candidate (which divides the gcd once it divides f and g) is the gcd iff it reaches every bound. Below a
    // bound it may still be right when the bound came from an unlucky point: look again before refusing it.
    const accept = (h: DP): boolean => {
      const dh = degreesD(h, u);
      if (dh.some((d, k) => d > bound[k]!)) return false; // cannot divide both
      let divides: boolean | undefined;
      for (let k = 0; k < u; k++) {
        for (let again = 0; again < 2 && dh[k]! < bound[k]!; again++) {
          divides ??= divExactD(f, h, u) !== null && divExactD(g, h, u) !== null;
          if (!divides) return false;
          bound[k] = Math.min(bound[k]!, degreeBoundD(f, g, u, k, df[k]!, dg[k]!));
        }
        if (dh[k]! < bound[k]!) return false;
      }
      return true;
    };
    const r = heuristicD(f, g, u, options.heuristicTries ?? HEURISTIC_TRIES, accept);
    if (r !== null) {
      report('heuristic');
      return groundLcD(r.h, u) < 0n ? { h: negD(r.h, u), cff: negD(r.cff, u), cfg: negD(r.cfg, u) } : r;
    }
  }
  const r = modularGcdD(f, g, u);
  report('modular');
  return r;
}

// ---------------------------------------------------------------------------------------------------------------
// Conversion between the ring's sparse polynomials and the dense recursive form

function toDense(p: Poly<bigint>, vars: readonly number[], shift: readonly number[]): DP {
  const u = vars.length;
  if (u === 0) {
    let s = 0n;
    for (const c of p.coeffs) s += c;
    return s;
  }
  const root: unknown[] = [];
  for (let t = 0; t < p.monos.length; t++) {
    const m = p.monos[t]!;
    let node = root;
    for (let l = 0; l < u - 1; l++) {
      const e = m[vars[l]!]! - shift[vars[l]!]!;
      node = (node[e] ??= []) as unknown[];
    }
    const e = m[vars[u - 1]!]! - shift[vars[u - 1]!]!;
    node[e] = ((node[e] as bigint | undefined) ?? 0n) + p.coeffs[t]!;
  }
  const finish = (node: unknown, level: number): DP => {
    if (level === 0) return (node as bigint | undefined) ?? 0n;
    if (node === undefined) return [];
    const a = node as unknown[];
    const r = new Array<DP>(a.length);
    for (let i = 0; i < a.length; i++) r[i] = finish(a[i], level - 1);
    return trimD(r, level);
  };
  return finish(root, u);
}

/** Terms of f·x^shift as unsorted (monomial, coefficient) lists in the ring's variables. */
function fromDense(f: DP, vars: readonly number[], shift: readonly number[], scale: bigint): { monos: Monomial[]; coeffs: bigint[] } {
  const monos: Monomial[] = [];
  const coeffs: bigint[] = [];
  const u = vars.length;
  const walk = (x: DP, level: number, m: number[]) => {
    if (level === u) {
      if (x !== 0n) {
        monos.push(m.slice());
        coeffs.push((x as bigint) * scale);
      }
      return;
    }
    const a = x as DP[];
    const v = vars[level]!;
    for (let e = 0; e < a.length; e++) {
      m[v] = shift[v]! + e;
      walk(a[e]!, level + 1, m);
    }
    m[v] = shift[v]!;
  };
  walk(f, 0, shift.slice());
  return { monos, coeffs };
}

function minExponents(p: Poly<bigint>, n: number): number[] {
  const m = p.monos[0]!.slice();
  for (const x of p.monos) for (let i = 0; i < n; i++) if (x[i]! < m[i]!) m[i] = x[i]!;
  return m;
}

interface ZZResult {
  gcd: Poly<bigint>;
  cofactors: () => { ca: Poly<bigint>; cb: Poly<bigint> };
}

function gcdCoreZZ(ring: PolyRing<bigint>, a: Poly<bigint>, b: Poly<bigint>, options: GcdOptions): ZZResult {
  const report = options.onPath ?? (() => {});
  const n = ring.nvars;
  if (a.length === 0 || b.length === 0) {
    report('trivial');
    if (a.length === 0 && b.length === 0) return { gcd: ring.zero, cofactors: () => ({ ca: ring.zero, cb: ring.zero }) };
    const nz = a.length === 0 ? b : a;
    const s = nz.coeffs[0]! < 0n ? -1n : 1n;
    const g = s < 0n ? ring.neg(nz) : nz;
    const unit = ring.fromInt(s);
    return { gcd: g, cofactors: () => (a.length === 0 ? { ca: ring.zero, cb: unit } : { ca: unit, cb: ring.zero }) };
  }
  // a = ka·x^ma·A and b = kb·x^mb·B with A, B primitive and free of monomial factors; then
  // gcd = gcd(ka, kb)·x^min(ma, mb)·gcd(A, B), since x_i is prime and A, B are not divisible by it.
  const ma = minExponents(a, n);
  const mb = minExponents(b, n);
  const mg = ma.map((e, i) => Math.min(e, mb[i]!));
  const ka = gcdOfCoeffs(a);
  const kb = gcdOfCoeffs(b);
  const kg = gcdBig(ka, kb);
  const used: number[] = [];
  for (let i = 0; i < n; i++) if (ring.degreeIn(a, i) > ma[i]! || ring.degreeIn(b, i) > mb[i]!) used.push(i);
  const u = used.length;
  const A = divIntD(toDense(a, used, ma), ka, u);
  const B = divIntD(toDense(b, used, mb), kb, u);
  const r = gcdPrimitiveD(A, B, u, options, report);
  const terms = fromDense(r.h, used, mg, kg);
  let gcd = ring.fromTerms(terms.monos, terms.coeffs);
  // The ring's order decides the sign (the dense form used the lexicographic one).
  const sign = gcd.coeffs[0]! < 0n ? -1n : 1n;
  if (sign < 0n) gcd = ring.neg(gcd);
  const cofactors = () => {
    const shiftA = ma.map((e, i) => e - mg[i]!);
    const shiftB = mb.map((e, i) => e - mg[i]!);
    const ta = fromDense(r.cff, used, shiftA, (sign * ka) / kg);
    const tb = fromDense(r.cfg, used, shiftB, (sign * kb) / kg);
    return { ca: ring.fromTerms(ta.monos, ta.coeffs), cb: ring.fromTerms(tb.monos, tb.coeffs) };
  };
  return { gcd, cofactors };
}

function gcdOfCoeffs(p: Poly<bigint>): bigint {
  let g = 0n;
  for (const c of p.coeffs) {
    g = gcdBig(g, c);
    if (g === 1n) break;
  }
  return g;
}

function checkRing<T>(ring: PolyRing<T>, name: string, domain: string): void {
  if (ring.domain.name !== domain) throw new DomainError(`${name} needs a polynomial ring over ${domain}, got ${ring.domain.name}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Public API

/**
 * Greatest common divisor in Z[x1..xn]: primitive up to the integer gcd of the contents, with positive leading
 * coefficient under the ring's order; gcd(0, 0) = 0 and gcd(a, 0) = ±a.
 *
 * @example
 * ```ts
 * import { PolyRing, ZZ, gcdZZ, parsePolynomial, polynomialToText } from '@holonomic-ntk/weyl-algebra';
 * const R = new PolyRing(ZZ, ['x', 'y']);
 * const g = gcdZZ(R, parsePolynomial(R, '(x+y)*(x-y)'), parsePolynomial(R, '6*(x+y)*y'));
 * polynomialToText(R, g); // → 'x + y'
 * ```
 */
export function gcdZZ(ring: PolyRing<bigint>, a: Poly<bigint>, b: Poly<bigint>, options: GcdOptions = {}): Poly<bigint> {
  checkRing(ring, 'gcdZZ', 'ZZ');
  return gcdCoreZZ(ring, a, b, options).gcd;
}

/**
 * gcd with cofactors in Z[x1..xn]: a = gcd·ca, b = gcd·cb, gcd as in {@link gcdZZ}.
 *
 * @example
 * ```ts
 * import { PolyRing, ZZ, cofactorsZZ, parsePolynomial, polynomialToText } from '@holonomic-ntk/weyl-algebra';
 * const R = new PolyRing(ZZ, ['x']);
 * const { gcd, ca, cb } = cofactorsZZ(R, parsePolynomial(R, 'x^2 - 1'), parsePolynomial(R, 'x + 1'));
 * [gcd, ca, cb].map((p) => polynomialToText(R, p)); // → ['x + 1', 'x - 1', '1']
 * ```
 */
export function cofactorsZZ(ring: PolyRing<bigint>, a: Poly<bigint>, b: Poly<bigint>, options: GcdOptions = {}): GcdCofactors<bigint> {
  checkRing(ring, 'cofactorsZZ', 'ZZ');
  const r = gcdCoreZZ(ring, a, b, options);
  return { gcd: r.gcd, ...r.cofactors() };
}

const integerRings = new WeakMap<PolyRing<Rational>, PolyRing<bigint>>();
function integerRing(ring: PolyRing<Rational>): PolyRing<bigint> {
  let r = integerRings.get(ring);
  if (!r) integerRings.set(ring, (r = new PolyRing(ZZ, ring.vars, ring.order)));
  return r;
}

/**
 * gcd with cofactors in Q[x1..xn]: the gcd is monic (leading coefficient 1 under the ring's order), a = gcd·ca,
 * b = gcd·cb; gcd(0, 0) = 0.
 *
 * @example
 * ```ts
 * import { PolyRing, QQ, cofactorsQQ, parsePolynomial, polynomialToText } from '@holonomic-ntk/weyl-algebra';
 * const R = new PolyRing(QQ, ['x', 'y']);
 * const { gcd, ca } = cofactorsQQ(R, parsePolynomial(R, '2/3*x*y'), parsePolynomial(R, 'x*(y + 1)'));
 * polynomialToText(R, gcd); // → 'x'
 * polynomialToText(R, ca); // → '2/3*y'
 * ```
 */
export function cofactorsQQ(ring: PolyRing<Rational>, a: Poly<Rational>, b: Poly<Rational>, options: GcdOptions = {}): GcdCofactors<Rational> {
  checkRing(ring, 'cofactorsQQ', 'QQ');
  if (a.length === 0 && b.length === 0) {
    (options.onPath ?? (() => {}))('trivial');
    return { gcd: ring.zero, ca: ring.zero, cb: ring.zero };
  }
  const ringZ = integerRing(ring);
  const pa = integerPrimitive(ring, a, ringZ);
  const pb = integerPrimitive(ring, b, ringZ);
  const r = gcdCoreZZ(ringZ, pa.prim, pb.prim, options);
  const { ca, cb } = r.cofactors();
  // gcd(A, B) = lc·monic, so a = sa·A = monic·(sa·lc·CA).
  const lc = Rational.int(r.gcd.coeffs[0]!);
  const toQ = (p: Poly<bigint>, s: Rational) =>
    new Poly(
      p.monos,
      p.coeffs.map((c) => s.mulInt(c)),
    );
  return {
    gcd: toQ(r.gcd, lc.inv()),
    ca: a.length === 0 ? ring.zero : toQ(ca, pa.scale.mul(lc)),
    cb: b.length === 0 ? ring.zero : toQ(cb, pb.scale.mul(lc)),
  };
}

/**
 * Monic gcd in Q[x1..xn] (see {@link cofactorsQQ}).
 *
 * @example
 * ```ts
 * import { PolyRing, QQ, gcdQQ, parsePolynomial, polynomialToText } from '@holonomic-ntk/weyl-algebra';
 * const R = new PolyRing(QQ, ['x']);
 * polynomialToText(R, gcdQQ(R, parsePolynomial(R, '3*x^2 - 3'), parsePolynomial(R, '2*x - 2'))); // → 'x - 1'
 * ```
 */
export function gcdQQ(ring: PolyRing<Rational>, a: Poly<Rational>, b: Poly<Rational>, options: GcdOptions = {}): Poly<Rational> {
  checkRing(ring, 'gcdQQ', 'QQ');
  if (a.length === 0 && b.length === 0) return ring.zero;
  const ringZ = integerRing(ring);
  const r = gcdCoreZZ(ringZ, integerPrimitive(ring, a, ringZ).prim, integerPrimitive(ring, b, ringZ).prim, options);
  const inv = Rational.of(1n, r.gcd.coeffs[0]!);
  return new Poly(
    r.gcd.monos,
    r.gcd.coeffs.map((c) => inv.mulInt(c)),
  );
}

/**
 * Monic least common multiple in Q[x1..xn]; lcm(a, 0) = 0.
 *
 * @example
 * ```ts
 * import { PolyRing, QQ, lcmQQ, parsePolynomial, polynomialToText } from '@holonomic-ntk/weyl-algebra';
 * const R = new PolyRing(QQ, ['x']);
 * polynomialToText(R, lcmQQ(R, parsePolynomial(R, 'x*(x + 1)'), parsePolynomial(R, '5*x^2'))); // → 'x^3 + x^2'
 * ```
 */
export function lcmQQ(ring: PolyRing<Rational>, a: Poly<Rational>, b: Poly<Rational>, options: GcdOptions = {}): Poly<Rational> {
  if (a.length === 0 || b.length === 0) return ring.zero;
  const { cb } = cofactorsQQ(ring, a, b, options);
  const l = ring.mul(a, cb);
  return ring.scale(l, QQ.div(QQ.one, l.coeffs[0]!));
}
