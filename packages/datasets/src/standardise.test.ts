import { ModelFormatError, ShapeError } from '@scratchnet/spec';
import { describe, expect, it } from 'vitest';
import { standardise } from './standardise.js';

// Two samples of shape [1, 1, 3]: pixel 0 varies, pixel 1 is constant, pixel 2 varies more.
const training = () => Float32Array.of(1, 5, 0, 3, 5, 10);

describe('standardise', () => {
  it('fits one mean and population std over all values, then centres and scales in place', () => {
    const step = standardise.create({ type: 'standardise' });
    const images = training();
    const state = step.fit!(images, [1, 1, 3]);
    const mean = 24 / 6;
    const std = Math.sqrt([1, 5, 0, 3, 5, 10].reduce((s, x) => s + (x - mean) ** 2, 0) / 6);
    expect(state.mean).toBeCloseTo(mean, 12);
    expect(state.std).toBeCloseTo(std, 12);
    const out = step.apply(images, [1, 1, 3], state);
    expect(out).toBe(images);
    [1, 5, 0, 3, 5, 10].forEach((x, i) => expect(out[i]).toBeCloseTo((x - mean) / std, 6));
  });

  it('with perPixel, fits per position and only centres constant pixels', () => {
    const step = standardise.create({ type: 'standardise', perPixel: true });
    const state = step.fit!(training(), [1, 1, 3]);
    expect(state).toEqual({ mean: [2, 5, 5], std: [1, 0, 5] });
    // Statistics fitted on the training split are applied to other data unchanged.
    const test = Float32Array.of(4, 6, 15);
    step.apply(test, [1, 1, 3], state);
    expect(Array.from(test)).toEqual([2, 1, 2]);
  });

  it('is elementwise in its global form only', () => {
    expect(standardise.create({ type: 'standardise' }).elementwise).toBe(true);
    expect(standardise.create({ type: 'standardise', perPixel: true }).elementwise).toBe(false);
  });

  it('treats a std at or below epsilon as zero', () => {
    const state = { mean: [0, 0], std: [0.5, 0.5] };
    const images = Float32Array.of(1, 1);
    standardise.create({ type: 'standardise', perPixel: true, epsilon: 0.5 }).apply(images, [2], state);
    expect(Array.from(images)).toEqual([1, 1]);
  });

  it('rejects statistics fitted on another sample shape with a ShapeError naming both', () => {
    const step = standardise.create({ type: 'standardise', perPixel: true });
    const state = step.fit!(new Float32Array(64), [1, 8, 8]);
    expect(() => step.apply(new Float32Array(784), [1, 28, 28], state)).toThrow(ShapeError);
    expect(() => step.apply(new Float32Array(784), [1, 28, 28], state)).toThrow(
      'layer (standardise): expected input samples of 64 values (the shape the statistics were fitted on), got [1, 28, 28] (784 values). Use data of the shape the model was trained on.',
    );
  });

  it('rejects state that does not match the options', () => {
    const global = standardise.create({ type: 'standardise' });
    expect(() => global.apply(new Float32Array(4), [4], { mean: [0, 0, 0, 0], std: 1 })).toThrow(ModelFormatError);
    expect(() => standardise.create({ type: 'standardise', perPixel: true }).apply(new Float32Array(4), [4], { mean: 0, std: 1 })).toThrow(/perPixel\) expects "mean" to be an array of numbers, found 0/);
  });

  it('declares its defaults in the schema', () => {
    expect(standardise.optionsSchema).toMatchObject({ properties: { perPixel: { default: false }, epsilon: { default: 1e-8 } }, additionalProperties: false });
  });
});
