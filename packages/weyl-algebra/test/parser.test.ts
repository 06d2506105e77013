import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PolyRing, QQ, Rational, RationalFunctionField, WeylAlgebra, ZZ } from '../src/index.ts';
import {
  MAX_EXPONENT,
  evaluate,
  operatorTarget,
  parseExpression,
  parseList,
  parseOperator,
  parseOperators,
  parsePolynomial,
  parsePolynomials,
  parseRational,
  parseRationalFunction,
  type Expr,
} from '../src/parser.ts';
import type { QPoly, QWeyl } from './arbitraries.ts';
import { parseErrorOf } from '../../../test/support/parseErrors.ts';

const R = new PolyRing(QQ, ['x', 'y']);
const D = new WeylAlgebra(QQ, ['x', 'y']);
const Dh = new WeylAlgebra(QQ, ['x', 'y'], { homogenizer: 'h' });

function q(n: number, d = 1): Rational {
  return Rational.of(n, d);
}

describe('parseOperator: Weyl products read left to right', () => {
  const x = D.gen('x');
  const dx = D.gen('dx');

  it('dx*x = x*dx + 1', () => {
    const p = parseOperator(D, 'dx*x');
    expect(D.eq(p, D.add(D.mul(x, dx), D.one))).toBe(true);
    expect(D.eq(p, parseOperator(D, 'x*dx+1'))).toBe(true);
  });

  it('x*dx is not dx*x', () => {
    expect(D.eq(parseOperator(D, 'x*dx'), parseOperator(D, 'dx*x'))).toBe(false);
  });

  it('in D^(h): dx*x = x*dx + h^2', () => {
    const p = parseOperator(Dh, 'dx*x');
    const expected = Dh.add(Dh.mul(Dh.gen('x'), Dh.gen('dx')), Dh.pow(Dh.gen('h'), 2));
    expect(Dh.eq(p, expected)).toBe(true);
    expect(Dh.eq(p, parseOperator(Dh, 'x*dx + h^2'))).toBe(true);
  });

  it('the ReLU transfer example of MATH.md §5', () => {
    const E = new WeylAlgebra(QQ, ['y1', 'y2', 'x11', 'x12', 'x22']);
    const p = parseOperator(E, 'dy1*(-y1-2*(x11*dy1+x12*dy2))-1');
    const g = (s: string) => E.gen(s);
    // −(2x11∂y1² + 2x12∂y1∂y2 + y1∂y1 + 2), built from the ring API
    const expected = E.neg(
      E.add(
        E.add(E.scale(E.mul(g('x11'), E.pow(g('dy1'), 2)), q(2)), E.scale(E.mul(E.mul(g('x12'), g('dy1')), g('dy2')), q(2))),
        E.add(E.mul(g('y1'), g('dy1')), E.fromInt(2)),
      ),
    );
    expect(E.eq(p, expected)).toBe(true);
    expect(E.eq(p, parseOperator(E, '-(2*x11*dy1^2 + 2*x12*dy1*dy2 + y1*dy1 + 2)'))).toBe(true);
  });

  it('pairs with custom ∂-names', () => {
    const U = new WeylAlgebra(QQ, [{ x: 'u', d: 'Du' }]);
    expect(U.eq(parseOperator(U, 'Du*u'), parseOperator(U, 'u*Du + 1'))).toBe(true);
  });

  it('division by a nonzero constant', () => {
    expect(D.eq(parseOperator(D, 'dx*x/2'), D.scale(parseOperator(D, 'x*dx+1'), q(1, 2)))).toBe(true);
    expect(D.eq(parseOperator(D, 'x/(3-1)'), D.scale(x, q(1, 2)))).toBe(true);
  });
});

describe('numbers, signs, powers', () => {
  it('rational coefficients: 3/4*x', () => {
    expect(R.eq(parsePolynomial(R, '3/4*x'), R.scale(R.gen('x'), q(3, 4)))).toBe(true);
    expect(R.eq(parsePolynomial(R, 'x*3/4'), R.scale(R.gen('x'), q(3, 4)))).toBe(true);
  });

  it('^ binds tighter than unary minus: -x^2 = -(x^2)', () => {
    const x2 = R.pow(R.gen('x'), 2);
    expect(R.eq(parsePolynomial(R, '-x^2'), R.neg(x2))).toBe(true);
    expect(R.eq(parsePolynomial(R, '(-x)^2'), x2)).toBe(true);
    expect(R.eq(parsePolynomial(R, '2*-x'), R.scale(R.gen('x'), q(-2)))).toBe(true);
    expect(R.eq(parsePolynomial(R, '--x'), R.gen('x'))).toBe(true);
    expect(R.eq(parsePolynomial(R, '+x'), R.gen('x'))).toBe(true);
  });

  it('^ is right-associative; parenthesised exponents', () => {
    expect(R.eq(parsePolynomial(R, 'x^2^3'), R.pow(R.gen('x'), 8))).toBe(true);
    expect(R.eq(parsePolynomial(R, 'x^(2)'), R.pow(R.gen('x'), 2))).toBe(true);
    expect(R.eq(parsePolynomial(R, 'x^(1+1)'), R.pow(R.gen('x'), 2))).toBe(true);
    expect(R.eq(parsePolynomial(R, 'x^0'), R.one)).toBe(true);
    expect(parseRational('2^3^2').toString()).toBe('512');
  });

  it('a - b - c is (a - b) - c; a / b / c is (a / b) / c', () => {
    expect(parseRational('1 - 2 - 3').toString()).toBe('-4');
    expect(parseRational('8/2/2').toString()).toBe('2');
    expect(parseRational('1/2*4').toString()).toBe('2');
  });

  it('parseRational', () => {
    expect(parseRational('-7/2').eq(q(-7, 2))).toBe(true);
    expect(parseRational('3/4 - 1').toString()).toBe('-1/4');
    expect(parseRational('(1/2)^3').toString()).toBe('1/8');
    expect(parseRational('2^-10').toString()).toBe('1/1024');
    expect(parseRational('  12345678901234567890123  ').toString()).toBe('12345678901234567890123');
  });

  it('negative exponents of nonzero constants are divisions in a ring', () => {
    expect(R.eq(parsePolynomial(R, 'x*2^-1'), R.scale(R.gen('x'), q(1, 2)))).toBe(true);
  });

  it('over ZZ: exact divisions by constants only', () => {
    const Z = new PolyRing(ZZ, ['x']);
    expect(Z.eq(parsePolynomial(Z, '4*x/2'), Z.scale(Z.gen('x'), 2n))).toBe(true);
    parseErrorOf(() => parsePolynomial(Z, 'x/2'), 2, /cannot divide by 2 in ZZ .*; expected a constant dividing every coefficient/);
  });
});

describe('rational functions and Q(params) coefficients', () => {
  const F = new RationalFunctionField(['a', 'b']);
  const a = F.gen('a');
  const b = F.gen('b');

  it('parseRationalFunction: division and negative exponents', () => {
    const f = parseRationalFunction(F, '(a^2-1)/(a-1) + b^-1');
    expect(F.eq(f, F.add(F.add(a, F.one), F.inv(b)))).toBe(true);
    expect(F.eq(parseRationalFunction(F, '(a/b)^-2'), F.div(F.mul(b, b), F.mul(a, a)))).toBe(true);
    expect(F.eq(parseRationalFunction(F, '3/4'), F.fromRational(q(3, 4)))).toBe(true);
  });

  it('parseRationalFunction errors', () => {
    parseErrorOf(() => parseRationalFunction(F, 'a/(b-b)'), 2, /division by zero; expected a nonzero divisor/);
    parseErrorOf(() => parseRationalFunction(F, '(a-a)^-1'), 7, /negative exponent -1 .*division by zero/);
    parseErrorOf(() => parseRationalFunction(F, 'a + c'), 5, /unknown variable c; expected one of a, b/);
  });

  it('parameters are constant coefficients of a Weyl algebra over Q(a, b)', () => {
    const W = new WeylAlgebra(F, ['x']);
    const dx = W.gen('dx');
    expect(W.eq(parseOperator(W, 'dx*a'), W.scale(dx, a))).toBe(true);
    expect(W.eq(parseOperator(W, 'dx/(a+1)'), W.scale(dx, F.inv(F.add(a, F.one))))).toBe(true);
    expect(W.eq(parseOperator(W, 'a^-1*x'), W.scale(W.gen('x'), F.inv(a)))).toBe(true);
    expect(W.eq(parseOperator(W, '(a+1)/b*dx'), W.scale(dx, F.div(F.add(a, F.one), b)))).toBe(true);
  });

  it('Weyl over Q(a, b): errors', () => {
    const W = new WeylAlgebra(F, ['x']);
    parseErrorOf(() => parseOperator(W, 'dx/(a-a)'), 3, /division by zero/);
    parseErrorOf(() => parseOperator(W, 'dx/(a+x)'), 3, /division by a non-constant operator; expected a nonzero constant divisor/);
    parseErrorOf(() => parseOperator(W, 'x*da'), 3, /da has no pair: a is a parameter of the coefficient field, not a variable of the ring/);
    parseErrorOf(() => parseOperator(W, 'c*x'), 1, /unknown variable c; expected one of x, dx or a parameter a, b/);
  });

  it('a polynomial ring over Q(a) takes parameters too', () => {
    const R = new PolyRing(F, ['x']);
    expect(R.eq(parsePolynomial(R, 'x/a'), R.scale(R.gen('x'), F.inv(a)))).toBe(true);
  });
});

describe('lists', () => {
  it('separated by ; and ,', () => {
    const a = parseOperators(D, 'x*dx - 1; y*dy - 1');
    const b = parseOperators(D, 'x*dx - 1, y*dy - 1');
    expect(a).toHaveLength(2);
    expect(a.every((p, i) => D.eq(p, b[i]!))).toBe(true);
    expect(D.eq(a[1]!, D.sub(D.mul(D.gen('y'), D.gen('dy')), D.one))).toBe(true);
  });

  it('mixed separators, whitespace, newlines, one trailing separator', () => {
    const ps = parsePolynomials(R, ' x ;\n y , x*y ;');
    expect(ps.map((p) => R.eq(p, R.gen('x')))).toEqual([true, false, false]);
    expect(ps).toHaveLength(3);
  });

  it('errors in a list report the column in the whole text', () => {
    parseErrorOf(() => parsePolynomials(R, 'x; y; z'), 7, /unknown variable z/);
    parseErrorOf(() => parseList('x;;y'), 3, /expected an operand.*found ';'/);
  });

  it('a list where one expression is expected is an error', () => {
    parseErrorOf(() => parseOperator(D, 'x;y'), 2, /expected a single expression/);
  });
});

describe('ParseError columns', () => {
  it('unknown variable: x*z in ring x,y → column 3', () => {
    const e = parseErrorOf(() => parsePolynomial(R, 'x*z'), 3, /^unknown variable z; expected one of x, y at column 3/);
    expect(e.input).toBe('x*z');
    expect(e.expected).toBe('one of x, y');
    parseErrorOf(() => parsePolynomial(R, 'x  *  zz'), 7, /unknown variable zz/);
    parseErrorOf(() => parseOperator(D, 'x*z'), 3, /unknown variable z/);
  });

  it('dangling operator: x+ → column 3 (end of input), *x → column 1', () => {
    parseErrorOf(() => parsePolynomial(R, 'x+'), 3, /expected an operand .*after '\+'.*end of the input/);
    parseErrorOf(() => parsePolynomial(R, '*x'), 1, /expected an operand .*found '\*'/);
    parseErrorOf(() => parsePolynomial(R, 'x*/y'), 3, /expected an operand .*after '\*', found '\/'/);
    parseErrorOf(() => parsePolynomial(R, 'x^'), 3, /expected an exponent/);
    parseErrorOf(() => parsePolynomial(R, 'x-'), 3, /expected an operand/);
    parseErrorOf(() => parsePolynomial(R, 'x +  '), 6, /expected an operand/); // end = length + 1
  });

  it('missing ")": reported at the end of the input, naming the "(" column', () => {
    const e = parseErrorOf(() => parsePolynomial(R, '(x+1'), 5, /missing "\)" to close the "\(" of column 1/);
    expect(e.expected).toBe('")"');
    parseErrorOf(() => parsePolynomial(R, 'x*((y+1)'), 9, /missing "\)" to close the "\(" of column 3/);
    parseErrorOf(() => parsePolynomials(R, '(x; y)'), 3, /expected "\)" to close the "\(" of column 1, found ';'/);
  });

  it('unexpected ")": at its column', () => {
    parseErrorOf(() => parsePolynomial(R, 'x+1)'), 4, /unexpected "\)" without a matching "\("/);
    parseErrorOf(() => parsePolynomial(R, ')'), 1, /expected an operand.*found '\)'/);
    parseErrorOf(() => parsePolynomial(R, 'x+)'), 3, /expected an operand.*found '\)'/);
    parseErrorOf(() => parsePolynomial(R, '()'), 2, /empty parentheses/);
  });

  it('a ∂ without its pair: dz in the ring with x, y', () => {
    parseErrorOf(() => parseOperator(D, 'dx + dz'), 6, /^dz has no pair: z is not a variable of the ring; expected one of x, y, dx, dy at column 6/);
    parseErrorOf(() => parseOperator(D, 'h*dx'), 1, /unknown variable h \(this Weyl algebra is not homogenized\)/);
  });

  it('bad characters', () => {
    parseErrorOf(() => parsePolynomial(R, 'x$y'), 2, /unexpected character '\$': expected a number, a variable/);
    parseErrorOf(() => parseOperator(D, '∂x*x'), 1, /unexpected character '∂' \(write ∂x as dx\)/);
    parseErrorOf(() => parsePolynomial(R, 'x = y'), 3, /unexpected character '='/);
    parseErrorOf(() => parsePolynomial(R, '[x]'), 1, /only round parentheses/);
  });

  it('empty input', () => {
    parseErrorOf(() => parsePolynomial(R, ''), 1, /empty input: expected an expression/);
    parseErrorOf(() => parseOperators(D, '   '), 1, /empty input/);
    parseErrorOf(() => parseRational(''), 1, /empty input/);
  });

  it('non-integer, non-constant, negative and huge exponents: at the exponent', () => {
    parseErrorOf(() => parsePolynomial(R, 'x^(1/2)'), 3, /non-integer exponent 1\/2; expected an integer exponent/);
    parseErrorOf(() => parsePolynomial(R, 'x^1.5'), 3, /non-integer exponent 1\.5/);
    parseErrorOf(() => parsePolynomial(R, 'x^y'), 3, /the variable y in an exponent; expected an integer constant exponent/);
    parseErrorOf(() => parsePolynomial(R, 'x^2^-1'), 3, /non-integer exponent 1\/2/);
    const neg = parseErrorOf(
      () => parsePolynomial(R, 'y + x^-1'),
      7,
      /negative exponent -1 needs the inverse of the base, which fails here: division by a non-constant polynomial/,
    );
    expect(neg.message).toMatch(/expected a nonnegative integer exponent/);
    parseErrorOf(() => parseOperator(D, 'dx^(-2)'), 4, /negative exponent -2/);
    parseErrorOf(() => parsePolynomial(R, '0^-1'), 3, /negative exponent -1 needs the inverse .*division by zero/);
    parseErrorOf(() => parsePolynomial(R, `x^${MAX_EXPONENT + 1}`), 3, /too large/);
    parseErrorOf(() => parsePolynomial(R, 'x^(10^10^10)'), 7, /too large/);
  });

  it('division by zero and by non-constants: at the "/"', () => {
    parseErrorOf(() => parsePolynomial(R, 'x/0'), 2, /division by zero/);
    parseErrorOf(() => parseOperator(D, 'dx/(1-1)'), 3, /division by zero/);
    parseErrorOf(() => parseRational('1/(2-2)'), 2, /division by zero/);
    parseErrorOf(() => parsePolynomial(R, 'x/y'), 2, /division by a non-constant polynomial; expected a nonzero constant divisor/);
    parseErrorOf(() => parseOperator(D, '1 + x/dx'), 6, /division by a non-constant operator/);
  });

  it('juxtaposition is not multiplication', () => {
    parseErrorOf(() => parsePolynomial(R, '2x'), 2, /expected an operator before 'x': products need an explicit \*/);
    parseErrorOf(() => parsePolynomial(R, 'x y'), 3, /expected an operator before 'y'/);
    parseErrorOf(() => parsePolynomial(R, 'x(y+1)'), 2, /expected an operator before '\('/);
    parseErrorOf(() => parsePolynomial(R, '(x)(y)'), 4, /expected an operator/);
    parseErrorOf(() => parsePolynomial(R, '(x y)'), 4, /expected an operator before 'y'/);
    parseErrorOf(() => parseRational('2 3'), 3, /expected an operator/);
  });

  it('hints for habits from other systems', () => {
    parseErrorOf(() => parsePolynomial(R, 'x**2'), 3, /after '\*', found '\*' \(write powers with \^/);
    parseErrorOf(() => parsePolynomial(R, 'x²'), 2, /write powers with \^/);
    parseErrorOf(() => parsePolynomial(R, 'x·y'), 2, /write products with \*/);
    parseErrorOf(() => parsePolynomial(R, 'x*('), 4, /expected an operand .*after '\(', found the end/);
  });

  it('powers too large to compute are refused quickly', () => {
    parseErrorOf(() => parseRational('(2^1000000)^1000000'), 12, /too large/);
    parseErrorOf(() => parsePolynomial(R, 'x^(2^65)'), 5, /too large/);
  });

  it('decimals are rejected with the exact fraction to write instead', () => {
    parseErrorOf(() => parsePolynomial(R, 'x + 1.25'), 5, /decimal number 1\.25 is not supported; expected an integer or a fraction \(write 5\/4\)/);
  });

  it('identifiers in parseRational', () => {
    parseErrorOf(() => parseRational('1/2 + a'), 7, /unknown variable a \(a rational number has no variables\); expected a number/);
  });

  it('the message carries a caret under the column', () => {
    const e = parseErrorOf(() => parsePolynomial(R, 'x*z'), 3, /unknown variable z/);
    expect(e.message).toContain('\n  x*z\n    ^');
  });

  it('deep nesting fails with a ParseError, not a stack overflow', () => {
    const deep = '('.repeat(100_000) + 'x' + ')'.repeat(100_000);
    parseErrorOf(() => parsePolynomial(R, deep), 501, /nested more than 500 levels/);
    const fine = '('.repeat(400) + 'x' + ')'.repeat(400);
    expect(R.eq(parsePolynomial(R, fine), R.gen('x'))).toBe(true);
  });

  it('long sums do not recurse per term', () => {
    const text = Array.from({ length: 50_000 }, () => 'x').join('+');
    expect(R.eq(parsePolynomial(R, text), R.scale(R.gen('x'), q(50_000)))).toBe(true);
  });
});

describe('the AST and evaluate', () => {
  it('columns of nodes', () => {
    const ast = parseExpression(' x + 2*y^3');
    expect(ast.kind).toBe('sum');
    if (ast.kind !== 'sum') return;
    expect(ast.column).toBe(2);
    expect(ast.rest[0]!.column).toBe(4);
    const term = ast.rest[0]!.operand;
    expect(term.kind).toBe('product');
    if (term.kind !== 'product') return;
    const pw = term.rest[0]!.operand;
    expect(pw).toMatchObject({ kind: 'power', column: 9, exponentColumn: 10 });
  });

  it('evaluate with a custom target (string building shows the evaluation order)', () => {
    const target = {
      fromRational: (r: Rational) => r.toString(),
      variable: (name: string) => name,
      add: (a: string, b: string) => `(${a}+${b})`,
      sub: (a: string, b: string) => `(${a}-${b})`,
      neg: (a: string) => `(-${a})`,
      mul: (a: string, b: string) => `(${a}*${b})`,
      pow: (a: string, k: number) => `(${a}^${k})`,
      div: (a: string, b: string) => `(${a}/${b})`,
    };
    expect(evaluate(parseExpression('a*b*c - d/e/f + -g^2'), target)).toBe('((((a*b)*c)-((d/e)/f))+(-(g^2)))');
    expect(evaluate(parseExpression('a^-2'), target)).toBe('(1/(a^2))');
  });

  it('evaluate reports target errors with the source text', () => {
    const e = parseErrorOf(() => evaluate(parseExpression('dx*q'), operatorTarget(D)), 4, /unknown variable q/);
    expect(e.input).toBe('dx*q');
  });
});

/** Random expression trees, evaluated directly with the ring API and through text: the parser must agree. */
describe('property: text of a random expression tree evaluates like the tree', () => {
  type Tree =
    | { t: 'var'; name: string }
    | { t: 'num'; n: number; d: number }
    | { t: 'neg'; a: Tree }
    | { t: 'bin'; op: '+' | '-' | '*'; a: Tree; b: Tree }
    | { t: 'pow'; a: Tree; k: number };

  function trees(names: readonly string[]) {
    const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.constantFrom(...names).map((name): Tree => ({ t: 'var', name })),
        fc.record({ t: fc.constant('num' as const), n: fc.integer({ min: -9, max: 9 }), d: fc.integer({ min: 1, max: 5 }) }),
        fc.record({ t: fc.constant('neg' as const), a: tie('tree') }),
        fc.record({ t: fc.constant('bin' as const), op: fc.constantFrom('+' as const, '-' as const, '*' as const), a: tie('tree'), b: tie('tree') }),
        fc.record({ t: fc.constant('pow' as const), a: tie('tree'), k: fc.integer({ min: 0, max: 2 }) }),
      ),
    }));
    return tree;
  }

  /**
   * Minimal parentheses by precedence (sum 0 < product 2 < unary minus 3 < power 4 < atom 5), so the test exercises
   * the precedence and associativity rules; `ctx` is the least level that needs no parentheses at that place.
   */
  function show(tr: Tree, ctx: number): string {
    const wrap = (s: string, level: number) => (level < ctx ? `(${s})` : s);
    switch (tr.t) {
      case 'var':
        return tr.name;
      case 'num':
        if (tr.d !== 1) return wrap(`${tr.n}/${tr.d}`, 2);
        return wrap(String(tr.n), tr.n < 0 ? 3 : 5);
      case 'neg':
        return wrap(`-${show(tr.a, 3)}`, 3);
      case 'bin':
        if (tr.op === '*') return wrap(`${show(tr.a, 2)}*${show(tr.b, 3)}`, 2);
        return wrap(`${show(tr.a, 0)} ${tr.op} ${show(tr.b, 1)}`, 0);
      case 'pow':
        return wrap(`${show(tr.a, 5)}^${tr.k}`, 4);
    }
  }

  function direct(W: QWeyl, tr: Tree): QPoly {
    switch (tr.t) {
      case 'var':
        return W.gen(tr.name);
      case 'num':
        return W.constant(Rational.of(tr.n, tr.d));
      case 'neg':
        return W.neg(direct(W, tr.a));
      case 'bin': {
        const a = direct(W, tr.a);
        const b = direct(W, tr.b);
        return tr.op === '+' ? W.add(a, b) : tr.op === '-' ? W.sub(a, b) : W.mul(a, b);
      }
      case 'pow':
        return W.pow(direct(W, tr.a), tr.k);
    }
  }

  it.each([
    ['D', D],
    ['D^(h)', Dh],
  ] as const)('in %s', (_n, W) => {
    fc.assert(
      fc.property(trees(W.vars), (tr) => {
        const text = show(tr, 0);
        return W.eq(parseOperator(W, text), direct(W, tr));
      }),
      { numRuns: 500 },
    );
  });
});

// Exercise the exported type so a change to the AST shape is a compile error here.
const _typed: Expr = { kind: 'integer', value: 1n, column: 1 };
void _typed;
