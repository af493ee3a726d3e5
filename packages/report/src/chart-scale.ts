// Axis domains and ticks at round numbers (1, 2 or 5 times a power of ten, or whole decades on a
// log axis). Tick values are rebuilt from integers and printed with a fixed number of decimals,
// so 0.1 + 0.2 never shows up as 0.30000000000000004 and charts are byte-for-byte reproducible.

export interface Ticks {
  /** Domain start: the first tick (linear) or decade (log). */
  readonly min: number;
  readonly max: number;
  readonly values: readonly number[];
  /** Decimals that print every tick exactly. */
  readonly decimals: number;
}

/** The round step near `range / target`: 1, 2 or 5 times 10^exponent. */
export function niceStep(range: number, target: number): { readonly step: number; readonly exponent: number } {
  const raw = range / Math.max(1, target);
  let exponent = Math.floor(Math.log10(raw));
  const fraction = raw / 10 ** exponent;
  let mantissa = fraction <= 1.5 ? 1 : fraction <= 3 ? 2 : fraction <= 7 ? 5 : 10;
  if (mantissa === 10) {
    mantissa = 1;
    exponent += 1;
  }
  // Dividing by an exact power of ten gives the closest double to 0.02; multiplying by 10^-2 may not.
  const step = exponent >= 0 ? mantissa * 10 ** exponent : mantissa / 10 ** -exponent;
  return { step, exponent };
}

/** A linear axis covering [min, max], widened to the surrounding round ticks. */
export function linearTicks(min: number, max: number, target = 5): Ticks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return linearTicks(0, 1, target);
  if (!(max > min)) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    return linearTicks(min - pad, max + pad, target);
  }
  const { step, exponent } = niceStep(max - min, target);
  const decimals = Math.max(0, -exponent);
  // The epsilon keeps 0.86 / 0.02 = 42.99999999 from adding a whole empty step.
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  const values: number[] = [];
  for (let k = first; k <= last; k++) values.push(roundTo(k * step, decimals));
  return { min: values[0]!, max: values[values.length - 1]!, values, decimals };
}

/** A log10 axis from the decade at or below `min` to the one at or above `max` (both > 0). */
export function logTicks(min: number, max: number): Ticks {
  if (!(min > 0) || !(max > 0) || !Number.isFinite(max)) return logTicks(1, 10);
  const low = Math.floor(Math.log10(min) + 1e-9);
  let high = Math.ceil(Math.log10(Math.max(min, max)) - 1e-9);
  if (high === low) high += 1;
  const values: number[] = [];
  for (let k = low; k <= high; k++) values.push(Number(`1e${k}`));
  return { min: values[0]!, max: values[values.length - 1]!, values, decimals: Math.max(0, -low) };
}

/** Whole-number ticks inside [min, max] (an epoch axis): never widened, never fractional. */
export function integerTicks(min: number, max: number, target = 8): Ticks {
  if (!(max > min)) return { min: min - 0.5, max: max + 0.5, values: [min], decimals: 0 };
  const step = Math.max(1, niceStep(max - min, target).step);
  const values: number[] = [];
  for (let k = Math.ceil(min / step); k * step <= max; k++) values.push(k * step);
  // Label the first epoch too unless it would crowd the first round tick.
  if (values[0] !== min && (values.length === 0 || values[0]! - min > step / 2)) values.unshift(min);
  return { min, max, values, decimals: 0 };
}

/** A tick of a log axis: plain decimals from 0.001 to 10000, powers of ten beyond. */
export function formatLogTick(value: number): string {
  const exponent = Math.round(Math.log10(value));
  return exponent >= -3 && exponent <= 4 ? value.toFixed(Math.max(0, -exponent)) : `1e${exponent}`;
}

function roundTo(value: number, decimals: number): number {
  const rounded = Number(value.toFixed(decimals));
  return rounded === 0 ? 0 : rounded;
}
