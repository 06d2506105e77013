/**
 * Registry of the closed-form duals by activation name (the providers `activation('relu')` etc. use).
 */
import { reluDual, rectPowDual, stepDual } from './arcCosine.ts';
import type { DualProvider } from './dualProvider.ts';
import { erfDual } from './erfDual.ts';
import { geluDual } from './geluDual.ts';
import { cosDual, expDual, sinDual } from './trigDuals.ts';

/**
 * Closed-form duals: relu, step, erf, gelu, sin, cos, exp, and rectpow:2, rectpow:3 (rectpow:m for any m via rectPowDual(m)).
 *
 * @example
 * ```ts
 * import { CLOSED_FORM_DUALS } from '@holonomic-ntk/ntk';
 * Object.keys(CLOSED_FORM_DUALS); // → ['relu', 'step', 'erf', 'gelu', 'sin', 'cos', 'exp', 'rectpow:2', 'rectpow:3']
 * CLOSED_FORM_DUALS.erf!.sigma(1, 1, 1); // ≈ 0.46455905439753997
 * ```
 */
export const CLOSED_FORM_DUALS: Readonly<Record<string, DualProvider>> = Object.freeze({
  relu: reluDual,
  step: stepDual,
  erf: erfDual,
  gelu: geluDual,
  sin: sinDual,
  cos: cosDual,
  exp: expDual,
  'rectpow:2': rectPowDual(2),
  'rectpow:3': rectPowDual(3),
});

/**
 * The closed-form dual called `name` (`rectpow:m` for any m), or undefined.
 *
 * @example
 * ```ts
 * import { closedFormDual } from '@holonomic-ntk/ntk';
 * closedFormDual('rectpow:4')?.sigma(1, 1, 1); // ≈ 52.5
 * closedFormDual('resin'); // → undefined
 * ```
 */
export function closedFormDual(name: string): DualProvider | undefined {
  if (Object.hasOwn(CLOSED_FORM_DUALS, name)) return CLOSED_FORM_DUALS[name];
  const m = /^rectpow:(0|[1-9]\d*)$/.exec(name);
  return m ? rectPowDual(Number(m[1])) : undefined;
}
