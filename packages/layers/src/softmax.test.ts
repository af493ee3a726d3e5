import { checkBatchInvariance, checkGradients } from '@scratchnet/testkit';
import { describe, expect, it } from 'vitest';
import { softmax } from './softmax.js';
import { expectInvalidShapesRejected, forwardValues } from './test-helpers.js';

describe('softmax', () => {
  it('normalises each sample over all its features', () => {
    // row 1: e^0 : e^{ln 3} = 1 : 3 -> [0.25, 0.75]; row 2: equal logits -> [0.5, 0.5]
    const { result } = forwardValues(softmax, {}, [2], [0, Math.log(3), 7, 7]);
    expect([...result.output.data].map((v) => +v.toFixed(12))).toEqual([0.25, 0.75, 0.5, 0.5]);
    // A [1, 2, 2] sample is one distribution over its 4 values: e^{ln k} / (1 + 2 + 3 + 4)
    const image = forwardValues(softmax, {}, [1, 2, 2], [1, 2, 3, 4].map(Math.log)).result.output;
    expect(image.shape).toEqual([1, 1, 2, 2]);
    expect([...image.data].map((v) => +v.toFixed(12))).toEqual([0.1, 0.2, 0.3, 0.4]);
  });

  it('stays finite for huge logits', () => {
    const { result } = forwardValues(softmax, {}, [3], [1e4, -1e4, 1e4]);
    expect([...result.output.data]).toEqual([0.5, 0, 0.5]);
  });

  it('turns a sample with a NaN into all NaN and leaves the other samples alone', () => {
    const { result } = forwardValues(softmax, {}, [3], [1, Number.NaN, 2, 0, Math.log(3), 0]);
    expect([...result.output.data].slice(0, 3).every(Number.isNaN)).toBe(true);
    expect([...result.output.data].slice(3).map((v) => +v.toFixed(12))).toEqual([0.2, 0.6, 0.2]);
  });

  it('keeps any per-sample shape and rejects invalid ones', () => {
    expect(softmax.outputShape([10], { type: 'softmax' })).toEqual([10]);
    expectInvalidShapesRejected(softmax, {});
  });

  it('passes the gradient check over 3 seeds, including image-shaped samples', () => {
    expect(checkGradients(softmax, {}, { inputShape: [5], seeds: [1, 2, 3] }).maxRelativeError).toBeLessThan(1e-6);
    expect(checkGradients(softmax, {}, { inputShape: [2, 3], seeds: [1, 2, 3] }).maxRelativeError).toBeLessThan(1e-6);
  });

  it('treats every sample of a batch independently', () => {
    expect(checkBatchInvariance(softmax, {}, { inputShape: [6], seed: 5 }).maxDifference).toBeLessThan(1e-12);
  });
});
