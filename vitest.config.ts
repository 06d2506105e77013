import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// The workspace packages' `exports` have a `source` condition (their TypeScript) before types/import (dist/): the
// tests run the sources, with no build step. Vite (SSR environment, where node tests run) and the Node processes
// the tests start (the hgm bin, kernel worker threads: NODE_OPTIONS) resolve that condition.
const NODE_OPTIONS = [process.env['NODE_OPTIONS'], '--conditions=source'].filter(Boolean).join(' ');

export default defineConfig({
  resolve: { conditions: ['source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // The JSON report is what .ci/run counts; the default reporter is for people.
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
    testTimeout: 60_000,
    setupFiles: ['test/support/fastCheckSeed.ts'],
    pool: 'forks',
    env: { NODE_OPTIONS },
  },
});
