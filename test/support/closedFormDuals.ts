/**
 * Closed forms of the erf and Φ dual activations, written for the tests independently of the library code they
 * check (packages/ntk/src/duals): (a, b, c) are the entries of Λ = [[a, c], [c, b]].
 */
export type ClosedFormDual = (a: number, b: number, c: number) => number;

/** E[erf(u)erf(v)] = (2/π) arcsin(2c/√((1+2a)(1+2b))); E[erf′(u)erf′(v)] = 4/(π√((1+2a)(1+2b) − 4c²)). */
export const ERF_DUAL: Readonly<Record<'sigma' | 'dsigma', ClosedFormDual>> = {
  sigma: (a, b, c) => (2 / Math.PI) * Math.asin((2 * c) / Math.sqrt((1 + 2 * a) * (1 + 2 * b))),
  dsigma: (a, b, c) => 4 / Math.PI / Math.sqrt((1 + 2 * a) * (1 + 2 * b) - 4 * c * c),
};

/** E[Φ(u)Φ(v)] = 1/4 + arcsin(c/√((1+a)(1+b)))/(2π); E[φ(u)φ(v)] = 1/(2π√((1+a)(1+b) − c²)). */
export const PHI_DUAL: Readonly<Record<'sigma' | 'dsigma', ClosedFormDual>> = {
  sigma: (a, b, c) => 0.25 + Math.asin(c / Math.sqrt((1 + a) * (1 + b))) / (2 * Math.PI),
  dsigma: (a, b, c) => 1 / (2 * Math.PI * Math.sqrt((1 + a) * (1 + b) - c * c)),
};
