/**
 * Two small handwritten-digit data sets, embedded as JavaScript modules so they load offline, in
 * Node and in browsers, without any file access:
 *
 * - `loadSklearnDigits()`: the 1797 8x8 digits of scikit-learn's `load_digits()` (17 grey
 *   levels, 0..16), in scikit-learn's order.
 * - `loadDigits32('train' | 'test')`: the 32x32 binary digits of "Machine Learning in Action"
 *   (trainingDigits/, 1933 files; testDigits/, 946 files), ordered by label, then file index.
 *
 * Both derive from the UCI "Optical Recognition of Handwritten Digits" data set by E. Alpaydin
 * and C. Kaynak, licensed CC BY 4.0. Each data module is imported only when its loader runs.
 */
import { decodeBase64, inflate } from './decode.js';

/** Samples of one data set: pixels as bytes, sample-major, row-major. */
export interface DigitImages {
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  /** count * rows * cols values 0..maxValue. */
  readonly pixels: Uint8Array;
  /** count labels 0..9. */
  readonly labels: Uint8Array;
  /** Largest pixel value: 16 for the 8x8 digits, 1 for the 32x32 bitmaps. */
  readonly maxValue: number;
}

/** The 32x32 digits also keep the file each sample came from. */
export interface Digits32Images extends DigitImages {
  /** `<label>_<index>.txt`, the original file name of each sample. */
  readonly names: readonly string[];
}

export type Digits32Split = 'train' | 'test';

/** Sample counts, for messages and checks before loading. */
export const SKLEARN_DIGITS_COUNT = 1797;
export const DIGITS32_COUNTS: Readonly<Record<Digits32Split, number>> = Object.freeze({ train: 1933, test: 946 });
/** The folder names of the original 32x32 distribution. */
export const DIGITS32_FOLDERS: Readonly<Record<Digits32Split, string>> = Object.freeze({ train: 'trainingDigits', test: 'testDigits' });

/** One line to quote wherever the data is shown or redistributed. */
export const DIGITS_ATTRIBUTION =
  'Derived from the UCI "Optical Recognition of Handwritten Digits" data set by E. Alpaydin and C. Kaynak ' +
  '(https://doi.org/10.24432/C50P49), licensed CC BY 4.0.';

interface DataModule {
  readonly count: number;
  readonly deflated: string;
}

async function payload(module: DataModule, name: string, bytesPerSample: number): Promise<Uint8Array> {
  const bytes = await inflate(decodeBase64(module.deflated), name);
  if (bytes.length !== module.count * bytesPerSample) {
    throw new Error(`@scratchnet/digits-data: ${name} holds ${bytes.length} bytes, expected ${module.count * bytesPerSample}; the package is damaged, reinstall it.`);
  }
  return bytes;
}

/** The 1797 8x8 digits of sklearn.datasets.load_digits(): pixels 0..16, in scikit-learn's order. */
export async function loadSklearnDigits(): Promise<DigitImages> {
  const module: DataModule = await import('../data/sklearn-digits.js');
  const pixelsPerSample = 64;
  const bytes = await payload(module, 'sklearn-digits', 1 + pixelsPerSample);
  const count = module.count;
  return {
    count,
    rows: 8,
    cols: 8,
    labels: bytes.slice(0, count),
    pixels: bytes.slice(count),
    maxValue: 16,
  };
}

/** The 32x32 binary digits (pixels 0/1) of trainingDigits/ (`train`) or testDigits/ (`test`). */
export async function loadDigits32(split: Digits32Split): Promise<Digits32Images> {
  const module: DataModule = split === 'train' ? await import('../data/digits32-training.js') : await import('../data/digits32-test.js');
  const side = 32;
  const bitBytes = (side * side) / 8;
  const bytes = await payload(module, DIGITS32_FOLDERS[split], 1 + 2 + bitBytes);
  const count = module.count;
  const labels = bytes.slice(0, count);
  const names = Array.from(labels, (label, i) => `${label}_${bytes[count + 2 * i]! | (bytes[count + 2 * i + 1]! << 8)}.txt`);
  const bits = bytes.subarray(count * 3);
  const pixels = new Uint8Array(count * side * side);
  for (let k = 0; k < pixels.length; k++) pixels[k] = (bits[k >> 3]! >> (7 - (k & 7))) & 1;
  return { count, rows: side, cols: side, labels, pixels, maxValue: 1, names };
}
