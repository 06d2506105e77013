import { describe, expect, it } from 'vitest';
import { circleFigure } from '../src/experiment/circleFigure.ts';
import { runCircleExperiment } from '../src/experiment/circleExperiment.ts';
import { escapeXml, linePlot, niceTicks } from '../src/experiment/svgPlot.ts';

/**
 * An independent well-formedness check (no XML library in the workspace): the prolog, then tags that nest and close
 * in order, attributes as name="value" with no raw '<' or '&' outside entities, and every numeric-looking attribute
 * (coordinates, sizes, point lists) finite. Returns the element names in document order.
 */
function checkSvg(svg: string): string[] {
  expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  const body = svg.slice(svg.indexOf('\n') + 1);
  const stack: string[] = [];
  const names: string[] = [];
  const token = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = token.exec(body)) !== null) {
    pos = token.lastIndex;
    const [, close, name, attrs, selfClose, text] = m;
    if (text !== undefined) {
      // Text: only entities may use '&'.
      expect(text.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toMatch(/[&>]/);
      continue;
    }
    if (close) {
      expect(stack.pop()).toBe(name);
      continue;
    }
    names.push(name!);
    for (const a of attrs!.matchAll(/([\w:-]+)="([^"]*)"/g)) {
      const value = a[2]!;
      expect(value.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toMatch(/[<&]/);
      if (['x', 'y', 'x1', 'x2', 'y1', 'y2', 'cx', 'cy', 'r', 'width', 'height', 'stroke-width'].includes(a[1]!)) {
        expect(Number.isFinite(Number(value)), `${name} ${a[1]}="${value}"`).toBe(true);
      }
      if (a[1] === 'points') {
        for (const p of value.split(' ')) {
          const xy = p.split(',').map(Number);
          expect(xy.length).toBe(2);
          expect(xy.every(Number.isFinite)).toBe(true);
        }
      }
      if (a[1] === 'viewBox') expect(value.split(' ').map(Number).every(Number.isFinite)).toBe(true);
    }
    if (!selfClose) stack.push(name!);
  }
  expect(pos).toBe(body.length); // every character was part of a token
  expect(stack).toEqual([]);
  expect(names[0]).toBe('svg');
  return names;
}

const theta = Array.from({ length: 50 }, (_, i) => (2 * Math.PI * i) / 49);

describe('SVG line plot', () => {
  it('is well formed: balanced tags, quoted attributes, finite coordinates', () => {
    const svg = linePlot(
      [
        { label: 'sin', x: theta, y: theta.map(Math.sin) },
        { label: 'cos', x: theta, y: theta.map(Math.cos), dash: '4 2' },
        { label: 'points', x: [1, 2, 3], y: [0.5, -0.5, 0], markerRadius: 3 },
      ],
      { title: 'demo', xLabel: 'θ', yLabel: 'f' },
    );
    const names = checkSvg(svg);
    expect(names.filter((n) => n === 'polyline').length).toBe(2);
    expect(names.filter((n) => n === 'circle').length).toBe(3 + 1); // three points and the legend marker
  });

  it('the checker itself rejects broken documents', () => {
    const head = '<?xml version="1.0" encoding="UTF-8"?>\n';
    expect(() => checkSvg(`${head}<svg><g></svg>`)).toThrow();
    expect(() => checkSvg(`${head}<svg><line x1="NaN"/></svg>`)).toThrow();
    expect(() => checkSvg(`${head}<svg><text>a & b</text></svg>`)).toThrow();
    expect(() => checkSvg(`${head}<svg><polyline points="1,2 3"/></svg>`)).toThrow();
    expect(checkSvg(`${head}<svg><text>a &amp; b</text></svg>`)).toEqual(['svg', 'text']);
  });

  it('is deterministic: the same data give the same bytes, other data other bytes', () => {
    const make = (k: number) => linePlot([{ label: 'a', x: theta, y: theta.map((t) => Math.sin(k * t)) }], { title: 't' });
    expect(make(2)).toBe(make(2));
    expect(make(2)).not.toBe(make(3));
  });

  it('escapes text: labels with markup characters stay text', () => {
    const label = 'a < b & "c" > \'d\'';
    const svg = linePlot([{ label, x: [0, 1], y: [0, 1] }], { title: '<script>', xLabel: 'x & y' });
    checkSvg(svg);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain(escapeXml(label));
    expect(escapeXml(label)).toBe('a &lt; b &amp; &quot;c&quot; &gt; &#39;d&#39;');
  });

  it('breaks a polyline at non-finite values and draws nothing for them', () => {
    const y = theta.map(Math.sin);
    y[10] = NaN;
    y[30] = Infinity;
    const names = checkSvg(linePlot([{ label: 'gappy', x: theta, y }]));
    expect(names.filter((n) => n === 'polyline').length).toBe(3);
  });

  it('rejects what cannot be drawn', () => {
    expect(() => linePlot([])).toThrow(RangeError);
    expect(() => linePlot([{ label: 'a', x: [1, 2], y: [1] }])).toThrow(/2 x values but 1 y values/);
    expect(() => linePlot([{ label: 'a', x: [NaN], y: [1] }])).toThrow(/no finite points/);
  });

  it('niceTicks: steps of 1, 2 or 5 × 10^k covering the range', () => {
    for (const [lo, hi] of [
      [0, 1],
      [-2.3, 7.9],
      [0.001, 0.0047],
      [-1e6, 3e6],
      [5, 5],
    ] as const) {
      const t = niceTicks(lo, hi, 5);
      expect(t[0]).toBeLessThanOrEqual(lo);
      expect(t[t.length - 1]).toBeGreaterThanOrEqual(hi);
      const step = t[1]! - t[0]!;
      const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
      expect([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-9)).toBe(true);
      // Evenly spaced to 1e-9 of the step (labels are rounded to 12 digits).
      for (let i = 1; i < t.length; i++) expect(Math.abs(t[i]! - t[i - 1]! - step)).toBeLessThan(1e-9 * step);
    }
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});

describe('the experiment figure', () => {
  it('is well formed and deterministic, with the target, each method and the training points', async () => {
    const run = () => runCircleExperiment({ activation: 'relu', nTrain: 8, nTest: 24, depth: 2, methods: ['closed-form', 'gauss-hermite-20'] });
    const [a, b] = [circleFigure(await run()), circleFigure(await run())];
    expect(a).toBe(b);
    const names = checkSvg(a);
    expect(names.filter((n) => n === 'polyline').length).toBeGreaterThanOrEqual(3); // target + 2 methods (clipping never splits)
    expect(a).toContain('closed form (test RMSE');
    expect(a).toContain('Gauss–Hermite 20 (test RMSE');
    expect(a).toContain('training points (8)');
  });
});
