import { checkBatchInvariance, checkGradients, createTestContext } from '@scratchnet/testkit';
import { Tensor } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { dropout } from './dropout.js';
import { expectInvalidShapesRejected, forwardValues } from './test-helpers.js';

describe('dropout', () => {
  it('zeroes about `rate` of the units in training and scales the rest by 1/(1 - rate)', () => {
    const ones = new Array<number>(4000).fill(1);
    const { result } = forwardValues(dropout, { rate: 0.25 }, [40], ones, 'train');
    const values = [...result.output.data];
    const dropped = values.filter((v) => v === 0).length;
    // 4000 Bernoulli(0.25) draws: mean 1000, std ~27, so +-100 is a ~3.6 sigma band.
    expect(dropped).toBeGreaterThan(900);
    expect(dropped).toBeLessThan(1100);
    expect(values.every((v) => v === 0 || v === 1 / 0.75)).toBe(true);
    // backward applies the same mask
    const dx = result.backward(Tensor.from([100, 40], ones, 'float64'), {});
    expect([...dx!.data]).toEqual(values);
  });

  it('is the identity in eval mode and with rate 0', () => {
    const values = [0.5, -1, 2, 3];
    expect([...forwardValues(dropout, {}, [4], values, 'eval').result.output.data]).toEqual(values);
    expect([...forwardValues(dropout, { rate: 0 }, [4], values, 'train').result.output.data]).toEqual(values);
  });

  it('draws its masks from the build context rng (same seed, same mask; new mask each forward)', () => {
    const run = (seed: number) => {
      const context = createTestContext({ inputShape: [50], seed });
      const layer = dropout.create({ type: 'dropout', rate: 0.5 }, context);
      const input = Tensor.from([1, 50], new Array<number>(50).fill(1), 'float64');
      return [layer.forward(input, 'train').output.data.join(), layer.forward(input, 'train').output.data.join()];
    };
    const [first, second] = run(3);
    expect(run(3)).toEqual([first, second]);
    expect(second).not.toEqual(first);
    expect(run(4)[0]).not.toEqual(first);
  });

  it('keeps any per-sample shape and rejects invalid ones', () => {
    expect(dropout.outputShape([3, 4], { type: 'dropout', rate: 0.5 })).toEqual([3, 4]);
    expectInvalidShapesRejected(dropout, {});
  });

  it('passes the gradient check over 3 seeds in train mode (mask replayed) and eval mode', () => {
    for (const rate of [0.5, 0.2]) {
      expect(checkGradients(dropout, { rate }, { inputShape: [10], seeds: [1, 2, 3] }).maxRelativeError).toBeLessThan(1e-6);
    }
    expect(checkGradients(dropout, {}, { inputShape: [10], seeds: [1, 2, 3], mode: 'eval' }).maxRelativeError).toBeLessThan(1e-9);
  });

  it('treats every sample of a batch independently in eval mode', () => {
    expect(checkBatchInvariance(dropout, {}, { inputShape: [6], seed: 1 }).maxDifference).toBe(0);
  });
});
