import { formulaKinks } from '../annihilators/activationAnnihilator.ts';
import { formulaToText, parseFormula } from '../annihilators/formula.ts';
import {
  ARTIFACT_FORMAT,
  type ArtifactPiece,
  type FactorName,
  type Integrand,
  type MomentTerm,
  type PfaffianArtifact,
  type PfaffianSystem,
} from '@holonomic-ntk/core';
import { PolyRing, QQ, polyToText } from '@holonomic-ntk/weyl-algebra';
import { covarianceChartJson } from './covarianceChart.ts';
import { DUAL_VARIABLES, type DualSystem } from './dualSystem.ts';
import { sha256Hex } from './sha256.ts';

/**
 * Version of the compiler's output. Bump it when the same input would give a different artifact (basis choice,
 * text of entries, provenance layout), so cached artifacts keyed by it are not reused across the change.
 *
 * @example
 * ```ts
 * import { COMPILER_VERSION } from '@holonomic-ntk/restriction';
 * COMPILER_VERSION; // → '2.1.0'
 * ```
 */
export const COMPILER_VERSION = '2.1.0';

/** The command that regenerates the built-in artifacts (recorded in their provenance). */
export const REGENERATE_COMMAND = 'npm run regenerate-artifacts -w @holonomic-ntk/restriction';

/** One compiled system with the integrands it serves, and for an integrand split into pieces the pair it is of. */
export interface CompiledSystem {
  integrands: Integrand[];
  system: DualSystem;
  pair?: [number, number];
}

/** What the artifact's `activation` object says about σ. */
export interface ActivationDescription {
  name: string;
  /** σ in the grammar of `hgm derive --expr`, e.g. `u*heaviside(u)`. */
  sigma?: string;
  /**
   * σ̇ as a formula; default `diff(σ)` when the artifact has a σ̇ system; null for none (a σ̇ system derived from an
   * operator is of the distributional derivative, which `diff(σ)` is not where σ jumps).
   */
  dsigma?: string | null;
  /** The pieces of σ and/or σ̇ whose pair systems the artifact holds (`CompiledSystem.pair`). */
  pieces?: Partial<Record<Integrand, ArtifactPiece[]>>;
  note?: string;
}

const X_RING = new PolyRing(QQ, DUAL_VARIABLES);

/**
 * The `systems[n]` object of "hgm-pfaffian/1" (ARTIFACT.md) for a compiled system: basis labels, the three
 * matrices as canonical rational-function text (RationalFunctionField.toString), the moment-product recipe
 * (one vector per integrand, factors [integrand, integrand]; a basis operator Σ c_β(x)∂^β contributes one term per
 * ∂-monomial with c_β at x12 = 0), the singular locus and the covariance chart computed from them (so loading the
 * artifact is parsing only). Keys in the order of the format description.
 *
 * For example:
 * systemJson({ integrands: ['sigma'], system: dualSystem('u*du') }).basis; // ['1', 'dx12']
 */
export function systemJson(c: CompiledSystem): PfaffianSystem {
  const s = c.system;
  const i12 = X_RING.varIndex('x12');
  const elements: MomentTerm[][] = s.basis.map((b) =>
    b.terms.map((t) => ({ coeff: polyToText(DUAL_VARIABLES, QQ, X_RING.substitute(t.coeff, i12, X_RING.zero), { compact: true }), i: t.i, j: t.j, k: t.k })),
  );
  const system: PfaffianSystem = {
    integrands: c.integrands.slice(),
    rank: s.rank,
    basis: s.basis.map((b) => b.label),
    pfaffian: {
      x11: s.matrices.x11.map((row) => row.map((e) => e.toString())),
      x12: s.matrices.x12.map((row) => row.map((e) => e.toString())),
      x22: s.matrices.x22.map((row) => row.map((e) => e.toString())),
    },
    initialValues: {
      method: 'moment-products',
      vectors: c.integrands.map((integrand) => ({
        integrand,
        factors: (c.pair ? [`${integrand}#${c.pair[0]}`, `${integrand}#${c.pair[1]}`] : [integrand, integrand]) as [FactorName, FactorName],
        elements,
      })),
    },
    singularLocus: s.singularLocus.slice(),
    ...(c.pair ? { pair: [c.pair[0], c.pair[1]] as [number, number] } : {}),
  };
  return withCovarianceChart(system);
}

/**
 * The system with its covariance chart (the path matrix in covariance coordinates, ./covarianceChart.ts) computed
 * from the matrices as written, appended as the last field, so the runtime parses it instead of computing it.
 */
function withCovarianceChart(system: PfaffianSystem): PfaffianSystem {
  return { ...system, covarianceChart: covarianceChartJson(system) };
}

/**
 * The whole artifact: format, activation (name, formulas, annihilators), variables, systems, timings (seconds per
 * stage — the only volatile field; the regeneration test ignores it), provenance (compiler version, command,
 * input operators, transfer rule, restriction ideal and b-function per system, the ∂-order of the basis, a key
 * hashing the normalized inputs and the compiler version for on-disk caches). Deterministic apart from timings.
 *
 * For example:
 * const a = buildArtifact({ name: 'step', sigma: 'Y(u)' }, [{ integrands: ['sigma'], system: dualSystem('u*du') }]);
 * a.systems[0].rank; // 2
 */
export function buildArtifact(activation: ActivationDescription, systems: readonly CompiledSystem[], command: string = REGENERATE_COMMAND): PfaffianArtifact {
  // A pieced integrand has no single annihilator: its pieces carry theirs.
  const annihilatorOf = (i: Integrand) => (activation.pieces?.[i] ? undefined : systems.find((c) => c.integrands.includes(i))?.system.annihilator);
  const hasSystem = (i: Integrand) => systems.some((c) => c.integrands.includes(i));
  const sigmaOp = annihilatorOf('sigma');
  const dsigmaOp = annihilatorOf('dsigma');
  const act: PfaffianArtifact['activation'] = { name: activation.name };
  if (activation.sigma !== undefined) {
    // Parsed here so that an artifact never carries a formula the derive grammar does not read.
    const sigma = parseFormula(activation.sigma);
    act.sigma = formulaToText(sigma);
    if (hasSystem('dsigma') && activation.dsigma !== null) act.dsigma = formulaToText(parseFormula(activation.dsigma ?? `diff(${activation.sigma})`));
    act.kinks = formulaKinks(sigma);
  }
  if (sigmaOp !== undefined) act['annihilator'] = sigmaOp;
  if (dsigmaOp !== undefined) act['dsigmaAnnihilator'] = dsigmaOp;
  if (activation.pieces !== undefined) act.pieces = activation.pieces;
  if (activation.note !== undefined) act['note'] = activation.note;

  const timings: Record<string, unknown> = {};
  systems.forEach((c) => {
    const t = c.system.seconds;
    timings[c.integrands.join('+') + (c.pair ? `#${c.pair.join(',')}` : '')] = {
      restriction: round(t.restriction),
      groebner: round(t.groebner),
      pfaffian: round(t.pfaffian),
      integrability: round(t.integrability),
      total: round(t.restriction + t.groebner + t.pfaffian + t.integrability),
    };
  });

  const provenance = {
    compiler: '@holonomic-ntk/restriction compiler (src/compiler)',
    compilerVersion: COMPILER_VERSION,
    command,
    key: artifactKey(activation.name, systems),
    transferRule:
      'u -> dy1, du -> -(y1+2*x11*dy1+2*x12*dy2), v -> dy2, dv -> -(y2+2*x12*dy1+2*x22*dy2); I1 = <iota(P(u,du)), iota(P(v,dv)), dx11-dy1^2, dx12-2*dy1*dy2, dx22-dy2^2>',
    restriction: 'y1 = y2 = 0, weight (1,1,0,0,0) on (y1,y2,x11,x12,x22)',
    singularLocusMethod: 'coprime factors of all denominators by multivariate gcd (squarefree, pairwise coprime; not a full factorization)',
    systems: systems.map((c) => ({
      integrands: c.integrands.slice(),
      ...(c.pair ? { pair: c.pair.slice() } : {}),
      annihilator: c.system.annihilator,
      ...(c.system.vAnnihilator !== undefined ? { vAnnihilator: c.system.vAnnihilator } : {}),
      bFunction: c.system.restriction.module.bFunction.text,
      restrictionIdeal: c.system.restriction.text.slice(),
      derivationOrder: c.system.derivationOrder.slice(),
      basisChoice:
        c.system.spurious.length === 0
          ? 'no spurious singular factor (none divisible by x12, none vanishing or changing sign on the grid test of the negative-definite cone)'
          : `spurious singular factors remain: ${c.system.spurious.join(', ')}`,
      integrable: c.system.integrable ?? 'not checked',
    })),
  };

  return {
    format: ARTIFACT_FORMAT,
    activation: act,
    variables: ['x11', 'x12', 'x22'],
    systems: systems.map(systemJson),
    timings,
    provenance,
  };
}

/** Seconds to milliseconds precision (timings are for people). */
function round(s: number): number {
  return Math.round(s * 1000) / 1000;
}

/**
 * A stable cache key: sha256 of the compiler version, the activation name and, per system, its integrands and
 * normalized annihilator text (first 16 hex digits).
 *
 * For example, `artifactKey('relu', systems); // 'a3f1…' (16 hex digits)`
 */
export function artifactKey(name: string, systems: readonly CompiledSystem[]): string {
  const text = JSON.stringify([
    COMPILER_VERSION,
    name,
    systems.map((c) => [c.integrands, c.system.annihilator, c.system.basis.map((b) => b.label), ...(c.pair ? [c.pair, c.system.vAnnihilator ?? null] : [])]),
  ]);
  return sha256Hex(text).slice(0, 16);
}

/**
 * Deterministic JSON text of an artifact: 2-space indentation, but arrays of scalars (matrix rows, basis,
 * singular locus) and objects of scalars (recipe terms) on one line, keys in insertion order, trailing newline.
 * JSON.parse gives back the same value.
 *
 * @example
 * ```ts
 * import { artifactToJson } from '@holonomic-ntk/restriction';
 * const text = artifactToJson({ format: 'hgm-pfaffian/1', basis: ['1', 'dx12'], term: { coeff: '1', i: 0 } });
 * text; // → '{\n  "format": "hgm-pfaffian/1",\n  "basis": ["1", "dx12"],\n  "term": { "coeff": "1", "i": 0 }\n}\n'
 * JSON.parse(text).basis; // → ['1', 'dx12']
 * ```
 */
export function artifactToJson(value: unknown): string {
  return `${pretty(value, '')}\n`;
}

function isScalar(v: unknown): boolean {
  return v === null || typeof v !== 'object';
}

function pretty(v: unknown, indent: string): string {
  if (isScalar(v)) return JSON.stringify(v);
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (v.every(isScalar)) return `[${v.map((e) => JSON.stringify(e)).join(', ')}]`;
    return `[\n${v.map((e) => inner + pretty(e, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(v as Record<string, unknown>).filter(([, e]) => e !== undefined);
  if (entries.length === 0) return '{}';
  if (entries.every(([, e]) => isScalar(e))) return `{ ${entries.map(([k, e]) => `${JSON.stringify(k)}: ${JSON.stringify(e)}`).join(', ')} }`;
  return `{\n${entries.map(([k, e]) => `${inner}${JSON.stringify(k)}: ${pretty(e, inner)}`).join(',\n')}\n${indent}}`;
}
