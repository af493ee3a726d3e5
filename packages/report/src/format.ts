// Every number a report shows goes through these, never through toLocaleString: the output must
// be the same on every machine and locale, or golden files and reviewers' diffs would churn.

/** `value` with `decimals` digits after the point; no "-0"; NaN and infinities spelt out. */
export function formatFixed(value: number, decimals: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  const text = value.toFixed(decimals);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** A fraction as a percentage: 0.98123 -> "98.12%". */
export function formatPercent(fraction: number, decimals = 2): string {
  const text = formatFixed(fraction * 100, decimals);
  return Number.isFinite(fraction) ? `${text}%` : text;
}

/** Four significant digits without exponent noise for the usual range: 2.302585 -> "2.303". */
export function formatSignificant(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return formatFixed(value, 0);
  if (value === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  if (magnitude < -4 || magnitude >= 9) return value.toExponential(digits - 1).replace('e+', 'e');
  return formatFixed(value, Math.max(0, digits - 1 - magnitude));
}

/** A whole count with thousands separators: 60000 -> "60,000". */
export function formatCount(count: number): string {
  if (!Number.isFinite(count)) return formatFixed(count, 0);
  const sign = count < 0 ? '-' : '';
  return sign + Math.round(Math.abs(count)).toString().replace(/\B(?=(\d{3})+$)/g, ',');
}

/** A duration for people: "0.84 s", "42.1 s", "3 min 12 s", "2 h 05 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return formatFixed(seconds, 0);
  if (seconds < 9.995) return `${formatFixed(seconds, 2)} s`;
  if (seconds < 59.95) return `${formatFixed(seconds, 1)} s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** A shape per sample: [1, 28, 28] -> "1 × 28 × 28". */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 0 ? 'scalar' : shape.join(' × ');
}
