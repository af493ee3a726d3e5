import { createRng, type Rng } from '@scratchnet/tensor';
import type { DistributionParameter, ParameterSpec, SweepSpec, TrialPlan } from './sweep-spec.js';

/** The parts of a sweep that decide its trials (name, base and metric do not). */
export type TrialSource = Pick<SweepSpec, 'method' | 'maxTrials' | 'seed' | 'parameters'>;

/**
 * Every trial of a sweep, in the sweep's order (the order early termination compares in).
 *
 * Grid: the cartesian product of the parameters' `values`, the first declared parameter varying
 * slowest (like Python's itertools.product), cut to the first `maxTrials` points. Random:
 * `maxTrials` trials drawn from one rng seeded with `seed`, trial by trial and parameter by
 * parameter in declared order, so trial k is the same whatever `maxTrials` is and a sweep can be
 * extended without changing the trials already run. Numbers are kept as full doubles: JS prints
 * the shortest text that parses back to the same double, so they survive the YAML round trip of
 * the trial's resolved config exactly.
 *
 * Invalid specs throw plain Errors: the sweep schema rejects them first, so reaching one here is
 * a bug in the caller, not a user mistake.
 */
export function expandTrials(spec: TrialSource): TrialPlan[] {
  const entries = Object.entries(spec.parameters);
  const points = spec.method === 'grid' ? gridPoints(entries, spec.maxTrials) : randomPoints(entries, spec.maxTrials, spec.seed);
  const width = Math.max(3, String(points.length).length);
  return points.map((parameters, index) => ({ id: `t${String(index + 1).padStart(width, '0')}`, index, parameters }));
}

type Entries = readonly (readonly [string, ParameterSpec])[];

function checkMaxTrials(maxTrials: number | undefined): void {
  if (maxTrials !== undefined && !(Number.isInteger(maxTrials) && maxTrials >= 1)) {
    throw new Error(`sweep maxTrials must be an integer >= 1, got ${maxTrials}`);
  }
}

function valuesOf(key: string, parameter: ParameterSpec): readonly unknown[] {
  const values = (parameter as { values?: unknown }).values;
  if (!Array.isArray(values) || values.length === 0) {
    throw new Error(`sweep parameter ${key}: values must be a non-empty list`);
  }
  return values;
}

/**
 * Grid points decoded from their position as a mixed-radix number (last parameter the lowest
 * digit), so a truncated grid never builds the points it leaves out.
 */
function gridPoints(entries: Entries, maxTrials: number | undefined): Record<string, unknown>[] {
  checkMaxTrials(maxTrials);
  const lists = entries.map(([key, parameter]) => {
    if ('distribution' in parameter) {
      throw new Error(`sweep parameter ${key}: a grid takes values, not a distribution`);
    }
    return valuesOf(key, parameter);
  });
  const total = lists.reduce((product, list) => product * list.length, 1);
  const count = Math.min(total, maxTrials ?? total);
  const points: Record<string, unknown>[] = [];
  for (let n = 0; n < count; n++) {
    const values: unknown[] = new Array<unknown>(lists.length);
    let rest = n;
    for (let p = lists.length - 1; p >= 0; p--) {
      const list = lists[p]!;
      values[p] = list[rest % list.length];
      rest = Math.floor(rest / list.length);
    }
    points.push(Object.fromEntries(entries.map(([key], p) => [key, values[p]])));
  }
  return points;
}

function randomPoints(entries: Entries, maxTrials: number | undefined, seed: number): Record<string, unknown>[] {
  if (maxTrials === undefined) throw new Error('a random sweep needs maxTrials');
  checkMaxTrials(maxTrials);
  const rng = createRng(seed);
  const points: Record<string, unknown>[] = [];
  for (let n = 0; n < maxTrials; n++) {
    const point: Record<string, unknown> = {};
    for (const [key, parameter] of entries) {
      if ('distribution' in parameter) point[key] = draw(key, parameter, rng);
      else {
        const values = valuesOf(key, parameter);
        point[key] = values[rng.int(values.length)];
      }
    }
    points.push(point);
  }
  return points;
}

/**
 * One draw: `uniform` min + (max - min) u; `log-uniform` exp(uniform(ln min, ln max)), so each
 * factor of ten between min and max is equally likely; `int-uniform` min + int(max - min + 1).
 * The continuous draws are clamped into [min, max) because exp(ln x) and min + (max - min) u can
 * land an ulp outside.
 */
function draw(key: string, parameter: DistributionParameter, rng: Rng): number {
  const { distribution, min, max } = parameter;
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    throw new Error(`sweep parameter ${key}: min and max must be finite numbers, got ${min} and ${max}`);
  }
  switch (distribution) {
    case 'uniform':
      checkOrder(key, min, max);
      return within(rng.uniform(min, max), min, max);
    case 'log-uniform':
      checkOrder(key, min, max);
      if (min <= 0) throw new Error(`sweep parameter ${key}: log-uniform needs min > 0, got ${min}`);
      return within(Math.exp(rng.uniform(Math.log(min), Math.log(max))), min, max);
    case 'int-uniform': {
      const span = max - min + 1;
      if (!Number.isInteger(min) || !Number.isInteger(max) || span < 1 || span > 0x100000000) {
        throw new Error(`sweep parameter ${key}: int-uniform needs integers min <= max less than 2^32 apart, got ${min} and ${max}`);
      }
      return min + rng.int(span);
    }
    default:
      throw new Error(`sweep parameter ${key}: unknown distribution ${String(distribution)}`);
  }
}

function checkOrder(key: string, min: number, max: number): void {
  if (!(min < max)) throw new Error(`sweep parameter ${key}: needs min < max, got ${min} and ${max}`);
}

/** `value` moved into [min, max): below min -> min, at or above max -> the double just below max. */
function within(value: number, min: number, max: number): number {
  if (value < min) return min;
  return value < max ? value : Math.max(min, nextDown(max));
}

/** The largest double below the finite `x` (its bit pattern, read as an integer, stepped by one). */
function nextDown(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  const float = new Float64Array([x]);
  const bits = new BigInt64Array(float.buffer);
  bits[0] = bits[0]! + (x > 0 ? -1n : 1n);
  return float[0]!;
}

/**
 * A short label for a parameter value in tables and summaries: non-integers to 4 significant
 * digits (0.01234, 1.235e-7), integers and strings as they are, lists and objects in YAML flow
 * style with their items labelled the same way (`[64, 32]`, `{type: xavier, gain: 1.414}`).
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') {
    return Number.isInteger(value) || !Number.isFinite(value) ? String(value) : String(Number(value.toPrecision(4)));
  }
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(describeValue).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([key, item]) => `${key}: ${describeValue(item)}`).join(', ')}}`;
  }
  return String(value);
}
