/**
 * The Pfaffian artifact "hgm-pfaffian/2" (and the older "hgm-pfaffian/1", still read): the only contract between the
 * algebra packages (which write it) and the runtime (which reads it). Format description:
 * packages/hgm-runtime/ARTIFACT.md. The validator checks everything the runtime relies on, so later stages may index
 * without defensive checks; errors name the offending field. Version 2 adds machine-readable σ and σ̇: formulas in the
 * grammar of `hgm derive --expr` with their kinks, so an artifact alone is enough to evaluate its dual.
 */
import { CHART_VARIABLES, parseChartPolynomial } from './chartPolynomial.ts';
import { ArtifactError, ParseError } from './errors.ts';
import { parseRationalExpression, PFAFFIAN_VARIABLES, type PfaffianVariable } from './rationalExpression.ts';

/**
 * Format tag and version the compiler writes.
 *
 * @example
 * ```ts
 * import { ARTIFACT_FORMAT } from '@holonomic-ntk/core';
 * ARTIFACT_FORMAT; // → 'hgm-pfaffian/2'
 * ```
 */
export const ARTIFACT_FORMAT = 'hgm-pfaffian/2';

/**
 * Every format version this package reads: version 1 (σ described in prose only) and the current one.
 *
 * @example
 * ```ts
 * import { ARTIFACT_FORMATS_READ } from '@holonomic-ntk/core';
 * ARTIFACT_FORMATS_READ; // → ['hgm-pfaffian/1', 'hgm-pfaffian/2']
 * ```
 */
export const ARTIFACT_FORMATS_READ = ['hgm-pfaffian/1', 'hgm-pfaffian/2'] as const;

/** One of {@link ARTIFACT_FORMATS_READ}. */
export type ArtifactFormat = (typeof ARTIFACT_FORMATS_READ)[number];

/** Which integrand σ(u)σ(v) (`sigma`) or σ̇(u)σ̇(v) (`dsigma`) a system or an initial vector is for. */
export type Integrand = 'sigma' | 'dsigma';
/**
 * Every {@link Integrand}, in the order artifacts list them.
 *
 * @example
 * ```ts
 * import { INTEGRANDS } from '@holonomic-ntk/core';
 * INTEGRANDS; // → ['sigma', 'dsigma']
 * ```
 */
export const INTEGRANDS: readonly Integrand[] = ['sigma', 'dsigma'];

/**
 * One term of an initial value: at x12 = 0,
 *   value = coeff(x11, 0, x22) · 2^j · m^{u}_{2i+j}(x11) · m^{v}_{2k+j}(x22)
 * which is ∂11^i ∂12^j ∂22^k F at x12 = 0, times coeff. `coeff` is a rational expression.
 */
export interface MomentTerm {
  coeff: string;
  i: number;
  j: number;
  k: number;
}

/**
 * A 1-D function the initial values take moments of: σ (`sigma`), σ̇ (`dsigma`), or piece i of the sum σ = Σ σ_i
 * (`sigma#i`; `dsigma#i` for σ̇), see {@link ArtifactPiece}.
 */
export type FactorName = Integrand | `${Integrand}#${number}`;

/**
 * Initial vector of one integrand: `elements[l]` is the list of terms whose sum is basis element l applied to
 * F at x12 = 0. `factors` names the 1-D function whose moments are used for u (with x11) and for v (x22).
 */
export interface InitialVectorRecipe {
  integrand: Integrand;
  factors: [FactorName, FactorName];
  elements: MomentTerm[][];
}

/** How to build F⃗ at (x11, 0, x22): one vector per integrand of the system (same ODE, own initial values). */
export interface InitialValueRecipe {
  method: 'moment-products';
  vectors: InitialVectorRecipe[];
}

/** ∂F⃗/∂x_v = P_v F⃗ for v ∈ {x11, x12, x22}; entries are rational expressions (canonical text). */
export type PfaffianMatrices = Record<PfaffianVariable, string[][]>;

export interface PfaffianSystem {
  integrands: Integrand[];
  rank: number;
  /** Basis elements s_1..s_r (∂-monomials like "1", "dx12", "dx11^2*dx12"); must contain "1". */
  basis: string[];
  pfaffian: PfaffianMatrices;
  initialValues: InitialValueRecipe;
  /** Polynomials whose zero sets contain every singularity of the system. */
  singularLocus: string[];
  /**
   * For an integrand split into pieces (`activation.pieces`): this system is of E[σ_i(u)σ_j(v)] for the pieces
   * [i, j], i ≤ j, and the integrand's dual is Σ_i E_ii(a, c, b) + Σ_{i<j} (E_ij(a, c, b) + E_ij(b, c, a)).
   */
  pair?: [number, number];
  /** The path matrix in covariance coordinates, computed by the compiler (optional: the runtime computes it if absent). */
  covarianceChart?: CovarianceChartJson;
}

/**
 * One piece σ_i of an activation written as σ = Σ σ_i (coefficients inside the pieces). Each piece has an
 * annihilator of low order, so the system of every pair of pieces is small where the annihilator of σ itself (their
 * least common left multiple) gives a system of high rank that may not even derive (ELU: MATH.md §9).
 */
export interface ArtifactPiece {
  /** The piece in the grammar of `hgm derive --expr`, e.g. `exp(u)*heaviside(-u)`. */
  formula: string;
  /** Its annihilator in Q⟨u, ∂u⟩, e.g. `u*du - u`. */
  annihilator: string;
  /** Sorted points where the piece is not analytic. */
  kinks: number[];
}

/**
 * The matrix M with dG/dc = M·G along x(c) = −½Λ⁻¹, Λ = [[a, c], [c, b]], G = F⃗/(2π√Δ), in the coordinates a, b, c,
 * D = Δ = ab − c² (ARTIFACT.md). `entries` lists the non-zero entries [i, j, numerator, denominator], sorted by (i, j),
 * each polynomial in the canonical text of `parseChartPolynomial`.
 */
export interface CovarianceChartJson {
  variables: ['a', 'b', 'c', 'D'];
  entries: [number, number, string, string][];
}

/**
 * What the artifact says about σ. In version 2, `sigma` and `dsigma` (when present) are formulas in the grammar of
 * `hgm derive --expr` (`heaviside(u)*sin(u)`, `diff(u*Phi(u))`) and `kinks` lists the sorted real points where σ or
 * σ̇ is not analytic; the runtime evaluates the initial values from them alone. In version 1 they were prose for
 * people. An activation derived from an annihilator only has no formulas: its functions must then be supplied.
 */
export interface ArtifactActivation {
  name: string;
  sigma?: string;
  dsigma?: string;
  kinks?: number[];
  /** The pieces of σ and/or σ̇ when their systems are per pair of pieces (`PfaffianSystem.pair`). */
  pieces?: Partial<Record<Integrand, ArtifactPiece[]>>;
  [key: string]: unknown;
}

export interface PfaffianArtifact {
  format: ArtifactFormat;
  activation: ArtifactActivation;
  variables: ['x11', 'x12', 'x22'];
  systems: PfaffianSystem[];
  timings?: Record<string, unknown>;
  provenance?: Record<string, unknown>;
}

/** A ∂-monomial ∂11^i ∂12^j ∂22^k as exponents [i, j, k]. */
export type DMonomial = [number, number, number];

const D_VARIABLES = ['dx11', 'dx12', 'dx22'] as const;
/** Bounds that catch corrupt input long before they cost time; real systems have orders below 10. */
const MAX_RANK = 256;
const MAX_ORDER = 64;

/**
 * Parses a basis label that is a ∂-monomial: "1", "dx12", "dx11^2*dx12". Throws `ParseError` otherwise.
 *
 * @example
 * ```ts
 * import { parseDMonomial } from '@holonomic-ntk/core';
 * parseDMonomial('dx11^2*dx12'); // → [2, 1, 0]
 * parseDMonomial('1'); // → [0, 0, 0]
 * parseDMonomial('dx13'); // throws ParseError
 * ```
 */
export function parseDMonomial(text: string): DMonomial {
  const exps: DMonomial = [0, 0, 0];
  const s = text.trim();
  if (s === '1') return exps;
  const re = /\s*(dx11|dx12|dx22)(?:\s*\^\s*(\d+))?\s*(\*|$)/y;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw new ParseError(`expected dx11, dx12 or dx22 (optionally ^n), joined by *`, pos + 1, text);
    const e = m[2] === undefined ? 1 : Number(m[2]);
    exps[D_VARIABLES.indexOf(m[1] as (typeof D_VARIABLES)[number])]! += e;
    pos = re.lastIndex;
    if (m[3] === '') break;
    if (pos >= text.length) throw new ParseError('expected a factor after *', pos + 1, text);
  }
  if (pos === 0) throw new ParseError('empty basis element', 1, text);
  return exps;
}

/**
 * Labels shaped like a product of d-factors must be valid monomials (catches typos like "dx13"); other labels
 * (e.g. "x11*dx11+dx22") are operator texts whose recipe terms define them.
 */
const MONOMIAL_SHAPE = /^\s*(1|d\w*(\s*\^\s*\d+)?(\s*\*\s*d\w*(\s*\^\s*\d+)?)*)\s*$/;

/**
 * Checks `json` against its format version ("hgm-pfaffian/1" or "/2") and returns it typed. Every entry is parsed, so a returned artifact
 * compiles. Throws `ArtifactError` whose message starts with the path of the first offending field.
 *
 * @example
 * ```ts
 * import { validateArtifact } from '@holonomic-ntk/core';
 * // The smallest valid artifact: σ constant, so F is constant and every ∂F/∂x is 0 (rank 1, basis "1").
 * const json = {
 *   format: 'hgm-pfaffian/1',
 *   activation: { name: 'one' },
 *   variables: ['x11', 'x12', 'x22'],
 *   systems: [{
 *     integrands: ['sigma'],
 *     rank: 1,
 *     basis: ['1'],
 *     pfaffian: { x11: [['0']], x12: [['0']], x22: [['0']] },
 *     initialValues: {
 *       method: 'moment-products',
 *       vectors: [{ integrand: 'sigma', factors: ['sigma', 'sigma'], elements: [[{ coeff: '1', i: 0, j: 0, k: 0 }]] }],
 *     },
 *     singularLocus: [],
 *   }],
 * };
 * validateArtifact(json).systems[0].rank; // → 1
 * validateArtifact({ ...json, variables: ['x11', 'x22', 'x12'] }); // throws ArtifactError
 * ```
 */
export function validateArtifact(json: unknown): PfaffianArtifact {
  const root = object(json, '$');
  checkKeys(root, '$', ['format', 'activation', 'variables', 'systems', 'timings', 'provenance']);
  checkFormat(root['format']);

  const activation = object(root['activation'], 'activation');
  if (typeof activation['name'] !== 'string' || activation['name'] === '') {
    fail('activation.name', 'must be a non-empty string');
  }
  if (root['format'] !== 'hgm-pfaffian/1') validateFormulas(activation);
  const pieceCounts = root['format'] === 'hgm-pfaffian/1' ? {} : validatePieces(activation);

  const variables = array(root['variables'], 'variables');
  if (variables.length !== 3 || variables.some((v, i) => v !== PFAFFIAN_VARIABLES[i])) {
    fail('variables', `must be ["x11","x12","x22"], got ${JSON.stringify(variables)}`);
  }

  const systems = array(root['systems'], 'systems');
  if (systems.length === 0) fail('systems', 'must contain at least one system');
  const served = new Set<string>();
  systems.forEach((s, n) => {
    const path = `systems[${n}]`;
    const integrands = validateSystem(s, path, pieceCounts);
    const pair = (s as PfaffianSystem).pair;
    // A pieced integrand is served by one system per pair of pieces; any other by exactly one system.
    const key = (i: Integrand) => (pair ? `${i}#${pair[0]},${pair[1]}` : i);
    for (const integrand of integrands) {
      if (served.has(key(integrand)))
        fail(`${path}.integrands`, `integrand '${integrand}'${pair ? ` pair [${pair.join(', ')}]` : ''} is served by an earlier system too`);
      served.add(key(integrand));
    }
  });
  for (const [integrand, count] of Object.entries(pieceCounts)) {
    for (let i = 0; i < count; i++) {
      for (let j = i; j < count; j++) {
        if (!served.has(`${integrand}#${i},${j}`)) fail('systems', `no system for the pieces [${i}, ${j}] of '${integrand}' (activation.pieces.${integrand})`);
      }
    }
  }

  for (const key of ['timings', 'provenance'] as const) {
    if (root[key] !== undefined) object(root[key], key);
  }
  return json as PfaffianArtifact;
}

/**
 * Parses artifact JSON text and validates it.
 *
 * @example
 * ```ts
 * import { ArtifactError, readArtifact } from '@holonomic-ntk/core';
 * readArtifact('{"format": '); // throws ArtifactError
 * let path = '';
 * try {
 *   readArtifact('{"format": "hgm-pfaffian/1", "activation": {"name": ""}}');
 * } catch (e) {
 *   if (e instanceof ArtifactError) path = e.path;
 * }
 * path; // → 'activation.name'
 * ```
 */
export function readArtifact(text: string): PfaffianArtifact {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    fail('$', `not valid JSON (${(e as Error).message})`);
  }
  return validateArtifact(json);
}

/**
 * Index of the system that serves `integrand`, or -1.
 *
 * @example
 * ```ts
 * import { findSystem, validateArtifact } from '@holonomic-ntk/core';
 * // The smallest valid artifact: σ constant, so F is constant and every ∂F/∂x is 0 (rank 1, basis "1").
 * const json = {
 *   format: 'hgm-pfaffian/1',
 *   activation: { name: 'one' },
 *   variables: ['x11', 'x12', 'x22'],
 *   systems: [{
 *     integrands: ['sigma'],
 *     rank: 1,
 *     basis: ['1'],
 *     pfaffian: { x11: [['0']], x12: [['0']], x22: [['0']] },
 *     initialValues: {
 *       method: 'moment-products',
 *       vectors: [{ integrand: 'sigma', factors: ['sigma', 'sigma'], elements: [[{ coeff: '1', i: 0, j: 0, k: 0 }]] }],
 *     },
 *     singularLocus: [],
 *   }],
 * };
 * const artifact = validateArtifact(json);
 * findSystem(artifact, 'sigma'); // → 0
 * findSystem(artifact, 'dsigma'); // → -1
 * ```
 */
export function findSystem(artifact: PfaffianArtifact, integrand: Integrand): number {
  return artifact.systems.findIndex((s) => s.integrands.includes(integrand));
}

function checkFormat(format: unknown): void {
  const expected = ARTIFACT_FORMATS_READ.map((f) => `"${f}"`).join(' or ');
  if (format === undefined) fail('format', `missing (expected ${expected})`);
  if (typeof format !== 'string') fail('format', `must be the string ${expected}`);
  if ((ARTIFACT_FORMATS_READ as readonly string[]).includes(format)) return;
  const m = /^hgm-pfaffian\/(.*)$/.exec(format);
  if (m) fail('format', `unsupported version "${m[1]}" of hgm-pfaffian; this package reads ${expected}`);
  fail('format', `unknown format "${format}" (expected ${expected})`);
}

/** Version 2: σ and σ̇ are formulas (strings) and come with their kinks, sorted finite numbers. */
function validateFormulas(activation: Record<string, unknown>): void {
  for (const key of ['sigma', 'dsigma'] as const) {
    const f = activation[key];
    if (f !== undefined && (typeof f !== 'string' || f.trim() === '')) fail(`activation.${key}`, 'must be a formula (a non-empty string)');
  }
  if (activation['dsigma'] !== undefined && activation['sigma'] === undefined) fail('activation.dsigma', 'given without activation.sigma');
  const kinks = activation['kinks'];
  if (activation['sigma'] !== undefined && kinks === undefined)
    fail('activation.kinks', 'required with activation.sigma (the sorted points where σ is not analytic; [] if none)');
  if (kinks !== undefined) sortedNumbers(kinks, 'activation.kinks');
}

/** Version 2: `activation.pieces`, when present; returns the number of pieces per pieced integrand. */
function validatePieces(activation: Record<string, unknown>): Partial<Record<Integrand, number>> {
  const counts: Partial<Record<Integrand, number>> = {};
  if (activation['pieces'] === undefined) return counts;
  const pieces = object(activation['pieces'], 'activation.pieces');
  checkKeys(pieces, 'activation.pieces', INTEGRANDS);
  for (const which of INTEGRANDS) {
    if (pieces[which] === undefined) continue;
    const path = `activation.pieces.${which}`;
    const list = array(pieces[which], path);
    if (list.length < 2) fail(path, 'needs at least two pieces (one piece is the activation itself: no pieces field)');
    list.forEach((p, n) => {
      const pp = `${path}[${n}]`;
      const piece = object(p, pp);
      checkKeys(piece, pp, ['formula', 'annihilator', 'kinks']);
      for (const key of ['formula', 'annihilator'] as const) {
        if (typeof piece[key] !== 'string' || (piece[key] as string).trim() === '') fail(`${pp}.${key}`, 'must be a non-empty string');
      }
      sortedNumbers(piece['kinks'], `${pp}.kinks`);
    });
    counts[which] = list.length;
  }
  return counts;
}

function sortedNumbers(json: unknown, path: string): void {
  const list = array(json, path);
  list.forEach((k, i) => {
    if (typeof k !== 'number' || !Number.isFinite(k)) fail(`${path}[${i}]`, 'must be a finite number');
    if (i > 0 && !((list[i - 1] as number) < k)) fail(`${path}[${i}]`, 'must be strictly increasing');
  });
}

function validateSystem(json: unknown, path: string, pieceCounts: Partial<Record<Integrand, number>>): Integrand[] {
  const s = object(json, path);
  checkKeys(s, path, ['integrands', 'rank', 'basis', 'pfaffian', 'initialValues', 'singularLocus', 'pair', 'covarianceChart']);

  const integrands = array(s['integrands'], `${path}.integrands`);
  if (integrands.length === 0) fail(`${path}.integrands`, 'must name at least one of "sigma", "dsigma"');
  integrands.forEach((v, i) => integrand(v, `${path}.integrands[${i}]`));
  if (new Set(integrands).size !== integrands.length) fail(`${path}.integrands`, 'has duplicates');
  const pair = validatePair(s['pair'], `${path}.pair`, integrands as Integrand[], pieceCounts);

  const rank = s['rank'];
  if (!Number.isInteger(rank) || (rank as number) < 1 || (rank as number) > MAX_RANK) {
    fail(`${path}.rank`, `must be an integer in [1, ${MAX_RANK}], got ${JSON.stringify(rank)}`);
  }
  const r = rank as number;

  const basis = array(s['basis'], `${path}.basis`);
  if (basis.length !== r) fail(`${path}.basis`, `has ${basis.length} elements, rank is ${r}`);
  const monomials: (DMonomial | undefined)[] = basis.map((b, i) => {
    const p = `${path}.basis[${i}]`;
    if (typeof b !== 'string' || b.trim() === '') fail(p, 'must be a non-empty string');
    if (!MONOMIAL_SHAPE.test(b)) return undefined; // an operator label; its recipe terms define it
    const m = parseOrFail(() => parseDMonomial(b), p);
    if (m.some((e) => e > MAX_ORDER)) fail(p, `order above ${MAX_ORDER}`);
    return m;
  });
  const keys = monomials.map((m, i) => (m ? m.join(',') : `label:${basis[i] as string}`));
  keys.forEach((k, i) => {
    if (keys.indexOf(k) !== i) fail(`${path}.basis[${i}]`, `duplicates basis[${keys.indexOf(k)}]`);
  });
  if (!monomials.some((m) => m && m[0] === 0 && m[1] === 0 && m[2] === 0)) {
    fail(`${path}.basis`, 'must contain "1" (F itself, needed for the dual activation)');
  }

  const pf = object(s['pfaffian'], `${path}.pfaffian`);
  checkKeys(pf, `${path}.pfaffian`, [...PFAFFIAN_VARIABLES]);
  for (const v of PFAFFIAN_VARIABLES) {
    const p = `${path}.pfaffian.${v}`;
    if (pf[v] === undefined) fail(p, 'missing');
    const rows = array(pf[v], p);
    if (rows.length !== r) fail(p, `has ${rows.length} rows, rank is ${r}`);
    rows.forEach((row, i) => {
      const cols = array(row, `${p}[${i}]`);
      if (cols.length !== r) fail(`${p}[${i}]`, `has ${cols.length} entries, rank is ${r}`);
      cols.forEach((entry, j) => expression(entry, `${p}[${i}][${j}]`));
    });
  }

  validateRecipe(s['initialValues'], `${path}.initialValues`, integrands as Integrand[], monomials, r, pair);

  const locus = array(s['singularLocus'], `${path}.singularLocus`);
  locus.forEach((e, i) => expression(e, `${path}.singularLocus[${i}]`));
  if (s['covarianceChart'] !== undefined) validateCovarianceChart(s['covarianceChart'], `${path}.covarianceChart`, r);
  return integrands as Integrand[];
}

/**
 * The stored chart: `variables` exactly ["a","b","c","D"]; `entries` [i, j, num, den] with 0 ≤ i, j < rank, strictly
 * increasing in (i, j), num and den canonical chart polynomials. Whether it equals the chart of the Pfaffian matrices
 * is not checked here (that costs what storing it saves); the compiler's tests check it for what it writes.
 */
function validateCovarianceChart(json: unknown, path: string, rank: number): void {
  const chart = object(json, path);
  checkKeys(chart, path, ['variables', 'entries']);
  const variables = array(chart['variables'], `${path}.variables`);
  if (variables.length !== 4 || variables.some((v, i) => v !== CHART_VARIABLES[i])) {
    fail(`${path}.variables`, `must be ["a","b","c","D"], got ${JSON.stringify(variables)}`);
  }
  const entries = array(chart['entries'], `${path}.entries`);
  let previous = -1;
  entries.forEach((e, n) => {
    const ep = `${path}.entries[${n}]`;
    const entry = array(e, ep);
    if (entry.length !== 4) fail(ep, `must be [i, j, numerator, denominator], got ${entry.length} elements`);
    for (const k of [0, 1]) {
      const v = entry[k];
      if (!Number.isInteger(v) || (v as number) < 0 || (v as number) >= rank) {
        fail(`${ep}[${k}]`, `must be an integer in [0, ${rank - 1}] (a ${k === 0 ? 'row' : 'column'} index), got ${describe(v)}`);
      }
    }
    const index = (entry[0] as number) * rank + (entry[1] as number);
    if (index <= previous) fail(ep, 'entries must be sorted by (i, j), each entry once');
    previous = index;
    for (const k of [2, 3]) {
      const v = entry[k];
      if (typeof v !== 'string') fail(`${ep}[${k}]`, `must be a chart polynomial string, got ${describe(v)}`);
      parseOrFail(() => parseChartPolynomial(v), `${ep}[${k}]`);
    }
  });
}

/** A pieced integrand's systems each name their pair of pieces; no other system has a pair. */
function validatePair(json: unknown, path: string, integrands: Integrand[], pieceCounts: Partial<Record<Integrand, number>>): [number, number] | undefined {
  const pieced = integrands.filter((i) => pieceCounts[i] !== undefined);
  if (json === undefined) {
    if (pieced.length > 0) fail(path, `missing: '${pieced[0]}' is split into pieces (activation.pieces), so each of its systems names its pair`);
    return undefined;
  }
  if (pieced.length === 0) fail(path, `given, but no integrand of the system is split into pieces (activation.pieces)`);
  if (integrands.length !== 1) fail(path, 'a system of a pair of pieces serves exactly one integrand');
  const count = pieceCounts[integrands[0]!]!;
  const pair = array(json, path);
  if (
    pair.length !== 2 ||
    !pair.every((i) => Number.isInteger(i) && (i as number) >= 0 && (i as number) < count) ||
    (pair[0] as number) > (pair[1] as number)
  ) {
    fail(path, `must be [i, j] with 0 ≤ i ≤ j < ${count} (the number of pieces), got ${JSON.stringify(pair)}`);
  }
  return pair as [number, number];
}

function validateRecipe(
  json: unknown,
  path: string,
  integrands: Integrand[],
  monomials: (DMonomial | undefined)[],
  rank: number,
  pair: [number, number] | undefined,
): void {
  const rec = object(json, path);
  checkKeys(rec, path, ['method', 'vectors']);
  if (rec['method'] !== 'moment-products') {
    fail(`${path}.method`, `must be "moment-products", got ${JSON.stringify(rec['method'])}`);
  }
  const vectors = array(rec['vectors'], `${path}.vectors`);
  const seen = new Set<string>();
  vectors.forEach((vj, n) => {
    const vp = `${path}.vectors[${n}]`;
    const vec = object(vj, vp);
    checkKeys(vec, vp, ['integrand', 'factors', 'elements']);
    const which = integrand(vec['integrand'], `${vp}.integrand`);
    if (!integrands.includes(which)) fail(`${vp}.integrand`, `"${which}" is not among the system's integrands`);
    if (seen.has(which)) fail(`${vp}.integrand`, `a second vector for "${which}"`);
    seen.add(which);
    const factors = array(vec['factors'], `${vp}.factors`);
    if (factors.length !== 2) fail(`${vp}.factors`, 'must be [u-factor, v-factor], e.g. ["sigma","sigma"]');
    if (pair) {
      factors.forEach((f, i) => {
        const expected = `${which}#${pair[i]}`;
        if (f !== expected) fail(`${vp}.factors[${i}]`, `must be "${expected}" (the system's pair), got ${describe(f)}`);
      });
    } else factors.forEach((f, i) => integrand(f, `${vp}.factors[${i}]`));

    const elements = array(vec['elements'], `${vp}.elements`);
    if (elements.length !== rank) fail(`${vp}.elements`, `has ${elements.length} entries, rank is ${rank}`);
    elements.forEach((el, l) => {
      const ep = `${vp}.elements[${l}]`;
      const terms = array(el, ep);
      if (terms.length === 0) fail(ep, 'needs at least one term');
      terms.forEach((t, m) => term(t, `${ep}[${m}]`));
      // A monomial basis element has exactly one term, itself: a mismatch means the recipe and the basis disagree.
      const mono = monomials[l];
      if (mono) {
        const t = terms[0] as MomentTerm;
        const ok = terms.length === 1 && t.i === mono[0] && t.j === mono[1] && t.k === mono[2] && t.coeff.trim() === '1';
        if (!ok) {
          fail(
            ep,
            `basis element ${l} is the monomial ∂11^${mono[0]} ∂12^${mono[1]} ∂22^${mono[2]}; expected [{"coeff":"1","i":${mono[0]},"j":${mono[1]},"k":${mono[2]}}]`,
          );
        }
      }
    });
  });
  for (const i of integrands) {
    if (!seen.has(i)) fail(`${path}.vectors`, `no initial vector for integrand "${i}"`);
  }
}

function term(json: unknown, path: string): void {
  const t = object(json, path);
  checkKeys(t, path, ['coeff', 'i', 'j', 'k']);
  expression(t['coeff'], `${path}.coeff`);
  for (const key of ['i', 'j', 'k'] as const) {
    const v = t[key];
    if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > MAX_ORDER) {
      fail(`${path}.${key}`, `must be an integer in [0, ${MAX_ORDER}], got ${JSON.stringify(v)}`);
    }
  }
}

// --- small checkers; each throws ArtifactError with the path -------------------------------------------

function fail(path: string, detail: string): never {
  throw new ArtifactError(path, detail);
}

function object(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    fail(path, v === undefined ? 'missing' : `must be an object, got ${describe(v)}`);
  }
  return v as Record<string, unknown>;
}

function array(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) fail(path, v === undefined ? 'missing' : `must be an array, got ${describe(v)}`);
  return v;
}

function integrand(v: unknown, path: string): Integrand {
  if (v !== 'sigma' && v !== 'dsigma') fail(path, `must be "sigma" or "dsigma", got ${describe(v)}`);
  return v;
}

function expression(v: unknown, path: string): void {
  if (typeof v !== 'string') fail(path, `must be a rational-expression string, got ${describe(v)}`);
  parseOrFail(() => parseRationalExpression(v, PFAFFIAN_VARIABLES), path);
}

function parseOrFail<T>(parse: () => T, path: string): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof ParseError) fail(path, e.message);
    throw e;
  }
}

function checkKeys(obj: Record<string, unknown>, path: string, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      fail(path === '$' ? key : `${path}.${key}`, `unknown field (allowed: ${allowed.join(', ')})`);
    }
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return typeof v === 'object' ? 'an object' : String(v);
}
