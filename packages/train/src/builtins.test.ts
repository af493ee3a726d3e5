import { describe, expect, it } from 'vitest';
import { ShapeError } from '@scratchnet/spec';
import type { ModelConfig } from '@scratchnet/spec';
import { createJsBackend, createRng } from '@scratchnet/tensor';
import {
  buildNetwork,
  createTrainingParts,
  decodeCheckpoint,
  encodeCheckpoint,
  evaluate,
  fit,
  inferShapes,
  loadModel,
  predict,
  serialiseModel,
} from './index.js';
import { createBuiltinRegistry, validated, validatedModel } from './test-builtins.js';

/** The train API with the real registry and built-in plugins, as the runner will use it. */
const registry = createBuiltinRegistry();
const backend = createJsBackend();

/** Gaussian inputs with random labels: nothing to learn but the samples themselves. */
function noise(count: number, features: number, classes: number, seed: number) {
  const rng = createRng(seed);
  const images = Float32Array.from({ length: count * features }, () => rng.normal());
  const labels = Uint8Array.from({ length: count }, () => rng.int(classes));
  return { images, labels, sampleShape: [features], count, source: 'noise' };
}

function experiment(epochs: number, batchSize: number, optimiser: object, layers: unknown[], input = [20]) {
  return {
    model: validatedModel(registry, input, layers),
    loss: validated(registry, 'loss', 'softmax-cross-entropy'),
    optimiser: validated(registry, 'optimiser', optimiser),
    schedule: validated(registry, 'schedule', { type: 'fixed', learningRate: 0.05 }),
    training: { epochs, batchSize, lastBatch: 'keep', shuffle: true, backend: 'js', threads: 1 } as const,
  };
}

function start(config: ReturnType<typeof experiment>, seed: number, count: number) {
  const network = buildNetwork(config.model, registry, { seed, backend, classes: 10 });
  return { network, ...createTrainingParts(config, registry, network, count), training: config.training, rng: createRng(seed + 1) };
}

const weightsOf = (run: ReturnType<typeof start>) => run.network.parameters.map((p) => [...p.value.data]);
const withDropout = experiment(3, 8, { type: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 1e-3 }, [
  { type: 'dense', units: 16 },
  'tanh',
  { type: 'dropout', rate: 0.3 },
  { type: 'dense', units: 10 },
]);
const data = noise(36, 20, 10, 8);

describe('train with the built-in plugins', () => {
  it('overfits 32 samples to loss < 0.01 and 100% training accuracy in a fixed 60 epochs', async () => {
    // Random labels on noise: only memorising every sample gets the loss this low, so a break
    // anywhere in forward, loss, backward or the optimiser step shows up here.
    const train = noise(32, 20, 10, 1);
    const config = experiment(60, 8, { type: 'sgd', momentum: 0.9 }, [{ type: 'dense', units: 64 }, 'relu', { type: 'dense', units: 10 }]);
    const run = start(config, 2, train.count);
    const before = evaluate(run.network, run.loss, train);
    const result = await fit(run.network, { ...run, train });
    expect(result.history).toHaveLength(60);
    expect(before.accuracy).toBeLessThan(0.5);
    expect(before.loss).toBeGreaterThan(1);
    const after = evaluate(run.network, run.loss, train);
    expect(after.loss).toBeLessThan(0.01);
    expect(after.accuracy).toBe(1);
  });

  it('gives bit-identical weights for the same seed (dropout included) and different ones for another', async () => {
    const trained = async (seed: number) => {
      const run = start(withDropout, seed, data.count);
      await fit(run.network, { ...run, train: data });
      return weightsOf(run);
    };
    const first = await trained(10);
    expect(await trained(10)).toEqual(first);
    expect(await trained(11)).not.toEqual(first);
  });

  it('resumes an aborted run mid-epoch to bit-identical weights', async () => {
    const full = start(withDropout, 12, data.count);
    await fit(full.network, { ...full, train: data });

    const first = start(withDropout, 12, data.count);
    const controller = new AbortController();
    const stopped = await fit(first.network, {
      ...first,
      train: data,
      signal: controller.signal,
      onEvent: (e) => e.event === 'batch-end' && e.epoch === 2 && e.batch === 3 && controller.abort(),
    });
    expect(stopped.checkpoint).toMatchObject({ epoch: 1, batchInEpoch: 3, iteration: 8 });

    const second = start(withDropout, 500, data.count);
    await fit(second.network, { ...second, train: data, resume: decodeCheckpoint(encodeCheckpoint(stopped.checkpoint)) });
    expect(weightsOf(second)).toEqual(weightsOf(full));
  });

  it('saves and loads a model to bit-identical predictions', async () => {
    const run = start(withDropout, 13, data.count);
    await fit(run.network, { ...run, train: data });
    const { modelJson, weights } = serialiseModel(run.network, { classNames: [...'0123456789'], loss: validated(registry, 'loss', 'softmax-cross-entropy') });
    const loaded = loadModel(modelJson, weights, registry, { backend });
    const before = predict(run.network, run.loss, data.images, data.sampleShape);
    const after = predict(loaded.network, loaded.loss, data.images, data.sampleShape);
    expect(after.probabilities.data).toEqual(before.probabilities.data);
    expect(after.classes).toEqual(before.classes);
  });

  it('reports a shape mismatch with layer index, type, expected and actual shape, and a fix', () => {
    const model: ModelConfig = validatedModel(registry, [1, 28, 28], [{ type: 'dense', units: 30 }, 'relu']);
    expect(() => inferShapes(model, registry)).toThrow(ShapeError);
    expect(() => buildNetwork(model, registry, { seed: 1, backend })).toThrow(
      'model.layers[0] (dense): expected input [features] (1-D), got [1, 28, 28]. Add { type: flatten } before this layer.',
    );
    const fixed = validatedModel(registry, [1, 28, 28], ['flatten', { type: 'dense', units: 30 }, 'relu', { type: 'dense', units: 10 }]);
    expect(inferShapes(fixed, registry, { classes: 10 }).outputShape).toEqual([10]);
    const later = validatedModel(registry, [1, 28, 28], ['relu', 'dropout', { type: 'dense', units: 10 }]);
    expect(() => inferShapes(later, registry)).toThrow(
      'model.layers[2] (dense): expected input [features] (1-D), got [1, 28, 28]. Add { type: flatten } before this layer.',
    );
  });
});
