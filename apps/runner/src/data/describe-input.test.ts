import type { Dataset } from '@scratchnet/spec';
import { describe, expect, it } from 'vitest';
import { describeInput } from './load-data.js';

const dataset = (images: Uint8Array | Float32Array): Dataset => ({
  images,
  labels: new Uint8Array(images.length / 4),
  count: images.length / 4,
  sampleShape: [4],
  classNames: ['a'],
  source: 'test images',
});

describe('describeInput', () => {
  it('finds the range and whether the images are two-valued, in bytes and floats', () => {
    expect(describeInput('x', dataset(Uint8Array.of(3, 9, 9, 3, 3, 3, 9, 9)))).toMatchObject({ min: 3, max: 9, binary: true, sampleShape: [4] });
    expect(describeInput('x', dataset(Float32Array.of(0.5, -2, 7.25, 0, 1, 1, 1, 1)))).toMatchObject({ min: -2, max: 7.25, binary: false });
  });

  it('reads bytes past 0 and 255 only to tell whether they are two-valued', () => {
    // 0 and 255 come first; the 128 at the end still makes them not binary.
    expect(describeInput('x', dataset(Uint8Array.of(0, 255, 0, 0, 255, 255, 0, 128)))).toMatchObject({ min: 0, max: 255, binary: false });
    expect(describeInput('x', dataset(Uint8Array.of(0, 255, 0, 0, 255, 255, 0, 255)))).toMatchObject({ min: 0, max: 255, binary: true });
    // Floats go on past 0 and 255.
    expect(describeInput('x', dataset(Float32Array.of(0, 255, 0, 0, 0, 0, 0, 300)))).toMatchObject({ min: 0, max: 300 });
  });
});
