import { ShapeError } from '@scratchnet/spec';
import { createJsBackend, createRng } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { buildNetwork, createTrainingParts, evaluate, fit, inferShapes, loadModel, predict, serialiseModel } from './index.js';
import { createBuiltinRegistry, validated, validatedModel } from './test-builtins.js';

/** Conv layers through the shape pass and the training loop, with the real registry and plugins. */
const registry = createBuiltinRegistry();
const backend = createJsBackend();

function shapeErrorOf(run: () => unknown): ShapeError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ShapeError);
    return error as ShapeError;
  }
  return expect.fail('expected a ShapeError');
}

describe('conv layers in the shape pass', () => {
  it('reports a conv stack that shrinks below 1x1 with the layer index, the shapes and a fix', () => {
    const conv5 = { type: 'conv2d', filters: 4, kernelSize: 5 };
    const model = validatedModel(registry, [1, 8, 8], [conv5, conv5, conv5]);
    const error = shapeErrorOf(() => inferShapes(model, registry));
    expect(error.layerIndex).toBe(1);
    expect(error.layerType).toBe('conv2d');
    expect(error.actual).toBe('[4, 4, 4]');
    expect(error.message).toBe(
      'model.layers[1] (conv2d): expected input at least [4, 5, 5] for kernelSize [5, 5], dilation [1, 1] and padding ' +
        "[0, 0, 0, 0] (top, left, bottom, right), got [4, 4, 4]. The window does not fit (the output would be [4, 0, 0]): " +
        "use a smaller kernelSize or dilation, padding: 'same', or fewer pooling or strided layers before this one. " +
        'Shapes so far: model.input [1, 8, 8] -> model.layers[0] (conv2d) [4, 4, 4].',
    );
    expect(() => buildNetwork(model, registry, { seed: 1, backend })).toThrow(error.message);
    // 'same' padding keeps the stack at 8x8.
    const same = validatedModel(registry, [1, 8, 8], [{ ...conv5, padding: 'same' }, 'relu', { ...conv5, padding: 'same' }, 'relu', conv5]);
    expect(inferShapes(same, registry).layers.map((layer) => layer.outputShape)).toEqual([[4, 8, 8], [4, 8, 8], [4, 8, 8], [4, 8, 8], [4, 4, 4]]);
  });

  it('counts the layers between convs in the index and lists only the layers that change the shape', () => {
    const conv3 = { type: 'conv2d', filters: 2, kernelSize: 3 };
    const model = validatedModel(registry, [1, 8, 8], [conv3, 'relu', conv3, 'relu', conv3, 'relu', conv3]);
    const error = shapeErrorOf(() => inferShapes(model, registry));
    expect(error.message).toMatch(/^model\.layers\[6\] \(conv2d\): expected input at least \[2, 3, 3\] .*, got \[2, 2, 2\]\./);
    expect(error.message).toMatch(
      / Shapes so far: model\.input \[1, 8, 8\] -> model\.layers\[0\] \(conv2d\) \[2, 6, 6\] -> model\.layers\[2\] \(conv2d\) \[2, 4, 4\] -> model\.layers\[4\] \(conv2d\) \[2, 2, 2\]\.$/,
    );
  });

  it('reports a conv after a flatten, and a reshape with the wrong size, at their index', () => {
    const afterFlatten = validatedModel(registry, [1, 8, 8], ['flatten', { type: 'conv2d', filters: 2, kernelSize: 3 }]);
    expect(shapeErrorOf(() => inferShapes(afterFlatten, registry)).message).toBe(
      'model.layers[1] (conv2d): expected input [channels, height, width] (3-D), got [64]. A conv2d layer needs images: use ' +
        'model.input [1, 8, 8] or add { type: reshape, shape: [1, 8, 8] } before it (after a flatten, move the flatten after ' +
        'the last conv or pooling layer). Shapes so far: model.input [1, 8, 8] -> model.layers[0] (flatten) [64].',
    );
    const badReshape = validatedModel(registry, [64], [{ type: 'reshape', shape: [1, 8, 9] }]);
    expect(shapeErrorOf(() => inferShapes(badReshape, registry)).message).toBe(
      'model.layers[0] (reshape): expected input 72 values per sample (shape: [1, 8, 9]), got [64] (64 values). ' +
        'Give reshape a shape of 64 values, e.g. [64] or [1, 8, 8]. Shapes so far: model.input [64].',
    );
  });
});

describe('a small conv network', () => {
  it('overfits 16 samples and saves and loads to identical predictions', async () => {
    const count = 16;
    const rng = createRng(3);
    const train = {
      images: Float32Array.from({ length: count * 36 }, () => rng.normal()),
      labels: Uint8Array.from({ length: count }, () => rng.int(4)),
      sampleShape: [36],
      count,
      source: 'noise',
    };
    const config = {
      model: validatedModel(registry, [36], [
        { type: 'reshape', shape: [1, 6, 6] },
        { type: 'conv2d', filters: 6, kernelSize: 3, padding: 'same' },
        'relu',
        { type: 'conv2d', filters: 6, kernelSize: 2, stride: 2 },
        'relu',
        'flatten',
        { type: 'dense', units: 4 },
      ]),
      loss: validated(registry, 'loss', 'softmax-cross-entropy'),
      optimiser: validated(registry, 'optimiser', { type: 'sgd', momentum: 0.9 }),
      schedule: validated(registry, 'schedule', { type: 'fixed', learningRate: 0.05 }),
      training: { epochs: 60, batchSize: 8, lastBatch: 'keep', shuffle: true, backend: 'js', threads: 1 } as const,
    };
    expect(inferShapes(config.model, registry, { classes: 4 }).layers.map((layer) => layer.outputShape)).toEqual([
      [1, 6, 6], [6, 6, 6], [6, 6, 6], [6, 3, 3], [6, 3, 3], [54], [4],
    ]);
    const network = buildNetwork(config.model, registry, { seed: 5, backend, classes: 4 });
    const run = { network, ...createTrainingParts(config, registry, network, count), training: config.training, rng: createRng(6) };
    expect(evaluate(network, run.loss, train).accuracy).toBeLessThan(0.75);
    await fit(network, { ...run, train });
    expect(evaluate(network, run.loss, train).accuracy).toBe(1);
    const { modelJson, weights } = serialiseModel(network, { classNames: ['a', 'b', 'c', 'd'], loss: config.loss });
    const loaded = loadModel(modelJson, weights, registry, { backend });
    const before = predict(network, run.loss, train.images, train.sampleShape);
    expect(predict(loaded.network, loaded.loss, train.images, train.sampleShape).probabilities.data).toEqual(before.probabilities.data);
  });
});
