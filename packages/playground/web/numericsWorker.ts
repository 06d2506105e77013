/**
 * The numerics worker: from an artifact alone (hgm-runtime, ntk; never the CAS) the dual curves beside
 * Gauss–Hermite and the closed form, the NTK on the unit circle, and the circle regression experiment.
 */
import { type PfaffianArtifact, mulberry32, readArtifact } from '@holonomic-ntk/core';
import { type IntegrandFunctions, artifactFunctions, dualActivation } from '@holonomic-ntk/hgm-runtime';
import { type DualProvider, type Matrix, closedFormDual, fullyConnected, gaussHermiteDual, gradientDescentMse, hgmDual } from '@holonomic-ntk/ntk';
import type { CurveSeries, ExperimentRow, NumericsReply, NumericsRequest } from './protocol.ts';

const post = (m: NumericsReply): void => (self as unknown as { postMessage(m: unknown): void }).postMessage(m);

/** σw, σb of `npm start`'s circle experiment (CIRCLE_DEFAULTS of the cli): NTK parameterization. */
const W_STD = 1.5;
const B_STD = 0.1;
const DIAG_REG = 1e-8;

let parsed: { json: string; artifact: PfaffianArtifact; functions: IntegrandFunctions } | undefined;
function load(json: string): { artifact: PfaffianArtifact; functions: IntegrandFunctions } {
  if (parsed?.json !== json) {
    const artifact = readArtifact(json);
    parsed = { json, artifact, functions: artifactFunctions(artifact) };
  }
  return parsed;
}

const hasSystem = (artifact: PfaffianArtifact, k: 'sigma' | 'dsigma'): boolean => artifact.systems.some((s) => s.integrands.includes(k));

function provider(artifact: PfaffianArtifact, functions: IntegrandFunctions) {
  const fns: IntegrandFunctions = { ...functions };
  delete fns.name;
  return hgmDual(artifact.activation.name, { artifact, functions: fns });
}

/** The target of the circle task (the cli's circleTask.ts): sin 3θ + ½ cos 5θ. */
const target = (t: number): number => Math.sin(3 * t) + 0.5 * Math.cos(5 * t);

self.onmessage = (ev: MessageEvent<NumericsRequest>) => {
  const req = ev.data;
  const t0 = performance.now();
  const seconds = () => (performance.now() - t0) / 1000;
  try {
    const { artifact, functions } = load(req.artifactJson);
    if (req.type === 'curves') {
      const { a, b, degree, points } = req;
      const rho = Array.from({ length: points }, (_, i) => -1 + (2 * i) / (points - 1));
      const kinds = (['sigma', 'dsigma'] as const).filter((k) => hasSystem(artifact, k) && functions[k] !== undefined);
      const gh = gaussHermiteDual(
        { name: artifact.activation.name, sigma: functions.sigma!, ...(functions.dsigma ? { dsigma: functions.dsigma } : {}) },
        degree,
      );
      const closed = req.closedForm ? closedFormDual(req.closedForm) : undefined;
      const series: CurveSeries[] = [];
      const failures: { integrand: string; rho: number; message: string; retried: boolean }[] = [];
      const s = Math.sqrt(a * b);
      for (const k of kinds) {
        // Point by point: a sweep of dualActivation (and dualActivationCurve) with the default options stops at one
        // ρ of some systems (DOP853 step size underflow in the cached curve of (a, b), e.g. ρ = 0.6 after −1…0.575);
        // such a point is evaluated again with rtol given explicitly (the runtime's default 1e-14), which takes the
        // uncached path, and reported. A point that fails both ways is left out (NaN: a gap in the line).
        const values = rho.map((r) => {
          try {
            return dualActivation(artifact, functions, a, r * s, b, { integrand: k });
          } catch (e) {
            const message = e instanceof Error ? e.message : String(e);
            try {
              const v = dualActivation(artifact, functions, a, r * s, b, { integrand: k, rtol: 1e-14 });
              failures.push({ integrand: k, rho: r, message, retried: true });
              return v;
            } catch {
              failures.push({ integrand: k, rho: r, message, retried: false });
              return Number.NaN;
            }
          }
        });
        series.push({ method: 'HGM', integrand: k, values });
        series.push({ method: `Gauss–Hermite ${degree}`, integrand: k, values: rho.map((r) => gh[k](a, r * s, b)) });
        if (closed) series.push({ method: 'closed form', integrand: k, values: rho.map((r) => closed[k](a, r * s, b)) });
      }
      const c = req.rho * s;
      const readout = {
        rho: req.rho,
        sigma: dualActivation(artifact, functions, a, c, b, { integrand: 'sigma' }),
        ...(kinds.includes('dsigma') ? { dsigma: dualActivation(artifact, functions, a, c, b, { integrand: 'dsigma' }) } : {}),
      };
      post({ type: 'curves', id: req.id, rho, series, readout, failures, seconds: seconds() });
      return;
    }
    if (!hasSystem(artifact, 'dsigma') || functions.dsigma === undefined)
      throw new Error(`${artifact.activation.name} has no σ̇ system (σ̇ is not a function): it has no NTK`);
    const point = (t: number) => [Math.cos(t), Math.sin(t)];
    if (req.type === 'ntk') {
      const net = fullyConnected({ depth: req.depth, activation: provider(artifact, functions), wStd: W_STD, bStd: B_STD });
      const theta = Array.from({ length: req.points }, (_, i) => (Math.PI * i) / (req.points - 1));
      const xs = theta.map(point);
      const ntk = net.kernelFn([[1, 0]], xs, 'ntk');
      const nngp = net.kernelFn([[1, 0]], xs, 'nngp');
      post({ type: 'ntk', id: req.id, theta, ntk: Array.from(ntk.data), nngp: Array.from(nngp.data), seconds: seconds() });
      return;
    }
    // The circle regression of `npm start` (hgm experiment), small: one random angle in each of nTrain equal arcs
    // (seed 1), an even test grid, infinite-time gradient flow with the ridge diagReg; the NTK by the HGM, by
    // Gauss–Hermite and by the closed form when there is one, as `npm start` compares them.
    const next = mulberry32(1);
    const thetaTrain = Array.from({ length: req.nTrain }, (_, i) => (2 * Math.PI * (i + next())) / req.nTrain);
    const thetaTest = Array.from({ length: req.nTest }, (_, k) => (2 * Math.PI * (k + 0.5)) / req.nTest);
    const xTrain = thetaTrain.map(point);
    const xTest = thetaTest.map(point);
    const yTrain = thetaTrain.map(target);
    const yTest = thetaTest.map(target);
    const methods: { method: string; dual: DualProvider }[] = [
      { method: 'HGM', dual: provider(artifact, functions) },
      {
        method: `Gauss–Hermite ${req.degree}`,
        dual: gaussHermiteDual({ name: artifact.activation.name, sigma: functions.sigma!, dsigma: functions.dsigma }, req.degree),
      },
    ];
    const closed = req.closedForm ? closedFormDual(req.closedForm) : undefined;
    if (closed) methods.push({ method: 'closed form', dual: closed });
    const rows: ExperimentRow[] = [];
    let reference: Float64Array | undefined;
    for (const { method, dual } of methods) {
      const net = fullyConnected({ depth: req.depth, activation: dual, wStd: W_STD, bStd: B_STD });
      const t1 = performance.now();
      const kTrain = net.kernelFn(xTrain, null, 'ntk');
      reference ??= Float64Array.from(kTrain.data);
      let scale = 0;
      let diff = 0;
      for (let i = 0; i < reference.length; i++) {
        scale = Math.max(scale, Math.abs(reference[i]!));
        diff = Math.max(diff, Math.abs(kTrain.data[i]! - reference[i]!));
      }
      const t2 = performance.now();
      const kTest = net.kernelFn(xTest, xTrain, 'ntk');
      // As `hgm experiment`: a train NTK (+ ridge) that is not positive definite (Gauss–Hermite on a kinked σ) is
      // solved through its eigen-decomposition instead of Cholesky, and the row says so.
      let note: string | undefined;
      let test: Matrix;
      try {
        test = gradientDescentMse(kTrain, yTrain, { diagReg: DIAG_REG })({ kTestTrain: kTest }).test!;
      } catch (e) {
        note = `${e instanceof Error ? e.message.replace(/; add diagReg$/, '') : String(e)}: solved by eigen-decomposition`;
        test = gradientDescentMse(kTrain, yTrain, { diagReg: DIAG_REG, solver: 'eigen' })({ kTestTrain: kTest }).test!;
      }
      const t3 = performance.now();
      const prediction = Array.from(test.data);
      const rmse = Math.sqrt(prediction.reduce((acc, p, i) => acc + (p - yTest[i]!) ** 2, 0) / prediction.length);
      rows.push({
        method,
        prediction,
        rmse,
        trainSeconds: (t2 - t1) / 1000,
        testSeconds: (t3 - t2) / 1000,
        kernelError: diff / scale,
        ...(note ? { note } : {}),
      });
    }
    post({ type: 'experiment', id: req.id, thetaTrain, yTrain, thetaTest, yTest, rows, seconds: seconds() });
  } catch (e) {
    post({ type: 'error', id: req.id, message: e instanceof Error ? e.message : String(e) });
  }
};
