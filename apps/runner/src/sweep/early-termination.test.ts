import { createRng, type Rng } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { checkEpochs, decide, describeRule, type Goal, type TrialProgress } from './early-termination.js';
import type { AshaRule, EarlyTermination, MedianRule } from './sweep-spec.js';

const asha = (minEpochs: number, reductionFactor: number): AshaRule => ({ type: 'asha', minEpochs, reductionFactor });
const medianRule = (minEpochs: number, minTrials: number): MedianRule => ({ type: 'median', minEpochs, minTrials });
const done = (index: number, values: number[]): TrialProgress => ({ index, values, ended: true });
const running = (index: number, values: number[]): TrialProgress => ({ index, values, ended: false });

/** Where a trial ended up: pruned after some epoch, or ran all the epochs its curve has. */
type Outcome = `pruned@${number}` | `ran ${number}`;

interface Schedule {
  /** Trials running at once; they start in index order as slots free. */
  readonly concurrency: number;
  /** Picks which running trial reports its next epoch, and the order pending decisions are re-asked; absent: lowest index first. */
  readonly rng?: Rng;
  /** Pass every trial to decide (it must ignore those of higher index) instead of only earlier ones. */
  readonly passAll?: boolean;
  /**
   * Trials run on past their undecided checks instead of pausing (a pruned trial's values are
   * then cut back to the epoch it was pruned at). `holdBack` delays a decision at epoch E while
   * an earlier trial has an undecided check before E; `indexOrder` re-asks pending decisions in
   * index order, each trial's as far as they go, instead of in a shuffled order.
   */
  readonly runAhead?: { readonly holdBack: boolean; readonly indexOrder: boolean };
}

/**
 * A scheduler: trials report their curves one epoch at a time, in an order chosen by `rng`. At a
 * check epoch a trial pauses (unless `runAhead`) until decide stops waiting; after each report
 * every pending decision is re-asked until none changes. A curve shorter than `epochs` is a trial
 * that failed or stopped by itself after that many epochs.
 */
function simulate(rule: EarlyTermination, goal: Goal, curves: readonly (readonly number[])[], epochs: number, schedule: Schedule) {
  const checks = new Set(checkEpochs(rule, epochs));
  const trials = curves.map((_, index) => ({ index, values: [] as number[], ended: false, started: false, open: [] as number[], outcome: '' as Outcome | '' }));
  const snapshot = (): TrialProgress[] => trials.map((t) => ({ index: t.index, values: [...t.values], ended: t.ended }));
  const pick = <T>(items: T[]): T => items[schedule.rng ? schedule.rng.int(items.length) : 0]!;
  let waits = 0;

  const resolve = (): void => {
    for (let changed = true; changed; ) {
      changed = false;
      const pending = trials.filter((t) => t.open.length > 0);
      const indexOrder = schedule.runAhead?.indexOrder === true;
      if (schedule.rng && !indexOrder) schedule.rng.shuffle(pending);
      for (const trial of pending) {
        const epoch = trial.open[0]!;
        if (schedule.runAhead?.holdBack && trials.slice(0, trial.index).some((t) => t.open.length > 0 && t.open[0]! < epoch)) continue;
        const all = snapshot();
        const earlier = schedule.passAll ? all : all.slice(0, trial.index);
        const decision = decide(rule, goal, all[trial.index]!, epoch, earlier);
        if (decision === 'wait') {
          waits++;
          continue;
        }
        trial.open.shift();
        if (decision === 'prune') {
          trial.values.length = epoch;
          trial.ended = true;
          trial.open = [];
          trial.outcome = `pruned@${epoch}`;
        }
        changed = true;
        if (indexOrder) break;
      }
    }
  };

  let nextToStart = 0;
  for (;;) {
    while (nextToStart < trials.length && trials.filter((t) => t.started && !t.ended).length < schedule.concurrency) {
      trials[nextToStart++]!.started = true;
    }
    const runnable = trials.filter((t) => t.started && !t.ended && (schedule.runAhead || t.open.length === 0));
    if (runnable.length === 0) {
      if (trials.every((t) => t.ended && t.open.length === 0)) break;
      throw new Error('deadlock: every running trial waits');
    }
    const trial = pick(runnable);
    const curve = curves[trial.index]!;
    trial.values.push(curve[trial.values.length]!);
    const epoch = trial.values.length;
    if (checks.has(epoch) && epoch < curve.length) trial.open.push(epoch);
    if (epoch === curve.length) {
      trial.ended = true;
      trial.outcome = `ran ${epoch}`;
    }
    resolve();
  }
  return { outcomes: trials.map((t) => t.outcome), waits };
}

const sequential = (rule: EarlyTermination, goal: Goal, curves: readonly (readonly number[])[], epochs: number) =>
  simulate(rule, goal, curves, epochs, { concurrency: 1 }).outcomes;

/** A curve of `epochs` values that are `at[e]` at the epochs given and `filler` elsewhere. */
const curve = (epochs: number, at: Record<number, number>, filler = 0): number[] =>
  Array.from({ length: epochs }, (_, e) => at[e + 1] ?? filler);

describe('checkEpochs', () => {
  it('lists the ASHA rungs below the last epoch', () => {
    expect(checkEpochs(asha(1, 3), 10)).toEqual([1, 3, 9]);
    expect(checkEpochs(asha(1, 3), 9)).toEqual([1, 3]);
    expect(checkEpochs(asha(2, 2), 20)).toEqual([2, 4, 8, 16]);
    expect(checkEpochs(asha(5, 2), 5)).toEqual([]);
  });

  it('lists every epoch from minEpochs up to the last for the median rule', () => {
    expect(checkEpochs(medianRule(2, 3), 6)).toEqual([2, 3, 4, 5]);
    expect(checkEpochs(medianRule(6, 0), 6)).toEqual([]);
  });

  it('rejects rules the schema should have rejected', () => {
    expect(() => checkEpochs(asha(1, 1), 10)).toThrow(/invalid rule/);
    expect(() => checkEpochs(asha(0, 3), 10)).toThrow(/invalid rule/);
    expect(() => checkEpochs(asha(1, 2.5), 10)).toThrow(/invalid rule/);
    expect(() => checkEpochs(medianRule(1, -1), 10)).toThrow(/invalid rule/);
  });
});

describe('decide: ASHA', () => {
  const rule = asha(1, 3);

  it('keeps the top third at each rung of nine trials', () => {
    // Epoch 1 values are a permutation; only trials 0, 2 and 4 survive rung 1, and of those
    // trial 4 (second best of three at epoch 3) is stopped at rung 3.
    const first = [5, 3, 8, 1, 9, 2, 7, 4, 6];
    const third: Record<number, number> = { 0: 6, 2: 9, 4: 7 };
    const curves = first.map((v, i) => curve(10, { 1: v, 3: third[i] ?? 0, 9: i }));
    expect(sequential(rule, 'maximize', curves, 10)).toEqual([
      'ran 10',
      'pruned@1',
      'ran 10',
      'pruned@1',
      'pruned@3',
      'pruned@1',
      'pruned@1',
      'pruned@1',
      'pruned@1',
    ]);
    // Trial 8 at rung 1: n = 9, k = 3, the third best is 7, and 6 is below it.
    const earlier = first.slice(0, 8).map((v, i) => done(i, [v]));
    expect(decide(rule, 'maximize', running(8, [6]), 1, earlier)).toBe('prune');
    expect(decide(rule, 'maximize', running(8, [7]), 1, earlier)).toBe('continue');
  });

  it('never stops the first trial, and stops the second unless it is the best', () => {
    expect(decide(rule, 'maximize', running(0, [0.01]), 1, [])).toBe('continue');
    const first = [done(0, [0.5])];
    expect(decide(rule, 'maximize', running(1, [0.4]), 1, first)).toBe('prune');
    expect(decide(rule, 'maximize', running(1, [0.5]), 1, first)).toBe('continue');
    expect(decide(rule, 'maximize', running(1, [0.6]), 1, first)).toBe('continue');
  });

  it('decides nothing, and waits for nothing, between rungs', () => {
    const behind = [running(0, [0.9])];
    expect(decide(rule, 'maximize', running(1, [0.1, 0.1]), 2, behind)).toBe('continue');
    expect(decide(rule, 'maximize', running(1, [0.1, 0.1, 0.1]), 3, behind)).toBe('wait');
  });

  it('waits while an earlier trial is running and behind, then decides', () => {
    const trial = running(1, [0.5, 0.5, 0.4]);
    expect(decide(rule, 'maximize', trial, 3, [running(0, [0.9, 0.9])])).toBe('wait');
    expect(decide(rule, 'maximize', trial, 3, [running(0, [0.9, 0.9, 0.9])])).toBe('prune');
    expect(decide(rule, 'maximize', trial, 3, [running(0, [0.9, 0.9, 0.3])])).toBe('continue');
  });

  it('does not count an earlier trial that ended before the epoch', () => {
    const failed = done(0, [0.9, 0.9]);
    expect(decide(rule, 'maximize', running(1, [0.1, 0.1, 0.1]), 3, [failed])).toBe('continue');
    const pruned = done(1, [0.9]);
    expect(decide(rule, 'maximize', running(2, [0.1, 0.1, 0.1]), 3, [failed, pruned])).toBe('continue');
  });

  it('ignores trials of the same or higher index', () => {
    const others = [done(0, [0.5]), running(2, []), running(3, [0.99]), running(1, [0.99])];
    expect(decide(rule, 'maximize', running(1, [0.6]), 1, others)).toBe('continue');
    expect(decide(rule, 'maximize', running(1, [0.4]), 1, others)).toBe('prune');
  });

  it('ranks lower values better when minimizing', () => {
    const first = [done(0, [0.5])];
    expect(decide(rule, 'minimize', running(1, [0.4]), 1, first)).toBe('continue');
    expect(decide(rule, 'minimize', running(1, [0.6]), 1, first)).toBe('prune');
  });

  it('ranks values that are not finite worst, and stops a trial whose own value is not finite', () => {
    expect(decide(rule, 'maximize', running(1, [0.01]), 1, [done(0, [NaN])])).toBe('continue');
    expect(decide(rule, 'minimize', running(1, [1e9]), 1, [done(0, [Infinity])])).toBe('continue');
    expect(decide(rule, 'minimize', running(1, [1e9]), 1, [done(0, [-Infinity])])).toBe('continue');
    expect(decide(rule, 'maximize', running(0, [NaN]), 1, [])).toBe('prune');
    // The diverged trial is stopped without waiting for the earlier one.
    expect(decide(rule, 'minimize', running(1, [Infinity]), 1, [running(0, [])])).toBe('prune');
    // NaN among nine competitors takes a place at the bottom: 0.1 is now third best.
    const earlier = [0.5, 0.4, NaN, NaN, NaN, NaN, NaN, NaN].map((v, i) => done(i, [v]));
    expect(decide(rule, 'maximize', running(8, [0.1]), 1, earlier)).toBe('continue');
  });

  it('refuses an epoch the trial has not reported', () => {
    expect(() => decide(rule, 'maximize', running(0, [0.5]), 3, [])).toThrow(/asked about epoch 3/);
  });
});

describe('decide: median', () => {
  const rule = medianRule(2, 3);
  const earlier = [done(0, [0.5, 0.6, 0.7]), done(1, [0.4, 0.5, 0.6]), done(2, [0.3, 0.4, 0.5])];

  it('waits for minTrials earlier trials at the epoch before stopping anything', () => {
    expect(decide(rule, 'maximize', running(3, [0.1, 0.1]), 2, earlier.slice(0, 2))).toBe('continue');
    expect(decide(rule, 'maximize', running(3, [0.1, 0.1]), 2, earlier)).toBe('prune');
    expect(decide(medianRule(2, 0), 'maximize', running(0, [0.1, 0.1]), 2, [])).toBe('continue');
  });

  it('checks nothing before minEpochs', () => {
    expect(decide(rule, 'maximize', running(3, [0.1]), 1, earlier)).toBe('continue');
  });

  it('stops a trial whose best so far is strictly worse than the median', () => {
    expect(decide(rule, 'maximize', running(3, [0.1, 0.5]), 2, earlier)).toBe('continue');
    expect(decide(rule, 'maximize', running(3, [0.1, 0.49]), 2, earlier)).toBe('prune');
    // Best so far, not the latest value: 0.55 at epoch 1 beats the median 0.5 at epoch 2.
    expect(decide(rule, 'maximize', running(3, [0.55, 0.2]), 2, earlier)).toBe('continue');
    // Four earlier trials: the median is the mean of the middle two, (0.5 + 0.6) / 2.
    const four = [...earlier, done(3, [0.9, 0.9])];
    expect(decide(rule, 'maximize', running(4, [0.1, 0.56]), 2, four)).toBe('continue');
    expect(decide(rule, 'maximize', running(4, [0.1, 0.54]), 2, four)).toBe('prune');
  });

  it('minimizes, ranks values that are not finite worst, and waits like ASHA', () => {
    expect(decide(rule, 'minimize', running(3, [0.9, 0.45]), 2, earlier)).toBe('continue');
    expect(decide(rule, 'minimize', running(3, [0.9, 0.55]), 2, earlier)).toBe('prune');
    const diverged = [done(0, [NaN, NaN]), done(1, [NaN, NaN]), done(2, [0.3, 0.4])];
    expect(decide(rule, 'maximize', running(3, [0.01, 0.01]), 2, diverged)).toBe('continue');
    expect(decide(rule, 'maximize', running(3, [NaN, NaN]), 2, diverged)).toBe('prune');
    expect(decide(rule, 'maximize', running(3, [NaN, 0.01]), 2, diverged)).toBe('continue');
    expect(decide(rule, 'maximize', running(3, [0.1, 0.1]), 2, [...earlier.slice(0, 2), running(2, [0.3])])).toBe('wait');
  });
});

describe('describeRule', () => {
  it('says when and how trials are stopped', () => {
    expect(describeRule(asha(1, 3), 10)).toBe('ASHA: at epochs 1, 3, 9 keep the top 1/3');
    expect(describeRule(asha(2, 2), 4)).toBe('ASHA: at epoch 2 keep the top 1/2');
    expect(describeRule(asha(4, 2), 4)).toBe('ASHA: no rung before the last epoch (4), so no trial is stopped');
    expect(describeRule(medianRule(2, 3), 10)).toBe(
      'median: from epoch 2, stop a trial worse than the median of earlier trials (after 3 of them)',
    );
    expect(describeRule(medianRule(5, 3), 5)).toBe('median: no check before the last epoch (5), so no trial is stopped');
  });
});

describe('determinism under any schedule', () => {
  /**
   * Noisy learning curves: each trial rises towards its own ceiling at its own speed; some fail
   * part way (a shorter curve) and one diverges into NaN.
   */
  function curves(seed: number, trials: number, epochs: number, goal: Goal): number[][] {
    const rng = createRng(seed);
    return Array.from({ length: trials }, (_, i) => {
      const ceiling = rng.uniform(0.5, 1);
      const speed = rng.uniform(0.1, 1);
      const length = rng.next() < 0.15 ? 1 + rng.int(epochs - 1) : epochs;
      const values = Array.from({ length }, (_, e) => ceiling * (1 - Math.exp(-speed * (e + 1))) + rng.normal(0, 0.03));
      if (i === 5) values.fill(NaN, 2);
      return goal === 'maximize' ? values : values.map((v) => 1 - v);
    });
  }

  const rules: [string, EarlyTermination, number][] = [
    ['ASHA 1/3', asha(1, 3), 12],
    ['ASHA 1/2 from epoch 2', asha(2, 2), 12],
    ['median', medianRule(2, 3), 8],
    ['median without startup', medianRule(1, 0), 8],
  ];

  for (const [name, rule, epochs] of rules) {
    for (const goal of ['maximize', 'minimize'] as const) {
      it(`${name}, ${goal}: every interleaving stops the same trials at the same epochs`, () => {
        let waits = 0;
        const seen = new Set<string>();
        for (const curveSeed of [1, 2, 3]) {
          const trialCurves = curves(curveSeed, 16, epochs, goal);
          const expected = sequential(rule, goal, trialCurves, epochs);
          expect(expected.some((o) => o.startsWith('pruned'))).toBe(true);
          expect(expected.filter((o) => o === `ran ${epochs}`).length).toBeGreaterThan(0);
          seen.add(expected.join());
          for (let run = 0; run < 60; run++) {
            const rng = createRng(curveSeed * 1000 + run);
            const concurrency = 1 + rng.int(trialCurves.length);
            const runAhead = [undefined, { holdBack: true, indexOrder: false }, { holdBack: false, indexOrder: true }][run % 3];
            const result = simulate(rule, goal, trialCurves, epochs, { concurrency, rng, passAll: run % 2 === 0, runAhead });
            expect(result.outcomes, `curves ${curveSeed}, run ${run}, concurrency ${concurrency}`).toEqual(expected);
            waits += result.waits;
          }
        }
        // The schedules really did race: decisions had to wait for slower earlier trials.
        expect(waits).toBeGreaterThan(0);
        expect(seen.size).toBe(3);
      });
    }
  }

  it('needs the caller to settle a trial that ran past a check before a later trial counts it', () => {
    // Trial 2 waits at rung 2 for trial 1 and runs on to epoch 4; trial 3 waits at rung 4 for
    // trial 1 too. Trial 1 fails after epoch 1, unblocking both. Asked in index order, trial 2 is
    // pruned at rung 2 and cut back, and trial 3 goes on; asked the other way round, trial 3
    // would count trial 2's epoch 4 and be pruned.
    const rule = asha(1, 2);
    const t0 = running(0, [0.8, 0.8, 0.2, 0.2]);
    const t2 = running(2, [0.85, 0.1, 0.9, 0.9]);
    const t3 = running(3, [0.9, 0.9, 0.5, 0.5]);
    expect(decide(rule, 'maximize', t2, 2, [t0, running(1, [0.5])])).toBe('wait');
    expect(decide(rule, 'maximize', t3, 4, [t0, running(1, [0.5]), t2])).toBe('wait');
    const t1 = done(1, [0.5]);
    expect(decide(rule, 'maximize', t2, 2, [t0, t1])).toBe('prune');
    expect(decide(rule, 'maximize', t3, 4, [t0, t1, done(2, [0.85, 0.1])])).toBe('continue');
    expect(decide(rule, 'maximize', t3, 4, [t0, t1, t2])).toBe('prune');
  });
});
