/**
 * `npx tsx --conditions=source packages/restriction/bench/bernsteinList.ts [N]` (from the repository root): the
 * Bernstein–Sato polynomial b_f (bernsteinSato, graph route) and Ann_{D[s]} f^s (annFs, Oaku) of the benchmark
 * polynomials, each timed N times (default 5) in this one process after one warm-up run of the cusp (JIT), median
 * in milliseconds. Prints one JSON line per polynomial on stdout: {id, f, vars, b, bMs, annMs, bRuns, annRuns}.
 * Environment: BERNSTEIN_ONLY (comma-separated ids), BERNSTEIN_LIMIT_S (per computation, default 120).
 * Driven by packages/cli/bench/bernsteinList.mjs, which runs Singular and Macaulay2 on the same list.
 */
import { PolyRing, QQ, parsePolynomial } from '@holonomic-ntk/weyl-algebra';
import { annFs } from '../src/annFs.ts';
import { bernsteinSato } from '../src/bernsteinSato.ts';

/** The benchmark list: id, f, variables. Shared with packages/cli/bench/bernsteinList.mjs (which imports it). */
export const BERNSTEIN_LIST: readonly { id: string; f: string; vars: string[]; what: string }[] = [
  { id: 'cusp', f: 'x^2+y^3', vars: ['x', 'y'], what: 'the cusp' },
  { id: 'x2y5', f: 'x^2+y^5', vars: ['x', 'y'], what: 'A4 singularity' },
  { id: 'x3y4', f: 'x^3+y^4', vars: ['x', 'y'], what: 'E6 singularity' },
  { id: 'x3y5', f: 'x^3+y^5', vars: ['x', 'y'], what: 'E8 singularity' },
  { id: 'x5y4x3y2', f: 'x^5+y^4+x^3*y^2', vars: ['x', 'y'], what: 'not quasi-homogeneous' },
  { id: 'lines3', f: 'x*y*(x+y)', vars: ['x', 'y'], what: '3 lines through 0 (D4)' },
  { id: 'lines4', f: 'x*y*(x-y)*(x+y)', vars: ['x', 'y'], what: '4 lines through 0' },
  { id: 'quadric3', f: 'x^2+y^2+z^2', vars: ['x', 'y', 'z'], what: 'A1 in 3 variables' },
  { id: 'umbrella', f: 'x^2-y^2*z', vars: ['x', 'y', 'z'], what: 'the Whitney umbrella' },
  { id: 'cuspcone', f: 'y^2*z-x^3', vars: ['x', 'y', 'z'], what: 'cone over the cuspidal cubic' },
  { id: 'generic4', f: 'x*y*z*(x+y+z)', vars: ['x', 'y', 'z'], what: 'generic central arrangement of 4 planes' },
  { id: 'A3', f: 'x*y*z*(x-y)*(x-z)*(y-z)', vars: ['x', 'y', 'z'], what: 'reflection arrangement A3' },
];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const N = Number(process.argv[2] ?? 5);
  const only = process.env.BERNSTEIN_ONLY?.split(',');
  const limits = { maxMilliseconds: 1000 * Number(process.env.BERNSTEIN_LIMIT_S ?? 120) };
  const warm = new PolyRing(QQ, ['x', 'y']);
  bernsteinSato(warm, parsePolynomial(warm, 'x^2+y^3'));
  annFs(warm, parsePolynomial(warm, 'x^2+y^3'));
  for (const c of BERNSTEIN_LIST) {
    if (only && !only.includes(c.id)) continue;
    const R = new PolyRing(QQ, c.vars);
    const f = parsePolynomial(R, c.f);
    const bRuns: number[] = [];
    const annRuns: number[] = [];
    let b = '';
    let error: string | undefined;
    try {
      for (let k = 0; k < N; k++) {
        let t0 = performance.now();
        b = bernsteinSato(R, f, { limits }).factored;
        bRuns.push(performance.now() - t0);
        t0 = performance.now();
        annFs(R, f, { limits });
        annRuns.push(performance.now() - t0);
      }
    } catch (e) {
      error = String(e);
    }
    console.log(
      JSON.stringify({
        id: c.id,
        f: c.f,
        vars: c.vars,
        b,
        bMs: bRuns.length ? median(bRuns) : null,
        annMs: annRuns.length ? median(annRuns) : null,
        bRuns,
        annRuns,
        error,
      }),
    );
  }
}
