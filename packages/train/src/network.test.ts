import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, UnknownPluginError } from '@scratchnet/spec';
import type { ModelConfig } from '@scratchnet/spec';
import { Tensor } from '@scratchnet/tensor';
import { buildNetwork, inferShapes } from './index.js';
import { backend, createTestRegistry, testCrossEntropy } from './test-fixtures.js';
import { createBuiltinRegistry, validatedModel } from './test-builtins.js';

const registry = createTestRegistry();
const mlp: ModelConfig = {
  input: [4],
  layers: [{ type: 't-dense', units: 5 }, { type: 't-relu' }, { type: 't-dense', units: 3 }],
};

describe('inferShapes', () => {
  it('walks every layer from the input shape', () => {
    const pass = inferShapes(mlp, registry);
    expect(pass.layers.map((l) => [l.inputShape, l.outputShape])).toEqual([
      [[4], [5]],
      [[5], [5]],
      [[5], [3]],
    ]);
    expect(pass.outputShape).toEqual([3]);
  });

  it('names the layer index, type, expected and actual shape and a fix', () => {
    const model: ModelConfig = { input: [784], layers: [{ type: 't-dense', units: 64 }, { type: 't-expect', size: 32 }] };
    const error = (() => {
      try {
        inferShapes(model, registry);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).message).toBe(
      'model.layers[1] (t-expect): expected input [32], got [64]. Give it 32 features. ' +
        'Shapes so far: model.input [784] -> model.layers[0] (t-dense) [64].',
    );
    expect((error as ShapeError).layerIndex).toBe(1);
  });

  it('checks the output against the class count', () => {
    expect(() => inferShapes(mlp, registry, { classes: 10 })).toThrow(ConfigError);
    expect(() => inferShapes(mlp, registry, { classes: 10 })).toThrow(
      'model.layers[2] (t-dense): the network output is [3], but the loss needs one score per class: [10]. ' +
        'Make the last layer produce 10 values (e.g. a dense layer with units: 10).',
    );
    expect(inferShapes(mlp, registry, { classes: 3 }).outputShape).toEqual([3]);
  });

  it('rejects an unknown layer type and a bad input shape before building anything', () => {
    expect(() => inferShapes({ input: [4], layers: [{ type: 'nope' }] }, registry)).toThrow(UnknownPluginError);
    expect(() => inferShapes({ input: [0], layers: [] }, registry)).toThrow('model.input: must be a non-empty list of positive integers');
  });
});

describe('buildNetwork', () => {
  it('names parameters by layer, allocates their gradients and marks decay', () => {
    const network = buildNetwork(mlp, registry, { seed: 1, backend });
    expect(network.parameters.map((p) => [p.name, p.value.shape, p.decay])).toEqual([
      ['layers.0.weight', [4, 5], true],
      ['layers.0.bias', [5], false],
      ['layers.2.weight', [5, 3], true],
      ['layers.2.bias', [3], false],
    ]);
    for (const p of network.parameters) {
      expect(p.grad.shape).toEqual(p.value.shape);
      expect(p.grad.data).not.toBe(p.value.data);
    }
    expect(network.layers.map((l) => l.type)).toEqual(['t-dense', 't-relu', 't-dense']);
    expect(network.outputShape).toEqual([3]);
  });

  it('gives the same weights for the same seed and different ones for another seed', () => {
    const weights = (seed: number) => buildNetwork(mlp, registry, { seed, backend }).parameters.map((p) => [...p.value.data]);
    expect(weights(7)).toEqual(weights(7));
    expect(weights(7)).not.toEqual(weights(8));
  });

  it('back-propagates through every layer (float64 finite differences)', () => {
    const network = buildNetwork(mlp, registry, { seed: 3, backend, dtype: 'float64', inputGradient: true });
    const loss = testCrossEntropy.create({ type: 't-cross-entropy' } as never, { backend });
    const x = Tensor.from([2, 4], [0.3, -0.7, 1.1, 0.4, -0.2, 0.9, -1.3, 0.6], 'float64');
    const labels = [2, 0];
    const lossAt = () => loss.forward(network.forward(x, 'train').output, labels).loss;
    const forward = network.forward(x, 'train');
    const dx = forward.backward(loss.forward(forward.output, labels).backward())!;
    const h = 1e-6;
    const numeric = (values: Float64Array | Float32Array, i: number) => {
      const kept = values[i]!;
      values[i] = kept + h;
      const up = lossAt();
      values[i] = kept - h;
      const down = lossAt();
      values[i] = kept;
      return (up - down) / (2 * h);
    };
    for (const p of network.parameters) {
      for (const i of [0, p.value.size - 1]) expect(p.grad.data[i]).toBeCloseTo(numeric(p.value.data, i), 6);
    }
    for (let i = 0; i < x.size; i++) expect(dx.data[i]).toBeCloseTo(numeric(x.data, i), 6);
  });

  it('views [n, ...] inputs of the right per-sample size as the model input shape', () => {
    const network = buildNetwork(mlp, registry, { seed: 1, backend });
    const flat = Tensor.from([1, 4], [1, 2, 3, 4]);
    const square = Tensor.from([1, 2, 2], [1, 2, 3, 4]);
    expect([...network.forward(square, 'eval').output.data]).toEqual([...network.forward(flat, 'eval').output.data]);
    expect(() => network.forward(Tensor.zeros([1, 5]), 'eval')).toThrow(
      'model.layers[0] (t-dense): expected input [n, 4], got [1, 5]. Give the network batches of [4] samples (model.input).',
    );
  });

  it('skips the input gradient of the first layer with parameters unless asked for it', () => {
    const builtins = createBuiltinRegistry();
    const model = validatedModel(builtins, [2, 3], ['flatten', { type: 'dense', units: 4 }, 'relu', { type: 'dense', units: 2 }]);
    const x = Tensor.from([2, 2, 3], [0.3, -0.7, 1.1, 0.4, -0.2, 0.9, -1.3, 0.6, 0.1, 0.5, -0.4, 0.8]);
    const gradsOf = (inputGradient: boolean) => {
      const network = buildNetwork(model, builtins, { seed: 5, backend, inputGradient });
      const dx = network.forward(x, 'train').backward(Tensor.from([2, 2], [0.5, -1, 0.25, 2]));
      return { dx, grads: network.parameters.map((p) => [...p.grad.data]) };
    };
    const lean = gradsOf(false);
    const full = gradsOf(true);
    expect(lean.dx).toBeUndefined();
    expect(full.dx?.shape).toEqual([2, 2, 3]);
    expect(lean.grads).toEqual(full.grads);
    expect(lean.grads.flat().some((g) => g !== 0)).toBe(true);
  });

  it('reuses its buffers across reusing forwards, with the same results as fresh ones', () => {
    const builtins = createBuiltinRegistry();
    const model = validatedModel(builtins, [3], [{ type: 'dense', units: 4 }, 'tanh', { type: 'dense', units: 2 }, 'softmax']);
    const network = buildNetwork(model, builtins, { seed: 9, backend });
    const batch = (offset: number) => Tensor.from([2, 3], [0.1, 0.2, 0.3, -0.4, 0.5, -0.6].map((v) => v + offset));
    const gradients = (forward: { backward(g: Tensor): unknown }) => {
      forward.backward(Tensor.from([2, 2], [1, -1, 0.5, 0.25]));
      return network.parameters.map((p) => [...p.grad.data]);
    };
    const first = network.forward(batch(0), 'train', { reuse: true });
    const firstOutput = [...first.output.data];
    const firstGrads = gradients(first);
    const second = network.forward(batch(1), 'train', { reuse: true });
    expect(second.output).toBe(first.output);
    const secondOutput = [...second.output.data];
    const secondGrads = gradients(second);
    expect(firstOutput).toEqual([...network.forward(batch(0), 'train').output.data]);
    expect(firstGrads).toEqual(gradients(network.forward(batch(0), 'train')));
    expect(secondOutput).toEqual([...network.forward(batch(1), 'train').output.data]);
    expect(secondGrads).toEqual(gradients(network.forward(batch(1), 'train')));
    expect(network.forward(Tensor.zeros([5, 3]), 'train', { reuse: true }).output).not.toBe(first.output);
  });

  it('needs a seed or an rng', () => {
    expect(() => buildNetwork(mlp, registry, { backend })).toThrow(/seed or an rng/);
  });
});
