// Every corrupted input must end in a valid data set or a DataFormatError: never a RangeError,
// a TypeError, a hang, or memory out of proportion to the input. Mutations are seeded, so a
// failure names a reproducible case.
//
// Memory bound (checklist D12, "memory <= 2x file size"): these formats hold whole values
// 0..255, so a data set's pixels are bytes (a view of an idx file's own bytes; one byte per
// pixel of a text format, which spends at least one character on each), and the returned data
// set is held to <= 1x the decoded input. Everything else a load allocates (all of it when the
// load is rejected) must stay <= 2x the decoded input, plus a fixed allowance per format. The bug this
// catches is sizing a buffer from what a header claims (a flipped count byte claims up to
// 4 G items) before checking that the bytes are there.
import { DecompressionStream } from 'node:stream/web';
import { gzipSync } from 'node:zlib';
import { DataFormatError, type Dataset } from '@scratchnet/spec';
import { createRng, shapeSize, type Rng } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { isGzip } from './gzip.js';
import { decodeIdx, decodeIdxDataset, parseIdx } from './idx-format.js';
import { parseSklearnDigits } from './sklearn-digits-format.js';
import { countAllocations } from '@scratchnet/testkit';
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
  if (!(dataset.images instanceof Uint8Array) || !(dataset.labels instanceof Uint8Array)) return 'wrong array types';
  if (dataset.count < 1 || dataset.images.length !== dataset.count * size || dataset.labels.length !== dataset.count) return 'inconsistent sizes';
  if (dataset.labels.some((label) => label >= dataset.classNames.length)) return 'label outside the classes';
  if (dataset.images.some((v) => !Number.isFinite(v))) return 'non-finite pixel';
  return undefined;
}

/**
 * What a load of one mutated input may allocate. `decoded` is its decoded size: the bytes, or
 * for gzip data what the same decoder gets out of it. `otherBytes`: the unmutated partner file
 * of an idx pair, which the load reads too. `allowance`: a fixed extra the format needs.
 */
interface MemoryBudget {
  readonly allowance: number;
  readonly otherBytes?: number;
  readonly gzip?: boolean;
}

/** Bytes the gzip decoder produces from `bytes` before it ends or fails (no cap). */
async function inflatedLength(bytes: Uint8Array): Promise<number> {
  const stream = new DecompressionStream('gzip');
  const writer = stream.writable.getWriter();
  writer.write(bytes).then(() => writer.close()).catch(() => undefined);
  const reader = stream.readable.getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
    }
  } catch {
    // A damaged stream: what came out before the failure is what a loader could have held.
  }
  return total;
}

/** The memory bound of the header comment, or undefined when it holds. */
async function memoryProblem(bytes: Uint8Array, allocated: number, dataset: Dataset | undefined, budget: MemoryBudget): Promise<string | undefined> {
  const decoded = (budget.gzip === true && isGzip(bytes) ? await inflatedLength(bytes) : bytes.length) + (budget.otherBytes ?? 0);
  const output = dataset === undefined ? 0 : dataset.images.byteLength + dataset.labels.byteLength;
  if (output > decoded) return `returned ${output} bytes of data for ${decoded} decoded input bytes (more than 1x)`;
  const scratch = allocated - output;
  if (scratch > 2 * decoded + budget.allowance) {
    return `allocated ${scratch} bytes besides the data set for ${decoded} decoded input bytes (limit 2x + ${budget.allowance})`;
  }
  return undefined;
}

/** Runs `load` on CASES mutations of `valid`; returns how many loaded and how many were rejected. */
async function fuzz(seed: number, valid: Uint8Array, budget: MemoryBudget, load: (bytes: Uint8Array) => Promise<Dataset> | Dataset) {
  const rng = createRng(seed);
  const unexpected: string[] = [];
  let loaded = 0;
  let rejected = 0;
  let mostAllocated = 0;
  for (let i = 0; i < CASES; i++) {
    const bytes = mutate(valid, rng);
    const result = await countAllocations(() => load(bytes));
    mostAllocated = Math.max(mostAllocated, result.bytes);
    const memory = await memoryProblem(bytes, result.bytes, result.value, budget);
    if (memory !== undefined) unexpected.push(`case ${i}: ${memory}`);
    if (result.value !== undefined) {
      const problem = problemWith(result.value);
      if (problem !== undefined) unexpected.push(`case ${i}: ${problem}`);
      else loaded++;
    } else if (result.error instanceof DataFormatError) {
      rejected++;
    } else {
      const error = result.error;
      unexpected.push(`case ${i}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
  }
  return { unexpected, loaded, rejected, mostAllocated };
}

/** gzip output starts in a buffer sized by the footer's claim, capped at 64 KiB (see gzip.ts). */
const GZIP_FIRST_BUFFER = 1 << 16;
/** txt32 parses straight into the data set's arrays: one 32x32 byte sample and its label byte per file. */
const TXT32_SAMPLE = 32 * 32 + 1;

describe(`fuzzing (${CASES} truncations, byte flips and appended junk per format)`, () => {
  const images = idxImages(6, 4, 4);
  const labels = idxLabels([1, 2, 3, 4, 5, 6]);
  const files = { images: 'img', labels: 'lab' };

  it('idx images file', async () => {
    const result = await fuzz(101, images, { allowance: 0, otherBytes: labels.length }, (bytes) => decodeIdxDataset(bytes, labels, files));
    expect(result.unexpected).toEqual([]);
    expect(result.loaded).toBeGreaterThan(0);
    expect(result.rejected).toBeGreaterThan(0);
    // The counter sees the loader's allocations: a valid load copies the 6 labels (the pixels
    // stay a view of the file's bytes).
    expect(result.mostAllocated).toBeGreaterThanOrEqual(6);
  });

  it('idx labels file', async () => {
    const result = await fuzz(102, labels, { allowance: 0, otherBytes: images.length }, (bytes) => decodeIdxDataset(images, bytes, files));
    expect(result.unexpected).toEqual([]);
    expect(result.loaded).toBeGreaterThan(0);
    expect(result.rejected).toBeGreaterThan(0);
  });

  it('gzip-compressed idx images file', async () => {
    const result = await fuzz(103, gzipSync(images), { allowance: GZIP_FIRST_BUFFER, otherBytes: labels.length, gzip: true }, (bytes) => decodeIdxDataset(bytes, labels, files));
    expect(result.unexpected).toEqual([]);
    expect(result.rejected).toBeGreaterThan(0);
  });

  it('sklearn digits JSON', async () => {
    const text = sklearnJson([sklearnSample(0), sklearnSample(3), sklearnSample(9)], [2, 1, 0], { images: true, targetNames: [0, 1, 2] });
    const decoder = new TextDecoder();
    const result = await fuzz(104, new TextEncoder().encode(text), { allowance: 0 }, (bytes) => parseSklearnDigits(decoder.decode(bytes), 'd.json'));
    expect(result.unexpected).toEqual([]);
    expect(result.loaded).toBeGreaterThan(0);
    expect(result.rejected).toBeGreaterThan(0);
  });

  it('txt32 file', async () => {
    const result = await fuzz(105, new TextEncoder().encode(txt32Text()), { allowance: TXT32_SAMPLE }, (bytes) => txt32Dataset([{ name: '3_1.txt', content: bytes }], 'fuzz'));
    expect(result.unexpected).toEqual([]);
    expect(result.loaded).toBeGreaterThan(0);
    expect(result.rejected).toBeGreaterThan(0);
  });
});

describe('a header that claims more than the file holds allocates nothing for the claim', () => {
  /** idxImages(6, 4, 4) with its image count set to `count`. */
  const claiming = (count: number): Uint8Array => {
    const bytes = idxImages(6, 4, 4);
    new DataView(bytes.buffer).setUint32(4, count);
    return bytes;
  };

  it('raw idx: 4,294,967,295 images of 4x4 declared in 112 bytes', async () => {
    const bytes = claiming(0xffffffff);
    const result = await countAllocations(() => parseIdx(bytes, 'img.idx', 'images'));
    expect(result.error).toBeInstanceOf(DataFormatError);
    expect((result.error as Error).message).toMatch(/expected 68719476736 bytes \(16-byte header \+ 4294967295 images of 4x4\), found 112 bytes/);
    expect(result.bytes).toBe(0);
  });

  it('gzip idx: the same claim inside gzip data costs at most 2x what the data decompresses to', async () => {
    const raw = claiming(0xffffffff);
    const gz = gzipSync(raw);
    const result = await countAllocations(() => decodeIdx(gz, 'img.gz', 'images'));
    expect(result.error).toBeInstanceOf(DataFormatError);
    expect(result.bytes).toBeLessThanOrEqual(2 * raw.length);
  });
});
