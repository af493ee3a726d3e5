import { formatSeconds } from '../output/format.js';
import { bestTrial, formatMetric, type SweepRecord, type TrialRecord } from './sweep-record.js';

export interface SweepCounts {
  readonly total: number;
  readonly done: number;
  readonly running: number;
  readonly pruned: number;
  readonly failed: number;
}

export function countTrials(trials: readonly TrialRecord[]): SweepCounts {
  const count = (status: TrialRecord['status']): number => trials.filter((t) => t.status === status).length;
  return {
    total: trials.length,
    done: count('completed') + count('pruned') + count('failed'),
    running: count('running'),
    pruned: count('pruned'),
    failed: count('failed'),
  };
}

/**
 * `sweep 3/24 done (2 running, 1 pruned) · best 97.12% t002 · about 1m20s left`. The estimate
 * is the seconds finished trials took on average, for the trials left, shared by the slots.
 */
export function progressLine(record: SweepRecord, slots: number): string {
  const counts = countTrials(record.trials);
  const extra = [`${counts.running} running`, ...(counts.pruned > 0 ? [`${counts.pruned} pruned`] : []), ...(counts.failed > 0 ? [`${counts.failed} failed`] : [])];
  const parts = [`sweep ${counts.done}/${counts.total} done (${extra.join(', ')})`];
  // Among finished trials: a running trial's figure still moves with every epoch.
  const best = bestTrial({ metric: record.metric, trials: record.trials.filter((t) => t.status === 'completed' || t.status === 'pruned') });
  if (best !== undefined) parts.push(`best ${record.metric.name} ${formatMetric(record.metric.name, best.value)} ${best.id}`);
  const timed = record.trials.filter((t) => t.status === 'completed' && t.seconds !== undefined);
  const left = counts.total - counts.done;
  if (timed.length > 0 && left > 0) {
    const mean = timed.reduce((sum, t) => sum + t.seconds!, 0) / timed.length;
    parts.push(`about ${formatSeconds((mean * left) / Math.max(1, Math.min(slots, left)))} left`);
  }
  return parts.join(' · ');
}

/** One line per trial that ended: `t003 pruned at epoch 1: validation.accuracy 91.20% (lr=0.01, ...)`. */
export function trialLine(record: SweepRecord, trial: TrialRecord): string {
  const values = Object.entries(trial.parameters)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(', ');
  const how = trial.status === 'pruned' ? `pruned at epoch ${trial.prunedAt}` : trial.status === 'failed' ? `failed (${trial.error ?? 'no message'})` : trial.status;
  return `${trial.id} ${how}: ${record.metric.name} ${formatMetric(record.metric.name, trial.value)} (${values})`;
}
