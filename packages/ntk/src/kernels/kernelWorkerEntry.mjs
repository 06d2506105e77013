// Entry of a kernel worker thread. Workers do not inherit the parent's tsx loader (Node 20 ignores
// `execArgv: ['--import', 'tsx']` for the worker's main module), so the loader is registered here, as in bin/hgm.js.
// biome-ignore lint/correctness/noUndeclaredDependencies: used only from the source tree, where the root devDependency tsx provides it
import { register } from 'tsx/esm/api';

register();
await import('./kernelWorker.ts');
