import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeIdx, decodeIdxDataset, idxToDataset, parseIdx } from './idx-format.js';
import { expectDataError, idxBytes, idxImages, idxLabels } from './test-fixtures.js';

const files = { images: 'img.idx', labels: 'lab.idx' };

describe('parseIdx', () => {
  it('reads the dimensions and a view of the values', () => {
    const bytes = idxImages(3, 2, 3);
    const parsed = parseIdx(bytes, 'img.idx', 'images');
    expect(parsed.dims).toEqual([3, 2, 3]);
    expect(Array.from(parsed.values.subarray(6, 12))).toEqual([7, 8, 9, 10, 11, 12]);
    expect(parsed.values.buffer).toBe(bytes.buffer);
  });

  it('reads any unsigned-byte idx file without a role', () => {
    expect(parseIdx(idxBytes([2, 2], [1, 2, 3, 4]), 'm.idx').dims).toEqual([2, 2]);
  });

  it('rejects an empty file', async () => {
    await expectDataError(() => parseIdx(new Uint8Array(0), 'img.idx', 'images'), { file: 'img.idx', byteOffset: 0 }, /expected an idx3 unsigned-byte images file, found 0 bytes \(the file is empty\)/);
  });

  it('says when the bytes look gzip-compressed, quoting the magic it expected and the bytes it found', async () => {
    const error = await expectDataError(
      () => parseIdx(gzipSync(idxImages(1)), 'img.gz', 'images'),
      { file: 'img.gz', byteOffset: 0 },
      /^img\.gz \(byte 0\): expected magic 0x00000803 \(idx3 unsigned-byte images\), found 0x1f8b08[0-9a-f]{2} \(the gzip signature 1f 8b\)\. The file looks gzip-compressed: decompress it first/,
    );
    expect(error.hint).toMatch(/^The file looks gzip-compressed/);
    await expectDataError(() => parseIdx(gzipSync(idxLabels([1])), 'lab.gz', 'labels'), { file: 'lab.gz' }, /expected magic 0x00000801 \(idx1 unsigned-byte labels\)/);
  });

  it('says when a file was gzip-compressed twice (the plugins undo only one layer)', async () => {
    const error = await expectDataError(
      () => decodeIdx(gzipSync(gzipSync(idxImages(2))), 'img.gz.gz', 'images'),
      { file: 'img.gz.gz', byteOffset: 0 },
      /expected magic 0x00000803 \(idx3 unsigned-byte images\) after decompressing the gzip data, found 0x1f8b08[0-9a-f]{2}/,
    );
    expect(error.hint).toMatch(/looks gzip-compressed twice/);
  });

  it('rejects a file shorter than the magic number', async () => {
    await expectDataError(() => parseIdx(Uint8Array.of(0, 0), 'lab.idx', 'labels'), { byteOffset: 2 }, /4-byte magic number, found 2 bytes/);
  });

  it('rejects a file that is not idx at all', async () => {
    const error = await expectDataError(() => parseIdx(new TextEncoder().encode('hello world!'), 'x.txt', 'images'), { file: 'x.txt', byteOffset: 0 }, /expected magic 0x00000803 \(idx3 unsigned-byte images\), found 0x68656c6c/);
    expect(error.hint).toMatch(/not an idx file/);
  });

  it('rejects idx data types other than unsigned byte', async () => {
    await expectDataError(() => parseIdx(idxBytes([1], [0, 0, 0, 0], 0x0d01), 'f.idx'), { byteOffset: 0 }, /data type 0x08 \(unsigned byte\).*found 0x00000d01 \(type 0x0d\)/);
  });

  it('names a swapped images/labels pair', async () => {
    const error = await expectDataError(() => parseIdx(idxLabels([1, 2]), 'lab.idx', 'images'), { file: 'lab.idx', byteOffset: 0 }, /expected magic 0x00000803 .* found 0x00000801/);
    expect(error.hint).toMatch(/labels file: swap the images and labels files/);
    const reverse = await expectDataError(() => parseIdx(idxImages(1), 'img.idx', 'labels'), { byteOffset: 0 }, /expected magic 0x00000801/);
    expect(reverse.hint).toBe("This is an idx3 unsigned-byte images file: swap the images and labels files.");
  });

  it('rejects a truncated header', async () => {
    await expectDataError(() => parseIdx(idxImages(2).subarray(0, 10), 'img.idx', 'images'), { byteOffset: 10 }, /expected a 16-byte header \(magic \+ 3 dimensions\), found only 10 bytes/);
  });

  it('rejects a zero dimension', async () => {
    await expectDataError(() => parseIdx(idxBytes([4, 0, 3], []), 'img.idx', 'images'), { byteOffset: 8 }, /dimension 1 of the header to be at least 1, found 0/);
  });

  it('rejects an images file cut by exactly 1 byte: file, expected 16 + n*rows*cols bytes, actual bytes', async () => {
    const bytes = idxImages(5, 4, 3);
    const expected = 16 + 5 * 4 * 3;
    expect(bytes.length).toBe(expected);
    const error = await expectDataError(
      () => parseIdx(bytes.subarray(0, expected - 1), 'train-images.idx', 'images'),
      { file: 'train-images.idx', byteOffset: expected - 1 },
      /^train-images\.idx \(byte 75\): expected 76 bytes \(16-byte header \+ 5 images of 4x3\), found 75 bytes\./,
    );
    expect(error.hint).toMatch(/truncated after 4 complete images/);
  });

  it('rejects an images file cut by exactly 1 record (rows*cols bytes)', async () => {
    const bytes = idxImages(5, 4, 3);
    await expectDataError(
      () => parseIdx(bytes.subarray(0, bytes.length - 4 * 3), 'train-images.idx', 'images'),
      { file: 'train-images.idx', byteOffset: 64 },
      /^train-images\.idx \(byte 64\): expected 76 bytes \(16-byte header \+ 5 images of 4x3\), found 64 bytes\. The file is truncated after 4 complete images/,
    );
    // The same through the gzip path: the decompressed bytes are checked the same way.
    await expectDataError(() => decodeIdx(gzipSync(bytes.subarray(0, bytes.length - 12)), 'train-images.gz', 'images'), { file: 'train-images.gz' }, /expected 76 bytes .* found 64 bytes/);
  });

  it('rejects a labels file cut by exactly 1 record', async () => {
    const bytes = idxLabels([1, 2, 3]);
    await expectDataError(() => parseIdx(bytes.subarray(0, bytes.length - 1), 'lab.idx', 'labels'), { file: 'lab.idx', byteOffset: 10 }, /expected 11 bytes \(8-byte header \+ 3 labels\), found 10 bytes/);
  });

  it('rejects a truncated body and says how many images are complete', async () => {
    const bytes = idxImages(3, 2, 3);
    const error = await expectDataError(() => parseIdx(bytes.subarray(0, bytes.length - 4), 'img.idx', 'images'), { byteOffset: 30 }, /expected 34 bytes \(16-byte header \+ 3 images of 2x3\), found 30 bytes/);
    expect(error.hint).toMatch(/truncated after 2 complete images/);
  });

  it('rejects trailing bytes', async () => {
    const bytes = new Uint8Array([...idxLabels([1, 2, 3]), 9, 9]);
    const error = await expectDataError(() => parseIdx(bytes, 'lab.idx', 'labels'), { byteOffset: 11 }, /11 bytes \(8-byte header \+ 3 labels\), then the end of the file, found 2 trailing bytes/);
    expect(error.hint).toMatch(/declares 3 labels/);
  });
});

describe('idxToDataset', () => {
  it('builds [n, 1, rows, cols] byte pixels 0..255 (a view of the file, no copy) and digit labels', () => {
    const file = Buffer.from(idxImages(2, 2, 3));
    const dataset = idxToDataset(parseIdx(file, files.images, 'images'), parseIdx(idxLabels([9, 0]), files.labels, 'labels'), files);
    expect(dataset.sampleShape).toEqual([1, 2, 3]);
    expect(dataset.count).toBe(2);
    // A plain Uint8Array over the file's memory, even when the file came in a Buffer.
    expect(dataset.images.constructor).toBe(Uint8Array);
    expect(dataset.images.buffer).toBe(file.buffer);
    expect(dataset.images.byteOffset).toBe(file.byteOffset + 16);
    expect(Array.from(dataset.images)).toEqual([0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12]);
    expect(Array.from(dataset.labels)).toEqual([9, 0]);
    expect(dataset.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(dataset.source).toBe('idx img.idx + lab.idx');
  });

  it('rejects differing counts, naming both', async () => {
    const images = parseIdx(idxImages(3), files.images, 'images');
    const labels = parseIdx(idxLabels([1, 2]), files.labels, 'labels');
    const error = await expectDataError(() => idxToDataset(images, labels, files), { file: 'lab.idx', byteOffset: 4 }, /expected 3 labels \(one per image in img.idx\), found 2 labels/);
    expect(error.hint).toBe('The labels file has 2 items, the images file has 3: use the labels file that belongs to these images.');
  });

  it('rejects a label outside the digit classes at its byte offset', async () => {
    const images = parseIdx(idxImages(3), files.images, 'images');
    const labels = parseIdx(idxLabels([1, 10, 2]), files.labels, 'labels');
    const error = await expectDataError(
      () => idxToDataset(images, labels, files),
      { file: 'lab.idx', byteOffset: 9 },
      /^lab\.idx \(byte 9\): expected label 1 \(counting from 0\) to be a digit 0\.\.9, found 10\./,
    );
    expect(error.hint).toMatch(/digit labels file/);
  });
});

describe('decodeIdxDataset', () => {
  it('accepts raw and gzip files in any combination', async () => {
    const images = idxImages(4, 3, 3);
    const labels = idxLabels([3, 1, 4, 1]);
    const raw = await decodeIdxDataset(images, labels, files);
    const gz = await decodeIdxDataset(gzipSync(images), labels, files);
    const both = await decodeIdxDataset(gzipSync(images), gzipSync(labels), files);
    for (const dataset of [gz, both]) {
      expect(dataset.images).toEqual(raw.images);
      expect(dataset.labels).toEqual(raw.labels);
    }
  });

  it('reports problems inside gzip files under the file name', async () => {
    await expectDataError(() => decodeIdxDataset(gzipSync(idxImages(2)), gzipSync(idxLabels([1])), files), { file: 'lab.idx' }, /expected 2 labels/);
  });
});
