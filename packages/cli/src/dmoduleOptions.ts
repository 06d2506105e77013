import { LimitExceededError } from '@holonomic-ntk/core';
import { UsageError, splitList } from './io.ts';

/**
 * Flag parsing shared by the D-module commands (restrict, bfunction, bernstein, annfs, char, singlocus, rank).
 */

/** --max-bfunction-degree: a positive integer. */
export function parseDegreeLimit(text: string | undefined, flag = '--max-bfunction-degree'): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text)))
    throw new UsageError(`${flag}: expected a positive integer, got "${text}"`);
  return Number(text);
}

/** --method for b-functions. */
export function parseBFunctionMethod(text: string | undefined): 'auto' | 'linearAlgebra' | 'elimination' | undefined {
  if (text === undefined) return undefined;
  if (text === 'auto' || text === 'elimination') return text;
  if (text === 'linear-algebra' || text === 'linearAlgebra') return 'linearAlgebra';
  throw new UsageError(`--method: expected auto, linear-algebra or elimination, got "${text}"`);
}

/** --timeout <seconds> → GbLimits.maxMilliseconds. */
export function parseTimeLimit(text: string | undefined): { maxMilliseconds: number } | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!Number.isFinite(v) || v <= 0) throw new UsageError(`--timeout: expected a positive number of seconds, got "${text}"`);
  return { maxMilliseconds: v * 1000 };
}

/** The command-line option that raises each library limit, for the message of exit 4. */
const LIMIT_OPTIONS: Readonly<Record<string, string>> = {
  maxDegree: '--max-bfunction-degree',
  maxMilliseconds: '--timeout',
};

/**
 * Runs a computation; a LimitExceededError whose limit has a command-line option is rethrown with that option named
 * (exit 4 stays exit 4).
 */
export function namingLimitOptions<T>(compute: () => T): T {
  try {
    return compute();
  } catch (e) {
    if (e instanceof LimitExceededError) {
      const option = LIMIT_OPTIONS[e.limit];
      if (option && !e.message.includes(option)) throw new LimitExceededError(`${e.message}; raise it with ${option}`, e.limit, e.value);
    }
    throw e;
  }
}

/**
 * --weight: one nonnegative integer per variable; returns the weights and the variables with a positive one (the
 * t's), which must not be empty (`none` says why, in the command's words).
 */
export function parseTWeights(text: string, vars: readonly string[], none: string): { w: number[]; tVars: string[] } {
  const w = splitList(text, '--weight').map((s, i) => {
    if (!/^\d+$/.test(s)) throw new UsageError(`--weight: entry ${i + 1} ("${s}") is not a nonnegative integer`);
    return Number(s);
  });
  if (w.length !== vars.length) throw new UsageError(`--weight: ${vars.length} variables need ${vars.length} weights, got ${w.length}`);
  const tVars = vars.filter((_, i) => w[i]! > 0);
  if (tVars.length === 0) throw new UsageError(`--weight: no positive weight, so ${none}`);
  return { w, tVars };
}
