import type { Dataset } from '@scratchnet/spec';
import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../builtins.js';
import { augmentedSamples } from './augmented-samples.js';

/** Eight 8x8 digits: a bright column whose place depends on the sample. */
function digits(): Dataset {
  const images = new Float32Array(8 * 64);
  for (let i = 0; i < 8; i++) for (let row = 1; row < 7; row++) images[i * 64 + row * 8 + 1 + (i % 6)] = 16;
  return { images, labels: new Int32Array(8), count: 8, sampleShape: [1, 8, 8], classNames: ['0'], source: 'test digits' } as unknown as Dataset;
}

const registry = createBuiltinRegistry();
const preprocess = [{ options: { type: 'scale', divisor: 16 }, state: {} }];

describe('augmentedSamples', () => {
  it('shows each of the first six digits as stored, then four seeded versions', () => {
    const experiment = { seed: 3, data: { train: { type: 'x' }, preprocess: [], augment: [{ type: 'shift', maxPixels: 2, probability: 1 }] } };
    const view = augmentedSamples(experiment, registry, digits(), preprocess)!;
    expect(view.rows).toHaveLength(6);
    expect(view.rows.every((row) => row.length === 5)).toBe(true);
    expect(view.caption).toMatch(/data\.augment: shift/);
    const [original, ...versions] = view.rows[0]!;
    // The original is the digit as stored: its bright column at x = 1.
    expect(Array.from(original!.pixels as ArrayLike<number>).filter((_, p) => p % 8 === 1 && p >= 8 && p < 56).every((v) => v > 0)).toBe(true);
    expect(versions.some((image) => Array.from(image.pixels as ArrayLike<number>).join() !== Array.from(original!.pixels as ArrayLike<number>).join())).toBe(true);
    expect(augmentedSamples(experiment, registry, digits(), preprocess)).toEqual(view);
  });

  it('is absent for a run that does not augment', () => {
    const experiment = { seed: 3, data: { train: { type: 'x' }, preprocess: [], augment: [] } };
    expect(augmentedSamples(experiment, registry, digits(), preprocess)).toBeUndefined();
  });
});
