import { describe, expect, it } from 'vitest';
import { createRng } from '@scratchnet/tensor';
import { type TrialStatus } from './sweep-record.js';
import { type EarlyTermination } from './sweep-spec.js';
import { accuracy, asha, median, type Script, scriptsOf, FakeCluster, drive, sweepOf, outcomeOf, shortOutcome, sequential, sequentialRun, syntheticCurves, ManualExecutor, started, flush } from './test-engine-fakes.js';

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
