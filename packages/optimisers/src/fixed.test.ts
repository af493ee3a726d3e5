import { describe, expect, it } from 'vitest';
import { fixed } from './fixed.js';
import { createSchedule, schemaDefaults } from './test-support.js';

const context = { iterationsPerEpoch: 10, totalIterations: 100 };

describe('fixed', () => {
  it('defaults learningRate to 0.01', () => {
    expect(schemaDefaults(fixed.optionsSchema)).toEqual({ learningRate: 0.01 });
    expect(createSchedule(fixed, {}, context).learningRate(0)).toBe(0.01);
  });

  it('returns the base rate at every iteration, past the end too', () => {
    const schedule = createSchedule(fixed, { learningRate: 0.05 }, context);
    expect([0, 1, 99, 100, 5000].map((i) => schedule.learningRate(i))).toEqual([0.05, 0.05, 0.05, 0.05, 0.05]);
  });
});
