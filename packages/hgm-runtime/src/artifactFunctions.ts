/**
 * σ and σ̇ from the artifact alone: what makes an artifact self-contained (format version 2). The runtime needs the
 * 1-D functions for the initial values (moments) and for the 1-D integrals at |ρ| = 1; a version-2 artifact states
 * them as formulas with their kinks, evaluated here by core's numeric formula evaluator, with no algebra package.
 */
import { DomainError, type Integrand, INTEGRANDS, type PfaffianArtifact, type SigmaSpec, builtinActivation, numericFormula } from '@holonomic-ntk/core';
import type { IntegrandFunctions } from './hgm.ts';

// One object per artifact: the moment caches are keyed by the SigmaSpec objects, so repeated use shares them.
const cache = new WeakMap<PfaffianArtifact, IntegrandFunctions>();

/**
 * The functions of the artifact's integrands. A built-in activation whose formula the artifact states gets core's
 * registry entry (the same objects, so its moment cache and scale parity are shared); any other formula is compiled.
 * Throws DomainError when the artifact carries no formula (format version 1, or derived from an operator alone):
 * then the caller must supply σ.
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from '@holonomic-ntk/core';
 * import { artifactFunctions, builtinArtifact } from '@holonomic-ntk/hgm-runtime';
 * const fns = artifactFunctions(builtinArtifact('relu'));
 * fns.sigma === ACTIVATIONS.relu.sigma; // → true
 * fns.dsigma!.sigma(2); // → 1
 * ```
 */
export function artifactFunctions(artifact: PfaffianArtifact): IntegrandFunctions {
  const hit = cache.get(artifact);
  if (hit) return hit;
  const act = artifact.activation;
  if (artifact.format === 'hgm-pfaffian/1' || act.sigma === undefined) {
    throw new DomainError(
      `the artifact of '${act.name}' states no σ formula (${artifact.format === 'hgm-pfaffian/1' ? 'format version 1' : 'derived from an operator alone'}): pass σ and σ̇ as functions`,
    );
  }
  const registry = builtinActivation(act.name);
  let fns: IntegrandFunctions;
  if (registry && registry.formula === act.sigma) {
    fns = { sigma: registry.sigma, ...(registry.dsigma ? { dsigma: registry.dsigma } : {}) };
  } else {
    const kinks = act.kinks ?? [];
    fns = { sigma: formulaSpec(act.sigma, kinks), ...(act.dsigma !== undefined ? { dsigma: formulaSpec(act.dsigma, kinks) } : {}) };
  }
  for (const integrand of INTEGRANDS) Object.assign(fns, pieceFunctions(artifact, integrand));
  cache.set(artifact, fns);
  return fns;
}

function formulaSpec(text: string, kinks: readonly number[]): SigmaSpec {
  const f = numericFormula(text);
  return { sigma: f.sigma.sigma, kinks, ...(f.sigma.support ? { support: f.sigma.support } : {}) };
}

const pieceCache = new WeakMap<PfaffianArtifact, Partial<Record<Integrand, Readonly<Record<string, SigmaSpec>>>>>();

/**
 * The functions `sigma#i` (or `dsigma#i`) of the pieces of an integrand split into pieces (`activation.pieces`),
 * compiled from their formulas once per artifact; {} for an integrand that is not split.
 *
 * @example
 * ```ts
 * import { validateArtifact } from '@holonomic-ntk/core';
 * import { builtinArtifact, pieceFunctions } from '@holonomic-ntk/hgm-runtime';
 * // ELU = u·Y(u) + e^u·Y(−u) − Y(−u), three pieces of σ.
 * const fns = pieceFunctions(builtinArtifact('elu'), 'sigma');
 * Object.keys(fns); // → ['sigma#0', 'sigma#1', 'sigma#2']
 * fns['sigma#1']!.sigma(-1); // ≈ Math.exp(-1)
 * pieceFunctions(builtinArtifact('relu'), 'sigma'); // → {}
 * ```
 */
export function pieceFunctions(artifact: PfaffianArtifact, integrand: Integrand): Readonly<Record<string, SigmaSpec>> {
  let hit = pieceCache.get(artifact);
  if (!hit) pieceCache.set(artifact, (hit = {}));
  const known = hit[integrand];
  if (known) return known;
  const fns: Record<string, SigmaSpec> = {};
  artifact.activation.pieces?.[integrand]?.forEach((p, i) => {
    fns[`${integrand}#${i}`] = formulaSpec(p.formula, p.kinks);
  });
  hit[integrand] = fns;
  return fns;
}
