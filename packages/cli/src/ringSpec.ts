import {
  QQ,
  type Rational,
  RationalFunctionField,
  WeylAlgebra,
  weightOrder,
  grevlex,
  lex,
  type Domain,
  type RationalFunction,
} from '@holonomic-ntk/weyl-algebra';
import { UsageError, splitList } from './io.ts';

/** --vars x,y → pairs (x, dx), (y, dy); checks the names. */
export function parseVars(text: string): string[] {
  const vars = splitList(text, '--vars');
  for (const v of vars) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) throw new UsageError(`--vars: "${v}" is not a variable name (letters, digits, _; not starting with a digit)`);
  }
  if (new Set(vars).size !== vars.length) throw new UsageError(`--vars: a name repeats in "${text}"`);
  return vars;
}

export type OrderSpec = { kind: 'term'; name: 'grevlex' | 'lex' } | { kind: 'weight'; weight: number[] };

/** --order grevlex | lex | weight:w1,...,w2n (weights on x then ∂). */
export function parseOrder(text: string, n: number): OrderSpec {
  if (text === 'grevlex' || text === 'degrevlex') return { kind: 'term', name: 'grevlex' };
  if (text === 'lex') return { kind: 'term', name: 'lex' };
  const m = /^weight:(.*)$/.exec(text);
  if (!m) throw new UsageError(`--order: expected grevlex, lex or weight:<w1,...,w${2 * n}>, got "${text}"`);
  const parts = splitList(m[1]!, '--order weight');
  const w = parts.map((s, i) => {
    if (!/^-?\d+$/.test(s)) throw new UsageError(`--order: weight entry ${i + 1} ("${s}") is not an integer`);
    return Number(s);
  });
  if (w.length !== 2 * n) {
    throw new UsageError(`--order: a weight for ${n} variable pair(s) needs ${2 * n} integers (x's, then ∂'s), got ${w.length}`);
  }
  if (w.some((e) => !Number.isSafeInteger(e))) throw new UsageError(`--order: weight entries must be integers of at most 15 digits`);
  // The Weyl algebra has Gröbner bases for (u, v) only when u_i + v_i ≥ 0 ([SST] §1.2; Macaulay2 and Singular ask the same).
  for (let i = 0; i < n; i++) {
    if (w[i]! + w[n + i]! < 0) {
      throw new UsageError(
        `--order: u${i + 1} + v${i + 1} = ${w[i]} + ${w[n + i]} < 0; a weight (u, v) on the Weyl algebra needs u_i + v_i ≥ 0 for every pair (∂x = x∂ + 1 must keep the weight of x∂)`,
      );
    }
  }
  return { kind: 'weight', weight: w };
}

/** The Weyl algebra over QQ, or over Q(params) when --params is given. */
export function buildAlgebra(vars: string[], params: string[] | undefined, order: OrderSpec): WeylAlgebra<Rational> | WeylAlgebra<RationalFunction> {
  const mo = order.kind === 'weight' ? weightOrder([...order.weight], grevlex) : order.name === 'lex' ? lex : grevlex;
  if (params && params.length > 0) {
    const clash = params.find((p) => vars.includes(p) || vars.some((v) => `d${v}` === p));
    if (clash) throw new UsageError(`--params: "${clash}" is also a variable of the ring`);
    const F = new RationalFunctionField(params);
    return new WeylAlgebra(F as Domain<RationalFunction>, vars, { order: mo });
  }
  return new WeylAlgebra(QQ, vars, { order: mo });
}
