/**
 * Types for the `odex` package (Hairer–Wanner ODEX, Gragg–Bulirsch–Stoer extrapolation), limited to what
 * src/odex.ts uses. The package ships its TypeScript source (not declarations) and that source does not
 * compile under `strict`; importing 'odex' would make tsc resolve to, and check, that source. So src/odex.ts
 * imports '#odex', which package.json's `imports` maps to this file for types and to 'odex' at run time (CommonJS:
 * the default import is `module.exports`).
 */
/** y' = f(x, y); returns a new array. */
export type Derivative = (x: number, y: number[]) => number[];
/** Called after every accepted step; return false to stop. */
export type OutputFunction = (nr: number, xold: number, x: number, y: number[], dense?: (c: number, x: number) => number) => boolean | undefined;

/** odex's enum, as the object it compiles to: names → codes and codes → names. */
export interface OutcomeEnum {
  readonly Converged: 0;
  readonly MaxStepsExceeded: 1;
  readonly EarlyReturn: 2;
  readonly [code: number]: string;
}
export type Outcome = 0 | 1 | 2;

export interface SolveResult {
  y: number[];
  outcome: Outcome;
  nStep: number;
  xEnd: number;
  nAccept: number;
  nReject: number;
  nEval: number;
}

export declare class Solver {
  constructor(n: number);
  n: number;
  uRound: number;
  maxSteps: number;
  initialStepSize: number;
  /** 0 means |xEnd − x|. */
  maxStepSize: number;
  maxExtrapolationColumns: number;
  stepSizeSequence: number;
  denseOutput: boolean;
  relativeTolerance: number | number[];
  absoluteTolerance: number | number[];
  debug: boolean;
  solve(f: Derivative, x: number, y0: number[], xEnd: number, solOut?: OutputFunction): SolveResult;
}

/** The shape of `require('odex')`. */
export interface OdexModule {
  Solver: typeof Solver;
  Outcome: OutcomeEnum;
}

/** `module.exports` of the CommonJS package, as a default import sees it. */
declare const odex: OdexModule;
export default odex;
