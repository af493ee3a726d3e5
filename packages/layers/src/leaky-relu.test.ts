import { checkBatchInvariance, checkGradients } from '@scratchnet/testkit';
import { Tensor } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { leakyRelu } from './leaky-relu.js';
import { expectInvalidShapesRejected, forwardValues } from './test-helpers.js';

describe('leaky-relu', () => {
  it('computes x for x > 0 and slope * x otherwise (default slope 0.01)', () => {
    expect([...forwardValues(leakyRelu, {}, [2], [-2, 3]).result.output.data]).toEqual([-0.02, 3]);
    const { result } = forwardValues(leakyRelu, { slope: 0.5 }, [2], [-2, 3]);
    expect([...result.output.data]).toEqual([-1, 3]);
    // dx = slope * dy where x <= 0, dy elsewhere
    expect([...result.backward(Tensor.from([1, 2], [4, 4], 'float64'), {})!.data]).toEqual([2, 4]);
  });

  it('passes NaN through on both sides of the kink', () => {
    for (const slope of [0.01, 0]) {
      const { result } = forwardValues(leakyRelu, { slope }, [4], [Number.NaN, -1, 2, Number.NaN]);
      expect([...result.output.data].map(Number.isNaN), `slope ${slope}`).toEqual([true, false, false, true]);
    }
  });

  it('keeps any per-sample shape and rejects invalid ones', () => {
    expect(leakyRelu.outputShape([2, 3], { type: 'leaky-relu', slope: 0.01 })).toEqual([2, 3]);
    expectInvalidShapesRejected(leakyRelu, {});
  });

  it('passes the gradient check over 3 seeds for several slopes', () => {
    for (const slope of [0.01, 0.3]) {
      expect(checkGradients(leakyRelu, { slope }, { inputShape: [6], seeds: [1, 2, 3] }).maxRelativeError).toBeLessThan(1e-6);
    }
  });

  it('treats every sample of a batch independently', () => {
    expect(checkBatchInvariance(leakyRelu, { slope: 0.2 }, { inputShape: [5], seed: 4 }).maxDifference).toBe(0);
  });
});
