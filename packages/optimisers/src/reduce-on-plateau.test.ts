import { describe, expect, it } from 'vitest';
import { ConfigError } from '@scratchnet/spec';
import type { EpochMetrics, Schedule } from '@scratchnet/spec';
import { reduceOnPlateau } from './reduce-on-plateau.js';
import { createSchedule, schemaDefaults } from './test-support.js';

const context = { iterationsPerEpoch: 10, totalIterations: 1000 };
const create = (options: object): Schedule => createSchedule(reduceOnPlateau, options, context);

/** Metrics of one epoch: `value` for the monitored metric, something else everywhere else. */
function metrics(epoch: number, value: number, monitor = 'validation.loss'): EpochMetrics {
  const [split, metric] = monitor.split('.');
  const other = { loss: 123, accuracy: 0.123 };
  const train = split === 'train' ? { ...other, [metric!]: value } : other;
  const validation = split === 'validation' ? { ...other, [metric!]: value } : other;
  return { epoch, train, validation };
}

/** Observes one epoch per value and returns the learning rate after each. */
function rates(schedule: Schedule, values: readonly number[], monitor?: string, firstEpoch = 1): number[] {
  return values.map((value, e) => {
    schedule.observe!(metrics(firstEpoch + e, value, monitor));
    return schedule.learningRate((firstEpoch + e) * 10);
  });
}

describe('reduce-on-plateau', () => {
  it('defaults as PyTorch ReduceLROnPlateau, watching the validation loss', () => {
    expect(schemaDefaults(reduceOnPlateau.optionsSchema)).toEqual({
      learningRate: 0.01,
      monitor: 'validation.loss',
      factor: 0.1,
      patience: 10,
      minDelta: 1e-4,
      cooldown: 0,
      minLearningRate: 0,
    });
  });

  it('starts at learningRate, whatever the iteration, until an epoch is observed', () => {
    const schedule = create({ learningRate: 0.1 });
    expect([0, 1, 999, 5000].map((i) => schedule.learningRate(i))).toEqual([0.1, 0.1, 0.1, 0.1]);
    expect(schedule.momentum).toBeUndefined();
  });

  it('reduces after more than patience epochs in a row without an improvement of more than minDelta', () => {
    const schedule = create({ learningRate: 0.1, factor: 0.5, patience: 2, minDelta: 0.01 });
    // epoch 1: best 1.0 (the first epoch always improves); 2: 0.9 improves, best 0.9
    // 3: 0.895 is not below 0.9 - 0.01 (bad 1); 4: 0.95 (bad 2); 5: 0.93 (bad 3 > 2): lr 0.05
    // 6: 0.85 < 0.89 improves; 7, 8, 9: bad 1, 2, 3: lr 0.025
    expect(rates(schedule, [1.0, 0.9, 0.895, 0.95, 0.93, 0.85, 0.86, 0.86, 0.86])).toEqual([
      0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025,
    ]);
    expect(schedule.state!()).toEqual({ best: 0.85, badEpochs: 0, cooldownLeft: 0, learningRate: 0.025 });
  });

  it('resets the count on an improvement', () => {
    const schedule = create({ learningRate: 0.1, factor: 0.5, patience: 2, minDelta: 0 });
    // bad, bad, better, bad, bad: never more than 2 in a row
    expect(rates(schedule, [1, 1, 1, 0.9, 0.95, 0.9, 0.8, 0.8, 0.8])).toEqual([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]);
    expect(rates(schedule, [0.8], undefined, 10)).toEqual([0.05]);
  });

  it('with patience 0 reduces at every epoch without improvement', () => {
    const schedule = create({ learningRate: 1, factor: 0.5, patience: 0, minDelta: 0 });
    expect(rates(schedule, [1, 1, 0.5, 0.6, 0.4, 0.4])).toEqual([1, 0.5, 0.5, 0.25, 0.25, 0.125]);
  });

  it('does not count the epochs of a cooldown, but still takes their improvements', () => {
    const schedule = create({ learningRate: 1, factor: 0.5, patience: 0, minDelta: 0, cooldown: 2 });
    // 1 improves; 2 reduces (cooldown 2); 3, 4 are the cooldown; 5 reduces; 6, 7 cooldown; 8 reduces
    expect(rates(schedule, [1, 1, 1, 1, 1, 1, 1, 1])).toEqual([1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125]);
    // an improvement during a cooldown still sets best (0.5 at epoch 3), so epoch 5's 0.5 does not improve
    const other = create({ learningRate: 1, factor: 0.5, patience: 0, minDelta: 0, cooldown: 2 });
    expect(rates(other, [1, 1, 0.5, 0.5, 0.5])).toEqual([1, 0.5, 0.5, 0.5, 0.25]);
    expect(other.state!()).toEqual({ best: 0.5, badEpochs: 0, cooldownLeft: 2, learningRate: 0.25 });
  });

  it('never goes below minLearningRate', () => {
    const schedule = create({ learningRate: 0.1, factor: 0.1, patience: 0, minLearningRate: 0.005 });
    // 0.1 -> 0.01 -> max(0.001, 0.005) = 0.005 -> stays
    const [a, b, c, d] = rates(schedule, [1, 2, 2, 2]);
    expect(a).toBe(0.1);
    expect(b).toBeCloseTo(0.01, 17);
    expect([c, d]).toEqual([0.005, 0.005]);
  });

  it('maximises an accuracy', () => {
    const schedule = create({ learningRate: 0.1, factor: 0.5, patience: 1, minDelta: 0.01, monitor: 'validation.accuracy' });
    // 0.5 improves; 0.6 > 0.51 improves; 0.605 is not above 0.61 (bad 1); 0.59 (bad 2 > 1): lr 0.05
    // 0.7 improves; 0.7 (bad 1); 0.7 (bad 2): lr 0.025
    expect(rates(schedule, [0.5, 0.6, 0.605, 0.59, 0.7, 0.7, 0.7], 'validation.accuracy')).toEqual([
      0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025,
    ]);
    expect(schedule.state!()).toMatchObject({ best: 0.7 });
  });

  it.each(['train.loss', 'train.accuracy', 'validation.loss', 'validation.accuracy'])('reads %s and nothing else', (monitor) => {
    const schedule = create({ learningRate: 0.1, factor: 0.5, patience: 0, minDelta: 0, monitor });
    const worse = monitor.endsWith('loss') ? 2 : 0.1;
    // metrics() puts 123 / 0.123 everywhere else: constant, so only the monitored value can improve
    expect(rates(schedule, [1, worse], monitor)).toEqual([0.1, 0.05]);
    expect(schedule.state!()).toMatchObject({ best: 1 });
  });

  it('counts a NaN as no improvement', () => {
    const schedule = create({ learningRate: 0.1, factor: 0.5, patience: 0 });
    expect(rates(schedule, [Number.NaN, 1, Number.NaN])).toEqual([0.05, 0.05, 0.025]);
  });

  it('throws a ConfigError at schedule.monitor when the validation metric is missing', () => {
    const schedule = create({ learningRate: 0.1 });
    const observe = () => schedule.observe!({ epoch: 1, train: { loss: 1, accuracy: 0.5 } });
    expect(observe).toThrow(ConfigError);
    expect(observe).toThrow(
      'schedule.monitor (reduce-on-plateau): monitors validation.loss, but this run has no validation split; ' +
        'add data.validation (e.g. { fromTrain: 0.1 }) or monitor train.loss',
    );
    expect(schedule.state!()).toEqual({ best: null, badEpochs: 0, cooldownLeft: 0, learningRate: 0.1 });
    const accuracy = create({ monitor: 'validation.accuracy' });
    expect(() => accuracy.observe!({ epoch: 1, train: { loss: 1, accuracy: 0.5 } })).toThrow(/or monitor train\.accuracy$/);
    // a train metric needs no validation split
    const train = create({ learningRate: 0.1, monitor: 'train.loss' });
    expect(() => train.observe!({ epoch: 1, train: { loss: 1, accuracy: 0.5 } })).not.toThrow();
  });

  it('rejects minLearningRate above learningRate with a ConfigError', () => {
    expect(() => create({ learningRate: 0.01, minLearningRate: 0.1 })).toThrow(
      'schedule.minLearningRate (reduce-on-plateau): must be <= learningRate (0.01), got 0.1; lower it or raise learningRate',
    );
  });

  describe('state', () => {
    const options = { learningRate: 0.1, factor: 0.5, patience: 1, minDelta: 0.01, cooldown: 1, minLearningRate: 0.01 };
    const losses = [1, 0.9, 0.95, 0.92, 0.91, 0.85, 0.86, 0.87, 0.88, 0.8, 0.81, 0.82, 0.83, 0.84, 0.85, 0.86];

    it('is plain JSON, with best null before the first epoch', () => {
      const schedule = create(options);
      expect(schedule.state!()).toEqual({ best: null, badEpochs: 0, cooldownLeft: 0, learningRate: 0.1 });
      const accuracy = create({ ...options, monitor: 'train.accuracy' });
      expect(accuracy.state!()).toEqual({ best: null, badEpochs: 0, cooldownLeft: 0, learningRate: 0.1 });
      rates(schedule, losses.slice(0, 4));
      const state = schedule.state!();
      expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    });

    it.each([0, 1, 3, 4, 7, 12])('round-trips after %i epochs: the restored schedule continues identically', (split) => {
      const straight = create(options);
      const expected = rates(straight, losses);
      // the sequence does reduce, with a cooldown and down to the floor
      expect(expected.at(-1)).toBe(0.01);

      const before = create(options);
      const first = rates(before, losses.slice(0, split));
      const saved = JSON.parse(JSON.stringify(before.state!())) as unknown;
      const after = create(options);
      after.loadState!(saved);
      expect(after.state!()).toEqual(before.state!());
      expect([...first, ...rates(after, losses.slice(split), undefined, split + 1)]).toEqual(expected);
      expect(after.state!()).toEqual(straight.state!());
    });

    it('restores best null as no best yet, for an accuracy too', () => {
      const schedule = create({ ...options, monitor: 'validation.accuracy' });
      schedule.loadState!({ best: null, badEpochs: 1, cooldownLeft: 0, learningRate: 0.05 });
      // 0 improves on "no best" (-Infinity): bad epochs reset, so no reduction
      expect(rates(schedule, [0], 'validation.accuracy')).toEqual([0.05]);
      expect(schedule.state!()).toEqual({ best: 0, badEpochs: 0, cooldownLeft: 0, learningRate: 0.05 });
    });

    it('refuses a bad state with a RangeError naming every problem, and keeps its own', () => {
      const schedule = create(options);
      rates(schedule, [1, 2]);
      const kept = schedule.state!();
      const load = (state: unknown) => () => schedule.loadState!(state);
      const where = 'reduce-on-plateau schedule: cannot load state: ';
      const hint = '. The checkpoint was saved with another schedule, or is damaged.';
      expect(load(null)).toThrow(RangeError);
      expect(load(null)).toThrow(`${where}expected an object { best, badEpochs, cooldownLeft, learningRate }, got null${hint}`);
      expect(load([1, 2])).toThrow('got an array');
      expect(load(0.1)).toThrow('got number');
      expect(load({ best: 'low', badEpochs: -1, cooldownLeft: 0.5, learningRate: 0, extra: 1 })).toThrow(
        `${where}unexpected "extra"; best must be a finite number or null, got "low"; ` +
          'badEpochs must be an integer >= 0, got -1; cooldownLeft must be an integer >= 0, got 0.5; ' +
          `learningRate must be a finite number > 0, got 0${hint}`,
      );
      expect(load({ badEpochs: 0, cooldownLeft: 0, learningRate: 0.1 })).toThrow('best must be a finite number or null, got nothing');
      expect(load({ best: Number.POSITIVE_INFINITY, badEpochs: 0, cooldownLeft: 0, learningRate: Number.NaN })).toThrow(
        'best must be a finite number or null, got Infinity; learningRate must be a finite number > 0, got NaN',
      );
      expect(schedule.state!()).toEqual(kept);
    });
  });
});
