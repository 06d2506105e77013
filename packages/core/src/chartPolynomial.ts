/**
 * The text of one polynomial of an artifact's stored covariance chart (`systems[n].covarianceChart`, ARTIFACT.md):
 * a sum of terms coef·a^i·b^j·c^k·D^l with integer coefficients, c at most linear (c² = ab − Δ is already
 * substituted), D standing for Δ = ab − c². One canonical spelling, so the compiler's output is deterministic and a
 * parsed chart has one term order: no spaces, terms in increasing order of (l, k, j, i) (Δ's exponent first), a
 * coefficient 1 written as the monomial alone, a factor with exponent 1 without `^`, for example
 * `-2*a*b+c-3*D+4*a*c*D^2`. The compiler writes it (`chartPolynomialToText`), the validator and the runtime read it
 * (`parseChartPolynomial`).
 */
import { isDigit } from './characters.ts';
import { ParseError } from './errors.ts';

/**
 * Variables of the covariance chart, in the order of a term's factors: the variances a, b, the covariance c and
 * D = Δ = ab − c².
 *
 * @example
 * ```ts
 * import { CHART_VARIABLES } from '@holonomic-ntk/core';
 * CHART_VARIABLES; // → ['a', 'b', 'c', 'D']
 * ```
 */
export const CHART_VARIABLES = ['a', 'b', 'c', 'D'] as const;

/** One term coef·a^a·b^b·c^c·D^d of a chart polynomial (coef ≠ 0, c ∈ {0, 1}, exponents ≤ 255). */
export interface ChartTerm {
  coef: bigint;
  a: number;
  b: number;
  c: number;
  d: number;
}

/** Exponents above this do not fit the runtime's byte-sized exponent arrays. */
const MAX_EXPONENT = 255;

/** Sort key of a term: lexicographic in (d, c, b, a), the canonical order. */
const termKey = (t: ChartTerm): number => ((t.d * 256 + t.c) * 256 + t.b) * 256 + t.a;

/**
 * Parses the canonical text of a chart polynomial into its terms, in text order (which is the canonical order).
 * Throws `ParseError` (with the column) for anything else: another spelling, a zero polynomial or coefficient,
 * c², terms out of order or repeated, an exponent above 255.
 *
 * @example
 * ```ts
 * import { parseChartPolynomial } from '@holonomic-ntk/core';
 * parseChartPolynomial('-2*a*b+c*D^3'); // → [{ coef: -2n, a: 1, b: 1, c: 0, d: 0 }, { coef: 1n, a: 0, b: 0, c: 1, d: 3 }]
 * parseChartPolynomial('c^2'); // throws ParseError
 * parseChartPolynomial('D+a'); // throws ParseError
 * ```
 */
export function parseChartPolynomial(text: string): ChartTerm[] {
  const terms: ChartTerm[] = [];
  const n = text.length;
  let pos = 0;
  const fail = (message: string, at = pos): never => {
    throw new ParseError(message, at + 1, text);
  };
  const integer = (): string => {
    const start = pos;
    while (pos < n && isDigit(text[pos]!)) pos++;
    if (pos === start) fail('expected an integer');
    if (text[start] === '0') fail('expected a positive integer without leading zeros', start);
    return text.slice(start, pos);
  };
  if (n === 0) fail('empty polynomial (a zero entry is left out of the chart)');
  let previous = -1;
  while (pos < n) {
    const start = pos;
    let negative = false;
    if (text[pos] === '-') {
      negative = true;
      pos++;
    } else if (terms.length > 0) {
      if (text[pos] !== '+') fail("expected '+' or '-' between terms");
      pos++;
    }
    const term: ChartTerm = { coef: 1n, a: 0, b: 0, c: 0, d: 0 };
    let needFactor = true;
    if (pos < n && isDigit(text[pos]!)) {
      const at = pos;
      const digits = integer();
      term.coef = BigInt(digits);
      if (pos < n && text[pos] === '*') {
        if (digits === '1') fail('a coefficient 1 is left out (write the monomial alone)', at);
        pos++;
      } else needFactor = false;
    }
    let lastVariable = -1;
    while (needFactor) {
      const v = CHART_VARIABLES.indexOf(text[pos] as (typeof CHART_VARIABLES)[number]);
      if (v < 0) fail(`expected one of ${CHART_VARIABLES.join(', ')}`);
      if (v <= lastVariable) fail(`factors must come in the order ${CHART_VARIABLES.join(', ')}, each once`);
      lastVariable = v;
      pos++;
      let e = 1;
      if (text[pos] === '^') {
        pos++;
        const at = pos;
        e = Number(integer());
        if (e < 2) fail('an exponent 1 is left out', at);
        if (e > MAX_EXPONENT) fail(`exponent above ${MAX_EXPONENT}`, at);
        if (v === 2) fail('c appears at most linearly (c² is written as ab − D)', at);
      }
      if (v === 0) term.a = e;
      else if (v === 1) term.b = e;
      else if (v === 2) term.c = e;
      else term.d = e;
      needFactor = text[pos] === '*';
      if (needFactor) pos++;
    }
    if (negative) term.coef = -term.coef;
    const key = termKey(term);
    if (key <= previous) fail('terms must be in increasing order of the exponents of (D, c, b, a), each monomial once', start);
    previous = key;
    terms.push(term);
  }
  return terms;
}

/**
 * The canonical text of a non-zero polynomial given by its terms (any order; zero coefficients are dropped, a
 * repeated monomial is an error). `parseChartPolynomial` reads it back to the same terms in canonical order.
 *
 * @example
 * ```ts
 * import { chartPolynomialToText } from '@holonomic-ntk/core';
 * chartPolynomialToText([{ coef: 1n, a: 0, b: 0, c: 1, d: 3 }, { coef: -2n, a: 1, b: 1, c: 0, d: 0 }]); // → '-2*a*b+c*D^3'
 * chartPolynomialToText([{ coef: 1n, a: 0, b: 0, c: 0, d: 0 }]); // → '1'
 * ```
 */
export function chartPolynomialToText(terms: readonly ChartTerm[]): string {
  const sorted = terms.filter((t) => t.coef !== 0n).sort((x, y) => termKey(x) - termKey(y));
  if (sorted.length === 0) throw new RangeError('the zero polynomial has no chart text (a zero entry is left out)');
  let out = '';
  sorted.forEach((t, k) => {
    for (const [name, e] of [
      ['a', t.a],
      ['b', t.b],
      ['c', t.c],
      ['D', t.d],
    ] as const) {
      if (!(Number.isInteger(e) && e >= 0 && e <= MAX_EXPONENT) || (name === 'c' && e > 1)) {
        throw new RangeError(`exponent ${e} of ${name} outside the chart's range`);
      }
    }
    if (k > 0 && termKey(sorted[k - 1]!) === termKey(t)) throw new RangeError('a monomial appears twice');
    const factors = (['a', 'b', 'c', 'D'] as const).flatMap((v, i) => {
      const e = [t.a, t.b, t.c, t.d][i]!;
      return e === 0 ? [] : [e === 1 ? v : `${v}^${e}`];
    });
    const magnitude = t.coef < 0n ? -t.coef : t.coef;
    const body = factors.length === 0 ? `${magnitude}` : magnitude === 1n ? factors.join('*') : `${magnitude}*${factors.join('*')}`;
    out += t.coef < 0n ? `-${body}` : k === 0 ? body : `+${body}`;
  });
  return out;
}
