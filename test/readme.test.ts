/**
 * The ```ts blocks of README.md and every packages/*\/README.md run as doctests (the dialect of
 * test/support/exampleBlocks.ts: `// →`, `// ≈`, `// throws`), so the documentation a new user copies cannot drift.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runExample } from './support/exampleBlocks.ts';

interface MarkdownBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  code: string;
}

function tsBlocks(file: string): MarkdownBlock[] {
  const lines = readFileSync(join(REPO_ROOT, file), 'utf8').split('\n');
  const blocks: MarkdownBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```ts') continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i]!.trim() !== '```'; i++) body.push(lines[i]!);
    blocks.push({ file, line: start + 1, code: body.join('\n') });
  }
  return blocks;
}

const files = [
  'README.md',
  ...readdirSync(join(REPO_ROOT, 'packages'))
    .map((p) => `packages/${p}/README.md`)
    .filter((f) => existsSync(join(REPO_ROOT, f))),
];
const blocks = files.flatMap(tsBlocks);

mkdirSync(join(REPO_ROOT, '.cache', 'examples'), { recursive: true });
const outDir = mkdtempSync(join(REPO_ROOT, '.cache', 'examples', 'readme-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('README links', () => {
  it('every relative link of README.md and the docs resolves inside the repository', () => {
    const docs = ['README.md', 'CONTRIBUTING.md', 'docs/ARCHITECTURE.md', 'docs/MATH.md', ...files.filter((f) => f !== 'README.md')];
    const broken: string[] = [];
    for (const doc of docs) {
      const text = readFileSync(join(REPO_ROOT, doc), 'utf8');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!.split('#')[0]!;
        if (target === '' || /^[a-z]+:/.test(target)) continue;
        if (!existsSync(join(REPO_ROOT, dirname(doc), target))) broken.push(`${doc}: ${m[1]}`);
      }
      if (/\.\.\/shared\b/.test(text)) broken.push(`${doc}: mentions ../shared (nothing sits beside a user's clone)`);
    }
    expect(broken).toEqual([]);
  });
});

describe('README code blocks', () => {
  it('the root README has runnable blocks', () => {
    expect(blocks.filter((b) => b.file === 'README.md').length).toBeGreaterThanOrEqual(2);
  });
  for (const block of blocks) {
    it(`${block.file}:${block.line}`, async () => {
      await runExample(block, outDir);
    });
  }
});
