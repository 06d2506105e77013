#!/usr/bin/env node
// The `hgm` command runs the built JavaScript (dist/, `npm run build`). In the repository, with the `source` export
// condition (`node --conditions=source`, as the tests run it) it runs the TypeScript sources through tsx instead,
// a devDependency, so no build is needed there.
import { readFileSync } from 'node:fs';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

// `hgm … | head` closes the pipe early: stop quietly with exit code 0, as Unix tools do, instead of a stack trace.
// A closed stderr likewise. Any other failure of standard output (`> /dev/full`) is one line and exit code 2.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE' || e.code === 'EBADF' || e.code === 'ERR_STREAM_DESTROYED' || stream === process.stderr) process.exit(0);
    try {
      process.stderr.write(`hgm: cannot write standard output: ${e.code === 'ENOSPC' ? 'no space left on the device' : (e.code ?? e.message)}\n`);
    } finally {
      process.exit(2);
    }
  });
}
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const fromSources = import.meta.resolve('@holonomic-ntk/cli').endsWith('.ts');
let main;
if (fromSources) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/main.ts'));
} else {
  ({ main } = await import('../dist/src/main.js'));
}

/**
 * `--timeout N`: the commands stop themselves at the deadline wherever their loops check it (exit 4). Code that never
 * yields (expanding `(x+dx)^300` while parsing) is stopped from outside: the command runs in a worker thread, and
 * one second after the deadline this thread terminates it and says so, exit 4.
 */
function timeoutOf(argv) {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') return undefined;
    if (argv[i] === '--timeout') return Number(argv[i + 1]);
    if (argv[i].startsWith('--timeout=')) return Number(argv[i].slice('--timeout='.length));
  }
  return undefined;
}

if (!isMainThread) {
  // Progress is drawn as on the terminal the parent thread writes to.
  if (workerData.stderrTTY) Object.defineProperty(process.stderr, 'isTTY', { value: true });
  parentPort.postMessage(await main(workerData.argv, { version }));
} else {
  const argv = process.argv.slice(2);
  const seconds = timeoutOf(argv);
  if (seconds !== undefined && Number.isFinite(seconds) && seconds > 0 && seconds < 2 ** 31 / 1000 - 1) {
    const execArgv = fromSources && !process.execArgv.includes('--conditions=source') ? [...process.execArgv, '--conditions=source'] : undefined;
    const worker = new Worker(new URL(import.meta.url), { workerData: { argv, stderrTTY: process.stderr.isTTY === true }, ...(execArgv ? { execArgv } : {}) });
    const timer = setTimeout(
      () => {
        void worker.terminate();
        process.stderr.write(`hgm: limit reached: stopped after --timeout ${seconds} s; give a larger --timeout or a smaller problem\n`);
        process.exitCode = 4;
      },
      seconds * 1000 + 1000,
    );
    worker.on('message', (code) => {
      process.exitCode = code;
    });
    worker.on('error', (e) => {
      process.stderr.write(`hgm: internal error (please report it): ${e?.name ?? 'Error'}: ${e?.message ?? e}\n`);
      process.exitCode = 70;
    });
    worker.on('exit', () => clearTimeout(timer));
  } else {
    process.exitCode = await main(argv, { version });
  }
}
