/** Number formats shared by the progress bar, epoch lines and the summary table. */
export const formatLoss = (value: number | undefined): string => (value === undefined ? '-' : value.toFixed(4));

export const formatPercent = (fraction: number | undefined): string =>
  fraction === undefined ? '-' : `${(fraction * 100).toFixed(2)}%`;

export const formatRate = (perSecond: number): string => Math.round(perSecond).toLocaleString('en-US');

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  return `${minutes}m${String(rest).padStart(2, '0')}s`;
}

export function formatLearningRate(value: number): string {
  return value >= 1e-3 && value < 1e4 ? String(Number(value.toPrecision(4))) : value.toExponential(3);
}

/**
 * A plain text table; the first row is the header. By default every column after the first
 * aligns right (numbers); `alignRight: false` keeps text columns left-aligned.
 */
export function renderTable(rows: readonly (readonly string[])[], options: { alignRight?: boolean } = {}): string {
  const alignRight = options.alignRight ?? true;
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) => row.map((cell, i) => (i === 0 || !alignRight ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd())
    .join('\n');
}
