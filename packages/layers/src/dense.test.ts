import { ShapeError } from '@scratchnet/spec';
import { checkBatchInvariance, checkGradients, createTestContext } from '@scratchnet/testkit';
import { Tensor } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { dense } from './dense.js';
import { forwardValues } from './test-helpers.js';

describe('dense', () => {
  it('computes x·W + b and its gradients', () => {
    const { layer, input } = forwardValues(dense, { units: 3 }, [2], [1, 2]);
    layer.params['weight']!.data.set([1, 0, -1, 2, 1, 0]); // W = [[1, 0, -1], [2, 1, 0]]
    layer.params['bias']!.data.set([0.5, 0, 0]);
    const result = layer.forward(input, 'eval');
    // y = [1*1 + 2*2 + 0.5, 1*0 + 2*1, 1*(-1) + 2*0] = [5.5, 2, -1]
    expect(result.output.shape).toEqual([1, 3]);
    expect([...result.output.data]).toEqual([5.5, 2, -1]);
    const grads = { weight: Tensor.zeros([2, 3], 'float64'), bias: Tensor.zeros([3], 'float64') };
    const dx = result.backward(Tensor.from([1, 3], [1, 0, 2], 'float64'), grads);
    // dW = xᵀ·dy = [[1, 0, 2], [2, 0, 4]]; db = dy; dx = dy·Wᵀ = [1*1 + 2*(-1), 1*2 + 0] = [-1, 2]
    expect([...grads.weight.data]).toEqual([1, 0, 2, 2, 0, 4]);
    expect([...grads.bias.data]).toEqual([1, 0, 2]);
    expect([...dx!.data]).toEqual([-1, 2]);
  });

  it('creates weight [in, units] and bias [units] with their initialisers and fan, decaying only the weight', () => {
    const calls: unknown[] = [];
    const context = createTestContext({ inputShape: [4], seed: 1 });
    const spy = { ...context, initialise: (ref: unknown, shape: readonly number[], fan: unknown) => {
      calls.push([ref, shape, fan]);
      return context.initialise('ignored', shape, { fanIn: 4, fanOut: 3 });
    } };
    const layer = dense.create(
      { type: 'dense', units: 3, weightInit: 'he-normal', biasInit: { type: 'constant', value: 0.1 }, useBias: true },
      spy,
    );
    expect(calls).toEqual([
      ['he-normal', [4, 3], { fanIn: 4, fanOut: 3 }],
      [{ type: 'constant', value: 0.1 }, [3], { fanIn: 4, fanOut: 3 }],
    ]);
    expect(Object.keys(layer.params)).toEqual(['weight', 'bias']);
    expect(layer.decayed).toEqual(['weight']);
    const noBias = dense.create({ type: 'dense', units: 3, weightInit: 'x', biasInit: 'zeros', useBias: false }, context);
    expect(Object.keys(noBias.params)).toEqual(['weight']);
  });

  it('works in float32 when the context says so', () => {
    const context = createTestContext({ inputShape: [3], seed: 2, dtype: 'float32' });
    const layer = dense.create({ type: 'dense', units: 2, weightInit: 'x', biasInit: 'zeros', useBias: true }, context);
    expect(layer.params['weight']!.dtype).toBe('float32');
    const { output } = layer.forward(Tensor.from([4, 3], new Array<number>(12).fill(0.5)), 'eval');
    expect(output.dtype).toBe('float32');
    expect(output.shape).toEqual([4, 2]);
  });

  it('declares its defaults and initialiser references in the schema', () => {
    const properties = dense.optionsSchema['properties'] as Record<string, { default?: unknown }>;
    expect(properties['weightInit']?.default).toBe('xavier-uniform');
    expect(properties['biasInit']?.default).toBe('zeros');
    expect(properties['useBias']?.default).toBe(true);
    expect(dense.optionsSchema['required']).toEqual(['units']);
    expect(dense.references).toEqual({ weightInit: 'initialiser', biasInit: 'initialiser' });
  });

  it('outputs [units] for a 1-D input and rejects anything else with a ShapeError', () => {
    const options = { type: 'dense', units: 10, weightInit: 'xavier-uniform', biasInit: 'zeros', useBias: true };
    expect(dense.outputShape([784], options)).toEqual([10]);
    expect(() => dense.outputShape([1, 28, 28], options)).toThrow(ShapeError);
    expect(() => dense.outputShape([1, 28, 28], options)).toThrow(
      'layer (dense): expected input [features] (1-D), got [1, 28, 28]. Add { type: flatten } before this layer.',
    );
    expect(() => dense.outputShape([], options)).toThrow(ShapeError);
    expect(() => dense.outputShape([0], options)).toThrow(ShapeError);
    expect(() => dense.create(options, createTestContext({ inputShape: [2, 2], seed: 1 }))).toThrow(ShapeError);
    try {
      dense.outputShape([3, 4], options);
    } catch (error) {
      expect((error as ShapeError).atLayer(2).message).toBe(
        'model.layers[2] (dense): expected input [features] (1-D), got [3, 4]. Add { type: flatten } before this layer.',
      );
    }
  });

  it('passes the gradient check over 3 seeds, with and without bias', () => {
    const report = checkGradients(dense, { units: 3 }, { inputShape: [4], seeds: [1, 2, 3] });
    expect(Object.keys(report.tensors)).toEqual(['input', 'weight', 'bias']);
    expect(report.maxRelativeError).toBeLessThan(1e-6);
    const noBias = checkGradients(dense, { units: 2, useBias: false }, { inputShape: [5], seeds: [1, 2, 3] });
    expect(Object.keys(noBias.tensors)).toEqual(['input', 'weight']);
  });

  it('samples large weight matrices in the gradient check', () => {
    const report = checkGradients(dense, { units: 30 }, { inputShape: [40], batch: 2, seeds: [1, 2, 3] });
    expect(report.tensors['weight']).toMatchObject({ size: 1200, checked: 600 });
    expect(report.maxRelativeError).toBeLessThan(1e-6);
  });

  it('treats every sample of a batch independently', () => {
    expect(checkBatchInvariance(dense, { units: 4 }, { inputShape: [3], seed: 2 }).maxDifference).toBeLessThan(1e-12);
  });
});
