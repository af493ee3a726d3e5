import { describe, expect, it } from 'vitest';
import { centreByMass, centreOfMass } from './fit.js';
import { findInk } from './ink.js';
import { digitImageToSample, imageSize, inkToSample, type DigitSampleFormat } from './sample.js';
import { BLACK, picture, plain, rectangle, WHITE } from './test-pictures.js';

const mnistFormat: DigitSampleFormat = { dataset: 'mnist', sampleShape: [1, 28, 28], min: 0, max: 255, binary: false };

describe('centreByMass', () => {
  it('moves an off-centre blob so its centre of mass lands on the canvas centre', () => {
    const pixels = new Float32Array(28 * 28);
    for (let y = 2; y < 7; y++) for (let x = 3; x < 8; x++) pixels[y * 28 + x] = 1;
    expect(centreOfMass(pixels, 28, 28)).toEqual({ x: 5.5, y: 4.5, mass: 25 });
    const centred = centreByMass(pixels, 28, 28);
    // On the centre of pixel (14, 14), where MNIST's digits have theirs.
    expect(centreOfMass(centred, 28, 28)).toEqual({ x: 14.5, y: 14.5, mass: 25 });
    expect(centred[12 * 28 + 12]).toBe(1);
  });
});

describe('inkToSample', () => {
  const offCentre = findInk(picture({ width: 100, height: 80, paper: plain(WHITE), ink: BLACK, isInk: rectangle(5, 10, 25, 70) }));

  it('fits MNIST-style digits into 20 pixels and centres them by mass in 28x28 grey levels', () => {
    const sample = inkToSample(offCentre, mnistFormat);
    expect(sample).toHaveLength(784);
    const com = centreOfMass(sample, 28, 28);
    expect(Math.abs(com.x - 14.5)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(com.y - 14.5)).toBeLessThanOrEqual(0.5);
    const rows = new Set<number>();
    sample.forEach((v, i) => v > 0 && rows.add(Math.floor(i / 28)));
    expect(rows.size).toBe(20);
    expect(Math.max(...sample)).toBeCloseTo(255, 3);
    expect(Math.min(...sample)).toBe(0);
  });

  it('gives sklearn-style 8x8 samples as whole ink counts 0..16', () => {
    const sample = inkToSample(offCentre, { dataset: 'sklearn-digits-json', sampleShape: [1, 8, 8], min: 0, max: 16 });
    expect(sample).toHaveLength(64);
    expect(sample.every((v) => Number.isInteger(v) && v >= 0 && v <= 16)).toBe(true);
    expect(Math.max(...sample)).toBe(16);
  });

  it('gives binary data only its two values, the digit filling the frame', () => {
    const sample = inkToSample(offCentre, { dataset: 'txt32', sampleShape: [1, 32, 32], min: 0, max: 1, binary: true });
    expect(new Set(sample)).toEqual(new Set([0, 1]));
    const rows = new Set<number>();
    sample.forEach((v, i) => v > 0 && rows.add(Math.floor(i / 32)));
    expect(rows.size).toBe(32);
  });

  it('turns a blank picture into an empty sample', () => {
    const blank = findInk(picture({ width: 10, height: 10, paper: plain(WHITE), ink: BLACK, isInk: () => false }));
    expect(inkToSample(blank, mnistFormat).every((v) => v === 0)).toBe(true);
  });
});

describe('digitImageToSample', () => {
  it('gives an L drawn small in a corner and large across the picture the same sample', () => {
    const shape = (x0: number, y0: number, s: number) => (x: number, y: number) =>
      rectangle(x0, y0, x0 + 2 * s - 1, y0 + 10 * s - 1)(x, y) || rectangle(x0, y0 + 8 * s, x0 + 6 * s - 1, y0 + 10 * s - 1)(x, y);
    const small = digitImageToSample(picture({ width: 120, height: 90, paper: plain(WHITE), ink: BLACK, isInk: shape(4, 3, 3) }), mnistFormat);
    const large = digitImageToSample(picture({ width: 120, height: 90, paper: plain([250, 240, 210]), ink: [20, 40, 160], isInk: shape(50, 5, 8) }), mnistFormat);
    // Edges anti-alias differently at different scales; the size, ink mass and place must agree.
    const rowsOf = (sample: Float32Array): number => new Set(Array.from(sample.keys()).filter((i) => sample[i]! > 60).map((i) => Math.floor(i / 28))).size;
    expect(rowsOf(small)).toBe(20);
    expect(rowsOf(large)).toBe(20);
    const [a, b] = [centreOfMass(small, 28, 28), centreOfMass(large, 28, 28)];
    expect(Math.abs(a.mass - b.mass) / a.mass).toBeLessThan(0.1);
    for (const com of [a, b]) {
      expect(Math.abs(com.x - 14.5)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(com.y - 14.5)).toBeLessThanOrEqual(0.5);
    }
  });

  it('reads grey and RGB pixels as well as RGBA', () => {
    const grey = new Uint8Array(100).fill(255);
    for (let y = 2; y < 8; y++) grey[y * 10 + 4] = grey[y * 10 + 5] = 0;
    const rgb = Uint8Array.from({ length: 300 }, (_, i) => grey[Math.floor(i / 3)]!);
    const fromGrey = digitImageToSample({ width: 10, height: 10, data: grey, channels: 1 }, mnistFormat);
    expect(Math.max(...fromGrey)).toBeGreaterThan(200);
    expect(Array.from(digitImageToSample({ width: 10, height: 10, data: rgb, channels: 3 }, mnistFormat))).toEqual(Array.from(fromGrey));
    expect(() => digitImageToSample({ width: 10, height: 10, data: rgb, channels: 4 }, mnistFormat)).toThrow(RangeError);
  });
});

describe('imageSize', () => {
  it('reads rows and columns from the last two dimensions or a square', () => {
    expect(imageSize([1, 28, 28])).toEqual({ rows: 28, cols: 28 });
    expect(imageSize([64])).toEqual({ rows: 8, cols: 8 });
  });
});
