import { ConfigError, type AugmentationPlugin } from '@scratchnet/spec';
import { createRng } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { elasticAugmentation } from './elastic.js';
import { imageLayout } from './image-planes.js';
import { rotateAugmentation } from './rotate.js';
import { scaleAugmentation } from './scale.js';
import { shiftAugmentation } from './shift.js';
import { augment, batchOf, ringDigit, sevenDigit } from './test-images.js';

// Each plugin with settings strong enough that every sample visibly changes.
const cases = [
  ['shift', shiftAugmentation, { maxPixels: 3 }],
  ['rotate', rotateAugmentation, { maxDegrees: 20 }],
  ['scale', scaleAugmentation, { min: 0.8, max: 1.2 }],
  ['elastic', elasticAugmentation, {}],
] as unknown as readonly (readonly [string, AugmentationPlugin<object>, object])[];

const SIDE = 16;
const SIZE = SIDE * SIDE;
const shape = [1, SIDE, SIDE] as const;
const sampleAt = (images: ArrayLike<number>, index: number, size = SIZE): number[] => Array.from(images as Float32Array).slice(index * size, (index + 1) * size);
const batch = (): Float32Array => batchOf(ringDigit(SIDE), sevenDigit(SIDE), ringDigit(SIDE, SIDE, 1), sevenDigit(SIDE), ringDigit(SIDE, SIDE, -1));

describe.each(cases)('%s', (_name, plugin, options) => {
  it('gives bit-identical output for the same rng state, different output for another seed', () => {
    const images = batch();
    const first = augment(plugin, options, shape, images, [0, 2, 3], 42);
    expect(augment(plugin, options, shape, images, [0, 2, 3], 42)).toEqual(first);
    expect(augment(plugin, options, shape, images, [0, 2, 3], 43)).not.toEqual(first);
  });

  it('leaves samples not in which untouched, and transforms those in it', () => {
    const images = batch();
    const out = augment(plugin, options, shape, images, [3, 1], 7);
    for (const index of [0, 2, 4]) expect(sampleAt(out, index)).toEqual(sampleAt(images, index));
    for (const index of [1, 3]) expect(sampleAt(out, index)).not.toEqual(sampleAt(images, index));
    expect(augment(plugin, options, shape, images, [], 7)).toEqual(images);
  });

  it('draws the same numbers whatever the pixels: the rng ends in the same state', () => {
    const a = createRng(5);
    const b = createRng(5);
    augment(plugin, options, shape, batch(), [4, 0], a);
    augment(plugin, options, shape, new Float32Array(5 * SIZE).fill(0.3), [4, 0], b);
    expect(a.state()).toEqual(b.state());
  });

  it('transforms the samples in which order: a sample gets the draws of its place in which', () => {
    const images = batchOf(ringDigit(SIDE), ringDigit(SIDE));
    const out = augment(plugin, options, shape, images, [1, 0], 8);
    expect(sampleAt(out, 1)).toEqual(sampleAt(augment(plugin, options, shape, images, [1], 8), 1));
    expect(sampleAt(out, 1)).not.toEqual(sampleAt(out, 0));
  });

  it('moves every channel of a [C, H, W] sample alike, each filled with its own minimum', () => {
    const ink = ringDigit(SIDE);
    const twoChannels = new Float32Array(2 * SIZE);
    twoChannels.set(ink, 0);
    twoChannels.set(ink, SIZE);
    const out = augment(plugin, options, [2, SIDE, SIDE], twoChannels, [0], 3);
    const single = augment(plugin, options, shape, ink, [0], 3);
    expect(Array.from(out.subarray(0, SIZE))).toEqual(Array.from(single));
    expect(Array.from(out.subarray(SIZE))).toEqual(Array.from(single));

    // A second channel 2 * ink - 1 (background -1) comes out as 2 * (first channel) - 1.
    twoChannels.set(ink.map((v) => 2 * v - 1), SIZE);
    const affine = augment(plugin, options, [2, SIDE, SIDE], twoChannels, [0], 3);
    for (let i = 0; i < SIZE; i++) expect(affine[SIZE + i]).toBeCloseTo(2 * affine[i]! - 1, 5);
  });

  it('reads [H, W] and a flat square [N] as one plane, like [1, H, W]', () => {
    const images = batch();
    const expected = augment(plugin, options, shape, images, [0, 1, 2], 12);
    expect(augment(plugin, options, [SIDE, SIDE], images, [0, 1, 2], 12)).toEqual(expected);
    expect(augment(plugin, options, [SIZE], images, [0, 1, 2], 12)).toEqual(expected);
  });

  it('works on Float64Array batches too', () => {
    const images = batch();
    const as32 = augment(plugin, options, shape, images, [0, 4], 6);
    const as64 = augment(plugin, options, shape, Float64Array.from(images), [0, 4], 6);
    expect(as64).toBeInstanceOf(Float64Array);
    for (let i = 0; i < as32.length; i++) expect(as64[i]).toBeCloseTo(as32[i]!, 5);
  });

  it('refuses a sample shape that is not an image, at create, with a ConfigError', () => {
    for (const bad of [[10], [2, 1, 4, 4], [0, 4], [3, 0, 5]]) {
      const create = () => plugin.create({ ...options, type: plugin.type }, { sampleShape: bad });
      expect(create).toThrow(ConfigError);
      expect(create).toThrow(new RegExp(`\\(${plugin.type}\\): needs image-shaped samples.*have shape \\[${bad.join(', ')}\\]`));
    }
  });

  it('refuses an apply that breaks the training loop contract', () => {
    const augmenter = plugin.create({ ...options, type: plugin.type }, { sampleShape: shape });
    const rng = createRng(1);
    expect(() => augmenter.apply(batch(), [SIZE], [0], rng)).toThrow(/created for samples of shape \[1, 16, 16\], applied to \[256\]/);
    expect(() => augmenter.apply(new Float32Array(SIZE + 1), shape, [0], rng)).toThrow(/not a whole number of \[1, 16, 16\] samples/);
    expect(() => augmenter.apply(batch(), shape, [5], rng)).toThrow(/which holds 5, not an index into this batch of 5 samples/);
    expect(() => augmenter.apply(batch(), shape, [1.5], rng)).toThrow(RangeError);
  });
});

describe('imageLayout', () => {
  it('splits per-sample shapes into planes', () => {
    expect(imageLayout('x', [3, 4, 5])).toMatchObject({ channels: 3, height: 4, width: 5, planeSize: 20, sampleSize: 60 });
    expect(imageLayout('x', [4, 5])).toMatchObject({ channels: 1, height: 4, width: 5, planeSize: 20, sampleSize: 20 });
    expect(imageLayout('x', [784])).toMatchObject({ channels: 1, height: 28, width: 28, planeSize: 784, sampleSize: 784 });
    expect(imageLayout('x', [1])).toMatchObject({ channels: 1, height: 1, width: 1 });
  });

  it('reports a non-image shape as a ConfigError on the plugin entry', () => {
    try {
      imageLayout('rotate', [3, 7]);
      imageLayout('rotate', [10]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues).toEqual([{ path: [], plugin: 'rotate', message: expect.stringMatching(/^needs image-shaped samples/) }]);
    }
  });
});
