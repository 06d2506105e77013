/**
 * A progress bar on stderr for long computations (kernel matrices by tiles). It draws only when stderr is a
 * terminal — piped or redirected output gets nothing, not even a final newline — and only once the work has
 * taken longer than `delayMs`, so short runs stay quiet; redraws at most every 100 ms and erases itself at the end.
 */
export interface ProgressBar {
  update(done: number, total: number): void;
  /** Erase the bar (if it was drawn). */
  done(): void;
}

export interface ProgressBarOptions {
  /** Where to draw (default process.stderr). */
  stream?: NodeJS.WriteStream;
  /** Quiet for this long (default 1000 ms). */
  delayMs?: number;
  /** Bar width in characters (default 30). */
  width?: number;
}

/**
 * For example:
 *   const bar = progressBar('hgm ntk');
 *   await kernelMatrix(spec, x, null, { onProgress: (p) => bar.update(p.entriesDone, p.entries) });
 *   bar.done();
 */
export function progressBar(label: string, options: ProgressBarOptions = {}): ProgressBar {
  const stream = options.stream ?? process.stderr;
  const delay = options.delayMs ?? 1000;
  const width = options.width ?? 30;
  const start = performance.now();
  let last = -Infinity;
  let shown = false;
  return {
    update(done, total) {
      if (!stream.isTTY) return;
      const now = performance.now();
      if (now - start < delay || (now - last < 100 && done < total)) return;
      last = now;
      shown = true;
      const f = total > 0 ? Math.min(1, done / total) : 1;
      const filled = Math.round(f * width);
      const elapsed = (now - start) / 1000;
      const eta = f > 0 && f < 1 ? `, ~${((elapsed * (1 - f)) / f).toFixed(0)} s left` : '';
      stream.write(`\r\x1b[K${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(100 * f).toFixed(0)}% (${elapsed.toFixed(1)} s${eta})`);
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}
