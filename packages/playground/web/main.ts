/**
 * The playground page: the formula input and its inline parse errors, the derivation worker (progress, Cancel =
 * terminate), the system shown in KaTeX, the plots (Observable Plot) from the numerics worker, the state in the URL.
 */
import * as Plot from '@observablehq/plot';
import { numericFormula } from '@holonomic-ntk/core';
import katex from 'katex';
import 'katex/dist/katex.min.css';
import './style.css';
import { cacheClear } from './cache.ts';
import type { ArtifactSummary, DeriveReply, DeriveRequest, NumericsReply, NumericsRequest } from './protocol.ts';
import { type PlaygroundState, readState, writeState } from './state.ts';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing`);
  return el as T;
};
const formulaInput = $<HTMLInputElement>('formula');
const builtinSelect = $<HTMLSelectElement>('builtin');
const deriveButton = $<HTMLButtonElement>('derive');
const cancelButton = $<HTMLButtonElement>('cancel');
const useCache = $<HTMLInputElement>('use-cache');
const formulaError = $('formula-error');
const progress = $('progress');
const status = $('status');
const num = (id: string): number => Number($<HTMLInputElement>(id).value);

function setState(s: 'idle' | 'deriving' | 'derived' | 'cancelled' | 'error'): void {
  document.body.dataset['state'] = s;
  deriveButton.disabled = s === 'deriving';
  cancelButton.disabled = s !== 'deriving';
}

function tex(latex: string, display = false): string {
  return katex.renderToString(latex, { throwOnError: false, displayMode: display });
}
const escapeHtml = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

// ---- state in the URL -------------------------------------------------------------------------------------------

function currentState(): PlaygroundState {
  return {
    ...(builtinSelect.value ? { builtin: builtinSelect.value } : { formula: formulaInput.value.trim() }),
    a: num('var-a'),
    b: num('var-b'),
    degree: num('gh-degree'),
    rho: num('rho'),
    depth: num('depth'),
  };
}
const saveState = (): void => writeState(currentState());

// ---- inline parse errors ----------------------------------------------------------------------------------------

function showFormulaError(message: string, column: number | undefined, input: string): void {
  const head = message.split('\n')[0]!;
  formulaError.hidden = false;
  formulaError.dataset['column'] = column === undefined ? '' : String(column);
  formulaError.textContent =
    column === undefined ? head : `column ${column}: ${head.replace(/ at column \d+$/, '')}\n${input}\n${' '.repeat(Math.max(0, column - 1))}^`;
}

/** Checks the formula as typed (core's parser, the derive grammar's superset): an error shows with its column. */
function checkFormula(): boolean {
  const text = formulaInput.value;
  if (builtinSelect.value || text.trim() === '') {
    formulaError.hidden = true;
    return text.trim() !== '' || builtinSelect.value !== '';
  }
  try {
    const n = numericFormula(text);
    if (!n.holonomic) {
      showFormulaError(`not holonomic: ${n.notHolonomicReason ?? 'outside the derive grammar'}`, undefined, text);
      return false;
    }
    formulaError.hidden = true;
    return true;
  } catch (e) {
    const err = e as { message?: string; column?: number };
    showFormulaError(err.message ?? String(e), err.column, text);
    return false;
  }
}

// ---- the derivation worker --------------------------------------------------------------------------------------

let deriveWorker: Worker | undefined;
let artifactJson: string | undefined;
let summary: ArtifactSummary | undefined;
let downloadUrl: string | undefined;

function startDeriveWorker(): Worker {
  const w = new Worker(new URL('./deriveWorker.ts', import.meta.url), { type: 'module' });
  w.onmessage = (ev: MessageEvent<DeriveReply>) => onDeriveReply(ev.data);
  w.onerror = (ev) => {
    setState('error');
    status.textContent = `worker error: ${ev.message}`;
  };
  return w;
}

function onDeriveReply(m: DeriveReply): void {
  if (m.type === 'names') {
    // Sent by every new derivation worker: add the names not yet listed (the URL's built-in may already be there).
    const listed = new Set(Array.from(builtinSelect.options, (o) => o.value));
    for (const name of m.names) if (!listed.has(name)) builtinSelect.add(new Option(name, name));
    return;
  }
  if (m.type === 'progress') {
    const pairs = m.pairsDone !== undefined ? ` · ${m.stage}: ${m.pairsDone} pairs done, ${m.pairsLeft} left, basis ${m.basisSize}` : '';
    progress.textContent = `${m.seconds.toFixed(1)} s · ${m.message}${pairs}`;
    return;
  }
  if (m.type === 'error') {
    setState('error');
    progress.textContent = '';
    status.textContent = '';
    showFormulaError(`${m.name}: ${m.message}`, m.column, formulaInput.value);
    return;
  }
  setState('derived');
  progress.textContent = '';
  status.textContent = `${m.summary.name}: ${m.source} in ${m.seconds.toFixed(2)} s`;
  status.dataset['source'] = m.source;
  artifactJson = m.artifactJson;
  summary = m.summary;
  showSystem(m.summary, m.artifactJson);
  requestCurves();
  requestNtk();
}

function derive(): void {
  saveState();
  if (!checkFormula()) return;
  deriveWorker ??= startDeriveWorker();
  const req: DeriveRequest = builtinSelect.value
    ? { type: 'builtin', name: builtinSelect.value }
    : { type: 'derive', formula: formulaInput.value.trim(), useCache: useCache.checked };
  setState('deriving');
  status.textContent = '';
  delete status.dataset['source'];
  progress.textContent = 'starting…';
  for (const id of ['system', 'duals', 'kernel', 'experiment']) $(id).hidden = true;
  deriveWorker.postMessage(req);
}

function cancel(): void {
  // The compiler is synchronous in its worker: terminating the worker is the cancellation.
  deriveWorker?.terminate();
  deriveWorker = undefined;
  setState('cancelled');
  progress.textContent = '';
  status.textContent = 'Cancelled: the derivation worker was terminated.';
}

// ---- the system -------------------------------------------------------------------------------------------------

function showSystem(s: ArtifactSummary, json: string): void {
  $('system').hidden = false;
  const lines: string[] = [];
  if (s.sigma) lines.push(`<div>σ(u) = <code>${escapeHtml(s.sigma)}</code></div>`);
  if (s.annihilatorLatex) lines.push(`<div id="ann-sigma">annihilator of σ: ${tex(s.annihilatorLatex)}</div>`);
  if (s.dsigmaAnnihilatorLatex) lines.push(`<div id="ann-dsigma">annihilator of σ̇: ${tex(s.dsigmaAnnihilatorLatex)}</div>`);
  if (s.pieces.length > 0) {
    lines.push('<div>pieces (the dual is the sum of one system per pair of pieces):</div><ul>');
    for (const p of s.pieces)
      lines.push(`<li>${p.integrand === 'sigma' ? 'σ' : 'σ̇'}: <code>${escapeHtml(p.formula)}</code>, annihilator ${tex(p.annihilatorLatex)}</li>`);
    lines.push('</ul>');
  }
  $('annihilators').innerHTML = lines.join('');
  const body = $('systems').querySelector('tbody')!;
  body.innerHTML = s.systems
    .map(
      (sys) =>
        `<tr><td>${sys.integrands.map((i) => (i === 'sigma' ? 'σ' : 'σ̇')).join(', ')}</td><td>${sys.pair ? sys.pair.join(', ') : ''}</td>` +
        `<td class="rank" data-integrands="${sys.integrands.join(',')}">${sys.rank}</td><td>${sys.bFunctionLatex ? tex(sys.bFunctionLatex) : ''}</td>` +
        `<td>${sys.basisLatex.map((b) => tex(b)).join(', ')}</td><td>${sys.singularLocusLatex.map((f) => tex(f)).join(', ')}</td></tr>`,
    )
    .join('');
  $('pfaffian-body').innerHTML = s.systems
    .map((sys) => {
      const head = `<h3>system of ${sys.integrands.join(', ')}${sys.pair ? ` (pieces ${sys.pair.join(', ')})` : ''}, rank ${sys.rank}</h3>`;
      const mats = Object.entries(sys.pfaffianLatex).map(
        ([v, m]) => `<div class="pfaffian">${tex(`P_{${v.replace(/^x(\d+)$/, 'x_{$1}')}} = ${m}`, true)}</div>`,
      );
      return head + mats.join('');
    })
    .join('');
  if (downloadUrl) URL.revokeObjectURL(downloadUrl);
  downloadUrl = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
  const a = $<HTMLAnchorElement>('download');
  a.href = downloadUrl;
  a.download = `${s.name.replace(/[^\w.-]+/g, '_')}.artifact.json`;
}

// ---- numerics ---------------------------------------------------------------------------------------------------

// One numerics worker; a request for another artifact, or Stop, terminates it when it is still busy (the HGM NTK of
// a rank-8 system takes minutes at a few thousand entries) and starts a fresh one.
let numerics: Worker;
let numericsFor: string | undefined;
let requestId = 0;
const latest: Record<string, number> = {};
const pending = new Set<number>();
function startNumerics(): void {
  numerics = new Worker(new URL('./numericsWorker.ts', import.meta.url), { type: 'module' });
  numerics.onmessage = (ev: MessageEvent<NumericsReply>) => {
    pending.delete(ev.data.id);
    onNumericsReply(ev.data);
  };
  pending.clear();
}
function stopNumerics(): void {
  numerics.terminate();
  startNumerics();
  numericsFor = undefined;
}
function ask(req: Omit<NumericsRequest, 'id'>): void {
  if (numericsFor !== req.artifactJson && pending.size > 0) stopNumerics();
  numericsFor = req.artifactJson;
  const id = ++requestId;
  latest[req.type] = id;
  pending.add(id);
  numerics.postMessage({ ...req, id });
}
startNumerics();

function requestCurves(): void {
  if (!artifactJson || !summary) return;
  saveState();
  $('duals').hidden = false;
  $('readout').textContent = 'computing…';
  ask({
    type: 'curves',
    artifactJson,
    a: num('var-a'),
    b: num('var-b'),
    degree: num('gh-degree'),
    rho: num('rho'),
    points: 81,
    ...(summary.closedForm ? { closedForm: summary.closedForm } : {}),
  } as Omit<NumericsRequest, 'id'>);
}

function requestNtk(): void {
  if (!artifactJson) return;
  saveState();
  $('kernel').hidden = false;
  $('experiment').hidden = false;
  $('plot-ntk').textContent = 'computing…';
  ask({ type: 'ntk', artifactJson, depth: num('depth'), points: 61 } as Omit<NumericsRequest, 'id'>);
}

function runExperiment(): void {
  if (!artifactJson) return;
  $('experiment-status').textContent = 'running…';
  ask({
    type: 'experiment',
    artifactJson,
    depth: num('depth'),
    nTrain: num('n-train'),
    nTest: num('n-test'),
    degree: num('gh-degree'),
    ...(summary?.closedForm ? { closedForm: summary.closedForm } : {}),
  } as Omit<NumericsRequest, 'id'>);
}

function place(id: string, plot: Element, points: number): void {
  const el = $(id);
  el.replaceChildren(plot);
  el.dataset['points'] = String(points);
}

function onNumericsReply(m: NumericsReply): void {
  if (m.type === 'error') {
    const where = Object.entries(latest).find(([, id]) => id === m.id)?.[0];
    const target = where === 'curves' ? 'readout' : where === 'ntk' ? 'plot-ntk' : 'experiment-status';
    $(target).textContent = `error: ${m.message}`;
    return;
  }
  if (latest[m.type] !== m.id) return;
  if (m.type === 'curves') {
    const r = m.readout;
    $('readout').innerHTML =
      `at ρ = ${r.rho}, a = ${num('var-a')}, b = ${num('var-b')} (HGM): E[σσ] = <span id="readout-sigma" data-value="${r.sigma}">${r.sigma.toPrecision(17)}</span>` +
      (r.dsigma !== undefined ? `, E[σ̇σ̇] = <span id="readout-dsigma" data-value="${r.dsigma}">${r.dsigma.toPrecision(17)}</span>` : '') +
      ` <span class="small">(${m.seconds.toFixed(2)} s for the curves)</span>` +
      (m.failures.length > 0
        ? `<div id="hgm-failures" class="${m.failures.some((f) => !f.retried) ? 'error' : 'small'}">the HGM with its default options failed at ${m.failures.length} grid point(s) (${m.failures
            .slice(0, 4)
            .map(
              (f) =>
                `${f.integrand} at ρ = ${f.rho.toPrecision(6)}${f.retried ? ', evaluated again on the uncached path' : ', left out'}: ${escapeHtml(f.message)}`,
            )
            .join('; ')})</div>`
        : '');
    for (const integrand of ['sigma', 'dsigma'] as const) {
      const rows = m.series.filter((s) => s.integrand === integrand).flatMap((s) => s.values.map((value, i) => ({ rho: m.rho[i]!, value, method: s.method })));
      const label = integrand === 'sigma' ? 'E[σ(u)σ(v)]' : 'E[σ̇(u)σ̇(v)]';
      if (rows.length === 0) {
        $(`plot-${integrand}`).textContent = `no ${label} system`;
        continue;
      }
      place(
        `plot-${integrand}`,
        Plot.plot({
          width: 540,
          height: 320,
          color: { legend: true },
          x: { label: 'ρ', domain: [-1, 1] },
          y: { label, grid: true },
          marks: [Plot.line(rows, { x: 'rho', y: 'value', stroke: 'method' })],
        }),
        rows.length,
      );
    }
    const hgm = (k: string) => m.series.find((s) => s.method === 'HGM' && s.integrand === k);
    const errors = m.series
      .filter((s) => s.method !== 'HGM')
      .flatMap((s) => {
        const ref = hgm(s.integrand)!;
        return s.values.flatMap((v, i) =>
          Number.isNaN(v - ref.values[i]!)
            ? []
            : [
                {
                  rho: m.rho[i]!,
                  error: Math.max(Math.abs(v - ref.values[i]!), 1e-17),
                  what: `|${s.method} − HGM|, ${s.integrand === 'sigma' ? 'σ' : 'σ̇'}`,
                },
              ],
        );
      });
    place(
      'plot-errors',
      Plot.plot({
        width: 760,
        height: 300,
        color: { legend: true },
        x: { label: 'ρ', domain: [-1, 1] },
        y: { label: 'absolute difference (floored at 1e-17)', type: 'log', grid: true },
        marks: [Plot.line(errors, { x: 'rho', y: 'error', stroke: 'what' })],
      }),
      errors.length,
    );
    return;
  }
  if (m.type === 'ntk') {
    const rows = [
      ...m.theta.map((t, i) => ({ theta: t, value: m.ntk[i]!, kernel: 'NTK Θ' })),
      ...m.theta.map((t, i) => ({ theta: t, value: m.nngp[i]!, kernel: 'NNGP K' })),
    ];
    place(
      'plot-ntk',
      Plot.plot({
        width: 640,
        height: 320,
        color: { legend: true },
        x: { label: 'angle θ between x₀ and x (rad)' },
        y: { label: `kernel, depth ${num('depth')}`, grid: true },
        marks: [Plot.line(rows, { x: 'theta', y: 'value', stroke: 'kernel' })],
      }),
      rows.length,
    );
    return;
  }
  const hgm = m.rows[0]!;
  $('experiment-status').textContent = `test RMSE ${hgm.rmse.toPrecision(3)} (HGM; ${m.seconds.toFixed(2)} s in all)`;
  $('experiment-table').innerHTML =
    '<thead><tr><th>method</th><th>train NTK (s)</th><th>test NTK + solve (s)</th><th>kernel error vs HGM</th><th>test RMSE</th><th></th></tr></thead><tbody>' +
    m.rows
      .map(
        (r) =>
          `<tr><td>${escapeHtml(r.method)}</td><td>${r.trainSeconds.toFixed(3)}</td><td>${r.testSeconds.toFixed(3)}</td>` +
          `<td>${r.method === 'HGM' ? '—' : r.kernelError.toExponential(1)}</td><td>${r.rmse.toPrecision(4)}</td><td class="small">${escapeHtml(r.note ?? '')}</td></tr>`,
      )
      .join('') +
    '</tbody>';
  const rows = [
    ...m.thetaTest.map((t, i) => ({ theta: t, y: m.yTest[i]!, what: 'target sin 3θ + ½ cos 5θ' })),
    ...m.rows.flatMap((r) => m.thetaTest.map((t, i) => ({ theta: t, y: r.prediction[i]!, what: `NTK regression (${r.method})` }))),
  ];
  const train = m.thetaTrain.map((t, i) => ({ theta: t, y: m.yTrain[i]! }));
  place(
    'plot-experiment',
    Plot.plot({
      width: 760,
      height: 320,
      color: { legend: true },
      x: { label: 'θ', domain: [0, 2 * Math.PI] },
      y: { label: 'f(cos θ, sin θ)', grid: true },
      marks: [Plot.line(rows, { x: 'theta', y: 'y', stroke: 'what' }), Plot.dot(train, { x: 'theta', y: 'y', fill: 'black', r: 3 })],
    }),
    rows.length,
  );
}

// ---- wiring -----------------------------------------------------------------------------------------------------

let typing: ReturnType<typeof setTimeout> | undefined;
formulaInput.addEventListener('input', () => {
  if (formulaInput.value !== '') builtinSelect.value = '';
  clearTimeout(typing);
  typing = setTimeout(checkFormula, 150);
});
formulaInput.addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter') derive();
});
builtinSelect.addEventListener('change', () => {
  if (builtinSelect.value) formulaInput.value = '';
  formulaError.hidden = true;
});
deriveButton.addEventListener('click', derive);
cancelButton.addEventListener('click', cancel);
$('replot').addEventListener('click', requestCurves);
$('ntk-plot').addEventListener('click', requestNtk);
$('run-experiment').addEventListener('click', runExperiment);
$('stop-numerics').addEventListener('click', () => {
  if (pending.size === 0) return;
  stopNumerics();
  $('experiment-status').textContent = 'stopped';
});
$('clear-cache').addEventListener('click', () => {
  cacheClear().then(
    () => (status.textContent = 'browser cache cleared'),
    (e) => (status.textContent = `could not clear the cache: ${e}`),
  );
});
for (const id of ['var-a', 'var-b', 'gh-degree', 'rho']) $(id).addEventListener('change', requestCurves);
$('depth').addEventListener('change', requestNtk);

// The state of the URL: fill the inputs, then derive what it names.
const initial = readState();
if (initial.formula) formulaInput.value = initial.formula;
const setNumber = (id: string, v: number | undefined) => {
  if (v !== undefined) $<HTMLInputElement>(id).value = String(v);
};
setNumber('var-a', initial.a);
setNumber('var-b', initial.b);
setNumber('gh-degree', initial.degree);
setNumber('rho', initial.rho);
setNumber('depth', initial.depth);
deriveWorker = startDeriveWorker();
if (initial.builtin) {
  builtinSelect.add(new Option(initial.builtin, initial.builtin));
  builtinSelect.value = initial.builtin;
}
if (initial.formula || initial.builtin) derive();
