/**
 * The doctest machinery: finds the TSDoc `@example` blocks of the packages, translates their dialect into an
 * executable ES module, and runs it. The dialect, inside a ```ts fence that is a complete ES module importing from
 * package names:
 *
 *   EXPR; // → EXPECTED        deep equality (vitest toEqual); EXPECTED is a JS expression
 *   EXPR; // ≈ N               |EXPR − N| ≤ 1e-12·max(1, |N|)
 *   EXPR; // ≈ N ± TOL         |EXPR − N| ≤ TOL
 *   EXPR; // throws NAME       evaluating EXPR (awaited) throws an error whose `name` is NAME
 *   const x = EXPR; // → …     the same, on the declared (initial) value; x stays declared afterwards
 *
 * Examples are documentation first, so the translator keeps them as they are and only rewrites the statements
 * that carry a marker comment; every rewrite stays on the statement's own lines, so a line of the generated module
 * maps back to a line of the source file (which is what error messages must name).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect } from 'vitest';

/** The repository root: this file lives in test/support. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A ```ts fence under an `@example` tag. */
export interface ExampleBlock {
  /** Package directory name under packages/, e.g. 'weyl-algebra'. */
  pkg: string;
  /** Path relative to the repository root, with forward slashes (what error messages print). */
  file: string;
  /** 1-based line of the opening ```ts fence; code line i (0-based) is on line `line + 1 + i`. */
  line: number;
  /** The declaration the comment documents, best effort ('Class.member' for members). */
  declaration: string;
  code: string;
  /** Set when the block cannot be run as written (e.g. the fence is never closed). */
  problem?: string;
}

/** An `@example` with no ```ts fence: the old, prose-like form. */
export interface UnfencedExample {
  pkg: string;
  file: string;
  /** 1-based line of the `@example` tag. */
  line: number;
  declaration: string;
}

export interface ExampleScan {
  blocks: ExampleBlock[];
  unfenced: UnfencedExample[];
}

// ---------------------------------------------------------------------------------------------------------------
// Finding the blocks

/** Every `@example` of `packages/*\/src/**\/*.ts` under `root`, in a stable order (package, file, line). */
export function findExampleBlocks(root: string = REPO_ROOT): ExampleScan {
  const scan: ExampleScan = { blocks: [], unfenced: [] };
  const packagesDir = join(root, 'packages');
  for (const pkg of sortedEntries(packagesDir)
    .filter((e) => e.isDirectory())
    .map((e) => e.name)) {
    const src = join(packagesDir, pkg, 'src');
    if (!existsSync(src)) continue;
    for (const path of tsFilesUnder(src)) {
      const found = examplesInSource(readFileSync(path, 'utf8'), toPosix(relative(root, path)), pkg);
      scan.blocks.push(...found.blocks);
      scan.unfenced.push(...found.unfenced);
    }
  }
  return scan;
}

function sortedEntries(dir: string) {
  return readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Build output and installed dependencies are not our documentation, so they are not walked. */
const SKIPPED_DIRS = new Set(['node_modules', 'dist']);

function tsFilesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const entry of sortedEntries(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) files.push(...tsFilesUnder(path));
    } else if (entry.isFile() && entry.name.endsWith('.ts')) {
      files.push(path);
    }
  }
  return files;
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

/**
 * The `@example` blocks of one source text. Only `/**` comments that start their line count: a JSDoc comment
 * attached to a declaration always does, while `/**` inside a string (a glob like 'src/**') does not.
 */
export function examplesInSource(text: string, file: string, pkg: string): ExampleScan {
  const scan: ExampleScan = { blocks: [], unfenced: [] };
  for (const match of text.matchAll(/^[ \t]*\/\*\*(?!\/)[\s\S]*?\*\//gm)) {
    const start = match.index ?? 0;
    const firstLine = lineAt(text, start);
    const lines = commentBodyLines(match[0]);
    if (!lines.some((l) => /^@example\b/.test(l))) continue;
    const declaration = declarationAfter(text, start + match[0].length);
    for (const section of exampleSections(lines, firstLine)) {
      if (section.fences.length === 0) scan.unfenced.push({ pkg, file, line: section.line, declaration });
      for (const fence of section.fences) scan.blocks.push({ pkg, file, declaration, ...fence });
    }
  }
  return scan;
}

/** 1-based line number of an offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The comment's lines without the `/**`, `*` and `*\/` decoration; one entry per source line, so indices map to lines. */
function commentBodyLines(comment: string): string[] {
  return comment.split('\n').map((raw, i, all) => {
    let line = i === 0 ? raw.replace(/^\s*\/\*\*/, '') : raw.replace(/^\s*\*(?!\/) ?/, '');
    if (i === all.length - 1) line = line.replace(/\s*\*\/$/, '');
    return i === 0 ? line.trim() : line.trimEnd();
  });
}

interface ExampleSection {
  line: number;
  fences: { line: number; code: string; problem?: string }[];
}

/** Splits the comment into `@example` sections (up to the next tag outside a fence) and collects their ```ts fences. */
function exampleSections(lines: string[], firstLine: number): ExampleSection[] {
  const sections: ExampleSection[] = [];
  let current: ExampleSection | undefined;
  let fence: { line: number; lang: string; code: string[] } | undefined;
  const closeFence = (problem?: string) => {
    if (fence && current && fence.lang === 'ts') {
      current.fences.push({ line: fence.line, code: fence.code.join('\n'), ...(problem ? { problem } : {}) });
    }
    fence = undefined;
  };
  lines.forEach((line, i) => {
    const fileLine = firstLine + i;
    if (fence) {
      if (/^\s*```\s*$/.test(line)) closeFence();
      else fence.code.push(line);
      return;
    }
    if (/^@\w/.test(line)) {
      current = /^@example\b/.test(line) ? { line: fileLine, fences: [] } : undefined;
      if (current) sections.push(current);
      return;
    }
    const open = /^\s*```(\w*)\s*$/.exec(line);
    // A fence in the prose before any tag is description, not an example.
    if (open && current) fence = { line: fileLine, lang: open[1] ?? '', code: [] };
  });
  closeFence('the ```ts fence is never closed');
  return sections;
}

const DECLARATION =
  /^(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\s*\*?|class|const|let|var|interface|type|enum|namespace)\s+([A-Za-z_$][\w$]*)/;
const MEMBER = /^\s+(?:(?:public|private|protected|static|readonly|abstract|override|async|get|set|declare)\s+)*\*?\s*(#?[A-Za-z_$][\w$]*)\s*[(<:=?!;]/;

/**
 * The name the comment documents: the declaration on its first code line; for an indented member, 'Class.member'
 * with the nearest class above; failing both, the next `export` declaration (the brief's best-effort rule).
 */
function declarationAfter(text: string, offset: number): string {
  const rest = text.slice(offset);
  const firstCode = rest.split('\n').find((l) => l.trim() !== '' && !/^\s*(?:\/\/|\/\*|\*|@)/.test(l));
  if (firstCode !== undefined) {
    const decl = DECLARATION.exec(firstCode.trim());
    if (decl && /^\S/.test(firstCode)) return decl[1] ?? '?';
    const member = MEMBER.exec(firstCode);
    if (member) {
      const owners = [...text.slice(0, offset).matchAll(/^(?:export\s+)?(?:declare\s+)?(?:abstract\s+)?(?:class|interface)\s+([A-Za-z_$][\w$]*)/gm)];
      const owner = owners.at(-1)?.[1];
      if (owner) return `${owner}.${member[1]}`;
    }
  }
  const nextExport = /^export\s+.*$/m.exec(rest);
  return (nextExport && DECLARATION.exec(nextExport[0])?.[1]) ?? '(unknown)';
}

// ---------------------------------------------------------------------------------------------------------------
// Lexing: just enough JavaScript to find statements, brackets and comments without being fooled by strings

interface Token {
  kind: 'word' | 'punct' | 'string' | 'template' | 'regex' | 'lineComment' | 'blockComment' | 'newline';
  start: number;
  end: number;
  text: string;
}

/** After these words a `/` starts a regular expression, not a division. */
const REGEX_AFTER_WORD = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

/** Tokens of `code` from `from`; with `untilBrace`, stops after the `}` that closes an already open `${`. */
function lex(code: string, from = 0, untilBrace = false): { tokens: Token[]; end: number } {
  const tokens: Token[] = [];
  let depth = 0;
  let i = from;
  const push = (kind: Token['kind'], end: number) => {
    tokens.push({ kind, start: i, end, text: code.slice(i, end) });
    i = end;
  };
  while (i < code.length) {
    const c = code[i] as string;
    const next = code[i + 1];
    if (c === '\n') push('newline', i + 1);
    else if (/\s/.test(c)) i++;
    else if (c === '/' && next === '/') push('lineComment', endOfLine(code, i));
    else if (c === '/' && next === '*') push('blockComment', blockCommentEnd(code, i));
    else if (c === '"' || c === "'") push('string', quotedEnd(code, i));
    else if (c === '`') push('template', templateEnd(code, i));
    else if (c === '/' && startsRegex(tokens)) push('regex', regexEnd(code, i));
    else if (/[\w$\u0080-\uffff]/.test(c)) push('word', wordEnd(code, i));
    else {
      if (c === '{') depth++;
      if (c === '}' && untilBrace && depth-- === 0) return { tokens, end: i + 1 };
      push('punct', i + 1);
    }
  }
  return { tokens, end: i };
}

function endOfLine(code: string, i: number): number {
  const nl = code.indexOf('\n', i);
  return nl === -1 ? code.length : nl;
}

function blockCommentEnd(code: string, i: number): number {
  const close = code.indexOf('*/', i + 2);
  return close === -1 ? code.length : close + 2;
}

function quotedEnd(code: string, i: number): number {
  const quote = code[i];
  let j = i + 1;
  while (j < code.length && code[j] !== quote && code[j] !== '\n') j += code[j] === '\\' ? 2 : 1;
  return Math.min(j + 1, code.length);
}

function templateEnd(code: string, i: number): number {
  let j = i + 1;
  while (j < code.length && code[j] !== '`') {
    if (code[j] === '\\') j += 2;
    else if (code[j] === '$' && code[j + 1] === '{') j = lex(code, j + 2, true).end;
    else j++;
  }
  return Math.min(j + 1, code.length);
}

function startsRegex(tokens: Token[]): boolean {
  let prev: Token | undefined;
  for (let k = tokens.length - 1; k >= 0 && !prev; k--) {
    const t = tokens[k] as Token;
    if (t.kind !== 'newline' && t.kind !== 'lineComment' && t.kind !== 'blockComment') prev = t;
  }
  if (!prev) return true;
  if (prev.kind === 'word') return REGEX_AFTER_WORD.has(prev.text);
  if (prev.kind === 'punct') return !/[)\]}]/.test(prev.text);
  return false;
}

function regexEnd(code: string, i: number): number {
  let j = i + 1;
  let inClass = false;
  while (j < code.length && code[j] !== '\n') {
    const c = code[j];
    if (c === '\\') j++;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) break;
    j++;
  }
  j++;
  while (j < code.length && /[a-z]/.test(code[j] as string)) j++;
  return Math.min(j, code.length);
}

function wordEnd(code: string, i: number): number {
  let j = i;
  while (j < code.length && /[\w$\u0080-\uffff]/.test(code[j] as string)) j++;
  return j;
}

// ---------------------------------------------------------------------------------------------------------------
// Markers: the statements that carry `// → …`, `// ≈ …` or `// throws …`

export type Assertion = { kind: 'equal'; expected: string } | { kind: 'close'; expected: string; tolerance?: string } | { kind: 'throws'; name: string };

/** A statement of the example that carries a marker. Offsets are into the block's code. */
export interface MarkedStatement {
  assertion: Assertion;
  /** Start of the statement (after leading whitespace and comments). */
  start: number;
  /** End of the statement's code, excluding its `;`. */
  end: number;
  /** Whether `end` is followed by the statement's `;`. */
  semicolon: boolean;
  /** 0-based line of the marker comment within the block. */
  codeLine: number;
}

/** A block that does not follow the dialect; `line` is the file line to fix. */
export class ExampleSyntaxError extends Error {
  override readonly name = 'ExampleSyntaxError';
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
  }
}

/**
 * Parses a marker comment's text (after `//`). Returns undefined for prose; a comment that starts like a marker but
 * is malformed is an error rather than prose, because silently not asserting is how examples drift.
 */
export function parseMarker(comment: string): Assertion | string | undefined {
  const text = comment.trim();
  if (text.startsWith('→')) {
    const expected = text.slice(1).trim();
    return expected ? { kind: 'equal', expected } : 'a `// →` marker needs the expected value after the arrow';
  }
  if (text.startsWith('≈')) {
    const [value = '', tolerance, ...extra] = text
      .slice(1)
      .split('±')
      .map((s) => s.trim());
    if (!value || tolerance === '' || extra.length > 0) return 'a `// ≈` marker reads `// ≈ NUMBER` or `// ≈ NUMBER ± TOLERANCE`';
    return tolerance === undefined ? { kind: 'close', expected: value } : { kind: 'close', expected: value, tolerance };
  }
  if (/^throws\b/.test(text)) {
    const name = /^throws\s+([A-Za-z_$][\w$]*)$/.exec(text)?.[1];
    return name ? { kind: 'throws', name } : 'a `// throws` marker reads `// throws ErrorName`';
  }
  return undefined;
}

interface Frame {
  open: string;
  /** Where the statement being read in this frame started. */
  stmtStart: number;
}

/**
 * The marked statements of `code`. A statement runs from the previous `;` (or the `{` opening its block, or a
 * block's `}` that ends its line) at the same bracket depth up to the marker; markers sit at the end of their
 * statement's last line. Throws ExampleSyntaxError (located via `file`, `fenceLine`) for misplaced markers.
 */
export function markedStatements(code: string, file = '<example>', fenceLine = 0): MarkedStatement[] {
  const marked: MarkedStatement[] = [];
  const stack: Frame[] = [{ open: '', stmtStart: 0 }];
  let last: Token | undefined;
  let lastTerminated: { frame: Frame; start: number; end: number } | undefined;
  let lineStart = 0;
  let codeLine = 0;
  const error = (detail: string) => new ExampleSyntaxError(file, fenceLine + 1 + codeLine, detail);
  for (const tok of lex(code).tokens) {
    const top = stack[stack.length - 1] as Frame;
    if (tok.kind === 'newline') {
      // A block's `}` ending a line ends its statement even without `;` (function and loop bodies).
      if (last?.text === '}' && last.end > lineStart) top.stmtStart = last.end;
      lineStart = tok.end;
      codeLine++;
      continue;
    }
    if (tok.kind === 'lineComment') {
      const assertion = parseMarker(tok.text.slice(2));
      if (assertion === undefined) continue;
      if (typeof assertion === 'string') throw error(assertion);
      if (!last || last.end <= lineStart) throw error('a marker must follow its statement on the same line');
      if (top.open === '(' || top.open === '[') throw error('a marker must end a statement, not sit inside an expression');
      const closed = last.text === ';' && lastTerminated?.frame === top && lastTerminated.end === last.start;
      const start = closed && lastTerminated ? lastTerminated.start : top.stmtStart;
      const end = closed ? last.start : last.end;
      const trimmedStart = skipSpaceAndComments(code, start, end);
      if (trimmedStart >= end) throw error('a marker must follow a statement');
      marked.push({ assertion, start: trimmedStart, end, semicolon: closed, codeLine });
      continue;
    }
    if (tok.kind === 'blockComment') continue;
    if (tok.text === ';' && tok.kind === 'punct') {
      lastTerminated = { frame: top, start: top.stmtStart, end: tok.start };
      top.stmtStart = tok.end;
    } else if (tok.kind === 'punct' && '([{'.includes(tok.text)) {
      stack.push({ open: tok.text, stmtStart: tok.end });
    } else if (tok.kind === 'punct' && ')]}'.includes(tok.text) && stack.length > 1) {
      stack.pop();
    }
    last = tok;
  }
  return marked;
}

function skipSpaceAndComments(code: string, start: number, end: number): number {
  let i = start;
  for (;;) {
    const rest = code.slice(i, end);
    const skip = /^(?:\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/)/.exec(rest);
    if (!skip || skip[0].length === 0) return i;
    i += skip[0].length;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Translating a block into a module

/** The name under which runExample publishes the runtime to generated modules. */
export const RUNTIME_GLOBAL = '__doctest';

/** Statements an assertion cannot wrap: they are not expressions and have no single value. */
const NOT_AN_EXPRESSION = /^(?:import|export|if|else|for|while|do|switch|try|return|throw|function|class|interface|type|enum|namespace|break|continue)\b/;

/**
 * The block as an ES module: a one-line prelude binding the runtime, then the code with each marked statement
 * rewritten in place (same lines), so generated line g is the block's code line g − 2.
 */
export function translateExample(block: Pick<ExampleBlock, 'file' | 'line' | 'code'> & { problem?: string }): string {
  if (block.problem) throw new ExampleSyntaxError(block.file, block.line, block.problem);
  checkImports(block);
  let code = block.code;
  const marked = markedStatements(code, block.file, block.line);
  for (const stmt of [...marked].reverse()) {
    const line = block.line + 1 + stmt.codeLine;
    const rewritten = rewriteStatement(code.slice(stmt.start, stmt.end), stmt.assertion, block.file, line, marked.indexOf(stmt));
    code = code.slice(0, stmt.start) + rewritten + (stmt.semicolon ? '' : ';') + code.slice(stmt.end);
  }
  const prelude = `const ${RUNTIME_GLOBAL} = (globalThis as any).${RUNTIME_GLOBAL}; // generated from ${block.file}:${block.line}`;
  return `${prelude}\n${code}\n`;
}

/** Line in the source file of line `generatedLine` (1-based) of translateExample's output; undefined for the prelude. */
export function sourceLine(block: Pick<ExampleBlock, 'line'>, generatedLine: number): number | undefined {
  return generatedLine >= 2 ? block.line + generatedLine - 1 : undefined;
}

/** The generated module lives elsewhere, so a relative import would resolve to nothing; examples use package names. */
function checkImports(block: Pick<ExampleBlock, 'file' | 'line' | 'code'>): void {
  block.code.split('\n').forEach((line, i) => {
    if (/(?:\bfrom\s*|\bimport\s*\(?\s*)['"](?:\.{1,2}\/|\/)/.test(line)) {
      throw new ExampleSyntaxError(block.file, block.line + 1 + i, 'examples import from package names, not relative paths');
    }
  });
}

/**
 * One marked statement as an assertion. A declaration asserts on its initializer's value, bound to a temporary so
 * that destructuring declarations work too; `throws` wraps the expression in an async thunk so that both a
 * synchronous throw and an awaited rejection count.
 */
function rewriteStatement(stmt: string, assertion: Assertion, file: string, line: number, index: number): string {
  const label = JSON.stringify(`${file}:${line}: ${snippet(stmt)}`);
  const declaration = /^(const|let|var)\s/.test(stmt);
  if (!declaration && NOT_AN_EXPRESSION.test(stmt)) {
    throw new ExampleSyntaxError(file, line, `a marker needs an expression or a declaration, not \`${snippet(stmt)}\``);
  }
  if (!declaration) return assertionCall(`(${stmt})`, assertion, label);
  const split = splitDeclaration(stmt);
  if (!split) throw new ExampleSyntaxError(file, line, 'an asserted declaration needs exactly one `name = value`');
  if (assertion.kind === 'throws') return assertionCall(`(${split.init})`, assertion, label);
  const temp = `${RUNTIME_GLOBAL}_value${index}`;
  return `const ${temp} = (${split.init}); ${split.head} = ${temp}; ${assertionCall(temp, assertion, label)}`;
}

function assertionCall(value: string, assertion: Assertion, label: string): string {
  switch (assertion.kind) {
    case 'equal':
      return `${RUNTIME_GLOBAL}.equal(${value}, (${assertion.expected}), ${label})`;
    case 'close':
      return `${RUNTIME_GLOBAL}.close(${value}, (${assertion.expected}), ${assertion.tolerance === undefined ? 'undefined' : `(${assertion.tolerance})`}, ${label})`;
    case 'throws':
      return `await ${RUNTIME_GLOBAL}.throws(async () => ${value}, ${JSON.stringify(assertion.name)}, ${label})`;
  }
}

/** First line of a statement, shortened: enough to recognise it in a failure message. */
function snippet(stmt: string): string {
  const first = stmt.split('\n')[0]?.trim() ?? '';
  const short = first.length > 80 ? `${first.slice(0, 77)}...` : first;
  return stmt.includes('\n') ? `${short} ...` : short;
}

/** `const PATTERN = INIT` → head 'const PATTERN', init 'INIT'; undefined without an initializer or with several declarators. */
function splitDeclaration(stmt: string): { head: string; init: string } | undefined {
  let depth = 0;
  let eq: Token | undefined;
  const tokens = lex(stmt).tokens.filter((t) => t.kind !== 'newline' && t.kind !== 'lineComment' && t.kind !== 'blockComment');
  for (const [i, tok] of tokens.entries()) {
    if (tok.kind !== 'punct') continue;
    if ('([{'.includes(tok.text)) depth++;
    else if (')]}'.includes(tok.text)) depth--;
    else if (depth === 0 && tok.text === ',' && eq && startsDeclarator(tokens, i + 1)) return undefined;
    // The first `=` of the statement is the initializer's, once `==`, `===` and the `=>` of a function type are skipped.
    else if (depth === 0 && tok.text === '=' && !eq && !continuesOperator(tokens, i)) eq = tok;
  }
  if (!eq) return undefined;
  return { head: stmt.slice(0, eq.start).trimEnd(), init: stmt.slice(eq.end).trim() };
}

function continuesOperator(tokens: Token[], i: number): boolean {
  const next = tokens[i + 1];
  return next !== undefined && next.start === (tokens[i] as Token).end && /^[=>]$/.test(next.text);
}

/**
 * Whether the tokens from i read like another declarator (`b = …`, `b: T = …`, `{ … } = …`), as opposed to a comma
 * of the initializer at bracket depth 0, which only type arguments produce (`new Map<string, number>()`).
 */
function startsDeclarator(tokens: Token[], i: number): boolean {
  const first = tokens[i];
  const second = tokens[i + 1];
  if (!first) return false;
  if (first.text === '{' || first.text === '[') return true;
  return first.kind === 'word' && (second === undefined || second.text === ':' || (second.text === '=' && !continuesOperator(tokens, i + 1)));
}

// ---------------------------------------------------------------------------------------------------------------
// Running

/** The assertions a generated module calls; each failure message starts with the example line's `file:line`. */
export interface DoctestRuntime {
  equal(actual: unknown, expected: unknown, label: string): void;
  close(actual: unknown, expected: unknown, tolerance: unknown, label: string): void;
  throws(thunk: () => Promise<unknown>, name: string, label: string): Promise<void>;
}

export class ExampleAssertionError extends Error {
  override readonly name = 'AssertionError';
}

export const doctestRuntime: DoctestRuntime = {
  equal(actual, expected, label) {
    // vitest's deep equality and diff, with the example line as the message prefix.
    expect(actual, label).toEqual(expected);
  },
  close(actual, expected, tolerance, label) {
    const a = typeof actual === 'bigint' ? Number(actual) : actual;
    const n = Number(expected);
    if (typeof a !== 'number') throw new ExampleAssertionError(`${label}: expected a number ≈ ${n}, got ${describe(actual)}`);
    const tol = tolerance === undefined ? 1e-12 * Math.max(1, Math.abs(n)) : Number(tolerance);
    const ok = Number.isFinite(n) ? Math.abs(a - n) <= tol : Object.is(a, n);
    if (!ok) throw new ExampleAssertionError(`${label}: expected ${a} ≈ ${n} within ${tol}, off by ${Math.abs(a - n)}`);
  },
  async throws(thunk, name, label) {
    let value: unknown;
    try {
      value = await thunk();
    } catch (e) {
      const got = (e as { name?: unknown } | null)?.name;
      if (got === name) return;
      throw new ExampleAssertionError(`${label}: expected it to throw ${name}, but it threw ${describe(e)}`, { cause: e });
    }
    throw new ExampleAssertionError(`${label}: expected it to throw ${name}, but it returned ${describe(value)}`);
  },
};

function describe(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof value === 'bigint') return `${value}n`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

let generated = 0;

/**
 * Translates and imports the block. The module is written under `dir`, which must be inside the repository so that
 * `@holonomic-ntk/*` resolve through its node_modules. An error that is not an assertion of the example (which
 * already names its line) is rethrown naming the block's file and the example line it came from.
 */
export async function runExample(block: Pick<ExampleBlock, 'file' | 'line' | 'code'> & { problem?: string }, dir: string): Promise<void> {
  const source = translateExample(block);
  mkdirSync(dir, { recursive: true });
  // A fresh name per run: the module runner caches modules by path.
  const path = join(dir, `${block.file.replace(/[^\w.-]+/g, '_')}_${block.line}_${++generated}.ts`);
  writeFileSync(path, source);
  (globalThis as Record<string, unknown>)[RUNTIME_GLOBAL] = doctestRuntime;
  try {
    await import(pathToFileURL(path).href);
  } catch (e) {
    if (e instanceof ExampleAssertionError || (e instanceof Error && e.message.startsWith(`${block.file}:`))) throw e;
    const line = lineInStack(e, path);
    const at = `${block.file}:${(line !== undefined && sourceLine(block, line)) || block.line}`;
    throw new Error(`${at}: the example threw ${describe(e)}`, { cause: e });
  }
}

/** The line of `path` in the error's stack (the runner maps stacks to the .ts source it was given). */
function lineInStack(e: unknown, path: string): number | undefined {
  const stack = e instanceof Error ? (e.stack ?? '') : '';
  for (const frame of stack.split('\n')) {
    const i = frame.indexOf(path + ':');
    if (i !== -1) return Number(/^:(\d+)/.exec(frame.slice(i + path.length))?.[1]) || undefined;
  }
  return undefined;
}
