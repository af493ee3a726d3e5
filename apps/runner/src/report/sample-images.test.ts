import { describe, expect, it } from 'vitest';
import { imageLayout, sampleImage, valueRange } from './sample-images.js';

describe('imageLayout', () => {
  it('reads images from [c, h, w] and [h, w], and squares from a flat size', () => {
    expect(imageLayout([1, 28, 28])).toEqual({ channels: 1, height: 28, width: 28 });
    expect(imageLayout([3, 4, 5])).toEqual({ channels: 3, height: 4, width: 5 });
    expect(imageLayout([1, 1, 4, 6])).toEqual({ channels: 1, height: 4, width: 6 });
    expect(imageLayout([64])).toEqual({ channels: 1, height: 8, width: 8 });
    expect(imageLayout([784])).toEqual({ channels: 1, height: 28, width: 28 });
    expect(imageLayout([1, 1024])).toEqual({ channels: 1, height: 32, width: 32 });
  });

  it('has none for a flat size that is not a square, or more than three dimensions', () => {
    expect(imageLayout([10])).toBeUndefined();
    expect(imageLayout([1])).toBeUndefined();
    expect(imageLayout([2, 3, 4, 5])).toBeUndefined();
  });
});

describe('sampleImage', () => {
  const images = Float32Array.from({ length: 3 * 2 * 2 * 3 }, (_, i) => i);
  const layout = { channels: 2, height: 2, width: 3 };

  it("cuts sample `index` out of sample-major values, keeping its first channel, on the data set's range", () => {
    const image = sampleImage(images, layout, 1, [0, 35]);
    expect(image).toMatchObject({ width: 3, height: 2, range: [0, 35] });
    expect(Array.from(image.pixels)).toEqual([12, 13, 14, 15, 16, 17]);
  });

  it('refuses an index outside the samples', () => {
    expect(() => sampleImage(images, layout, 3, [0, 1])).toThrow(/sample 3 is outside the 3 samples/);
    expect(() => sampleImage(images, layout, -1, [0, 1])).toThrow(RangeError);
  });
});

describe('valueRange', () => {
  it('is the smallest and largest value, [0, 1] for none', () => {
    expect(valueRange([3, -2, 7, 0])).toEqual([-2, 7]);
    expect(valueRange([])).toEqual([0, 1]);
  });
});
