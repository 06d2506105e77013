#!/usr/bin/env node
// The `hgm` command runs the built JavaScript (dist/, `npm run build`). In the repository, with the `source` export
// condition (`node --conditions=source`, as the tests run it) it runs the TypeScript sources through tsx instead,
// a devDependency, so no build is needed there.
import { readFileSync } from 'node:fs';

// `hgm … | head` closes the pipe early: stop quietly, as Unix tools do, instead of a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
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
