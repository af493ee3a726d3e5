import { ConfigError } from '@scratchnet/spec';
import { createRng } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { scaleAugmentation } from './scale.js';
import { augment, batchOf, ringDigit, scriptedRng, sevenDigit, sum } from './test-images.js';

describe('scale (augmentation)', () => {
  it('min = max = 1 leaves images bit-identical', () => {
    const images = batchOf(ringDigit(28), sevenDigit(28));
    expect(augment(scaleAugmentation, { min: 1, max: 1 }, [1, 28, 28], images, [0, 1], 3)).toEqual(images);
  });

  it('zooms about the centre: on a ramp I = x, zoom z gives cx + (x - cx) / z', () => {
    const [h, w] = [7, 9];
    const ramp = Float32Array.from({ length: h * w }, (_, i) => i % w);
    const cx = (w - 1) / 2;
    for (const zoom of [2, 1.25]) {
      const out = augment(scaleAugmentation, { min: zoom, max: zoom }, [1, h, w], ramp, [0], scriptedRng({ uniforms: [0.5] }));
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) expect(out[y * w + x]).toBeCloseTo(cx + (x - cx) / zoom, 5);
    }
  });

  it('shrinking brings in the fill (the image minimum) at the edges', () => {
    const image = new Float32Array(12 * 12).fill(5);
    image[6 * 12 + 6] = -3; // the minimum, away from the edges
    const out = augment(scaleAugmentation, { min: 0.5, max: 0.5 }, [1, 12, 12], image, [0], scriptedRng({ uniforms: [0] }));
    // Output (0, 0) reads source (5.5 - 11, 5.5 - 11) = (-5.5, -5.5): outside the frame.
    expect(out[0]).toBe(-3);
    expect(out[11 * 12 + 11]).toBe(-3);
    expect(out[5 * 12 + 5]).toBe(5); // reads (5, 5): inside, untouched by the minimum's pixel
  });

  it('keeps the ink within 5% once divided by the area factor z²', () => {
    const images = batchOf(ringDigit(28), sevenDigit(28), ringDigit(28, 28, 2));
    const which = [0, 1, 2];
    for (const seed of [1, 2, 3]) {
      const twin = createRng(seed);
      const zooms = which.map(() => twin.uniform(0.9, 1.1));
      const out = augment(scaleAugmentation, { min: 0.9, max: 1.1 }, [1, 28, 28], images, which, createRng(seed));
      which.forEach((index, k) => {
        const [from, to] = [index * 784, (index + 1) * 784];
        const ratio = sum(out, from, to) / zooms[k]! ** 2 / sum(images, from, to);
        expect(ratio).toBeGreaterThan(0.95);
        expect(ratio).toBeLessThan(1.05);
      });
    }
  });

  it('refuses min > max at create with a ConfigError on min', () => {
    const create = () => scaleAugmentation.create({ type: 'scale', min: 1.2, max: 1.1 }, { sampleShape: [1, 28, 28] });
    expect(create).toThrow(ConfigError);
    expect(create).toThrow(/min \(scale\): must be <= max \(1\.1\), got 1\.2/);
    try {
      create();
    } catch (error) {
      expect((error as ConfigError).issues).toEqual([{ path: ['min'], plugin: 'scale', message: expect.stringMatching(/lower min or raise max/) }]);
    }
  });
});
