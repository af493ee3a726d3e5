import { createRegistry } from '@scratchnet/registry';
import { ShapeError, createLayerBuffers } from '@scratchnet/spec';
import { checkBatchInvariance, checkGradients, createTestContext, lintPlugin } from '@scratchnet/testkit';
import { Tensor } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { reshape } from './reshape.js';
import { expectBuffersMatchAllocating, expectInputGradientSkipped } from './test-buffers.js';
import { forwardValues } from './test-helpers.js';

describe('reshape', () => {
  it('reshapes each sample in row-major order, sharing memory', () => {
    expect(reshape.outputShape([784], { type: 'reshape', shape: [1, 28, 28] })).toEqual([1, 28, 28]);
    expect(reshape.outputShape([2, 3, 4], { type: 'reshape', shape: [6, 4] })).toEqual([6, 4]);
    expect(reshape.outputShape([2, 3, 4], { type: 'reshape', shape: [24] })).toEqual([24]);
    const values = Array.from({ length: 24 }, (_, i) => i);
    const { result, input } = forwardValues(reshape, { shape: [3, 2, 2] }, [12], values);
    expect(result.output.shape).toEqual([2, 3, 2, 2]);
    expect(result.output.data).toBe(input.data);
    const dx = result.backward(result.output, {});
    expect(dx?.shape).toEqual([2, 12]);
    expect(dx?.data).toBe(input.data);
  });

  it('rejects a shape with another number of values with a ShapeError naming both shapes and sizes', () => {
    expect(() => reshape.outputShape([784], { type: 'reshape', shape: [1, 28, 27] })).toThrow(ShapeError);
    expect(() => reshape.outputShape([784], { type: 'reshape', shape: [1, 28, 27] })).toThrow(
      'layer (reshape): expected input 756 values per sample (shape: [1, 28, 27]), got [784] (784 values). ' +
        'Give reshape a shape of 784 values, e.g. [784] or [1, 28, 28].',
    );
    expect(() => reshape.outputShape([2, 3, 5], { type: 'reshape', shape: [4, 8] })).toThrow(
      'got [2, 3, 5] (30 values). Give reshape a shape of 30 values, e.g. [30].',
    );
    expect(() => reshape.create({ type: 'reshape', shape: [5] }, createTestContext({ inputShape: [2, 3], seed: 1 }))).toThrow(ShapeError);
    expect(() => reshape.outputShape([], { type: 'reshape', shape: [1] })).toThrow('layer (reshape): expected input [d1, d2, ...]');
    expect(() => reshape.outputShape([0, 3], { type: 'reshape', shape: [1] })).toThrow(ShapeError);
  });

  it('returns the same view objects for the same buffers', () => {
    const context = createTestContext({ inputShape: [6], seed: 1 });
    const layer = reshape.create({ type: 'reshape', shape: [2, 3] }, context);
    const buffers = createLayerBuffers(context.backend);
    const x = Tensor.zeros([4, 6], 'float64');
    const first = layer.forward(x, 'train', buffers);
    const second = layer.forward(x, 'train', buffers);
    expect(second.output).toBe(first.output);
    const dy = Tensor.zeros([4, 2, 3], 'float64');
    expect(second.backward(dy, {})).toBe(first.backward(dy, {}));
    expect(layer.forward(x, 'train').output).not.toBe(first.output);
  });

  it('passes the gradient check over 3 seeds and treats samples independently', () => {
    expect(checkGradients(reshape, { shape: [3, 2, 2] }, { inputShape: [2, 6], seeds: [1, 2, 3] }).maxRelativeError).toBeLessThan(1e-9);
    expect(checkBatchInvariance(reshape, { shape: [1, 3, 3] }, { inputShape: [9], seed: 1 }).compared).toBe(5 * 9 * 2);
  });

  it('honours buffers and inputGradient false', () => {
    for (const mode of ['train', 'eval'] as const) expectBuffersMatchAllocating(reshape, { shape: [1, 2, 3] }, { inputShape: [6], mode });
    expectInputGradientSkipped(reshape, { shape: [4, 3] }, [2, 6]);
  });

  it('has a schema that requires a non-empty list of integers >= 1', () => {
    expect(lintPlugin(reshape, { example: { shape: [1, 28, 28] } }).problems).toEqual([]);
    const registry = createRegistry();
    registry.register(reshape, 'test');
    const issues = (options: Record<string, unknown>) => registry.validateOptions('layer', { type: 'reshape', ...options }).issues;
    expect(issues({ shape: [1, 28, 28] })).toEqual([]);
    expect(issues({}).map((issue) => issue.message)).toEqual(['missing required option "shape"']);
    expect(issues({ shape: [] })).toHaveLength(1);
    expect(issues({ shape: [1, 0] }).map((issue) => issue.message)).toEqual(['shape[1] must be an integer >= 1 (found 0)']);
    expect(issues({ shape: [-1, 28] })).toHaveLength(1);
    expect(issues({ shape: [2.5] })).toHaveLength(1);
    expect(issues({ shape: 784 })).toHaveLength(1);
  });
});
