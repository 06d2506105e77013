/**
 * The hgm command's activation resolver, one activation spec for every command: a built-in name, a formula in u
 * (`heaviside(u)*cos(u)`; numeric-only formulas such as `tanh(u)` for the numeric methods), or the path of an artifact
 * file (`….json`, what `hgm derive -o` writes). What is not shipped is derived with the restriction compiler on first
 * use and cached on disk (activationArtifact.ts). Kernel worker threads import this module by its URL
 * (KernelSpec.resolverModule), so a relative artifact path must be made absolute first ({@link activationSpec}).
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { BUILTIN_ACTIVATION_NAMES, DomainError, type PfaffianArtifact, builtinActivation, numericFormula, readArtifact } from '@holonomic-ntk/core';
import { CATALOGUE_ARTIFACTS, builtinAnnihilator } from '@holonomic-ntk/restriction';
import { artifactFunctions } from '@holonomic-ntk/hgm-runtime';
import type { ActivationFunctions, ActivationResolver } from '@holonomic-ntk/ntk';
import { activationArtifactText, isBuiltinActivationName } from './activationArtifact.ts';
import { UsageError } from './io.ts';
import { clip, closest, isInheritedName } from './text.ts';

const artifacts = new Map<string, PfaffianArtifact>();

/** True when the activation names an artifact file rather than a built-in or a formula. */
function isArtifactPath(activation: string): boolean {
  return activation.endsWith('.json');
}

/** The artifact in a file, read once per process. */
function artifactFile(path: string): PfaffianArtifact {
  const abs = resolve(path);
  let a = artifacts.get(abs);
  if (!a) {
    if (!statSync(abs, { throwIfNoEntry: false })?.isFile()) throw new UsageError(`artifact ${path}: no such file`);
    a = readArtifact(readFileSync(abs, 'utf8'));
    artifacts.set(abs, a);
  }
  return a;
}

/**
 * The activation string of a command's flags: `--artifact FILE` (made absolute, for worker threads), else `--expr
 * FORMULA`, else the name or formula given; exactly one of them.
 *
 * @example
 * ```ts
 * import { activationSpec } from '@holonomic-ntk/cli/resolver';
 * activationSpec({ expr: 'heaviside(u)*cos(u)' }); // → 'heaviside(u)*cos(u)'
 * activationSpec({ activation: 'relu', expr: 'u' }); // throws UsageError
 * ```
 */
export function activationSpec(flags: { activation?: string | undefined; expr?: string | undefined; artifact?: string | undefined }): string {
  const given = [flags.activation, flags.expr, flags.artifact].filter((v) => v !== undefined);
  if (given.length !== 1) throw new UsageError('give exactly one activation: a name or formula, --expr FORMULA or --artifact FILE');
  if (flags.artifact !== undefined) {
    artifactFile(flags.artifact);
    return resolve(flags.artifact);
  }
  const spec = (flags.expr ?? flags.activation) as string;
  if (flags.activation !== undefined) checkActivationName(spec);
  if (spec.trim() === '') throw new UsageError('the activation is empty: give a name, a formula in u or an artifact file');
  return spec;
}

/** The names an activation may have: the registry's built-ins and the formula catalogue. */
function activationNames(): string[] {
  return [...new Set([...BUILTIN_ACTIVATION_NAMES, ...CATALOGUE_ARTIFACTS.map((c) => c.name)])];
}

/**
 * A bare word that is neither a built-in nor a formula (`foo`, `__proto__`, `toString`) is an unknown activation,
 * said as such with the list and the closest name (not "unknown variable foo"); anything else passes.
 *
 * @example
 * ```ts
 * import { checkActivationName } from '@holonomic-ntk/cli/resolver';
 * checkActivationName('relu'); // → undefined
 * checkActivationName('__proto__'); // throws UsageError
 * ```
 */
export function checkActivationName(spec: string): void {
  const word = spec.trim();
  if (!/^[A-Za-z_$][\w$]*(:\S*)?$/.test(word) || word === 'u') return;
  if (!isInheritedName(word) && isBuiltinActivationName(word)) return;
  if (word.includes(':') && !isInheritedName(word.split(':')[0]!)) {
    // A family with a parameter out of its range says why (`rectpow:999: the power must be at most 32`).
    try {
      builtinAnnihilator(word);
    } catch (e) {
      if (e instanceof Error && !/unknown activation/.test(e.message)) throw new UsageError(clip(e.message));
    }
  }
  const names = activationNames();
  const near = closest(word, names);
  let formula = '';
  try {
    if (!word.includes(':')) {
      numericFormula(`${word}(u)`);
      formula = ` or the formula "${word}(u)"`;
    }
  } catch {
    // not a function name either
  }
  const hint = near || formula ? ` (did you mean ${near ? `"${near}"` : ''}${near && formula ? formula : formula.replace(/^ or /, '')}?)` : '';
  throw new UsageError(clip(`unknown activation "${word}"${hint}; built-ins: ${names.join(', ')}; or a formula in u, --expr FORMULA or --artifact FILE.json`));
}

/** σ, σ̇ of a built-in (core's registry), an artifact file (its formulas) or any formula (core's numeric evaluator). */
function functionsOf(activation: string): ActivationFunctions {
  if (isArtifactPath(activation)) {
    const a = artifactFile(activation);
    const fns = artifactFunctions(a);
    return { name: a.activation.name, sigma: fns.sigma!, ...(fns.dsigma ? { dsigma: fns.dsigma } : {}) };
  }
  const b = builtinActivation(activation);
  if (b) return { name: b.name, sigma: b.sigma, ...(b.dsigma ? { dsigma: b.dsigma } : {}) };
  const f = numericFormula(activation);
  return { name: activation, sigma: f.sigma, dsigma: f.dsigma };
}

/**
 * Resolves built-in names and formulas, deriving what is not shipped.
 *
 * @example
 * ```ts
 * import { activationResolver } from '@holonomic-ntk/cli/resolver';
 * activationResolver.functions('heaviside(u)*cos(u)').sigma.sigma(0.5); // ≈ 0.8775825618903728
 * ```
 */
export const activationResolver: ActivationResolver = {
  functions: functionsOf,
  hgm(activation) {
    if (isArtifactPath(activation)) {
      const artifact = artifactFile(activation);
      return { artifact, functions: artifactFunctions(artifact) };
    }
    if (!isBuiltinActivationName(activation)) {
      const f = numericFormula(activation);
      if (!f.holonomic) {
        throw new DomainError(
          `${activation} is not holonomic (${f.notHolonomicReason ?? 'outside the derive grammar'}): its dual satisfies no finite-rank Pfaffian system, so the HGM cannot serve it; use the method quad, gh:<n> or mc:<n>`,
        );
      }
    }
    const src = isBuiltinActivationName(activation) ? { name: activation } : { expr: activation };
    const artifact = readArtifact(activationArtifactText(src).text);
    const functions = artifact.activation.sigma !== undefined ? artifactFunctions(artifact) : functionsOf(activation);
    return { artifact, functions };
  },
};

/**
 * This module's URL, for KernelSpec.resolverModule: worker threads import the resolver from it.
 *
 * @example
 * ```ts
 * import { kernelMatrix } from '@holonomic-ntk/ntk/node';
 * import { RESOLVER_MODULE } from '@holonomic-ntk/cli/resolver';
 * const spec = { depth: 1, activation: 'heaviside(u)*sin(u)', method: 'gh:20' as const, resolverModule: RESOLVER_MODULE };
 * (await kernelMatrix(spec, [[1, 0], [0, 1]], null, { workers: 0 })).ntk?.rows; // → 2
 * ```
 */
export const RESOLVER_MODULE: string = import.meta.url;
