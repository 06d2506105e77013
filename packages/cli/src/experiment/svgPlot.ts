/**
 * A small, dependency-free SVG line plot: axes with "nice" ticks, a legend, one polyline (or markers) per series.
 * The output is a pure function of the input — coordinates are printed with a fixed number of decimals and no
 * timestamps or random ids are emitted — so the same data always gives byte-identical files (tests diff them).
 */

/** One curve (or point set) of the plot. */
export interface PlotSeries {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** CSS colour; default: the next colour of the palette. */
  color?: string;
  /** stroke-dasharray, e.g. '6 3'. */
  dash?: string;
  /** Stroke width in px (default 1.5). */
  width?: number;
  /** Draw circles of this radius at the points instead of a polyline. */
  markerRadius?: number;
}

export interface PlotOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Canvas size in px without the legend (default 800 × 480); the legend below the axes adds 18 px per series. */
  width?: number;
  height?: number;
  /** Fixed axis ranges; default: the data range with 5 % padding, widened to nice ticks. */
  xRange?: readonly [number, number];
  yRange?: readonly [number, number];
  /** Explicit x ticks (values and labels), e.g. multiples of π. */
  xTicks?: readonly { value: number; label: string }[];
}

/** A palette readable by colour-blind viewers (Okabe–Ito), so methods stay distinguishable. */
const PALETTE = ['#000000', '#E69F00', '#56B4E9', '#009E73', '#D55E00', '#0072B2', '#CC79A7', '#F0E442'];

/**
 * Text safe inside SVG elements and attribute values.
 *
 * For example `escapeXml('a < b & "c"')` gives 'a &lt; b &amp; &quot;c&quot;'.
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/**
 * Round tick values covering [lo, hi]: steps of 1, 2 or 5 × 10^k, about `count` of them.
 *
 * For example `niceTicks(0, 1, 5)` gives [0, 0.2, 0.4, 0.6, 0.8, 1].
 */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError(`tick range must be finite, got [${lo}, ${hi}]`);
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw * (1 - 1e-12))!;
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  // Multiply instead of accumulating so 0.1 + 0.2 style drift cannot produce 0.30000000000000004 labels.
  for (let k = first; k <= last; k++) ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}

/** Shortest faithful label of a tick value (no float noise). */
function tickLabel(v: number): string {
  const s = Number(v.toPrecision(6)).toString();
  return s === '-0' ? '0' : s.replace('-', '−');
}

/** Fixed-decimal coordinates: deterministic text, sub-pixel precision is invisible. */
const fmt = (v: number): string => {
  const s = v.toFixed(2);
  return s === '-0.00' ? '0.00' : s;
};

function dataRange(series: readonly PlotSeries[], key: 'x' | 'y'): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    const v = s[key];
    for (let i = 0; i < v.length; i++) {
      if (!Number.isFinite(v[i]) || !Number.isFinite((key === 'x' ? s.y : s.x)[i])) continue;
      lo = Math.min(lo, v[i]!);
      hi = Math.max(hi, v[i]!);
    }
  }
  if (lo === Infinity) throw new RangeError('the plot has no finite points');
  const pad = hi > lo ? 0.05 * (hi - lo) : 0;
  return [lo - pad, hi + pad];
}

/**
 * An SVG document with one panel: axes, grid, ticks, labels, a legend and the series. Non-finite points break a
 * polyline into pieces (they are not drawn). Throws RangeError when no series has a finite point or x and y
 * lengths differ.
 *
 * For example:
 *   const theta = [0, 1, 2, 3];
 *   const svg = linePlot([{ label: 'sin', x: theta, y: theta.map(Math.sin) }], { title: 'demo', xLabel: 'θ' });
 *   svg.startsWith('<?xml'); // true
 */
export function linePlot(series: readonly PlotSeries[], options: PlotOptions = {}): string {
  if (series.length === 0) throw new RangeError('linePlot needs at least one series');
  for (const s of series) {
    if (s.x.length !== s.y.length) throw new RangeError(`series "${s.label}": ${s.x.length} x values but ${s.y.length} y values`);
  }
  const W = options.width ?? 800;
  const legendRowH = 18;
  // The legend goes below the axes, never over the data; the canvas grows by its height.
  const legendH = series.length * legendRowH + 10;
  const H = (options.height ?? 480) + legendH + 10;
  const margin = { left: 70, right: 20, top: options.title ? 40 : 20, bottom: 55 + legendH + 10 };

  const xr = options.xRange ?? dataRange(series, 'x');
  const xTicks = options.xTicks ?? niceTicks(xr[0], xr[1], 8).map((value) => ({ value, label: tickLabel(value) }));
  const [x0, x1] = options.xRange ?? [Math.min(xr[0], xTicks[0]!.value), Math.max(xr[1], xTicks[xTicks.length - 1]!.value)];
  const yr = options.yRange ?? dataRange(series, 'y');
  const yTickValues = niceTicks(yr[0], yr[1], 6);
  const [y0, y1] = options.yRange ?? [yTickValues[0]!, yTickValues[yTickValues.length - 1]!];

  const plotL = margin.left;
  const plotR = W - margin.right;
  const plotT = margin.top;
  const plotB = H - margin.bottom;
  const sx = (x: number) => plotL + ((x - x0) / (x1 - x0 || 1)) * (plotR - plotL);
  const sy = (y: number) => plotB - ((y - y0) / (y1 - y0 || 1)) * (plotB - plotT);
  const inX = (x: number) => x >= x0 - 1e-12 * Math.abs(x1 - x0) && x <= x1 + 1e-12 * Math.abs(x1 - x0);
  const inY = (y: number) => y >= y0 - 1e-12 * Math.abs(y1 - y0) && y <= y1 + 1e-12 * Math.abs(y1 - y0);

  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  if (options.title) out.push(`<text x="${fmt(W / 2)}" y="24" text-anchor="middle" font-size="15">${escapeXml(options.title)}</text>`);
  out.push(
    `<defs><clipPath id="plot-area"><rect x="${fmt(plotL)}" y="${fmt(plotT)}" width="${fmt(plotR - plotL)}" height="${fmt(plotB - plotT)}"/></clipPath></defs>`,
  );

  out.push('<g stroke="#dddddd" stroke-width="1">');
  for (const t of xTicks) if (inX(t.value)) out.push(`<line x1="${fmt(sx(t.value))}" y1="${fmt(plotT)}" x2="${fmt(sx(t.value))}" y2="${fmt(plotB)}"/>`);
  for (const v of yTickValues) if (inY(v)) out.push(`<line x1="${fmt(plotL)}" y1="${fmt(sy(v))}" x2="${fmt(plotR)}" y2="${fmt(sy(v))}"/>`);
  out.push('</g>');

  out.push(
    `<rect x="${fmt(plotL)}" y="${fmt(plotT)}" width="${fmt(plotR - plotL)}" height="${fmt(plotB - plotT)}" fill="none" stroke="#000000" stroke-width="1"/>`,
  );
  out.push('<g text-anchor="middle">');
  for (const t of xTicks) {
    if (!inX(t.value)) continue;
    out.push(`<line x1="${fmt(sx(t.value))}" y1="${fmt(plotB)}" x2="${fmt(sx(t.value))}" y2="${fmt(plotB + 5)}" stroke="#000000"/>`);
    out.push(`<text x="${fmt(sx(t.value))}" y="${fmt(plotB + 19)}">${escapeXml(t.label)}</text>`);
  }
  out.push('</g>');
  out.push('<g text-anchor="end">');
  for (const v of yTickValues) {
    if (!inY(v)) continue;
    out.push(`<line x1="${fmt(plotL - 5)}" y1="${fmt(sy(v))}" x2="${fmt(plotL)}" y2="${fmt(sy(v))}" stroke="#000000"/>`);
    out.push(`<text x="${fmt(plotL - 8)}" y="${fmt(sy(v) + 4)}">${escapeXml(tickLabel(v))}</text>`);
  }
  out.push('</g>');
  if (options.xLabel) out.push(`<text x="${fmt((plotL + plotR) / 2)}" y="${fmt(plotB + 42)}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`);
  if (options.yLabel) {
    const cx = 18;
    const cy = (plotT + plotB) / 2;
    out.push(`<text x="${fmt(cx)}" y="${fmt(cy)}" text-anchor="middle" transform="rotate(-90 ${fmt(cx)} ${fmt(cy)})">${escapeXml(options.yLabel)}</text>`);
  }

  out.push('<g clip-path="url(#plot-area)" fill="none">');
  series.forEach((s, k) => {
    const color = s.color ?? PALETTE[k % PALETTE.length]!;
    const width = s.width ?? 1.5;
    if (s.markerRadius !== undefined) {
      out.push(`<g fill="${escapeXml(color)}" stroke="none">`);
      for (let i = 0; i < s.x.length; i++) {
        if (!Number.isFinite(s.x[i]) || !Number.isFinite(s.y[i])) continue;
        out.push(`<circle cx="${fmt(sx(s.x[i]!))}" cy="${fmt(sy(s.y[i]!))}" r="${fmt(s.markerRadius)}"/>`);
      }
      out.push('</g>');
      return;
    }
    const dash = s.dash ? ` stroke-dasharray="${escapeXml(s.dash)}"` : '';
    let piece: string[] = [];
    const flush = () => {
      if (piece.length >= 2) out.push(`<polyline points="${piece.join(' ')}" stroke="${escapeXml(color)}" stroke-width="${fmt(width)}"${dash}/>`);
      piece = [];
    };
    for (let i = 0; i < s.x.length; i++) {
      if (Number.isFinite(s.x[i]) && Number.isFinite(s.y[i])) piece.push(`${fmt(sx(s.x[i]!))},${fmt(sy(s.y[i]!))}`);
      else flush();
    }
    flush();
  });
  out.push('</g>');

  const legendW = 16 + 28 + 7 * Math.max(...series.map((s) => [...s.label].length));
  const lx = plotL;
  const ly = H - legendH - 10;
  out.push(`<g font-size="12"><rect x="${fmt(lx)}" y="${fmt(ly)}" width="${fmt(legendW)}" height="${fmt(legendH)}" fill="#ffffff" stroke="#999999"/>`);
  series.forEach((s, k) => {
    const color = s.color ?? PALETTE[k % PALETTE.length]!;
    const y = ly + 14 + k * legendRowH;
    if (s.markerRadius !== undefined) {
      out.push(`<circle cx="${fmt(lx + 20)}" cy="${fmt(y - 4)}" r="${fmt(Math.max(2, s.markerRadius))}" fill="${escapeXml(color)}"/>`);
    } else {
      const dash = s.dash ? ` stroke-dasharray="${escapeXml(s.dash)}"` : '';
      out.push(
        `<line x1="${fmt(lx + 8)}" y1="${fmt(y - 4)}" x2="${fmt(lx + 32)}" y2="${fmt(y - 4)}" stroke="${escapeXml(color)}" stroke-width="${fmt(s.width ?? 1.5)}"${dash}/>`,
      );
    }
    out.push(`<text x="${fmt(lx + 40)}" y="${fmt(y)}">${escapeXml(s.label)}</text>`);
  });
  out.push('</g>');
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
