#!/usr/bin/env node
// The `hgm` command runs the built JavaScript (dist/, `npm run build`). In the repository, with the `source` export
// condition (`node --conditions=source`, as the tests run it) it runs the TypeScript sources through tsx instead,
// a devDependency, so no build is needed there.
import { readFileSync } from 'node:fs';

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
process.exitCode = await main(process.argv.slice(2), { version });
