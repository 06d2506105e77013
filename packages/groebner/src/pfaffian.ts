import { DomainError, type Poly, type Rational, type RationalFunction, type RationalFunctionField } from '@holonomic-ntk/weyl-algebra';
import { Budget, type GbOptions } from './options.ts';
import { type RMatrix, isZeroMatrix, matAdd, matDiff, matInverse, matMul, matSub } from './rationalMatrix.ts';
import { type RationalWeylIdeal, dText } from './rationalWeyl.ts';

/**
 * A Pfaffian system dF/dx_i = P_i F for F = (b_1•f, …, b_r•f)ᵀ, entries exact rational functions.
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
 * const sys = pfaffianSystem(I, parseOperators(D, '1, dx12'));
 * sys.matrices[1]; // P for x12
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
  const stdMatrices: RMatrix[] = I.dIndex.map((_, i) =>
    std.map((s, k) => {
      budget.check({ stage: 'pfaffian', pairsDone: i * r + k, pairsLeft: I.dIndex.length * r - i * r - k, basisSize: r, degree: 0 });
      const e = s.slice();
      e[i] = e[i]! + 1;
      return I.coordinates(monomialOp(e), std);
    }),
  );
  if (!basis) {
    return { variables, basis: std.map((s) => dText(I.derivations, s)), rank: r, matrices: stdMatrices, field: F };
  }
  if (basis.length !== r) throw new DomainError(`the basis has ${basis.length} elements but the holonomic rank is ${r}`);
  const S: RMatrix = basis.map((b) => I.coordinates(b, std));
  const Sinv = matInverse(F, S);
  const matrices = variables.map((v, i) => matMul(F, matAdd(F, matDiff(F, S, v), matMul(F, S, stdMatrices[i]!)), Sinv));
  return { variables, basis: basis.map((b) => textOf(D.vars, b)), rank: r, matrices, field: F };
}

/**
 * The exact integrability condition ∂_j P_i − ∂_i P_j + P_i P_j − P_j P_i = 0 for all i < j. Returns the failing
 * pairs (empty when integrable).
 */
export function integrabilityDefects(sys: PfaffianSystem): { i: string; j: string }[] {
  const F = sys.field;
  const bad: { i: string; j: string }[] = [];
  for (let i = 0; i < sys.variables.length; i++) {
    for (let j = i + 1; j < sys.variables.length; j++) {
      const Pi = sys.matrices[i]!;
      const Pj = sys.matrices[j]!;
      const lhs = matAdd(F, matSub(F, matDiff(F, Pi, sys.variables[j]!), matDiff(F, Pj, sys.variables[i]!)), matSub(F, matMul(F, Pi, Pj), matMul(F, Pj, Pi)));
      if (!isZeroMatrix(F, lhs)) bad.push({ i: sys.variables[i]!, j: sys.variables[j]! });
    }
  }
  return bad;
}

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
