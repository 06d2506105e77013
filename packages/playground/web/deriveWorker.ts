/**
 * The derivation worker: a formula → its Pfaffian artifact (the restriction compiler, seconds to minutes), or a
 * shipped artifact → its summary. The page cancels a derivation by terminating this worker. Derived artifacts are
 * cached in IndexedDB (cache.ts), keyed by the compiler version and the formula's canonical text.
 */
import { ACTIVATIONS, type PfaffianArtifact, numericFormula, readArtifact } from '@holonomic-ntk/core';
import { BUILTIN_ARTIFACT_NAMES, builtinArtifact } from '@holonomic-ntk/hgm-runtime';
import { closedFormDual } from '@holonomic-ntk/ntk';
import { COMPILER_VERSION, artifactToJson, compileFormula, formulaNormalForm, formulaToText, parseFormula } from '@holonomic-ntk/restriction';
import {
  QQ,
  RationalFunctionField,
  WeylAlgebra,
  operatorToLatex,
  parseOperator,
  parseRationalFunction,
  rationalFunctionToLatex,
} from '@holonomic-ntk/weyl-algebra';
import { cacheGet, cachePut } from './cache.ts';
import type { ArtifactSummary, DeriveReply, DeriveRequest, SystemSummary } from './protocol.ts';

const post = (m: DeriveReply): void => (self as unknown as { postMessage(m: unknown): void }).postMessage(m);

const U = new WeylAlgebra(QQ, ['u']);
const S = new RationalFunctionField(['s']);

/** LaTeX of an operator in u, du (the text itself when it does not parse, e.g. a note). */
function uOperatorLatex(text: string): string {
  try {
    return operatorToLatex(U, parseOperator(U, text));
  } catch {
    return `\\text{${text.replace(/[{}\\]/g, '')}}`;
  }
}

/** The closed-form dual of a formula, when it is (in normal form) the formula of a registry activation that has one. */
function closedFormOf(name: string, sigma: string | undefined): string | undefined {
  if (closedFormDual(name)) return name;
  if (sigma === undefined) return undefined;
  let key: string;
  try {
    key = formulaNormalForm(sigma);
  } catch {
    return undefined;
  }
  for (const act of Object.values(ACTIVATIONS)) {
    if (!closedFormDual(act.name)) continue;
    try {
      if (formulaNormalForm(act.formula) === key) return act.name;
    } catch {
      // a registry formula outside the derive grammar: no match
    }
  }
  return undefined;
}

/** What the page shows of an artifact: annihilators, b-functions, ranks, bases and Pfaffian matrices in LaTeX. */
export function summarize(artifact: PfaffianArtifact): ArtifactSummary {
  const act = artifact.activation as PfaffianArtifact['activation'] & {
    annihilator?: string;
    dsigmaAnnihilator?: string;
    pieces?: Record<string, { formula: string; annihilator: string }[]>;
  };
  const X = new WeylAlgebra(QQ, [...artifact.variables]);
  const F = new RationalFunctionField([...artifact.variables]);
  const prov = (artifact as { provenance?: { systems?: { annihilator?: string; bFunction?: string }[] } }).provenance?.systems ?? [];
  const systems: SystemSummary[] = artifact.systems.map((s, i) => {
    const p = prov[i];
    const pfaffianLatex: Record<string, string> = {};
    for (const [v, rows] of Object.entries(s.pfaffian as Record<string, string[][]>)) {
      const body = rows.map((row) => row.map((e) => rationalFunctionToLatex(F, parseRationalFunction(F, e))).join(' & ')).join(' \\\\ ');
      pfaffianLatex[v] = `\\begin{pmatrix} ${body} \\end{pmatrix}`;
    }
    return {
      integrands: [...s.integrands],
      ...(s.pair ? { pair: [s.pair[0], s.pair[1]] as [number, number] } : {}),
      rank: s.rank,
      basis: [...s.basis],
      basisLatex: s.basis.map((b) => operatorToLatex(X, parseOperator(X, b))),
      ...(p?.annihilator ? { annihilator: p.annihilator, annihilatorLatex: uOperatorLatex(p.annihilator) } : {}),
      ...(p?.bFunction ? { bFunction: p.bFunction, bFunctionLatex: rationalFunctionToLatex(S, parseRationalFunction(S, p.bFunction)) } : {}),
      singularLocusLatex: (s.singularLocus ?? []).map((f) => rationalFunctionToLatex(F, parseRationalFunction(F, f))),
      pfaffianLatex,
    };
  });
  const pieces: ArtifactSummary['pieces'] = [];
  for (const [integrand, list] of Object.entries(act.pieces ?? {})) {
    for (const piece of list)
      pieces.push({ integrand, formula: piece.formula, annihilator: piece.annihilator, annihilatorLatex: uOperatorLatex(piece.annihilator) });
  }
  const closedForm = closedFormOf(act.name, act.sigma);
  return {
    name: act.name,
    ...(act.sigma !== undefined ? { sigma: act.sigma } : {}),
    ...(typeof act.dsigma === 'string' ? { dsigma: act.dsigma } : {}),
    ...(act.annihilator ? { annihilator: act.annihilator, annihilatorLatex: uOperatorLatex(act.annihilator) } : {}),
    ...(act.dsigmaAnnihilator ? { dsigmaAnnihilator: act.dsigmaAnnihilator, dsigmaAnnihilatorLatex: uOperatorLatex(act.dsigmaAnnihilator) } : {}),
    pieces,
    systems,
    ...(closedForm ? { closedForm } : {}),
  };
}

function fail(e: unknown): void {
  const err = e as { name?: string; message?: string; column?: number };
  post({
    type: 'error',
    name: err?.name ?? 'Error',
    message: err?.message ?? String(e),
    ...(typeof err?.column === 'number' ? { column: err.column } : {}),
  });
}

async function derive(formula: string, useCache: boolean): Promise<void> {
  const t0 = performance.now();
  const seconds = () => (performance.now() - t0) / 1000;
  const canonical = formulaToText(parseFormula(formula));
  const numeric = numericFormula(formula);
  if (!numeric.holonomic) {
    throw Object.assign(
      new Error(`${formula}: ${numeric.notHolonomicReason ?? 'outside the derive grammar'}; its dual satisfies no finite-rank Pfaffian system`),
      {
        name: 'NotHolonomicError',
      },
    );
  }
  const key = `${COMPILER_VERSION}|${canonical}`;
  if (useCache) {
    const hit = await cacheGet(key).catch(() => undefined);
    if (hit) {
      const artifact = readArtifact(hit);
      post({ type: 'done', artifactJson: hit, summary: summarize(artifact), source: 'browser cache (IndexedDB)', seconds: seconds() });
      return;
    }
  }
  let system = `σ = ${canonical}`;
  let last = 0;
  post({ type: 'progress', message: `deriving ${system}`, seconds: 0 });
  const artifact = compileFormula({
    name: `expr:${canonical}`,
    formula: canonical,
    onSystem: (m) => {
      system = m;
      post({ type: 'progress', message: m, seconds: seconds() });
    },
    options: {
      onProgress: (p) => {
        const now = performance.now();
        if (now - last < 100) return;
        last = now;
        post({
          type: 'progress',
          message: system,
          stage: p.stage,
          pairsDone: p.pairsDone,
          pairsLeft: p.pairsLeft,
          basisSize: p.basisSize,
          seconds: seconds(),
        });
      },
    },
  });
  // Without the volatile timings: the artifact JSON is byte-reproducible, as `hgm derive` writes it.
  const { timings: _timings, ...rest } = artifact as { timings?: unknown };
  const json = artifactToJson(rest);
  if (useCache) await cachePut(key, json).catch(() => undefined);
  post({ type: 'done', artifactJson: json, summary: summarize(readArtifact(json)), source: 'derived now', seconds: seconds() });
}

self.onmessage = (ev: MessageEvent<DeriveRequest>) => {
  const req = ev.data;
  try {
    if (req.type === 'builtin') {
      const t0 = performance.now();
      const artifact = builtinArtifact(req.name);
      const json = JSON.stringify(artifact);
      post({
        type: 'done',
        artifactJson: json,
        summary: summarize(artifact),
        source: `shipped artifact ${req.name}.artifact.json`,
        seconds: (performance.now() - t0) / 1000,
      });
      return;
    }
    derive(req.formula, req.useCache).catch(fail);
  } catch (e) {
    fail(e);
  }
};

post({ type: 'names', names: [...BUILTIN_ARTIFACT_NAMES] });
