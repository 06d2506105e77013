import { gcdBig } from './bigintMath.ts';
import { QQ, ZZ } from './domain.ts';
import { Poly, PolyRing } from './polynomial.ts';
import { Rational } from './rational.ts';

/**
 * Content and primitive part. Over ZZ the content carries the sign of the leading coefficient, so the primitive
 * part has a positive leading coefficient: p = content · primitivePart, a canonical split.
 */
export function contentZZ(p: Poly<bigint>): bigint {
  let g = 0n;
  for (const c of p.coeffs) {
    g = gcdBig(g, c);
    if (g === 1n) break;
  }
  if (p.coeffs.length > 0 && p.coeffs[0]! < 0n) g = -g;
  return g;
}

export function primitivePartZZ(ring: PolyRing<bigint>, p: Poly<bigint>): Poly<bigint> {
  if (p.monos.length === 0) return p;
  return ring.divScalar(p, contentZZ(p));
}

/**
 * Writes p ∈ Q[x] as scale · prim with prim ∈ Z[x] primitive with positive leading coefficient.
 *
 * @example
 * ```ts
 * import { integerPrimitive } from '@holonomic-ntk/weyl-algebra/internal';
 * import { PolyRing, QQ, parsePolynomial, polynomialToText } from '@holonomic-ntk/weyl-algebra';
 * const R = new PolyRing(QQ, ['x']);
 * const { scale, prim } = integerPrimitive(R, parsePolynomial(R, '-2/3*x + 4/9'));
 * scale.toString(); // → '-2/9'
 * prim.coeffs; // → [3n, -2n]
 * ```
 */
export function integerPrimitive(
  ringQ: PolyRing<Rational>,
  p: Poly<Rational>,
  ringZ: PolyRing<bigint> = new PolyRing(ZZ, ringQ.vars, ringQ.order),
): { scale: Rational; prim: Poly<bigint> } {
  if (p.monos.length === 0) return { scale: Rational.ZERO, prim: ringZ.zero };
  let lcmDen = 1n;
  for (const c of p.coeffs) lcmDen = (lcmDen / gcdBig(lcmDen, c.den)) * c.den;
  let g = 0n;
  for (const c of p.coeffs) {
    g = gcdBig(g, c.num * (lcmDen / c.den));
    if (g === 1n) break;
  }
  if (p.coeffs[0]!.num < 0n) g = -g;
  const coeffs = p.coeffs.map((c) => (c.num * (lcmDen / c.den)) / g);
  return { scale: Rational.of(g, lcmDen), prim: new Poly(p.monos, coeffs) };
}

/** Z[x] → Q[x], same monomials and order. */
export function toRationalPoly(p: Poly<bigint>): Poly<Rational> {
  return new Poly(
    p.monos,
    p.coeffs.map((c) => Rational.int(c)),
  );
}

/** p / lc(p) over Q: the monic associate (0 stays 0). */
export function monicQQ(ring: PolyRing<Rational>, p: Poly<Rational>): Poly<Rational> {
  if (p.monos.length === 0) return p;
  return ring.scale(p, QQ.div(QQ.one, p.coeffs[0]!));
}

/** p / q when q divides p exactly in Z[x], else undefined (stops at the first leading term that does not divide). */
export function exactQuotient(R: PolyRing<bigint>, p: Poly<bigint>, q: Poly<bigint>): Poly<bigint> | undefined {
  if (q.monos.length === 0) return undefined;
  if (p.monos.length === 0) return R.zero;
  const dp = R.maxDegrees(p);
  const dq = R.maxDegrees(q);
  for (let i = 0; i < dq.length; i++) if (dq[i]! > dp[i]!) return undefined;
  const lm = q.monos[0]!;
  const lc = q.coeffs[0]!;
  const qm: number[][] = [];
  const qc: bigint[] = [];
  let rest = p;
  while (rest.monos.length > 0) {
    const m = rest.monos[0]!;
    const c = rest.coeffs[0]!;
    if (c % lc !== 0n) return undefined;
    const t: number[] = new Array<number>(m.length);
    for (let i = 0; i < m.length; i++) {
      t[i] = m[i]! - lm[i]!;
      if (t[i]! < 0) return undefined;
    }
    const f = c / lc;
    qm.push(t);
    qc.push(f);
    rest = R.addScaled(rest, R.mulTerm(q, t), -f);
  }
  return new Poly(qm, qc);
}
