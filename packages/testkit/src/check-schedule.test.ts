import { defineSchedule } from '@scratchnet/spec';
import { describe, expect, it } from 'vitest';
import { checkSchedule } from './check-schedule.js';

/** lr(i) = 0.1 / (1 + i), or with a bug: a counter of calls instead of i, or a negative rate. */
const decay = defineSchedule<{ bug: 'none' | 'counter' | 'negative' }>({
  kind: 'schedule',
  type: 'test-decay',
  specVersion: 1,
  description: 'inverse decay with a deliberate bug',
  optionsSchema: { type: 'object', properties: { bug: { type: 'string', default: 'none' } } },
  create({ bug }) {
    let calls = 0;
    return {
      learningRate: (iteration) => (bug === 'counter' ? 0.1 / (1 + calls++) : bug === 'negative' && iteration === 7 ? -0.1 : 0.1 / (1 + iteration)),
    };
  },
});

describe('checkSchedule', () => {
  it('returns the rate of every iteration of the run', () => {
    const rates = checkSchedule(decay, {}, { totalIterations: 20 });
    expect(rates).toHaveLength(20);
    expect(rates[4]).toBeCloseTo(0.02, 15);
  });

  it('catches a rate that depends on earlier calls, and a negative rate', () => {
    expect(() => checkSchedule(decay, { bug: 'counter' })).toThrow(/learningRate\(99\) is 0\.001 when iterations are asked in order but 0\.1/);
    expect(() => checkSchedule(decay, { bug: 'negative' })).toThrow(/learningRate\(7\) is -0\.1; rates must be finite numbers >= 0/);
  });
});
