import type { Dataset } from '@scratchnet/spec';
import { describe, expect, it } from 'vitest';
import { checkDataset } from './check-dataset.js';

const good: Dataset = {
  images: Float32Array.from([0, 1, 2, 3, 4, 5]),
  labels: Uint8Array.from([1, 0, 1]),
  sampleShape: [2],
  count: 3,
  classNames: ['a', 'b'],
  source: 'memory',
};

describe('checkDataset', () => {
  it('returns the samples per class and the value range, for float or byte images', () => {
    expect(checkDataset(good)).toEqual({ count: 3, perClass: [1, 2], min: 0, max: 5 });
    expect(checkDataset({ ...good, images: Uint8Array.from(good.images) })).toEqual({ count: 3, perClass: [1, 2], min: 0, max: 5 });
  });

  it('lists every structural problem at once', () => {
    const bad = { ...good, images: new Float64Array(6), labels: Uint8Array.from([0, 1]), classNames: ['a', 'a'], source: '' } as unknown as Dataset;
    expect(() => checkDataset(bad)).toThrow(/source must name[\s\S]*classNames must be distinct[\s\S]*images must be a Float32Array[\s\S]*labels has 2 entries for 3 samples/);
    expect(() => checkDataset({ ...good, count: 2 })).toThrow(/images has 6 values; 2 samples of \[2\] need 4/);
    expect(() => checkDataset({ ...good, sampleShape: [] })).toThrow(/sampleShape must be a per-sample shape/);
  });

  it('catches a label without a class and a value that is not finite', () => {
    expect(() => checkDataset({ ...good, labels: Uint8Array.from([0, 2, 1]) })).toThrow(/label 2 of sample 1 is not an index into the 2 classNames/);
    expect(() => checkDataset({ ...good, images: Float32Array.from([0, 1, 2, Number.NaN, 4, 5]) })).toThrow(/value 3 \(sample 1\) is NaN/);
  });
});
