// Every corrupted input must end in a valid data set or a DataFormatError: never a RangeError,
// a TypeError or a hang. Mutations are seeded, so a failure names a reproducible case.
import { gzipSync } from 'node:zlib';
import { DataFormatError, type Dataset } from '@scratchnet/spec';
import { createRng, shapeSize, type Rng } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { decodeIdxDataset } from './idx-format.js';
import { parseSklearnDigits } from './sklearn-digits-format.js';
import { idxImages, idxLabels, sklearnJson, sklearnSample, txt32Text } from './test-fixtures.js';
import { txt32Dataset } from './txt32-format.js';

const CASES = 1200;

/** A random truncation, 1-3 changed bytes, or appended junk. */
function mutate(bytes: Uint8Array, rng: Rng): Uint8Array {
  const roll = rng.next();
  if (roll < 0.45) return bytes.slice(0, rng.int(bytes.length));
  if (roll < 0.9) {
    const copy = bytes.slice();
    const flips = 1 + rng.int(3);
    for (let k = 0; k < flips; k++) {
      const at = rng.int(copy.length);
      // Half the flips touch only the lowest bit ('0' <-> '1', '4' <-> '5'), which keeps many
      // text inputs valid, so the loaders' success paths get fuzzed too.
      copy[at] = copy[at]! ^ (rng.next() < 0.5 ? 1 : 1 + rng.int(255));
    }
    return copy;
  }
  return new Uint8Array([...bytes, ...Array.from({ length: 1 + rng.int(8) }, () => rng.int(256))]);
}

function problemWith(dataset: Dataset): string | undefined {
  const size = shapeSize(dataset.sampleShape);
  if (!(dataset.images instanceof Float32Array) || !(dataset.labels instanceof Uint8Array)) return 'wrong array types';
  if (dataset.count < 1 || dataset.images.length !== dataset.count * size || dataset.labels.length !== dataset.count) return 'inconsistent sizes';
  if (dataset.labels.some((label) => label >= dataset.classNames.length)) return 'label outside the classes';
  if (dataset.images.some((v) => !Number.isFinite(v))) return 'non-finite pixel';
  return undefined;
}

/** Runs `load` on CASES mutations of `valid`; returns how many loaded and how many were rejected. */
async function fuzz(seed: number, valid: Uint8Array, load: (bytes: Uint8Array) => Promise<Dataset> | Dataset) {
  const rng = createRng(seed);
  const unexpected: string[] = [];
  let loaded = 0;
  let rejected = 0;
  for (let i = 0; i < CASES; i++) {
    const bytes = mutate(valid, rng);
    try {
      const problem = problemWith(await load(bytes));
      if (problem !== undefined) unexpected.push(`case ${i}: ${problem}`);
      else loaded++;
    } catch (error) {
      if (error instanceof DataFormatError) rejected++;
      else unexpected.push(`case ${i}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
  }
  return { unexpected, loaded, rejected };
}

describe(`fuzzing (${CASES} truncations, byte flips and appended junk per format)`, () => {
  const images = idxImages(6, 4, 4);
  const labels = idxLabels([1, 2, 3, 4, 5, 6]);
  const files = { images: 'img', labels: 'lab' };

  it('idx images file', async () => {
    const result = await fuzz(101, images, (bytes) => decodeIdxDataset(bytes, labels, files));
    expect(result.unexpected).toEqual([]);
    expect(result.loaded).toBeGreaterThan(0);
    expect(result.rejected).toBeGreaterThan(0);
  });

  it('idx labels file', async () => {
    const result = await fuzz(102, labels, (bytes) => decodeIdxDataset(images, bytes, files));
    expect(result.unexpected).toEqual([]);
    expect(result.loaded).toBeGreaterThan(0);
    expect(result.rejected).toBeGreaterThan(0);
  });

  it('gzip-compressed idx images file', async () => {
    const result = await fuzz(103, gzipSync(images), (bytes) => decodeIdxDataset(bytes, labels, files));
    expect(result.unexpected).toEqual([]);
    expect(result.rejected).toBeGreaterThan(0);
  });

  it('sklearn digits JSON', async () => {
    const text = sklearnJson([sklearnSample(0), sklearnSample(3), sklearnSample(9)], [2, 1, 0], { images: true, targetNames: [0, 1, 2] });
    const decoder = new TextDecoder();
    const result = await fuzz(104, new TextEncoder().encode(text), (bytes) => parseSklearnDigits(decoder.decode(bytes), 'd.json'));
    expect(result.unexpected).toEqual([]);
    expect(result.loaded).toBeGreaterThan(0);
    expect(result.rejected).toBeGreaterThan(0);
  });

  it('txt32 file', async () => {
    const result = await fuzz(105, new TextEncoder().encode(txt32Text()), (bytes) => txt32Dataset([{ name: '3_1.txt', content: bytes }], 'fuzz'));
    expect(result.unexpected).toEqual([]);
    expect(result.loaded).toBeGreaterThan(0);
    expect(result.rejected).toBeGreaterThan(0);
  });
});
