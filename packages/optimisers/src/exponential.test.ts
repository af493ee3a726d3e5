import { describe, expect, it } from 'vitest';
import { exponential } from './exponential.js';
import { createSchedule, schemaDefaults } from './test-support.js';

describe('exponential', () => {
  it('defaults: gamma 0.95 per epoch', () => {
    expect(schemaDefaults(exponential.optionsSchema)).toEqual({ learningRate: 0.01, gamma: 0.95, unit: 'epoch' });
    const schedule = createSchedule(exponential, {}, { iterationsPerEpoch: 5, totalIterations: 50 });
    // epoch 2 (iterations 10..14): 0.01 * 0.95^2 = 0.009025
    expect(schedule.learningRate(10)).toBeCloseTo(0.009025, 17);
    expect(schedule.learningRate(14)).toBeCloseTo(0.009025, 17);
  });

  it('is constant within an epoch with unit epoch (no fractional epochs)', () => {
    const schedule = createSchedule(exponential, { learningRate: 0.1, gamma: 0.5 }, { iterationsPerEpoch: 4, totalIterations: 40 });
    // lr = 0.1 * 0.5^floor(i / 4): 0..3 -> 0.1, 4..7 -> 0.05, 8..11 -> 0.025
    expect([0, 3, 4, 7, 8, 11].map((i) => schedule.learningRate(i))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
  });

  it('decays every step with unit iteration', () => {
    const schedule = createSchedule(
      exponential,
      { learningRate: 0.1, gamma: 0.9, unit: 'iteration' },
      { iterationsPerEpoch: 4, totalIterations: 40 },
    );
    // lr = 0.1 * 0.9^i: i 1 -> 0.09, i 2 -> 0.081, i 3 -> 0.0729
    expect(schedule.learningRate(0)).toBe(0.1);
    expect(schedule.learningRate(1)).toBeCloseTo(0.09, 16);
    expect(schedule.learningRate(2)).toBeCloseTo(0.081, 16);
    expect(schedule.learningRate(3)).toBeCloseTo(0.0729, 16);
  });
});
