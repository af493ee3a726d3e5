import { checkEpochs, decide, type TrialProgress } from './early-termination.js';
import { recordEpoch, recordPruned, recordSummary, type SweepRecord, type TrialRecord } from './sweep-record.js';
import type { EarlyTermination, SweepMetric } from './sweep-spec.js';
import type { TrialEnd, TrialHandle, TrialListener } from './trial-process.js';

/** Where trials run: child processes here, or jobs on a queue that workers take. */
export interface TrialExecutor {
  /** Trials running at once (the local pool's size; a queue's coordinator may submit more). */
  readonly slots: number;
  /** Starts a trial; `resume` continues its run folder from its checkpoint. */
  start(trial: TrialRecord, resume: boolean, listener: TrialListener): TrialHandle;
  /** Releases connections once the sweep has ended. */
  close?(): Promise<void>;
}

export interface EngineOptions {
  readonly metric: SweepMetric;
  readonly rule?: EarlyTermination;
  readonly signal?: AbortSignal;
  /** After every change of the record (persist it, show progress). */
  readonly changed: () => void;
}

interface Live {
  readonly trial: TrialRecord;
  handle?: TrialHandle;
  /** Epochs at which the rule decides, known from the first epoch event; next undecided one. */
  checks: number[];
  next: number;
}

/**
 * Runs a sweep's unfinished trials in index order, at most `executor.slots` at once, recording
 * every epoch and deciding early termination. Decisions compare a trial only with lower-index
 * trials, and wait until those have settled at that epoch, so a sweep prunes the same trials
 * however fast each runs and wherever. Resolves when every trial has ended, or (after an abort)
 * when the running ones have stopped; those are left `interrupted` for --resume.
 */
export function runTrials(record: SweepRecord, executor: TrialExecutor, options: EngineOptions): Promise<'done' | 'interrupted'> {
  const lives = record.trials.map((trial): Live => {
    // A resumed sweep decides again from the start: the same curves give the same decisions.
    const checks = options.rule !== undefined && trial.plannedEpochs !== undefined ? checkEpochs(options.rule, trial.plannedEpochs) : [];
    return { trial, checks, next: trial.status === 'pruned' ? checks.length : 0 };
  });
  const queue = lives.filter((l) => l.trial.status === 'pending' || l.trial.status === 'running' || l.trial.status === 'interrupted');
  let running = 0;
  return new Promise((resolveRun) => {
    const finishIfIdle = (): void => {
      if (running > 0) return;
      if (options.signal?.aborted) return resolveRun('interrupted');
      if (queue.length === 0) {
        settle(lives, options);
        resolveRun('done');
      }
    };
    const startNext = (): void => {
      while (!options.signal?.aborted && running < executor.slots && queue.length > 0) {
        const live = queue.shift()!;
        // Pruned while it waited for a slot (a resumed sweep decides on the curves it kept).
        if (live.trial.status === 'pruned') continue;
        const resume = live.trial.status === 'running' || live.trial.status === 'interrupted';
        running++;
        live.trial.status = 'running';
        live.trial.attempts++;
        delete live.trial.error;
        live.handle = executor.start(live.trial, resume, listenerFor(live));
      }
      options.changed();
      finishIfIdle();
    };
    const listenerFor = (live: Live): TrialListener => ({
      epoch(event) {
        if (live.checks.length === 0 && options.rule !== undefined) live.checks = checkEpochs(options.rule, event.epochs);
        recordEpoch(live.trial, options.metric.name, event);
        settle(lives, options);
        options.changed();
      },
      restarted() {
        live.trial.attempts++;
        options.changed();
      },
      end(end) {
        running--;
        ended(live.trial, end);
        live.handle = undefined;
        settle(lives, options);
        startNext();
      },
    });
    options.signal?.addEventListener('abort', () => {
      for (const live of lives) live.handle?.stop();
      finishIfIdle();
    });
    startNext();
  });
}

function ended(trial: TrialRecord, end: TrialEnd): void {
  if (end.status === 'completed') recordSummary(trial, end.summary);
  if (trial.status === 'pruned') return;
  if (end.status === 'completed') trial.status = 'completed';
  else if (end.status === 'interrupted') trial.status = 'interrupted';
  else {
    trial.status = 'failed';
    trial.error = end.message;
  }
}

/** Makes every decision that can be made now, in index order (see runTrials). */
function settle(lives: readonly Live[], options: EngineOptions): void {
  const { rule } = options;
  if (rule === undefined) return;
  const progress = lives.map(progressOf);
  for (const live of lives) {
    const { trial } = live;
    while (live.next < live.checks.length && live.checks[live.next]! <= trial.curve.length) {
      const epoch = live.checks[live.next]!;
      const earlier = lives.slice(0, trial.index);
      if (earlier.some((other) => undecidedBy(other, epoch))) break;
      const decision = decide(rule, options.metric.goal, progress[trial.index]!, epoch, progress.slice(0, trial.index));
      if (decision === 'wait') break;
      if (decision === 'prune') {
        recordPruned(trial, epoch);
        progress[trial.index] = progressOf(live);
        live.next = live.checks.length;
        live.handle?.stop();
        break;
      }
      live.next++;
    }
  }
}

/** A trial that may still be pruned at or before `epoch`, changing what later trials compare with. */
function undecidedBy(live: Live, epoch: number): boolean {
  if (live.trial.status === 'pruned' || live.next >= live.checks.length) return false;
  const check = live.checks[live.next]!;
  const reachable = isEnded(live.trial) ? live.trial.curve.length : Number.POSITIVE_INFINITY;
  return check <= Math.min(epoch, reachable);
}

function isEnded(trial: TrialRecord): boolean {
  return trial.status === 'completed' || trial.status === 'pruned' || trial.status === 'failed';
}

function progressOf(live: Live): TrialProgress {
  return { index: live.trial.index, values: live.trial.curve, ended: isEnded(live.trial) };
}

