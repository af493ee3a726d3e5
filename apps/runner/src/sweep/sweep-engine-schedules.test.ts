import { describe, expect, it } from 'vitest';
import { createRng } from '@scratchnet/tensor';
import { type EarlyTermination } from './sweep-spec.js';
import { accuracy, loss, asha, median, scriptsOf, FakeCluster, drive, sweepOf, outcomeOf, shortOutcome, sequential, syntheticCurves, ashaNine, medianFive } from './test-engine-fakes.js';

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
