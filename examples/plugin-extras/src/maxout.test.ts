import { ShapeError, createLayerBuffers } from '@scratchnet/spec';
import { Tensor } from '@scratchnet/tensor';
import { checkBatchInvariance, checkGradients, createTestContext, optionsWithDefaults } from '@scratchnet/testkit';
import { describe, expect, it } from 'vitest';
import { type MaxoutOptions, maxout } from './maxout.js';

describe('maxout', () => {
  it('keeps the largest piece of each unit', () => {
    const layer = maxout.create(optionsWithDefaults<MaxoutOptions>(maxout, { units: 2, pieces: 2 }), createTestContext({ inputShape: [2], seed: 1 }));
    // Columns: unit 0 = (x0, -x0), unit 1 = (x1, x0 + x1); bias 0.5 on unit 1's second piece.
    layer.params['weight']!.data.set([1, -1, 0, 1, 0, 0, 1, 1]);
    layer.params['bias']!.data.set([0, 0, 0, 0.5]);
    const x = Tensor.from([2, 2], [2, 3, -1, -4], 'float64');
    const { output, backward } = layer.forward(x, 'eval');
    // sample 0: max(2, -2) = 2, max(3, 5.5) = 5.5; sample 1: max(-1, 1) = 1, max(-4, -4.5) = -4
    expect(output.shape).toEqual([2, 2]);
    expect([...output.data]).toEqual([2, 5.5, 1, -4]);

    const grads = { weight: Tensor.zeros([2, 4], 'float64'), bias: Tensor.zeros([4], 'float64') };
    const dx = backward(Tensor.from([2, 2], [1, 10, 100, 1000], 'float64'), grads);
    // Winners: (0,0) col 0, (0,1) col 3, (1,0) col 1, (1,1) col 2.
    expect([...grads.bias.data]).toEqual([1, 100, 1000, 10]);
    expect([...grads.weight.data]).toEqual([2, -100, -1000, 20, 3, -400, -4000, 30]);
    // dx = dz·Wᵀ: sample 0 dz = [1, 0, 0, 10] -> [1 + 10·1, 0 + 10·1]; sample 1 dz = [0, 100, 1000, 0].
    expect([...dx!.data]).toEqual([11, 10, -100, 1000]);
  });

  it('passes the gradient check for the input, weight and bias', () => {
    const report = checkGradients(maxout, { units: 3, pieces: 3 }, { inputShape: [4], seeds: [1, 2, 3] });
    expect(report.maxRelativeError).toBeLessThan(1e-6);
    expect(Object.keys(report.tensors).sort()).toEqual(['bias', 'input', 'weight']);
  });

  it('reuses its buffers: the same output and dx tensors for the same batch size, dz cleared each time', () => {
    const context = createTestContext({ inputShape: [3], seed: 2 });
    const layer = maxout.create(optionsWithDefaults<MaxoutOptions>(maxout, { units: 2, pieces: 3 }), context);
    const buffers = createLayerBuffers(context.backend);
    const grads = () => ({ weight: Tensor.zeros([3, 6], 'float64'), bias: Tensor.zeros([6], 'float64') });
    const step = (values: number[], withBuffers: boolean) => {
      const result = layer.forward(Tensor.from([2, 3], values, 'float64'), 'train', withBuffers ? buffers : undefined);
      const g = grads();
      const dx = result.backward(Tensor.from([2, 2], [1, -2, 3, 0.5], 'float64'), g)!;
      return { output: result.output, dx, values: [...result.output.data, ...dx.data, ...g.weight.data, ...g.bias.data] };
    };
    const first = step([1, -1, 2, 0.5, 0.25, -3], true);
    const second = step([-2, 1, 0, 1.5, -0.75, 2], true);
    expect(second.output).toBe(first.output);
    expect(second.dx).toBe(first.dx);
    expect(second.values).toEqual(step([-2, 1, 0, 1.5, -0.75, 2], false).values);
  });

  it('skips dx but not dW and db when built with inputGradient: false', () => {
    const build = (inputGradient: boolean) =>
      maxout.create(optionsWithDefaults<MaxoutOptions>(maxout, { units: 2 }), createTestContext({ inputShape: [3], seed: 3, inputGradient }));
    const x = Tensor.from([1, 3], [1, -1, 2], 'float64');
    const dy = Tensor.from([1, 2], [1, -2], 'float64');
    const grads = () => ({ weight: Tensor.zeros([3, 4], 'float64'), bias: Tensor.zeros([4], 'float64') });
    const [withDx, without] = [grads(), grads()];
    expect(build(true).forward(x, 'train').backward(dy, withDx)?.shape).toEqual([1, 3]);
    expect(build(false).forward(x, 'train').backward(dy, without)).toBeUndefined();
    expect(without).toEqual(withDx);
  });

  it('treats every sample of a batch independently', () => {
    expect(checkBatchInvariance(maxout, { units: 2 }, { inputShape: [3], seed: 4 }).compared).toBe(5 * (2 + 3) + 3 * 4 + 4);
  });

  it('needs a 1-D input and names itself by its registered id otherwise', () => {
    const options = { ...optionsWithDefaults<MaxoutOptions>(maxout, { units: 5 }), type: 'extras/maxout' };
    expect(maxout.outputShape([7], options)).toEqual([5]);
    expect(() => maxout.outputShape([1, 28, 28], options)).toThrow(ShapeError);
    expect(() => maxout.outputShape([1, 28, 28], options)).toThrow(
      'layer (extras/maxout): expected input [features] (1-D), got [1, 28, 28]. Add { type: flatten } before this layer.',
    );
  });
});
