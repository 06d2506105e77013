import { DomainError, type Expr } from '@holonomic-ntk/core';
/**
 * Sparse multivariate polynomials with exact integer (BigInt) coefficients, in at most 4 variables, and rational
 * functions built from them: just enough exact algebra to rewrite a Pfaffian artifact's expanded entries in
 * coordinates where float64 evaluation is stable (src/covarianceChart.ts). Not a general computer-algebra
 * system: no gcd, only exact division by a known factor.
 *
 * A monomial is packed into one number: the exponent of variable i sits in bits 8i..8i+7 (exponents < 256).
 * Comparing packed keys is then the lex order with the LAST variable most significant, a monomial order, so
 * the largest key is the leading monomial (used by `exactDivide`).
 */

/** Packed monomial → coefficient (never 0n). */
export type Poly = Map<number, bigint>;

const BITS = 256;
const MAX_VARIABLES = 4;

/**
 * The packed key of a monomial with the given exponents.
 *
 * E.g. `monomialKey([1, 2])` gives x0·x1² → 1 + 2·256.
 */
export function monomialKey(exponents: readonly number[]): number {
  if (exponents.length > MAX_VARIABLES) throw new RangeError(`at most ${MAX_VARIABLES} variables`);
  let key = 0;
  for (let i = exponents.length - 1; i >= 0; i--) {
    const e = exponents[i]!;
    if (!(e >= 0 && e < BITS)) throw new DomainError(`exponent ${e} outside 0..${BITS - 1}`);
    key = key * BITS + e;
  }
  return key;
}

/** Exponent of variable i in a packed key.
 *
 * E.g. `exponentOf(monomialKey([3, 5]), 1)` gives 5.
 */
export function exponentOf(key: number, i: number): number {
  return Math.floor(key / BITS ** i) % BITS;
}

/** The constant polynomial k.
 *
 * E.g. `constantPoly(7n).get(0)` gives 7n.
 */
export function constantPoly(k: bigint): Poly {
  return k === 0n ? new Map() : new Map([[0, k]]);
}

/** The polynomial x_i.
 *
 * E.g. `variablePoly(1).get(monomialKey([0, 1]))` gives 1n.
 */
export function variablePoly(i: number): Poly {
  return new Map([[BITS ** i, 1n]]);
}

function addInto(out: Poly, key: number, c: bigint): void {
  const v = (out.get(key) ?? 0n) + c;
  if (v === 0n) out.delete(key);
  else out.set(key, v);
}

/**
 * p + k·q.
 *
 * E.g. `addPoly(variablePoly(0), constantPoly(1n), -1n)` gives x0 − 1.
 */
export function addPoly(p: Poly, q: Poly, k = 1n): Poly {
  const out = new Map(p);
  for (const [m, c] of q) addInto(out, m, k * c);
  return out;
}

/**
 * p·q. Packed keys add because no exponent overflows its byte (checked on the degrees).
 *
 * E.g. `mulPoly(variablePoly(0), variablePoly(0))` gives x0².
 */
export function mulPoly(p: Poly, q: Poly): Poly {
  const out: Poly = new Map();
  if (p.size === 0 || q.size === 0) return out;
  for (let i = 0; i < MAX_VARIABLES; i++) {
    if (maxExponent(p, i) + maxExponent(q, i) >= BITS) throw new DomainError(`degree in variable ${i} above ${BITS - 1}`);
  }
  for (const [m1, c1] of p) for (const [m2, c2] of q) addInto(out, m1 + m2, c1 * c2);
  return out;
}

function maxExponent(p: Poly, i: number): number {
  let e = 0;
  for (const m of p.keys()) e = Math.max(e, exponentOf(m, i));
  return e;
}

/** p^n, n ≥ 0.
 *
 * E.g. `powPoly(addPoly(variablePoly(0), constantPoly(1n)), 2).size` gives 3 terms: x0² + 2x0 + 1.
 */
export function powPoly(p: Poly, n: number): Poly {
  let out = constantPoly(1n);
  for (let k = 0; k < n; k++) out = mulPoly(out, p);
  return out;
}

/** Total degree (−1 for the zero polynomial).
 *
 * E.g. `totalDegree(mulPoly(variablePoly(0), variablePoly(2)))` gives 2.
 */
export function totalDegree(p: Poly): number {
  let d = -1;
  for (const m of p.keys()) {
    let s = 0;
    for (let i = 0; i < MAX_VARIABLES; i++) s += exponentOf(m, i);
    d = Math.max(d, s);
  }
  return d;
}

/**
 * p = q as polynomials.
 *
 * E.g. `polyEquals(mulPoly(variablePoly(0), variablePoly(1)), mulPoly(variablePoly(1), variablePoly(0)))` gives true.
 */
export function polyEquals(p: Poly, q: Poly): boolean {
  if (p.size !== q.size) return false;
  for (const [m, c] of p) if (q.get(m) !== c) return false;
  return true;
}

function leading(p: Poly): [number, bigint] {
  let best = -1;
  for (const m of p.keys()) if (m > best) best = m;
  return [best, p.get(best)!];
}

/**
 * p / f if f divides p exactly (over the integers), else undefined. Multivariate division by the leading term:
 * if f | p then LT(f) | LT(r) at every step, so the first failure proves non-divisibility.
 *
 * E.g. `exactDivide(mulPoly(variablePoly(0), variablePoly(1)), variablePoly(1))` gives x0.
 */
export function exactDivide(p: Poly, f: Poly): Poly | undefined {
  if (f.size === 0) throw new DomainError('division by the zero polynomial');
  const [lf, cf] = leading(f);
  const q: Poly = new Map();
  let r: Poly = new Map(p);
  while (r.size > 0) {
    const [lr, cr] = leading(r);
    if (cr % cf !== 0n) return undefined;
    const t = lr - lf;
    for (let i = 0; i < MAX_VARIABLES; i++) if (exponentOf(lr, i) < exponentOf(lf, i)) return undefined;
    const k = cr / cf;
    addInto(q, t, k);
    const step: Poly = new Map();
    for (const [m, c] of f) step.set(m + t, c * k);
    r = addPoly(r, step, -1n);
  }
  return q;
}

/** A rational function num/den. */
export interface RationalFunction {
  num: Poly;
  den: Poly;
}

/**
 * An expression tree of the artifact's syntax as one exact fraction over `variables`. Sums with the same
 * denominator add numerators; other sums cross-multiply (artifact entries are single fractions, so this stays
 * small).
 *
 * E.g. `exprToRational(parseRationalExpression('x/(2*y)'), ['x', 'y'])` gives { num: x, den: 2y }.
 */
export function exprToRational(e: Expr, variables: readonly string[]): RationalFunction {
  const one = constantPoly(1n);
  switch (e.kind) {
    case 'num':
      return { num: constantPoly(BigInt(e.text)), den: one };
    case 'var': {
      const i = variables.indexOf(e.name);
      if (i < 0) throw new DomainError(`unknown variable '${e.name}'`);
      return { num: variablePoly(i), den: one };
    }
    case 'neg': {
      const r = exprToRational(e.arg, variables);
      return { num: addPoly(new Map(), r.num, -1n), den: r.den };
    }
    case 'pow': {
      const r = exprToRational(e.base, variables);
      const n = Math.abs(e.exponent);
      const p = { num: powPoly(r.num, n), den: powPoly(r.den, n) };
      return e.exponent < 0 ? { num: p.den, den: p.num } : p;
    }
    default: {
      const l = exprToRational(e.left, variables);
      const r = exprToRational(e.right, variables);
      switch (e.kind) {
        case 'mul':
          return { num: mulPoly(l.num, r.num), den: mulPoly(l.den, r.den) };
        case 'div':
          if (r.num.size === 0) throw new DomainError('division by zero in an expression');
          return { num: mulPoly(l.num, r.den), den: mulPoly(l.den, r.num) };
        default: {
          const k = e.kind === 'add' ? 1n : -1n;
          if (polyEquals(l.den, r.den)) return { num: addPoly(l.num, r.num, k), den: l.den };
          return { num: addPoly(mulPoly(l.num, r.den), mulPoly(r.num, l.den), k), den: mulPoly(l.den, r.den) };
        }
      }
    }
  }
}
