/**
 * Numeric activation formulas: σ and its almost-everywhere derivative σ̇ evaluated in float64 from formula text
 * alone, without the algebra packages (the runtime and ntk use this; `hgm derive` uses restriction's parser).
 *
 * Grammar. The derive grammar of restriction's `parseFormula` (the variable u, integers and fractions, `+ - * / ^`,
 * unary signs, parentheses, calls exp sin cos erf Phi heaviside of polynomial arguments, `diff(f)` = the a.e.
 * derivative, `/` by nonzero constants, `^` by natural numbers ≤ 32 on formulas with calls), read by the project's
 * one expression parser (`parseExpressionWithCalls`, expressionParser.ts: the same tokens, precedence, `-u^2` =
 * −(u²), `^` right-associative, and ParseError columns as restriction's and weyl-algebra's), with calls;
 * PLUS, for numeric use only (they make `holonomic` false, with a reason): tanh, sigmoid 1/(1+e^{−x}), softplus
 * log(1+e^x), silu x·sigmoid(x), log, sqrt, abs, max(a, b), min(a, b); functions of functions (exp(sin(u)));
 * division by non-constants; `^` with a negative or non-integer constant exponent on a non-constant base.
 * Exponents must not mention u; decimals (1.5) are refused as in the derive grammar (write 3/2).
 *
 * Semantics: heaviside(x) = 1 for x > 0, else 0 (so heaviside(0) = 0, docs/MATH.md §5); diff(heaviside) = 0 (no
 * Dirac deltas), abs′ = sign (sign(0) = 0), max(a, b)′ = a′ where a > b, else b′ (min likewise); Phi is Φ.
 *
 * Implementation. The syntax tree is rebuilt, left to right, into one in which every call-free subtree is folded
 * into an exact polynomial over Q (bigint rationals, as the derive grammar evaluates it, which is also how holonomy is
 * decided: a division by `u - u + 2` is a division by the constant 2). σ̇ is the symbolic derivative of that tree
 * (product, quotient and chain rules; smart constructors drop zeros and ones), and both trees are compiled once to
 * closures. Kinks are the real roots of the arguments of heaviside, abs/sign and max/min (of a − b), and the
 * branch points of sqrt, log and non-integer powers: exact for polynomial arguments (squarefree part, Sturm
 * sequence over Q, bisection with exact signs at dyadic points, rounded correctly to float64); for any other
 * argument a best effort: sign changes on a grid of step 1/64 over [−50, 50], refined by bisection to adjacent
 * floats (kinks outside [−50, 50], or zeros without a sign change, are missed).
 */
import type { SigmaSpec } from './activations.ts';
import { ParseError } from './errors.ts';
import { ExactRational as Q, bigAbs, bigGcd, bitLength, scaleByPowerOfTwo } from './exactRational.ts';
import { type ArityOf, type CallExpr, type ExprWithCalls, parseExpressionWithCalls } from './expressionParser.ts';
import { erf, expMinusSquare, normalCdf, normalPdf } from './specialFunctions.ts';

/**
 * An activation formula ready for numerics: σ and σ̇ as {@link SigmaSpec}s, its kinks, and whether `hgm derive`
 * can serve it.
 *
 * @example
 * ```ts
 * import { numericFormula, type NumericFormula } from '@holonomic-ntk/core';
 * const leaky: NumericFormula = numericFormula('1/10*u + 9/10*u*heaviside(u)');
 * leaky.sigma.sigma(-2); // ≈ -0.2
 * leaky.dsigma.sigma(-2); // ≈ 0.1
 * leaky.kinks; // → [0]
 * leaky.holonomic; // → true
 * ```
 */
export interface NumericFormula {
  /** The text as given. */
  readonly text: string;
  /**
   * True when the formula is in the derive grammar (polynomials in u with rational coefficients; exp, sin, cos,
   * erf, Phi, heaviside of polynomial arguments; +, −, *, / by constants, ^ natural numbers; diff(...)), i.e. its
   * dual is holonomic and `hgm derive` can serve it.
   */
  readonly holonomic: boolean;
  /** Why not, when not holonomic: one sentence naming the offending function (or operator) and its column. */
  readonly notHolonomicReason?: string;
  /** σ: its values, kinks and (when a heaviside factor makes it vanish on a half-line) support. */
  readonly sigma: SigmaSpec;
  /** σ̇, the a.e. derivative d/du (heaviside′ = 0, abs′ = sign, max/min′ piecewise), with the same kinks. */
  readonly dsigma: SigmaSpec;
  /** Sorted distinct real points where σ or σ̇ is not analytic (see the module comment for how they are found). */
  readonly kinks: readonly number[];
}

/**
 * Parses an activation formula in u and compiles σ and σ̇ for float64 evaluation. Throws ParseError (1-based
 * column) for bad syntax, unknown functions or variables, decimals, u in an exponent, division by zero.
 *
 * @example
 * ```ts
 * import { numericFormula } from '@holonomic-ntk/core';
 * const gelu = numericFormula('u*Phi(u)');
 * gelu.sigma.sigma(1); // ≈ 0.8413447460685429
 * gelu.dsigma.sigma(0); // ≈ 0.5
 * const swish = numericFormula('silu(u)');
 * swish.holonomic; // → false
 * swish.notHolonomicReason; // → 'silu at column 1 is not D-finite: u·sigmoid(u) has poles at iπ(2k+1), which accumulate at infinity'
 * swish.dsigma.sigma(0); // ≈ 0.5
 * numericFormula('heaviside(u^2 - 1)').kinks; // → [-1, 1]
 * numericFormula('u*tanh(u'); // throws ParseError
 * ```
 */
export function numericFormula(text: string): NumericFormula {
  const builder = new Builder(text);
  const sigmaNode = builder.build(parseExpressionWithCalls(text, arityOf(text))).node;
  const dsigmaNode = derivative(sigmaNode);
  const kinks = findKinks([sigmaNode, dsigmaNode]);
  const reason = builder.reason();
  return {
    text,
    holonomic: reason === undefined,
    ...(reason === undefined ? {} : { notHolonomicReason: reason }),
    sigma: spec(sigmaNode, kinks),
    dsigma: spec(dsigmaNode, kinks),
    kinks,
  };
}

function spec(node: Node, kinks: readonly number[]): SigmaSpec {
  const s: SigmaSpec = { sigma: compile(node), kinks };
  const supp = support(node);
  if (supp !== null && (supp[0] > -Infinity || supp[1] < Infinity)) s.support = supp;
  return s;
}

// ---------------------------------------------------------------------------------------------------------------
// Sparse polynomials in u with exact rational coefficients (core's ExactRational)

/** A polynomial in u: terms with nonzero coefficients, exponents increasing. */
interface Term {
  readonly e: number;
  readonly c: Q;
}
type Poly = readonly Term[];

const P_ZERO: Poly = [];
const P_ONE: Poly = [{ e: 0, c: Q.ONE }];
const P_U: Poly = [{ e: 1, c: Q.ONE }];
/** Polynomials with more terms than this are refused (a typo such as (u+1)^100000 would otherwise hang). */
const MAX_POLY_TERMS = 20_000;

function pConst(c: Q): Poly {
  return c.isZero() ? P_ZERO : [{ e: 0, c }];
}

function pDegree(p: Poly): number {
  return p.length === 0 ? -1 : p[p.length - 1]!.e;
}

/** The constant value when p is constant. */
function pConstValue(p: Poly): Q | undefined {
  if (p.length === 0) return Q.ZERO;
  return p.length === 1 && p[0]!.e === 0 ? p[0]!.c : undefined;
}

function pFromMap(m: Map<number, Q>): Poly {
  return [...m.entries()]
    .filter(([, c]) => !c.isZero())
    .sort((a, b) => a[0] - b[0])
    .map(([e, c]) => ({ e, c }));
}

function pAdd(a: Poly, b: Poly): Poly {
  const m = new Map<number, Q>();
  for (const t of [...a, ...b]) m.set(t.e, (m.get(t.e) ?? Q.ZERO).add(t.c));
  return pFromMap(m);
}

function pMul(a: Poly, b: Poly): Poly {
  const m = new Map<number, Q>();
  for (const s of a) for (const t of b) m.set(s.e + t.e, (m.get(s.e + t.e) ?? Q.ZERO).add(s.c.mul(t.c)));
  return pFromMap(m);
}

function pPow(a: Poly, k: number): Poly {
  let result = P_ONE;
  let base = a;
  for (let n = k; n > 0; n >>= 1) {
    if (n & 1) result = pMul(result, base);
    if (n > 1) base = pMul(base, base);
  }
  return result;
}

function pDeriv(a: Poly): Poly {
  return a.filter((t) => t.e > 0).map((t) => ({ e: t.e - 1, c: t.c.mul(Q.of(BigInt(t.e))) }));
}

// ---------------------------------------------------------------------------------------------------------------
// Expression trees, smart constructors and the symbolic derivative

/** Unary functions of the trees: the grammar's plus the derivatives' (erfd = erf′, npdf = Φ′ = φ, sech2 = tanh′, dsigmoid = sigmoid′). */
type Fn =
  | 'exp'
  | 'sin'
  | 'cos'
  | 'erf'
  | 'Phi'
  | 'tanh'
  | 'sigmoid'
  | 'softplus'
  | 'silu'
  | 'log'
  | 'sqrt'
  | 'abs'
  | 'sign'
  | 'erfd'
  | 'npdf'
  | 'sech2'
  | 'dsigmoid';

type Node =
  | { readonly k: 'poly'; readonly p: Poly }
  | { readonly k: 'num'; readonly v: number }
  | { readonly k: 'add'; readonly t: readonly Node[] }
  | { readonly k: 'mul'; readonly t: readonly Node[] }
  | { readonly k: 'div'; readonly a: Node; readonly b: Node }
  | { readonly k: 'pow'; readonly a: Node; readonly e: number }
  | { readonly k: 'fn'; readonly f: Fn; readonly a: Node }
  /** c(u) > 0 ? a(u) : b(u): heaviside, max and min, and their derivatives. */
  | { readonly k: 'pick'; readonly c: Node; readonly a: Node; readonly b: Node };

const ZERO: Node = { k: 'poly', p: P_ZERO };
const ONE: Node = { k: 'poly', p: P_ONE };

function poly(p: Poly): Node {
  return { k: 'poly', p };
}

function rat(q: Q): Node {
  return poly(pConst(q));
}

function isZero(n: Node): boolean {
  return (n.k === 'poly' && n.p.length === 0) || (n.k === 'num' && n.v === 0);
}

/** The value of a node that does not depend on u. */
function constValue(n: Node): number | undefined {
  if (n.k === 'num') return n.v;
  if (n.k === 'poly') return pConstValue(n.p)?.toNumber();
  return undefined;
}

function add(terms: readonly Node[]): Node {
  const flat: Node[] = [];
  let p = P_ZERO;
  let num = 0;
  let hasNum = false;
  const visit = (n: Node): void => {
    if (n.k === 'add') n.t.forEach(visit);
    else if (n.k === 'poly') p = pAdd(p, n.p);
    else if (n.k === 'num') {
      num += n.v;
      hasNum = true;
    } else flat.push(n);
  };
  terms.forEach(visit);
  if (hasNum) {
    const c = pConstValue(p);
    if (c !== undefined) flat.unshift({ k: 'num', v: num + c.toNumber() });
    else {
      if (num !== 0) flat.unshift({ k: 'num', v: num });
      flat.unshift(poly(p));
    }
  } else if (p.length > 0) flat.unshift(poly(p));
  const nonzero = flat.filter((n) => !isZero(n));
  if (nonzero.length === 0) return hasNum ? { k: 'num', v: 0 } : ZERO;
  return nonzero.length === 1 ? nonzero[0]! : { k: 'add', t: nonzero };
}

function mul(factors: readonly Node[]): Node {
  const flat: Node[] = [];
  let p = P_ONE;
  let num = 1;
  let hasNum = false;
  const visit = (n: Node): void => {
    if (n.k === 'mul') n.t.forEach(visit);
    else if (n.k === 'poly') p = pMul(p, n.p);
    else if (n.k === 'num') {
      num *= n.v;
      hasNum = true;
    } else flat.push(n);
  };
  factors.forEach(visit);
  if (p.length === 0) return ZERO;
  const c = pConstValue(p);
  if (hasNum) {
    if (c !== undefined) {
      const v = num * c.toNumber();
      if (v !== 1 || flat.length === 0) flat.unshift({ k: 'num', v });
    } else {
      flat.unshift(poly(p));
      if (num !== 1) flat.unshift({ k: 'num', v: num });
    }
  } else if (c === undefined || !c.isInteger() || c.n !== 1n || flat.length === 0) flat.unshift(poly(p));
  return flat.length === 1 ? flat[0]! : { k: 'mul', t: flat };
}

function neg(a: Node): Node {
  return mul([rat(Q.of(-1n)), a]);
}

function sub(a: Node, b: Node): Node {
  return add([a, neg(b)]);
}

function div(a: Node, b: Node): Node {
  const q = b.k === 'poly' ? pConstValue(b.p) : undefined;
  if (q !== undefined && !q.isZero()) return mul([a, rat(Q.ONE.div(q))]);
  if (b.k === 'num') return mul([a, { k: 'num', v: 1 / b.v }]);
  if (isZero(a)) return a;
  return { k: 'div', a, b };
}

function pow(a: Node, e: number): Node {
  if (e === 0) return ONE;
  if (e === 1) return a;
  if (a.k === 'poly' && Number.isInteger(e) && e > 0 && (a.p.length <= 1 || pDegree(a.p) * e < MAX_POLY_TERMS)) return poly(pPow(a.p, e));
  const c = constValue(a);
  if (c !== undefined) return { k: 'num', v: c ** e };
  return { k: 'pow', a, e };
}

function fn(f: Fn, a: Node): Node {
  const c = constValue(a);
  if (c !== undefined) return { k: 'num', v: FUNCTIONS[f](c) };
  return { k: 'fn', f, a };
}

function pick(c: Node, a: Node, b: Node): Node {
  const v = constValue(c);
  if (v !== undefined) return v > 0 ? a : b;
  if (isZero(a) && isZero(b)) return ZERO;
  return { k: 'pick', c, a, b };
}

/** d/du of a tree: the almost-everywhere derivative (heaviside′ = 0, abs′ = sign). */
function derivative(n: Node): Node {
  switch (n.k) {
    case 'poly':
      return poly(pDeriv(n.p));
    case 'num':
      return ZERO;
    case 'add':
      return add(n.t.map(derivative));
    case 'mul':
      return add(n.t.map((f, i) => mul(n.t.map((g, j) => (i === j ? derivative(f) : g)))));
    case 'div': {
      // (a/b)′ = a′/b − a·b′/b²
      return sub(div(derivative(n.a), n.b), div(mul([n.a, derivative(n.b)]), pow(n.b, 2)));
    }
    case 'pow': {
      const e = Number.isInteger(n.e) ? rat(Q.of(BigInt(n.e))) : ({ k: 'num', v: n.e } as const);
      return mul([e, pow(n.a, n.e - 1), derivative(n.a)]);
    }
    case 'fn':
      return mul([fnDerivative(n.f, n.a), derivative(n.a)]);
    case 'pick':
      return pick(n.c, derivative(n.a), derivative(n.b));
  }
}

/** f′(a) for the chain rule. */
function fnDerivative(f: Fn, a: Node): Node {
  switch (f) {
    case 'exp':
      return fn('exp', a);
    case 'sin':
      return fn('cos', a);
    case 'cos':
      return neg(fn('sin', a));
    case 'erf':
      return fn('erfd', a);
    case 'erfd': // (2/√π e^{−a²})′ = −2a·erfd(a)
      return mul([rat(Q.of(-2n)), a, fn('erfd', a)]);
    case 'Phi':
      return fn('npdf', a);
    case 'npdf': // φ′(a) = −a φ(a)
      return mul([neg(a), fn('npdf', a)]);
    case 'tanh':
      return fn('sech2', a);
    case 'sech2': // (1 − tanh²)′ = −2 tanh·sech²
      return mul([rat(Q.of(-2n)), fn('tanh', a), fn('sech2', a)]);
    case 'sigmoid':
      return fn('dsigmoid', a);
    case 'dsigmoid': // σ″ = σ′(1 − 2σ) = −σ′·tanh(a/2)
      return mul([neg(fn('tanh', mul([rat(Q.of(1n, 2n)), a]))), fn('dsigmoid', a)]);
    case 'softplus':
      return fn('sigmoid', a);
    case 'silu':
      return add([fn('sigmoid', a), mul([a, fn('dsigmoid', a)])]);
    case 'log':
      return div(ONE, a);
    case 'sqrt':
      return div(rat(Q.of(1n, 2n)), fn('sqrt', a));
    case 'abs':
      return fn('sign', a);
    case 'sign':
      return ZERO;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Numerics and compilation to closures

const TWO_OVER_SQRT_PI = 1.1283791670955126;

function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

const FUNCTIONS: Readonly<Record<Fn, (x: number) => number>> = {
  exp: Math.exp,
  sin: Math.sin,
  cos: Math.cos,
  erf,
  Phi: normalCdf,
  tanh: Math.tanh,
  sigmoid,
  // log(1 + e^x) = max(x, 0) + log1p(e^{−|x|}): no overflow, no loss for x ≪ 0.
  softplus: (x) => (x > 0 ? x : 0) + Math.log1p(Math.exp(-Math.abs(x))),
  silu: (x) => x * sigmoid(x),
  log: Math.log,
  sqrt: Math.sqrt,
  abs: Math.abs,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x * 0),
  erfd: (x) => TWO_OVER_SQRT_PI * expMinusSquare(x),
  npdf: normalPdf,
  // 1/cosh² x = 4t/(1 + t)² with t = e^{−2|x|}; sigmoid′(x) = t/(1 + t)² with t = e^{−|x|}.
  sech2: (x) => {
    const t = Math.exp(-2 * Math.abs(x));
    return (4 * t) / ((1 + t) * (1 + t));
  },
  dsigmoid: (x) => {
    const t = Math.exp(-Math.abs(x));
    return t / ((1 + t) * (1 + t));
  },
};

type F = (u: number) => number;

/** Compiles a tree to closures, specialized by shape so that simple formulas cost a few calls. */
function compile(n: Node): F {
  switch (n.k) {
    case 'num': {
      const v = n.v;
      return () => v;
    }
    case 'poly':
      return compilePoly(n.p);
    case 'add': {
      const t = n.t.map(compile);
      if (t.length === 2) {
        const [a, b] = t as [F, F];
        return (u) => a(u) + b(u);
      }
      if (t.length === 3) {
        const [a, b, c] = t as [F, F, F];
        return (u) => a(u) + b(u) + c(u);
      }
      return (u) => {
        let s = 0;
        for (let i = 0; i < t.length; i++) s += t[i]!(u);
        return s;
      };
    }
    case 'mul': {
      const first = n.t[0]!;
      const c = constValue(first);
      if (c !== undefined && n.t.length === 2) {
        const b = compile(n.t[1]!);
        return (u) => c * b(u);
      }
      const t = n.t.map(compile);
      if (t.length === 2) {
        const [a, b] = t as [F, F];
        return (u) => a(u) * b(u);
      }
      if (t.length === 3) {
        const [a, b, d] = t as [F, F, F];
        return (u) => a(u) * b(u) * d(u);
      }
      return (u) => {
        let s = 1;
        for (let i = 0; i < t.length; i++) s *= t[i]!(u);
        return s;
      };
    }
    case 'div': {
      const a = compile(n.a);
      const b = compile(n.b);
      return (u) => a(u) / b(u);
    }
    case 'pow': {
      const a = compile(n.a);
      const e = n.e;
      if (e === 2) {
        return (u) => {
          const x = a(u);
          return x * x;
        };
      }
      if (e === 3) {
        return (u) => {
          const x = a(u);
          return x * x * x;
        };
      }
      if (e === -1) return (u) => 1 / a(u);
      return (u) => a(u) ** e;
    }
    case 'fn': {
      const a = compile(n.a);
      const f = FUNCTIONS[n.f];
      if (n.a.k === 'poly' && n.a.p.length === 1 && n.a.p[0]!.e === 1 && n.a.p[0]!.c.isInteger() && n.a.p[0]!.c.n === 1n) return f; // f(u)
      return (u) => f(a(u));
    }
    case 'pick': {
      const c = compile(n.c);
      const va = constValue(n.a);
      const vb = constValue(n.b);
      if (va !== undefined && vb !== undefined) return (u) => (c(u) > 0 ? va : vb);
      const a = compile(n.a);
      const b = compile(n.b);
      if (vb === 0) return (u) => (c(u) > 0 ? a(u) : 0);
      if (va === 0) return (u) => (c(u) > 0 ? 0 : b(u));
      return (u) => (c(u) > 0 ? a(u) : b(u));
    }
  }
}

function compilePoly(p: Poly): F {
  const deg = pDegree(p);
  if (deg <= 0) {
    const v = deg < 0 ? 0 : p[0]!.c.toNumber();
    return () => v;
  }
  if (deg > 64 && p.length < deg / 4) {
    const es = p.map((t) => t.e);
    const cs = p.map((t) => t.c.toNumber());
    return (u) => {
      let s = 0;
      for (let i = 0; i < es.length; i++) s += cs[i]! * u ** es[i]!;
      return s;
    };
  }
  const c = new Float64Array(deg + 1);
  for (const t of p) c[t.e] = t.c.toNumber();
  if (deg === 1) {
    const [c0, c1] = [c[0]!, c[1]!];
    if (c0 === 0 && c1 === 1) return (u) => u;
    if (c0 === 0) return (u) => c1 * u;
    return (u) => c0 + c1 * u;
  }
  if (deg === 2) {
    const [c0, c1, c2] = [c[0]!, c[1]!, c[2]!];
    return (u) => c0 + u * (c1 + u * c2);
  }
  return (u) => {
    let s = c[deg]!;
    for (let i = deg - 1; i >= 0; i--) s = s * u + c[i]!;
    return s;
  };
}

/** An interval [lo, hi] outside which the tree vanishes, or null when it vanishes everywhere. */
type Support = readonly [number, number] | null;
const WHOLE: Support = [-Infinity, Infinity];

function hull(a: Support, b: Support): Support {
  if (a === null) return b;
  if (b === null) return a;
  return [Math.min(a[0], b[0]), Math.max(a[1], b[1])];
}

function meet(a: Support, b: Support): Support {
  if (a === null || b === null) return null;
  const lo = Math.max(a[0], b[0]);
  const hi = Math.min(a[1], b[1]);
  return lo <= hi ? [lo, hi] : null;
}

/** Functions with f(0) = 0: f(a) vanishes where a does. */
const ZERO_AT_ZERO = new Set<Fn>(['sin', 'erf', 'tanh', 'silu', 'sqrt', 'abs', 'sign']);

function support(n: Node): Support {
  switch (n.k) {
    case 'poly':
      return n.p.length === 0 ? null : WHOLE;
    case 'num':
      return n.v === 0 ? null : WHOLE;
    case 'add':
      return n.t.map(support).reduce(hull, null);
    case 'mul':
      return n.t.map(support).reduce(meet, WHOLE);
    case 'div':
      return support(n.a);
    case 'pow':
      return n.e > 0 ? support(n.a) : WHOLE;
    case 'fn':
      return ZERO_AT_ZERO.has(n.f) ? support(n.a) : WHOLE;
    case 'pick': {
      // Where c > 0 and where c ≤ 0, when c is linear: two closed half-lines meeting at its root.
      let pos: Support = WHOLE;
      let nonpos: Support = WHOLE;
      if (n.c.k === 'poly' && pDegree(n.c.p) === 1) {
        const c0 = n.c.p.length === 2 ? n.c.p[0]!.c : Q.ZERO;
        const c1 = n.c.p[n.c.p.length - 1]!.c;
        const r = c0.neg().div(c1).toNumber();
        [pos, nonpos] =
          c1.sign() > 0
            ? [
                [r, Infinity],
                [-Infinity, r],
              ]
            : [
                [-Infinity, r],
                [r, Infinity],
              ];
      }
      return hull(meet(pos, support(n.a)), meet(nonpos, support(n.b)));
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Kinks

/** The arguments whose real zeros are kinks: of pick (heaviside, max, min), abs, sign, and branch points. */
function kinkArguments(n: Node, out: Node[]): void {
  switch (n.k) {
    case 'poly':
    case 'num':
      return;
    case 'add':
    case 'mul':
      for (const t of n.t) kinkArguments(t, out);
      return;
    case 'div':
      kinkArguments(n.a, out);
      kinkArguments(n.b, out);
      return;
    case 'pow':
      if (!Number.isInteger(n.e)) out.push(n.a);
      kinkArguments(n.a, out);
      return;
    case 'fn':
      if (n.f === 'abs' || n.f === 'sign' || n.f === 'sqrt' || n.f === 'log') out.push(n.a);
      kinkArguments(n.a, out);
      return;
    case 'pick':
      out.push(n.c);
      kinkArguments(n.c, out);
      kinkArguments(n.a, out);
      kinkArguments(n.b, out);
      return;
  }
}

function findKinks(nodes: readonly Node[]): number[] {
  const args: Node[] = [];
  for (const n of nodes) kinkArguments(n, args);
  const roots: number[] = [];
  const seen = new Set<Node>();
  for (const a of args) {
    if (seen.has(a)) continue;
    seen.add(a);
    const exact = a.k === 'poly' ? polynomialRealRoots(a.p) : undefined;
    roots.push(...(exact ?? gridRoots(compile(a))));
  }
  roots.sort((x, y) => x - y);
  return roots.filter((x, i) => i === 0 || x !== roots[i - 1]).map((x) => (x === 0 ? 0 : x)); // −0 → 0
}

/** Best effort for non-polynomial arguments: sign changes (and exact zeros) on a grid over [−50, 50], bisected. */
function gridRoots(f: F): number[] {
  const roots: number[] = [];
  const h = 1 / 64;
  let x0 = -50;
  let f0 = f(x0);
  for (let i = 1; i <= 6400; i++) {
    const x1 = -50 + i * h;
    const f1 = f(x1);
    if (f0 === 0) roots.push(x0);
    else if ((f0 < 0 && f1 > 0) || (f0 > 0 && f1 < 0)) {
      let lo = x0;
      let hi = x1;
      for (;;) {
        const mid = lo + (hi - lo) / 2;
        if (mid <= lo || mid >= hi) break;
        const fm = f(mid);
        if (fm === 0) {
          lo = hi = mid;
          break;
        }
        if (fm < 0 === f0 < 0) lo = mid;
        else hi = mid;
      }
      roots.push(Math.abs(f(lo)) <= Math.abs(f(hi)) ? lo : hi);
    }
    x0 = x1;
    f0 = f1;
  }
  if (f0 === 0) roots.push(x0);
  return roots;
}

/** Polynomials of higher degree go to the grid (the exact path is quadratic in the degree with big integers). */
const MAX_EXACT_ROOT_DEGREE = 200;

/** Dense coefficients over Q, index = exponent, no trailing zeros. */
type DenseQ = Q[];

function trim(a: DenseQ): DenseQ {
  let n = a.length;
  while (n > 0 && a[n - 1]!.isZero()) n--;
  return a.slice(0, n);
}

/** Remainder of a by b (b ≠ 0) over Q. */
function remainder(a: DenseQ, b: DenseQ): DenseQ {
  const r = a.slice();
  const db = b.length - 1;
  const lead = b[db]!;
  for (let i = r.length - 1; i >= db; i--) {
    const q = r[i]!.div(lead);
    if (q.isZero()) continue;
    for (let j = 0; j <= db; j++) r[i - db + j] = r[i - db + j]!.sub(q.mul(b[j]!));
  }
  return trim(r.slice(0, db));
}

function quotient(a: DenseQ, b: DenseQ): DenseQ {
  const r = a.slice();
  const db = b.length - 1;
  const lead = b[db]!;
  const q: DenseQ = new Array<Q>(Math.max(0, a.length - db)).fill(Q.ZERO);
  for (let i = r.length - 1; i >= db; i--) {
    const c = r[i]!.div(lead);
    q[i - db] = c;
    if (c.isZero()) continue;
    for (let j = 0; j <= db; j++) r[i - db + j] = r[i - db + j]!.sub(c.mul(b[j]!));
  }
  return trim(q);
}

function dense(p: Poly): DenseQ {
  const a: DenseQ = new Array<Q>(pDegree(p) + 1).fill(Q.ZERO);
  for (const t of p) a[t.e] = t.c;
  return a;
}

function denseDeriv(a: DenseQ): DenseQ {
  return trim(a.slice(1).map((c, i) => c.mul(Q.of(BigInt(i + 1)))));
}

/** Integer coefficients with the same signs (times the positive lcm of the denominators). */
function integral(a: DenseQ): bigint[] {
  let l = 1n;
  for (const c of a) l = (l / bigGcd(l, c.d)) * c.d;
  return a.map((c) => (c.n * l) / c.d);
}

/** A dyadic rational m / 2^s. */
interface Dyadic {
  readonly m: bigint;
  readonly s: number;
}

/** Sign of p(m / 2^s) exactly: the homogeneous Horner sum Σ c_i m^i (2^s)^(d−i). */
function signAt(c: readonly bigint[], x: Dyadic): number {
  const d = c.length - 1;
  if (d < 0) return 0;
  const q = 1n << BigInt(x.s);
  let h = c[d]!;
  let qp = 1n;
  for (let i = d - 1; i >= 0; i--) {
    qp *= q;
    h = h * x.m + c[i]! * qp;
  }
  return h > 0n ? 1 : h < 0n ? -1 : 0;
}

function dyadicToNumber(x: Dyadic): number {
  const a = bigAbs(x.m);
  const bits = bitLength(a);
  let r: number;
  if (bits <= 53) r = scaleByPowerOfTwo(Number(a), -x.s);
  else {
    // Keep 64 bits and a sticky bit for the rest, so that the one rounding to 53 bits is correct.
    const drop = bits - 64;
    const kept = a >> BigInt(drop);
    const sticky = kept << BigInt(drop) === a ? 0n : 1n;
    r = scaleByPowerOfTwo(Number(kept | sticky), drop - x.s);
  }
  return x.m < 0n ? -r : r;
}

/** (x + y)/2 at one more bit. */
function midpoint(x: Dyadic, y: Dyadic): Dyadic {
  const s = Math.max(x.s, y.s);
  return { m: (x.m << BigInt(s - x.s)) + (y.m << BigInt(s - y.s)), s: s + 1 };
}

/**
 * The distinct real roots of a polynomial with rational coefficients, each correctly rounded to float64; undefined
 * when the degree is beyond {@link MAX_EXACT_ROOT_DEGREE}. Sturm's theorem on the squarefree part (V(a) − V(b)
 * counts the roots in (a, b]) isolates them; bisection with exact signs refines each until both ends of its
 * interval round to the same float.
 */
function polynomialRealRoots(p: Poly): number[] | undefined {
  const deg = pDegree(p);
  if (deg <= 0) return [];
  if (deg > MAX_EXACT_ROOT_DEGREE) return undefined;
  const a = dense(p);
  const da = denseDeriv(a);
  // gcd(a, a′) by Euclid over Q; a / gcd is squarefree with the same roots.
  let [g, h] = [a, da];
  while (h.length > 0) [g, h] = [h, remainder(g, h)];
  const sqf = quotient(a, g);
  if (sqf.length <= 1) return [];
  if (sqf.length === 2) return [sqf[0]!.neg().div(sqf[1]!).toNumber()];
  // Sturm sequence: s0 = sqf, s1 = sqf′, s_{i+1} = −rem(s_{i−1}, s_i).
  const sturm: bigint[][] = [];
  let [s0, s1] = [sqf, denseDeriv(sqf)];
  sturm.push(integral(s0));
  while (s1.length > 0) {
    sturm.push(integral(s1));
    [s0, s1] = [s1, remainder(s0, s1).map((c) => c.neg())];
  }
  const changes = (x: Dyadic): number => {
    let n = 0;
    let last = 0;
    for (const c of sturm) {
      const s = signAt(c, x);
      if (s !== 0) {
        if (last !== 0 && s !== last) n++;
        last = s;
      }
    }
    return n;
  };
  const top = sturm[0]!;
  // Cauchy bound 1 + max |c_i / c_d| < 2^k.
  let bound = 0;
  const lead = sqf[sqf.length - 1]!;
  for (let i = 0; i + 1 < sqf.length; i++) bound = Math.max(bound, Math.abs(sqf[i]!.div(lead).toNumber()));
  const k = Math.ceil(Math.log2(bound + 1)) + 1;
  const B = 1n << BigInt(Math.max(0, k));
  const roots: number[] = [];
  const stack: [Dyadic, Dyadic, number, number][] = [];
  const lo0: Dyadic = { m: -B, s: 0 };
  const hi0: Dyadic = { m: B, s: 0 };
  stack.push([lo0, hi0, changes(lo0), changes(hi0)]);
  while (stack.length > 0) {
    let [lo, hi, vlo, vhi] = stack.pop()!;
    const count = vlo - vhi;
    if (count <= 0) continue;
    if (count > 1 && hi.s < 4000) {
      const mid = midpoint(lo, hi);
      const vmid = changes(mid);
      stack.push([lo, mid, vlo, vmid], [mid, hi, vmid, vhi]);
      continue;
    }
    // One root in (lo, hi]: refine until the ends round to the same float.
    for (let it = 0; it < 5000; it++) {
      if (signAt(top, hi) === 0) break;
      const flo = dyadicToNumber(lo);
      const fhi = dyadicToNumber(hi);
      if (flo === fhi) break;
      const mid = midpoint(lo, hi);
      const vmid = changes(mid);
      if (vlo - vmid >= 1) {
        hi = mid;
        vhi = vmid;
      } else {
        lo = mid;
        vlo = vmid;
      }
    }
    roots.push(dyadicToNumber(hi));
  }
  return roots.sort((x, y) => x - y);
}

// ---------------------------------------------------------------------------------------------------------------
// From the syntax tree of core's expression parser to the formula tree

const DERIVE_FUNCTIONS = ['exp', 'sin', 'cos', 'erf', 'Phi', 'heaviside'] as const;
const NUMERIC_FUNCTIONS = ['tanh', 'sigmoid', 'softplus', 'silu', 'log', 'sqrt', 'abs', 'max', 'min'] as const;
const FUNCTION_NAMES = new Set<string>([...DERIVE_FUNCTIONS, ...NUMERIC_FUNCTIONS, 'diff']);
const EXPECTED_FUNCTION = `one of ${[...DERIVE_FUNCTIONS, 'diff', ...NUMERIC_FUNCTIONS].join(', ')}`;
/** The derive grammar's caps: exponents of formulas with calls, and of anything. */
const MAX_DERIVE_EXPONENT = 32;
const MAX_EXPONENT = 1_000_000;

/** Why each numeric-only function is outside the derive grammar. */
const NUMERIC_REASONS: Readonly<Record<(typeof NUMERIC_FUNCTIONS)[number], string>> = {
  tanh: 'is not D-finite: its poles at iπ(k+1/2) accumulate at infinity',
  sigmoid: 'is not D-finite: its poles at iπ(2k+1) accumulate at infinity',
  softplus: 'is not D-finite: its branch points at iπ(2k+1) accumulate at infinity',
  silu: 'is not D-finite: u·sigmoid(u) has poles at iπ(2k+1), which accumulate at infinity',
  log: 'is outside the derive grammar (which has polynomials, exp, sin, cos, erf, Phi and heaviside)',
  sqrt: 'is outside the derive grammar (which has polynomials, exp, sin, cos, erf, Phi and heaviside)',
  abs: 'is outside the derive grammar: write abs(a) as a*(2*heaviside(a)-1)',
  max: 'is outside the derive grammar: write max(a, b) as b + (a-b)*heaviside(a-b)',
  min: 'is outside the derive grammar: write min(a, b) as a - (a-b)*heaviside(a-b)',
};

/** A parsed subexpression: its tree, whether its text has a call (diff included), whether it mentions u. */
interface Parsed {
  readonly node: Node;
  readonly hasCall: boolean;
  readonly mentionsU: boolean;
}

/** `name(`: the number of arguments of a known function; an unknown name is a ParseError at its column. */
function arityOf(text: string): ArityOf {
  return (name, column) => {
    if (!FUNCTION_NAMES.has(name)) {
      throw unknownFunctionError(text, name, column, EXPECTED_FUNCTION);
    }
    return name === 'max' || name === 'min' ? 2 : 1;
  };
}

/**
 * Builds the formula tree from the syntax tree, left to right: folds call-free subtrees into exact polynomials,
 * checks exponents and divisors (ParseErrors at the operator's or exponent's column) and collects the reasons the
 * formula is outside the derive grammar.
 */
class Builder {
  /** Reasons the formula is outside the derive grammar, with the column each names. */
  private readonly reasons: { column: number; text: string }[] = [];

  constructor(private readonly input: string) {}

  /** The reason with the leftmost column, if any. */
  reason(): string | undefined {
    let best: { column: number; text: string } | undefined;
    for (const r of this.reasons) if (best === undefined || r.column < best.column) best = r;
    return best?.text;
  }

  private notHolonomic(column: number, text: string): void {
    this.reasons.push({ column, text });
  }

  private error(message: string, column: number, expected?: string): ParseError {
    return new ParseError(message, column, this.input, expected);
  }

  build(e: ExprWithCalls): Parsed {
    switch (e.kind) {
      case 'integer':
        return { node: rat(Q.of(e.value)), hasCall: false, mentionsU: false };
      case 'variable':
        if (e.name === 'u') return { node: poly(P_U), hasCall: false, mentionsU: true };
        if (FUNCTION_NAMES.has(e.name)) throw this.error(`${e.name} is a function: write ${e.name}(…)`, e.column, `${e.name}(…)`);
        throw this.error(`unknown variable ${e.name}`, e.column, 'u');
      case 'negate': {
        const r = this.build(e.operand);
        return { ...r, node: neg(r.node) };
      }
      case 'sum': {
        let acc = this.build(e.first);
        for (const { op, operand } of e.rest) {
          const r = this.build(operand);
          acc = {
            node: op === '+' ? add([acc.node, r.node]) : sub(acc.node, r.node),
            hasCall: acc.hasCall || r.hasCall,
            mentionsU: acc.mentionsU || r.mentionsU,
          };
        }
        return acc;
      }
      case 'product': {
        let acc = this.build(e.first);
        for (const { op, operand, column } of e.rest) {
          const r = this.build(operand);
          const hasCall = acc.hasCall || r.hasCall;
          const mentionsU = acc.mentionsU || r.mentionsU;
          if (op === '*') {
            acc = { node: mul([acc.node, r.node]), hasCall, mentionsU };
            continue;
          }
          if (isZero(r.node) && r.node.k === 'poly' && !r.hasCall) throw this.error('division by zero', column, 'a nonzero divisor');
          const q = r.node.k === 'poly' && !r.hasCall ? pConstValue(r.node.p) : undefined;
          if (q === undefined) {
            this.notHolonomic(
              column,
              `the division at column ${column} is by a non-constant, which the derive grammar does not allow (its poles are not those of a D-finite activation)`,
            );
          }
          acc = { node: div(acc.node, r.node), hasCall, mentionsU };
        }
        return acc;
      }
      case 'power':
        return this.power(this.build(e.base), this.build(e.exponent), e.column, e.exponentColumn);
      case 'call':
        return this.call(e);
    }
  }

  private power(base: Parsed, exponent: Parsed, column: number, exponentColumn: number): Parsed {
    if (exponent.mentionsU) {
      throw this.error('u in an exponent; expected a constant exponent (write exp(b*log(a)) for a^b)', exponentColumn, 'a constant exponent');
    }
    const hasCall = base.hasCall || exponent.hasCall;
    const mentionsU = base.mentionsU;
    const q = exponent.node.k === 'poly' && !exponent.hasCall ? pConstValue(exponent.node.p) : undefined;
    if (exponent.hasCall)
      this.notHolonomic(exponentColumn, `the exponent at column ${exponentColumn} has a function in it; the derive grammar takes natural-number exponents`);
    if (q === undefined || !q.isInteger()) {
      const e = q?.toNumber() ?? constValue(exponent.node);
      if (e === undefined) throw this.error('expected a constant exponent', exponentColumn, 'a constant exponent');
      if (q !== undefined)
        this.notHolonomic(exponentColumn, `the exponent ${q} at column ${exponentColumn} is not an integer; the derive grammar takes natural-number exponents`);
      return { node: pow(base.node, e), hasCall, mentionsU };
    }
    if (q.n > BigInt(MAX_EXPONENT) || q.n < -BigInt(MAX_EXPONENT)) {
      throw this.error(`exponent ${q} is too large`, exponentColumn, `an exponent of absolute value at most ${MAX_EXPONENT}`);
    }
    const k = Number(q.n);
    const b = base.node;
    if (!base.hasCall && b.k === 'poly') {
      const c = pConstValue(b.p);
      if (c !== undefined) {
        if (c.isZero() && k < 0) throw this.error('division by zero (a negative power of 0)', exponentColumn, 'a nonzero base');
        return { node: rat(c.pow(k)), hasCall, mentionsU };
      }
      if (k < 0) {
        this.notHolonomic(
          exponentColumn,
          `the negative exponent ${k} at column ${exponentColumn} divides by a non-constant, which the derive grammar does not allow`,
        );
        return { node: pow(b, k), hasCall, mentionsU };
      }
      if (b.p.length > 1 && pDegree(b.p) * k >= MAX_POLY_TERMS) {
        throw this.error(`the power at column ${column} expands to a polynomial of degree ${pDegree(b.p) * k}, too large`, column, 'a smaller exponent');
      }
      return { node: pow(b, k), hasCall, mentionsU };
    }
    if (base.hasCall && (k < 0 || k > MAX_DERIVE_EXPONENT)) {
      this.notHolonomic(
        exponentColumn,
        k < 0
          ? `the negative exponent ${k} at column ${exponentColumn} divides by a formula, which the derive grammar does not allow`
          : `the exponent ${k} at column ${exponentColumn} exceeds the derive grammar's limit ${MAX_DERIVE_EXPONENT} for formulas with functions`,
      );
    }
    return { node: pow(b, k), hasCall, mentionsU };
  }

  /** name(args), the arity already checked by the parser. */
  private call(e: CallExpr): Parsed {
    const fname = e.name;
    const args = e.args.map((x) => this.build(x));
    const [a, b] = args as [Parsed, Parsed | undefined];
    const mentionsU = args.some((x) => x.mentionsU);
    const column = e.column;
    let node: Node;
    switch (fname) {
      case 'diff':
        return { node: derivative(a.node), hasCall: true, mentionsU };
      case 'heaviside':
        node = pick(a.node, ONE, ZERO);
        break;
      case 'max':
        node = pick(sub(a.node, b!.node), a.node, b!.node);
        break;
      case 'min':
        node = pick(sub(b!.node, a.node), a.node, b!.node);
        break;
      default:
        node = fn(fname as Fn, a.node);
    }
    if ((DERIVE_FUNCTIONS as readonly string[]).includes(fname)) {
      if (a.hasCall) {
        this.notHolonomic(
          column,
          `${fname} at column ${column} has a non-polynomial argument, which the derive grammar does not allow (a function of a function, such as exp(sin(u)), is not D-finite in general)`,
        );
      }
    } else {
      this.notHolonomic(column, `${fname} at column ${column} ${NUMERIC_REASONS[fname as keyof typeof NUMERIC_REASONS]}`);
    }
    return { node, hasCall: true, mentionsU };
  }
}

/** Hints for the names users most often type for a function of the formula grammars. */
const UNKNOWN_FUNCTION_HINTS: Readonly<Record<string, string>> = {
  d: ' (write derivatives as diff(f))',
  Y: ' (write the Heaviside step as heaviside(u))',
  H: ' (write the Heaviside step as heaviside(u))',
  phi: ' (the normal CDF is Phi, with a capital P)',
  u: ' (u is the variable; write products with *, as in u*(u+1))',
};

/**
 * The ParseError for a call of an unknown function in a formula, at the name's column, with a hint for the usual
 * slips (Y or H for heaviside, phi for Phi, d for diff, u( for u*(…)) and the list of what is expected; one message
 * for the numeric grammar here and the derive grammar of the restriction package.
 *
 * @example
 * ```ts
 * import { unknownFunctionError } from '@holonomic-ntk/core';
 * const e = unknownFunctionError('Y(u)*u', 'Y', 1, 'one of heaviside, exp');
 * e.name; // → 'ParseError'
 * e.column; // → 1
 * e.message.startsWith('unknown function Y (write the Heaviside step as heaviside(u)); expected one of heaviside, exp'); // → true
 * ```
 */
export function unknownFunctionError(text: string, name: string, column: number, expected: string): ParseError {
  const hint = Object.hasOwn(UNKNOWN_FUNCTION_HINTS, name) ? UNKNOWN_FUNCTION_HINTS[name] : '';
  return new ParseError(`unknown function ${name}${hint}; expected ${expected}`, column, text, expected);
}
