import { definePreprocess } from '@scratchnet/spec';
import { describe, expect, it } from 'vitest';
import { checkPreprocessor } from './check-preprocessor.js';

type Bug = 'none' | 'fit-in-place' | 'typed-state' | 'batch-mean' | 'wrong-length' | 'random-fit';
let fits = 0; // shared by every instance, as hidden global state would be

/** x' = x - training mean (global), or with one deliberate bug. */
const centre = definePreprocess<{ bug: Bug }>({
  kind: 'preprocess',
  type: 'test-centre',
  specVersion: 1,
  description: 'subtracts the training mean, with a deliberate bug',
  optionsSchema: { type: 'object', properties: { bug: { type: 'string', default: 'none' } } },
  create({ bug }) {
    const mean = (images: Float32Array): number => images.reduce((sum, x) => sum + x, 0) / images.length;
    return {
      outputShape: (shape) => shape,
      fit(images) {
        const m = mean(images);
        if (bug === 'fit-in-place') images.fill(0);
        if (bug === 'typed-state') return { mean: Float64Array.of(m) } as never;
        return { mean: bug === 'random-fit' ? m + fits++ : m };
      },
      apply(images, _shape, state) {
        // A mean of the data being transformed, rather than the fitted one, differs per batch.
        const m = bug === 'batch-mean' ? mean(images) : (state.mean as number);
        const out = bug === 'wrong-length' ? new Float32Array(images.length + 1) : images;
        for (let i = 0; i < images.length; i++) out[i] = images[i]! - m;
        return out;
      },
    };
  },
});

describe('checkPreprocessor', () => {
  const images = Float32Array.from([1, 2, 3, 4, 5, 9]);

  it('returns the fitted state and the transformed images, leaving the input alone', () => {
    const report = checkPreprocessor(centre, {}, { images, sampleShape: [3] });
    expect(report.state).toEqual({ mean: 4 });
    expect(report.outputShape).toEqual([3]);
    expect([...report.output]).toEqual([-3, -2, -1, 0, 1, 5]);
    expect([...images]).toEqual([1, 2, 3, 4, 5, 9]);
  });

  it.each([
    ['fit-in-place', /fit changed the images/],
    ['typed-state', /state\.mean must be a finite number, a string or a plain array/],
    ['random-fit', /two fits on the same images returned different states/],
    ['batch-mean', /sample 0 transformed on its own differs from its row of the whole set/],
    ['wrong-length', /apply returned 7 values; 2 samples of outputShape \[3\] need 6/],
  ] as const)('catches %s', (bug, message) => {
    expect(() => checkPreprocessor(centre, { bug }, { images, sampleShape: [3] })).toThrow(message);
  });

  it('refuses images that are not whole samples', () => {
    expect(() => checkPreprocessor(centre, {}, { images, sampleShape: [4] })).toThrow(/not a whole number \(>= 1\) of \[4\] samples/);
  });
});
