import { integrabilityDefects } from '@holonomic-ntk/groebner';
import { DUAL_VARIABLES, type DualSystem } from '../src/compiler/dualSystem.ts';

/** The exact integrability defects of a dual system's Pfaffian (∂_v P_w − ∂_w P_v + [P_v, P_w] ≠ 0); [] when integrable. */
export function dualSystemDefects(s: DualSystem): ReturnType<typeof integrabilityDefects> {
  return integrabilityDefects({
    variables: [...DUAL_VARIABLES],
    basis: s.basis.map((b) => b.label),
    rank: s.rank,
    matrices: DUAL_VARIABLES.map((v) => s.matrices[v]),
    field: s.field,
  });
}
