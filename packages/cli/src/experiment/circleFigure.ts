/**
 * The figure of the circle experiment: the target over θ, each method's predictions, the training points.
 */
import type { CircleExperimentResult } from './circleExperiment.ts';
import { circleTarget } from './circleTask.ts';
import { linePlot, type PlotSeries } from './svgPlot.ts';

/** Dash patterns per method, so overlapping curves (the HGM rows coincide) stay visible. */
const DASHES = ['', '8 4', '2 3', '10 3 2 3'];

/**
 * The SVG text of the experiment's figure. The y range is the target's range plus 40 % on each side: a method
 * whose predictions are far off (e.g. Gauss–Hermite on a kinked activation) is clipped rather than squashing the
 * other curves flat.
 *
 * For example `writeFileAtomic('out/experiment-resin.svg', circleFigure(await runCircleExperiment({ activation: 'resin', nTrain: 30, nTest: 200, depth: 2 })))`.
 */
export function circleFigure(result: CircleExperimentResult): string {
  const { task, settings, rows } = result;
  const lo = Math.min(...task.yTest);
  const hi = Math.max(...task.yTest);
  const pad = 0.4 * (hi - lo);
  // The target on a grid 4× finer than the test grid (and closed at 2π) so it draws as a smooth reference curve.
  const fine = Array.from({ length: 4 * task.thetaTest.length + 1 }, (_, k) => (2 * Math.PI * k) / (4 * task.thetaTest.length));
  const series: PlotSeries[] = [
    { label: `target ${settings.target}`, x: fine, y: fine.map(circleTarget), color: '#000000', width: 2.5 },
    ...rows.map((r, k) => ({
      label: `${r.label} (test RMSE ${r.testRmse.toExponential(2)})`,
      x: task.thetaTest,
      y: r.predictions,
      color: ['#D55E00', '#0072B2', '#009E73', '#CC79A7'][k % 4],
      dash: DASHES[k % DASHES.length] || undefined,
      width: 1.8,
    })),
    { label: `training points (${task.thetaTrain.length})`, x: task.thetaTrain, y: task.yTrain, color: '#555555', markerRadius: 3 },
  ];
  const piTicks = ['0', 'π/2', 'π', '3π/2', '2π'].map((label, k) => ({ value: (k * Math.PI) / 2, label }));
  return linePlot(series, {
    title: `NTK regression on the unit circle: ${settings.activation}, depth ${settings.depth}, ${task.thetaTrain.length} training points`,
    xLabel: 'θ  (input x = (cos θ, sin θ))',
    yLabel: 'f(θ)',
    xRange: [0, 2 * Math.PI],
    yRange: [lo - pad, hi + pad],
    xTicks: piTicks,
    width: 900,
    height: 540,
  });
}
