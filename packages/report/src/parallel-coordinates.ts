import { escapeHtml } from './escape.js';
import { seriesStyle } from './palette.js';
import { coord, idFragment, openSvg, textWidth } from './svg.js';
import { describeNumber, describeValue, valueKey } from './sweep-values.js';

export interface ParallelAxis {
  /** Shown above the axis, e.g. a config path. */
  readonly label: string;
  /** How numbers on this axis read in its tick labels and the line tooltips (default: as written, or 4 significant digits). */
  readonly format?: (value: number) => string;
}

export interface ParallelLine {
  /** Starts the line's tooltip, e.g. a trial id. */
  readonly name: string;
  /** One value per axis. An axis whose values are all finite numbers is numeric; any other value makes it categorical. */
  readonly values: readonly unknown[];
  /** 0..1: how strongly the line is drawn (1 = the strongest colour). Weaker lines are drawn first. */
  readonly strength: number;
  /** Drawn last, thicker and at full strength (the best trial). */
  readonly highlight?: boolean;
}

export interface ParallelCoordinatesOptions {
  readonly title: string;
  /** Unique in the page (default: from the title). */
  readonly id?: string;
  /** Put before the generated summary in the SVG's <desc>. */
  readonly description?: string;
  readonly axes: readonly ParallelAxis[];
  readonly lines: readonly ParallelLine[];
  /** Captions for the two ends of the strength legend, e.g. the worst and best metric values. */
  readonly legend?: { readonly weakest: string; readonly strongest: string };
  /** The width to fill (default 640); more axes than fit at 120 px apart make the SVG wider. */
  readonly width?: number;
  readonly plotHeight?: number;
}

export type AxisScale =
  | { readonly kind: 'linear' | 'log'; readonly min: number; readonly max: number }
  | { readonly kind: 'category'; readonly categories: readonly { readonly key: string; readonly label: string }[] };

/** Numbers span this ratio or more (all > 0) before an axis turns logarithmic: learning rates 0.001..0.3, not widths 30..128. */
export const LOG_AXIS_RATIO = 20;

/** The scale for one axis' values: linear or log when all are finite numbers, else categories in order of first appearance. */
export function axisScale(values: readonly unknown[]): AxisScale {
  const numeric = values.length > 0 && values.every((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (numeric) {
    const numbers = values as readonly number[];
    const min = Math.min(...numbers);
    const max = Math.max(...numbers);
    return { kind: min > 0 && max / min >= LOG_AXIS_RATIO ? 'log' : 'linear', min, max };
  }
  const categories = new Map<string, string>();
  for (const value of values) {
    const key = valueKey(value);
    if (!categories.has(key)) categories.set(key, describeValue(value));
  }
  return { kind: 'category', categories: [...categories].map(([key, label]) => ({ key, label })) };
}

/** Where a value sits on its axis, 0 (bottom) to 1 (top); equal extremes and single categories sit in the middle. */
export function axisPosition(scale: AxisScale, value: unknown): number {
  if (scale.kind === 'category') {
    const n = scale.categories.length;
    const i = scale.categories.findIndex((c) => c.key === valueKey(value));
    return n <= 1 || i < 0 ? 0.5 : 1 - i / (n - 1);
  }
  const v = typeof value === 'number' ? value : Number.NaN;
  if (!(scale.max > scale.min) || !Number.isFinite(v)) return 0.5;
  const t = scale.kind === 'log' ? Math.log10(v / scale.min) / Math.log10(scale.max / scale.min) : (v - scale.min) / (scale.max - scale.min);
  return Math.min(1, Math.max(0, t));
}

const FONT = 11;
const LABEL_ROW = 16;
/** Category labels closer than this (px) are thinned out. */
const MIN_LABEL_GAP = 13;

/**
 * Parallel coordinates as inline SVG (no xmlns; meant for HTML; styled by `chartStyles`): one
 * vertical axis per entry of `axes`, one polyline per line with a <title> tooltip. Numeric axes
 * label their minimum and maximum; categorical ones each category, evenly spaced.
 */
export function parallelCoordinates(options: ParallelCoordinatesOptions): string {
  const { axes, lines, title } = options;
  const id = options.id ?? `chart-${idFragment(title)}`;
  const plotHeight = options.plotHeight ?? 260;
  const preferredWidth = options.width ?? 640;
  const scales = axes.map((_, a) => axisScale(lines.map((line) => line.values[a])));
  const formats = axes.map((axis) => axis.format ?? describeNumber);
  const tickLabels = scales.map((scale, a) => thinTicks(axisTicks(scale, formats[a]!), plotHeight));

  const labelWidths = axes.map((axis) => textWidth(axis.label, FONT));
  const tickWidths = tickLabels.map((ticks) => Math.max(0, ...ticks.map((t) => textWidth(t.text, FONT))));
  const left = Math.max(30, (labelWidths[0] ?? 0) / 2 + 8);
  const right = Math.max(30, (labelWidths.at(-1) ?? 0) / 2 + 8, (tickWidths.at(-1) ?? 0) + 14);
  const gaps = Math.max(1, axes.length - 1);
  // Fill the preferred width; with many axes, widen instead (the page scales the SVG down to fit).
  const spacing = Math.max((preferredWidth - left - right) / gaps, Math.min(220, Math.max(120, ...tickWidths.map((w) => w + 30))));
  const stagger = labelWidths.some((w) => w > spacing - 10);
  const width = Math.max(preferredWidth, left + spacing * gaps + right);
  const top = 12 + (stagger ? 2 : 1) * LABEL_ROW;
  const bottom = top + plotHeight;
  const height = bottom + (options.legend === undefined ? 30 : 54);
  const xAt = (a: number): number => (axes.length === 1 ? width / 2 : left + a * spacing);
  const yAt = (t: number): number => bottom - t * plotHeight;

  const out: string[] = [openSvg({ id, className: 'sn-chart sn-parallel', width, height, title, description: describe(options, scales, formats) })];
  out.push('<g class="sn-axis" fill="#5b6270">');
  axes.forEach((axis, a) => {
    const x = coord(xAt(a));
    const row = stagger ? a % 2 : 0;
    out.push(
      `<line class="sn-axis-line" stroke="#8a919e" x1="${x}" y1="${coord(top)}" x2="${x}" y2="${coord(bottom)}"/>`,
      `<text class="sn-axis-label" x="${x}" y="${coord(12 + row * LABEL_ROW)}" text-anchor="middle" font-weight="600">${escapeHtml(axis.label)}</text>`,
    );
    if (scales[a]!.kind === 'log') out.push(`<text x="${x}" y="${coord(bottom + 18)}" text-anchor="middle">log scale</text>`);
  });
  out.push('</g>');

  const style = seriesStyle(0);
  const order = lines.map((line, i) => ({ line, i })).sort((p, q) => rank(p.line) - rank(q.line) || p.i - q.i);
  out.push(`<g class="sn-parallel-lines ${style.className}" fill="none">`);
  for (const { line } of order) {
    const strength = line.highlight === true ? 1 : clamp01(line.strength);
    const points = axes.map((_, a) => `${coord(xAt(a))},${coord(yAt(axisPosition(scales[a]!, line.values[a])))}`).join(' ');
    const tooltip = `${line.name}: ${axes.map((axis, a) => `${axis.label} = ${valueText(line.values[a], formats[a]!)}`).join('; ')}`;
    const opacity = line.highlight === true ? 1 : 0.2 + 0.8 * strength;
    const strokeWidth = line.highlight === true ? 3.5 : 1 + strength;
    out.push(
      `<polyline class="sn-line${line.highlight === true ? ' sn-highlight' : ''}" stroke="${style.colour}" stroke-opacity="${opacity.toFixed(2)}" ` +
        `stroke-width="${strokeWidth.toFixed(2)}" stroke-linejoin="round" points="${points}"><title>${escapeHtml(tooltip)}</title></polyline>`,
    );
  }
  out.push('</g>');

  // Tick labels after the lines, so lines never hide them.
  out.push('<g class="sn-axis sn-parallel-ticks" fill="#5b6270">');
  tickLabels.forEach((ticks, a) => {
    const x = xAt(a);
    for (const tick of ticks) {
      const y = yAt(tick.position);
      out.push(
        `<line class="sn-axis-line" stroke="#8a919e" x1="${coord(x - 3)}" y1="${coord(y)}" x2="${coord(x + 3)}" y2="${coord(y)}"/>` +
          `<text x="${coord(x + 6)}" y="${coord(y + 4)}">${escapeHtml(tick.text)}</text>`,
      );
    }
  });
  out.push('</g>');
  if (options.legend !== undefined) out.push(strengthLegend(options.legend, left, bottom + 40, style.colour, style.className));
  out.push('</svg>');
  return out.join('\n');
}

function rank(line: ParallelLine): number {
  return line.highlight === true ? 2 : clamp01(line.strength);
}

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

function valueText(value: unknown, format: (value: number) => string): string {
  return typeof value === 'number' && Number.isFinite(value) ? format(value) : describeValue(value);
}

interface Tick {
  readonly text: string;
  readonly position: number;
}

function axisTicks(scale: AxisScale, format: (value: number) => string): Tick[] {
  if (scale.kind !== 'category') {
    if (!(scale.max > scale.min)) return [{ text: format(scale.min), position: 0.5 }];
    return [
      { text: format(scale.min), position: 0 },
      { text: format(scale.max), position: 1 },
    ];
  }
  const n = scale.categories.length;
  return scale.categories.map((c, i) => ({ text: c.label, position: n <= 1 ? 0.5 : 1 - i / (n - 1) }));
}

/** Thin out category labels that would overlap: keep every k-th and the last. */
function thinTicks(ticks: readonly Tick[], plotHeight: number): Tick[] {
  if (ticks.length < 3) return [...ticks];
  const gap = plotHeight / (ticks.length - 1);
  const every = Math.ceil(MIN_LABEL_GAP / gap);
  return every <= 1 ? [...ticks] : ticks.filter((_, i) => i % every === 0 || i === ticks.length - 1);
}

function strengthLegend(legend: { readonly weakest: string; readonly strongest: string }, x: number, y: number, colour: string, className: string): string {
  const steps = [0, 0.25, 0.5, 0.75, 1];
  const start = x + textWidth(legend.weakest, FONT) + 8;
  const swatches = steps.map(
    (s, i) =>
      `<line class="sn-line" stroke="${colour}" stroke-opacity="${(0.2 + 0.8 * s).toFixed(2)}" stroke-width="${(1 + s + 1).toFixed(2)}" ` +
      `x1="${coord(start + i * 22)}" y1="${coord(y - 4)}" x2="${coord(start + i * 22 + 18)}" y2="${coord(y - 4)}"/>`,
  );
  return [
    `<g class="sn-legend ${className}" fill="#1c1f24">`,
    `<text x="${coord(x)}" y="${coord(y)}">${escapeHtml(legend.weakest)}</text>`,
    ...swatches,
    `<text x="${coord(start + steps.length * 22 + 4)}" y="${coord(y)}">${escapeHtml(legend.strongest)}</text>`,
    '</g>',
  ].join('\n');
}

function describe(options: ParallelCoordinatesOptions, scales: readonly AxisScale[], formats: readonly ((value: number) => string)[]): string {
  const parts: string[] = [];
  if (options.description !== undefined) parts.push(options.description);
  const count = options.lines.length;
  parts.push(`${count === 1 ? 'One line' : `${count} lines`} across ${options.axes.length === 1 ? 'one axis' : `${options.axes.length} axes`}.`);
  options.axes.forEach((axis, a) => {
    const scale = scales[a]!;
    const format = formats[a]!;
    if (scale.kind === 'category') {
      const labels = scale.categories.map((c) => c.label);
      const shown = labels.length > 10 ? `${labels.slice(0, 10).join(', ')} and ${labels.length - 10} more` : labels.join(', ');
      parts.push(`${axis.label}: ${labels.length === 1 ? 'one category' : `${labels.length} categories`} (${shown}).`);
    } else {
      const range = scale.max > scale.min ? `${format(scale.min)} to ${format(scale.max)}` : `all ${format(scale.min)}`;
      parts.push(`${axis.label}: ${range}${scale.kind === 'log' ? ', log scale' : ''}.`);
    }
  });
  return parts.join(' ');
}
