import { describe, expect, it } from 'vitest';
import { step } from './step.js';
import { createSchedule, schemaDefaults } from './test-support.js';

describe('step', () => {
  it('defaults: gamma 0.1 every epoch', () => {
    expect(schemaDefaults(step.optionsSchema)).toEqual({ learningRate: 0.01, gamma: 0.1, stepSize: 1, unit: 'epoch' });
    const schedule = createSchedule(step, {}, { iterationsPerEpoch: 10, totalIterations: 30 });
    // lr = 0.01 * 0.1^floor(epoch / 1): epoch 0 -> 0.01, epoch 1 -> 0.001, epoch 2 -> 0.0001
    expect(schedule.learningRate(9)).toBe(0.01);
    expect(schedule.learningRate(10)).toBeCloseTo(0.001, 18);
    expect(schedule.learningRate(29)).toBeCloseTo(0.0001, 18);
  });

  it('counts whole epochs with unit epoch', () => {
    const schedule = createSchedule(
      step,
      { learningRate: 0.1, gamma: 0.5, stepSize: 2 },
      { iterationsPerEpoch: 10, totalIterations: 100 },
    );
    // lr = 0.1 * 0.5^floor(floor(i / 10) / 2): i 0..19 -> 0.1, 20..39 -> 0.05, 40..59 -> 0.025
    expect([0, 19, 20, 39, 40, 59].map((i) => schedule.learningRate(i))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
  });

  it('counts iterations with unit iteration', () => {
    const schedule = createSchedule(
      step,
      { learningRate: 0.1, gamma: 0.5, stepSize: 3, unit: 'iteration' },
      { iterationsPerEpoch: 10, totalIterations: 100 },
    );
    // lr = 0.1 * 0.5^floor(i / 3): 0,1,2 -> 0.1; 3..5 -> 0.05; 6 -> 0.025
    expect([0, 2, 3, 5, 6].map((i) => schedule.learningRate(i))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
  });

  it('refuses a context without whole epochs', () => {
    expect(() => createSchedule(step, {}, { iterationsPerEpoch: 0, totalIterations: 0 })).toThrow(
      'step schedule: iterationsPerEpoch must be an integer >= 1, got 0.',
    );
  });
});
