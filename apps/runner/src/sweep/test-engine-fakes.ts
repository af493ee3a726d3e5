// Test-only: a fake pool of trials for the sweep engine's tests (excluded from the build).
import { expect } from 'vitest';
import { createRng, type Rng } from '@scratchnet/tensor';
import type { EpochEvent, SummaryEvent } from '../output/events.js';
import { runTrials, type EngineOptions, type TrialExecutor } from './sweep-engine.js';
import { newTrialRecord, type SweepRecord, type TrialRecord } from './sweep-record.js';
import type { AshaRule, EarlyTermination, MedianRule, SweepMetric } from './sweep-spec.js';
import type { TrialEnd, TrialHandle, TrialListener } from './trial-process.js';

export const accuracy: SweepMetric = { name: 'validation.accuracy', goal: 'maximize' };
export const loss: SweepMetric = { name: 'validation.loss', goal: 'minimize' };
export const asha: AshaRule = { type: 'asha', minEpochs: 1, reductionFactor: 3 };
export const median: MedianRule = { type: 'median', minEpochs: 1, minTrials: 2 };

/** What a fake trial's run does: report these metric values one epoch at a time, then end. */
export interface Script {
  /** The metric after each epoch the run reports. */
  readonly curve: readonly number[];
  /** training.epochs: the curve's length unless the run fails part way. */
  readonly epochs: number;
  /** After its curve the run fails like this instead of completing. */
  readonly fail?: { readonly exitCode: number | null; readonly message: string };
}

export const scriptsOf = (curves: readonly (readonly number[])[]): Script[] => curves.map((curve) => ({ curve, epochs: curve.length }));

/** An epoch whose validation accuracy and loss are both `value` (the sweeps here use one of them). */
export const epochEvent = (epoch: number, epochs: number, value: number): EpochEvent => ({
  event: 'epoch',
  epoch,
  epochs,
  train: { loss: 1, accuracy: 0 },
  validation: { loss: value, accuracy: value },
  learningRate: 0.1,
  samplesPerSecond: 1,
  seconds: 1,
});

export const summaryOf = (index: number, epochs: number): SummaryEvent => ({
  event: 'summary',
  runDir: `trials/t${index}`,
  epochs,
  train: { loss: 1, accuracy: 0 },
  samplesPerSecond: 1,
  seconds: index + 1,
});

export interface Run {
  readonly index: number;
  readonly listener: TrialListener;
  /** Epochs reported (resumed runs go on from their checkpoint). */
  delivered: number;
  /** Set by stop(): the run ends as interrupted once it has reported this many epochs. */
  stopAfter?: number;
}

/**
 * A pool of fake trial runs. Each `step()` lets one running trial, picked by `rng` (absent: the
 * oldest running), do one thing: end as interrupted if stopped, else report its next epoch,
 * else end as its script says. `checkpoints` (epochs each trial's run got through, as its run
 * folder would hold) outlives the pool, so a later sweep can resume from it.
 */
export class FakeCluster implements TrialExecutor {
  readonly starts: { readonly index: number; readonly resume: boolean }[] = [];
  readonly stopped = new Set<number>();
  readonly runs: Run[] = [];
  maxRunning = 0;
  /** stop() on a handle whose run had already ended. */
  lateStops = 0;

  constructor(
    readonly slots: number,
    private readonly scripts: readonly Script[],
    private readonly rng?: Rng,
    readonly checkpoints = new Map<number, number>(),
    /** Epochs a stopped run may still report (0..stopLag, drawn): it stops at its next batch. */
    private readonly stopLag = 0,
  ) {}

  start(trial: TrialRecord, resume: boolean, listener: TrialListener): TrialHandle {
    if (this.runs.some((r) => r.index === trial.index)) throw new Error(`trial ${trial.index} started twice`);
    const run: Run = { index: trial.index, listener, delivered: resume ? (this.checkpoints.get(trial.index) ?? 0) : 0 };
    this.starts.push({ index: trial.index, resume });
    this.runs.push(run);
    this.maxRunning = Math.max(this.maxRunning, this.runs.length);
    return {
      stop: () => {
        this.stopped.add(trial.index);
        if (!this.runs.includes(run)) this.lateStops++;
        const lag = this.stopLag > 0 && this.rng !== undefined ? this.rng.int(this.stopLag + 1) : 0;
        run.stopAfter ??= run.delivered + lag;
      },
    };
  }

  running(): number[] {
    return this.runs.map((r) => r.index);
  }

  /** One step of one running trial; false when none is running. */
  step(): boolean {
    if (this.runs.length === 0) return false;
    const at = this.rng === undefined ? 0 : this.rng.int(this.runs.length);
    const run = this.runs[at]!;
    const script = this.scripts[run.index]!;
    if (run.stopAfter !== undefined && run.delivered >= run.stopAfter) return this.end(at, { status: 'interrupted' });
    if (run.delivered < script.curve.length) {
      run.delivered++;
      this.checkpoints.set(run.index, run.delivered);
      run.listener.epoch(epochEvent(run.delivered, script.epochs, script.curve[run.delivered - 1]!));
      return true;
    }
    if (script.fail !== undefined) return this.end(at, { status: 'failed', ...script.fail });
    return this.end(at, { status: 'completed', summary: summaryOf(run.index, script.epochs) });
  }

  private end(at: number, end: TrialEnd): true {
    const [run] = this.runs.splice(at, 1);
    run!.listener.end(end);
    return true;
  }
}

export const MAX_STEPS = 20_000;

/**
 * Runs the sweep on the cluster, one step at a time with a microtask between steps, until
 * runTrials resolves; `beforeStep` may abort it. Throws after MAX_STEPS.
 */
export async function drive(
  record: SweepRecord,
  cluster: FakeCluster,
  options: Omit<EngineOptions, 'changed'>,
  beforeStep?: (step: number) => void,
): Promise<{ outcome: 'done' | 'interrupted'; changes: number; steps: number }> {
  let changes = 0;
  let outcome: 'done' | 'interrupted' | undefined;
  let failure: unknown;
  runTrials(record, cluster, { ...options, changed: () => void changes++ }).then(
    (value) => (outcome = value),
    (error: unknown) => (failure = error ?? new Error('runTrials rejected')),
  );
  for (let step = 0; ; step++) {
    if (failure !== undefined) throw failure;
    if (outcome !== undefined) {
      expect(cluster.runs, 'runTrials resolved while trials still ran').toEqual([]);
      return { outcome, changes, steps: step };
    }
    if (step > MAX_STEPS) throw new Error(`the sweep did not end in ${MAX_STEPS} steps (running: ${cluster.running().join(', ') || 'none'})`);
    beforeStep?.(step);
    cluster.step();
    await Promise.resolve();
  }
}

export const sweepOf = (count: number, metric: SweepMetric = accuracy): SweepRecord => ({
  format: 'scratchnet-sweep',
  formatVersion: 1,
  name: 'fake',
  id: 'fake-1',
  sweepFile: 'sweep.yaml',
  baseFile: 'experiment.yaml',
  createdAt: '2025-01-01T00:00:00.000Z',
  method: 'grid',
  metric,
  trials: Array.from({ length: count }, (_, index) => newTrialRecord({ id: `t${String(index + 1).padStart(3, '0')}`, index, parameters: { index } })),
});

/** What must not depend on the schedule. */
export const outcomeOf = (record: SweepRecord) =>
  record.trials.map((t) => ({ id: t.id, status: t.status, prunedAt: t.prunedAt, curve: t.curve, value: t.value }));

/** `pruned@3`, `completed`, ... per trial: short enough to read in a failure. */
export const shortOutcome = (record: SweepRecord): string[] => record.trials.map((t) => (t.status === 'pruned' ? `pruned@${t.prunedAt}` : t.status));

/** The sweep run with one slot, trials strictly one after another. */
export async function sequential(scripts: readonly Script[], rule: EarlyTermination | undefined, metric: SweepMetric = accuracy): Promise<SweepRecord> {
  return (await sequentialRun(scripts, rule, metric)).record;
}

export async function sequentialRun(scripts: readonly Script[], rule: EarlyTermination | undefined, metric: SweepMetric = accuracy) {
  const record = sweepOf(scripts.length, metric);
  const { outcome, steps } = await drive(record, new FakeCluster(1, scripts), { metric, ...(rule ? { rule } : {}) });
  expect(outcome).toBe('done');
  return { record, steps };
}

/**
 * Learning curves of four kinds, values rounded to 2 decimals so that ties happen: rising to a
 * ceiling, good early and bad late, bad early and good late, flat. The last trial copies the
 * first (an exact tie all the way); with `diverge`, one trial turns NaN after epoch 3.
 */
export function syntheticCurves(seed: number, trials: number, epochs: number, diverge = false): number[][] {
  const rng = createRng(seed);
  const round = (v: number): number => Math.round(v * 100) / 100;
  const curves = Array.from({ length: trials }, (_, i) => {
    const ceiling = rng.uniform(0.5, 0.95);
    const kind = rng.int(4);
    const peak = 1 + rng.int(Math.ceil(epochs / 2));
    const speed = rng.uniform(0.2, 1.5);
    return Array.from({ length: epochs }, (_, e) => {
      const x = e + 1;
      const shape =
        kind === 0
          ? ceiling * (1 - Math.exp(-speed * x))
          : kind === 1
            ? x <= peak
              ? ceiling * (x / peak)
              : ceiling * Math.max(0.2, 1 - (0.6 * (x - peak)) / epochs)
            : kind === 2
              ? ceiling / (1 + Math.exp(-(x - epochs * 0.6) * speed * 2))
              : ceiling * 0.7;
      return i === 5 && diverge && x > 3 ? NaN : round(shape + rng.normal(0, 0.02));
    });
  });
  curves[trials - 1] = [...curves[0]!];
  return curves;
}

/** The nine-trial ASHA example of early-termination.test.ts, worked by hand there. */
export function ashaNine(): { scripts: Script[]; expected: string[] } {
  const first = [5, 3, 8, 1, 9, 2, 7, 4, 6];
  const third: Record<number, number> = { 0: 6, 2: 9, 4: 7 };
  const curves = first.map((v, i) => {
    const at: Record<number, number> = { 1: v, 3: third[i] ?? 0, 9: i };
    return Array.from({ length: 10 }, (_, e) => at[e + 1] ?? 0);
  });
  const expected = ['completed', 'pruned@1', 'completed', 'pruned@1', 'pruned@3', 'pruned@1', 'pruned@1', 'pruned@1', 'pruned@1'];
  return { scripts: scriptsOf(curves), expected };
}

/**
 * Median, minTrials 2, four epochs (checks after 1, 2, 3). Trial 2 is below the median of
 * trials 0 and 1 (0.45) at epoch 1; trial 3's best by epoch 2 (0.45) is below their median at
 * epoch 2 (0.55), though its early value beat the median of three at epoch 1 (0.4).
 */
export function medianFive(): { scripts: Script[]; expected: string[] } {
  const curves = [
    [0.5, 0.6, 0.7, 0.8],
    [0.4, 0.5, 0.6, 0.7],
    [0.1, 0.2, 0.3, 0.4],
    [0.45, 0.1, 0.9, 0.9],
    [0.9, 0.9, 0.9, 0.9],
  ];
  return { scripts: scriptsOf(curves), expected: ['completed', 'completed', 'pruned@1', 'pruned@2', 'completed'] };
}


export class ManualExecutor implements TrialExecutor {
  readonly runs: { readonly trial: TrialRecord; readonly resume: boolean; readonly listener: TrialListener; stops: number }[] = [];
  constructor(readonly slots: number) {}
  start(trial: TrialRecord, resume: boolean, listener: TrialListener): TrialHandle {
    const run = { trial, resume, listener, stops: 0 };
    this.runs.push(run);
    return { stop: () => void run.stops++ };
  }
  /** The latest run of trial `index`. */
  run(index: number) {
    const run = [...this.runs].reverse().find((r) => r.trial.index === index);
    if (run === undefined) throw new Error(`trial ${index} was not started`);
    return run;
  }
  /** Reports epochs `from`.. of trial `index` with these values. */
  epochs(index: number, epochs: number, values: readonly number[], from = 1): void {
    values.forEach((value, i) => this.run(index).listener.epoch(epochEvent(from + i, epochs, value)));
  }
  complete(index: number, epochs: number): void {
    this.run(index).listener.end({ status: 'completed', summary: summaryOf(index, epochs) });
  }
}

/** runTrials' promise, and whether it has settled yet. */
export function started(record: SweepRecord, executor: TrialExecutor, options: Omit<EngineOptions, 'changed'>) {
  const state: { outcome?: 'done' | 'interrupted'; changes: number } = { changes: 0 };
  const promise = runTrials(record, executor, { ...options, changed: () => void state.changes++ }).then((outcome) => (state.outcome = outcome));
  return { state, promise };
}

export const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};
