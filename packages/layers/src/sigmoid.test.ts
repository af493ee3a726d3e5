import { checkBatchInvariance, checkGradients } from '@scratchnet/testkit';
import { describe, expect, it } from 'vitest';
import { sigmoid } from './sigmoid.js';
import { expectInvalidShapesRejected, forwardValues } from './test-helpers.js';

describe('sigmoid', () => {
  it('computes 1 / (1 + e^-x)', () => {
    // sigmoid(0) = 1/2; sigmoid(ln 3) = 1 / (1 + 1/3) = 3/4; sigmoid(-ln 3) = 1/4
    const { result } = forwardValues(sigmoid, {}, [3], [0, Math.log(3), -Math.log(3)]);
    expect([...result.output.data].map((v) => +v.toFixed(12))).toEqual([0.5, 0.75, 0.25]);
  });

  it('passes NaN through', () => {
    const { result } = forwardValues(sigmoid, {}, [3], [Number.NaN, 0, Number.NaN]);
    expect([...result.output.data].map(Number.isNaN)).toEqual([true, false, true]);
  });

  it('keeps any per-sample shape and rejects invalid ones', () => {
    expect(sigmoid.outputShape([7], { type: 'sigmoid' })).toEqual([7]);
    expect(sigmoid.outputShape([1, 4, 4], { type: 'sigmoid' })).toEqual([1, 4, 4]);
    expectInvalidShapesRejected(sigmoid, {});
  });

  it('passes the gradient check over 3 seeds, on flat and image-shaped inputs', () => {
    expect(checkGradients(sigmoid, {}, { inputShape: [5], seeds: [1, 2, 3] }).maxRelativeError).toBeLessThan(1e-6);
    expect(checkGradients(sigmoid, {}, { inputShape: [2, 2, 3], seeds: [4, 5, 6] }).checked).toBe(3 * 3 * 12);
  });

  it('treats every sample of a batch independently', () => {
    expect(checkBatchInvariance(sigmoid, {}, { inputShape: [4], seed: 1 }).maxDifference).toBeLessThan(1e-12);
  });
});
