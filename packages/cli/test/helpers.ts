/** Relative error, or absolute error when the reference is exactly 0. */
export const relErr = (x: number, ref: number): number => (ref === 0 ? Math.abs(x) : Math.abs(x - ref) / Math.abs(ref));

/**
 * Runs `hgm ARGS` in this process (the command's main function), capturing stdout, stderr and console.log: faster
 * than spawning the bin, which the tests keep for what needs a process (pipes, signals).
 */
export async function hgmInProcess(args: string[], options: { version?: string } = {}): Promise<{ code: number; out: string; err: string }> {
  const { vi } = await import('vitest');
  const { main } = await import('../src/main.ts');
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  const l = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (out += `${a.join(' ')}\n`));
  try {
    return { code: await main(args, options), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    l.mockRestore();
  }
}
