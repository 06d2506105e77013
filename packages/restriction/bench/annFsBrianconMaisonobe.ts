/**
 * `ORD=lp npx tsx --conditions=source packages/restriction/bench/annFsBrianconMaisonobe.ts` (from the repository root):
 * a PROTOTYPE of Briançon–Maisonobe for Ann_{D[s]} f^s beside `annFs` (Oaku), CPU time (min of runs) on the
 * issue-16 benchmark polynomials, and whether the two reduced bases agree. Not part of the library: it subclasses
 * WeylAlgebra to multiply in D_x⟨∂t, s⟩ with s·∂t = ∂t·(s + 1) (`mulTermInto`), which only the engine's generic
 * merging reduction calls — the packed workspace hard-codes the Weyl rule, so the order below has no rows on purpose.
 * ORD=lp: Singular's order for annfsBM (lex on (∂t, s), then grevlex on x, ∂x); otherwise ∂t-degree, then grevlex.
 * STRAT=sugar|normal: pair selection; ONLY="f1;f2": a subset. Measured in BENCHMARKS.md (issue 16, second part).
 */
import {
  PolyRing,
  QQ,
  ZZ,
  parsePolynomial,
  WeylAlgebra,
  grevlex,
  Poly,
  Rational,
  type Monomial,
  type MonomialOrder,
  type TermSink,
  operatorToText,
} from '@holonomic-ntk/weyl-algebra';
import { integerPrimitive } from '@holonomic-ntk/weyl-algebra/internal';
import { groebnerBasis } from '@holonomic-ntk/groebner';
import { buchberger, integerStrategy } from '@holonomic-ntk/groebner/internal';
import { annFs } from '../src/annFs.ts';

/** D_x⟨∂t, s⟩ with s·∂t = ∂t·(s + 1): exponent layout [x, ∂x, dt, s], dt^k s^j normally ordered (dt left). */
class ShiftWeyl extends WeylAlgebra<bigint> {
  override mulTermInto(m: Monomial, c: bigint, p: Poly<bigint>, sink: TermSink<bigint>, skipLead = false): void {
    const w = m.length;
    const dt = w - 2;
    const si = w - 1;
    const j = m[si]!;
    if (j === 0) {
      super.mulTermInto(m, c, p, sink, skipLead);
      return;
    }
    const m0 = m.slice();
    m0[si] = 0;
    for (let q = 0; q < p.monos.length; q++) {
      const mu = p.monos[q]!;
      const k = mu[dt]!;
      const single = new Poly([mu], [p.coeffs[q]!]);
      const terms: [number[], bigint][] = [];
      super.mulTermInto(m0, c, single, { add: (mm, cc) => terms.push([mm, cc]) }, false);
      // (s + k)^j = Σ_i C(j,i) k^(j−i) s^i
      for (const [mm, cc] of terms) {
        let binom = 1n;
        for (let i = 0; i <= j; i++) {
          if (i > 0) binom = (binom * BigInt(j - i + 1)) / BigInt(i);
          const coef = binom * BigInt(k) ** BigInt(j - i);
          if (coef === 0n) continue;
          if (skipLead && q === 0 && i === j && sameAs(mm, m0, mu)) continue;
          const out = mm.slice();
          out[si] = out[si]! + i;
          sink.add(out, cc * coef);
        }
      }
    }
  }
}
function sameAs(mm: number[], m0: Monomial, mu: Monomial): boolean {
  for (let i = 0; i < mm.length; i++) if (mm[i] !== m0[i]! + mu[i]!) return false;
  return true;
}

export function annFsBM(R: PolyRing<Rational>, f: Poly<Rational>) {
  const n = R.vars.length;
  const width = 2 * n + 2;
  const elim: MonomialOrder = {
    name: 'dt-elim',
    isGlobal: true,
    compare(a, b) {
      let d = a[2 * n]! - b[2 * n]!;
      if (d !== 0) return d;
      if (process.env.ORD === 'lp') {
        d = a[2 * n + 1]! - b[2 * n + 1]!;
        if (d !== 0) return d;
        return grevlex.compare(a.slice(0, 2 * n), b.slice(0, 2 * n));
      }
      return grevlex.compare(a, b);
    },
  };
  const pairs = R.vars.map((x) => ({ x, d: `d${x}` }));
  const A = new ShiftWeyl(ZZ, pairs, { central: ['_dt', '_s'], order: elim });
  const AQ = new WeylAlgebra(QQ, pairs, { central: ['_dt', '_s'], order: elim });
  const mono = (e: (v: number[]) => void) => {
    const v = new Array<number>(width).fill(0);
    e(v);
    return v;
  };
  const fdt = (p: Poly<Rational>) =>
    p.monos.map(
      (m, i) =>
        [
          mono((v) => {
            for (let a = 0; a < n; a++) v[a] = m[a]!;
            v[2 * n] = 1;
          }),
          p.coeffs[i]!,
        ] as const,
    );
  const gensQ: Poly<Rational>[] = [];
  gensQ.push(AQ.poly.fromTerms([mono((v) => (v[2 * n + 1] = 1)), ...fdt(f).map((t) => t[0])], [Rational.ONE, ...fdt(f).map((t) => t[1])]));
  for (let i = 0; i < n; i++) {
    const fi = R.diff(f, i);
    gensQ.push(AQ.poly.fromTerms([mono((v) => (v[n + i] = 1)), ...fdt(fi).map((t) => t[0])], [Rational.ONE, ...fdt(fi).map((t) => t[1])]));
  }
  const gens = gensQ.map((g) => integerPrimitive(AQ.poly, g, A.poly).prim);
  const G = buchberger(A, integerStrategy, { component: -1 }, gens, process.env.STRAT ? { strategy: process.env.STRAT as 'sugar' | 'normal' } : {});
  const free = G.filter((g) => g.monos.every((m) => m[2 * n] === 0));
  const E = new WeylAlgebra(QQ, R.vars, { central: ['s'] });
  const images = free.map((g) =>
    E.poly.fromTerms(
      g.monos.map((m) => [...m.slice(0, 2 * n), m[2 * n + 1]!]),
      g.coeffs.map((c) => Rational.int(c)),
    ),
  );
  const basis = groebnerBasis(E, images);
  return { algebra: E, generators: basis, text: basis.map((g) => operatorToText(E, g, { compact: false })), gbSize: G.length };
}

const cases0: [string, string[]][] = [
  ['x^2+y^3', ['x', 'y']],
  ['x^2+y^5', ['x', 'y']],
  ['x^3+y^4', ['x', 'y']],
  ['x^3+y^5', ['x', 'y']],
  ['x^5+y^4+x^3*y^2', ['x', 'y']],
  ['x*y*(x+y)', ['x', 'y']],
  ['x*y*(x-y)*(x+y)', ['x', 'y']],
  ['x^2+y^2+z^2', ['x', 'y', 'z']],
  ['x^2-y^2*z', ['x', 'y', 'z']],
  ['y^2*z-x^3', ['x', 'y', 'z']],
  ['x*y*z*(x+y+z)', ['x', 'y', 'z']],
  ['x*y*z*(x-y)*(x-z)*(y-z)', ['x', 'y', 'z']],
];
const cases = cases0.filter(([f]) => !process.env.ONLY || process.env.ONLY.split(';').includes(f));
for (const [fs, vars] of cases) {
  const R = new PolyRing(QQ, vars);
  const f = parsePolynomial(R, fs);
  const cpu = (g: () => { text: string[] }, k: number) => {
    const xs: number[] = [];
    let r: { text: string[] } = { text: [] };
    for (let i = 0; i < k; i++) {
      const c0 = process.cpuUsage();
      r = g();
      const c = process.cpuUsage(c0);
      xs.push((c.user + c.system) / 1000);
    }
    return [r, Math.min(...xs)] as const;
  };
  const reps = fs.length > 20 ? 2 : 7;
  const [bm, tb] = cpu(() => annFsBM(R, f), reps);
  const [ot, to] = cpu(() => annFs(R, f), reps);
  const same = JSON.stringify(bm.text) === JSON.stringify(ot.text);
  console.log(fs.padEnd(26), 'BM cpu', tb.toFixed(1), 'OT cpu', to.toFixed(1), same ? 'SAME' : `DIFF ${JSON.stringify(bm.text)} vs ${JSON.stringify(ot.text)}`);
}
