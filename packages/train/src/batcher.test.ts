import { definePreprocess, type PluginRegistry } from '@scratchnet/spec';
import { describe, expect, it } from 'vitest';
import { createJsBackend, createRng, createWasmBackend, shapeSize, type Shape } from '@scratchnet/tensor';
import { countBatches, createBatcher, createDefaultRegistry, createPreprocess } from './index.js';
import type { PreprocessEntry } from './model-json.js';
import { divideStep, flatStep, rampStep } from './test-preprocessors.js';

/** Sample i has pixels [i, i + 0.5] and label i % 7, so a gathered row says which sample it is. */
function indexed(count: number) {
  const images = new Float32Array(count * 2);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    images[2 * i] = i;
    images[2 * i + 1] = i + 0.5;
    labels[i] = i % 7;
  }
  return { images, labels, sampleShape: [2], count };
}

function epochSamples(batcher: ReturnType<typeof createBatcher>): number[][] {
  batcher.startEpoch();
  const batches: number[][] = [];
  for (let b = 0; b < batcher.batchesPerEpoch; b++) {
    const batch = batcher.batch(b);
    const ids: number[] = [];
    for (let r = 0; r < batch.size; r++) {
      const id = batch.images.data[2 * r]!;
      expect(batch.images.data[2 * r + 1]).toBe(id + 0.5);
      expect(batch.labels[r]).toBe(id % 7);
      ids.push(id);
    }
    expect(batch.images.shape).toEqual([batch.size, 2]);
    batches.push(ids);
  }
  return batches;
}

describe('createBatcher', () => {
  it('visits every sample once per epoch, in file order without shuffling', () => {
    const batcher = createBatcher(indexed(10), { batchSize: 4, shuffle: false });
    expect(epochSamples(batcher)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect(batcher.samplesPerEpoch).toBe(10);
  });

  it('drops a short last batch when asked', () => {
    const batcher = createBatcher(indexed(10), { batchSize: 4, shuffle: false, lastBatch: 'drop' });
    expect(epochSamples(batcher)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
    expect(batcher.samplesPerEpoch).toBe(8);
    expect(countBatches(10, 4, 'drop')).toBe(2);
    expect(countBatches(10, 4, 'keep')).toBe(3);
    expect(countBatches(3, 4, 'drop')).toBe(0);
  });

  it('draws a new permutation every epoch from the rng, and the same one again from a saved state', () => {
    const rng = createRng(5);
    const batcher = createBatcher(indexed(50), { batchSize: 16, shuffle: true, rng });
    const saved = rng.state();
    const first = epochSamples(batcher);
    const second = epochSamples(batcher);
    expect(first.flat().sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
    expect(second.flat().sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
    expect(first.flat()).not.toEqual(second.flat());
    expect(first.flat()).not.toEqual([...Array(50).keys()]);
    rng.setState(saved);
    expect(epochSamples(batcher)).toEqual(first);
  });

  it('reuses its buffers: the short last batch is a view on the full one', () => {
    const batcher = createBatcher(indexed(10), { batchSize: 4, shuffle: true, rng: createRng(1) });
    batcher.startEpoch();
    const a = batcher.batch(0);
    const b = batcher.batch(1);
    const last = batcher.batch(2);
    expect(b.images).toBe(a.images);
    expect(b.labels).toBe(a.labels);
    expect(last.size).toBe(2);
    expect(last.images.data.buffer).toBe(a.images.data.buffer);
    expect(last.labels.buffer).toBe(a.labels.buffer);
  });

  it('gathers into float64 batches when asked', () => {
    const batcher = createBatcher(indexed(3), { batchSize: 2, shuffle: false, dtype: 'float64' });
    batcher.startEpoch();
    expect(batcher.batch(1).images.data).toEqual(new Float64Array([2, 2.5]));
  });

  it('keeps the batch buffer in plain memory with resident: false, and in the backend memory by default', () => {
    const wasm = createWasmBackend();
    const data = { ...indexed(6), images: Uint8Array.from(indexed(6).images, Math.floor) };
    const plain = createBatcher(data, { batchSize: 4, shuffle: false, backend: wasm, resident: false });
    const resident = createBatcher(data, { batchSize: 4, shuffle: false, backend: wasm });
    expect(plain.batch(0).images.data.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect(resident.batch(0).images.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(plain.batch(1).images.data)).toEqual([4, 4, 5, 5]);
    expect(Array.from(resident.batch(1).images.data)).toEqual([4, 4, 5, 5]);
  });

  it('rejects inconsistent data and bad settings', () => {
    expect(() => createBatcher({ ...indexed(3), count: 4 }, { batchSize: 2, shuffle: false })).toThrow(
      'data set of 4 samples of [2] needs 8 image values and 4 labels, got 6 and 3',
    );
    expect(() => createBatcher(indexed(3), { batchSize: 0, shuffle: false })).toThrow('batchSize must be an integer >= 1');
    expect(() => createBatcher(indexed(3), { batchSize: 2, shuffle: true })).toThrow('shuffle needs an rng');
    const batcher = createBatcher(indexed(3), { batchSize: 2, shuffle: false });
    expect(() => batcher.batch(2)).toThrow('batch index 2 is outside 0..1');
  });
});

/** Test steps: x / by (elementwise), x + position (not), and a reshape to [n] (elementwise). */
const divide = divideStep();
const ramp = rampStep(false);
const flat = flatStep;

/** The first half of each sample's values, into a new array: batches smaller than the samples. */
const crop = definePreprocess({
  kind: 'preprocess',
  type: 'crop',
  specVersion: 1,
  description: 'first half',
  optionsSchema: { type: 'object' },
  create: () => ({
    outputShape: (shape) => [shapeSize(shape) / 2],
    apply(images, shape) {
      const size = shapeSize(shape);
      const out = new Float32Array(images.length / 2);
      for (let i = 0; i < out.length; i++) out[i] = images[Math.floor(i / (size / 2)) * size + (i % (size / 2))]!;
      return out;
    },
  }),
});

function registry(): PluginRegistry {
  const r = createDefaultRegistry();
  for (const plugin of [divide, ramp, flat, crop]) r.register(plugin, 'test');
  return r;
}

/** `count` samples of [1, 2, 3] with pixel k of sample i = (i * 37 + k * 11) % 256, as bytes. */
function byteData(count: number) {
  const images = Uint8Array.from({ length: count * 6 }, (_, k) => (Math.floor(k / 6) * 37 + (k % 6) * 11) % 256);
  return { images, labels: Uint8Array.from({ length: count }, (_, i) => i % 3), sampleShape: [1, 2, 3] as Shape, count };
}

describe('createBatcher on bytes, with preprocessing per batch', () => {
  const steps: PreprocessEntry[][] = [
    [],
    [{ options: { type: 'divide', by: 7.1 }, state: {} }],
    [{ options: { type: 'divide', by: 255 }, state: {} }, { options: { type: 'flat' }, state: {} }],
    [{ options: { type: 'divide', by: 3 }, state: {} }, { options: { type: 'ramp' }, state: {} }, { options: { type: 'divide', by: 0.3 }, state: {} }],
    [{ options: { type: 'ramp' }, state: {} }, { options: { type: 'flat' }, state: {} }],
    [{ options: { type: 'divide', by: 255 }, state: {} }, { options: { type: 'crop' }, state: {} }],
  ];

  it.each(steps.map((s) => [s.map((e) => e.options.type).join(', ') || 'no steps', s] as const))(
    'makes each batch what the old path made, bit for bit: %s',
    (_label, fitted) => {
      const data = byteData(23);
      const preprocess = createPreprocess(fitted, registry(), data.sampleShape);
      // The old path: the whole set as float32, each step applied to all of it, then rows gathered.
      let whole: Float32Array = Float32Array.from(data.images);
      for (const step of preprocess.steps) whole = step.apply(whole);
      const size = shapeSize(preprocess.outputShape);
      for (const backend of [undefined, createJsBackend(), createWasmBackend()]) {
        for (const dtype of ['float32', 'float64'] as const) {
          const rng = createRng(3);
          const batcher = createBatcher({ ...data, preprocess }, { batchSize: 5, shuffle: true, rng, dtype, ...(backend ? { backend } : {}) });
          expect(batcher.sampleShape).toEqual(preprocess.outputShape);
          batcher.startEpoch();
          const order = createRng(3).shuffle(Int32Array.from({ length: 23 }, (_, i) => i));
          for (let b = 0; b < batcher.batchesPerEpoch; b++) {
            const batch = batcher.batch(b);
            expect(batch.images.shape).toEqual([batch.size, ...preprocess.outputShape]);
            for (let r = 0; r < batch.size; r++) {
              const sample = order[b * 5 + r]!;
              const expected = whole.subarray(sample * size, (sample + 1) * size);
              const got = batch.images.data.subarray(r * size, (r + 1) * size);
              for (let k = 0; k < size; k++) if (!Object.is(got[k], expected[k])) expect.fail(`batch ${b} row ${r} value ${k}: ${got[k]} vs ${expected[k]}`);
              expect(batch.labels[r]).toBe(sample % 3);
            }
          }
        }
      }
      // The images stay as they were.
      expect(Array.from(data.images)).toEqual(Array.from(byteData(23).images));
    },
  );

  it('runs the steps on float images too, leaving them unchanged', () => {
    const data = { ...byteData(4), images: Float32Array.from(byteData(4).images, (v) => v + 0.25) };
    const preprocess = createPreprocess([{ options: { type: 'divide', by: 2 }, state: {} }], registry(), data.sampleShape);
    const batch = createBatcher({ ...data, preprocess }, { batchSize: 4, shuffle: false }).batch(0);
    expect(Array.from(batch.images.data)).toEqual(Array.from(data.images, (v) => Math.fround(v / 2)));
    expect(data.images[0]).toBe(0.25);
  });

  it('places the bytes once and grows no wasm memory after the first epoch', () => {
    const wasm = createWasmBackend();
    const data = byteData(50);
    const preprocess = createPreprocess([{ options: { type: 'divide', by: 255 }, state: {} }, { options: { type: 'ramp' }, state: {} }], registry(), data.sampleShape);
    const batcher = createBatcher({ ...data, preprocess }, { batchSize: 8, shuffle: true, rng: createRng(2), backend: wasm });
    const epoch = (): void => {
      batcher.startEpoch();
      for (let b = 0; b < batcher.batchesPerEpoch; b++) batcher.batch(b);
    };
    epoch();
    const bytes = wasm.workspaceBytes;
    for (let e = 0; e < 3; e++) epoch();
    expect(wasm.workspaceBytes).toBe(bytes);
    // A second batcher over the same images (a resumed fit) finds them placed already.
    createBatcher({ ...data, preprocess }, { batchSize: 8, shuffle: false, backend: wasm }).batch(0);
    expect(wasm.residentBytes(data.images)).toBe(wasm.residentBytes(data.images));
  });

  it('refuses preprocessing prepared for another sample shape', () => {
    const data = byteData(4);
    const preprocess = createPreprocess([], registry(), [6]);
    expect(() => createBatcher({ ...data, preprocess }, { batchSize: 2, shuffle: false })).toThrow(
      'createBatcher: the samples are [1, 2, 3] (6 values) but the preprocessing was prepared for [6]',
    );
  });
});
