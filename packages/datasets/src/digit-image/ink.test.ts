import { createRng } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { inkBox } from './fit.js';
import { findInk, noiseLevel } from './ink.js';
import { histogram256, otsuThreshold } from './otsu.js';
import { BLACK, picture, plain, rectangle, WHITE } from './test-pictures.js';

describe('otsuThreshold', () => {
  it('splits a bimodal histogram between its peaks, even when one peak is small', () => {
    const rng = createRng(1);
    const values = [
      ...Array.from({ length: 900 }, () => rng.normal(200, 12)),
      ...Array.from({ length: 100 }, () => rng.normal(50, 12)),
    ];
    const t = otsuThreshold(histogram256(values));
    expect(t).toBeGreaterThan(90);
    expect(t).toBeLessThan(160);
    const below = values.filter((v) => Math.round(v) <= t).length;
    expect(below).toBeGreaterThanOrEqual(99);
    expect(below).toBeLessThanOrEqual(101);
  });

  it('puts a clean two-level split halfway, and finds nothing to split in one level', () => {
    expect(otsuThreshold(histogram256([0, 0, 0, 255]))).toBe(127);
    expect(otsuThreshold(histogram256([40, 40, 40]))).toBe(-1);
  });
});

describe('findInk', () => {
  const box = rectangle(3, 3, 6, 6);

  it('gives clean pictures exactly their ink, whichever way round, and a transparent canvas too', () => {
    const dark = findInk(picture({ width: 10, height: 10, paper: plain(WHITE), ink: BLACK, isInk: box }));
    const light = findInk(picture({ width: 10, height: 10, paper: plain(BLACK), ink: WHITE, isInk: box }));
    const canvas = findInk(picture({ width: 10, height: 10, paper: plain(BLACK), ink: BLACK, isInk: box, transparentPaper: true }));
    const expected = Array.from({ length: 100 }, (_, i) => (box(i % 10, Math.floor(i / 10)) ? 1 : 0));
    expect(Array.from(dark.ink)).toEqual(expected);
    expect(Array.from(light.ink)).toEqual(expected);
    expect(Array.from(canvas.ink)).toEqual(expected);
  });

  it('removes a strong paper gradient that a plain grey level would read as ink', () => {
    // Paper from white on the left to mid grey on the right; the stroke is darker than both.
    const gradient = (x: number): readonly [number, number, number] => {
      const v = 250 - x;
      return [v, v, v];
    };
    const stroke = rectangle(40, 20, 60, 100);
    const image = findInk(picture({ width: 120, height: 120, paper: gradient, ink: [30, 30, 30], isInk: stroke }));
    for (let y = 0; y < 120; y += 3) {
      for (let x = 0; x < 120; x += 3) {
        const v = image.ink[y * 120 + x]!;
        if (stroke(x, y)) expect(v).toBeGreaterThan(0.85);
        else if (!rectangle(38, 18, 62, 102)(x, y)) expect(v).toBeLessThan(0.01);
      }
    }
    expect(inkBox(image)).toEqual({ x0: 40, y0: 20, width: 21, height: 81 });
  });

  it('sees blue ink on cream paper, and light ink on a dark board, as full ink', () => {
    const stroke = rectangle(20, 10, 30, 50);
    for (const [paper, ink] of [
      [[245, 235, 200], [40, 60, 170]],
      [[40, 70, 50], [230, 230, 220]],
    ] as const) {
      const image = findInk(picture({ width: 60, height: 60, paper: plain(paper), ink, isInk: stroke }));
      expect(image.ink[30 * 60 + 25]).toBe(1);
      expect(image.ink[5 * 60 + 5]).toBe(0);
      expect(inkBox(image)).toEqual({ x0: 20, y0: 10, width: 11, height: 41 });
    }
  });

  it('ignores paper noise and drops an isolated speck far from the digit', () => {
    const rng = createRng(7);
    const digit = rectangle(60, 40, 90, 160);
    const speck = rectangle(10, 10, 11, 11);
    const noisy = picture({ width: 200, height: 200, paper: plain([235, 230, 220]), ink: [20, 20, 60], isInk: (x, y) => digit(x, y) || speck(x, y), noise: { rng, std: 12 } });
    const image = findInk(noisy);
    const box = inkBox(image)!;
    // The box is the digit's, give or take the blur's one pixel; the speck would pull it to (10, 10).
    expect(Math.abs(box.x0 - 60)).toBeLessThanOrEqual(2);
    expect(Math.abs(box.y0 - 40)).toBeLessThanOrEqual(2);
    expect(Math.abs(box.x0 + box.width - 91)).toBeLessThanOrEqual(2);
    let paperInk = 0;
    for (let y = 0; y < 200; y++) for (let x = 120; x < 200; x++) paperInk += image.ink[y * 200 + x]!;
    expect(paperInk / (80 * 200)).toBeLessThan(0.002);
  });

  it('returns no ink at all for a blank or nearly blank picture', () => {
    expect(findInk(picture({ width: 20, height: 20, paper: plain(WHITE), ink: BLACK, isInk: () => false })).ink.every((v) => v === 0)).toBe(true);
    const faint = findInk(picture({ width: 20, height: 20, paper: plain([200, 200, 200]), ink: [196, 196, 196], isInk: rectangle(5, 5, 8, 8) }));
    expect(faint.ink.every((v) => v === 0)).toBe(true);
  });
});

describe('noiseLevel', () => {
  it('measures the deviation of added noise and is 0 for a clean picture', () => {
    const rng = createRng(3);
    const noisy = Float32Array.from({ length: 100 * 100 }, () => 128 + rng.normal(0, 10));
    expect(noiseLevel(noisy, 100)).toBeGreaterThan(8);
    expect(noiseLevel(noisy, 100)).toBeLessThan(12);
    expect(noiseLevel(new Float32Array(100).fill(9), 10)).toBe(0);
  });
});
