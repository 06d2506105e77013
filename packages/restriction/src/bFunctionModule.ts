import { ModuleGroebner } from '@holonomic-ntk/groebner';
import { DomainError, NotHolonomicError, type Poly, Rational, type WeylAlgebra } from '@holonomic-ntk/weyl-algebra';
import { type BFunctionOptions, type BFunctionResult, bFunction, restrictionWeight, univariateParts } from './bFunction.ts';

/**
 * The b-function of a module D^r/N with a shift vector, and the per-component b-functions it is made of.
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { bFunctionOfModule, type ModuleBFunctionResult } from '@holonomic-ntk/restriction';
 * const D = new WeylAlgebra(QQ, ['y']);
 * const [a, b] = parseOperators(D, '2*y*dy+3; y*dy+2');
 * const r: ModuleBFunctionResult = bFunctionOfModule(D, [[a, D.zero], [D.zero, b]], ['y'], [1], [0, 1]);
 * r.components.map((c) => c.text); // → ['s+3/2', 's+2']
 * r.text; // → 's^2+5/2*s+3/2'
 * ```
 */
export interface ModuleBFunctionResult extends Omit<BFunctionResult, 'weightBasis' | 'weight' | 'method'> {
  /** The shift vector m (one integer per component). */
  shifts: number[];
  /** For each component i: the b-function b_i of the ideal I_i = {a ∈ D : a·e_i ∈ N} (before the shift). */
  components: BFunctionResult[];
}

/**
 * The b-function of the module M = D^r/N along t = 0 for the weight w and the shift vector m, as Macaulay2's
 * `bFunction(M, w, m)` defines it: with I_i = {a ∈ D : a·e_i ∈ N} (the relations living in component i alone, read
 * off a module Gröbner basis for a POT order with e_i least) and b_i its b-function ({@link bFunction}),
 *
 *   b(s) = lcm_i b_i(s − m_i).
 *
 * For r = 1 and m = 0 this is the b-function of the ideal. In general it is a multiple of the b-function of the
 * shifted V-filtration of M (Oaku–Takayama), because in(N ∩ D·e_i) ⊂ in^m(N) ∩ D·e_i: its integer roots bound
 * those a restriction of M needs, which is how Macaulay2's Drestriction uses it.
 *
 * `relations` are the generators of N, vectors of length r. NotHolonomicError when some I_i is 0 (then D·e_i ≅ D
 * sits inside M: not holonomic), and whatever {@link bFunction} throws for a component (limits, not-holonomic
 * verdicts).
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { bFunctionOfModule } from '@holonomic-ntk/restriction';
 * // Macaulay2: bFunction(cokernel matrix{{2*y*Dy+3, 0}, {0, y*Dy+2}}, {0,1}, {-3,2}) = s^2+(9/2)*s.
 * const D = new WeylAlgebra(QQ, ['x', 'y']);
 * const [a, b] = parseOperators(D, '2*y*dy+3; y*dy+2');
 * bFunctionOfModule(D, [[a, D.zero], [D.zero, b]], ['y'], [1], [-3, 2]).text; // → 's^2+9/2*s'
 * ```
 */
export function bFunctionOfModule(
  D: WeylAlgebra<Rational>,
  relations: readonly (readonly Poly<Rational>[])[],
  tVars: readonly string[],
  weights: readonly number[],
  shifts: readonly number[],
  options: BFunctionOptions = {},
): ModuleBFunctionResult {
  restrictionWeight(D, tVars, weights);
  const r = shifts.length;
  if (r === 0) throw new DomainError('a module D^r/N needs r ≥ 1 components (one shift per component)');
  if (shifts.some((m) => !Number.isSafeInteger(m))) throw new DomainError(`shifts must be integers, got (${shifts.join(', ')})`);
  relations.forEach((v, k) => {
    if (v.length !== r) throw new DomainError(`relation ${k + 1} has ${v.length} entries; the shift vector says the module has ${r} components`);
  });
  if (options.weightBasis) throw new DomainError('weightBasis is for one ideal; bFunctionOfModule computes one per component');
  const components: BFunctionResult[] = [];
  let b: Rational[] = [Rational.ONE];
  for (let i = 0; i < r; i++) {
    const ideal = componentIdeal(D, relations, i, options);
    if (ideal.length === 0) {
      throw new NotHolonomicError(
        `no relation lives in component ${i + 1} alone (N ∩ D·e_${i + 1} = 0): D·e_${i + 1} ≅ D is a submodule of M, which is therefore not holonomic and has no b-function`,
      );
    }
    const bi = bFunction(D, ideal, tVars, weights, options);
    components.push(bi);
    b = lcm(b, shift(bi.coefficients, shifts[i]!));
  }
  return { ...univariateParts(b), shifts: shifts.slice(), components };
}

/** Generators of I_i = {a : a·e_i ∈ N}: a POT Gröbner basis with e_i least contains a basis of N ∩ D·e_i. */
export function componentIdeal(
  D: WeylAlgebra<Rational>,
  relations: readonly (readonly Poly<Rational>[])[],
  i: number,
  options: BFunctionOptions = {},
): Poly<Rational>[] {
  const r = relations.length > 0 ? relations[0]!.length : 0;
  const nonzero = relations.filter((v) => v.some((e) => e.monos.length > 0));
  if (r === 1) return nonzero.map((v) => v[0]!);
  // Component i moved to the end, where "last component least" puts it.
  const perm = [...Array.from({ length: r }, (_, k) => k).filter((k) => k !== i), i];
  const M = new ModuleGroebner(D, r, { kind: 'POT', lastComponentLeast: true });
  const G = M.groebnerBasis(
    nonzero.map((v) => perm.map((k) => v[k]!)),
    options,
  );
  return G.filter((v) => v.every((e, k) => k === r - 1 || e.monos.length === 0)).map((v) => v[r - 1]!);
}

/** Ascending coefficients of p(s − m). */
export function shift(p: readonly Rational[], m: number): Rational[] {
  // Horner: q ← q·(s − m) + p_k, from the top coefficient down.
  let q: Rational[] = [];
  const c = Rational.int(-m);
  for (let k = p.length - 1; k >= 0; k--) {
    const next = new Array<Rational>(q.length + 1).fill(Rational.ZERO);
    q.forEach((a, j) => {
      next[j + 1] = next[j + 1]!.add(a);
      next[j] = next[j]!.add(a.mul(c));
    });
    next[0] = next[0]!.add(p[k]!);
    q = next;
  }
  return trim(q);
}

/** Monic lcm of two nonzero polynomials over Q (ascending coefficients). */
export function lcm(a: readonly Rational[], b: readonly Rational[]): Rational[] {
  const g = gcd(a, b);
  return monic(mul(divExact(a, g), b));
}

function gcd(a: readonly Rational[], b: readonly Rational[]): Rational[] {
  let x = trim(a.slice());
  let y = trim(b.slice());
  while (y.length > 0) {
    const r = remainder(x, y);
    x = y;
    y = r;
  }
  return monic(x);
}

function remainder(a: readonly Rational[], b: readonly Rational[]): Rational[] {
  const r = a.slice();
  const lb = b[b.length - 1]!;
  for (let k = r.length - b.length; k >= 0; k--) {
    const f = r[k + b.length - 1]!.div(lb);
    if (f.isZero()) continue;
    for (let j = 0; j < b.length; j++) r[k + j] = r[k + j]!.sub(f.mul(b[j]!));
  }
  return trim(r.slice(0, Math.max(0, b.length - 1)));
}

function divExact(a: readonly Rational[], b: readonly Rational[]): Rational[] {
  const r = a.slice();
  const q = new Array<Rational>(Math.max(0, a.length - b.length + 1)).fill(Rational.ZERO);
  const lb = b[b.length - 1]!;
  for (let k = r.length - b.length; k >= 0; k--) {
    const f = r[k + b.length - 1]!.div(lb);
    q[k] = f;
    if (f.isZero()) continue;
    for (let j = 0; j < b.length; j++) r[k + j] = r[k + j]!.sub(f.mul(b[j]!));
  }
  return trim(q);
}

function mul(a: readonly Rational[], b: readonly Rational[]): Rational[] {
  const out = new Array<Rational>(a.length + b.length - 1).fill(Rational.ZERO);
  a.forEach((x, i) => b.forEach((y, j) => (out[i + j] = out[i + j]!.add(x.mul(y)))));
  return out;
}

function monic(a: readonly Rational[]): Rational[] {
  const lead = a[a.length - 1]!;
  return a.map((c) => c.div(lead));
}

function trim(a: Rational[]): Rational[] {
  let n = a.length;
  while (n > 0 && a[n - 1]!.isZero()) n--;
  return a.slice(0, n);
}
