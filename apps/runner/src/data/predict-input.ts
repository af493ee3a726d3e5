import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { decodeIdx, digitImageToSample, isBlankSample, parseTxt32 } from '@scratchnet/datasets';
import { DataFormatError } from '@scratchnet/spec';
import type { Shape } from '@scratchnet/tensor';
import { dataError } from '../exit-codes.js';
import type { DigitSampleFormat } from '@scratchnet/datasets';
import { decodeJpeg, decodePng, isJpeg, isPng } from './image-decode.js';

/** Raw samples read from one file given to `runner predict`. */
export interface InputSamples {
  readonly file: string;
  /** Floats from a picture; bytes from an idx file or a text digit, as the data sets hold them. */
  readonly images: Float32Array | Uint8Array;
  readonly sampleShape: Shape;
  readonly count: number;
}

/**
 * Reads one prediction input, recognised by content (not by extension): a PNG or JPEG picture
 * (its ink found and converted the way the model's training data was prepared), an idx images file (raw or gzip; every image), or a 32x32
 * '0'/'1' text digit.
 */
export async function readPredictInput(file: string, cwd: string, input: DigitSampleFormat): Promise<InputSamples> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(resolve(cwd, file)));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw dataError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? (error as Error).message)}.`, error);
  }
  if (isPng(bytes) || isJpeg(bytes)) {
    const picture = isPng(bytes) ? decodePng(bytes, file) : decodeJpeg(bytes, file);
    return { file, images: digitImageToSample(picture, input), sampleShape: input.sampleShape, count: 1 };
  }
  const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (gzip || (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0x08)) {
    const idx = await decodeIdx(bytes, file, 'images');
    const [count = 0, ...sampleDims] = idx.dims;
    return { file, images: idx.values, sampleShape: [1, ...sampleDims], count };
  }
  if (bytes[0] === 0x30 || bytes[0] === 0x31) {
    return { file, images: parseTxt32(bytes, file), sampleShape: [1, 32, 32], count: 1 };
  }
  throw new DataFormatError(
    { file, byteOffset: 0 },
    'a PNG or JPEG image, an idx images file (raw or gzip) or a 32x32 text digit of 0/1 characters',
    `a file starting with bytes ${[...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}`,
  );
}

/** Indexes of the samples that hold no ink (see isBlankSample): `runner predict` reports them instead. */
export function blankSamples(samples: Pick<InputSamples, 'images' | 'count'>): number[] {
  const blank: number[] = [];
  if (samples.count === 0) return blank;
  const size = samples.images.length / samples.count;
  for (let i = 0; i < samples.count; i++) {
    if (isBlankSample(samples.images.subarray(i * size, (i + 1) * size))) blank.push(i);
  }
  return blank;
}
