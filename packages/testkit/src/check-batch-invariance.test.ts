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

  it('runs the passes again given buffers: batch, single samples, batch', () => {
    expect(() => checkBatchInvariance(linear, { units: 2, bug: 'stale-buffer' }, { inputShape: [3], seed: 1 })).toThrow(
      /^checkBatchInvariance\(test-linear\): sample 1 alone, given the buffers the batch of 5 used: with buffers and without differ in 2 values[\s\S]*output\[0, 0\]/,
    );
    expect(() => checkBatchInvariance(linear, { units: 2, bug: 'first-buffer' }, { inputShape: [3], seed: 1 })).toThrow(
      /^checkBatchInvariance\(test-linear\): sample 0 alone, given the buffers the batch of 5 used threw: matmul: out is \[5, 2\][\s\S]*A layer given buffers/,
    );
    expect(checkBatchInvariance(linear, { units: 2, bug: 'stale-buffer' }, { inputShape: [3], seed: 1, buffers: false }).compared).toBe(
      5 * 2 + 5 * 3 + 3 * 2,
    );
  });
});

