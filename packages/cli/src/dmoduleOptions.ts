import { LimitExceededError } from '@holonomic-ntk/core';
import { type Poly, type Rational, type WeylAlgebra, parseOperators } from '@holonomic-ntk/weyl-algebra';
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

/** Splits at `sep` outside parentheses and brackets. */
function splitTopLevel(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(' || ch === '[') depth++;
    if (ch === ')' || ch === ']') depth--;
    if (ch === sep && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter((x) => x.length > 0);
}

/**
 * --module "(a11, a12); (a21, a22)": the relations of D^r/N, one vector per ";", entries separated by ","; every vector
 * has the same length r. `0` is a zero entry.
 */
export function parseOperatorVectors(D: WeylAlgebra<Rational>, text: string): Poly<Rational>[][] {
  const vectors = splitTopLevel(text, ';').map((v, k) => {
    const m = /^[([](.*)[)\]]$/s.exec(v);
    if (!m) throw new UsageError(`--module: relation ${k + 1} ("${v}") is not a vector in parentheses, e.g. "(x*dx-1, 0)"`);
    return splitTopLevel(m[1]!, ',').map((e) => {
      const ps = parseOperators(D, e);
      if (ps.length > 1) throw new UsageError(`--module: the entry "${e}" of relation ${k + 1} is not one operator`);
      return ps[0] ?? D.zero;
    });
  });
  if (vectors.length === 0) throw new UsageError('--module: no relation given');
  const r = vectors[0]!.length;
  vectors.forEach((v, k) => {
    if (v.length !== r) throw new UsageError(`--module: relation ${k + 1} has ${v.length} entries, relation 1 has ${r}`);
  });
  return vectors;
}

/** --shift m1,...,mr: one integer per component (default all 0). */
export function parseShifts(text: string | undefined, r: number): number[] {
  if (text === undefined) return new Array<number>(r).fill(0);
  const m = splitList(text, '--shift').map((x, i) => {
    if (!/^-?\d+$/.test(x) || !Number.isSafeInteger(Number(x))) throw new UsageError(`--shift: entry ${i + 1} ("${x}") is not an integer`);
    return Number(x);
  });
  if (m.length !== r) throw new UsageError(`--shift: the module has ${r} component(s), so ${r} shift(s) are needed, got ${m.length}`);
  return m;
}
