/**
 * Where the Pfaffian artifact of an activation comes from — the one place that decides it, shared by
 * `hgm derive` and the HGM dual provider: a built-in name loads the committed JSON under
 * hgm-runtime's catalogue (packages/hgm-runtime/artifacts); anything else is derived by the restriction compiler and cached on disk
 * ($HGM_CACHE_DIR, default ~/.cache/holonomic-ntk), keyed by a hash of the compiler version, the normalized
 * operators and the basis, written atomically so concurrent processes never read half a file.
 */
import { createRequire } from 'node:module';
import { ACTIVATIONS, type SigmaSpec, builtinActivation } from '@holonomic-ntk/core';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { IntegrandFunctions } from '@holonomic-ntk/hgm-runtime';
import {
  BUILTIN_ARTIFACTS,
  COMPILER_VERSION,
  type CompileOptions,
  type CompileSpec,
  activationAnnihilator,
  artifactToJson,
  builtinAnnihilator,
  compileActivation,
  evaluateFormula,
  parseFormula,
} from '@holonomic-ntk/restriction';
import { formulaKinks } from '@holonomic-ntk/restriction/internal';
import { writeFileAtomic } from './atomicWrite.ts';
import type { ActivationFunctions } from '@holonomic-ntk/ntk';

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
  /** Read and write the on-disk cache for derived activations (default true). */
  cache?: boolean;
  /** Passed to the compiler (signal, onProgress, limits). */
  compile?: CompileOptions;
  /** Told once, before a derivation starts, what is derived (e.g. the annihilators): derivations take seconds to minutes. */
  onDerive?: (message: string) => void;
}

export interface ActivationArtifactText {
  /** The artifact JSON (hgm-pfaffian/2). */
  text: string;
  /** Where it came from, for people: `built-in artifact relu.artifact.json`, `cache <file>`, `derived now`. */
  source: string;
  /**
   * σ and σ̇ as functions for the HGM's initial values, when the source says what σ is (a name or a formula;
   * for an operator only with `sigma`). σ̇ is the almost-everywhere derivative.
   */
  functions?: IntegrandFunctions;
}

/** True for the names `activationArtifactText({ name })` accepts. */
export function isBuiltinActivationName(name: string): boolean {
  const n = name;
  if (BUILTIN_ARTIFACTS.some((b) => b.name === n)) return true;
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
    const functions = builtinFunctions(name);
    const committed = BUILTIN_ARTIFACTS.find((b) => b.name === name);
    if (committed) {
      const file = join(BUILTIN_ARTIFACT_DIR, committed.file);
      if (!options.rederive && !options.basis && existsSync(file)) {
        return { text: readFileSync(file, 'utf8'), source: `built-in artifact ${committed.file}`, functions };
      }
      options.onDerive?.(`deriving the built-in ${name}`);
      const text = artifactToJson(compileActivation({ ...committed, ...(options.basis ? { sigmaBasis: options.basis } : {}), options: compile }));
      return { text, source: 'derived now', functions };
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
    return { ...derivedThroughCache(spec, options, `${b.name}: σ annihilator ${b.operator}`), functions };
  }
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
  const formula = isExpr ? src.expr : src.sigma;
  const result = derivedThroughCache(spec, options, `σ annihilator ${a.text}${dsigma ? `, σ̇ annihilator ${dsigma}` : ''} (${a.derivedFrom})`);
  if (formula === undefined) return result;
  // From an operator the σ̇ system is of the distributional derivative, which the a.e. derivative of the formula
  // is not when σ jumps: only σ's function is given then.
  const fns = formulaFunctions(formula);
  return { ...result, functions: isExpr ? fns : { sigma: fns.sigma! } };
}

function derivedThroughCache(spec: CompileSpec, options: ArtifactRequestOptions, what: string): { text: string; source: string } {
  const key = createHash('sha256')
    .update(JSON.stringify([COMPILER_VERSION, spec.sigmaOperator, spec.dsigmaOperator ?? null, options.basis ?? null]))
    .digest('hex')
    .slice(0, 24);
  const cached = join(artifactCacheDir(), `${key}.artifact.json`);
  if (options.cache !== false && existsSync(cached)) return { text: readFileSync(cached, 'utf8'), source: `cache ${cached}` };
  options.onDerive?.(what);
  const text = artifactToJson(compileActivation(spec));
  if (options.cache !== false) writeFileAtomic(cached, text);
  return { text, source: 'derived now' };
}

/** hgm-runtime's registry where it has the activation (its spec objects key the moment cache), else the restriction's. */
function builtinFunctions(name: string): IntegrandFunctions {
  const rt = builtinActivation(name);
  if (rt) return { sigma: rt.sigma, ...(rt.dsigma ? { dsigma: rt.dsigma } : {}) };
  const b = builtinAnnihilator(name);
  const kinks = [...b.kinks];
  return { sigma: { sigma: b.sigma, kinks }, dsigma: { sigma: b.dsigma, kinks } };
}

/** σ and its a.e. derivative from a formula; cut at the formula's kinks for the moment quadrature. */
function formulaFunctions(text: string): IntegrandFunctions {
  const f = parseFormula(text);
  const kinks = formulaKinks(f);
  const df = { kind: 'diff' as const, operand: f, column: f.column };
  const sigma: SigmaSpec = { sigma: (u) => evaluateFormula(f, u), kinks };
  const dsigma: SigmaSpec = { sigma: (u) => evaluateFormula(df, u), kinks };
  return { sigma, dsigma };
}

/**
 * σ and σ̇ of a built-in name or a formula as functions (for Gauss–Hermite, quadrature and the HGM's initial
 * values), without deriving anything.
 *
 * For example `activationFunctions('resin').sigma.sigma(1)` gives sin 1.
 */
export function activationFunctions(activation: string): ActivationFunctions {
  const name = activation;
  const fns = isBuiltinActivationName(name) ? builtinFunctions(name) : formulaFunctions(activation);
  return { name, sigma: fns.sigma!, ...(fns.dsigma && name !== 'step' ? { dsigma: fns.dsigma } : {}) };
}

/** Built-in names of hgm-runtime's registry (for messages). */
export const RUNTIME_ACTIVATIONS: readonly string[] = Object.keys(ACTIVATIONS);
