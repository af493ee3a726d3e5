import pngjs from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { InputFormat } from '../run-dir/model-files.js';
import { decodePngInk, imageSize, pngToSample, type InkImage } from './png-input.js';

/** A filled rectangle of ink on a background, as PNG bytes. */
function rectanglePng(options: { width: number; height: number; x0: number; y0: number; x1: number; y1: number; darkInk: boolean; alpha?: boolean }): Uint8Array {
  const png = new pngjs.PNG({ width: options.width, height: options.height });
  for (let y = 0; y < options.height; y++) {
    for (let x = 0; x < options.width; x++) {
      const ink = x >= options.x0 && x <= options.x1 && y >= options.y0 && y <= options.y1;
      const i = 4 * (y * options.width + x);
      const value = ink === options.darkInk ? 0 : 255;
      png.data[i] = png.data[i + 1] = png.data[i + 2] = options.alpha ? 0 : value;
      png.data[i + 3] = options.alpha ? (ink ? 255 : 0) : 255;
    }
  }
  return new Uint8Array(pngjs.PNG.sync.write(png));
}

const input = (overrides: Partial<InputFormat>): InputFormat => ({
  format: 'scratchnet-input',
  formatVersion: 1,
  dataset: 'mnist',
  sampleShape: [1, 28, 28],
  min: 0,
  max: 255,
  binary: false,
  ...overrides,
});

function centreOfMass(pixels: Float32Array, side: number): { x: number; y: number } {
  let mass = 0;
  let x = 0;
  let y = 0;
  pixels.forEach((v, i) => {
    mass += v;
    x += v * ((i % side) + 0.5);
    y += v * (Math.floor(i / side) + 0.5);
  });
  return { x: x / mass, y: y / mass };
}

describe('decodePngInk', () => {
  it('treats the border as background, whichever way round the picture is', () => {
    const rect = { width: 10, height: 10, x0: 3, y0: 3, x1: 6, y1: 6 };
    const dark = decodePngInk(rectanglePng({ ...rect, darkInk: true }), 'a.png');
    const light = decodePngInk(rectanglePng({ ...rect, darkInk: false }), 'b.png');
    expect(dark.ink[0]).toBe(0);
    expect(dark.ink[4 * 10 + 4]).toBe(1);
    expect(Array.from(light.ink)).toEqual(Array.from(dark.ink));
  });

  it('composites transparency over white, so a stroke on a transparent canvas is ink', () => {
    const image = decodePngInk(rectanglePng({ width: 8, height: 8, x0: 2, y0: 2, x1: 5, y1: 5, darkInk: true, alpha: true }), 'c.png');
    expect(image.ink[0]).toBe(0);
    expect(image.ink[3 * 8 + 3]).toBe(1);
  });

  it('rejects bytes that are not a PNG with a data error', () => {
    expect(() => decodePngInk(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), 'bad.png')).toThrow(/^bad\.png: expected a PNG image/);
  });
});

describe('pngToSample', () => {
  const offCentre: InkImage = decodePngInk(rectanglePng({ width: 100, height: 80, x0: 5, y0: 10, x1: 25, y1: 70, darkInk: true }), 'x.png');

  it('fits MNIST-style digits into 20 pixels and centres them by mass in 28x28 grey levels', () => {
    const sample = pngToSample(offCentre, input({}));
    expect(sample).toHaveLength(784);
    const com = centreOfMass(sample, 28);
    expect(com.x).toBeCloseTo(14, 0);
    expect(com.y).toBeCloseTo(14, 0);
    const rows = new Set<number>();
    sample.forEach((v, i) => v > 0 && rows.add(Math.floor(i / 28)));
    expect(rows.size).toBe(20);
    expect(Math.max(...sample)).toBeCloseTo(255, 3);
    expect(Math.min(...sample)).toBe(0);
  });

  it('gives sklearn-style 8x8 samples as whole ink counts 0..16', () => {
    const sample = pngToSample(offCentre, input({ dataset: 'sklearn-digits-json', sampleShape: [1, 8, 8], max: 16 }));
    expect(sample).toHaveLength(64);
    expect(sample.every((v) => Number.isInteger(v) && v >= 0 && v <= 16)).toBe(true);
    expect(Math.max(...sample)).toBe(16);
  });

  it('gives binary data only its two values, the digit filling the frame', () => {
    const sample = pngToSample(offCentre, input({ dataset: 'txt32', sampleShape: [1, 32, 32], max: 1, binary: true }));
    expect(new Set(sample)).toEqual(new Set([0, 1]));
    const rows = new Set<number>();
    sample.forEach((v, i) => v > 0 && rows.add(Math.floor(i / 32)));
    expect(rows.size).toBe(32);
  });

  it('turns a blank picture into an empty sample', () => {
    const blank = decodePngInk(rectanglePng({ width: 10, height: 10, x0: 20, y0: 20, x1: 20, y1: 20, darkInk: true }), 'blank.png');
    expect(pngToSample(blank, input({})).every((v) => v === 0)).toBe(true);
  });
});

describe('imageSize', () => {
  it('reads rows and columns from the last two dimensions or a square', () => {
    expect(imageSize([1, 28, 28])).toEqual({ rows: 28, cols: 28 });
    expect(imageSize([64])).toEqual({ rows: 8, cols: 8 });
  });
});
