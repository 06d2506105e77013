import {
  AnnihilatorError,
  ArtifactError,
  DomainError,
  HolonomicError,
  IntegrationError,
  LimitExceededError,
  NotHolonomicError,
  ParseError,
} from '@holonomic-ntk/core';
import { clip } from './text.ts';

/** Plain words for the file-system errors a user causes. */
const FILE_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory, a file was expected',
  ENOTDIR: 'a component of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EEXIST: 'already exists',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  EFBIG: 'file too large',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  ENXIO: 'no reader on the other end (a FIFO or device without a reader)',
  ETXTBSY: 'the file is busy',
};

/**
 * Plain words for a file-system error code (`EACCES` → 'permission denied'); the code itself when unknown.
 *
 * For example `fileErrorText('ENOSPC')` gives 'no space left on the device'.
 */
export function fileErrorText(code: string): string {
  return Object.hasOwn(FILE_ERRORS, code) ? FILE_ERRORS[code]! : code;
}

/** An error in how the command was called (a flag's value, a missing option): exit code 2, no stack trace. */
export class UsageError extends HolonomicError {
  override readonly name = 'UsageError';
}

/**
 * Every library error (the one hierarchy of @holonomic-ntk/core) becomes one line and an exit code: 2 bad input,
 * 3 not holonomic, 4 a limit (a user-set limit such as --timeout, memory, or the numerics' accuracy or step limit),
 * 130 cancelled. Exit 70 is left for what is not a HolonomicError: a bug, reported as one. Long tokens (a
 * 100 KB formula) are clipped; a parse error keeps its column and names the input instead of drawing a caret.
 */
export function describeError(e: unknown): { message: string; code: number } {
  const { message, code } = describe(e);
  return { message: clip(message), code };
}

function describe(e: unknown): { message: string; code: number } {
  if (e instanceof ParseError) {
    const first = e.message.split('\n')[0]!;
    return { message: `parse error: ${first}${e.input && !e.input.includes('\n') ? ` in "${e.input}"` : ''}`, code: 2 };
  }
  if (e instanceof AnnihilatorError) return { message: `not an annihilator: ${e.message}`, code: 2 };
  if (e instanceof ArtifactError) return { message: `invalid artifact: ${e.message}`, code: 2 };
  if (e instanceof NotHolonomicError) return { message: `not holonomic: ${e.message}`, code: 3 };
  if (e instanceof LimitExceededError) return { message: `limit reached: ${e.message}`, code: 4 };
  if (e instanceof IntegrationError) return { message: `accuracy not reached: ${e.message}`, code: 4 };
  if (e instanceof DomainError) return { message: `error: ${e.message}`, code: 2 };
  if (e instanceof HolonomicError) return { message: e.name === 'UsageError' || e instanceof UsageError ? e.message : `error: ${e.message}`, code: 2 };
  if (e instanceof Error && e.name === 'AbortError') return { message: 'cancelled', code: 130 };
  // The operating system refused a file or directory (ENOENT, EISDIR, EACCES, …): the user's path, not a bug.
  if (e instanceof Error && typeof (e as { code?: unknown }).code === 'string' && typeof (e as { syscall?: unknown }).syscall === 'string') {
    const { code, path } = e as Error & { code: string; path?: string };
    return { message: `cannot use ${path ?? 'the file'}: ${fileErrorText(code)}`, code: 2 };
  }
  // V8 could not allocate (a matrix or array beyond memory): a limit, not a bug.
  if (e instanceof RangeError && /Invalid (typed )?array length|Array buffer allocation failed|allocation failed/i.test(e.message)) {
    return { message: `limit reached: out of memory (${e.message}); use smaller inputs`, code: 4 };
  }
  const detail = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return { message: `internal error (please report it): ${detail}`, code: 70 };
}

/**
 * Progress on stderr for computations that take longer than a second: silent before, then a line at most every
 * half second, overwritten in place on a terminal.
 */
export function progressReporter(label: string): {
  onProgress: (p: { stage: string; pairsDone: number; pairsLeft: number; basisSize: number; degree: number }) => void;
  /** Which part of the job runs now (e.g. which system of a derivation); shown with the progress after 1 s. */
  note: (what: string) => void;
  done: () => void;
} {
  const start = performance.now();
  let last = 0;
  let shown = false;
  let current = '';
  const tty = process.stderr.isTTY;
  const write = (text: string): void => {
    shown = true;
    process.stderr.write(tty ? `\r\x1b[K${text}` : `${text}\n`);
  };
  return {
    onProgress(p) {
      const now = performance.now();
      if (now - start < 1000 || now - last < 500) return;
      last = now;
      const where = current ? `${current}: ` : '';
      write(
        `${label}: ${where}${p.stage}, ${p.pairsDone} pairs done, ${p.pairsLeft} left, basis ${p.basisSize}, degree ${p.degree} (${((now - start) / 1000).toFixed(1)} s)`,
      );
    },
    note(what) {
      current = clip(what);
      const now = performance.now();
      if (now - start >= 1000) write(`${label}: ${current} (${((now - start) / 1000).toFixed(1)} s)`);
    },
    done() {
      if (shown && tty) process.stderr.write('\n');
    },
  };
}

export function splitList(text: string, what: string): string[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) throw new UsageError(`${what} is empty`);
  return items;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
