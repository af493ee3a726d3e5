import { describe, expect, it } from 'vitest';
import { createRng } from '@scratchnet/tensor';
import { countBatches, createBatcher } from './index.js';

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
