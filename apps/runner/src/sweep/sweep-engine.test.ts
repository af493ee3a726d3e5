import { createRng, type Rng } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import type { EpochEvent, SummaryEvent } from '../output/events.js';
import { runTrials, type EngineOptions, type TrialExecutor } from './sweep-engine.js';
import { newTrialRecord, type SweepRecord, type TrialRecord, type TrialStatus } from './sweep-record.js';
import type { AshaRule, EarlyTermination, MedianRule, SweepMetric } from './sweep-spec.js';
import type { TrialEnd, TrialHandle, TrialListener } from './trial-process.js';

const accuracy: SweepMetric = { name: 'validation.accuracy', goal: 'maximize' };
const loss: SweepMetric = { name: 'validation.loss', goal: 'minimize' };
const asha: AshaRule = { type: 'asha', minEpochs: 1, reductionFactor: 3 };
const median: MedianRule = { type: 'median', minEpochs: 1, minTrials: 2 };

/** What a fake trial's run does: report these metric values one epoch at a time, then end. */
interface Script {
  /** The metric after each epoch the run reports. */
  readonly curve: readonly number[];
  /** training.epochs: the curve's length unless the run fails part way. */
  readonly epochs: number;
  /** After its curve the run fails like this instead of completing. */
  readonly fail?: { readonly exitCode: number | null; readonly message: string };
}

const scriptsOf = (curves: readonly (readonly number[])[]): Script[] => curves.map((curve) => ({ curve, epochs: curve.length }));

/** An epoch whose validation accuracy and loss are both `value` (the sweeps here use one of them). */
const epochEvent = (epoch: number, epochs: number, value: number): EpochEvent => ({
  event: 'epoch',
  epoch,
  epochs,
  train: { loss: 1, accuracy: 0 },
  validation: { loss: value, accuracy: value },
  learningRate: 0.1,
  samplesPerSecond: 1,
  seconds: 1,
});

const summaryOf = (index: number, epochs: number): SummaryEvent => ({
  event: 'summary',
  runDir: `trials/t${index}`,
  epochs,
  train: { loss: 1, accuracy: 0 },
  samplesPerSecond: 1,
  seconds: index + 1,
});

interface Run {
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
class FakeCluster implements TrialExecutor {
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

const MAX_STEPS = 20_000;

/**
 * Runs the sweep on the cluster, one step at a time with a microtask between steps, until
 * runTrials resolves; `beforeStep` may abort it. Throws after MAX_STEPS.
 */
async function drive(
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

const sweepOf = (count: number, metric: SweepMetric = accuracy): SweepRecord => ({
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
const outcomeOf = (record: SweepRecord) =>
  record.trials.map((t) => ({ id: t.id, status: t.status, prunedAt: t.prunedAt, curve: t.curve, value: t.value }));

/** `pruned@3`, `completed`, ... per trial: short enough to read in a failure. */
const shortOutcome = (record: SweepRecord): string[] => record.trials.map((t) => (t.status === 'pruned' ? `pruned@${t.prunedAt}` : t.status));

/** The sweep run with one slot, trials strictly one after another. */
async function sequential(scripts: readonly Script[], rule: EarlyTermination | undefined, metric: SweepMetric = accuracy): Promise<SweepRecord> {
  return (await sequentialRun(scripts, rule, metric)).record;
}

async function sequentialRun(scripts: readonly Script[], rule: EarlyTermination | undefined, metric: SweepMetric = accuracy) {
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
function syntheticCurves(seed: number, trials: number, epochs: number, diverge = false): number[][] {
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
function ashaNine(): { scripts: Script[]; expected: string[] } {
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
function medianFive(): { scripts: Script[]; expected: string[] } {
  const curves = [
    [0.5, 0.6, 0.7, 0.8],
    [0.4, 0.5, 0.6, 0.7],
    [0.1, 0.2, 0.3, 0.4],
    [0.45, 0.1, 0.9, 0.9],
    [0.9, 0.9, 0.9, 0.9],
  ];
  return { scripts: scriptsOf(curves), expected: ['completed', 'completed', 'pruned@1', 'pruned@2', 'completed'] };
}

describe('runTrials without early termination', () => {
  it('completes every trial with its own curve, at most `slots` at once, starting them in index order', async () => {
    const curves = syntheticCurves(7, 10, 6);
    const scripts = scriptsOf(curves);
    for (const slots of [1, 2, 3, 5, 10]) {
      for (let run = 0; run < 5; run++) {
        const record = sweepOf(scripts.length);
        const cluster = new FakeCluster(slots, scripts, createRng(slots * 100 + run));
        const { outcome, changes } = await drive(record, cluster, { metric: accuracy });
        expect(outcome).toBe('done');
        expect(cluster.maxRunning).toBe(slots);
        expect(cluster.starts).toEqual(curves.map((_, index) => ({ index, resume: false })));
        expect(cluster.stopped.size).toBe(0);
        // Once per start round and once per epoch at least.
        expect(changes).toBeGreaterThanOrEqual(curves.length * 6);
        record.trials.forEach((trial, i) => {
          expect(trial).toMatchObject({ status: 'completed', curve: curves[i], attempts: 1, epochs: 6, plannedEpochs: 6, value: curves[i]![5], seconds: i + 1 });
          expect(trial).not.toHaveProperty('prunedAt');
          expect(trial).not.toHaveProperty('error');
        });
      }
    }
  });

  it('records the metric the sweep names', async () => {
    const curves = [
      [0.9, 0.5, 0.3],
      [0.8, 0.6, 0.1],
    ];
    const record = sweepOf(2, loss);
    await drive(record, new FakeCluster(2, scriptsOf(curves), createRng(1)), { metric: loss });
    expect(record.trials.map((t) => t.curve)).toEqual(curves);
    expect(record.trials.map((t) => t.value)).toEqual([0.3, 0.1]);
  });

  it('resolves at once when no trial is left to run', async () => {
    const record = sweepOf(2);
    for (const trial of record.trials) trial.status = 'completed';
    const cluster = new FakeCluster(2, scriptsOf([[1], [1]]));
    const { outcome, steps } = await drive(record, cluster, { metric: accuracy });
    expect(outcome).toBe('done');
    expect(steps).toBeLessThanOrEqual(1);
    expect(cluster.starts).toEqual([]);
  });
});

describe('runTrials with early termination: the same trials stop at the same epochs under any schedule', () => {
  const rules: [string, EarlyTermination][] = [
    ['ASHA 1/3 from epoch 1', asha],
    ['median of 2 from epoch 1', median],
  ];

  it('matches the hand-worked examples, sequentially and in parallel', async () => {
    for (const [{ scripts, expected }, rule] of [
      [ashaNine(), asha],
      [medianFive(), median],
    ] as const) {
      expect(shortOutcome(await sequential(scripts, rule))).toEqual(expected);
      for (let run = 0; run < 20; run++) {
        const record = sweepOf(scripts.length);
        await drive(record, new FakeCluster(1 + (run % scripts.length), scripts, createRng(run)), { metric: accuracy, rule });
        expect(shortOutcome(record), `run ${run}`).toEqual(expected);
      }
    }
  });

  for (const [name, rule] of rules) {
    for (const metric of [accuracy, loss]) {
      it(`${name}, ${metric.goal}: slots 1, 2, 3, 5 and unlimited, 20 interleavings each`, async () => {
        let ranAhead = 0;
        let laterRungs = 0;
        for (const [seed, trials, diverge] of [
          [1, 9, false],
          [2, 11, true],
          [3, 12, false],
        ] as const) {
          const curves = syntheticCurves(seed, trials, 10, diverge);
          const scripts = scriptsOf(curves);
          const reference = await sequential(scripts, rule, metric);
          const expected = outcomeOf(reference);
          const statuses = expected.map((t) => t.status);
          // The curves make the rule do something: stop some trials, not all.
          expect(statuses).toContain('pruned');
          expect(statuses).toContain('completed');
          if (expected.some((t) => (t.prunedAt ?? 0) > 1)) laterRungs++;
          for (const trial of reference.trials) {
            if (trial.prunedAt === undefined) {
              expect(trial.curve).toEqual(curves[trial.index]);
              continue;
            }
            expect(trial.curve).toEqual(curves[trial.index]!.slice(0, trial.prunedAt));
            expect(trial.value).toEqual(curves[trial.index]![trial.prunedAt - 1]);
          }
          for (const slots of [1, 2, 3, 5, Number.POSITIVE_INFINITY]) {
            for (let run = 0; run < 20; run++) {
              const rng = createRng(seed * 10_000 + Math.min(slots, 99) * 100 + run);
              const record = sweepOf(trials, metric);
              const cluster = new FakeCluster(slots, scripts, rng, new Map(), run % 2);
              const { outcome } = await drive(record, cluster, { metric, rule });
              const label = `curves ${seed}, slots ${slots}, run ${run}`;
              expect(outcome).toBe('done');
              expect(shortOutcome(record), label).toEqual(shortOutcome(reference));
              expect(outcomeOf(record), label).toEqual(expected);
              expect(cluster.maxRunning).toBeLessThanOrEqual(slots);
              expect(cluster.starts.map((s) => s.index)).toEqual([...Array(trials).keys()]);
              expect(cluster.lateStops).toBe(0);
              for (const trial of record.trials) {
                expect(trial.attempts).toBe(1);
                if (trial.prunedAt !== undefined) {
                  expect(cluster.stopped.has(trial.index) || trial.epochs === trial.plannedEpochs).toBe(true);
                  if (trial.epochs > trial.prunedAt) ranAhead++;
                }
              }
            }
          }
        }
        // The schedules raced: trials ran on past a check whose decision waited for an earlier one.
        expect(ranAhead).toBeGreaterThan(0);
        expect(laterRungs).toBeGreaterThan(0);
      });
    }
  }
});

/** Trials driven by hand: the test calls each one's listener. */
class ManualExecutor implements TrialExecutor {
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
function started(record: SweepRecord, executor: TrialExecutor, options: Omit<EngineOptions, 'changed'>) {
  const state: { outcome?: 'done' | 'interrupted'; changes: number } = { changes: 0 };
  const promise = runTrials(record, executor, { ...options, changed: () => void state.changes++ }).then((outcome) => (state.outcome = outcome));
  return { state, promise };
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('runTrials: a trial that fails', () => {
  it('is failed with its message, and later decisions do not wait for the epochs it never reaches', async () => {
    // ASHA 1/3 over 10 epochs: rungs 1, 3, 9. Two slots.
    const executor = new ManualExecutor(2);
    const record = sweepOf(4);
    const { state } = started(record, executor, { metric: accuracy, rule: asha });
    expect(executor.runs.map((r) => r.trial.index)).toEqual([0, 1]);
    executor.epochs(1, 10, [0.6, 0.6]);
    executor.run(1).listener.end({ status: 'failed', exitCode: 3, message: 'bad data' });
    expect(record.trials[1]).toMatchObject({ status: 'failed', error: 'bad data', curve: [0.6, 0.6], epochs: 2 });
    // Trial 2 takes the free slot. At rung 1 it waits for trial 0, which has not reported yet.
    expect(executor.runs.map((r) => r.trial.index)).toEqual([0, 1, 2]);
    executor.epochs(2, 10, [0.9, 0.9, 0.2]);
    expect(executor.run(2).stops).toBe(0);
    // Trial 0 reaches rung 3: trial 2 goes on at rung 1 (n = 3: 0.9 beats 0.6 and 0.5) and is
    // stopped at rung 3 (n = 2, trial 1 never got there: it must be the best, and 0.2 < 0.5).
    executor.epochs(0, 10, [0.5, 0.5]);
    expect(executor.run(2).stops).toBe(0);
    executor.epochs(0, 10, [0.5], 3);
    expect(record.trials[2]).toMatchObject({ status: 'pruned', prunedAt: 3, curve: [0.9, 0.9, 0.2] });
    expect(executor.run(2).stops).toBe(1);
    executor.run(2).listener.end({ status: 'interrupted' });
    // Trial 3 is decided at rung 3 against trial 0 and the pruned trial 2 alone.
    executor.epochs(3, 10, [0.95, 0.95, 0.6]);
    expect(executor.run(3).stops).toBe(0);
    expect(record.trials[3]!.status).toBe('running');
    executor.epochs(0, 10, [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5], 4);
    executor.complete(0, 10);
    executor.epochs(3, 10, [0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6], 4);
    executor.complete(3, 10);
    await flush();
    expect(state.outcome).toBe('done');
    expect(shortOutcome(record)).toEqual(['completed', 'failed', 'pruned@3', 'completed']);
    expect(record.trials[1]!.error).toBe('bad data');
  });

  it('does not hold back later trials when it fails before its first epoch', async () => {
    const executor = new ManualExecutor(2);
    const record = sweepOf(3);
    const { state } = started(record, executor, { metric: accuracy, rule: median });
    executor.run(0).listener.end({ status: 'failed', exitCode: 2, message: 'unknown key "lr"' });
    expect(record.trials[0]).toMatchObject({ status: 'failed', error: 'unknown key "lr"', curve: [], epochs: 0 });
    expect(record.trials[0]).not.toHaveProperty('plannedEpochs');
    executor.epochs(1, 3, [0.5, 0.6, 0.7]);
    executor.complete(1, 3);
    executor.epochs(2, 3, [0.1, 0.2, 0.3]);
    executor.complete(2, 3);
    await flush();
    expect(state.outcome).toBe('done');
    // Median of 2 needs two earlier trials at the epoch: trial 2 has only trial 1.
    expect(shortOutcome(record)).toEqual(['failed', 'completed', 'completed']);
  });

  it('fails the same trials, and prunes the same others, under any schedule', async () => {
    const curves = syntheticCurves(4, 10, 10);
    const failures: Record<number, number> = { 2: 2, 4: 0, 6: 5, 7: 9 };
    const scripts: Script[] = curves.map((curve, i) => {
      const failAfter = failures[i];
      return failAfter === undefined ? { curve, epochs: 10 } : { curve: curve.slice(0, failAfter), epochs: 10, fail: { exitCode: 3, message: `bad data in trial ${i}` } };
    });
    for (const rule of [asha, median]) {
      const reference = await sequential(scripts, rule);
      const statuses = shortOutcome(reference);
      expect(statuses.filter((s) => s === 'failed').length).toBeGreaterThan(0);
      for (const trial of reference.trials.filter((t) => t.status === 'failed')) expect(trial.error).toBe(`bad data in trial ${trial.index}`);
      // Trial 4 never reported an epoch: nothing prunes it, so it is failed under any rule.
      expect(statuses[4]).toBe('failed');
      for (const slots of [2, 3, 5]) {
        for (let run = 0; run < 20; run++) {
          const record = sweepOf(scripts.length);
          const { outcome } = await drive(record, new FakeCluster(slots, scripts, createRng(slots * 1000 + run)), { metric: accuracy, rule });
          expect(outcome).toBe('done');
          expect(outcomeOf(record), `${rule.type}, slots ${slots}, run ${run}`).toEqual(outcomeOf(reference));
          for (const trial of record.trials.filter((t) => t.status === 'failed')) expect(trial.error).toBe(`bad data in trial ${trial.index}`);
        }
      }
    }
  });
});

describe('runTrials: abort and resume', () => {
  it('starts nothing when the signal is already aborted', async () => {
    const record = sweepOf(3);
    const controller = new AbortController();
    controller.abort();
    const cluster = new FakeCluster(2, scriptsOf([[1], [1], [1]]));
    const { outcome, changes } = await drive(record, cluster, { metric: accuracy, rule: asha, signal: controller.signal });
    expect(outcome).toBe('interrupted');
    expect(cluster.starts).toEqual([]);
    expect(record.trials.map((t) => t.status)).toEqual(['pending', 'pending', 'pending']);
    expect(changes).toBeGreaterThan(0);
  });

  /**
   * Runs each of 12 (or 30) sweeps to its end through up to two aborts at random steps, each
   * followed by a resume on a new pool (the checkpoints kept), checking every abort; the end must
   * be that of the sweep run uninterrupted. The first run has 3 or 5 slots; `resumeSlots` is the
   * pool's size on a resume: `all` has a slot for every unfinished trial, so none waits in the
   * queue; `few` has 1 or 2, so interrupted trials wait for a slot.
   */
  async function abortAndResume(rule: EarlyTermination | undefined, resumeSlots: 'all' | 'few'): Promise<void> {
    let aborted = 0;
    let resumed = 0;
    const sweeps = resumeSlots === 'all' ? 12 : 30;
    for (let seed = 0; seed < sweeps; seed++) {
      const curves = syntheticCurves(100 + seed, 9 + (seed % 4), 10);
      const scripts = scriptsOf(curves);
      const reference = await sequentialRun(scripts, rule);
      const expected = outcomeOf(reference.record);
      const rng = createRng(seed);
      const record = sweepOf(curves.length);
      const checkpoints = new Map<number, number>();
      const everStarted = new Map<number, number>();
      for (let round = 0; ; round++) {
        if (round > 4) throw new Error('the sweep did not finish in 4 resumes');
        const slots = round === 0 ? [3, 5][rng.int(2)]! : resumeSlots === 'all' ? Number.POSITIVE_INFINITY : [1, 2][rng.int(2)]!;
        const cluster = new FakeCluster(slots, scripts, rng, checkpoints);
        const controller = new AbortController();
        const before = record.trials.map((t) => t.status);
        // Within the steps the sweep takes on one slot (fewer than on more: trials run ahead).
        const abortAt = round < 2 ? 1 + rng.int(Math.max(1, Math.floor(reference.steps / (round + 1)) - 2)) : Number.POSITIVE_INFINITY;
        let atAbort: { running: number[]; statuses: TrialStatus[]; starts: number } | undefined;
        const { outcome } = await drive(record, cluster, { metric: accuracy, ...(rule ? { rule } : {}), signal: controller.signal }, (step) => {
          if (step !== abortAt) return;
          atAbort = { running: cluster.running(), statuses: record.trials.map((t) => t.status), starts: cluster.starts.length };
          controller.abort();
        });
        const label = `seed ${seed}, round ${round}, slots ${slots}`;
        if (round > 0 && before.includes('interrupted')) resumed++;
        // Unfinished trials start in index order; interrupted ones resume, pending ones start afresh.
        const startedNow = cluster.starts.map((s) => s.index);
        expect(startedNow, label).toEqual([...startedNow].sort((a, b) => a - b));
        for (const { index, resume } of cluster.starts) {
          expect(before[index], `${label}, trial ${index}`).toMatch(/^(pending|interrupted)$/);
          expect(resume, `${label}, trial ${index} (was ${before[index]}) started with resume ${resume}`).toBe(before[index] === 'interrupted');
          everStarted.set(index, (everStarted.get(index) ?? 0) + 1);
        }
        expect(cluster.maxRunning).toBeLessThanOrEqual(slots);
        expect(cluster.lateStops).toBe(0);
        if (atAbort === undefined) {
          expect(outcome, label).toBe('done');
          break;
        }
        aborted++;
        expect(outcome, label).toBe('interrupted');
        expect(cluster.starts.length, `${label}: a trial started after the abort`).toBe(atAbort.starts);
        for (const index of atAbort.running) expect(cluster.stopped.has(index), `${label}: trial ${index} not stopped`).toBe(true);
        record.trials.forEach((trial, i) => {
          expect(trial.status, `${label}, trial ${i}`).not.toBe('running');
          if (!everStarted.has(i)) expect(trial.status, `${label}, trial ${i}`).toBe('pending');
          if (atAbort!.running.includes(i) && atAbort!.statuses[i] === 'running') expect(trial.status, `${label}, trial ${i}`).toBe('interrupted');
        });
      }
      expect(outcomeOf(record), `seed ${seed}`).toEqual(expected);
      for (const trial of record.trials) {
        expect(trial.attempts).toBe(everStarted.get(trial.index) ?? 0);
        if (trial.prunedAt !== undefined) expect(trial.status).toBe('pruned');
      }
    }
    expect(aborted).toBeGreaterThan(sweeps);
    expect(resumed).toBeGreaterThan(sweeps / 2);
  }

  for (const [name, rule] of [
    ['no rule', undefined],
    ['ASHA', asha],
    ['median', median],
  ] as const) {
    it(`${name}: an aborted sweep stops its running trials, and resumed (a slot for each unfinished trial) it ends as an uninterrupted one`, async () => {
      await abortAndResume(rule, 'all');
    });
  }

  it('no rule: the same, resumed on 1 or 2 slots', async () => {
    await abortAndResume(undefined, 'few');
  });

  // On a resume, an interrupted trial waiting in the queue for a slot can be pruned by settle()
  // (its curve from the first run is enough to decide); it must not be started again.
  for (const [name, rule] of [
    ['ASHA', asha],
    ['median', median],
  ] as const) {
    it(`${name}: the same, resumed on 1 or 2 slots (fewer than its interrupted trials)`, async () => {
      await abortAndResume(rule, 'few');
    });
  }

  it('does not start again a trial that was pruned while it waited for a slot on a resume', async () => {
    // ASHA 1/3 over 4 epochs (rungs 1, 3); --resume of two interrupted trials on one slot. Trial
    // 0 resumes; trial 1 waits, and is pruned at rung 1 (0.4 < 0.5) once trial 0's next epoch
    // settles trial 0's own rung 1.
    const executor = new ManualExecutor(1);
    const record = sweepOf(2);
    record.trials.forEach((trial, i) => Object.assign(trial, { status: 'interrupted', curve: [[0.5, 0.4][i]], value: [0.5, 0.4][i], plannedEpochs: 4, epochs: 1, attempts: 1 }));
    const { state } = started(record, executor, { metric: accuracy, rule: asha });
    expect(executor.runs.map((r) => [r.trial.index, r.resume])).toEqual([[0, true]]);
    executor.epochs(0, 4, [0.5], 2);
    expect(record.trials[1]).toMatchObject({ status: 'pruned', prunedAt: 1, curve: [0.4] });
    executor.epochs(0, 4, [0.5, 0.5], 3);
    executor.complete(0, 4);
    await flush();
    // Fails here: trial 1 was started again, with resume false (its run folder overwritten), and
    // its status is now 'running'; completed, it would end 'completed' with prunedAt 1.
    expect(executor.runs.map((r) => [r.trial.index, r.resume])).toEqual([[0, true]]);
    expect(state.outcome).toBe('done');
    expect(record.trials[1]).toMatchObject({ status: 'pruned', prunedAt: 1, attempts: 1 });
  });
});

describe('runTrials: a trial restarted from scratch', () => {
  it('counts another attempt, and its epochs reported again replace the earlier ones', async () => {
    const executor = new ManualExecutor(1);
    const record = sweepOf(1);
    const { state } = started(record, executor, { metric: accuracy });
    const trial = record.trials[0]!;
    expect(trial.attempts).toBe(1);
    executor.epochs(0, 4, [0.3, 0.4, 0.5]);
    expect(trial.curve).toEqual([0.3, 0.4, 0.5]);
    const changes = state.changes;
    executor.run(0).listener.restarted!();
    expect(trial.attempts).toBe(2);
    expect(state.changes).toBe(changes + 1);
    executor.epochs(0, 4, [0.6]);
    expect(trial).toMatchObject({ curve: [0.6], epochs: 1, value: 0.6, status: 'running' });
    executor.epochs(0, 4, [0.7, 0.8, 0.9], 2);
    executor.complete(0, 4);
    await flush();
    expect(state.outcome).toBe('done');
    expect(trial).toMatchObject({ status: 'completed', curve: [0.6, 0.7, 0.8, 0.9], epochs: 4, value: 0.9, attempts: 2 });
  });

  it("decides a later trial's waiting check on the epochs reported again", async () => {
    // ASHA 1/3 over 4 epochs: rungs 1 and 3. Trial 1 reaches rung 3 while trial 0 is at epoch
    // 2; trial 0's run then starts again and reports 0.9, not the 0.5 of its first run.
    const executor = new ManualExecutor(2);
    const record = sweepOf(2);
    const { state } = started(record, executor, { metric: accuracy, rule: asha });
    executor.epochs(0, 4, [0.5, 0.5]);
    executor.epochs(1, 4, [0.6, 0.6, 0.6]);
    expect(executor.run(1).stops).toBe(0);
    executor.run(0).listener.restarted!();
    executor.epochs(0, 4, [0.9, 0.9]);
    expect(record.trials[0]!.curve).toEqual([0.9, 0.9]);
    expect(executor.run(1).stops).toBe(0);
    executor.epochs(0, 4, [0.9], 3);
    expect(record.trials[1]).toMatchObject({ status: 'pruned', prunedAt: 3 });
    expect(executor.run(1).stops).toBe(1);
    executor.run(1).listener.end({ status: 'interrupted' });
    executor.epochs(0, 4, [0.9], 4);
    executor.complete(0, 4);
    await flush();
    expect(state.outcome).toBe('done');
    expect(record.trials.map((t) => [t.status, t.attempts])).toEqual([
      ['completed', 2],
      ['pruned', 1],
    ]);
  });
});

