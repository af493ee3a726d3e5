import { beforeAll, describe, expect, it } from 'vitest';
import { ModelFormatError } from '@scratchnet/spec';
import type { ModelConfig } from '@scratchnet/spec';
import { createRng } from '@scratchnet/tensor';
import { buildNetwork, createTrainingParts, encodeSafetensors, fit, loadModel, predict, serialiseModel } from './index.js';
import { backend, createTestRegistry, syntheticData, withoutDigest } from './test-fixtures.js';

const registry = createTestRegistry();
const model: ModelConfig = {
  input: [6],
  layers: [{ type: 't-dense', units: 5 }, { type: 't-relu' }, { type: 't-dense', units: 3 }],
};
const data = syntheticData(24, 6, 3, 3);
const description = {
  classNames: ['a', 'b', 'c'],
  loss: { type: 't-cross-entropy' },
  preprocess: [{ options: { type: 'scale', divisor: 255 }, state: {} }],
  name: 'tiny',
};
const fileNames = { model: 'run/model.json', weights: 'run/weights.safetensors' };

async function trainedNetwork() {
  const network = buildNetwork(model, registry, { seed: 21, backend, classes: 3 });
  const training = { epochs: 2, batchSize: 8, lastBatch: 'keep', shuffle: true, backend: 'js', threads: 1 } as const;
  const parts = createTrainingParts(
    {
      loss: description.loss,
      optimiser: { type: 't-momentum', momentum: 0.9, weightDecay: 0 },
      schedule: { type: 't-fixed', learningRate: 0.1 },
      training,
    },
    registry,
    network,
    data.count,
  );
  await fit(network, { ...parts, training, train: data, rng: createRng(22) });
  return network;
}

function loadError(modelJson: string, weights: Uint8Array): string {
  try {
    loadModel(modelJson, weights, registry, { backend, fileNames });
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFormatError);
    return (error as Error).message;
  }
  throw new Error('expected loadModel to throw');
}

describe('serialiseModel / loadModel', () => {
  it('round-trips to bit-identical predictions', async () => {
    const network = await trainedNetwork();
    const { modelJson, weights } = serialiseModel(network, description);
    const loaded = loadModel(modelJson, weights, registry, { backend, fileNames });
    const before = predict(network, loaded.loss, data.images, data.sampleShape);
    const after = predict(loaded.network, loaded.loss, data.images, data.sampleShape);
    expect(after.probabilities.data).toEqual(before.probabilities.data);
    expect(after.classes).toEqual(before.classes);
    expect(loaded.classNames).toEqual(['a', 'b', 'c']);
    expect(loaded.preprocess).toEqual(description.preprocess);
    expect(loaded.model).toMatchObject(model);
    expect(loaded.name).toBe('tiny');
  });

  it('writes model.json with format version, topology, preprocessing, class names and loss', async () => {
    const { modelJson } = serialiseModel(await trainedNetwork(), description);
    expect(JSON.parse(modelJson)).toEqual({
      format: 'scratchnet-model',
      formatVersion: 1,
      name: 'tiny',
      model,
      outputShape: [3],
      preprocess: description.preprocess,
      classNames: ['a', 'b', 'c'],
      loss: { type: 't-cross-entropy' },
      parameters: [
        { name: 'layers.0.weight', shape: [6, 5] },
        { name: 'layers.0.bias', shape: [5] },
        { name: 'layers.2.weight', shape: [5, 3] },
        { name: 'layers.2.bias', shape: [3] },
      ],
    });
  });

  it('needs one class name per output', async () => {
    expect(() => serialiseModel(buildNetwork(model, registry, { seed: 1, backend }), { ...description, classNames: ['x'] })).toThrow(
      'serialiseModel: the network scores 3 classes but 1 class names were given',
    );
  });

  it('loads weights written before files carried a digest (nothing to check)', async () => {
    const network = await trainedNetwork();
    const { modelJson, weights } = serialiseModel(network, description);
    const loaded = loadModel(modelJson, withoutDigest(weights), registry, { backend, fileNames });
    for (const [i, parameter] of loaded.network.parameters.entries()) expect(parameter.value.data).toEqual(network.parameters[i]!.value.data);
  });

  describe('rejects', () => {
    let modelJson = '';
    let weights: Uint8Array = new Uint8Array();
    let json: Record<string, unknown> = {};
    beforeAll(async () => {
      ({ modelJson, weights } = serialiseModel(await trainedNetwork(), description));
      json = JSON.parse(modelJson) as Record<string, unknown>;
    });
    const tensors = (shapes: Record<string, number[]>, dtype: 'F32' | 'F64' = 'F32') =>
      encodeSafetensors(
        Object.fromEntries(
          Object.entries(shapes).map(([name, shape]) => {
            const size = shape.reduce((a, b) => a * b, 1);
            return [name, { shape, data: dtype === 'F32' ? new Float32Array(size) : new Float64Array(size) }];
          }),
        ),
      );
    const good = { 'layers.0.weight': [6, 5], 'layers.0.bias': [5], 'layers.2.weight': [5, 3], 'layers.2.bias': [3] };

    it('bad JSON', () => {
      expect(loadError('{"formatVersion": 1,', weights)).toMatch(/^run\/model\.json: expected JSON, found a syntax error \(.+\)\. The file is damaged\.$/);
    });

    it('another format version', () => {
      expect(loadError(JSON.stringify({ ...json, formatVersion: 2 }), weights)).toBe(
        'run/model.json: formatVersion: expected 1, found 2. ' +
          'This @scratchnet/train reads formatVersion 1 only; load the model with the version that wrote it.',
      );
    });

    it('a broken topology', () => {
      expect(loadError(JSON.stringify({ ...json, model: { input: [6], layers: [{ units: 3 }] } }), weights)).toBe(
        'run/model.json: model.layers[0]: expected an object with a string type, found {"units":3}.',
      );
      const wrongClasses = { ...json, classNames: ['a', 'b'] };
      expect(loadError(JSON.stringify(wrongClasses), weights)).toMatch(
        /^run\/model\.json: model\.layers\[2\] \(t-dense\): the network output is \[3\], but the loss needs one score per class: \[2\]/,
      );
    });

    it('a header length beyond the file', () => {
      const bytes = weights.slice();
      new DataView(bytes.buffer).setBigUint64(0, BigInt(bytes.length), true);
      expect(loadError(modelJson, bytes)).toBe(
        `run/weights.safetensors: the header length field says ${bytes.length} bytes, but only ${bytes.length - 8} bytes follow it. ` +
          'The file is truncated or not safetensors.',
      );
    });

    it('truncated data', () => {
      expect(loadError(modelJson, weights.subarray(0, weights.length - 1))).toBe(
        'run/weights.safetensors: tensor layers.2.bias: expected data up to byte 212 of the data section, found only 211 bytes. ' +
          'The file is truncated.',
      );
    });

    it('missing, extra, reshaped and retyped tensors', () => {
      const { 'layers.2.bias': _bias, ...missing } = good;
      const suffix = '. The weights do not belong to run/model.json: keep the two files of one export together.';
      expect(loadError(modelJson, tensors(missing))).toBe(
        `run/weights.safetensors: tensor layers.2.bias: expected shape [3] F32, found no such tensor${suffix}`,
      );
      expect(loadError(modelJson, tensors({ ...good, 'layers.3.weight': [2] }))).toBe(
        `run/weights.safetensors: tensor layers.3.weight (shape [2]): expected no such tensor, the model has none of that name${suffix}`,
      );
      expect(loadError(modelJson, tensors({ ...good, 'layers.0.weight': [5, 6] }))).toBe(
        `run/weights.safetensors: tensor layers.0.weight: expected shape [6, 5], found [5, 6]${suffix}`,
      );
      expect(loadError(modelJson, tensors(good, 'F64'))).toContain(
        'run/weights.safetensors: tensor layers.0.weight: expected dtype F32, found F64; tensor layers.0.bias: expected dtype F32, found F64',
      );
    });

    it('a flipped byte in the tensor data, naming the file and both digests', () => {
      const headerLength = Number(new DataView(weights.buffer).getBigUint64(0, true));
      const damaged = weights.slice();
      damaged[8 + headerLength + 21]! ^= 0x10;
      expect(loadError(modelJson, damaged)).toMatch(
        /^run\/weights\.safetensors: the tensor data does not match its SHA-256 digest: expected [0-9a-f]{64} \(__metadata__\.scratchnet\.sha256\), found [0-9a-f]{64}\. The file is damaged/,
      );
    });

    it('a NaN or infinite weight, naming the tensor', async () => {
      const network = await trainedNetwork();
      network.parameters[2]!.value.data[4] = Number.NaN;
      expect(loadError(modelJson, serialiseModel(network, description).weights)).toBe(
        'run/weights.safetensors: tensor layers.2.weight (shape [5, 3]): value 4 is NaN, expected a finite number. ' +
          'The weights come from a diverged run or the file is damaged; use an earlier checkpoint or retrain.',
      );
      network.parameters[2]!.value.data[4] = 0;
      network.parameters[1]!.value.data[0] = -Infinity;
      expect(loadError(modelJson, serialiseModel(network, description).weights)).toContain('tensor layers.0.bias (shape [5]): value 0 is -Infinity');
    });
  });
});
