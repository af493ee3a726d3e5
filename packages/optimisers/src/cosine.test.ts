import { describe, expect, it } from 'vitest';
import { ConfigError } from '@scratchnet/spec';
import { cosine } from './cosine.js';
import { createSchedule, schemaDefaults } from './test-support.js';

describe('cosine', () => {
  it('defaults: no warm-up, down to 0', () => {
    expect(schemaDefaults(cosine.optionsSchema)).toEqual({ learningRate: 0.01, minLearningRate: 0, warmupIterations: 0 });
  });

  it('anneals from learningRate to minLearningRate at totalIterations', () => {
    const schedule = createSchedule(cosine, { learningRate: 0.1 }, { iterationsPerEpoch: 10, totalIterations: 100 });
    // lr = 0.1 * (1 + cos(pi * i / 100)) / 2
    expect(schedule.learningRate(0)).toBe(0.1);
    // i 25: 0.1 * (1 + cos(pi/4)) / 2 = 0.1 * 1.7071067812 / 2 = 0.08535533906
    expect(schedule.learningRate(25)).toBeCloseTo(0.08535533906, 11);
    // i 50: 0.1 * (1 + 0) / 2 = 0.05
    expect(schedule.learningRate(50)).toBeCloseTo(0.05, 16);
    // i 100 and beyond: 0
    expect(schedule.learningRate(100)).toBe(0);
    expect(schedule.learningRate(150)).toBe(0);
  });

  it('warms up linearly from learningRate / W, then anneals over the remaining iterations', () => {
    const schedule = createSchedule(
      cosine,
      { learningRate: 0.1, minLearningRate: 0.01, warmupIterations: 10 },
      { iterationsPerEpoch: 10, totalIterations: 110 },
    );
    // warm-up: lr = 0.1 * (i + 1) / 10: i 0 -> 0.01, i 4 -> 0.05, i 9 -> 0.1
    expect(schedule.learningRate(0)).toBeCloseTo(0.01, 17);
    expect(schedule.learningRate(4)).toBeCloseTo(0.05, 17);
    expect(schedule.learningRate(9)).toBe(0.1);
    // cosine: lr = 0.01 + 0.09 * (1 + cos(pi * (i - 10) / 100)) / 2
    // i 10 -> 0.1; i 60 -> 0.01 + 0.045 = 0.055; i 110 -> 0.01
    expect(schedule.learningRate(10)).toBe(0.1);
    expect(schedule.learningRate(60)).toBeCloseTo(0.055, 16);
    expect(schedule.learningRate(110)).toBe(0.01);
  });

  it('stays at minLearningRate after a warm-up as long as training', () => {
    const schedule = createSchedule(
      cosine,
      { learningRate: 0.1, minLearningRate: 0.02, warmupIterations: 10 },
      { iterationsPerEpoch: 5, totalIterations: 10 },
    );
    expect(schedule.learningRate(3)).toBeCloseTo(0.04, 17);
    expect(schedule.learningRate(10)).toBe(0.02);
  });

  it('rejects minLearningRate above learningRate with a ConfigError', () => {
    const create = () =>
      createSchedule(cosine, { learningRate: 0.01, minLearningRate: 0.1 }, { iterationsPerEpoch: 1, totalIterations: 1 });
    expect(create).toThrow(ConfigError);
    expect(create).toThrow(
      'schedule.minLearningRate (cosine): must be <= learningRate (0.01), got 0.1; lower it or raise learningRate',
    );
  });
});
