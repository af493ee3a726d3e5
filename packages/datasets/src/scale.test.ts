import { describe, expect, it } from 'vitest';
import { scale } from './scale.js';

describe('scale', () => {
  it('divides in place by the divisor (default 255) and keeps the shape', () => {
    const images = Float32Array.of(0, 51, 255, 128);
    const step = scale.create({ type: 'scale' });
    // Nothing to learn: training makes no float copy of the data for it.
    expect(step.fit).toBeUndefined();
    const out = step.apply(images, [1, 2, 2], {});
    expect(out).toBe(images);
    expect(Array.from(out)).toEqual([0, Math.fround(51 / 255), 1, Math.fround(128 / 255)]);
    expect(step.outputShape([1, 2, 2])).toEqual([1, 2, 2]);
  });

  it('uses the given divisor', () => {
    const out = scale.create({ type: 'scale', divisor: 16 }).apply(Float32Array.of(16, 8, 4), [3], {});
    expect(Array.from(out)).toEqual([1, 0.5, 0.25]);
  });

  it('is elementwise: the table of the 256 byte values scales like the values in place', () => {
    const step = scale.create({ type: 'scale', divisor: 7.3 });
    expect(step.elementwise).toBe(true);
    const table = step.apply(Float32Array.from({ length: 256 }, (_, v) => v), [256], {});
    const images = Float32Array.of(3, 200, 255, 0, 17);
    step.apply(images, [5], {});
    expect(Array.from(images)).toEqual([3, 200, 255, 0, 17].map((v) => table[v]));
  });

  it('declares its default in the schema', () => {
    expect(scale.optionsSchema).toMatchObject({ properties: { divisor: { default: 255, exclusiveMinimum: 0 } }, additionalProperties: false });
  });
});
