import { checkBatchInvariance, checkGradients } from '@scratchnet/testkit';
import { describe, expect, it } from 'vitest';
import { tanh } from './tanh.js';
import { expectInvalidShapesRejected, forwardValues } from './test-helpers.js';

describe('tanh', () => {
  it('computes tanh(x)', () => {
    // tanh(ln 2) = (2 - 1/2) / (2 + 1/2) = 0.6; tanh is odd; tanh(0) = 0
    const { result } = forwardValues(tanh, {}, [3], [Math.log(2), -Math.log(2), 0]);
    expect([...result.output.data].map((v) => +v.toFixed(12))).toEqual([0.6, -0.6, 0]);
  });

  it('passes NaN through', () => {
    const { result } = forwardValues(tanh, {}, [3], [Number.NaN, 0, Number.NaN]);
    expect([...result.output.data].map(Number.isNaN)).toEqual([true, false, true]);
  });

  it('keeps any per-sample shape and rejects invalid ones', () => {
    expect(tanh.outputShape([1, 28, 28], { type: 'tanh' })).toEqual([1, 28, 28]);
    expectInvalidShapesRejected(tanh, {});
  });

  it('passes the gradient check over 3 seeds', () => {
    expect(checkGradients(tanh, {}, { inputShape: [6], seeds: [1, 2, 3] }).maxRelativeError).toBeLessThan(1e-6);
  });

  it('treats every sample of a batch independently', () => {
    expect(checkBatchInvariance(tanh, {}, { inputShape: [3, 2], seed: 2 }).compared).toBe(5 * 6 * 2);
  });
});
