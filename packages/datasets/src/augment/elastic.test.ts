import { createRng, type Rng } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { elasticAugmentation, elasticDefaults, gaussianKernel } from './elastic.js';
import { augment, batchOf, ringDigit, scriptedRng, sevenDigit, sum } from './test-images.js';

/**
 * The formula written out the slow, obvious way: draw u then v, 2-D Gaussian smoothing with
 * zero padding (sum over every in-frame pixel of k(dx) k(dy) field), then bilinear resampling
 * with outside pixels = the image minimum.
 */
function reference(image: Float32Array, height: number, width: number, sigma: number, alpha: number, rng: Rng): Float64Array {
  const radius = Math.min(Math.ceil(3 * sigma), Math.max(height, width) - 1);
  const tap = (d: number): number => (Math.abs(d) > radius ? 0 : Math.exp(-(d * d) / (2 * sigma * sigma)));
  let norm = 0;
  for (let d = -radius; d <= radius; d++) norm += tap(d);
  const smooth = (): Float64Array => {
    const field = Float64Array.from({ length: height * width }, () => rng.uniform(-1, 1));
    return Float64Array.from({ length: height * width }, (_, i) => {
      const [y, x] = [Math.floor(i / width), i % width];
      let total = 0;
      for (let q = 0; q < height; q++) for (let p = 0; p < width; p++) total += (tap(p - x) * tap(q - y) * field[q * width + p]!) / (norm * norm);
      return total;
    });
  };
  const u = smooth();
  const v = smooth();
  const fill = Math.min(...image);
  const at = (x: number, y: number): number => (x >= 0 && y >= 0 && x < width && y < height ? image[y * width + x]! : fill);
  return Float64Array.from({ length: height * width }, (_, i) => {
    const sx = (i % width) + alpha * u[i]!;
    const sy = Math.floor(i / width) + alpha * v[i]!;
    const [x0, y0] = [Math.floor(sx), Math.floor(sy)];
    const [fx, fy] = [sx - x0, sy - y0];
    return (
      at(x0, y0) * (1 - fx) * (1 - fy) + at(x0 + 1, y0) * fx * (1 - fy) + at(x0, y0 + 1) * (1 - fx) * fy + at(x0 + 1, y0 + 1) * fx * fy
    );
  });
}

describe('elastic', () => {
  it('alpha 0 leaves images bit-identical', () => {
    const images = batchOf(ringDigit(28), sevenDigit(28));
    expect(augment(elasticAugmentation, { alpha: 0 }, [1, 28, 28], images, [0, 1], 3)).toEqual(images);
  });

  it('matches the formula computed naively (fields u then v, zero padding, bilinear)', () => {
    const [h, w] = [10, 12];
    const image = ringDigit(h, w).map((value) => value - 0.25);
    for (const [sigma, alpha] of [[1.5, 3], [0.7, 2], [5, 20]] as const) {
      const out = augment(elasticAugmentation, { sigma, alpha }, [1, h, w], image, [0], createRng(9));
      const expected = reference(image, h, w, sigma, alpha, createRng(9));
      for (let i = 0; i < h * w; i++) expect(out[i]).toBeCloseTo(expected[i]!, 5);
    }
  });

  it('zero-pads the field: a field of ones moves the centre by alpha and the frame edge by less', () => {
    // A ramp I = x shows the x displacement directly: bilinear of a linear image is exact.
    const side = 28;
    const ramp = Float32Array.from({ length: side * side }, (_, i) => i % side);
    const [sigma, alpha] = [2, 0.5];
    const rng = scriptedRng({ uniforms: new Array(2 * side * side).fill(1) });
    const out = augment(elasticAugmentation, { sigma, alpha }, [1, side, side], ramp, [0], rng);
    expect(rng.used().uniforms).toBe(2 * side * side);
    const kernel = gaussianKernel(sigma, side - 1);
    const radius = (kernel.length - 1) / 2;
    const halfSum = sum(kernel, radius); // taps 0..radius: what is left at the edge
    expect(out[14 * side + 14]! - 14).toBeCloseTo(alpha, 6); // whole kernel inside
    expect(out[14 * side + 0]!).toBeCloseTo(alpha * halfSum, 6); // only the right half inside
  });

  it('defaults to sigma 4 and alpha 34 at 28x28, scaled by max(height, width) / 28', () => {
    expect(elasticDefaults(28, 28)).toEqual({ sigma: 4, alpha: 34 });
    expect(elasticDefaults(8, 8).sigma).toBeCloseTo((4 * 8) / 28, 12);
    expect(elasticDefaults(8, 8).alpha).toBeCloseTo((34 * 8) / 28, 12);
    expect(elasticDefaults(32, 32).sigma).toBeCloseTo((4 * 32) / 28, 12);
    expect(elasticDefaults(32, 32).alpha).toBeCloseTo((34 * 32) / 28, 12);
    expect(elasticDefaults(20, 32)).toEqual(elasticDefaults(32, 32));
    // And create uses them: leaving the options out equals giving those values.
    for (const side of [8, 28, 32]) {
      const images = batchOf(ringDigit(side), ringDigit(side, side, 1));
      const implicit = augment(elasticAugmentation, {}, [1, side, side], images, [0, 1], 4);
      const explicit = augment(elasticAugmentation, elasticDefaults(side, side), [1, side, side], images, [0, 1], 4);
      expect(implicit).toEqual(explicit);
      expect(implicit).not.toEqual(images);
    }
  });

  it('builds a normalised, symmetric kernel of radius ceil(3 sigma), at most maxRadius', () => {
    const kernel = gaussianKernel(4, 27);
    expect(kernel.length).toBe(2 * 12 + 1);
    expect(sum(kernel)).toBeCloseTo(1, 12);
    for (let j = 0; j < 12; j++) expect(kernel[j]).toBe(kernel[24 - j]);
    expect(gaussianKernel(100, 7).length).toBe(15);
    expect(Array.from(gaussianKernel(1e-300, 5))).toEqual([0, 1, 0]); // radius ceil(3e-300) = 1; no 0 / 0
  });

  it('keeps the ink within 5% on average with the default settings', () => {
    // Per sample the ink changes by the local area factor det(I + alpha grad(G * u)), whose
    // spread at sigma 4, alpha 34 is large (about ±15%, up to ±40%): a strong distortion, as in
    // Simard et al. Averaged over many samples it cancels out.
    const samples = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? sevenDigit(28) : ringDigit(28, 28, (i % 5) - 2)));
    const images = batchOf(...samples);
    const which = samples.map((_, i) => i);
    const out = augment(elasticAugmentation, {}, [1, 28, 28], images, which, createRng(1));
    const ratios = which.map((i) => sum(out, i * 784, (i + 1) * 784) / sum(images, i * 784, (i + 1) * 784));
    const mean = sum(ratios) / ratios.length;
    expect(mean).toBeGreaterThan(0.95);
    expect(mean).toBeLessThan(1.05);
    expect(Math.min(...ratios)).toBeGreaterThan(0.5);
    expect(Math.max(...ratios)).toBeLessThan(2);
  });
});
