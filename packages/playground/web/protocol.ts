/** Messages between the page (main.ts) and its two workers (deriveWorker.ts, numericsWorker.ts). */

/** What the derivation worker is asked: derive a formula, or describe a shipped artifact. */
export type DeriveRequest = { type: 'derive'; formula: string; useCache: boolean } | { type: 'builtin'; name: string };

/** One system of an artifact, ready to show: LaTeX from the weyl-algebra printer. */
export interface SystemSummary {
  integrands: string[];
  pair?: [number, number];
  rank: number;
  /** The basis of the quotient: the standard monomials (or the chosen basis), as text and LaTeX. */
  basis: string[];
  basisLatex: string[];
  annihilator?: string;
  annihilatorLatex?: string;
  bFunction?: string;
  bFunctionLatex?: string;
  singularLocusLatex: string[];
  /** Variable → the Pfaffian matrix P_x (∂_x F = P_x F) as a LaTeX pmatrix. */
  pfaffianLatex: Record<string, string>;
}

export interface ArtifactSummary {
  name: string;
  sigma?: string;
  dsigma?: string;
  annihilator?: string;
  annihilatorLatex?: string;
  dsigmaAnnihilator?: string;
  dsigmaAnnihilatorLatex?: string;
  /** A formula split into pieces: integrand → pieces with their annihilators. */
  pieces: { integrand: string; formula: string; annihilator: string; annihilatorLatex: string }[];
  systems: SystemSummary[];
  /** The name of a closed-form dual (ntk's closedFormDual) when the activation has one. */
  closedForm?: string;
}

export type DeriveReply =
  | { type: 'names'; names: string[] }
  | { type: 'progress'; message: string; stage?: string; pairsDone?: number; pairsLeft?: number; basisSize?: number; seconds: number }
  | { type: 'done'; artifactJson: string; summary: ArtifactSummary; source: string; seconds: number }
  | { type: 'error'; name: string; message: string; column?: number };

export interface CurveRequest {
  type: 'curves';
  id: number;
  artifactJson: string;
  a: number;
  b: number;
  /** Gauss–Hermite degree. */
  degree: number;
  /** ρ of the value readout. */
  rho: number;
  closedForm?: string;
  points: number;
}

export interface NtkRequest {
  type: 'ntk';
  id: number;
  artifactJson: string;
  depth: number;
  points: number;
}

export interface ExperimentRequest {
  type: 'experiment';
  id: number;
  artifactJson: string;
  depth: number;
  nTrain: number;
  nTest: number;
  /** Gauss–Hermite degree of the baseline row. */
  degree: number;
  closedForm?: string;
}

/** One method's row of the experiment, as `npm start` tabulates it. */
export interface ExperimentRow {
  method: string;
  prediction: number[];
  rmse: number;
  /** Seconds for the train NTK and the solve. */
  trainSeconds: number;
  /** Seconds for the test NTK and the prediction. */
  testSeconds: number;
  /** max |Θ − Θ_HGM| / max |Θ_HGM| over the train NTK (0 for the HGM row). */
  kernelError: number;
  /** E.g. that the train NTK was not positive definite. */
  note?: string;
}

export type NumericsRequest = CurveRequest | NtkRequest | ExperimentRequest;

export interface CurveSeries {
  method: string;
  integrand: 'sigma' | 'dsigma';
  values: number[];
}

export type NumericsReply =
  | {
      type: 'curves';
      id: number;
      rho: number[];
      series: CurveSeries[];
      /** E[σσ] and E[σ̇σ̇] by the HGM at the readout ρ (σ̇: absent without a σ̇ system). */
      readout: { rho: number; sigma: number; dsigma?: number };
      /** Grid points where the HGM threw with the default options: evaluated again with rtol given (retried), or left out. */
      failures: { integrand: string; rho: number; message: string; retried: boolean }[];
      seconds: number;
    }
  | { type: 'ntk'; id: number; theta: number[]; ntk: number[]; nngp: number[]; seconds: number }
  | {
      type: 'experiment';
      id: number;
      thetaTrain: number[];
      yTrain: number[];
      thetaTest: number[];
      yTest: number[];
      rows: ExperimentRow[];
      seconds: number;
    }
  | { type: 'error'; id: number; message: string };
