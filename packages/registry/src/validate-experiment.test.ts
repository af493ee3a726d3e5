import { ConfigError } from '@scratchnet/spec';
import { describe, expect, it } from 'vitest';
import { fakeRegistry } from './test-plugins.js';

const registry = fakeRegistry();

/** The design document's example experiment, in the fake plugins' terms. */
const example = () => ({
  name: 'mnist-relu-softmax',
  seed: 42,
  plugins: [],
  data: {
    train: { type: 'mnist', split: 'train' },
    test: { type: 'mnist', split: 'test', take: 1000 },
    validation: { fromTrain: 0.1 },
    preprocess: [{ type: 'scale', divisor: 255 }],
  },
  model: {
    input: [784],
    layers: [{ type: 'dense', units: 30, weightInit: 'he-normal' }, { type: 'relu' }, { type: 'dense', units: 10 }],
  },
  loss: { type: 'softmax-cross-entropy' },
  optimiser: { type: 'sgd', momentum: 0.9 },
  schedule: { type: 'fixed', learningRate: 0.05 },
  training: { epochs: 10, batchSize: 64 },
});

const describeIssues = (raw: unknown): string => ConfigError.describe(registry.validateExperiment(raw).issues);

describe('validateExperiment', () => {
  it('returns the experiment with shorthand expanded and every default filled', () => {
    const result = registry.validateExperiment(example());
    expect(result.issues).toEqual([]);
    const value = result.value!;
    expect(value.data).toEqual({
      train: { type: 'mnist', split: 'train' },
      test: { type: 'mnist', split: 'test', take: 1000 },
      validation: { fromTrain: 0.1, stratify: true },
      preprocess: [{ type: 'scale', divisor: 255 }],
      augment: [],
    });
    expect(value.model.layers[0]).toEqual({
      type: 'dense',
      units: 30,
      weightInit: { type: 'he-normal' },
      biasInit: { type: 'zeros' },
      useBias: true,
    });
    expect(value.model.layers[1]).toEqual({ type: 'relu' });
    expect(value.optimiser).toEqual({ type: 'sgd', momentum: 0.9, nesterov: false });
    expect(value.training).toEqual({
      epochs: 10,
      batchSize: 64,
      lastBatch: 'keep',
      shuffle: true,
      backend: 'auto',
      threads: 0,
      parallelism: 'auto',
      shards: 2,
      restoreBest: false,
      warmupEpochs: 0,
    });
  });

  it('fills the defaults of a minimal experiment', () => {
    const minimal = {
      name: 'tiny',
      data: { train: 'mnist' },
      model: { input: [1, 28, 28], layers: ['relu'] },
      loss: 'softmax-cross-entropy',
      optimiser: 'sgd',
    };
    const { value } = registry.validateExperiment(minimal);
    expect(value).toMatchObject({
      seed: 0,
      plugins: [],
      data: { train: { type: 'mnist', split: 'train' }, preprocess: [] },
      schedule: { type: 'fixed', learningRate: 0.1 },
      training: { epochs: 1, batchSize: 32, lastBatch: 'keep', shuffle: true, backend: 'auto', threads: 0, parallelism: 'auto', shards: 2 },
    });
    expect(minimal.data).toEqual({ train: 'mnist' });
  });

  it('reports three mistakes together, in the order they appear', () => {
    const raw = example();
    raw.model.layers[2] = { type: 'dense', units: 0 };
    (raw.training as Record<string, unknown>).epoch = 3;
    raw.loss = { type: 'softmax-crossentropy' };
    const result = registry.validateExperiment(raw);
    expect(result.value).toBeUndefined();
    expect(ConfigError.describe(result.issues)).toBe(
      [
        'model.layers[2].units (dense): units must be an integer >= 1 (found 0)',
        'loss.type: unknown loss type "softmax-crossentropy". Did you mean "softmax-cross-entropy"? Known loss types: softmax-cross-entropy.',
        'training.epoch: unknown key "epoch"; did you mean "epochs"? Keys of training: epochs, batchSize, lastBatch, shuffle, backend, threads, parallelism, shards, earlyStopping, restoreBest, clipNorm, warmupEpochs',
      ].join('\n'),
    );
  });

  it('checks the envelope: names, numbers, enums, lists and unknown keys', () => {
    const raw = {
      name: 'my run',
      sead: 1,
      data: { train: { type: 'mnist', take: -1 }, validation: { fromTrain: 1.5 } },
      model: { input: [784, 0], layers: [] },
      loss: 'softmax-cross-entropy',
      optimiser: 'sgd',
      training: { batchSize: 64, lastBatch: 'pad', backend: 'gpu' },
    };
    expect(describeIssues(raw)).toBe(
      [
        'name: name must be a string matching /^[A-Za-z0-9][A-Za-z0-9._-]*$/ (found "my run")',
        'sead: unknown key "sead"; did you mean "seed"? Top-level keys: name, seed, plugins, data, model, loss, optimiser, schedule, training',
        'data.train.take (mnist): take must be an integer >= 1 (found -1)',
        'data.validation.fromTrain: fromTrain must be a number > 0 and < 1 (found 1.5)',
        'model.input[1]: input[1] must be an integer >= 1 (found 0)',
        'model.layers: layers must be a non-empty list (found [])',
        'training.lastBatch: lastBatch must be one of "keep", "drop" (found "pad")',
        'training.backend: backend must be one of "auto", "js", "wasm" (found "gpu")',
      ].join('\n'),
    );
  });

  it('names the nearest allowed value of a misspelt enum, and lists them all', () => {
    const raw = { ...example(), training: { epochs: 1, batchSize: 8, lastBatch: 'drp', backend: 'wsam' } };
    expect(describeIssues(raw)).toBe(
      [
        'training.lastBatch: lastBatch must be one of "keep", "drop" (found "drp"); did you mean "drop"?',
        'training.backend: backend must be one of "auto", "js", "wasm" (found "wsam"); did you mean "wasm"?',
      ].join('\n'),
    );
    // Enum values are case-sensitive; the hint shows the spelling that is accepted.
    expect(describeIssues({ ...example(), training: { epochs: 1, batchSize: 8, backend: 'JS' } })).toBe(
      'training.backend: backend must be one of "auto", "js", "wasm" (found "JS"); did you mean "js"?',
    );
  });

  it('reports missing sections with the nearest existing parent', () => {
    expect(describeIssues({ name: 'x', data: {}, model: { input: [1], layers: ['relu'] } })).toBe(
      [
        'loss: missing required key "loss"',
        'optimiser: missing required key "optimiser"',
        'data.train: missing required key "train"',
      ].join('\n'),
    );
  });

  it('still checks plugin slots when a sibling section is malformed', () => {
    const raw = { ...example(), data: 'mnist', model: { input: [784], layers: ['relu', 'sigmoid'] } };
    expect(describeIssues(raw)).toBe(
      [
        'data: data must be an object (found "mnist")',
        'model.layers[1]: unknown layer type "sigmoid". Known layer types: dense, dropout, relu.',
      ].join('\n'),
    );
  });

  it('rejects something that is not an object', () => {
    expect(registry.validateExperiment([1, 2]).issues).toEqual([
      {
        path: [],
        message:
          'an experiment must be an object with the sections name, data, model, loss and optimiser ' +
          '(and optionally seed, plugins, schedule, training) (found [1,2])',
      },
    ]);
  });

  it('does not modify the raw config', () => {
    const raw = example();
    const copy = structuredClone(raw);
    registry.validateExperiment(raw);
    expect(raw).toEqual(copy);
  });
});
