/**
 * The one vocabulary for how a dual activation is evaluated, shared by the library, `hgm dual`, `hgm ntk`,
 * `hgm regress` and `hgm experiment`: `hgm` (holonomic gradient method), `closed` (closed form), `gh:<n>` (n×n
 * Gauss–Hermite), `quad` (adaptive quadrature, a slow reference), `mc:<n>` (Monte Carlo with n samples),
 * `hermite` (the Hermite series of the artifact's annihilator, summed until its error estimate is ≤ 1e-14 relative or
 * 4096 terms) and `hermite:<n>` (at most n terms).
 * Whether the HGM runs per entry or all at once is not a method but an option of the provider (`batch: false`).
 */
import { DomainError } from '@holonomic-ntk/core';
import { GAUSS_HERMITE_MAX_ORDER } from '@holonomic-ntk/core';

/**
 * How a dual activation is evaluated: `hgm`, `closed`, `quad`, `gh:<n>`, `mc:<n>`, `hermite` or `hermite:<n>` (see
 * the module comment).
 *
 * @example
 * ```ts
 * import { dualProvider, type DualMethod } from '@holonomic-ntk/ntk';
 * const method: DualMethod = 'gh:20';
 * dualProvider('relu', method).name; // → 'gh:20'
 * const series: DualMethod = 'hermite:256';
 * dualProvider('erf', series).name; // → 'hermite:256'
 * ```
 */
export type DualMethod = 'hgm' | 'closed' | 'quad' | 'hermite' | `gh:${number}` | `mc:${number}` | `hermite:${number}`;

/**
 * The method vocabulary as text, for messages and `--help`.
 *
 * @example
 * ```ts
 * import { DUAL_METHODS } from '@holonomic-ntk/ntk';
 * DUAL_METHODS; // → 'hgm | closed | gh:<n> | quad | mc:<n> | hermite[:<n>]'
 * ```
 */
export const DUAL_METHODS = 'hgm | closed | gh:<n> | quad | mc:<n> | hermite[:<n>]';

/**
 * A method name, checked: the vocabulary above, 1 ≤ n ≤ 700 for `gh:<n>`, n ≥ 1 for `mc:<n>` and `hermite:<n>`.
 *
 * @example
 * ```ts
 * import { parseDualMethod } from '@holonomic-ntk/ntk';
 * parseDualMethod('gh:20'); // → 'gh:20'
 * parseDualMethod('hermite'); // → 'hermite'
 * parseDualMethod('gauss'); // throws DomainError
 * parseDualMethod('hermite:0'); // throws DomainError
 * ```
 */
export function parseDualMethod(text: string): DualMethod {
  if (text === 'hgm' || text === 'closed' || text === 'quad' || text === 'hermite') return text;
  const m = /^(gh|mc|hermite):(\d+)$/.exec(text);
  if (m) {
    const n = Number(m[2]);
    if (m[1] === 'gh' && (n < 1 || n > GAUSS_HERMITE_MAX_ORDER)) throw new DomainError(`gh:<n> needs 1 ≤ n ≤ ${GAUSS_HERMITE_MAX_ORDER}, got ${n}`);
    if (m[1] === 'mc' && n < 1) throw new DomainError(`mc:<n> needs n ≥ 1 samples, got ${n}`);
    if (m[1] === 'hermite' && !(n >= 1 && Number.isSafeInteger(n))) throw new DomainError(`hermite:<n> needs n ≥ 1 terms, got ${m[2]}`);
    return text as DualMethod;
  }
  throw new DomainError(`unknown dual method "${text}": expected ${DUAL_METHODS}`);
}
