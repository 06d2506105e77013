import type { Poly, WeylAlgebra } from '@holonomic-ntk/weyl-algebra';
import { evaluate, operatorTarget, parseList } from '@holonomic-ntk/weyl-algebra/internal';

/**
 * Operators written with Euler operators: in the text, `dx` stands for θ_x = x·∂x (the classical way to write
 * hypergeometric systems). Each `dx` is replaced by the element x·∂x of D and products are taken in D, so the
 * relation θx = x(θ + 1) comes out right without an Ore algebra of its own.
 *
 * @example
 * ```ts
 * import { QQ, WeylAlgebra, operatorToText } from '@holonomic-ntk/weyl-algebra';
 * import { parseEulerOperators } from '@holonomic-ntk/groebner';
 * const D = new WeylAlgebra(QQ, ['x']);
 * // θ(θ − 1) = x²∂² with θ = x∂
 * parseEulerOperators(D, 'dx*(dx-1)').map((p) => operatorToText(D, p)); // → ['x^2*dx^2']
 * ```
 */
export function parseEulerOperators<T>(D: WeylAlgebra<T>, text: string, eulerVars: readonly string[] = D.xNames): Poly<T>[] {
  const base = operatorTarget(D);
  const theta = new Map<string, Poly<T>>();
  for (const x of eulerVars) {
    const i = D.xNames.indexOf(x);
    theta.set(D.dNames[i]!, D.mul(D.gen(x), D.gen(D.dNames[i]!)));
  }
  const target = { ...base, variable: (name: string, column: number) => theta.get(name) ?? base.variable(name, column) };
  return parseList(text).map((ast) => evaluate(ast, target, text));
}
