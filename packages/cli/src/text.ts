/**
 * Text helpers for messages: long tokens clipped, the closest name for a typo.
 */

/** Longest token echoed in a message; longer ones are clipped with an ellipsis and their length. */
export const MAX_TOKEN = 80;

/**
 * A message on one line with every token longer than {@link MAX_TOKEN} characters clipped.
 *
 * For example `clip('unknown x'.padEnd(200, 'x'))` gives `unknown xxxx…(196 characters)`.
 */
export function clip(message: string): string {
  return (
    message
      .split(/[\r\n]+/)
      .filter((l) => l.trim() !== '')
      .join('; ')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '\uFFFD')
      .replace(new RegExp(`\\S{${MAX_TOKEN + 1},}`, 'gu'), (t) => `${[...t].slice(0, MAX_TOKEN - 20).join('')}… (${t.length} characters)`)
  );
}

/** Edit distance counting a swap of two neighbours as one edit (optimal string alignment; small strings only). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate closest to `word` (at most one edit per three characters, at least one; a swap is one edit), or undefined.
 *
 * For example `closest('--idael', ['--ideal', '--vars'])` gives '--ideal'.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > 200) return undefined;
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestD = Math.max(1, Math.floor(word.replace(/^-+/, '').length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(w, c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

/** True for names an object inherits (`__proto__`, `toString`, `constructor`, …): never a registry key. */
export function isInheritedName(name: string): boolean {
  return name in Object.prototype || name === '__proto__';
}
