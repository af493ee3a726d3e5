import { describe, expect, it } from 'vitest';
import { checkBatchInvariance } from './check-batch-invariance.js';
import { linear, noisy } from './test-plugins.js';

describe('checkBatchInvariance', () => {
  it('passes a layer that treats rows independently', () => {
    const report = checkBatchInvariance(linear, { units: 3 }, { inputShape: [4], batch: 5, seed: 3 });
    // outputs 5*3 + input grads 5*4 + summed weight grad 12
    expect(report.compared).toBe(47);
    expect(report.maxDifference).toBeLessThan(1e-12);
  });

  it('fails a layer whose rows depend on each other', () => {
    expect(() => checkBatchInvariance(linear, { units: 2, bug: 'mix-batch' }, { inputShape: [3], seed: 1 })).toThrow(
      /checkBatchInvariance\(test-linear\): a batch of 5 differs from 5 single-sample passes[\s\S]*output sample \d \[\d\]/,
    );
  });

  it('fails train-time randomness drawn per element, which depends on the batch size', () => {
    // Each single-sample pass replays the rng from the start, so sample 1 gets sample 0's noise.
    expect(() => checkBatchInvariance(noisy, {}, { inputShape: [2], mode: 'train' })).toThrow(/output sample 1/);
  });
});
