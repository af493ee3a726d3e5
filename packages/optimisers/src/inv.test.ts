import { describe, expect, it } from 'vitest';
import { inv } from './inv.js';
import { createSchedule, schemaDefaults } from './test-support.js';

const context = { iterationsPerEpoch: 100, totalIterations: 100_000 };

describe('inv', () => {
  it("defaults to Caffe's LeNet solver: gamma 1e-4, power 0.75", () => {
    expect(schemaDefaults(inv.optionsSchema)).toEqual({ learningRate: 0.01, gamma: 1e-4, power: 0.75 });
  });

  it('follows learningRate * (1 + gamma * iteration)^-power', () => {
    const schedule = createSchedule(inv, {}, context);
    // i 0:     0.01 * 1^-0.75 = 0.01
    // i 10000: 0.01 * 2^-0.75 = 0.01 * 0.5946035575 = 0.005946035575
    // i 30000: 0.01 * 4^-0.75 = 0.01 / (2 * sqrt(2)) = 0.003535533906
    expect(schedule.learningRate(0)).toBe(0.01);
    expect(schedule.learningRate(10_000)).toBeCloseTo(0.005946035575, 12);
    expect(schedule.learningRate(30_000)).toBeCloseTo(0.003535533906, 12);
  });

  it('uses the given gamma and power', () => {
    const schedule = createSchedule(inv, { learningRate: 0.1, gamma: 0.5, power: 1 }, context);
    // i 2: 0.1 * (1 + 0.5*2)^-1 = 0.05; i 6: 0.1 / 4 = 0.025
    expect(schedule.learningRate(2)).toBeCloseTo(0.05, 17);
    expect(schedule.learningRate(6)).toBeCloseTo(0.025, 17);
  });
});
