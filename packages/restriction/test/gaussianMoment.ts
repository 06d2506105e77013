/**
 * Moments of the dual integral at x by 2-D quadrature, independent of any Pfaffian or ODE: the reference both the
 * built-in systems' test (compiler.test.ts) and the pieces' test (pieces.test.ts) compare derivatives against.
 */
import type { SigmaSpec } from '@holonomic-ntk/core';
import { gaussianExpectation2d } from '@holonomic-ntk/hgm-runtime/internal';

/**
 * ∫∫ u^p v^q φ(u)ψ(v) e^{x11u²+2x12uv+x22v²} du dv = π/√det x · E_Λ[u^p φ(u) · v^q ψ(v)], Λ = −½x⁻¹, by hgm-runtime's
 * nested tanh-sinh (gaussianExpectation2d). s•F for s = ∂11^i ∂12^j ∂22^k is 2^j times this with p = 2i+j, q = 2k+j.
 */
export function gaussianMoment(phi: SigmaSpec, psi: SigmaSpec, x: readonly number[], p: number, q: number, rtol?: number): number {
  const [x11, x12, x22] = x as [number, number, number];
  const det = x11 * x22 - x12 * x12;
  const a = -x22 / (2 * det);
  const b = -x11 / (2 * det);
  const c = x12 / (2 * det);
  const rho = c / Math.sqrt(a * b);
  const tau = Math.sqrt(1 - rho * rho);
  const times = (s: SigmaSpec, n: number): SigmaSpec => ({ ...s, sigma: (u) => u ** n * s.sigma(u) });
  return (Math.PI / Math.sqrt(det)) * gaussianExpectation2d(times(phi, p), times(psi, q), a, b, rho, tau, rtol === undefined ? {} : { rtol });
}
