import type { Domain } from './domain.ts';
import type { Monomial } from './monomialOrder.ts';
import type { Poly } from './polynomial.ts';

/**
 * Text and LaTeX of a sparse polynomial over any coefficient domain. Shared by polynomials, rational functions and
 * Weyl operators, so that there is one printer: terms come in the order the polynomial stores them (the ring's
 * term order, leading term first), and monomial factors in variable index order (`x^2*dx`), which for a normally
 * ordered Weyl operator is exactly its normal form.
 */

/**
 * Options of {@link polyToText}.
 *
 * @example
 * ```ts
 * import { PolyRing, QQ, parsePolynomial, polynomialToText } from '@holonomic-ntk/weyl-algebra';
 * const R = new PolyRing(QQ, ['x', 'y']);
 * const p = parsePolynomial(R, 'x^2 - y');
 * polynomialToText(R, p); // → 'x^2 - y'
 * polynomialToText(R, p, { compact: true }); // → 'x^2-y'
 * ```
 */
export interface PolyTextOptions {
  /**
   * No spaces around the + and − between terms (`x^2-y`), as inside rational functions; the default spaces them
   * (`x^2 - y`), which reads better for long operators.
   */
  compact?: boolean;
}

/**
 * Text in the parser's syntax: `*`, `^`, `/` inside rational coefficients, e.g. `3/4*x^2*y - x + 2`
 * (`3/4*x^2*y-x+2` when compact). Zero prints as `0`. A coefficient that does not print as one factor (a sum)
 * gets parentheses.
 *
 * @example
 * ```ts
 * import { PolyRing, QQ, Rational, polyToText } from '@holonomic-ntk/weyl-algebra';
 * const R = new PolyRing(QQ, ['x', 'y']);
 * const p = R.fromTerms([[2, 1], [1, 0], [0, 0]], [Rational.of(3, 4), Rational.of(-1), Rational.of(2)]);
 * polyToText(R.vars, R.domain, p); // → '3/4*x^2*y - x + 2'
 * polyToText(R.vars, R.domain, p, { compact: true }); // → '3/4*x^2*y-x+2'
 * ```
 */
export function polyToText<T>(vars: readonly string[], domain: Domain<T>, poly: Poly<T>, options: PolyTextOptions = {}): string {
  const compact = options.compact ?? false;
  return render(poly, domain, {
    monomial: (m) => monomialText(vars, m),
    coeff: (c) => domain.toString(c),
    group: (s) => `(${s})`,
    times: '*',
    plus: compact ? '+' : ' + ',
    minus: compact ? '-' : ' - ',
  });
}

/**
 * LaTeX: factors separated by spaces, `x^{2}`, names with a numeric tail subscripted (`x11` → `x_{11}`) and a name
 * `d<v>` for a variable `<v>` of the same list written `\partial_{v}`, e.g. `\frac{3}{4} x_{1}^{2} \partial_{x_{1}} - 1`.
 * Names that are already LaTeX (`x_{1}`, `\partial_{x}`) pass through unchanged.
 *
 * @example
 * ```ts
 * import { Poly, QQ, Rational, polyToLatex } from '@holonomic-ntk/weyl-algebra';
 * polyToLatex(['x11', 'dx11'], QQ, new Poly([[1, 2]], [Rational.of(-3, 4)])); // → '-\\frac{3}{4} x_{11} \\partial_{x_{11}}^{2}'
 * ```
 */
export function polyToLatex<T>(vars: readonly string[], domain: Domain<T>, poly: Poly<T>): string {
  const names = vars.map((v) => variableToLatex(v, vars));
  return render(poly, domain, {
    monomial: (m) => monomialLatex(names, m),
    coeff: (c) => domain.toLatex(c),
    group: (s) => `\\left(${s}\\right)`,
    times: ' ',
    plus: ' + ',
    minus: ' - ',
  });
}

/**
 * LaTeX of one variable name: `x11` → `x_{11}`, `y_1` → `y_{1}`, `dx11` → `\partial_{x_{11}}` when `x11` is in
 * `vars`, anything else unchanged.
 *
 * @example
 * ```ts
 * import { variableToLatex } from '@holonomic-ntk/weyl-algebra';
 * variableToLatex('dx12', ['x12', 'dx12']); // → '\\partial_{x_{12}}'
 * variableToLatex('y_1'); // → 'y_{1}'
 * ```
 */
export function variableToLatex(name: string, vars: readonly string[] = []): string {
  if (name.length > 1 && name[0] === 'd' && vars.includes(name.slice(1))) {
    return `\\partial_{${variableToLatex(name.slice(1), vars)}}`;
  }
  const m = /^([A-Za-z]+)_?([0-9]+)$/.exec(name);
  return m ? `${m[1]}_{${m[2]}}` : name;
}

interface Style<T> {
  /** Text of a monomial, '' for 1. */
  monomial(m: Monomial): string;
  coeff(c: T): string;
  group(s: string): string;
  times: string;
  plus: string;
  minus: string;
}

function render<T>(poly: Poly<T>, domain: Domain<T>, style: Style<T>): string {
  if (poly.monos.length === 0) return '0';
  let out = '';
  for (let i = 0; i < poly.monos.length; i++) {
    const c = poly.coeffs[i]!;
    const mono = style.monomial(poly.monos[i]!);
    if (i === 0 && mono === '') {
      out += style.coeff(c);
      continue;
    }
    // A negative coefficient is written as "−|c|" so that terms read "x-1", not "x+-1".
    const negative = domain.isNegative(c);
    const abs = negative ? domain.neg(c) : c;
    let body: string;
    if (mono === '') {
      // Alone, a sum needs parentheses only after a minus sign: a + (x+1) = a+x+1, but a − (x−1) ≠ a−x−1.
      body = negative && !domain.isAtomic(abs) ? style.group(style.coeff(abs)) : style.coeff(abs);
    } else if (domain.isOne(abs)) {
      body = mono;
    } else {
      const ct = style.coeff(abs);
      body = (domain.isAtomic(abs) ? ct : style.group(ct)) + style.times + mono;
    }
    if (i === 0) out += negative ? style.minus.trim() + body : body;
    else out += (negative ? style.minus : style.plus) + body;
  }
  return out;
}

function monomialText(vars: readonly string[], m: Monomial): string {
  const parts: string[] = [];
  for (let i = 0; i < m.length; i++) {
    const e = m[i]!;
    if (e === 0) continue;
    parts.push(e === 1 ? vars[i]! : `${vars[i]}^${e}`);
  }
  return parts.join('*');
}

function monomialLatex(names: readonly string[], m: Monomial): string {
  const parts: string[] = [];
  for (let i = 0; i < m.length; i++) {
    const e = m[i]!;
    if (e === 0) continue;
    parts.push(e === 1 ? names[i]! : `${names[i]}^{${e}}`);
  }
  return parts.join(' ');
}
