/**
 * Limits of the long commands: `--timeout SECONDS` (exit 4 naming the timeout) and a memory estimate before
 * anything of size N×N is allocated (exit 4 naming the size and the limit).
 */
import { totalmem } from 'node:os';
import { LimitExceededError } from '@holonomic-ntk/core';
import { UsageError } from './io.ts';

/** The help text of `--timeout <seconds>`. */
export const TIMEOUT_HELP = 'stop after this many seconds of computation (exit code 4)';

/**
 * A deadline as an AbortSignal that also aborts synchronous computations: its `aborted` and `throwIfAborted` look
 * at the clock (the algebra runs without yielding to the event loop, so a timer alone would never fire there);
 * a timer aborts it for the asynchronous ones (kernel worker threads).
 */
export interface Deadline {
  readonly seconds: number;
  readonly signal: AbortSignal;
  /** True once the time is up. */
  expired(): boolean;
}

/**
 * Parses --timeout (undefined: no deadline).
 *
 * For example `deadline('2.5')?.seconds` gives 2.5; `deadline('0')` throws a UsageError.
 */
export function deadline(text: string | undefined): Deadline | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--timeout: expected a number of seconds > 0, got "${text}"`);
  const end = performance.now() + seconds * 1000;
  const ctl = new AbortController();
  const reason = () => new LimitExceededError(`stopped after --timeout ${seconds} s`, 'timeout', seconds);
  const expired = () => performance.now() >= end;
  const signal = ctl.signal;
  const native = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted')!.get!;
  const check = () => {
    if (!(native.call(signal) as boolean) && expired()) ctl.abort(reason());
  };
  const timer = setTimeout(check, Math.min(seconds * 1000 + 1, 2 ** 31 - 1));
  timer.unref();
  Object.defineProperty(signal, 'aborted', {
    get() {
      check();
      return native.call(signal) as boolean;
    },
  });
  const throwIfAborted = signal.throwIfAborted.bind(signal);
  Object.defineProperty(signal, 'throwIfAborted', {
    value: () => {
      check();
      throwIfAborted();
    },
  });
  return { seconds, signal, expired };
}

/**
 * Runs a job under an optional deadline: whatever the job throws once the time is up (an AbortError, a limit of the
 * algebra) becomes one LimitExceededError naming --timeout.
 *
 * For example `await withDeadline(deadline(flags.timeout), (signal) => compute({ signal }))`.
 */
export async function withDeadline<T>(d: Deadline | undefined, job: (signal: AbortSignal | undefined) => T | Promise<T>): Promise<T> {
  try {
    return await job(d?.signal);
  } catch (e) {
    if (d?.expired())
      throw new LimitExceededError(`stopped after --timeout ${d.seconds} s; give a larger --timeout or a smaller problem`, 'timeout', d.seconds);
    throw e;
  }
}

/** The deepest network the kernel commands take (the layer recursion holds per-layer state; 10⁹ layers ran out of memory). */
export const MAX_DEPTH = 10_000;

/** The memory a command may plan to use: $HGM_MAX_MEMORY_MB, else half of the machine's. */
export function memoryLimitBytes(): number {
  const env = process.env['HGM_MAX_MEMORY_MB'];
  if (env !== undefined && env.trim() !== '') {
    const mb = Number(env);
    if (Number.isFinite(mb) && mb > 0) return mb * 2 ** 20;
  }
  return totalmem() / 2;
}

const MAX_TYPED_ARRAY = 2 ** 32 - 1;

function human(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 && u > 0 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/**
 * Checks before allocating that matrices of the given shapes fit: `what` names them for the message; `copies`
 * counts how many float64 values are held per entry (matrices, row arrays, text).
 *
 * For example `checkMemory('K(X, X)', [[1e6, 1e6]], 4)` throws a LimitExceededError (about 30 TB).
 */
export function checkMemory(what: string, shapes: readonly (readonly [number, number])[], copies: number): void {
  let entries = 0;
  let largest = 0;
  for (const [r, c] of shapes) {
    entries += r * c;
    largest = Math.max(largest, r * c);
  }
  const bytes = entries * 8 * copies;
  const limit = memoryLimitBytes();
  if (bytes > limit || largest > MAX_TYPED_ARRAY) {
    const dims = shapes.map(([r, c]) => `${r} × ${c}`).join(' and ');
    throw new LimitExceededError(
      `${what}: ${dims} entries need about ${human(bytes)} of memory, more than the limit of ${human(limit)} ` +
        '(half the machine; set HGM_MAX_MEMORY_MB to change it); use fewer rows',
      'memory',
      limit,
    );
  }
}
