import { ArtifactError, ParseError, chartPolynomialToText, parseChartPolynomial, parseDMonomial, readArtifact, validateArtifact } from '@holonomic-ntk/core';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The hand-written Pfaffian artifact of the step activation (a copy of hgm-runtime's test fixture). */
const STEP_TEXT = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'step.artifact.json'), 'utf8');
const stepArtifact = () => readArtifact(STEP_TEXT);
/** Deep copy of the fixture JSON, for making malformed variants. */
const stepJson = (): any => JSON.parse(STEP_TEXT);

/** Applies `edit` to a fresh copy of the fixture and returns the validation error (or undefined). */
function errorOf(edit: (json: any) => void): ArtifactError | undefined {
  const json = stepJson();
  edit(json);
  try {
    validateArtifact(json);
  } catch (e) {
    if (e instanceof ArtifactError) return e;
    throw e;
  }
  return undefined;
}

/** The fixture as format version 2: σ as a derive-grammar formula with its kinks. */
function v2(edit: (activation: any) => void = () => {}): any {
  const json = stepJson();
  json.format = 'hgm-pfaffian/2';
  json.activation = { name: 'step', sigma: 'heaviside(u)', kinks: [0] };
  edit(json.activation);
  return json;
}

describe('artifact format version 2 (and the version 1 reader)', () => {
  it('version 1 is still read as it was: σ is prose there, nothing is required of it', () => {
    const a = stepArtifact();
    expect(a.format).toBe('hgm-pfaffian/1');
    expect(typeof a.activation['sigma']).not.toBe('undefined');
    expect(a.activation.kinks).toBeUndefined();
  });

  it('version 2 carries σ, σ̇ as formulas and the kinks', () => {
    const a = validateArtifact(v2((act) => (act.dsigma = 'diff(heaviside(u))')));
    expect(a.format).toBe('hgm-pfaffian/2');
    expect(a.activation.sigma).toBe('heaviside(u)');
    expect(a.activation.kinks).toEqual([0]);
    // An activation derived from an annihilator alone has no formulas: valid, the caller supplies σ.
    expect(validateArtifact(v2((act) => (delete act.sigma, delete act.kinks))).activation.sigma).toBeUndefined();
  });

  it('version 2 rejects formulas that are not strings, σ̇ without σ, σ without kinks, unsorted or infinite kinks', () => {
    const err = (edit: (act: any) => void) => {
      try {
        validateArtifact(v2(edit));
      } catch (e) {
        if (e instanceof ArtifactError) return e.message;
        throw e;
      }
      return 'accepted';
    };
    expect(err((act) => (act.sigma = 3))).toMatch(/^activation\.sigma: must be a formula/);
    expect(err((act) => (act.sigma = ' '))).toMatch(/^activation\.sigma: must be a formula/);
    expect(err((act) => (delete act.sigma, delete act.kinks, (act.dsigma = 'heaviside(u)')))).toMatch(/^activation\.dsigma: given without/);
    expect(err((act) => delete act.kinks)).toMatch(/^activation\.kinks: required/);
    expect(err((act) => (act.kinks = [1, 0]))).toMatch(/^activation\.kinks\[1\]: must be strictly increasing/);
    expect(err((act) => (act.kinks = [0, 0]))).toMatch(/^activation\.kinks\[1\]/);
    expect(err((act) => (act.kinks = [Number.POSITIVE_INFINITY]))).toMatch(/^activation\.kinks\[0\]: must be a finite number/);
    expect(err((act) => (act.kinks = 'none'))).toMatch(/^activation\.kinks/);
  });
});

describe('artifact validation', () => {
  it('accepts the hand-written step fixture', () => {
    const a = stepArtifact();
    expect(a.format).toBe('hgm-pfaffian/1');
    expect(a.systems[0]!.rank).toBe(2);
    expect(a.systems[0]!.basis).toEqual(['1', 'dx12']);
  });

  it('names the path of the offending field', () => {
    const cases: [string, (j: any) => void, string, RegExp][] = [
      ['unknown format', (j) => (j.format = 'something-else'), 'format', /unknown format "something-else"/],
      ['future version', (j) => (j.format = 'hgm-pfaffian/3'), 'format', /unsupported version "3"/],
      ['missing format', (j) => delete j.format, 'format', /missing/],
      [
        'syntax error in an entry',
        (j) => (j.systems[0].pfaffian.x12[1][0] = '1/(x11*x22-x12^'),
        'systems[0].pfaffian.x12[1][0]',
        /integer exponent.*column 16/s,
      ],
      ['unknown variable in an entry', (j) => (j.systems[0].pfaffian.x11[0][1] = 'y/x11'), 'systems[0].pfaffian.x11[0][1]', /unknown variable 'y'/],
      ['number instead of string', (j) => (j.systems[0].pfaffian.x22[1][1] = 0), 'systems[0].pfaffian.x22[1][1]', /must be a rational-expression string/],
      ['short row', (j) => j.systems[0].pfaffian.x12[1].pop(), 'systems[0].pfaffian.x12[1]', /has 1 entries, rank is 2/],
      ['missing matrix', (j) => delete j.systems[0].pfaffian.x22, 'systems[0].pfaffian.x22', /missing/],
      ['extra matrix', (j) => (j.systems[0].pfaffian.y1 = []), 'systems[0].pfaffian.y1', /unknown field/],
      ['rank vs basis', (j) => (j.systems[0].rank = 3), 'systems[0].basis', /has 2 elements, rank is 3/],
      ['non-integer rank', (j) => (j.systems[0].rank = 2.5), 'systems[0].rank', /integer/],
      ['basis typo', (j) => (j.systems[0].basis[1] = 'dx13'), 'systems[0].basis[1]', /expected dx11, dx12 or dx22/],
      ['basis without 1', (j) => (j.systems[0].basis[0] = 'dx22'), 'systems[0].basis', /must contain "1"/],
      ['bad integrand', (j) => (j.systems[0].integrands = ['tau']), 'systems[0].integrands[0]', /"sigma" or "dsigma"/],
      [
        'no initial vector for an integrand',
        (j) => (j.systems[0].integrands = ['sigma', 'dsigma']),
        'systems[0].initialValues.vectors',
        /no initial vector for integrand "dsigma"/,
      ],
      [
        'recipe disagrees with the basis',
        (j) => (j.systems[0].initialValues.vectors[0].elements[1][0].j = 2),
        'systems[0].initialValues.vectors[0].elements[1]',
        /∂11\^0 ∂12\^1 ∂22\^0/,
      ],
      [
        'negative order in the recipe',
        (j) => (j.systems[0].initialValues.vectors[0].elements[0][0].k = -1),
        'systems[0].initialValues.vectors[0].elements[0][0].k',
        /integer in \[0, 64\]/,
      ],
      ['unknown recipe method', (j) => (j.systems[0].initialValues.method = 'taylor'), 'systems[0].initialValues.method', /moment-products/],
      ['factors', (j) => (j.systems[0].initialValues.vectors[0].factors = ['sigma']), 'systems[0].initialValues.vectors[0].factors', /\[u-factor, v-factor\]/],
      ['singular locus', (j) => (j.systems[0].singularLocus[2] = 'x11*x22-'), 'systems[0].singularLocus[2]', /unexpected end/],
      ['variables', (j) => (j.variables = ['x11', 'x22', 'x12']), 'variables', /must be \["x11","x12","x22"\]/],
      ['activation name', (j) => delete j.activation.name, 'activation.name', /non-empty string/],
      ['unknown root field', (j) => (j.comment = 'hi'), 'comment', /unknown field/],
      ['unknown system field', (j) => (j.systems[0].P12 = []), 'systems[0].P12', /unknown field/],
      ['provenance not an object', (j) => (j.provenance = 'me'), 'provenance', /must be an object/],
      ['empty systems', (j) => (j.systems = []), 'systems', /at least one/],
      ['two systems for sigma', (j) => j.systems.push(j.systems[0]), 'systems[1].integrands', /served by an earlier system/],
    ];
    for (const [what, edit, path, message] of cases) {
      const e = errorOf(edit);
      expect(e, what).toBeInstanceOf(ArtifactError);
      expect(e!.path, what).toBe(path);
      expect(e!.message.startsWith(`${path}: `), what).toBe(true);
      expect(e!.message, what).toMatch(message);
    }
  });

  it('readArtifact reports non-JSON text at the root', () => {
    expect(() => readArtifact('{"format": ')).toThrow(/^\$: not valid JSON/);
    expect(() => readArtifact('[]')).toThrow(/^\$: must be an object, got an array/);
  });

  it('an operator label is allowed as a basis element; its terms define it', () => {
    const e = errorOf((j) => {
      j.systems[0].basis[1] = 'x12*dx12+1';
      j.systems[0].initialValues.vectors[0].elements[1] = [
        { coeff: 'x12', i: 0, j: 1, k: 0 },
        { coeff: '1', i: 0, j: 0, k: 0 },
      ];
    });
    expect(e).toBeUndefined();
  });

  it('parses basis monomials', () => {
    expect(parseDMonomial('1')).toEqual([0, 0, 0]);
    expect(parseDMonomial('dx11^2*dx12')).toEqual([2, 1, 0]);
    expect(parseDMonomial(' dx22 ^ 3 * dx11 ')).toEqual([1, 0, 3]);
    expect(() => parseDMonomial('dx12*')).toThrow(/after \*/);
  });
});

/** The step fixture's system as the pair systems of σ = Y(u) + Y(−u)·(1/2) split into two pieces (values are not
 * the point here: the validator checks structure). */
function pieced(edit: (json: any) => void = () => {}): any {
  const json = v2();
  json.activation.pieces = {
    sigma: [
      { formula: 'heaviside(u)', annihilator: 'u*du', kinks: [0] },
      { formula: '1/2*heaviside(-u)', annihilator: 'u*du', kinks: [0] },
    ],
  };
  const system = json.systems[0];
  json.systems = [
    [0, 0],
    [0, 1],
    [1, 1],
  ].map((pair) => {
    const s = structuredClone(system);
    s.pair = pair;
    s.initialValues.vectors[0].factors = [`sigma#${pair[0]}`, `sigma#${pair[1]}`];
    return s;
  });
  edit(json);
  return json;
}

describe('artifact pieces: an integrand split into pieces, one system per pair', () => {
  const err = (edit: (json: any) => void) => {
    try {
      validateArtifact(pieced(edit));
    } catch (e) {
      if (e instanceof ArtifactError) return e.message;
      throw e;
    }
    return 'accepted';
  };

  it('accepts every pair i ≤ j once, with factors naming the pair', () => {
    const a = validateArtifact(pieced());
    expect(a.systems.map((s) => s.pair)).toEqual([
      [0, 0],
      [0, 1],
      [1, 1],
    ]);
    expect(a.activation.pieces?.sigma?.map((p) => p.annihilator)).toEqual(['u*du', 'u*du']);
  });

  it('names the field of a missing pair, a duplicate, wrong factors, a pair without pieces, malformed pieces', () => {
    expect(err((j) => j.systems.pop())).toMatch(/^systems: no system for the pieces \[1, 1\]/);
    expect(err((j) => ((j.systems[2].pair = [0, 1]), (j.systems[2].initialValues.vectors[0].factors = ['sigma#0', 'sigma#1'])))).toMatch(
      /^systems\[2\]\.integrands: .*pair \[0, 1\] is served by an earlier system/,
    );
    expect(err((j) => (j.systems[1].pair = [1, 0]))).toMatch(/^systems\[1\]\.pair: must be \[i, j\] with 0 ≤ i ≤ j < 2/);
    expect(err((j) => (j.systems[1].pair = [0, 2]))).toMatch(/^systems\[1\]\.pair: must be/);
    expect(err((j) => delete j.systems[0].pair)).toMatch(/^systems\[0\]\.pair: missing/);
    expect(err((j) => (j.systems[1].initialValues.vectors[0].factors = ['sigma', 'sigma']))).toMatch(
      /^systems\[1\]\.initialValues\.vectors\[0\]\.factors\[0\]: must be "sigma#0"/,
    );
    expect(err((j) => delete j.activation.pieces)).toMatch(/^systems\[0\]\.pair: given, but no integrand/);
    expect(err((j) => j.activation.pieces.sigma.pop())).toMatch(/^activation\.pieces\.sigma: needs at least two pieces/);
    expect(err((j) => (j.activation.pieces.sigma[1].kinks = [1, 0]))).toMatch(/^activation\.pieces\.sigma\[1\]\.kinks\[1\]: must be strictly increasing/);
    expect(err((j) => (j.activation.pieces.sigma[0].annihilator = ''))).toMatch(/^activation\.pieces\.sigma\[0\]\.annihilator: must be a non-empty string/);
    expect(err((j) => (j.activation.pieces.tanh = []))).toMatch(/^activation\.pieces\.tanh: unknown field/);
    // A plain system's factors stay plain integrands.
    expect(
      err(
        (j) => (
          (j.activation.pieces = undefined),
          (j.systems = [j.systems[0]]),
          delete j.systems[0].pair,
          (j.systems[0].initialValues.vectors[0].factors = ['sigma#0', 'sigma#0'])
        ),
      ),
    ).toMatch(/factors\[0\]: must be "sigma" or "dsigma"/);
  });
});

describe('the stored covariance chart (systems[n].covarianceChart)', () => {
  /** The step system's chart as the compiler writes it (hgm-runtime's artifacts/step.artifact.json). */
  const withChart = (edit: (chart: any) => void = () => {}) =>
    errorOf((j) => {
      j.systems[0].covarianceChart = {
        variables: ['a', 'b', 'c', 'D'],
        entries: [
          [0, 0, '-4*c', '4*D'],
          [0, 1, '4', '8*D'],
          [1, 0, '-4', '-2'],
        ],
      };
      edit(j.systems[0].covarianceChart);
    });

  it('is optional, and accepted when well formed (in version 1 and 2)', () => {
    expect(stepArtifact().systems[0]!.covarianceChart).toBeUndefined();
    expect(withChart()).toBeUndefined();
    const json = v2();
    json.systems[0].covarianceChart = { variables: ['a', 'b', 'c', 'D'], entries: [] };
    expect(validateArtifact(json).systems[0]!.covarianceChart!.entries).toEqual([]);
  });

  it('a malformed chart is an ArtifactError naming the field', () => {
    const P = 'systems[0].covarianceChart';
    const cases: [string, (c: any) => void, string, RegExp][] = [
      ['entries missing', (c) => delete c.entries, `${P}.entries`, /missing/],
      ['unknown field', (c) => (c.rank = 2), `${P}.rank`, /unknown field/],
      ['variables', (c) => (c.variables = ['a', 'b', 'c', 'd']), `${P}.variables`, /must be \["a","b","c","D"\]/],
      ['entries not an array', (c) => (c.entries = {}), `${P}.entries`, /must be an array/],
      ['entry not an array', (c) => (c.entries[1] = '0 1 4 8*D'), `${P}.entries[1]`, /must be an array/],
      ['entry of 3 elements', (c) => c.entries[1].pop(), `${P}.entries[1]`, /\[i, j, numerator, denominator\], got 3/],
      ['row index outside the rank', (c) => (c.entries[2][0] = 2), `${P}.entries[2][0]`, /integer in \[0, 1\] \(a row index\), got 2/],
      ['column index not an integer', (c) => (c.entries[2][1] = 0.5), `${P}.entries[2][1]`, /column index/],
      ['entries out of order', (c) => c.entries.reverse(), `${P}.entries[1]`, /sorted by \(i, j\)/],
      ['an entry twice', (c) => c.entries.push([1, 0, '1', '1']), `${P}.entries[3]`, /each entry once/],
      ['numerator not a string', (c) => (c.entries[0][2] = -4), `${P}.entries[0][2]`, /must be a chart polynomial string, got -4/],
      ['empty denominator', (c) => (c.entries[0][3] = ''), `${P}.entries[0][3]`, /empty polynomial/],
      ['c squared', (c) => (c.entries[0][2] = 'c^2'), `${P}.entries[0][2]`, /c appears at most linearly/],
      ['unknown variable', (c) => (c.entries[0][2] = '4*x11'), `${P}.entries[0][2]`, /expected one of a, b, c, D/],
      ['factors out of order', (c) => (c.entries[0][3] = 'D*a'), `${P}.entries[0][3]`, /order a, b, c, D/],
      ['terms out of order', (c) => (c.entries[0][3] = 'D+a'), `${P}.entries[0][3]`, /increasing order/],
      ['a monomial twice', (c) => (c.entries[0][3] = 'a*D+2*a*D'), `${P}.entries[0][3]`, /each monomial once/],
      ['zero coefficient', (c) => (c.entries[1][3] = '0*D'), `${P}.entries[1][3]`, /positive integer without leading zeros/],
      ['decimal coefficient', (c) => (c.entries[1][2] = '4.5'), `${P}.entries[1][2]`, /'\+' or '-' between terms/],
      ['spaces', (c) => (c.entries[1][3] = '8 * D'), `${P}.entries[1][3]`, /'\+' or '-'/],
      ['exponent too large', (c) => (c.entries[1][3] = 'D^256'), `${P}.entries[1][3]`, /exponent above 255/],
    ];
    for (const [what, edit, path, message] of cases) {
      const e = withChart(edit);
      expect(e, what).toBeInstanceOf(ArtifactError);
      expect(e!.path, what).toBe(path);
      expect(e!.message.startsWith(`${path}: `), what).toBe(true);
      expect(e!.message, what).toMatch(message);
    }
    const e = errorOf((j) => (j.systems[0].covarianceChart = []));
    expect(e?.message).toMatch(/^systems\[0\]\.covarianceChart: must be an object, got an array/);
  });

  it('chart polynomial text: canonical spelling, parsed back to the same terms', () => {
    const terms = [
      { coef: 4n, a: 0, b: 0, c: 1, d: 2 },
      { coef: -1n, a: 2, b: 1, c: 0, d: 0 },
      { coef: 123456789012345678901234567890n, a: 0, b: 0, c: 0, d: 0 },
      { coef: -3n, a: 0, b: 0, c: 0, d: 1 },
      { coef: 1n, a: 0, b: 3, c: 1, d: 0 },
    ];
    const text = chartPolynomialToText(terms);
    expect(text).toBe('123456789012345678901234567890-a^2*b+b^3*c-3*D+4*c*D^2');
    expect(parseChartPolynomial(text)).toEqual([terms[2], terms[1], terms[4], terms[3], terms[0]]);
    expect(parseChartPolynomial('-1')).toEqual([{ coef: -1n, a: 0, b: 0, c: 0, d: 0 }]);
    for (const bad of ['1*a', 'a^1', '+a', 'a+', '-', 'a**b', 'c*c', '007', 'a-a']) expect(() => parseChartPolynomial(bad), bad).toThrow(ParseError);
    expect(() => chartPolynomialToText([])).toThrow(RangeError);
    expect(() => chartPolynomialToText([{ coef: 1n, a: 0, b: 0, c: 2, d: 0 }])).toThrow(RangeError);
  });
});
