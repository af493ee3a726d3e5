import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pngjs from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputFormat } from '../run-dir/model-files.js';
import { blankSamples, readPredictInput } from './predict-input.js';

const input: InputFormat = {
  format: 'scratchnet-input',
  formatVersion: 1,
  dataset: 'sklearn-digits-json',
  sampleShape: [1, 8, 8],
  min: 0,
  max: 16,
  binary: false,
};

function solidPng(value: number): Buffer {
  const png = new pngjs.PNG({ width: 12, height: 12 });
  for (let i = 0; i < 12 * 12; i++) {
    png.data[4 * i] = png.data[4 * i + 1] = png.data[4 * i + 2] = value;
    png.data[4 * i + 3] = 255;
  }
  return pngjs.PNG.sync.write(png);
}

describe('blankSamples', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'predict-input-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('finds all-white and all-black PNGs and an all-0 text digit', async () => {
    await writeFile(join(dir, 'white.png'), solidPng(255));
    await writeFile(join(dir, 'black.png'), solidPng(0));
    await writeFile(join(dir, 'zero.txt'), `${'0'.repeat(32)}\n`.repeat(32));
    for (const file of ['white.png', 'black.png']) {
      expect(blankSamples(await readPredictInput(file, dir, input))).toEqual([0]);
    }
    const txt = await readPredictInput('zero.txt', dir, { ...input, dataset: 'txt32', sampleShape: [1, 32, 32], max: 1, binary: true });
    expect(blankSamples(txt)).toEqual([0]);
  });

  it('names only the empty images of a batch', () => {
    const images = new Float32Array(3 * 4);
    images.set([0, 5, 0, 0], 4);
    images.fill(255, 8);
    expect(blankSamples({ images, count: 3 })).toEqual([0, 2]);
    expect(blankSamples({ images: new Float32Array(0), count: 0 })).toEqual([]);
  });
});
