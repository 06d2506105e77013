/**
 * Where the Pfaffian artifact of an activation comes from — the one place that decides it, shared by
 * `hgm derive` and the HGM dual provider: a built-in name loads the committed JSON under
 * hgm-runtime's catalogue (packages/hgm-runtime/artifacts); anything else is derived by the restriction compiler and cached on disk
 * ($HGM_CACHE_DIR, default ~/.cache/holonomic-ntk), keyed by a hash of the compiler version, the normalized
 * operators and the basis, written atomically so concurrent processes never read half a file.
 */
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  BUILTIN_ARTIFACTS,
  CATALOGUE_ARTIFACTS,
  COMPILER_VERSION,
  type CompileOptions,
  type CompileSpec,
  type FormulaCompileSpec,
  activationAnnihilator,
  artifactToJson,
  builtinAnnihilator,
  compileActivation,
  compileFormula,
  formulaNormalForm,
  formulaToText,
  parseFormula,
} from '@holonomic-ntk/restriction';
import { DomainError, NotHolonomicError, type PfaffianArtifact, numericFormula, readArtifact } from '@holonomic-ntk/core';
import { writeFileAtomic } from './atomicWrite.ts';
import { clip, isInheritedName } from './text.ts';

/** The committed artifacts of the built-in activations. */
export const BUILTIN_ARTIFACT_DIR = dirname(createRequire(import.meta.url).resolve('@holonomic-ntk/hgm-runtime/artifacts/relu.artifact.json'));

/** Where derived artifacts of new activations are cached: $HGM_CACHE_DIR or ~/.cache/holonomic-ntk. */
export function artifactCacheDir(): string {
  return process.env.HGM_CACHE_DIR ?? join(homedir(), '.cache', 'holonomic-ntk');
}

/** An activation by built-in name (`relu`, `rectpow:3`, …), by formula in u, or by an annihilating operator. */
export type ActivationSource = { name: string } | { expr: string } | { annihilator: string; sigma?: string };

export interface ArtifactRequestOptions {
  /** Basis of the σ system (operator texts in x, dx); forces a derivation for a built-in. */
  basis?: readonly string[];
  /** Derive a built-in again instead of loading its committed artifact. */
  rederive?: boolean;
  /** Read and write the on-disk cache for derived activations (default true; `HGM_NO_CACHE=1` turns it off everywhere). */
  cache?: boolean;
  /** Passed to the compiler (signal, onProgress, limits). */
  compile?: CompileOptions;
  /** Told once, before a derivation starts, what is derived (e.g. the annihilators): derivations take seconds to minutes. */
  onDerive?: (message: string) => void;
  /** Told before each system of a formula's derivation, which one (e.g. `σ pieces [0, 1]: u*du - 1 × u*du - u`). */
  onSystem?: (message: string) => void;
  /** Keep the compiler's timings (seconds per stage) in a derived artifact; by default they are left out, so the
   * artifact is byte-reproducible. */
  timings?: boolean;
  /** Told about a cache entry that was invalid (then derived again) or could not be written (default: stderr). */
  onWarning?: (message: string) => void;
}

/** The artifact JSON of a compiled activation, without the volatile timings unless asked for. */
function artifactText(artifact: ReturnType<typeof compileActivation>, timings: boolean | undefined): string {
  if (timings) return artifactToJson(artifact);
  const { timings: _volatile, ...rest } = artifact as { timings?: unknown };
  return artifactToJson(rest);
}

export interface ActivationArtifactText {
  /** The artifact JSON (hgm-pfaffian/2). */
  text: string;
  /** Where it came from, for people: `built-in artifact relu.artifact.json`, `cache <file>`, `derived now`. */
  source: string;
}

/** Every activation whose artifact is committed: the operator-given built-ins and the formula catalogue. */
const COMMITTED: readonly ((CompileSpec | FormulaCompileSpec) & { file: string })[] = [...BUILTIN_ARTIFACTS, ...CATALOGUE_ARTIFACTS];

function compileAny(spec: CompileSpec | FormulaCompileSpec): ReturnType<typeof compileActivation> {
  return 'formula' in spec ? compileFormula(spec) : compileActivation(spec);
}

/** True for the names `activationArtifactText({ name })` accepts. */
export function isBuiltinActivationName(name: string): boolean {
  const n = name;
  // Registries are plain objects: `toString`, `constructor`, `__proto__` must never be found in them.
  if (isInheritedName(n)) return false;
  if (COMMITTED.some((b) => b.name === n)) return true;
  try {
    builtinAnnihilator(n);
    return true;
  } catch {
    return false;
  }
}

/**
 * The artifact JSON of an activation: committed, cached, or derived now (then cached).
 *
 * For example:
 *   activationArtifactText({ name: 'relu' }).source;               // 'built-in artifact relu.artifact.json'
 *   activationArtifactText({ expr: 'heaviside(u)*cos(u)' }).text;  // derived once, then read from the cache
 */
export function activationArtifactText(src: ActivationSource, options: ArtifactRequestOptions = {}): ActivationArtifactText {
  const compile = options.compile ?? {};
  if ('name' in src) {
    const name = src.name;
    const committed = COMMITTED.find((b) => b.name === name);
    if (committed) {
      const file = join(BUILTIN_ARTIFACT_DIR, committed.file);
      if (!options.rederive && !options.basis && existsSync(file)) {
        return { text: readFileSync(file, 'utf8'), source: `built-in artifact ${committed.file}` };
      }
      if (options.basis && 'formula' in committed)
        throw new DomainError(`--basis applies to an activation given by operators; '${name}' is derived from its formula`);
      options.onDerive?.(`deriving the built-in ${name}`);
      const text = artifactText(compileAny({ ...committed, ...(options.basis ? { sigmaBasis: options.basis } : {}), options: compile }), options.timings);
      return { text, source: 'derived now' };
    }
    // A built-in without a committed artifact (rectpow:m for m ≠ 2): derive through the cache.
    const b = builtinAnnihilator(name);
    const spec: CompileSpec = {
      name: b.name,
      sigmaOperator: b.operator,
      ...(b.dsigmaOperator.replace(/\s+/g, '') === '1' ? {} : { dsigmaOperator: b.dsigmaOperator }),
      sigmaFormula: b.formula,
      ...(options.basis ? { sigmaBasis: options.basis } : {}),
      options: compile,
    };
    return derivedThroughCache(spec, options, `${b.name}: σ annihilator ${b.operator}`);
  }
  if ('expr' in src && !options.basis) return formulaArtifactText(src.expr, options);
  const isExpr = 'expr' in src;
  const a = activationAnnihilator(isExpr ? { formula: src.expr } : { operator: src.annihilator, ...(src.sigma !== undefined ? { formula: src.sigma } : {}) }, {
    verify: isExpr || src.sigma !== undefined,
  });
  // σ̇ = 0 almost everywhere (operator 1) has no dual worth a system.
  const dsigma = a.dsigma.text.replace(/\s+/g, '') === '1' ? undefined : a.dsigma.text;
  const spec: CompileSpec = {
    name: isExpr ? `expr:${a.formula ?? src.expr}` : `annihilator:${a.text}`,
    sigmaOperator: a.text,
    ...(dsigma ? { dsigmaOperator: dsigma } : {}),
    ...(a.formula ? { sigmaFormula: a.formula, ...(isExpr ? {} : { dsigmaFormula: null }) } : {}),
    ...(options.basis ? { sigmaBasis: options.basis } : {}),
    options: compile,
  };
  return derivedThroughCache(spec, options, `σ annihilator ${a.text}${dsigma ? `, σ̇ annihilator ${dsigma}` : ''} (${a.derivedFrom})`);
}

/**
 * A formula: the committed catalogue artifact when the formula is a catalogue activation's (same canonical text),
 * else derived by linearity (`compileFormula`: one system per pair of pieces) through the cache.
 */
function formulaArtifactText(expr: string, options: ArtifactRequestOptions): ActivationArtifactText {
  const numeric = numericFormula(expr);
  if (!numeric.holonomic) {
    throw new NotHolonomicError(
      `${expr}: ${numeric.notHolonomicReason ?? 'outside the derive grammar'}; its dual satisfies no finite-rank Pfaffian system, so there is nothing to derive. ` +
        `Evaluate it numerically: hgm dual --expr "${expr}" --method quad (or gh:<n>, mc:<n>)`,
    );
  }
  const canonical = formulaToText(parseFormula(expr));
  const key = formulaNormalForm(expr);
  const known = CATALOGUE_ARTIFACTS.find((c) => formulaNormalForm(c.formula) === key);
  if (known && !options.rederive) return activationArtifactText({ name: known.name }, options);
  const spec: FormulaCompileSpec = {
    name: `expr:${canonical}`,
    formula: canonical,
    options: options.compile ?? {},
    ...(options.onSystem ? { onSystem: options.onSystem } : {}),
  };
  return derivedThroughCache(spec, options, `σ = ${canonical}, split into pieces with their annihilators`);
}

/**
 * Why a cache entry cannot serve a request (undefined: it can): not an artifact (truncated, empty, wrong shape), or
 * the artifact of another activation (another name, σ or annihilator).
 */
function cacheEntryProblem(text: string, spec: CompileSpec | FormulaCompileSpec): string | undefined {
  let a: PfaffianArtifact;
  try {
    a = readArtifact(text);
  } catch (e) {
    return e instanceof Error ? e.message.split('\n')[0] : String(e);
  }
  if (a.activation.name !== spec.name) return `it holds the artifact of ${a.activation.name}, not ${spec.name}`;
  const sigma = 'formula' in spec ? spec.formula : spec.sigmaFormula;
  if (sigma && (a.activation.sigma === undefined || formulaNormalForm(a.activation.sigma) !== formulaNormalForm(sigma)))
    return `its σ is ${a.activation.sigma ?? 'missing'}, not ${sigma}`;
  const squash = (t: string | undefined) => t?.replace(/\s+/g, '');
  const op = a.activation['annihilator'] as string | undefined;
  if (!('formula' in spec) && op !== undefined && squash(op) !== squash(spec.sigmaOperator)) return `its annihilator is ${op}, not ${spec.sigmaOperator}`;
  return undefined;
}

function derivedThroughCache(spec: CompileSpec | FormulaCompileSpec, options: ArtifactRequestOptions, what: string): { text: string; source: string } {
  // The key holds what determines the artifact: the formula (as written canonically and in normal form) for a
  // formula, else the name, the annihilators and σ; the basis; the compiler version. Two formulas with one
  // annihilator (heaviside(u)*sin(u), heaviside(-u)*sin(u)) have different keys, and a read checks the entry.
  const inputs =
    'formula' in spec
      ? ['formula', spec.formula, formulaNormalForm(spec.formula)]
      : [spec.name, spec.sigmaOperator, spec.dsigmaOperator ?? null, spec.sigmaFormula ?? null];
  const key = createHash('sha256')
    .update(JSON.stringify([COMPILER_VERSION, ...inputs, options.basis ?? null]))
    .digest('hex')
    .slice(0, 24);
  const cached = join(artifactCacheDir(), `${key}.artifact.json`);
  const warn = options.onWarning ?? ((m: string) => process.stderr.write(`hgm: ${m}\n`));
  // HGM_NO_CACHE=1: --no-cache for every command (and the kernel worker threads, which inherit the environment).
  const useCache = options.cache !== false && process.env['HGM_NO_CACHE'] !== '1';
  if (useCache && existsSync(cached)) {
    let text: string | undefined;
    let problem: string | undefined;
    try {
      text = readFileSync(cached, 'utf8');
      problem = cacheEntryProblem(text, spec);
    } catch (e) {
      problem = e instanceof Error ? e.message : String(e);
    }
    if (problem === undefined && text !== undefined && !options.timings) return { text, source: `cache ${cached}` };
    if (problem !== undefined) warn(clip(`cache entry ${cached} is invalid (${problem}); deriving it again`));
  }
  options.onDerive?.(what);
  const text = artifactText(compileAny(spec), options.timings);
  if (useCache) {
    // The artifact is in hand: a cache that cannot be written costs time next run, never this run's result.
    try {
      writeFileAtomic(cached, options.timings ? artifactText(JSON.parse(text), false) : text);
    } catch (e) {
      warn(clip(`could not write the cache (${e instanceof Error ? e.message : String(e)}); set HGM_CACHE_DIR or use --no-cache`));
    }
  }
  return { text, source: 'derived now' };
}
