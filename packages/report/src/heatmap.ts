import { escapeHtml } from './escape.js';
import { coord, idFragment, openSvg, textWidth } from './svg.js';

export interface HeatmapOptions {
  readonly title: string;
  /** Unique in the page (default: from the title). */
  readonly id?: string;
  /** Put before the generated summary in the SVG's <desc>. */
  readonly description?: string;
  /** values[row][column], non-negative counts. */
  readonly values: readonly (readonly number[])[];
  readonly rowLabels: readonly string[];
  readonly columnLabels: readonly string[];
  /** Says what the rows are, e.g. "true label". */
  readonly rowTitle?: string;
  readonly columnTitle?: string;
  /**
   * Confusion-matrix mode: diagonal cells (right answers) and off-diagonal cells (mistakes) get
   * their own colour and their own scale, so the largest confusion stands out however many
   * right answers the diagonal holds.
   */
  readonly diagonal?: boolean;
  readonly cellSize?: number;
}

const FONT = 11;
/**
 * Text colour bands by fill strength. In the light scheme dark text reads best until a cell is
 * nearly full; in the dark scheme the fill is a light tint, so dark text wins from about 0.65.
 * The styles pick each band's colour per scheme.
 */
const MID = 0.65;
const HIGH = 0.85;

/** A matrix of counts as inline SVG: shaded cells with the count in each. */
export function heatmap(options: HeatmapOptions): string {
  const { values, rowLabels, columnLabels } = options;
  const rows = values.length;
  const columns = Math.max(0, ...values.map((row) => row.length));
  const id = options.id ?? `heatmap-${idFragment(options.title)}`;
  const cell = options.cellSize ?? 36;
  const diagonal = options.diagonal === true;

  const longestRowLabel = Math.max(0, ...rowLabels.map((label) => textWidth(label, FONT)));
  const longestColumnLabel = Math.max(0, ...columnLabels.map((label) => textWidth(label, FONT)));
  // Long column labels are turned 45 degrees instead of widening every cell.
  const slanted = longestColumnLabel > cell - 4;
  const left = (options.rowTitle === undefined ? 8 : 26) + longestRowLabel + 8;
  const top = (options.columnTitle === undefined ? 8 : 24) + (slanted ? longestColumnLabel * 0.72 + 8 : 18);
  const width = left + columns * cell + 12;
  const height = top + rows * cell + 12;

  // Without diagonal mode both scales are the whole matrix's.
  const largest = (onDiagonal: boolean): number =>
    Math.max(0, ...values.flatMap((row, r) => row.filter((v, c) => Number.isFinite(v) && (!diagonal || (r === c) === onDiagonal))));
  const diagonalMax = largest(true);
  const otherMax = largest(false);
  const longestCount = Math.max(1, ...values.flat().map((v) => countText(v).length));
  const countFont = Math.min(FONT, Math.floor((cell - 6) / (0.62 * longestCount)));

  const out: string[] = [
    openSvg({ id, className: 'sn-chart sn-heatmap', width, height, title: options.title, description: describe(options) }),
    '<g class="sn-axis" fill="#5b6270">',
  ];
  if (options.columnTitle !== undefined) {
    out.push(`<text class="sn-axis-label" x="${coord(left + (columns * cell) / 2)}" y="14" text-anchor="middle">${escapeHtml(options.columnTitle)}</text>`);
  }
  if (options.rowTitle !== undefined) {
    const middle = coord(top + (rows * cell) / 2);
    out.push(`<text class="sn-axis-label" x="14" y="${middle}" text-anchor="middle" transform="rotate(-90 14 ${middle})">${escapeHtml(options.rowTitle)}</text>`);
  }
  columnLabels.slice(0, columns).forEach((label, c) => {
    const x = left + c * cell + cell / 2;
    out.push(
      slanted
        ? `<text x="${coord(x)}" y="${coord(top - 6)}" transform="rotate(-45 ${coord(x)} ${coord(top - 6)})">${escapeHtml(label)}</text>`
        : `<text x="${coord(x)}" y="${coord(top - 7)}" text-anchor="middle">${escapeHtml(label)}</text>`,
    );
  });
  rowLabels.slice(0, rows).forEach((label, r) => {
    out.push(`<text x="${coord(left - 8)}" y="${coord(top + r * cell + cell / 2 + 4)}" text-anchor="end">${escapeHtml(label)}</text>`);
  });
  out.push('</g>', '<g class="sn-cells">');

  values.forEach((row, r) => {
    row.forEach((value, c) => {
      const isDiagonal = diagonal && r === c;
      const share = shade(value, isDiagonal || !diagonal ? diagonalMax : otherMax);
      const kind = isDiagonal || !diagonal ? 'sn-heat-good' : 'sn-heat-bad';
      const textKind = value === 0 ? 'sn-heat-zero' : share >= HIGH ? 'sn-heat-high' : share >= MID ? 'sn-heat-mid' : 'sn-heat-low';
      const fill = kind === 'sn-heat-good' ? '#2563eb' : '#dc2626';
      const textFill = textKind === 'sn-heat-high' ? '#ffffff' : textKind === 'sn-heat-zero' ? '#a0a6b1' : '#1c1f24';
      const x = left + c * cell;
      const y = top + r * cell;
      const label = `${options.rowTitle ?? 'row'} ${rowLabels[r] ?? r}, ${options.columnTitle ?? 'column'} ${columnLabels[c] ?? c}: ${countText(value)}`;
      out.push(
        `<g><title>${escapeHtml(label)}</title>` +
          `<rect class="sn-cell-frame" x="${coord(x + 0.5)}" y="${coord(y + 0.5)}" width="${coord(cell - 1)}" height="${coord(cell - 1)}" fill="none" stroke="#e4e7ec"/>` +
          (share > 0
            ? `<rect class="${kind}" x="${coord(x + 0.5)}" y="${coord(y + 0.5)}" width="${coord(cell - 1)}" height="${coord(cell - 1)}" fill="${fill}" fill-opacity="${share.toFixed(2)}"/>`
            : '') +
          `<text class="${textKind}" x="${coord(x + cell / 2)}" y="${coord(y + cell / 2 + countFont * 0.36)}" text-anchor="middle" font-size="${countFont}" fill="${textFill}">${escapeHtml(countText(value))}</text></g>`,
      );
    });
  });
  out.push('</g>', '</svg>');
  return out.join('\n');
}

/**
 * Log scale: with 980 right answers and a handful of mistakes per cell, a linear scale would
 * leave every mistake white. Any non-zero count gets at least a visible tint.
 */
function shade(value: number, max: number): number {
  if (!(value > 0) || !(max > 0)) return 0;
  return Math.max(0.08, Math.min(1, Math.log1p(value) / Math.log1p(max)));
}

function countText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

function describe(options: HeatmapOptions): string {
  const parts: string[] = [];
  if (options.description !== undefined) parts.push(options.description);
  const rows = options.values.length;
  const columns = Math.max(0, ...options.values.map((row) => row.length));
  parts.push(`${rows} by ${columns} matrix of counts, shaded on a logarithmic scale.`);
  if (options.diagonal === true) {
    const total = options.values.flat().reduce((sum, v) => sum + (Number.isFinite(v) ? v : 0), 0);
    const right = options.values.reduce((sum, row, r) => sum + (Number.isFinite(row[r]) ? row[r]! : 0), 0);
    parts.push(`${right} of ${total} on the diagonal.`);
    const worst = largestOffDiagonal(options.values);
    if (worst !== undefined && worst.count > 0) {
      const rowName = options.rowLabels[worst.row] ?? String(worst.row);
      const columnName = options.columnLabels[worst.column] ?? String(worst.column);
      parts.push(`Largest off-diagonal cell: ${options.rowTitle ?? 'row'} ${rowName}, ${options.columnTitle ?? 'column'} ${columnName}, ${worst.count}.`);
    }
  }
  return parts.join(' ');
}

function largestOffDiagonal(values: readonly (readonly number[])[]): { row: number; column: number; count: number } | undefined {
  let best: { row: number; column: number; count: number } | undefined;
  values.forEach((row, r) =>
    row.forEach((count, c) => {
      if (r !== c && Number.isFinite(count) && (best === undefined || count > best.count)) best = { row: r, column: c, count };
    }),
  );
  return best;
}
