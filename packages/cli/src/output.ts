/**
 * The one output writer of every `hgm` command (--out, -o/--output, --figure, the artifact cache).
 *
 * - `-` is standard output; an empty path is an error.
 * - A symbolic link is written through (its target is replaced, the link stays).
 * - A character device or a FIFO (`/dev/null`, `/dev/stdout`, `mkfifo`) is opened and written directly: no temporary
 *   file, no rename (a rename would replace the device with a regular file).
 * - A regular file (or a new one) is replaced atomically: a temporary file in the same directory, then a rename, so
 *   readers see the old content or the complete new one, never half a file; its permission bits are kept.
 * - {@link planOutput} checks all of this before any computation (the commands call it right after parsing their
 *   options): a directory, a missing or non-directory parent, a read-only or unwritable place is reported at once.
 * - Every failure (ENOSPC, EACCES, EISDIR, ENOTDIR, EROFS, …) is one line naming the user's path, exit code 2, and
 *   leaves nothing half-written.
 */
import { closeSync, chmodSync, lstatSync, mkdirSync, openSync, readlinkSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError, fileErrorText } from './io.ts';
import { clip } from './text.ts';

/** A path that cannot be written (exit code 2). */
export class OutputError extends UsageError {}

export type OutputKind = 'stdout' | 'file' | 'device';

export interface OutputTarget {
  /** The path as the user gave it (for messages). */
  readonly path: string;
  /** The option that named it (`--out`), for messages. */
  readonly option: string;
  readonly kind: OutputKind;
  /** Where the bytes go: the final target of a symbolic link; the path itself for devices. */
  readonly resolved: string;
}

/** The file-system calls the writer makes; tests replace `writeFileSync` to simulate a full disk. */
export interface OutputFs {
  writeFileSync: (path: string, data: string, options: { flag?: string; mode?: number }) => void;
}

const nodeFs: OutputFs = { writeFileSync: (p, d, o) => writeFileSync(p, d, o) };

function errorCode(e: unknown): string | undefined {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string' ? (e as unknown as { code: string }).code : undefined;
}

function cannot(path: string, e: unknown, extra = ''): OutputError {
  const code = errorCode(e);
  const why = code ? fileErrorText(code) : e instanceof Error ? e.message : String(e);
  return new OutputError(clip(`cannot write ${path}: ${why}${extra}`));
}

/** Paths the kernel hands out per process (/dev/stdout → /proc/self/fd/1 → a pipe or a file): written, never resolved. */
function isProcessStream(p: string): boolean {
  return /^\/(proc\/[^/]+\/fd|dev\/fd)\//.test(p) || p === '/dev/stdout' || p === '/dev/stderr';
}

/** Follows symbolic links (also dangling ones, whose target is then created). */
function followLinks(path: string): { resolved: string; stream: boolean } {
  let p = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    if (isProcessStream(p)) return { resolved: p, stream: true };
    let st: ReturnType<typeof lstatSync> | undefined;
    try {
      st = lstatSync(p, { throwIfNoEntry: false });
    } catch (e) {
      throw cannot(path, e);
    }
    if (!st?.isSymbolicLink()) return { resolved: p, stream: false };
    p = resolve(dirname(p), readlinkSync(p));
  }
  throw new OutputError(clip(`cannot write ${path}: too many levels of symbolic links`));
}

/** Creates and removes an empty file in `dir`: the one check that also catches read-only and virtual file systems. */
function probeDirectory(path: string, dir: string): void {
  const probe = join(dir, `.hgm-probe-${process.pid}-${Math.random().toString(36).slice(2)}`);
  try {
    closeSync(openSync(probe, 'wx'));
  } catch (e) {
    throw cannot(path, e, dir === dirname(resolve(path)) ? '' : ` (in ${dir})`);
  }
  rmSync(probe, { force: true });
}

/**
 * Checks an output path before any computation and says how it will be written. `undefined` (the option not
 * given) gives undefined.
 *
 * For example `planOutput('-', '--out')` gives `{ path: '-', option: '--out', kind: 'stdout', resolved: '-' }`,
 * and `planOutput('', '--out')` throws an OutputError.
 */
export function planOutput(path: string | undefined, option: string): OutputTarget | undefined {
  if (path === undefined) return undefined;
  if (path === '') throw new OutputError(`${option}: empty path; give a file name, or - for standard output`);
  if (path === '-') return { path, option, kind: 'stdout', resolved: '-' };
  const { resolved, stream } = followLinks(path);
  if (stream) return { path, option, kind: 'device', resolved };
  let st: ReturnType<typeof statSync> | undefined;
  try {
    st = statSync(resolved, { throwIfNoEntry: false });
  } catch (e) {
    throw cannot(path, e);
  }
  if (st?.isDirectory()) throw new OutputError(clip(`${option}: ${path} is a directory; give a file name to write`));
  if (st && !st.isFile()) {
    if (st.isSocket()) throw new OutputError(clip(`${option}: ${path} is a socket, not a file`));
    return { path, option, kind: 'device', resolved };
  }
  // A regular file or a new one: its directory (or the nearest existing ancestor, created below it) must take a new file.
  let dir = dirname(resolved);
  for (;;) {
    let d: ReturnType<typeof statSync> | undefined;
    try {
      d = statSync(dir, { throwIfNoEntry: false });
    } catch (e) {
      throw cannot(path, e);
    }
    if (d) {
      if (!d.isDirectory()) throw new OutputError(clip(`cannot write ${path}: ${dir} is not a directory`));
      break;
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  probeDirectory(path, dir);
  return { path, option, kind: 'file', resolved };
}

/**
 * Writes `text` to a planned target: standard output, a device or FIFO directly, a regular file atomically. A
 * failure removes the temporary file and throws one OutputError naming the path.
 *
 * For example `writeOutput(planOutput('K.csv', '--out')!, 'a,b\n1,2\n')`.
 */
export function writeOutput(target: OutputTarget, text: string, fs: OutputFs = nodeFs): void {
  if (target.kind === 'stdout') {
    process.stdout.write(text);
    return;
  }
  if (target.kind === 'device') {
    try {
      // Append: /dev/stdout redirected to a file must not truncate what is already there; a FIFO blocks until read.
      fs.writeFileSync(target.resolved, text, { flag: 'a' });
    } catch (e) {
      throw cannot(target.path, e);
    }
    return;
  }
  const dir = dirname(target.resolved);
  const tmp = join(dir, `.${basename(target.resolved)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    const mode = statSync(target.resolved, { throwIfNoEntry: false })?.mode;
    fs.writeFileSync(tmp, text, { flag: 'wx' });
    if (mode !== undefined) chmodSync(tmp, mode & 0o7777);
    renameSync(tmp, target.resolved);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw cannot(target.path, e);
  }
}

/**
 * Plans and writes in one step (for writes that happen after the work, e.g. the artifact cache).
 *
 * For example `writeFileAtomic('cache/key.artifact.json', text)`.
 */
export function writeFileAtomic(path: string, text: string): void {
  writeOutput(planOutput(path, 'output')!, text);
}
