import { fitInk } from './fit.js';
import { findInk, type InkImage } from './ink.js';
import type { PixelImage } from './pixels.js';

/**
 * What a model's raw samples look like (the fields of a model folder's input.json): the data
 * set it was trained on, the per-sample shape, the value range and whether every pixel was
 * either min or max.
 */
export interface DigitSampleFormat {
  readonly dataset?: string;
  readonly sampleShape: readonly number[];
  readonly min: number;
  readonly max: number;
  readonly binary?: boolean;
}

/** For a model that says nothing of its raw input: a square grey image in 0..1 of its input shape. */
export function defaultSampleFormat(sampleShape: readonly number[]): DigitSampleFormat {
  const { rows, cols } = imageSize(sampleShape);
  return { dataset: 'unknown', sampleShape: [rows, cols], min: 0, max: 1, binary: false };
}

/**
 * A sample with no ink: every value the same (an all-white or all-black picture, an all-'0' text
 * digit, an empty idx image). A model would still answer for it, confidently and meaninglessly.
 */
export function isBlankSample(sample: ArrayLike<number>): boolean {
  for (let i = 1; i < sample.length; i++) if (sample[i] !== sample[0]) return false;
  return true;
}

/** Rows and columns of a per-sample shape: the last two dimensions, or a square for a flat one. */
export function imageSize(sampleShape: readonly number[]): { rows: number; cols: number } {
  if (sampleShape.length >= 2) return { rows: sampleShape.at(-2)!, cols: sampleShape.at(-1)! };
  const size = sampleShape.reduce((a, b) => a * b, 1);
  const side = Math.round(Math.sqrt(size));
  return { rows: side, cols: size / side };
}

/**
 * Ink turned into one raw sample of the model's training data, prepared the way each data set
 * was: MNIST digits fill a 20x20 box centred by mass in 28x28 grey levels; the 8x8 sklearn
 * digits are 4x4 ink counts (0..16) of a 32x32 bitmap; binary data (txt32) is a thresholded
 * bitmap filling the frame; other data fills the frame in the training value range.
 */
export function inkToSample(image: InkImage, format: DigitSampleFormat): Float32Array {
  const { rows, cols } = imageSize(format.sampleShape);
  const range = format.max - format.min;
  let pixels: Float32Array;
  if (format.dataset === 'sklearn-digits-json' || (rows === 8 && cols === 8 && format.max === 16)) {
    const bitmap = fitInk(image, rows * 4, cols * 4, 0, false);
    pixels = new Float32Array(rows * cols);
    for (let y = 0; y < rows * 4; y++) {
      for (let x = 0; x < cols * 4; x++) if (bitmap[y * cols * 4 + x]! >= 0.5) pixels[(y >> 2) * cols + (x >> 2)]! += 1 / 16;
    }
  } else if (format.dataset === 'mnist' || format.dataset === 'idx') {
    pixels = fitInk(image, rows, cols, Math.round((rows * 4) / 28), true);
  } else {
    pixels = fitInk(image, rows, cols, 0, false);
  }
  const sample = new Float32Array(format.sampleShape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < sample.length; i++) {
    const ink = pixels[i] ?? 0;
    sample[i] = format.binary ? (ink >= 0.5 ? format.max : format.min) : format.min + ink * range;
  }
  return sample;
}

/** A decoded picture (RGBA, RGB or grey) straight to a model sample: findInk, then inkToSample. */
export function digitImageToSample(image: PixelImage, format: DigitSampleFormat): Float32Array {
  return inkToSample(findInk(image), format);
}
