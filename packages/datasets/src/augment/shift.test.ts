import { createRng } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { shiftAugmentation } from './shift.js';
import { augment, batchOf, ringDigit, scriptedRng } from './test-images.js';

const W = 6;
const H = 5;
/** A standardised-looking image: background -0.5 (its minimum), distinct values elsewhere. */
function ramp(): Float32Array {
  const image = new Float32Array(H * W).fill(-0.5);
  for (let y = 1; y < H - 1; y++) for (let x = 1; x < W - 1; x++) image[y * W + x] = y * 10 + x;
  return image;
}

describe('shift', () => {
  it('maxPixels 0 leaves images bit-identical (and still draws dx, dy per sample)', () => {
    const images = batchOf(ringDigit(28), ringDigit(28, 28, 2));
    const rng = scriptedRng({ ints: [0, 0, 0, 0] });
    expect(augment(shiftAugmentation, { maxPixels: 0 }, [1, 28, 28], images, [0, 1], rng)).toEqual(images);
    expect(rng.used()).toEqual({ ints: 4, uniforms: 0 });
  });

  it('moves pixel (y, x) to (y + dy, x + dx) and fills the vacated border with the minimum', () => {
    const image = ramp();
    // int(5) - 2: 4 -> dx = +2, then 1 -> dy = -1.
    const out = augment(shiftAugmentation, { maxPixels: 2 }, [1, H, W], image, [0], scriptedRng({ ints: [4, 1] }));
    const dx = 2;
    const dy = -1;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const fromX = x - dx;
        const fromY = y - dy;
        const inside = fromX >= 0 && fromX < W && fromY >= 0 && fromY < H;
        expect(out[y * W + x]).toBe(inside ? image[fromY * W + fromX] : -0.5);
      }
    }
    expect(out[(2 + dy) * W + 3 + dx]).toBe(image[2 * W + 3]); // 23 lands at (1, 5)
    expect(Array.from(out.subarray((H - 1) * W))).toEqual(new Array(W).fill(-0.5)); // vacated last row
  });

  it('draws dx, then dy, per sample in which order from the rng', () => {
    const seed = 11;
    const twin = createRng(seed);
    const draws = [3, 0].map(() => [twin.int(5) - 2, twin.int(5) - 2] as const);
    const sample = ramp();
    const out = augment(shiftAugmentation, { maxPixels: 2 }, [1, H, W], batchOf(sample, sample), [1, 0], seed);
    // Sample 1 is listed first, so it gets the first pair.
    for (const [index, [dx, dy]] of [[1, draws[0]!], [0, draws[1]!]] as const) {
      const expected = augment(shiftAugmentation, { maxPixels: 2 }, [1, H, W], sample, [0], scriptedRng({ ints: [dx + 2, dy + 2] }));
      expect(out.subarray(index * H * W, (index + 1) * H * W)).toEqual(expected);
    }
  });

  it('a move as large as the image leaves only the fill', () => {
    const out = augment(shiftAugmentation, { maxPixels: 6 }, [1, H, W], ramp(), [0], scriptedRng({ ints: [12, 6] }));
    expect(Array.from(out)).toEqual(new Array(H * W).fill(-0.5));
  });

  it('shifts a Float64Array batch exactly like a Float32Array one', () => {
    const images = batchOf(ringDigit(12), ringDigit(12, 12, 1));
    const as32 = augment(shiftAugmentation, { maxPixels: 3 }, [1, 12, 12], images, [0, 1], 5);
    const as64 = augment(shiftAugmentation, { maxPixels: 3 }, [1, 12, 12], Float64Array.from(images), [0, 1], 5);
    expect(Array.from(as64)).toEqual(Array.from(as32));
  });
});
