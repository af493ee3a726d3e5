// The figures of a sweep page: how a metric and a parameter value read, the ranking of trials,
// the best-so-far sequence and the per-value groups. Pure data in, data out; no HTML here.
import { formatPercent, formatSignificant } from './format.js';
import type { SweepReportData, SweepTrialSummary } from './sweep-report-data.js';

export type Goal = SweepReportData['metric']['goal'];

/** A trial whose metric figure is a finite number (not missing, not diverged). */
export type ValuedTrial = SweepTrialSummary & { readonly value: number };

/** Metrics named "...accuracy" are fractions and read as percentages. */
export function isPercentMetric(name: string): boolean {
  return /accuracy$/i.test(name);
}

/** A metric figure: "97.12%" for accuracies, "0.3142" for losses, "diverged" for NaN or infinity, "—" when missing. */
export function formatMetric(name: string, value: number | undefined): string {
  if (value === undefined) return '—';
  if (!Number.isFinite(value)) return 'diverged';
  return isPercentMetric(name) ? formatPercent(value, 2) : formatSignificant(value, 4);
}

/** A number as the user would write it (0.001, 128), or 4 significant digits when it is long (a random draw). */
export function describeNumber(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  const text = String(value);
  return Number.isInteger(value) || text.length <= 8 ? text : String(Number(value.toPrecision(4)));
}

/** A parameter value in a few characters: `{ type: 'xavier' }` -> "xavier", other objects as compact JSON. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'not set';
  if (typeof value === 'number') return describeNumber(value);
  if (typeof value === 'string') return value === '' ? '""' : value;
  if (typeof value === 'boolean' || value === null || typeof value === 'bigint') return String(value);
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    const type = (value as { type?: unknown }).type;
    if (!Array.isArray(value) && keys.length === 1 && typeof type === 'string') return type;
    return safeJson(value);
  }
  return String(value);
}

/** A key that tells values apart exactly (object keys sorted), for grouping and categories. */
export function valueKey(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return `n:${String(value)}`;
  return `j:${safeJson(value, true)}`;
}

function safeJson(value: unknown, sortKeys = false): string {
  try {
    return JSON.stringify(value, sortKeys ? sortedReplacer : undefined) ?? String(value);
  } catch {
    return String(value); // a cycle or a bigint inside: still say something
  }
}

function sortedReplacer(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(record).sort().map((key) => [key, record[key]]));
}

export function hasValue(trial: SweepTrialSummary): trial is ValuedTrial {
  return trial.value !== undefined && Number.isFinite(trial.value);
}

/** Whether `a` beats `b` for this goal (ties are not better). */
export function isBetter(goal: Goal, a: number, b: number): boolean {
  return goal === 'maximize' ? a > b : a < b;
}

/** Trials best first in the goal's direction; trials without a finite value last; ties by sweep order. */
export function rankTrials(trials: readonly SweepTrialSummary[], goal: Goal): SweepTrialSummary[] {
  const sign = goal === 'maximize' ? -1 : 1;
  return [...trials].sort((a, b) => {
    const va = hasValue(a);
    const vb = hasValue(b);
    if (va !== vb) return va ? -1 : 1;
    if (va && vb && a.value !== b.value) return sign * (a.value - b.value);
    return a.index - b.index;
  });
}

/** Competition ranks ("1, 2, 2, 4") for ranked trials; undefined for trials without a value. */
export function ranks(ranked: readonly SweepTrialSummary[]): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  ranked.forEach((trial, i) => {
    if (!hasValue(trial)) out.push(undefined);
    else if (i > 0 && ranked[i - 1]!.value === trial.value) out.push(out[i - 1]);
    else out.push(i + 1);
  });
  return out;
}

/** The best trial: first of the ranking, if any trial has a finite value. */
export function bestTrial(trials: readonly SweepTrialSummary[], goal: Goal): ValuedTrial | undefined {
  const first = rankTrials(trials, goal)[0];
  return first !== undefined && hasValue(first) ? first : undefined;
}

/** For each trial in sweep order, its number (index + 1) and the best value among the trials up to it (undefined until one has a value). */
export function bestSoFar(trials: readonly SweepTrialSummary[], goal: Goal): { readonly trial: number; readonly best: number | undefined }[] {
  let best: number | undefined;
  return [...trials]
    .sort((a, b) => a.index - b.index)
    .map((trial) => {
      if (hasValue(trial) && (best === undefined || isBetter(goal, trial.value, best))) best = trial.value;
      return { trial: trial.index + 1, best };
    });
}

/** The trials sharing one value of a parameter, and their figures. */
export interface ValueGroup {
  readonly key: string;
  readonly label: string;
  readonly value: unknown;
  readonly trials: readonly SweepTrialSummary[];
  /** Per epoch (epoch e at [e - 1]): the mean of the finite values of the trials that reached it; NaN where none did. */
  readonly meanCurve: readonly number[];
  /** The mean over the group's trials of their last epoch's value (finite ones only). */
  readonly meanFinal: number | undefined;
  /** The best finite trial value in the group. */
  readonly best: number | undefined;
}

/** The distinct values of `path` in sweep order (numbers ascending), each with its trials and figures. */
export function groupByValue(trials: readonly SweepTrialSummary[], path: string, goal: Goal): ValueGroup[] {
  const groups = new Map<string, { value: unknown; trials: SweepTrialSummary[] }>();
  for (const trial of [...trials].sort((a, b) => a.index - b.index)) {
    const value = trial.parameters[path];
    const key = valueKey(value);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { value, trials: [trial] });
    else group.trials.push(trial);
  }
  const entries = [...groups.entries()];
  if (entries.every(([, g]) => typeof g.value === 'number' && Number.isFinite(g.value))) {
    entries.sort(([, a], [, b]) => (a.value as number) - (b.value as number));
  }
  return entries.map(([key, group]) => {
    const finals = group.trials.map((t) => t.curve.at(-1)).filter((v): v is number => v !== undefined && Number.isFinite(v));
    const values = group.trials.filter(hasValue).map((t) => t.value);
    const best = values.reduce<number | undefined>((b, v) => (b === undefined || isBetter(goal, v, b) ? v : b), undefined);
    return {
      key,
      label: describeValue(group.value),
      value: group.value,
      trials: group.trials,
      meanCurve: meanCurve(group.trials.map((t) => t.curve)),
      meanFinal: mean(finals),
      best,
    };
  });
}

/** Epoch-wise mean over the curves that reached each epoch, finite values only; NaN where there are none. */
export function meanCurve(curves: readonly (readonly number[])[]): number[] {
  const length = Math.max(0, ...curves.map((c) => c.length));
  return Array.from({ length }, (_, e) => mean(curves.map((c) => c[e]).filter((v): v is number => v !== undefined && Number.isFinite(v))) ?? Number.NaN);
}

function mean(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((a, v) => a + v, 0) / values.length;
}
