/**
 * The dual-activation compiler (issue 4, items 4–6): activation annihilator P(u, ∂u) → transfer rule → restriction
 * to y = 0 → Gröbner basis over Q(x)⟨∂⟩ → Pfaffian system → artifact "hgm-pfaffian/1" for hgm-runtime.
 */
export * from './transferRule.ts';
export * from './singularLocus.ts';
export * from './dualSystem.ts';
export * from './artifact.ts';
export * from './compile.ts';
export * from './builtinArtifacts.ts';
