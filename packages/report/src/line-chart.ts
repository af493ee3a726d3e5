import { formatLogTick, integerTicks, linearTicks, logTicks, type Ticks } from './chart-scale.js';
import { escapeHtml } from './escape.js';
import { formatFixed, formatPercent, formatSignificant } from './format.js';
import { seriesStyle } from './palette.js';
import { coord, idFragment, openSvg, textWidth } from './svg.js';

export interface LineSeries {
  readonly name: string;
  /** [x, y] pairs in x order; a non-finite y (a diverged loss) or, on a log axis, y <= 0 breaks the line. */
  readonly points: readonly (readonly [number, number])[];
  /** Palette slot (default: the series' position); slots past ten repeat the hues with dashes. */
  readonly colour?: number;
}

/** A labelled vertical line, e.g. at the best validation epoch. */
export interface ChartMarker {
  readonly x: number;
  readonly label: string;
}

export interface LineChartOptions {
  readonly title: string;
  /** Unique in the page: the SVG's id and the prefix of its title/desc ids (default: from the title). */
  readonly id?: string;
  /** Put before the generated summary in the SVG's <desc>. */
  readonly description?: string;
  readonly series: readonly LineSeries[];
  /** Default "epoch". Whole-number x values get whole-number ticks. */
  readonly xLabel?: string;
  readonly yLabel?: string;
  readonly yScale?: 'linear' | 'log';
  /** "percent" shows fractions (0.981) as percentages (98.1%). */
  readonly yFormat?: 'number' | 'percent';
  readonly marker?: ChartMarker;
  readonly width?: number;
  readonly plotHeight?: number;
}

const FONT = 11;
const LEGEND_ROW = 18;
const DOTS_UP_TO = 60;

/** A line chart as inline SVG (no xmlns; meant for HTML). Style it with `chartStyles`. */
export function lineChart(options: LineChartOptions): string {
  const { title, series, marker } = options;
  const id = options.id ?? `chart-${idFragment(title)}`;
  const width = options.width ?? 640;
  const plotHeight = options.plotHeight ?? 200;
  const xLabel = options.xLabel ?? 'epoch';
  const log = options.yScale === 'log';
  const percent = options.yFormat === 'percent';
  const show = (y: number): boolean => Number.isFinite(y) && (!log || y > 0);

  const xs = series.flatMap((s) => s.points.map(([x]) => x)).filter(Number.isFinite);
  if (marker !== undefined && Number.isFinite(marker.x)) xs.push(marker.x);
  const ys = series.flatMap((s) => s.points.map(([, y]) => y)).filter(show);
  const xTicks = xAxis(xs);
  // Percent axes are laid out in percentage points so their ticks are round percentages.
  const unit = percent ? 100 : 1;
  const yTicks = log
    ? logTicks(Math.min(...ys, Infinity), Math.max(...ys, -Infinity))
    : linearTicks(Math.min(...ys, Infinity) * unit, Math.max(...ys, -Infinity) * unit, 5);

  const legend = layoutLegend(series, marker, width);
  const left = options.yLabel === undefined ? 52 : 66;
  const right = 18;
  const top = legend.height + 14;
  const bottom = top + plotHeight;
  const height = bottom + 40;
  const xAt = (x: number): number => left + ((x - xTicks.min) / (xTicks.max - xTicks.min)) * (width - left - right);
  const yAt = (y: number): number => {
    const t = log
      ? (Math.log10(y) - Math.log10(yTicks.min)) / (Math.log10(yTicks.max) - Math.log10(yTicks.min))
      : (y * unit - yTicks.min) / (yTicks.max - yTicks.min);
    return bottom - t * plotHeight;
  };
  const yText = (y: number): string => (percent ? formatPercent(y, 2) : formatSignificant(y, 4));
  const yTickText = (v: number): string =>
    (log ? formatLogTick(v) : formatFixed(v, yTicks.decimals)) + (percent ? '%' : '');

  const out: string[] = [
    openSvg({ id, className: 'sn-chart sn-line-chart', width, height, title, description: describe(options, xLabel, yText) }),
    legend.svg,
    '<g class="sn-grid" stroke="#e4e7ec">',
    ...yTicks.values.map((v) => `<line x1="${coord(left)}" y1="${coord(yAt(v / unit))}" x2="${coord(width - right)}" y2="${coord(yAt(v / unit))}"/>`),
    '</g>',
    `<g class="sn-axis" fill="#5b6270">`,
    `<path class="sn-axis-line" fill="none" stroke="#8a919e" d="M${coord(left)} ${coord(top)}V${coord(bottom)}H${coord(width - right)}"/>`,
    ...yTicks.values.map(
      (v) => `<text x="${coord(left - 6)}" y="${coord(yAt(v / unit) + 4)}" text-anchor="end">${escapeHtml(yTickText(v))}</text>`,
    ),
    ...xTicks.values.map(
      (x) =>
        `<line class="sn-axis-line" stroke="#8a919e" x1="${coord(xAt(x))}" y1="${coord(bottom)}" x2="${coord(xAt(x))}" y2="${coord(bottom + 4)}"/>` +
        `<text x="${coord(xAt(x))}" y="${coord(bottom + 16)}" text-anchor="middle">${formatFixed(x, xTicks.decimals)}</text>`,
    ),
    `<text class="sn-axis-label" x="${coord(left + (width - left - right) / 2)}" y="${coord(bottom + 33)}" text-anchor="middle">${escapeHtml(xLabel)}</text>`,
  ];
  if (options.yLabel !== undefined) {
    const middle = coord(top + plotHeight / 2);
    out.push(`<text class="sn-axis-label" x="14" y="${middle}" text-anchor="middle" transform="rotate(-90 14 ${middle})">${escapeHtml(options.yLabel)}</text>`);
  }
  out.push('</g>');
  if (marker !== undefined && Number.isFinite(marker.x)) {
    // The label lives in the legend: inside the plot it would sit on the curves it marks.
    const x = coord(xAt(marker.x));
    out.push(`<g class="sn-marker"><line stroke="#374151" stroke-width="1.5" stroke-dasharray="4 3" x1="${x}" y1="${coord(top)}" x2="${x}" y2="${coord(bottom)}"/></g>`);
  }
  series.forEach((s, i) => {
    const style = seriesStyle(s.colour ?? i);
    const dash = style.dash === undefined ? '' : ` stroke-dasharray="${style.dash}"`;
    const runs = splitRuns(s.points, show);
    const d = runs.map((run) => run.map(([x, y], k) => `${k === 0 ? 'M' : 'L'}${coord(xAt(x))} ${coord(yAt(y))}`).join('')).join('');
    out.push(`<g class="sn-series ${style.className}">`);
    if (d !== '') out.push(`<path class="sn-line" fill="none" stroke="${style.colour}" stroke-width="2"${dash} d="${d}"/>`);
    if (s.points.length <= DOTS_UP_TO) {
      for (const [x, y] of s.points.filter(([, y]) => show(y))) {
        out.push(
          `<circle class="sn-dot" fill="${style.colour}" cx="${coord(xAt(x))}" cy="${coord(yAt(y))}" r="2.5">` +
            `<title>${escapeHtml(`${s.name}, ${xLabel} ${xText(x)}: ${yText(y)}`)}</title></circle>`,
        );
      }
    }
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('\n');
}

function xText(x: number): string {
  return Number.isInteger(x) ? String(x) : formatSignificant(x, 4);
}

function xAxis(xs: readonly number[]): Ticks {
  if (xs.length === 0) return integerTicks(1, 1);
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  return xs.every(Number.isInteger) ? integerTicks(min, max) : linearTicks(min, max, 8);
}

/** Legend entries left to right, wrapping to a new row when the chart's width runs out. */
function layoutLegend(series: readonly LineSeries[], marker: ChartMarker | undefined, width: number): { svg: string; height: number } {
  const entries = series.map((s, i) => {
    const style = seriesStyle(s.colour ?? i);
    return { name: s.name, className: `sn-legend-item ${style.className}`, lineClass: 'sn-line', colour: style.colour, dash: style.dash };
  });
  if (marker !== undefined && Number.isFinite(marker.x)) {
    entries.push({ name: marker.label, className: 'sn-legend-item sn-marker', lineClass: '', colour: '#374151', dash: '4 3' });
  }
  if (entries.length === 0) return { svg: '', height: 0 };
  const items: string[] = [];
  let x = 52;
  let row = 0;
  for (const entry of entries) {
    const itemWidth = 24 + textWidth(entry.name, FONT) + 18;
    if (x + itemWidth > width - 10 && x > 52) {
      row += 1;
      x = 52;
    }
    const y = 12 + row * LEGEND_ROW;
    const dash = entry.dash === undefined ? '' : ` stroke-dasharray="${entry.dash}"`;
    const lineClass = entry.lineClass === '' ? '' : ` class="${entry.lineClass}"`;
    items.push(
      `<g class="${entry.className}">` +
        `<line${lineClass} stroke="${entry.colour}" stroke-width="2"${dash} x1="${coord(x)}" y1="${coord(y)}" x2="${coord(x + 18)}" y2="${coord(y)}"/>` +
        `<text x="${coord(x + 24)}" y="${coord(y + 4)}">${escapeHtml(entry.name)}</text></g>`,
    );
    x += itemWidth;
  }
  return { svg: `<g class="sn-legend" fill="#1c1f24">\n${items.join('\n')}\n</g>`, height: 12 + row * LEGEND_ROW + 8 };
}

function splitRuns(
  points: readonly (readonly [number, number])[],
  show: (y: number) => boolean,
): (readonly [number, number])[][] {
  const runs: (readonly [number, number])[][] = [];
  let current: (readonly [number, number])[] = [];
  for (const point of points) {
    if (Number.isFinite(point[0]) && show(point[1])) current.push(point);
    else if (current.length > 0) {
      runs.push(current);
      current = [];
    }
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

/** What a screen reader says instead of drawing: the range, each series' first and last value. */
function describe(options: LineChartOptions, xLabel: string, yText: (y: number) => string): string {
  const parts: string[] = [];
  if (options.description !== undefined) parts.push(options.description);
  for (const s of options.series) {
    const shown = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (shown.length === 0) {
      parts.push(`${s.name}: no finite values.`);
      continue;
    }
    const [x0, y0] = shown[0]!;
    const [x1, y1] = shown[shown.length - 1]!;
    parts.push(
      shown.length === 1
        ? `${s.name}: ${yText(y0)} at ${xLabel} ${xText(x0)}.`
        : `${s.name}: from ${yText(y0)} at ${xLabel} ${xText(x0)} to ${yText(y1)} at ${xLabel} ${xText(x1)}.`,
    );
  }
  if (options.yScale === 'log') parts.push('The y axis is logarithmic.');
  if (options.marker !== undefined) parts.push(`Marked: ${options.marker.label}.`);
  return parts.join(' ');
}
