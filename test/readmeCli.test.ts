/**
 * Every `npm run hgm -- …` example of README.md runs as written (with the sample files of examples/), in this
 * process through the command's main function: exit code 0, something printed, no error line. The few that take
 * long are skipped with the reason.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hgmInProcess } from '../packages/cli/test/helpers.ts';
import { REPO_ROOT } from './support/exampleBlocks.ts';

/** Shell words of a command line: single and double quotes, backslash-newline continuations, `#` comments. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else word = (word ?? '') + ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word = word ?? '';
    } else if (ch === '#' && word === undefined) break;
    else if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? '') + ch;
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The `npm run hgm -- …` lines of the ```sh blocks of README.md (continuations joined), with their line numbers. */
function readmeCommands(): { line: number; args: string[] }[] {
  const lines = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8').split('\n');
  const out: { line: number; args: string[] }[] = [];
  let inSh = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.trim().startsWith('```')) {
      inSh = !inSh && l.trim() === '```sh';
      continue;
    }
    if (!inSh || !l.startsWith('npm run hgm -- ')) continue;
    const start = i;
    let text = l;
    while (text.trimEnd().endsWith('\\') && i + 1 < lines.length) text = `${text.trimEnd().slice(0, -1)} ${lines[++i]!}`;
    out.push({ line: start + 1, args: shellWords(text).slice(4) });
  }
  return out;
}

/** Examples that take long (seconds to minutes on a busy machine), by a word of their arguments, with the reason. */
const SKIP: readonly (readonly [match: (args: string[]) => boolean, reason: string])[] = [
  [(a) => a[0] === 'experiment', 'experiments run whole kernel regressions (tens of seconds); packages/cli/test/experiment.test.ts covers them'],
  [(a) => a.includes('u*heaviside(u) + 1/2*heaviside(-u)*(exp(u)-1)'), 'a six-system derivation (about 10 s); test/cli.test.ts derives it'],
];

const commands = readmeCommands();
let dir: string;
const cwd = process.cwd();
const env = { ...process.env };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hgm-readme-'));
  cpSync(join(REPO_ROOT, 'examples'), join(dir, 'examples'), { recursive: true });
  process.chdir(dir);
  process.env['HGM_CACHE_DIR'] = join(dir, 'cache');
});
afterAll(() => {
  process.chdir(cwd);
  process.env['HGM_CACHE_DIR'] = env['HGM_CACHE_DIR'];
  if (env['HGM_CACHE_DIR'] === undefined) delete process.env['HGM_CACHE_DIR'];
  rmSync(dir, { recursive: true, force: true });
});

describe('README hgm examples', () => {
  it('are found (the command section and the cache section)', () => {
    expect(commands.length).toBeGreaterThanOrEqual(20);
    expect(commands.some((c) => c.args.includes('examples/X.csv'))).toBe(true);
  });
  for (const c of commands) {
    const skip = SKIP.find(([m]) => m(c.args));
    const title = `README.md:${c.line} hgm ${c.args.join(' ').slice(0, 70)}`;
    if (skip) {
      it.skip(`${title} (skipped: ${skip[1]})`, () => {});
      continue;
    }
    it(title, async () => {
      const r = await hgmInProcess(c.args);
      expect(r.code, r.err).toBe(0);
      expect(r.out.length).toBeGreaterThan(0);
      expect(r.err).not.toMatch(/^hgm: /m);
    });
  }
});
