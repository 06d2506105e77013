/**
 * Numerical check that P annihilates σ as a distribution: ⟨Pσ, φ⟩ = ∫ σ(u)·(P*φ)(u) du = 0 for Gaussian test
 * functions φ(u) = exp(−(u − μ)²/(2s²)). P*φ = φ·r with r ∈ Q[u] computed exactly (∂(gφ) = (g′ − (u−μ)/s²·g)φ),
 * so the only rounding is in σ, φ and the quadrature, which splits at the kinks of σ.
 */
import { DomainError, Rational, operatorToText, type Poly } from '@holonomic-ntk/weyl-algebra';
import { adjoint } from './adjoint.ts';
import { ACTIVATION_ALGEBRA, U_POLY } from './algebra.ts';
import { AnnihilatorError, type TestFunctionSpec } from '@holonomic-ntk/core';
import { evaluateDd, toDdPolynomial } from './polyEval.ts';
import { adaptiveGauss, gaussPiece } from './quadrature.ts';

/** Default tolerance on the relative residual |∫σP*φ| / ∫|σ||P*φ| (the quadrature reaches ~1e-14). */
export const DISTRIBUTION_TOLERANCE = 1e-10;

export interface TestFunctionResult extends TestFunctionSpec {
  /** |∫σ·P*φ| / ∫|σ|·|P*φ| (0 when σ·P*φ vanishes identically). */
  residual: number;
  /** ∫σ·P*φ. */
  value: number;
  /** ∫|σ|·|P*φ|. */
  scale: number;
}

export interface DistributionCheck {
  maxResidual: number;
  tolerance: number;
  testFunctions: TestFunctionResult[];
}

export interface DistributionCheckOptions {
  /** Points where σ is not smooth (the quadrature splits there). */
  kinks?: readonly number[];
  /** Default: μ ∈ {−1.5, −0.5, 0, 0.5, 1.5} × s ∈ {1/2, 1}, and μ = each kink with s ∈ {1/4, 1}. */
  testFunctions?: readonly TestFunctionSpec[];
  tolerance?: number;
}

/** The default Gaussian test functions for σ with the given kinks. */
export function defaultTestFunctions(kinks: readonly number[] = []): TestFunctionSpec[] {
  const out: TestFunctionSpec[] = [];
  for (const s of [0.5, 1]) for (const mu of [-1.5, -0.5, 0, 0.5, 1.5]) out.push({ mu, s });
  for (const k of kinks) for (const s of [0.25, 1]) out.push({ mu: k, s });
  return out;
}

/**
 * r = (P*φ)/φ ∈ Q[u] for φ = exp(−(u − μ)²/(2s²)), exactly (μ and s as the exact rationals of the doubles).
 *
 * For example:
 * adjointOnGaussian(parseOperator(D, 'du'), 0, 1); // P = ∂: P*φ = −φ′ = u·φ, so r = u
 */
export function adjointOnGaussian(P: Poly<Rational>, mu: number, s: number): Poly<Rational> {
  const D = ACTIVATION_ALGEBRA;
  const R = U_POLY;
  const Pstar = adjoint(D, P);
  const s2 = Rational.fromNumber(s).pow(2);
  // (u − μ)/s²
  const lin = R.scale(R.sub(R.gen(0), R.constant(Rational.fromNumber(mu))), s2.inv());
  const h: Poly<Rational>[] = [R.one]; // ∂^b φ = h_b φ
  const hb = (b: number): Poly<Rational> => {
    while (h.length <= b) {
      const g = h[h.length - 1]!;
      h.push(R.sub(R.diff(g, 0), R.mul(lin, g)));
    }
    return h[b]!;
  };
  let r = R.zero;
  for (let t = 0; t < Pstar.length; t++) {
    const [a, b] = Pstar.monos[t]!;
    r = R.add(r, R.mulTerm(hb(b!), [a!], Pstar.coeffs[t]!));
  }
  return r;
}

/**
 * ∫ f over the real line for f = σ·φ·r: walk outwards from μ in steps of s (splitting at the kinks) until the
 * pieces are negligible, then integrate every piece adaptively to 1e-16 of the total ∫|f|.
 */
function integrateLine(f: (u: number) => number, mu: number, s: number, kinks: readonly number[]): { value: number; abs: number } {
  const pieces: [number, number][] = [];
  let coarseTotal = 0;
  const sorted = [...kinks].sort((a, b) => a - b);
  const split = (a: number, b: number): [number, number][] => {
    const cuts = [a, ...sorted.filter((k) => k > a && k < b), b];
    return cuts.slice(1).map((x, i) => [cuts[i]!, x] as [number, number]);
  };
  for (const dir of [1, -1]) {
    let quiet = 0;
    for (let j = 0; ; j++) {
      if (j > 400)
        throw new DomainError(
          `σ·P*φ does not decay within 400 widths of the test function (μ = ${mu}, s = ${s}): σ grows too fast for Gaussian test functions`,
        );
      const a = dir > 0 ? mu + j * s : mu - (j + 1) * s;
      const b = a + s;
      let chunkAbs = 0;
      for (const [c, d] of split(a, b)) {
        const g = gaussPiece(f, c, d);
        if (!Number.isFinite(g.value)) {
          throw new DomainError(
            `σ·P*φ is not finite near u = ${c} (test function μ = ${mu}, s = ${s}): σ grows too fast for Gaussian test functions ` +
              '(pass testFunctions of smaller width, or verify: false)',
          );
        }
        chunkAbs += g.abs;
        pieces.push([c, d]);
      }
      coarseTotal += chunkAbs;
      quiet = chunkAbs <= 1e-20 * coarseTotal ? quiet + 1 : 0;
      if (quiet >= 3 && j >= 6) break;
    }
  }
  const absTol = 1e-17 * coarseTotal;
  let value = 0;
  let abs = 0;
  for (const [c, d] of pieces) {
    const r = adaptiveGauss(f, c, d, absTol);
    value += r.value;
    abs += r.abs;
  }
  return { value, abs };
}

/**
 * Relative residuals of ⟨Pσ, φ⟩ over the test functions.
 *
 * For example:
 * const D = ACTIVATION_ALGEBRA;
 * distributionResidual(parseOperator(D, 'u*du - 1'), (u) => Math.max(u, 0), { kinks: [0] }).maxResidual; // ~1e-16
 */
export function distributionResidual(P: Poly<Rational>, sigma: (u: number) => number, options: DistributionCheckOptions = {}): DistributionCheck {
  const kinks = options.kinks ?? [];
  const specs = options.testFunctions ?? defaultTestFunctions(kinks);
  const results: TestFunctionResult[] = [];
  for (const { mu, s } of specs) {
    const r = toDdPolynomial(adjointOnGaussian(P, mu, s));
    const twoS2 = 2 * s * s;
    const f = (u: number): number => {
      const phi = Math.exp(-((u - mu) * (u - mu)) / twoS2);
      if (phi === 0) return 0;
      const sig = sigma(u);
      return sig === 0 ? 0 : sig * phi * evaluateDd(r, u);
    };
    const { value, abs } = integrateLine(f, mu, s, kinks);
    results.push({ mu, s, value, scale: abs, residual: abs === 0 ? 0 : Math.abs(value) / abs });
  }
  const maxResidual = Math.max(0, ...results.map((t) => t.residual));
  return { maxResidual, tolerance: options.tolerance ?? DISTRIBUTION_TOLERANCE, testFunctions: results };
}

/**
 * Throws AnnihilatorError unless P annihilates σ as a distribution up to the tolerance; returns the check.
 * `sigmaText` names σ in the message.
 *
 * For example:
 * assertAnnihilates(parseOperator(D, 'u*du - 2'), relu, 'u*heaviside(u)', { kinks: [0] });
 * // AnnihilatorError: u*du - 2 does not annihilate sigma = u*heaviside(u): residual 0.31 (relative) for the test
 * // function centered at 0.5 (width 1); tolerance 1e-10
 */
export function assertAnnihilates(
  P: Poly<Rational>,
  sigma: (u: number) => number,
  sigmaText: string,
  options: DistributionCheckOptions = {},
): DistributionCheck {
  const check = distributionResidual(P, sigma, options);
  if (!(check.maxResidual <= check.tolerance)) {
    const worst = check.testFunctions.reduce((a, b) => (b.residual > a.residual || Number.isNaN(b.residual) ? b : a));
    throw new AnnihilatorError(
      `${operatorToText(ACTIVATION_ALGEBRA, P)} does not annihilate sigma = ${sigmaText}: residual ${formatResidual(worst.residual)} (relative) ` +
        `for the test function centered at ${worst.mu} (width ${worst.s}); tolerance ${check.tolerance}`,
      worst.residual,
      { mu: worst.mu, s: worst.s },
      check.tolerance,
    );
  }
  return check;
}

function formatResidual(r: number): string {
  return r >= 0.01 ? r.toPrecision(2).replace(/\.?0+$/, '') : r.toExponential(1);
}
