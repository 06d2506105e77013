import { ParseError, numericFormula } from '@holonomic-ntk/core';
import { evaluateFormula, parseFormula } from '@holonomic-ntk/restriction';
import { formulaKinks } from '@holonomic-ntk/restriction/internal';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** Derive-grammar formulas: the oracle is restriction's parser and Taylor evaluator. */
const DERIVE_FORMULAS = [
  'u*heaviside(u)',
  'heaviside(u)*sin(u)',
  'u*Phi(u)',
  'erf(u)',
  'u*heaviside(u) + heaviside(-u)*(exp(u)-1)',
  '1/10*u + 9/10*u*heaviside(u)',
  'heaviside(u-1)',
  'heaviside(u)*u^2',
  'heaviside(u)*cos(u)',
  'heaviside(u)*sin(2*u)',
  'heaviside(u)*u*exp(-u)',
  'exp(-u^2/2)',
  'u*exp(-u^2/2)',
  'exp(-u^2/2)*cos(3*u)',
  'sin(u)',
  'cos(u)',
  'sin(u) + u*heaviside(u)',
  'erf(u)*heaviside(u)',
  'u^3',
  'u^2 - 1',
  '(u*heaviside(u))^3',
  'heaviside(u^2 - 2)*Phi(u/2)',
  '-exp(u)^2 + diff(u^3*heaviside(1-u))',
  'heaviside((u-1/3)^2*(u+7))*u',
];

/** Sample points: a grid over [−6, 6] (through the kinks 0 and ±1), and irrational-looking points. */
const POINTS = [...Array.from({ length: 49 }, (_, i) => -6 + i / 4), ...Array.from({ length: 40 }, (_, i) => -5.3 + i * 0.2718281828), 1e-9, -1e-9, 1e-300];

function close(actual: number, expected: number, tol: number): boolean {
  return Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected));
}

describe('numericFormula against restriction (derive grammar)', () => {
  it.each(DERIVE_FORMULAS)('%s: σ, σ̇ to 1e-14, holonomic, kinks', (text) => {
    const f = numericFormula(text);
    expect(f.holonomic).toBe(true);
    expect(f.notHolonomicReason).toBeUndefined();
    const sigma = parseFormula(text);
    const dsigma = parseFormula(`diff(${text})`);
    const ddiff = numericFormula(`diff(${text})`);
    for (const x of POINTS) {
      const s = evaluateFormula(sigma, x);
      const d = evaluateFormula(dsigma, x);
      expect(close(f.sigma.sigma(x), s, 1e-14), `σ(${x}) = ${f.sigma.sigma(x)} vs ${s}`).toBe(true);
      expect(close(f.dsigma.sigma(x), d, 1e-14), `σ̇(${x}) = ${f.dsigma.sigma(x)} vs ${d}`).toBe(true);
      expect(ddiff.sigma.sigma(x)).toBe(f.dsigma.sigma(x));
    }
    const expected = formulaKinks(sigma);
    expect(f.kinks.length).toBe(expected.length);
    f.kinks.forEach((k, i) => expect(close(k, expected[i]!, 1e-12), `kink ${k} vs ${expected[i]}`).toBe(true));
    expect(f.dsigma.kinks).toBe(f.kinks);
  });

  it('takes heaviside(0) = 0 and σ̇ of ReLU at 0 = 0', () => {
    const relu = numericFormula('u*heaviside(u)');
    expect(numericFormula('heaviside(u)').sigma.sigma(0)).toBe(0);
    expect(relu.dsigma.sigma(0)).toBe(0);
    expect(relu.sigma.support).toEqual([0, Infinity]);
    expect(relu.dsigma.support).toEqual([0, Infinity]);
    expect(numericFormula('heaviside(1-u)*u').sigma.support).toEqual([-Infinity, 1]);
  });

  it('is zero outside the support it reports', () => {
    for (const text of [...DERIVE_FORMULAS, 'max(u, 0)', 'heaviside(2*u+1)*sin(u)+heaviside(u-3)']) {
      const f = numericFormula(text);
      for (const s of [f.sigma, f.dsigma]) {
        if (s.support === undefined) continue;
        const [lo, hi] = s.support;
        for (const x of POINTS) if (x < lo || x > hi) expect(s.sigma(x) === 0, `${text} at ${x}`).toBe(true);
      }
    }
  });

  it('finds exact kinks: roots counted once, correctly rounded', () => {
    expect(numericFormula('heaviside(u^2 - 2)').kinks).toEqual([-Math.SQRT2, Math.SQRT2]);
    expect(numericFormula('heaviside((u-1)^3*(u+1/3)^2)').kinks).toEqual([-1 / 3, 1]);
    expect(numericFormula('heaviside(u^3 - 2) + abs(u - 1/7) + max(u, 1 - u)').kinks).toEqual([1 / 7, 0.5, Math.cbrt(2)]);
    expect(numericFormula('heaviside((u - 1)*(u - 1 - 1/10^20))').kinks).toEqual([1]);
    expect(numericFormula('heaviside(u^2 + 1)').kinks).toEqual([]);
    // ±√3 ± √2 = ±3.14626436994197234…, ±0.31783724519578224… (mpmath): the nearest floats are these (float
    // Math.sqrt(3) - Math.SQRT2 is 0.3178372451957822, 5e-17 off).
    expect(numericFormula('heaviside(u^4 - 10*u^2 + 1)').kinks).toEqual([-3.1462643699419726, -0.31783724519578227, 0.31783724519578227, 3.1462643699419726]);
    // Best effort for other arguments: sign changes on the grid over [−50, 50].
    const ln2 = numericFormula('heaviside(exp(u) - 2)').kinks;
    expect(ln2.length).toBe(1);
    expect(Math.abs(ln2[0]! - Math.LN2)).toBeLessThanOrEqual(2.3e-16); // within an ulp: exp(u) − 2 is rounded
    expect(numericFormula('abs(sin(u))').kinks.length).toBe(31);
  });
});

describe('the derive grammar: holonomic here iff restriction parses it', () => {
  const TEXTS = [
    ...DERIVE_FORMULAS,
    'u*tanh(u)',
    'exp(sin(u))',
    '1/u',
    'u/exp(0)',
    'u^(1/2)',
    'exp(u)^33',
    'exp(u)^32',
    'exp(u)^-1',
    '(u*exp(u))^(-1)',
    '2^-1*exp(u)',
    'u/(u-u+2)*exp(u)',
    'u^2^2',
    '-u^2',
    'heaviside(u)^0',
    'diff(diff(u*heaviside(u)))',
    'exp(diff(u^2))',
    'u/diff(u)',
    'sin(u)/2',
    'sigmoid(u)',
    'softplus(u)',
    'silu(u)',
    'log(1+u^2)',
    'sqrt(1+u^2)',
    'abs(u)',
    'max(u, 0)',
    'min(u, 0)',
    'exp(u)^(1/2)',
    '2^exp(1)',
    'u^exp(0)',
    'u*(u+1)/3',
    '(u+1)^(-1)',
    '2^(-2)*u',
    '0^0',
    'heaviside(1)',
    'heaviside(u)/heaviside(u)',
    'exp(u)/(1+1)',
    '2*-exp(u)',
    '-heaviside(u)^2',
    'exp (u) * Phi( 2*u )',
    'u^(2/2)*sin(u^2)',
    'heaviside(exp(u))',
    'exp(u)*u/u',
    'u*u/u',
    '(u^2)/(u)',
    'exp(u)^(2^2)',
  ];
  it.each(TEXTS)('%s', (text) => {
    let derive = true;
    try {
      parseFormula(text);
    } catch {
      derive = false;
    }
    let holonomic = false;
    try {
      const f = numericFormula(text);
      holonomic = f.holonomic;
      expect(f.notHolonomicReason === undefined).toBe(holonomic);
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
    }
    expect(holonomic).toBe(derive);
  });

  it('names the offending function and column', () => {
    expect(numericFormula('u*tanh(u)').notHolonomicReason).toBe('tanh at column 3 is not D-finite: its poles at iπ(k+1/2) accumulate at infinity');
    expect(numericFormula('u + exp(sin(u))').notHolonomicReason).toMatch(/^exp at column 5 has a non-polynomial argument/);
    expect(numericFormula('u^2/(1+u^2)').notHolonomicReason).toMatch(/^the division at column 4 is by a non-constant/);
    expect(numericFormula('heaviside(u)*u^(3/2)').notHolonomicReason).toMatch(/^the exponent 3\/2 at column 16 is not an integer/);
    expect(numericFormula('max(u, 0) + tanh(u)').notHolonomicReason).toMatch(/^max at column 1 /);
  });
});

describe('ParseError', () => {
  /** Text, column: syntax errors of the derive grammar, at restriction's columns. */
  const SHARED: [string, number][] = [
    ['', 1],
    ['u +', 4],
    ['u + x', 5],
    ['2u', 2],
    ['1.5*u', 1],
    ['u**2', 3],
    ['exp', 1],
    ['foo(u)', 1],
    ['phi(u)', 1],
    ['d(u)', 1],
    ['u*(u+1', 7],
    ['u)', 2],
    ['()', 2],
    ['u [2]', 3],
    ['u^u', 3],
    ['u/0', 2],
    ['exp(u)/(u-u)', 7],
    ['u^1.5', 3],
  ];
  it.each(SHARED)('%j at column %i, as restriction', (text, column) => {
    const mine = (() => {
      try {
        numericFormula(text);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(mine).toBeInstanceOf(ParseError);
    expect((mine as ParseError).column).toBe(column);
    expect(() => parseFormula(text)).toThrow();
    try {
      parseFormula(text);
    } catch (e) {
      expect((e as { column?: number }).column).toBe(column);
    }
  });

  it.each([
    ['u*tanh(u', 9],
    ['max(u)', 6],
    ['max(u, 0, 1)', 9],
    ['sin(u, 2)', 6],
    ['tanh()', 6],
    ['sigmoid', 1],
    ['2^(1+u)', 3],
  ] as [string, number][])('numeric-only grammar: %j at column %i', (text, column) => {
    expect(() => numericFormula(text)).toThrow(ParseError);
    try {
      numericFormula(text);
    } catch (e) {
      expect((e as ParseError).column).toBe(column);
    }
  });
});

describe('numeric-only formulas', () => {
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  const CASES: [string, (x: number) => number][] = [
    ['tanh(u)', Math.tanh],
    ['sigmoid(u)', sigmoid],
    ['softplus(u)', (x) => Math.log1p(Math.exp(x))],
    ['silu(u)', (x) => x * sigmoid(x)],
    ['exp(sin(u))', (x) => Math.exp(Math.sin(x))],
    ['log(1 + u^2)', (x) => Math.log(1 + x * x)],
    ['sqrt(1 + u^2)', (x) => Math.sqrt(1 + x * x)],
    ['abs(u - 1/2)', (x) => Math.abs(x - 0.5)],
    ['max(u, u^2/2) - min(sin(u), 0)', (x) => Math.max(x, (x * x) / 2) - Math.min(Math.sin(x), 0)],
    ['u^2/(1 + u^2)', (x) => (x * x) / (1 + x * x)],
    ['(1 + u^2)^(3/2)', (x) => (1 + x * x) ** 1.5],
    ['tanh(u)*sigmoid(2*u)^2 + u*heaviside(u)', (x) => Math.tanh(x) * sigmoid(2 * x) ** 2 + (x > 0 ? x : 0)],
    ['softplus(u - 3)*erf(u)', (x) => Math.log1p(Math.exp(x - 3)) * erfLike(x)],
  ];
  it.each(CASES)('%s: σ against Math, σ̇ against finite differences', (text, g) => {
    const f = numericFormula(text);
    expect(f.holonomic).toBe(false);
    expect(f.notHolonomicReason).toMatch(/column/);
    const h = 1e-5;
    for (const x of POINTS) {
      if (f.kinks.some((k) => Math.abs(k - x) < 2 * h)) continue;
      expect(close(f.sigma.sigma(x), g(x), 1e-14), `σ(${x})`).toBe(true);
      const fd = (f.sigma.sigma(x + h) - f.sigma.sigma(x - h)) / (2 * h);
      expect(close(f.dsigma.sigma(x), fd, 1e-7), `σ̇(${x}) = ${f.dsigma.sigma(x)} vs ${fd}`).toBe(true);
    }
  });

  it('is stable for large |u|', () => {
    const s = numericFormula('sigmoid(u)');
    const sp = numericFormula('softplus(u)');
    const t = numericFormula('tanh(u)');
    expect([s.sigma.sigma(800), s.sigma.sigma(-800), s.dsigma.sigma(800), s.dsigma.sigma(-800)]).toEqual([1, 0, 0, 0]);
    expect(sp.sigma.sigma(800)).toBe(800);
    expect(sp.sigma.sigma(-40)).toBe(Math.exp(-40) - Math.exp(-80) / 2);
    expect(sp.dsigma.sigma(-800)).toBe(0);
    expect(t.dsigma.sigma(400)).toBe(0);
    expect(s.dsigma.sigma(-30)).toBeCloseTo(Math.exp(-30), 25);
  });

  it('differentiates σ̇ again: diff(diff(·)) against finite differences', () => {
    for (const text of ['sigmoid(u)', 'tanh(u)', 'erf(u)', 'Phi(u)', 'silu(u)', 'softplus(u)', 'sqrt(2+u)', 'log(2+u)']) {
      const f = numericFormula(`diff(${text})`);
      for (const x of [-1.3, -0.2, 0.7, 1.9]) {
        const fd = (f.sigma.sigma(x + 1e-5) - f.sigma.sigma(x - 1e-5)) / 2e-5;
        expect(close(f.dsigma.sigma(x), fd, 1e-7), `${text} at ${x}`).toBe(true);
      }
    }
  });
});

/** erf from Math only (Abramowitz–Stegun 7.1.26 is too coarse), so use the core function through a formula. */
function erfLike(x: number): number {
  return numericFormula('erf(u)').sigma.sigma(x);
}

describe('properties', () => {
  const ATOMS = ['u', 'sin(u)', 'exp(-u^2/2)', 'u*heaviside(u)', 'tanh(u)', 'sigmoid(2*u)', '1/3', '(u^2-1)', 'Phi(u)', 'erf(u/2)', 'cos(3*u)'];
  const formula: fc.Arbitrary<string> = fc.letrec<{ f: string }>((tie) => ({
    f: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...ATOMS),
      fc.tuple(tie('f'), tie('f')).map(([a, b]) => `(${a})*(${b})`),
      fc.tuple(tie('f'), tie('f')).map(([a, b]) => `(${a})-(${b})`),
      tie('f').map((a) => `exp(${a})`),
    ),
  })).f;
  const point = fc.double({ min: -3, max: 3, noNaN: true });

  it('sums and products evaluate as sums and products; σ̇ obeys the product rule', () => {
    fc.assert(
      fc.property(formula, formula, point, (a, b, x) => {
        const fa = numericFormula(a);
        const fb = numericFormula(b);
        const sum = numericFormula(`(${a})+(${b})`);
        const prod = numericFormula(`(${a})*(${b})`);
        const [va, vb, da, db] = [fa.sigma.sigma(x), fb.sigma.sigma(x), fa.dsigma.sigma(x), fb.dsigma.sigma(x)];
        fc.pre([va, vb, da, db].every((v) => Math.abs(v) < 1e100)); // exp(exp(…)) overflows
        const scale = Math.abs(va) + Math.abs(vb) + 1;
        expect(Math.abs(sum.sigma.sigma(x) - (va + vb))).toBeLessThanOrEqual(1e-13 * scale);
        expect(Math.abs(prod.sigma.sigma(x) - va * vb)).toBeLessThanOrEqual(1e-13 * (Math.abs(va * vb) + 1));
        const pr = da * vb + va * db;
        expect(Math.abs(prod.dsigma.sigma(x) - pr)).toBeLessThanOrEqual(1e-12 * (Math.abs(da * vb) + Math.abs(va * db) + 1));
      }),
      { numRuns: 200 },
    );
  });

  it('σ̇ is the derivative (finite differences away from kinks), and diff(f) in the text is σ̇', () => {
    fc.assert(
      fc.property(formula, point, (a, x) => {
        const f = numericFormula(a);
        fc.pre(!f.kinks.some((k) => Math.abs(k - x) < 1e-3));
        const h = 1e-5;
        const central = (step: number) => (f.sigma.sigma(x + step) - f.sigma.sigma(x - step)) / (2 * step);
        const fd = central(h);
        const d = f.dsigma.sigma(x);
        fc.pre(Number.isFinite(d) && Math.abs(d) < 1e6);
        // The difference quotient's own error, estimated rather than assumed: rounding (≈ ε·|σ|/h) and truncation
        // (from halving the step), so a large or fast-varying σ does not make the check flaky.
        const rounding = (1e-15 * (Math.abs(f.sigma.sigma(x + h)) + Math.abs(f.sigma.sigma(x - h)))) / h;
        const truncation = (4 / 3) * Math.abs(fd - central(h / 2));
        expect(Math.abs(d - fd)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(d)) + 10 * (rounding + truncation));
        expect(numericFormula(`diff(${a})`).sigma.sigma(x)).toBe(d);
      }),
      { numRuns: 200 },
    );
  });
});
