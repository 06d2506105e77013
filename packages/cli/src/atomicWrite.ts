// The one output writer lives in output.ts; this name stays for the modules that import it.
export { writeFileAtomic } from './output.ts';
