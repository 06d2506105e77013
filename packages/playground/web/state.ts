/** The shareable state: the formula (or built-in) and the settings, in the URL's query string. */
export interface PlaygroundState {
  formula?: string;
  builtin?: string;
  a?: number;
  b?: number;
  degree?: number;
  rho?: number;
  depth?: number;
}

const NUMBERS = ['a', 'b', 'degree', 'rho', 'depth'] as const;

export function readState(search: string = location.search): PlaygroundState {
  const q = new URLSearchParams(search);
  const s: PlaygroundState = {};
  const f = q.get('f');
  if (f) s.formula = f;
  const act = q.get('act');
  if (act) s.builtin = act;
  for (const k of NUMBERS) {
    const v = q.get(k);
    if (v !== null && v !== '' && Number.isFinite(Number(v))) s[k] = Number(v);
  }
  return s;
}

export function writeState(s: PlaygroundState): void {
  const q = new URLSearchParams();
  if (s.builtin) q.set('act', s.builtin);
  else if (s.formula) q.set('f', s.formula);
  for (const k of NUMBERS) if (s[k] !== undefined && Number.isFinite(s[k])) q.set(k, String(s[k]));
  history.replaceState(null, '', `${location.pathname}?${q.toString()}`);
}
