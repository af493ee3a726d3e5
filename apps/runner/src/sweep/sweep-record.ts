import type { SplitMetrics } from '@scratchnet/report';
import type { EpochEvent, SummaryEvent } from '../output/events.js';
import type { MetricName, SweepMetric, SweepSpec, TrialPlan } from './sweep-spec.js';

export type TrialStatus = 'pending' | 'running' | 'completed' | 'pruned' | 'failed' | 'interrupted';

/** One trial in sweep.json. */
export interface TrialRecord {
  readonly id: string;
  readonly index: number;
  readonly parameters: Readonly<Record<string, unknown>>;
  status: TrialStatus;
  /** The metric after each epoch; a pruned trial's is cut at the epoch it was pruned. */
  curve: number[];
  /** training.epochs of the trial's run, known from its first epoch. */
  plannedEpochs?: number;
  /** Epochs the trial's run trained (may pass prunedAt: it trains on while a decision waits). */
  epochs: number;
  prunedAt?: number;
  /** The trial's figure: the metric at its last epoch (at restoreBest's epoch, at prunedAt). */
  value?: number;
  test?: SplitMetrics;
  seconds?: number;
  error?: string;
  /** Times the trial was started (a restart after a worker died counts). */
  attempts: number;
  /** Relative to the sweep folder. */
  readonly runDir: string;
}

/** sweep.json: everything a report, `--resume` or a reader needs. */
export interface SweepRecord {
  readonly format: 'scratchnet-sweep';
  readonly formatVersion: 1;
  readonly name: string;
  /** Unique: names the sweep's jobs on a queue shared by many sweeps. */
  readonly id: string;
  /** The sweep file as given, and a copy of it beside this file (sweep.yaml). */
  readonly sweepFile: string;
  readonly baseFile: string;
  readonly createdAt: string;
  readonly method: SweepSpec['method'];
  readonly metric: SweepMetric;
  readonly earlyTermination?: string;
  readonly trials: TrialRecord[];
}

export function newTrialRecord(plan: TrialPlan): TrialRecord {
  return { id: plan.id, index: plan.index, parameters: plan.parameters, status: 'pending', curve: [], epochs: 0, attempts: 0, runDir: `trials/${plan.id}` };
}

/** The metric's value in an epoch's figures (NaN when the split is missing: a run that diverged). */
export function metricOf(name: MetricName, figures: { readonly train: SplitMetrics; readonly validation?: SplitMetrics }): number {
  const [split, key] = name.split('.') as ['train' | 'validation', 'accuracy' | 'loss'];
  const metrics = figures[split];
  return metrics === undefined ? Number.NaN : metrics[key];
}

/** Records an epoch; a restarted or resumed trial reports some epochs again, which replace the old. */
export function recordEpoch(trial: TrialRecord, metric: MetricName, event: EpochEvent): void {
  if (trial.prunedAt !== undefined) {
    trial.plannedEpochs = event.epochs;
    trial.epochs = Math.max(trial.epochs, event.epoch);
    return;
  }
  trial.plannedEpochs = event.epochs;
  trial.curve.length = Math.min(trial.curve.length, event.epoch - 1);
  trial.curve[event.epoch - 1] = metricOf(metric, event);
  trial.epochs = event.epoch;
  trial.value = trial.curve[event.epoch - 1];
}

export function recordSummary(trial: TrialRecord, summary: SummaryEvent): void {
  trial.seconds = summary.seconds;
  if (summary.test !== undefined) trial.test = summary.test;
  if (trial.prunedAt === undefined && summary.bestEpoch !== undefined) trial.value = trial.curve[summary.bestEpoch - 1];
}

export function recordPruned(trial: TrialRecord, epoch: number): void {
  trial.prunedAt = epoch;
  delete trial.error;
  trial.curve = trial.curve.slice(0, epoch);
  trial.value = trial.curve[epoch - 1];
  trial.status = 'pruned';
}

/** Better in the metric's direction; NaN (a diverged trial) is never better. */
export function better(goal: SweepMetric['goal'], a: number, b: number | undefined): boolean {
  if (!Number.isFinite(a)) return false;
  if (b === undefined || !Number.isFinite(b)) return true;
  return goal === 'maximize' ? a > b : a < b;
}

/** The best trial with a value so far (lowest index on ties). */
export function bestTrial(record: Pick<SweepRecord, 'metric' | 'trials'>): TrialRecord | undefined {
  let best: TrialRecord | undefined;
  for (const trial of record.trials) {
    if (trial.value !== undefined && better(record.metric.goal, trial.value, best?.value)) best = trial;
  }
  return best;
}

/** `97.12%` for accuracies, 4 significant digits for losses. */
export function formatMetric(name: MetricName, value: number | undefined): string {
  if (value === undefined) return '-';
  if (!Number.isFinite(value)) return 'diverged';
  return name.endsWith('accuracy') ? `${(value * 100).toFixed(2)}%` : value.toPrecision(4);
}

/** trials.csv: one row per trial, parameters as columns (JSON for objects), RFC 4180 quoting. */
export function trialsCsv(record: SweepRecord, parameters: readonly string[]): string {
  const header = ['id', 'status', ...parameters, record.metric.name, 'epochs', 'pruned_at', 'test_accuracy', 'test_loss', 'seconds', 'error'];
  const rows = record.trials.map((t) => [
    t.id,
    t.status,
    ...parameters.map((p) => (typeof t.parameters[p] === 'object' ? JSON.stringify(t.parameters[p]) : String(t.parameters[p]))),
    t.value === undefined ? '' : String(t.value),
    String(t.epochs),
    t.prunedAt === undefined ? '' : String(t.prunedAt),
    t.test === undefined ? '' : String(t.test.accuracy),
    t.test === undefined ? '' : String(t.test.loss),
    t.seconds === undefined ? '' : t.seconds.toFixed(2),
    t.error ?? '',
  ]);
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
