import type { AshaRule, EarlyTermination } from './sweep-spec.js';

/**
 * Deterministic early termination. A trial is compared only with trials of lower index that
 * reached the same epoch, never with whatever happens to have finished by now, so a sweep stops
 * the same trials at the same epochs on one core, on eight, or spread over machines. The price
 * is that a decision may have to wait until every earlier trial has reached that epoch or ended
 * before it. Trials start in index order, so the earliest running trial never waits and a sweep
 * cannot deadlock.
 *
 * `decide` sees values, not which checks are still open. A trial that runs on past an undecided
 * check must not be counted at its later epochs before that check is made: pause it at the
 * check, or after every report re-ask pending decisions in index order (each trial's as far as
 * they go), or hold back later trials' decisions past its open check. A pruned trial's values
 * are then cut back to the epoch it was pruned at.
 */

export interface TrialProgress {
  readonly index: number;
  /** Metric value after epoch e at values[e-1]; for a pruned trial, cut at the epoch it was pruned. */
  readonly values: readonly number[];
  /** true once the trial will report no more epochs (completed, pruned, failed, stopped early). */
  readonly ended: boolean;
}

/** `wait`: ask again once an earlier trial has reported another epoch or ended. */
export type Decision = 'continue' | 'prune' | 'wait';

export type Goal = 'maximize' | 'minimize';

/**
 * The epochs after which `decide` is asked, for a trial of `epochs` epochs. ASHA: its rungs
 * minEpochs * reductionFactor^k below `epochs`; median: every epoch from minEpochs to epochs - 1.
 * The last epoch is never checked: stopping a trial that has finished saves nothing.
 */
export function checkEpochs(rule: EarlyTermination, epochs: number): number[] {
  checkRule(rule);
  const result: number[] = [];
  if (rule.type === 'asha') {
    for (let rung = rule.minEpochs; rung < epochs; rung *= rule.reductionFactor) result.push(rung);
  } else {
    for (let epoch = rule.minEpochs; epoch < epochs; epoch++) result.push(epoch);
  }
  return result;
}

/**
 * Whether `trial` goes on after `epoch`, given every trial of lower index in `earlier` (trials of
 * other indices there are ignored). Values that are not finite (a diverged run) rank below every
 * finite value; a trial whose own value (ASHA) or best value so far (median) is not finite is
 * pruned at a check epoch without waiting, as Optuna prunes NaN.
 *
 * ASHA, as Optuna's SuccessiveHalvingPruner promotes: with n competitors at a rung (the earlier
 * trials that reached it and the trial itself) and k = floor(n / reductionFactor), the trial goes
 * on if its value is at least as good as the k-th best, or when k = 0 if it is the best (ties go
 * on). Median, as Optuna's MedianPruner: once at least minTrials earlier trials reached the epoch,
 * prune if the trial's best value over epochs 1..epoch is strictly worse than the median of their
 * values at that epoch.
 */
export function decide(rule: EarlyTermination, goal: Goal, trial: TrialProgress, epoch: number, earlier: readonly TrialProgress[]): Decision {
  checkRule(rule);
  if (!Number.isInteger(epoch) || epoch < 1 || trial.values.length < epoch) {
    throw new Error(`decide: trial ${trial.index} has ${trial.values.length} epochs, asked about epoch ${epoch}`);
  }
  if (rule.type === 'asha' ? !isRung(rule, epoch) : epoch < rule.minEpochs) return 'continue';

  const own =
    rule.type === 'asha' ? score(trial.values[epoch - 1]!, goal) : Math.max(...trial.values.slice(0, epoch).map((v) => score(v, goal)));
  if (own === -Infinity) return 'prune';

  const before = earlier.filter((other) => other.index < trial.index);
  if (before.some((other) => !other.ended && other.values.length < epoch)) return 'wait';
  const others = before.filter((other) => other.values.length >= epoch).map((other) => score(other.values[epoch - 1]!, goal));

  if (rule.type === 'asha') {
    const ranked = [...others, own].sort((a, b) => compare(b, a));
    const k = Math.floor(ranked.length / rule.reductionFactor);
    return own >= ranked[Math.max(k, 1) - 1]! ? 'continue' : 'prune';
  }
  if (others.length === 0 || others.length < rule.minTrials) return 'continue';
  return own < median(others) ? 'prune' : 'continue';
}

/**
 * One line for the sweep's summary, e.g. "ASHA: at epochs 1, 3, 9 keep the top 1/3" or "median:
 * from epoch 2, stop a trial worse than the median of earlier trials (after 3 of them)".
 */
export function describeRule(rule: EarlyTermination, epochs: number): string {
  const at = checkEpochs(rule, epochs);
  if (rule.type === 'asha') {
    if (at.length === 0) return `ASHA: no rung before the last epoch (${epochs}), so no trial is stopped`;
    return `ASHA: at epoch${at.length > 1 ? 's' : ''} ${at.join(', ')} keep the top 1/${rule.reductionFactor}`;
  }
  if (at.length === 0) return `median: no check before the last epoch (${epochs}), so no trial is stopped`;
  return `median: from epoch ${rule.minEpochs}, stop a trial worse than the median of earlier trials (after ${Math.max(1, rule.minTrials)} of them)`;
}

/**
 * Higher is better whatever the goal; not finite is -Infinity, below every real value (so two
 * diverged trials tie).
 */
function score(value: number, goal: Goal): number {
  if (!Number.isFinite(value)) return -Infinity;
  return goal === 'maximize' ? value : -value;
}

/** Median of scores: the middle one, or the mean of the middle two (-Infinity if either is). */
function median(scores: readonly number[]): number {
  const sorted = [...scores].sort(compare);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : sorted[middle - 1]! / 2 + sorted[middle]! / 2;
}

/** Ascending; unlike a - b it is 0, not NaN, for two -Infinity scores. */
function compare(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isRung(rule: AshaRule, epoch: number): boolean {
  let rung = rule.minEpochs;
  while (rung < epoch) rung *= rule.reductionFactor;
  return rung === epoch;
}

/**
 * Integer epochs and factors, as Optuna requires; the sweep schema rejects anything else first,
 * so a bad rule here is a caller's bug.
 */
function checkRule(rule: EarlyTermination): void {
  const positive = (n: number, least: number): boolean => Number.isInteger(n) && n >= least;
  const ok =
    rule.type === 'asha'
      ? positive(rule.minEpochs, 1) && positive(rule.reductionFactor, 2)
      : positive(rule.minEpochs, 1) && positive(rule.minTrials, 0);
  if (!ok) throw new Error(`early termination: invalid rule ${JSON.stringify(rule)}`);
}
