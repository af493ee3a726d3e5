import { checkBatchInvariance, checkGradients } from '@scratchnet/testkit';
import { Tensor } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { relu } from './relu.js';
import { expectInvalidShapesRejected, forwardValues } from './test-helpers.js';

describe('relu', () => {
  it('computes max(x, 0) and passes gradients only where x > 0', () => {
    const { result } = forwardValues(relu, {}, [4], [-1.5, 2, 0, 0.25]);
    // leakyRelu with slope 0 yields -0 for negative x (0 * -1.5); + 0 folds it into 0 for toEqual.
    expect([...result.output.data].map((v) => v + 0)).toEqual([0, 2, 0, 0.25]);
    const dx = result.backward(Tensor.from([1, 4], [10, 20, 30, 40], 'float64'), {});
    expect([...dx!.data]).toEqual([0, 20, 0, 40]);
  });

  it('passes NaN through instead of hiding it as 0', () => {
    const { result } = forwardValues(relu, {}, [4], [Number.NaN, -1, 2, Number.NaN]);
    expect([...result.output.data].map(Number.isNaN)).toEqual([true, false, false, true]);
  });

  it('keeps any per-sample shape and rejects invalid ones', () => {
    expect(relu.outputShape([10], { type: 'relu' })).toEqual([10]);
    expectInvalidShapesRejected(relu, {});
  });

  it('passes the gradient check over 3 seeds (inputs kept away from the kink)', () => {
    expect(checkGradients(relu, {}, { inputShape: [8], seeds: [1, 2, 3] }).maxRelativeError).toBeLessThan(1e-6);
  });

  it('treats every sample of a batch independently', () => {
    expect(checkBatchInvariance(relu, {}, { inputShape: [4], seed: 3 }).maxDifference).toBe(0);
  });
});
