import { DomainError, type Poly, type Rational, type RationalFunction, type RationalFunctionField } from '@holonomic-ntk/weyl-algebra';
import { Budget, type GbOptions } from './options.ts';
import { FactoredArithmetic, type FactoredFraction, type RMatrix, matAdd, matDiff, matInverse, matMul } from './rationalMatrix.ts';
import { type RationalWeylIdeal, dText } from './rationalWeyl.ts';

/**
 * A Pfaffian system dF/dx_i = P_i F for F = (b_1•f, …, b_r•f)ᵀ, entries exact rational functions.
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { RationalWeylIdeal, pfaffianSystem, type PfaffianSystem } from '@holonomic-ntk/groebner';
 * const D = new WeylAlgebra(QQ, ['x']);
 * const sys: PfaffianSystem = pfaffianSystem(RationalWeylIdeal.compute(D, parseOperators(D, 'dx^2 - x')));
 * sys.variables; // → ['x']
 * sys.basis; // → ['1', 'dx']
 * sys.matrices[0].map((row) => row.map(String)); // → [['0', '1'], ['x', '0']]
 * ```
 */
export interface PfaffianSystem {
  /** The coordinates x_i whose derivatives the matrices give, in the order of `matrices`. */
  variables: string[];
  /** The basis b_1..b_r as operator text (standard monomials by default). */
  basis: string[];
  rank: number;
  /** P_i for each variable, r × r. */
  matrices: RMatrix[];
  field: RationalFunctionField;
}

/**
 * Pfaffian matrices of the holonomic ideal I over R. With no basis given, the standard monomials s_k are used and
 * row k of P_i holds the coordinates of NF(∂_i·s_k). A user basis B (operators, e.g. [1, ∂12]) goes through
 * S = coordinates of NF(B): P_i^B = (∂_i S + S·P_i)·S⁻¹ — a poor basis may add spurious poles.
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { RationalWeylIdeal, pfaffianSystem } from '@holonomic-ntk/groebner';
 * const D = new WeylAlgebra(QQ, ['x']);
 * const I = RationalWeylIdeal.compute(D, parseOperators(D, 'dx^2 - x')); // Airy: F = (f, f')
 * pfaffianSystem(I).matrices[0].map((row) => row.map(String)); // → [['0', '1'], ['x', '0']]
 * // In the basis (f', f):
 * pfaffianSystem(I, parseOperators(D, 'dx, 1')).matrices[0].map((row) => row.map(String)); // → [['0', 'x'], ['1', '0']]
 * ```
 */
export function pfaffianSystem(I: RationalWeylIdeal, basis?: readonly Poly<Rational>[], options: GbOptions = {}): PfaffianSystem {
  const budget = new Budget(options);
  const std = I.standardMonomials();
  const r = std.length;
  const D = I.D;
  const F = I.field;
  const variables = I.derivations.map((d) => D.xNames[D.dNames.indexOf(d)]!);
  const monomialOp = (e: readonly number[]) => {
    const m = new Array<number>(D.vars.length).fill(0);
    I.dIndex.forEach((idx, j) => (m[idx] = e[j]!));
    return D.monomial(m);
  };
  // ∂_i·s_k and ∂_j·s_l are often the same monomial (∂11·∂12 = ∂12·∂11); a standard one is a unit row.
  const stdIndex = new Map(std.map((s, k) => [s.join(','), k]));
  const rows = new Map<string, RationalFunction[]>();
  const stdMatrices: RMatrix[] = I.dIndex.map((_, i) =>
    std.map((s, k) => {
      budget.check({ stage: 'pfaffian', pairsDone: i * r + k, pairsLeft: I.dIndex.length * r - i * r - k, basisSize: r, degree: 0 });
      const e = s.slice();
      e[i] = e[i]! + 1;
      const key = e.join(',');
      let row = rows.get(key);
      if (!row) {
        const unit = stdIndex.get(key);
        row = unit === undefined ? I.coordinates(monomialOp(e), std) : std.map((_, l) => (l === unit ? F.one : F.zero));
        rows.set(key, row);
      }
      return row.slice();
    }),
  );
  if (!basis) {
    return { variables, basis: std.map((s) => dText(I.derivations, s)), rank: r, matrices: stdMatrices, field: F };
  }
  if (basis.length !== r) throw new DomainError(`the basis has ${basis.length} elements but the holonomic rank is ${r}`);
  // A basis of standard monomials in another order is a permutation Π: then P^B = Π·P·Πᵀ exactly (∂Π = 0,
  // Π⁻¹ = Πᵀ), with no normal forms, no inverse and no products over Q(x).
  const perm = basis.map((b) => {
    if (b.monos.length !== 1 || !b.coeffs[0]!.isOne()) return -1;
    const m = b.monos[0]!;
    if (m.some((e, v) => e !== 0 && !I.dIndex.includes(v))) return -1;
    const e = I.dIndex.map((v) => m[v]!);
    return std.findIndex((s) => s.every((x, j) => x === e[j]));
  });
  if (perm.every((k) => k >= 0) && new Set(perm).size === r) {
    const matrices = stdMatrices.map((P) => perm.map((a) => perm.map((b) => P[a]![b]!)));
    return { variables, basis: basis.map((b) => textOf(D.vars, b)), rank: r, matrices, field: F };
  }
  const S: RMatrix = basis.map((b) => I.coordinates(b, std));
  const Sinv = matInverse(F, S);
  const matrices = variables.map((v, i) => matMul(F, matAdd(F, matDiff(F, S, v), matMul(F, S, stdMatrices[i]!)), Sinv));
  return { variables, basis: basis.map((b) => textOf(D.vars, b)), rank: r, matrices, field: F };
}

/**
 * The exact integrability condition ∂_j P_i − ∂_i P_j + P_i P_j − P_j P_i = 0 for all i < j. Returns the failing
 * pairs (empty when integrable).
 *
 * Exact but gcd-free: every entry goes to a factored fraction over the denominator factors (the singular
 * locus when the caller has it, `denominatorFactors`; otherwise the distinct denominators are split among
 * themselves), each entry of the left side is summed over its common factored denominator, and it vanishes exactly
 * when that numerator is the zero polynomial. Normalizing in Q(x) would cost a multivariate gcd per operation.
 *
 * @example
 * ```ts
 * import { QQ, RationalFunctionField, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { RationalWeylIdeal, integrabilityDefects, pfaffianSystem } from '@holonomic-ntk/groebner';
 * const D = new WeylAlgebra(QQ, ['x', 'y']);
 * const sys = pfaffianSystem(RationalWeylIdeal.compute(D, parseOperators(D, 'x*dx - 1/2; y*dy - 1/3')));
 * integrabilityDefects(sys); // → []
 * // dF = y F dx is not integrable: ∂y(y) ≠ ∂x(0).
 * const F = new RationalFunctionField(['x', 'y']);
 * integrabilityDefects({ variables: ['x', 'y'], basis: ['1'], rank: 1, matrices: [[[F.gen('y')]], [[F.zero]]], field: F }); // → [{ i: 'x', j: 'y' }]
 * ```
 */
export function integrabilityDefects(sys: PfaffianSystem, options: { denominatorFactors?: readonly Poly<bigint>[] } = {}): { i: string; j: string }[] {
  const A = new FactoredArithmetic(sys.field, options.denominatorFactors ?? []);
  const M = sys.matrices.map((P) => P.map((row) => row.map((a) => A.from(a))));
  const vIdx = sys.variables.map((v) => sys.field.vars.indexOf(v));
  const r = sys.rank;
  // ∂_v of a matrix, memoized per (matrix, variable): each is needed by one pair only, but cheap to keep.
  const dCache = new Map<string, FactoredFraction[][]>();
  const dMat = (i: number, j: number) => {
    const key = `${i},${j}`;
    let d = dCache.get(key);
    if (!d) dCache.set(key, (d = M[i]!.map((row) => row.map((a) => A.diff(a, vIdx[j]!)))));
    return d;
  };
  const bad: { i: string; j: string }[] = [];
  for (let i = 0; i < sys.variables.length; i++) {
    for (let j = i + 1; j < sys.variables.length; j++) {
      const Pi = M[i]!;
      const Pj = M[j]!;
      const dPi = dMat(i, j);
      const dPj = dMat(j, i);
      let ok = true;
      for (let k = 0; k < r && ok; k++) {
        for (let l = 0; l < r && ok; l++) {
          const terms: FactoredFraction[] = [dPi[k]![l]!, A.neg(dPj[k]![l]!)];
          for (let m = 0; m < r; m++) {
            if (!A.isZero(Pi[k]![m]!) && !A.isZero(Pj[m]![l]!)) terms.push(A.mul(Pi[k]![m]!, Pj[m]![l]!));
            if (!A.isZero(Pj[k]![m]!) && !A.isZero(Pi[m]![l]!)) terms.push(A.neg(A.mul(Pj[k]![m]!, Pi[m]![l]!)));
          }
          if (!A.isZero(A.sum(terms))) ok = false;
        }
      }
      if (!ok) bad.push({ i: sys.variables[i]!, j: sys.variables[j]! });
    }
  }
  return bad;
}

/**
 * Whether the Pfaffian system is integrable (no {@link integrabilityDefects}).
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
 * import { RationalWeylIdeal, isIntegrable, pfaffianSystem } from '@holonomic-ntk/groebner';
 * const D = new WeylAlgebra(QQ, ['x', 'y']);
 * const sys = pfaffianSystem(RationalWeylIdeal.compute(D, parseOperators(D, 'x*dx - 1/2; y*dy - 1/3')));
 * sys.matrices.map((P) => P[0][0].toString()); // → ['1/(2*x)', '1/(3*y)']
 * isIntegrable(sys); // → true
 * ```
 */
export function isIntegrable(sys: PfaffianSystem): boolean {
  return integrabilityDefects(sys).length === 0;
}

/** Text of an operator without the printer package: terms "c*x^a*dx^b" joined (used for basis labels only). */
function textOf(vars: readonly string[], p: Poly<Rational>): string {
  if (p.monos.length === 0) return '0';
  return p.monos
    .map((m, k) => {
      const c = p.coeffs[k]!;
      const factors = m.flatMap((e, i) => (e === 0 ? [] : [e === 1 ? vars[i]! : `${vars[i]}^${e}`]));
      const coeff = c.toString();
      const body = factors.join('*');
      if (!body) return coeff;
      if (coeff === '1') return body;
      if (coeff === '-1') return `-${body}`;
      return `${coeff}*${body}`;
    })
    .join('+')
    .replace(/\+-/g, '-');
}

export type { RationalFunction };
