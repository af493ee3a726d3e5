import { definePreprocess, type PluginRegistry } from '@scratchnet/spec';
import { describe, expect, it } from 'vitest';
import { createDefaultRegistry } from './default-registry.js';
import { applyPreprocess, fitPreprocess, type Samples } from './preprocess.js';

/** Subtracts the training mean; a fitted statistic makes fit and apply distinguishable. */
const centre = definePreprocess({
  kind: 'preprocess',
  type: 'centre',
  specVersion: 1,
  description: 'Subtracts the mean of the training pixels.',
  optionsSchema: { type: 'object' },
  create: () => ({
    outputShape: (shape) => shape,
    fit: (images) => ({ mean: images.reduce((sum, v) => sum + v, 0) / images.length }),
    apply: (images, _shape, state) => images.map((v) => v - (state.mean as number)),
  }),
});
const flat = definePreprocess({
  kind: 'preprocess',
  type: 'flat',
  specVersion: 1,
  description: 'One feature axis.',
  optionsSchema: { type: 'object' },
  create: () => ({ outputShape: (shape) => [shape.reduce((a, b) => a * b, 1)], fit: () => ({}), apply: (images) => images }),
});

function registry(): PluginRegistry {
  const r = createDefaultRegistry();
  r.register(centre, 'test');
  r.register(flat, 'test');
  return r;
}

describe('fitPreprocess and applyPreprocess', () => {
  const train: Samples = { images: Float32Array.from([1, 2, 3, 6]), sampleShape: [1, 2] };
  const steps = [{ type: 'centre' }, { type: 'flat' }];

  it('fit on training images, then replay the fitted statistics on other images', () => {
    const seen: [number, string, number][] = [];
    const { fitted, train: out } = fitPreprocess(steps, registry(), train, (result, step, type) => seen.push([step, type, result.sampleShape.length]));
    expect(fitted.map((s) => s.state)).toEqual([{ mean: 3 }, {}]);
    expect(Array.from(out.images)).toEqual([-2, -1, 0, 3]);
    expect(out.sampleShape).toEqual([2]);
    expect(seen).toEqual([
      [0, 'centre', 2],
      [1, 'flat', 1],
    ]);
    const other = applyPreprocess(fitted, registry(), { images: Float32Array.from([3, 13]), sampleShape: [1, 2] });
    expect(Array.from(other.images)).toEqual([0, 10]);
    expect(other.sampleShape).toEqual([2]);
  });

  it('lets the check refuse a step, naming it', () => {
    const { fitted } = fitPreprocess(steps, registry(), train);
    const refuse = (_: Samples, step: number, type: string): void => {
      if (type === 'flat') throw new Error(`step ${step} refused`);
    };
    expect(() => applyPreprocess(fitted, registry(), train, refuse)).toThrow('step 1 refused');
  });
});
