import { describe, expect, it } from 'vitest';
import { flatten } from './flatten.js';

describe('flatten (preprocess)', () => {
  it('turns [c, h, w] into [c * h * w] without touching the values', () => {
    const step = flatten.create({ type: 'flatten' });
    expect(step.outputShape([1, 28, 28])).toEqual([784]);
    expect(step.outputShape([3, 2, 5])).toEqual([30]);
    const images = Float32Array.of(1, 2, 3, 4);
    expect(step.fit).toBeUndefined();
    expect(step.elementwise).toBe(true);
    expect(step.apply(images, [1, 2, 2], {})).toBe(images);
    expect(Array.from(images)).toEqual([1, 2, 3, 4]);
  });
});
