import { ConfigError, ModelFormatError } from '@scratchnet/spec';
import { createJsBackend, createRng } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import {
  buildNetwork,
  createTrainingParts,
  decodeCheckpoint,
  encodeCheckpoint,
  encodeSafetensors,
  fit,
  loadModel,
  predict,
  restoreCheckpoint,
  serialiseModel,
  takeCheckpoint,
} from './index.js';
import type { Network } from './index.js';
import { decodeSafetensors } from './safetensors.js';
import { createBuiltinRegistry, validated, validatedModel } from './test-builtins.js';

/**
 * Layer state (Layer.state: batch norm's running mean and variance) through the network, the
 * model files and checkpoints, with the real registry and plugins.
 */
const registry = createBuiltinRegistry();
const backend = createJsBackend();

const model = validatedModel(registry, [1, 6, 6], [
  { type: 'conv2d', filters: 3, kernelSize: 3, padding: 'same' },
  'batch-norm',
  'relu',
  { type: 'max-pool2d', poolSize: 2 },
  'flatten',
  { type: 'dense', units: 8 },
  'batch-norm',
  'relu',
  { type: 'dense', units: 3 },
]);

function images(count: number, seed: number) {
  const rng = createRng(seed);
  return {
    images: Float32Array.from({ length: count * 36 }, () => rng.normal(0.5, 1)),
    labels: Uint8Array.from({ length: count }, (_, i) => i % 3),
    sampleShape: [1, 6, 6],
    count,
    source: 'noise',
  };
}

const data = images(24, 1);
const parts = (batchSize = 8, lastBatch: 'keep' | 'drop' = 'keep', epochs = 2) => ({
  loss: validated(registry, 'loss', 'softmax-cross-entropy'),
  optimiser: validated(registry, 'optimiser', { type: 'sgd', momentum: 0.9 }),
  schedule: validated(registry, 'schedule', { type: 'fixed', learningRate: 0.05 }),
  training: { epochs, batchSize, lastBatch, shuffle: true, backend: 'js', threads: 1 } as const,
});

function setup(seed: number, config = parts()) {
  const network = buildNetwork(model, registry, { seed, backend, classes: 3 });
  return { network, ...createTrainingParts(config, registry, network, data.count), training: config.training, rng: createRng(seed + 100) };
}

const stateOf = (network: Network) => network.state.map(({ name, value }) => [name, [...value.data]] as const);
const weightsOf = (network: Network) => network.parameters.map((p) => [...p.value.data]);

describe('layer state', () => {
  it('is listed as network.state (layers.<i>.<key>), apart from the parameters the optimiser sees, and updated by training', async () => {
    const run = setup(1);
    expect(run.network.state.map((s) => [s.name, s.value.shape])).toEqual([
      ['layers.1.runningMean', [3]],
      ['layers.1.runningVariance', [3]],
      ['layers.6.runningMean', [8]],
      ['layers.6.runningVariance', [8]],
    ]);
    expect(run.network.parameters.map((p) => p.name)).toEqual([
      'layers.0.weight', 'layers.0.bias', 'layers.1.gamma', 'layers.1.beta', 'layers.5.weight', 'layers.5.bias', 'layers.6.gamma', 'layers.6.beta',
      'layers.8.weight', 'layers.8.bias',
    ]);
    expect(run.network.parameters.filter((p) => p.decay).map((p) => p.name)).toEqual(['layers.0.weight', 'layers.5.weight', 'layers.8.weight']);
    expect(run.network.state[0]!.value).toBe(run.network.layers[1]!.layer.state!['runningMean']);
    await fit(run.network, { ...run, train: data });
    expect(run.network.state[0]!.value.data.some((v) => v !== 0)).toBe(true);
    expect(run.network.state[1]!.value.data.some((v) => v !== 1)).toBe(true);
  });

  it('is saved with the model and restored on load: identical eval predictions, bit for bit', async () => {
    const run = setup(2);
    await fit(run.network, { ...run, train: data });
    const { modelJson, weights } = serialiseModel(run.network, { classNames: ['a', 'b', 'c'], loss: parts().loss });
    expect(JSON.parse(modelJson).state).toEqual([
      { name: 'layers.1.runningMean', shape: [3] },
      { name: 'layers.1.runningVariance', shape: [3] },
      { name: 'layers.6.runningMean', shape: [8] },
      { name: 'layers.6.runningVariance', shape: [8] },
    ]);
    const stored = decodeSafetensors(weights, 'weights.safetensors').tensors;
    expect([...stored.get('layers.6.runningVariance')!.data]).toEqual([...run.network.state[3]!.value.data]);

    const loaded = loadModel(modelJson, weights, registry, { backend });
    expect(stateOf(loaded.network)).toEqual(stateOf(run.network));
    const test = images(10, 3);
    const before = predict(run.network, run.loss, test.images, test.sampleShape);
    const after = predict(loaded.network, loaded.loss, test.images, test.sampleShape);
    expect(after.probabilities.data).toEqual(before.probabilities.data);
    // The running statistics matter: the same weights with fresh ones predict something else.
    const fresh = buildNetwork(model, registry, { seed: 2, backend, classes: 3 });
    fresh.parameters.forEach((p, i) => p.value.data.set(run.network.parameters[i]!.value.data));
    expect(predict(fresh, run.loss, test.images, test.sampleShape).probabilities.data).not.toEqual(before.probabilities.data);
  });

  it('must be in the weights file of a model whose layers keep state', () => {
    const network = buildNetwork(model, registry, { seed: 3, backend, classes: 3 });
    const { modelJson, weights } = serialiseModel(network, { classNames: ['a', 'b', 'c'], loss: parts().loss });
    const tensors = Object.fromEntries([...decodeSafetensors(weights, 'w').tensors].filter(([name]) => name !== 'layers.6.runningMean'));
    expect(() => loadModel(modelJson, encodeSafetensors(tensors), registry, { backend })).toThrow(ModelFormatError);
    expect(() => loadModel(modelJson, encodeSafetensors(tensors), registry, { backend })).toThrow(
      'weights.safetensors: tensor layers.6.runningMean: expected shape [8] F32, found no such tensor. The weights do not belong to ' +
        'model.json: keep the two files of one export together.',
    );
  });

  it('leaves models of layers without state as they were: no state in model.json', () => {
    const plain = validatedModel(registry, [4], [{ type: 'dense', units: 3 }]);
    const network = buildNetwork(plain, registry, { seed: 1, backend, classes: 3 });
    expect(network.state).toEqual([]);
    const { modelJson, weights } = serialiseModel(network, { classNames: ['a', 'b', 'c'], loss: parts().loss });
    expect(JSON.parse(modelJson)).not.toHaveProperty('state');
    expect([...decodeSafetensors(weights, 'w').tensors.keys()]).toEqual(['layers.0.weight', 'layers.0.bias']);
    expect(loadModel(modelJson, weights, registry, { backend }).network.state).toEqual([]);
  });

  it('is in checkpoints: a run resumed mid-epoch ends with the weights and running statistics of an uninterrupted one', async () => {
    const full = setup(4);
    await fit(full.network, { ...full, train: data });

    const first = setup(4);
    const controller = new AbortController();
    const aborted = await fit(first.network, {
      ...first,
      train: data,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.event === 'batch-end' && e.epoch === 2 && e.batch === 1) controller.abort();
      },
    });
    expect(aborted.status).toBe('aborted');
    expect(Object.keys(aborted.checkpoint.state ?? {})).toEqual(first.network.state.map((s) => s.name));
    const resume = decodeCheckpoint(encodeCheckpoint(aborted.checkpoint));
    expect(Object.fromEntries(Object.entries(resume.state!).map(([name, t]) => [name, [...t.data]]))).toEqual(Object.fromEntries(stateOf(first.network)));

    const second = setup(50); // other weights and streams: the checkpoint must overwrite them, state included
    await fit(second.network, { ...second, train: data, resume });
    expect(weightsOf(second.network)).toEqual(weightsOf(full.network));
    expect(stateOf(second.network)).toEqual(stateOf(full.network));
  });

  it('must be in a checkpoint of a network with state, with the right shapes', () => {
    const run = setup(5);
    const checkpoint = takeCheckpoint(run.network, run.optimiser, { epoch: 0, batchInEpoch: 0, iteration: 0 }, createRng(1).state(), {
      lossSum: 0,
      correct: 0,
      samples: 0,
    });
    const { 'layers.1.runningVariance': _missing, ...rest } = checkpoint.state!;
    expect(() => restoreCheckpoint(run.network, run.optimiser, { ...checkpoint, state: rest }, createRng(1), 'ckpt')).toThrow(
      new ModelFormatError('ckpt', 'tensor layers.1.runningVariance (shape [3]) is missing.'),
    );
    expect(() => restoreCheckpoint(run.network, run.optimiser, { ...checkpoint, state: { ...checkpoint.state, 'layers.2.x': checkpoint.state!['layers.1.runningMean']! } }, createRng(1), 'ckpt')).toThrow(
      'ckpt: tensor layers.2.x is not a state tensor of this network.',
    );
    // A checkpoint of a network without state (as written before layers had any) has none to restore.
    const plain = validatedModel(registry, [4], [{ type: 'dense', units: 3 }]);
    const network = buildNetwork(plain, registry, { seed: 1, backend, classes: 3 });
    const plainParts = createTrainingParts(parts(), registry, network, 8);
    const old = takeCheckpoint(network, plainParts.optimiser, { epoch: 1, batchInEpoch: 0, iteration: 1 }, createRng(1).state(), {
      lossSum: 0,
      correct: 0,
      samples: 0,
    });
    const { state: _state, ...withoutState } = old;
    expect(() => restoreCheckpoint(network, plainParts.optimiser, withoutState, createRng(1))).not.toThrow();
    expect(decodeCheckpoint(encodeCheckpoint(withoutState)).state).toEqual({});
  });

  it('batch norm refuses a plan with a last training batch of 1 sample before any step; lastBatch: drop avoids it', async () => {
    const odd = images(17, 4); // 17 = 2·8 + 1
    const config = parts(8, 'keep', 1);
    const network = buildNetwork(model, registry, { seed: 6, backend, classes: 3 });
    // The plan is refused while creating the training parts and again by fit, before any step.
    expect(() => createTrainingParts(config, registry, network, odd.count)).toThrow(
      /^training\.batchSize: model\.layers\[\d+\] \(batch-norm\) trains on batches of at least 2 samples, but 17 training samples in batches of 8 leave a last batch of 1/,
    );
    const before = network.parameters.map((p) => Array.from(p.value.data));
    const run = { network, ...createTrainingParts(config, registry, network, 16), training: config.training, rng: createRng(7) };
    await expect(fit(network, { ...run, train: odd })).rejects.toThrow(ConfigError);
    expect(network.parameters.map((p) => Array.from(p.value.data))).toEqual(before);
    expect(() => createTrainingParts(parts(1, 'keep', 1), registry, network, 16)).toThrow(/batchSize is 1\. Use batchSize >= 2/);
    const dropped = parts(8, 'drop', 1);
    const result = await fit(network, { ...run, training: dropped.training, train: odd });
    expect(result.status).toBe('completed');
  });
});
