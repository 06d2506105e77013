/**
 * The one vocabulary for how a dual activation is evaluated, shared by the library, `hgm dual`, `hgm ntk`,
 * `hgm regress` and `hgm experiment`: `hgm` (holonomic gradient method), `closed` (closed form), `gh:<n>` (n×n
 * Gauss–Hermite), `quad` (adaptive quadrature, a slow reference), `mc:<n>` (Monte Carlo with n samples).
 * Whether the HGM runs per entry or all at once is not a method but an option of the provider (`batch: false`).
 */
import { DomainError } from '@holonomic-ntk/core';
import { GAUSS_HERMITE_MAX_ORDER } from '@holonomic-ntk/core';

/**
 * How a dual activation is evaluated: `hgm`, `closed`, `quad`, `gh:<n>` or `mc:<n>` (see the module comment).
 *
 * @example
 * ```ts
 * import { dualProvider, type DualMethod } from '@holonomic-ntk/ntk';
 * const method: DualMethod = 'gh:20';
 * dualProvider('relu', method).name; // → 'gh:20'
 * ```
 */
export type DualMethod = 'hgm' | 'closed' | 'quad' | `gh:${number}` | `mc:${number}`;

/**
 * The method vocabulary as text, for messages and `--help`.
 *
 * @example
 * ```ts
 * import { DUAL_METHODS } from '@holonomic-ntk/ntk';
 * DUAL_METHODS; // → 'hgm | closed | gh:<n> | quad | mc:<n>'
 * ```
 */
export const DUAL_METHODS = 'hgm | closed | gh:<n> | quad | mc:<n>';

/**
 * A method name, checked: the vocabulary above, 1 ≤ n ≤ 700 for `gh:<n>`, n ≥ 1 for `mc:<n>`.
 *
 * @example
 * ```ts
 * import { parseDualMethod } from '@holonomic-ntk/ntk';
 * parseDualMethod('gh:20'); // → 'gh:20'
 * parseDualMethod('gauss'); // throws DomainError
 * ```
 */
export function parseDualMethod(text: string): DualMethod {
  if (text === 'hgm' || text === 'closed' || text === 'quad') return text;
  const m = /^(gh|mc):(\d+)$/.exec(text);
  if (m) {
    const n = Number(m[2]);
    if (m[1] === 'gh' && (n < 1 || n > GAUSS_HERMITE_MAX_ORDER)) throw new DomainError(`gh:<n> needs 1 ≤ n ≤ ${GAUSS_HERMITE_MAX_ORDER}, got ${n}`);
    if (m[1] === 'mc' && n < 1) throw new DomainError(`mc:<n> needs n ≥ 1 samples, got ${n}`);
    return text as DualMethod;
  }
  throw new DomainError(`unknown dual method "${text}": expected ${DUAL_METHODS}`);
}
