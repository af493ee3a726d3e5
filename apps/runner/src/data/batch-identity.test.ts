// Issue 14, "data as bytes": data sets stay bytes and preprocessing runs per batch. Every batch
// must still be bit for bit what the old path made (the whole split converted to float32 and
// preprocessed up front, then rows gathered), or trained models and the accuracy tables change.
// The old path is written out here as it was, on the real MNIST and sklearn digits.
import { createNodeDataSource } from '@scratchnet/datasets/node';
import { mnist, preprocessors, selectRange, sklearnDigitsJson, splitValidation } from '@scratchnet/datasets';
import type { Dataset, PluginOptions, PreprocessState } from '@scratchnet/spec';
import { createJsBackend, createRng, createWasmBackend, shapeSize, type Backend, type DType, type Shape } from '@scratchnet/tensor';
import { createBatcher, fitPreprocess } from '@scratchnet/train';
import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../builtins.js';
import { loadExperiment } from '../config/load-config.js';
import { placeData, prepareData } from './load-data.js';

const registry = createBuiltinRegistry();
const source = createNodeDataSource({ baseDir: process.cwd(), dataDir: null });

/** The old fitPreprocess: fit and apply each step on the whole split as float32, in place. */
function oldPreprocess(steps: readonly PluginOptions[], data: Dataset): { images: Float32Array; sampleShape: Shape; states: PreprocessState[] } {
  let images: Float32Array = Float32Array.from(data.images);
  let sampleShape = data.sampleShape;
  const states: PreprocessState[] = [];
  for (const options of steps) {
    const plugin = preprocessors.find((p) => p.type === options.type)!;
    const step = plugin.create(options as never);
    const state = step.fit?.(images, sampleShape) ?? {};
    images = step.apply(images, sampleShape, state);
    sampleShape = step.outputShape(sampleShape);
    states.push(state);
  }
  return { images, sampleShape, states };
}

/** The old batch: rows of the preprocessed split copied in `order`, into the batch dtype. */
function oldBatch(images: Float32Array, size: number, order: Int32Array, start: number, rows: number, dtype: DType): Float32Array | Float64Array {
  const batch = dtype === 'float64' ? new Float64Array(rows * size) : new Float32Array(rows * size);
  for (let r = 0; r < rows; r++) batch.set(images.subarray(order[start + r]! * size, (order[start + r]! + 1) * size), r * size);
  return batch;
}

function expectIdentical(got: ArrayLike<number>, expected: ArrayLike<number>, label: string): void {
  expect(got.length, label).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) if (!Object.is(got[i], expected[i])) expect.fail(`${label} value ${i}: ${got[i]}, old path ${expected[i]}`);
}

/** A shuffled epoch of `data` batched both ways, with `backend` gathering the new one. */
function compareEpoch(data: Dataset, steps: readonly PluginOptions[], backend: Backend | undefined, dtype: DType, label: string): void {
  const old = oldPreprocess(steps, data);
  const preprocess = fitPreprocess(steps, registry, data);
  expect(preprocess.fitted.map((entry) => entry.state), `${label}: fitted state`).toEqual(old.states);
  expect(preprocess.outputShape).toEqual(old.sampleShape);
  const batchSize = 64;
  const batcher = createBatcher({ ...data, preprocess }, { batchSize, shuffle: true, rng: createRng(9), dtype, ...(backend ? { backend } : {}) });
  batcher.startEpoch();
  const order = createRng(9).shuffle(Int32Array.from({ length: data.count }, (_, i) => i));
  const size = shapeSize(old.sampleShape);
  for (let b = 0; b < batcher.batchesPerEpoch; b++) {
    const batch = batcher.batch(b);
    expectIdentical(batch.images.data, oldBatch(old.images, size, order, b * batchSize, batch.size, dtype), `${label} batch ${b}`);
  }
}

const STEPS: Readonly<Record<string, readonly PluginOptions[]>> = {
  scale: [{ type: 'scale', divisor: 255 }],
  'scale by 7.3, flatten': [{ type: 'scale', divisor: 7.3 }, { type: 'flatten' }],
  standardise: [{ type: 'standardise', perPixel: false, epsilon: 1e-8 }],
  'standardise per pixel': [{ type: 'standardise', perPixel: true, epsilon: 1e-8 }],
  'scale, then standardise': [{ type: 'scale', divisor: 255 }, { type: 'standardise', perPixel: false, epsilon: 1e-8 }],
};

const BACKENDS: ReadonlyArray<readonly [string, () => Backend | undefined]> = [
  ['no backend', () => undefined],
  ['js', createJsBackend],
  ['wasm', () => createWasmBackend()],
];

describe('a batch made from bytes equals the old preprocessed-then-gathered batch, bit for bit', () => {
  it.each(Object.keys(STEPS))('MNIST (3,000 test digits): %s, on every backend, float32 and float64', async (name) => {
    const digits = selectRange(await mnist.load({ type: 'mnist', split: 'test' }, source), { take: 3000 });
    expect(digits.images).toBeInstanceOf(Uint8Array);
    for (const [backendName, backend] of BACKENDS) {
      for (const dtype of ['float32', 'float64'] as const) compareEpoch(digits, STEPS[name]!, backend(), dtype, `${name}, ${backendName}, ${dtype}`);
    }
  });

  it('the sklearn digits (0..16): scale by 16 and standardise, wasm', async () => {
    const digits = await sklearnDigitsJson.load({ type: 'sklearn-digits-json' }, source);
    compareEpoch(digits, [{ type: 'scale', divisor: 16 }], createWasmBackend(), 'float32', 'sklearn scale 16');
    compareEpoch(digits, STEPS['standardise per pixel']!, createWasmBackend(), 'float32', 'sklearn standardise per pixel');
  });

  it("the runner's prepared splits (validation split of bytes, test set) batch like the old ones, placed in wasm memory", async () => {
    const text = `name: identity
seed: 4
data:
  train: { type: sklearn-digits-json, take: 1500 }
  test: { type: sklearn-digits-json, skip: 1500 }
  validation: { fromTrain: 0.1 }
  preprocess: [{ type: scale, divisor: 16 }, { type: standardise }]
model: { input: [1, 8, 8], layers: [flatten, { type: dense, units: 10 }] }
loss: softmax-cross-entropy
optimiser: sgd
schedule: { type: fixed, learningRate: 0.1 }
training: { epochs: 1, batchSize: 32 }
`;
    const loaded = await loadExperiment({ text, displayName: 'x.yaml', configDir: process.cwd(), overrides: [] });
    const wasm = createWasmBackend();
    const data = placeData(await prepareData(loaded.experiment, loaded.registry, source, createRng(77)), wasm);
    // The old runner: the same split of the raw digits, preprocessed whole.
    const raw = selectRange(await sklearnDigitsJson.load({ type: 'sklearn-digits-json' }, source), { take: 1500 });
    const split = splitValidation(raw, { fraction: 0.1, stratify: loaded.experiment.data.validation!.stratify }, createRng(77));
    const steps = loaded.experiment.data.preprocess;
    const oldTrain = oldPreprocess(steps, split.train);
    expect(data.preprocess.map((entry) => entry.state)).toEqual(oldTrain.states);
    expect(data.train.images.buffer).toBeInstanceOf(SharedArrayBuffer);
    // Validation batches use the training statistics: the old path applied them to the validation part.
    let oldValidation: Float32Array = Float32Array.from(split.validation.images);
    for (const [index, options] of steps.entries()) {
      const step = preprocessors.find((p) => p.type === options.type)!.create(options as never);
      oldValidation = step.apply(oldValidation, split.validation.sampleShape, oldTrain.states[index]!);
    }
    const validation = createBatcher(data.validation!, { batchSize: 50, shuffle: false, backend: wasm, resident: false });
    const identity = Int32Array.from({ length: data.validation!.count }, (_, i) => i);
    for (let b = 0; b < validation.batchesPerEpoch; b++) {
      const batch = validation.batch(b);
      expectIdentical(batch.images.data, oldBatch(oldValidation, 64, identity, b * 50, batch.size, 'float32'), `validation batch ${b}`);
    }
  });
});
