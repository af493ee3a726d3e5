import { createRng } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { rotateAugmentation } from './rotate.js';
import { augment, batchOf, ringDigit, scriptedRng, sevenDigit, sum } from './test-images.js';

/** Distinct positive values 1..n, so every pixel can be followed. */
const numbered = (height: number, width: number): Float32Array => Float32Array.from({ length: height * width }, (_, i) => i + 1);

describe('rotate', () => {
  it('0 degrees leaves images bit-identical', () => {
    const images = batchOf(ringDigit(28), sevenDigit(28));
    expect(augment(rotateAugmentation, { maxDegrees: 0 }, [1, 28, 28], images, [0, 1], 3)).toEqual(images);
  });

  it('+90 degrees turns a square counter-clockwise: (x, y) goes to (cx + (y - cy), cy - (x - cx))', () => {
    const n = 5;
    const image = numbered(n, n);
    // uniform(-90, 90) scripted to its upper end: exactly +90 degrees.
    const out = augment(rotateAugmentation, { maxDegrees: 90 }, [1, n, n], image, [0], scriptedRng({ uniforms: [1] }));
    const c = (n - 1) / 2;
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        const toX = c + (y - c);
        const toY = c - (x - c);
        expect(out[toY * n + toX]).toBeCloseTo(image[y * n + x]!, 4);
      }
    }
    // The known pixel: (x 4, y 1), right of centre and one row up, goes to the top row at x 1.
    expect(out[0 * n + 1]).toBeCloseTo(image[1 * n + 4]!, 4);
  });

  it('-90 degrees turns the other way, and 180 degrees flips both axes of a non-square image', () => {
    const n = 4;
    const square = numbered(n, n);
    const clockwise = augment(rotateAugmentation, { maxDegrees: 90 }, [1, n, n], square, [0], scriptedRng({ uniforms: [0] }));
    const c = (n - 1) / 2;
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) expect(clockwise[(c + (x - c)) * n + (c - (y - c))]).toBeCloseTo(square[y * n + x]!, 4);

    const [h, w] = [3, 6];
    const wide = numbered(h, w);
    const flipped = augment(rotateAugmentation, { maxDegrees: 180 }, [1, h, w], wide, [0], scriptedRng({ uniforms: [1] }));
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) expect(flipped[(h - 1 - y) * w + (w - 1 - x)]).toBeCloseTo(wide[y * w + x]!, 4);
  });

  it('fills corners brought in from outside the frame with the image minimum', () => {
    const image = numbered(9, 9);
    image[4 * 9 + 4] = -99; // the minimum sits at the centre, not in a corner
    const out = augment(rotateAugmentation, { maxDegrees: 45 }, [1, 9, 9], image, [0], scriptedRng({ uniforms: [1] }));
    // Output corner (0, 0), turned back by 45 degrees about (4, 4), reads (4, -1.66): above the frame.
    expect(out[0]).toBe(-99);
    expect(out[4 * 9 + 4]).toBe(-99); // the centre stays put
  });

  it('keeps the ink within 5% for angles up to 15 degrees', () => {
    const images = batchOf(ringDigit(28), sevenDigit(28), ringDigit(28, 28, 2), sevenDigit(28));
    const which = [0, 1, 2, 3];
    for (const seed of [1, 2, 3]) {
      const out = augment(rotateAugmentation, { maxDegrees: 15 }, [1, 28, 28], images, which, createRng(seed));
      for (const index of which) {
        const [from, to] = [index * 784, (index + 1) * 784];
        expect(sum(out, from, to) / sum(images, from, to)).toBeGreaterThan(0.95);
        expect(sum(out, from, to) / sum(images, from, to)).toBeLessThan(1.05);
      }
    }
  });
});
