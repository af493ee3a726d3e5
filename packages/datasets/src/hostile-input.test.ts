// Hostile or huge inputs (issue 11): gzip bombs are cut off at the size the idx header declares,
// and a file with the wrong magic is rejected after its first bytes, not after reading it all.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { DataSource } from '@scratchnet/spec';
import { createRng } from '@scratchnet/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { gunzip } from './gzip.js';
import { decodeIdx, MAX_IDX_HEADER, readIdxFile } from './idx-format.js';
import { idx } from './idx.js';
import { createMemoryDataSource } from './memory-source.js';
import { createNodeDataSource } from './node-source.node.js';
import { expectDataError, idxBytes, idxImages, idxLabels } from './test-fixtures.js';

function randomBytes(count: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  const words = new Uint32Array(Math.ceil(count / 4));
  for (let i = 0; i < words.length; i++) words[i] = rng.int(2 ** 32);
  return new Uint8Array(words.buffer, 0, count);
}

/** A valid idx header for `dims`, then `extra` bytes of `fill` (zeros compress ~1000:1). */
function withExtra(header: Uint8Array, extra: number, fill?: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(header.length + extra);
  bytes.set(header);
  if (fill !== undefined) bytes.set(fill.subarray(0, extra), header.length);
  return bytes;
}

/** Counts what a source hands out, to show that reading stopped early. */
function countingSource(inner: DataSource): { source: DataSource; bytesRead: () => number; wholeReads: () => number } {
  let bytesRead = 0;
  let wholeReads = 0;
  const source: DataSource = {
    resolve: (path) => inner.resolve(path),
    readDir: (path) => inner.readDir(path),
    async readFile(path) {
      wholeReads++;
      const bytes = await inner.readFile(path);
      bytesRead += bytes.length;
      return bytes;
    },
    async readFileHead(path, count) {
      const bytes = (await inner.readFile(path)).subarray(0, count);
      bytesRead += bytes.length;
      return bytes;
    },
  };
  return { source, bytesRead: () => bytesRead, wholeReads: () => wholeReads };
}

const stoppedAt = (message: string): number => Number(/decompression stopped at (\d+) bytes/.exec(message)?.[1]);

describe('gzip bombs', () => {
  const labelsHeader = idxLabels(new Array<number>(1000).fill(0)).subarray(0, 8);
  // 1008 bytes declared, 32 MiB of zeros in the gzip (about 32 KB compressed).
  const bomb = gzipSync(withExtra(labelsHeader, 32 << 20));

  it('stops inflating once the output outgrows the idx header, with a DataFormatError naming the file', async () => {
    expect(bomb.length).toBeLessThan(64 << 10);
    const error = await expectDataError(
      () => decodeIdx(bomb, 'bomb-labels.gz', 'labels'),
      { file: 'bomb-labels.gz', byteOffset: 1008 },
      /expected 1008 bytes after decompression \(1000 labels, as the idx header declares\), then the end of the data, found more than 1008 bytes/,
    );
    expect(error.message).toMatch(/decompression bomb/);
    // Decompression stopped within a chunk or so of the cap, far from the 32 MiB inside.
    expect(stoppedAt(error.message)).toBeGreaterThan(1008);
    expect(stoppedAt(error.message)).toBeLessThan(1 << 20);
  });

  it('settles when stopped in the middle of a long input (several pending 1 MiB writes)', async () => {
    // Incompressible, so the compressed input is several write chunks long.
    const big = gzipSync(withExtra(idxBytes([10, 2, 2], []), 4 << 20, randomBytes(4 << 20, 3)));
    expect(big.length).toBeGreaterThan(3 << 20);
    await expectDataError(() => decodeIdx(big, 'big.gz', 'images'), { file: 'big.gz', byteOffset: 56 }, /found more than 56 bytes/);
  });

  it('rejects a wrong magic inside the gzip after the first decompressed bytes', async () => {
    const junk = gzipSync(withExtra(Uint8Array.of(0x50, 0x4b, 3, 4), 32 << 20));
    await expectDataError(() => decodeIdx(junk, 'zip.gz', 'images'), { file: 'zip.gz', byteOffset: 0 }, /not an idx file/);
    // The image header wants 16 bytes: 3 arrive, then the magic says labels, not images.
    const labels = gzipSync(withExtra(Uint8Array.of(0, 0, 8, 1), 32 << 20));
    await expectDataError(() => decodeIdx(labels, 'labels.gz', 'images'), { file: 'labels.gz' }, /swap the images and labels files/);
  });

  it('still decodes gzip data of exactly the declared size, and reports a short one as truncated', async () => {
    const images = idxImages(5, 3, 4);
    const decoded = await decodeIdx(gzipSync(images), 'ok.gz', 'images');
    expect(decoded.dims).toEqual([5, 3, 4]);
    expect(Array.from(decoded.values)).toEqual(Array.from(images.subarray(16)));
    await expectDataError(() => decodeIdx(gzipSync(images.subarray(0, 30)), 'short.gz', 'images'), { file: 'short.gz', byteOffset: 30 }, /truncated/);
  });

  it('decodes a larger gzip (buffer grown to the declared size) byte for byte', async () => {
    const images = idxBytes([300, 28, 28], randomBytes(300 * 784, 5));
    const decoded = await decodeIdx(gzipSync(images), 'big-ok.gz', 'images');
    expect(decoded.dims).toEqual([300, 28, 28]);
    expect(Buffer.from(decoded.values).equals(Buffer.from(images.subarray(16)))).toBe(true);
  });

  it('the idx plugin reports a bomb as a DataFormatError', async () => {
    const source = createMemoryDataSource({ 'images.gz': gzipSync(idxImages(2)), 'labels.gz': bomb });
    await expectDataError(() => idx.load({ type: 'idx', images: 'images.gz', labels: 'labels.gz' }, source), { file: 'labels.gz' }, /more than 1008 bytes/);
  });

  it('gunzip without a limit is unchanged', async () => {
    const restored = await gunzip(bomb, 'bomb.gz');
    expect(restored.length).toBe(1008 + (32 << 20) - 1000);
  });
});

describe('checking the header first', () => {
  const noise = randomBytes(1 << 20, 11);
  noise[0] = 0x7f; // not 1f 8b, not 00 00

  it('rejects a large file with a bad magic after reading only its head', async () => {
    const counting = countingSource(createMemoryDataSource({ 'noise.bin': noise, 'labels.idx': idxLabels([1]) }));
    await expectDataError(
      () => idx.load({ type: 'idx', images: 'noise.bin', labels: 'labels.idx' }, counting.source),
      { file: 'noise.bin', byteOffset: 0 },
      /expected magic 0x00000803 \(idx3 unsigned-byte images\), found 0x7f.*not an idx file/,
    );
    expect(counting.bytesRead()).toBeLessThanOrEqual(2 * MAX_IDX_HEADER + 9);
  });

  it('checks heads through readIdxFile, and falls back to whole reads for sources without readFileHead', async () => {
    const counting = countingSource(createMemoryDataSource({ 'noise.bin': noise }));
    await expectDataError(() => readIdxFile(counting.source, 'noise.bin', 'labels'), { file: 'noise.bin', byteOffset: 0 }, /not an idx file/);
    expect(counting.wholeReads()).toBe(0);
    expect(counting.bytesRead()).toBe(MAX_IDX_HEADER);
    await expectDataError(() => readIdxFile(createMemoryDataSource({ 'noise.bin': noise }), 'noise.bin', 'labels'), { file: 'noise.bin', byteOffset: 0 }, /not an idx file/);
  });

  it('reads gzip and valid files in full after the head check', async () => {
    const counting = countingSource(createMemoryDataSource({ 'i.idx': idxImages(2), 'l.gz': gzipSync(idxLabels([3, 4])) }));
    const dataset = await idx.load({ type: 'idx', images: 'i.idx', labels: 'l.gz' }, counting.source);
    expect(Array.from(dataset.labels)).toEqual([3, 4]);
    expect(counting.wholeReads()).toBe(2);
  });
});

describe('node data source readFileHead', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('returns the first bytes, fewer for a short file, and a DataFormatError for a missing one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'datasets-head-'));
    dirs.push(dir);
    await writeFile(join(dir, 'a.bin'), Uint8Array.of(1, 2, 3, 4, 5, 6));
    const source = createNodeDataSource({ baseDir: dir, dataDir: null });
    expect(source.readFileHead).toBeDefined();
    expect(Array.from(await source.readFileHead!(join(dir, 'a.bin'), 4))).toEqual([1, 2, 3, 4]);
    expect(Array.from(await source.readFileHead!(join(dir, 'a.bin'), 100))).toEqual([1, 2, 3, 4, 5, 6]);
    await expectDataError(() => source.readFileHead!(join(dir, 'missing.bin'), 4), { file: join(dir, 'missing.bin') }, /found nothing \(not found: .*missing\.bin\)/);
    await expectDataError(() => source.readFileHead!(dir, 4), { file: dir }, /a folder/);
  });
});
