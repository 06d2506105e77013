/**
 * The Hermite-coefficient recurrence of an annihilator, exactly (docs/MATH.md §8).
 *
 * Write σ(√a·z) = Σₙ cₙ Heₙ(z) (probabilists' Hermite polynomials). On coefficient sequences, multiplication by z
 * and d/dz act as
 *
 *   (Z c)ₘ = c_{m−1} + (m+1) c_{m+1},   (D c)ₘ = (m+1) c_{m+1}
 *
 * (from z Heₙ = Heₙ₊₁ + n Heₙ₋₁, He′ₙ = n Heₙ₋₁, or by parts against the Gaussian weight, so it holds for σ as a
 * distribution), and [D, Z] = 1: the map z ↦ Z, ∂z ↦ D is a ring homomorphism from the Weyl algebra into the
 * operators Σ_s q_s(m)·S^s with polynomial coefficients ((S^s c)ₘ = c_{m+s}, S^s·q(m) = q(m+s)·S^s). With u = t·z,
 * t = √a, the variable u of an annihilator maps to t·Z and ∂u to D/t. So P(u, ∂u)·σ = 0 becomes the linear
 * recurrence Σ_s A_s(m; t)·c_{m+s} = 0 for every m ≥ 0 (with c_{<0} = 0), A_s a polynomial in m whose
 * coefficients are Laurent polynomials in t, computed here in exact rational arithmetic: √a stays a symbol.
 *
 * The operator text is read by core's expression parser: the variables `u` and `du` (∂u), integers, + − * /
 * (by nonzero constants), ^ (natural exponents), products in the order written (`du*u` = u·∂u + 1). No algebra
 * package is involved.
 */
import { ExactRational as Rat, ParseError, type ParsedExpr, parseExpression } from '@holonomic-ntk/core';

// ---------------------------------------------------------------------------------------------------------------
// Polynomials in m (dense, ascending degree, no trailing zeros)

type MPoly = readonly Rat[];

function trim(p: Rat[]): Rat[] {
  while (p.length > 0 && p[p.length - 1]!.isZero()) p.pop();
  return p;
}

function polyAdd(p: MPoly, q: MPoly): Rat[] {
  const r: Rat[] = [];
  for (let i = 0; i < Math.max(p.length, q.length); i++) r.push((p[i] ?? Rat.ZERO).add(q[i] ?? Rat.ZERO));
  return trim(r);
}

function polyMul(p: MPoly, q: MPoly): Rat[] {
  if (p.length === 0 || q.length === 0) return [];
  const r: Rat[] = new Array<Rat>(p.length + q.length - 1).fill(Rat.ZERO);
  for (let i = 0; i < p.length; i++) for (let j = 0; j < q.length; j++) r[i + j] = r[i + j]!.add(p[i]!.mul(q[j]!));
  return trim(r);
}

/** q(m + s) (Taylor shift, exact). */
function polyShift(q: MPoly, s: number): Rat[] {
  if (s === 0 || q.length <= 1) return [...q];
  const S = BigInt(s);
  const r: Rat[] = new Array<Rat>(q.length).fill(Rat.ZERO);
  for (let i = 0; i < q.length; i++) {
    // q_i (m + s)^i = q_i Σ_j C(i, j) s^{i−j} m^j
    let binom = 1n;
    for (let j = 0; j <= i; j++) {
      if (j > 0) binom = (binom * BigInt(i - j + 1)) / BigInt(j);
      r[j] = r[j]!.add(q[i]!.mul(Rat.of(binom * S ** BigInt(i - j))));
    }
  }
  return trim(r);
}

/** The exact value q(m) at an integer m. */
function polyAt(q: MPoly, m: number): Rat {
  const M = Rat.of(BigInt(m));
  let v = Rat.ZERO;
  for (let i = q.length - 1; i >= 0; i--) v = v.mul(M).add(q[i]!);
  return v;
}

// ---------------------------------------------------------------------------------------------------------------
// Shift operators Σ_s Σ_k t^k q_{s,k}(m) S^s

/** shift s → power k of t = √a → polynomial in m. */
type ShiftOp = Map<number, Map<number, MPoly>>;

function opAddTerm(r: ShiftOp, s: number, k: number, q: MPoly): void {
  if (q.length === 0) return;
  let byK = r.get(s);
  if (!byK) r.set(s, (byK = new Map()));
  const sum = polyAdd(byK.get(k) ?? [], q);
  if (sum.length === 0) {
    byK.delete(k);
    if (byK.size === 0) r.delete(s);
  } else byK.set(k, sum);
}

function opAdd(p: ShiftOp, q: ShiftOp, sign = 1): ShiftOp {
  const r: ShiftOp = new Map();
  for (const [s, byK] of p) for (const [k, c] of byK) opAddTerm(r, s, k, c);
  for (const [s, byK] of q) for (const [k, c] of byK) opAddTerm(r, s, k, sign < 0 ? c.map((x) => x.neg()) : c);
  return r;
}

function opMul(p: ShiftOp, q: ShiftOp): ShiftOp {
  const r: ShiftOp = new Map();
  // (t^k q(m) S^s)(t^l r(m) S^σ) = t^{k+l} q(m) r(m+s) S^{s+σ}
  for (const [s, pk] of p) {
    for (const [sq, qk] of q) {
      for (const [l, qc] of qk) {
        const shifted = polyShift(qc, s);
        for (const [k, pc] of pk) opAddTerm(r, s + sq, k + l, polyMul(pc, shifted));
      }
    }
  }
  return r;
}

function opScale(p: ShiftOp, c: Rat): ShiftOp {
  const r: ShiftOp = new Map();
  for (const [s, byK] of p) {
    for (const [k, q] of byK)
      opAddTerm(
        r,
        s,
        k,
        q.map((x) => x.mul(c)),
      );
  }
  return r;
}

function opConstant(c: Rat): ShiftOp {
  const r: ShiftOp = new Map();
  opAddTerm(r, 0, 0, [c]);
  return r;
}

/** The constant of a shift operator that is one, else undefined. */
function opAsConstant(p: ShiftOp): Rat | undefined {
  if (p.size === 0) return Rat.ZERO;
  const byK = p.get(0);
  if (p.size !== 1 || !byK || byK.size !== 1) return undefined;
  const q = byK.get(0);
  return q && q.length === 1 ? q[0] : undefined;
}

const M_PLUS_1: MPoly = [Rat.ONE, Rat.ONE];
/** u ↦ t·(S⁻¹ + (m+1)·S). */
const U_IMAGE: ShiftOp = new Map([
  [-1, new Map([[1, [Rat.ONE]]])],
  [1, new Map([[1, M_PLUS_1]])],
]);
/** ∂u ↦ t⁻¹·(m+1)·S. */
const DU_IMAGE: ShiftOp = new Map([[1, new Map([[-1, M_PLUS_1]])]]);

/** Evaluates the parsed operator in the shift-operator algebra (the homomorphism of the module comment). */
function evaluate(e: ParsedExpr, text: string): ShiftOp {
  switch (e.kind) {
    case 'integer':
      return opConstant(Rat.of(e.value));
    case 'variable':
      if (e.name === 'u') return U_IMAGE;
      if (e.name === 'du') return DU_IMAGE;
      throw new ParseError(`unknown variable '${e.name}': an annihilator of σ is written in u and du (∂u)`, e.column, text, 'u or du');
    case 'negate':
      return opScale(evaluate(e.operand, text), Rat.of(-1n));
    case 'sum': {
      let r = evaluate(e.first, text);
      for (const { op, operand } of e.rest) r = opAdd(r, evaluate(operand, text), op === '-' ? -1 : 1);
      return r;
    }
    case 'product': {
      let r = evaluate(e.first, text);
      for (const { op, operand, column } of e.rest) {
        const f = evaluate(operand, text);
        if (op === '*') r = opMul(r, f);
        else {
          const c = opAsConstant(f);
          if (c === undefined || c.isZero())
            throw new ParseError('division by a nonconstant or zero: only nonzero rational constants divide an operator', column, text);
          r = opScale(r, c.inv());
        }
      }
      return r;
    }
    case 'power': {
      const ex = opAsConstant(evaluate(e.exponent, text));
      if (ex === undefined || ex.d !== 1n || ex.n < 0n || ex.n > 64n) {
        throw new ParseError('the exponent must be an integer constant in 0..64', e.exponentColumn, text);
      }
      const base = evaluate(e.base, text);
      let r = opConstant(Rat.ONE);
      for (let i = 0n; i < ex.n; i++) r = opMul(r, base);
      return r;
    }
    default:
      throw new ParseError('unexpected expression', (e as { column: number }).column, text);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The public recurrence

/**
 * One coefficient t^k·q(m) of the shift S^s in a {@link HermiteRecurrence} (t = √a): `shift` s, `sqrtAPower` k,
 * `coefficients` the exact rationals of q in ascending powers of m.
 *
 * @example
 * ```ts
 * import { hermiteRecurrence, type HermiteRecurrenceTerm } from '@holonomic-ntk/hgm-runtime';
 * const terms: readonly HermiteRecurrenceTerm[] = hermiteRecurrence('u*du - 1').terms;
 * terms[0]; // → { shift: 0, sqrtAPower: 0, coefficients: ['-1', '1'] }
 * ```
 */
export interface HermiteRecurrenceTerm {
  readonly shift: number;
  readonly sqrtAPower: number;
  readonly coefficients: readonly string[];
}

/**
 * The recurrence Σ_s A_s(m; √a)·c_{m+s} = 0 (m ≥ 0, c_{<0} = 0) that the Hermite coefficients of σ(√a·z) satisfy
 * when the operator annihilates σ; exact, with √a symbolic (module comment, docs/MATH.md §8).
 *
 * @example
 * ```ts
 * import { hermiteRecurrence, type HermiteRecurrence } from '@holonomic-ntk/hgm-runtime';
 * // ReLU: u∂u − 1 gives (m+1)(m+2)·c_{m+2} + (m − 1)·c_m = 0, so c₃ = c₅ = … = 0 and c₂ = c₀/2.
 * const r: HermiteRecurrence = hermiteRecurrence('u*du - 1');
 * [r.minShift, r.maxShift]; // → [0, 2]
 * r.toString(); // → '(m - 1)*c[m] + (m^2 + 3*m + 2)*c[m+2]'
 * ```
 */
export interface HermiteRecurrence {
  /** The operator text as given. */
  readonly operator: string;
  /** Smallest and largest shift s with a nonzero coefficient. */
  readonly minShift: number;
  readonly maxShift: number;
  /** The nonzero t^k·q(m) pieces, by shift then power of √a. */
  readonly terms: readonly HermiteRecurrenceTerm[];
  /** The recurrence as text, `c[m+s]` for c_{m+s} and `sqrt(a)^k` for the powers of √a. */
  toString(): string;
  /**
   * The float value of A_s(m; √a) for every shift minShift..maxShift (index s − minShift) at t = √a, each piece
   * q_{s,k}(m) evaluated exactly (then rounded once), so a coefficient that vanishes at an integer m is exactly 0.
   */
  coefficientsAt(m: number, sqrtA: number, out?: Float64Array): Float64Array;
}

const recurrenceCache = new Map<string, HermiteRecurrence>();

/**
 * The Hermite-coefficient recurrence of an annihilator P(u, ∂u) of σ, written in `u` and `du` (the artifacts'
 * `activation.annihilator` and `dsigmaAnnihilator`). Throws ParseError for other variables, a division by a
 * nonconstant, or a non-natural exponent; an operator that is 0 throws RangeError. Cached by text.
 *
 * @example
 * ```ts
 * import { hermiteRecurrence } from '@holonomic-ntk/hgm-runtime';
 * // erf: ∂u² + 2u∂u gives ((2a + 1)(m+1)(m+2)·c_{m+2} + 2a·m·c_m)/a = 0.
 * hermiteRecurrence('2*u*du+du^2').toString(); // → '2*m*c[m] + (a^-1*(m^2 + 3*m + 2) + (2*m^2 + 6*m + 4))*c[m+2]'
 * // The Weyl relation: ∂u·u = u·∂u + 1.
 * hermiteRecurrence('du*u').toString() === hermiteRecurrence('u*du + 1').toString(); // → true
 * hermiteRecurrence('v*du'); // throws ParseError
 * ```
 */
export function hermiteRecurrence(operator: string): HermiteRecurrence {
  const hit = recurrenceCache.get(operator);
  if (hit) return hit;
  const op = evaluate(parseExpression(operator), operator);
  if (op.size === 0) throw new RangeError(`the operator '${operator}' is 0: it annihilates everything and determines no coefficients`);
  const shifts = [...op.keys()].sort((x, y) => x - y);
  const minShift = shifts[0]!;
  const maxShift = shifts[shifts.length - 1]!;
  const terms: HermiteRecurrenceTerm[] = [];
  const pieces: { s: number; k: number; q: MPoly }[] = [];
  for (const s of shifts) {
    const byK = op.get(s)!;
    for (const k of [...byK.keys()].sort((x, y) => x - y)) {
      const q = byK.get(k)!;
      terms.push({ shift: s, sqrtAPower: k, coefficients: q.map((x) => x.toString()) });
      pieces.push({ s, k, q });
    }
  }
  // Exact values q_{s,k}(m), rounded once, per m (grown on demand; shared by every a).
  const table: Float64Array[] = [];
  const row = (m: number): Float64Array => {
    for (let j = table.length; j <= m; j++) table.push(Float64Array.from(pieces, (p) => polyAt(p.q, j).toNumber()));
    return table[m]!;
  };
  const width = maxShift - minShift + 1;
  const rec: HermiteRecurrence = {
    operator,
    minShift,
    maxShift,
    terms,
    toString: () => recurrenceText(op, shifts),
    coefficientsAt(m, sqrtA, out = new Float64Array(width)) {
      out.fill(0);
      const v = row(m);
      for (let i = 0; i < pieces.length; i++) {
        const p = pieces[i]!;
        out[p.s - minShift]! += v[i]! * sqrtA ** p.k;
      }
      return out;
    },
  };
  recurrenceCache.set(operator, rec);
  return rec;
}

function polyText(q: MPoly): string {
  const parts: string[] = [];
  for (let i = q.length - 1; i >= 0; i--) {
    const c = q[i]!;
    if (c.isZero()) continue;
    const neg = c.n < 0n;
    const abs = neg ? c.neg() : c;
    const mono = i === 0 ? '' : i === 1 ? 'm' : `m^${i}`;
    const coef = abs.toString();
    const body = mono === '' ? coef : coef === '1' ? mono : `${coef}*${mono}`;
    parts.push(parts.length === 0 ? (neg ? `-${body}` : body) : `${neg ? '-' : '+'} ${body}`);
  }
  return parts.join(' ');
}

function recurrenceText(op: ShiftOp, shifts: readonly number[]): string {
  return shifts
    .map((s) => {
      const byK = op.get(s)!;
      const ks = [...byK.keys()].sort((x, y) => x - y);
      const pieces = ks.map((k) => {
        const q = byK.get(k)!;
        const poly = polyText(q);
        const single = q.filter((x) => !x.isZero()).length === 1;
        const t = sqrtAText(k);
        if (t === '') return single || ks.length === 1 ? poly : `(${poly})`;
        if (!single) return `${t}*(${poly})`;
        return poly === '1' ? t : poly === '-1' ? `-${t}` : `${poly}*${t}`;
      });
      const c = s === 0 ? 'c[m]' : s > 0 ? `c[m+${s}]` : `c[m${s}]`;
      if (pieces.length === 1) {
        const p = pieces[0]!;
        if (p === '1') return c;
        if (p === '-1') return `-${c}`;
        return topLevelSum(p) ? `(${p})*${c}` : `${p}*${c}`;
      }
      return `(${pieces.join(' + ')})*${c}`;
    })
    .join(' + ');
}

/** √a^k as text: a power of a when k is even. */
function sqrtAText(k: number): string {
  if (k === 0) return '';
  if (k % 2 === 0) return k === 2 ? 'a' : `a^${k / 2}`;
  return k === 1 ? 'sqrt(a)' : `sqrt(a)^${k}`;
}

/** Whether a term text has a + or − outside parentheses (after its sign). */
function topLevelSum(text: string): boolean {
  let depth = 0;
  for (let i = 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && (ch === '+' || ch === '-') && text[i - 1] === ' ') return true;
  }
  return false;
}
