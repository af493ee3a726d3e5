import { type LayerPlugin, type Mode, createLayerBuffers, outFor, reshapeMemo } from '@scratchnet/spec';
import { Tensor } from '@scratchnet/tensor';
import { createTestContext } from '@scratchnet/testkit';
import { describe, expect, it } from 'vitest';
import { defineActivation } from './activation.js';
import { dense } from './dense.js';
import { dropout } from './dropout.js';
import { flatten } from './flatten.js';
import { leakyRelu } from './leaky-relu.js';
import { relu } from './relu.js';
import { sigmoid } from './sigmoid.js';
import { softmax } from './softmax.js';
import { tanh } from './tanh.js';
import { countingBackend, expectBuffersMatchAllocating, expectInputGradientSkipped } from './test-buffers.js';

interface Case {
  readonly name: string;
  readonly buffers: (mode: Mode) => void;
  readonly inputGradientFalse: () => void;
}

/** Binds one plugin to its options (keeps each case's option type). */
function layerCase<O>(name: string, plugin: LayerPlugin<O>, options: Partial<O>, inputShape: readonly number[]): Case {
  return {
    name,
    buffers: (mode) => expectBuffersMatchAllocating(plugin, options, { inputShape, mode }),
    inputGradientFalse: () => expectInputGradientSkipped(plugin, options, inputShape),
  };
}

const cases: readonly Case[] = [
  layerCase('dense', dense, { units: 3 }, [4]),
  layerCase('dense without bias', dense, { units: 2, useBias: false }, [5]),
  layerCase('sigmoid', sigmoid, {}, [2, 3]),
  layerCase('tanh', tanh, {}, [5]),
  layerCase('relu', relu, {}, [5]),
  layerCase('leaky-relu', leakyRelu, { slope: 0.1 }, [5]),
  layerCase('softmax', softmax, {}, [2, 3]),
  layerCase('dropout', dropout, { rate: 0.3 }, [6]),
  layerCase('dropout rate 0', dropout, { rate: 0 }, [6]),
  layerCase('flatten', flatten, {}, [2, 2, 3]),
];

const modes: readonly Mode[] = ['train', 'eval'];

describe('layers given buffers', () => {
  for (const { name, buffers, inputGradientFalse } of cases) {
    for (const mode of modes) {
      it(`${name} (${mode}): same results as the allocating path, nothing allocated on a same-shape step`, () => buffers(mode));
    }
    it(`${name}: built with inputGradient false, returns undefined and writes the same parameter gradients`, inputGradientFalse);
  }

  it('keeps overlapping forwards independent without buffers', () => {
    const layer = dense.create({ type: 'dense', units: 2, weightInit: 'x', biasInit: 'x', useBias: true }, createTestContext({ inputShape: [3], seed: 1 }));
    const x = Tensor.from([1, 3], [1, 2, 3], 'float64');
    const first = layer.forward(x, 'train');
    const second = layer.forward(Tensor.from([1, 3], [-1, 0, 4], 'float64'), 'train');
    expect(second.output).not.toBe(first.output);
    expect([...first.output.data]).toEqual([...layer.forward(x, 'eval').output.data]);
  });

  it('puts dense outputs and input gradients into the buffers it is given', () => {
    const { backend, zerosCalls } = countingBackend();
    const layer = dense.create({ type: 'dense', units: 2, weightInit: 'x', biasInit: 'x', useBias: true }, createTestContext({ inputShape: [3], seed: 1, backend }));
    const buffers = createLayerBuffers(backend);
    const result = layer.forward(Tensor.from([4, 3], new Array<number>(12).fill(0.5), 'float64'), 'train', buffers);
    expect(result.output).toBe(buffers.get('output', [4, 2], 'float64'));
    const grads = { weight: Tensor.zeros([3, 2], 'float64'), bias: Tensor.zeros([2], 'float64') };
    expect(result.backward(Tensor.zeros([4, 2], 'float64'), grads)).toBe(buffers.get('inputGrad', [4, 3], 'float64'));
    expect(zerosCalls()).toBe(2);
  });

  it('lets an activation that ignores `out` keep working: the layer uses what it returns', () => {
    const square = defineActivation({
      type: 'test-square',
      description: 'x^2',
      forward: (backend, input) => backend.mul(input, input),
      backward: (backend, { input }, outputGrad) => backend.scale(backend.mul(input, outputGrad), 2),
    });
    const { backend } = countingBackend();
    const layer = square.create({ type: 'test-square' }, createTestContext({ inputShape: [3], seed: 1, backend }));
    const result = layer.forward(Tensor.from([1, 3], [1, -2, 3], 'float64'), 'train', createLayerBuffers(backend));
    expect([...result.output.data]).toEqual([1, 4, 9]);
    expect([...result.backward(Tensor.from([1, 3], [1, 1, 0.5], 'float64'), {})!.data]).toEqual([2, -4, 3]);
  });
});

describe('outFor and reshapeMemo', () => {
  it('outFor is undefined without buffers and the buffer under the key with them', () => {
    const buffers = createLayerBuffers(countingBackend().backend);
    expect(outFor(undefined, 'output', [2], 'float32')).toBeUndefined();
    expect(outFor(buffers, 'output', [2], 'float32')).toBe(buffers.get('output', [2], 'float32'));
  });

  it('reshapeMemo returns the same view for the same tensor and shape, a new one otherwise', () => {
    const view = reshapeMemo();
    const a = Tensor.zeros([2, 3]);
    const flat = view(a, [6]);
    expect(flat.data).toBe(a.data);
    expect(view(a, [6])).toBe(flat);
    expect(view(a, [3, 2]).shape).toEqual([3, 2]);
    expect(view(Tensor.zeros([2, 3]), [6])).not.toBe(flat);
  });
});
