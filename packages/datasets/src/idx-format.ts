import type { DataSource, Dataset } from '@scratchnet/spec';
import { DataFormatError } from '@scratchnet/spec';
import { DIGIT_CLASSES, EMPTY_FILE, hex32, leadingHex, plural } from './describe.js';
import { type GunzipLimit, gunzip, isGzip } from './gzip.js';

/**
 * The idx format of LeCun's MNIST files: a 4-byte magic (two zero bytes, a type code, the number
 * of dimensions), one big-endian uint32 per dimension, then the values in row-major order.
 * Only unsigned-byte data (type 0x08) is supported, which is what every digit set uses.
 *
 *   images: magic 0x00000803, dims [count, rows, cols]
 *   labels: magic 0x00000801, dims [count]
 */

export type IdxRole = 'images' | 'labels';

/** A parsed idx file: its dimensions and a view of its values (no copy). */
export interface IdxData {
  readonly dims: readonly number[];
  /** product(dims) bytes, a view into the file's bytes. */
  readonly values: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;
const ROLE_DIMS: Readonly<Record<IdxRole, number>> = { images: 3, labels: 1 };
const ROLE_LAYOUT: Readonly<Record<IdxRole, string>> = { images: 'idx3 unsigned-byte images', labels: 'idx1 unsigned-byte labels' };

const readUint32 = (bytes: Uint8Array, offset: number): number =>
  ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;

/**
 * Checks and parses an uncompressed idx file. With `role`, the magic must be that of an images
 * (0x00000803) or labels (0x00000801) file. Throws DataFormatError for anything malformed: empty
 * or truncated data, wrong magic, a zero dimension, or a length that differs from the header's.
 */
export function parseIdx(bytes: Uint8Array, fileName: string, role?: IdxRole): IdxData {
  return parseIdxBytes(bytes, fileName, role, false);
}

/** `insideGzip`: the bytes came out of the file's gzip data, which changes what a gzip signature means. */
function parseIdxBytes(bytes: Uint8Array, fileName: string, role: IdxRole | undefined, insideGzip: boolean): IdxData {
  const header = checkHeader(bytes, fileName, role, insideGzip);
  if (bytes.length !== header.byteLength) throw lengthMismatch(fileName, bytes.length, header.headerSize, header.dims, role);
  return { dims: header.dims, values: bytes.subarray(header.headerSize) };
}

/** What an idx header declares. */
export interface IdxHeader {
  readonly dims: readonly number[];
  /** 4 + 4 * dims.length. */
  readonly headerSize: number;
  /** The exact length of the whole file: header + product(dims). */
  readonly byteLength: number;
}

/** Longest possible idx header: the magic and 255 dimensions. */
export const MAX_IDX_HEADER = 4 + 4 * 255;

/**
 * Checks the magic number and header at the start of an (uncompressed) idx file and returns what
 * it declares, without looking at the values: `bytes` may be just the first bytes of the file
 * (MAX_IDX_HEADER are always enough). Throws DataFormatError for an empty file, gzip data, a
 * wrong magic, a header cut short or a zero dimension.
 */
export function readIdxHeader(bytes: Uint8Array, fileName: string, role?: IdxRole): IdxHeader {
  return checkHeader(bytes, fileName, role, false);
}

function checkHeader(bytes: Uint8Array, fileName: string, role: IdxRole | undefined, insideGzip: boolean): IdxHeader {
  const what = role === undefined ? 'an idx file' : `an ${ROLE_LAYOUT[role]} file`;
  if (bytes.length === 0) {
    throw new DataFormatError({ file: fileName, byteOffset: 0 }, what, EMPTY_FILE, 'Download or export the file again.');
  }
  if (isGzip(bytes)) throw gzipSignature(bytes, fileName, role, insideGzip);
  if (bytes.length < 4) {
    throw new DataFormatError({ file: fileName, byteOffset: bytes.length }, `${what} with a 4-byte magic number`, plural(bytes.length, 'byte'), 'The file is truncated; download it again.');
  }
  checkMagic(bytes, fileName, role, insideGzip);

  const rank = bytes[3]!;
  const headerSize = 4 + 4 * rank;
  if (bytes.length < headerSize) {
    throw new DataFormatError(
      { file: fileName, byteOffset: bytes.length },
      `a ${headerSize}-byte header (magic + ${plural(rank, 'dimension')})`,
      `only ${plural(bytes.length, 'byte')}`,
      'The file is truncated; download it again.',
    );
  }
  const dims: number[] = [];
  let size = 1;
  for (let d = 0; d < rank; d++) {
    const dim = readUint32(bytes, 4 + 4 * d);
    if (dim === 0) {
      throw new DataFormatError({ file: fileName, byteOffset: 4 + 4 * d }, `dimension ${d} of the header to be at least 1`, '0', 'An idx file with no items cannot be used as a data set.');
    }
    dims.push(dim);
    size *= dim;
  }
  return { dims, headerSize, byteLength: headerSize + size };
}

/** The magic an idx file of `role` starts with, as messages quote it. */
function expectedMagic(role: IdxRole | undefined): string {
  return role === undefined ? 'an idx magic number 0x000008nn' : `magic ${hex32(0x800 + ROLE_DIMS[role])} (${ROLE_LAYOUT[role]})`;
}

/**
 * gzip data where idx bytes belong. Straight from a file, the caller skipped decompression; out
 * of the file's own gzip data, the file was compressed twice (a download saved as .gz.gz), which
 * the plugins cannot see from the name.
 */
function gzipSignature(bytes: Uint8Array, fileName: string, role: IdxRole | undefined, insideGzip: boolean): DataFormatError {
  return new DataFormatError(
    { file: fileName, byteOffset: 0 },
    insideGzip ? `${expectedMagic(role)} after decompressing the gzip data` : expectedMagic(role),
    `${leadingHex(bytes)} (the gzip signature 1f 8b)`,
    insideGzip
      ? 'The file looks gzip-compressed twice: decompress it once (gunzip it), and the plugin reads the remaining layer.'
      : 'The file looks gzip-compressed: decompress it first (decodeIdx and the idx/mnist plugins do that for you).',
  );
}

function checkMagic(bytes: Uint8Array, fileName: string, role: IdxRole | undefined, insideGzip: boolean): void {
  const magic = readUint32(bytes, 0);
  const location = { file: fileName, byteOffset: 0 };
  if (isGzip(bytes)) throw gzipSignature(bytes, fileName, role, insideGzip);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataFormatError(location, expectedMagic(role), hex32(magic), 'This is not an idx file: idx files start with two zero bytes.');
  }
  if (bytes[2] !== UNSIGNED_BYTE) {
    throw new DataFormatError(location, `data type 0x08 (unsigned byte) in the magic number`, `${hex32(magic)} (type 0x${bytes[2]!.toString(16).padStart(2, '0')})`, 'Only unsigned-byte idx files are supported, as used by MNIST.');
  }
  if (role === undefined) {
    if (bytes[3] === 0) throw new DataFormatError(location, 'at least one dimension in the magic number', hex32(magic));
    return;
  }
  if (bytes[3] !== ROLE_DIMS[role]) {
    const other: IdxRole = role === 'images' ? 'labels' : 'images';
    const hint =
      bytes[3] === ROLE_DIMS[other]
        ? `This is an ${ROLE_LAYOUT[other]} file: swap the images and labels files.`
        : `An ${role} file has ${plural(ROLE_DIMS[role], 'dimension')}.`;
    throw new DataFormatError(location, expectedMagic(role), hex32(magic), hint);
  }
}

function lengthMismatch(fileName: string, length: number, headerSize: number, dims: readonly number[], role: IdxRole | undefined): DataFormatError {
  const count = dims[0]!;
  const itemSize = dims.slice(1).reduce((a, b) => a * b, 1);
  const noun = role === 'labels' ? 'label' : role === 'images' ? 'image' : 'item';
  const itemText = dims.length > 1 ? `${plural(count, noun)} of ${dims.slice(1).join('x')}` : plural(count, noun);
  const expectedLength = headerSize + count * itemSize;
  const expected = `${expectedLength} bytes (${headerSize}-byte header + ${itemText})`;
  if (length < expectedLength) {
    const complete = Math.floor((length - headerSize) / itemSize);
    return new DataFormatError(
      { file: fileName, byteOffset: length },
      expected,
      `${length} bytes`,
      `The file is truncated after ${plural(complete, `complete ${noun}`)}; download it again.`,
    );
  }
  return new DataFormatError(
    { file: fileName, byteOffset: expectedLength },
    `${expected}, then the end of the file`,
    `${length - expectedLength} trailing bytes`,
    `The header declares ${itemText}; the file holds more data than that (wrong header or two files joined?).`,
  );
}

/** Names of the two files, for messages. */
export interface IdxFileNames {
  readonly images: string;
  readonly labels: string;
}

/**
 * Joins parsed images and labels into a Dataset: shape [n, 1, rows, cols], pixel values 0..255
 * as the bytes of the file (unscaled; a view of `images.values`, no copy), classes '0'..'9'.
 * Throws DataFormatError when the counts differ or a label is not a digit.
 */
export function idxToDataset(images: IdxData, labels: IdxData, files: IdxFileNames, source?: string): Dataset {
  const [count = 0, rows = 0, cols = 0] = images.dims;
  const labelCount = labels.dims[0] ?? 0;
  if (images.dims.length !== 3) {
    throw new DataFormatError({ file: files.images, byteOffset: 3 }, 'a 3-dimensional images file [count, rows, cols]', plural(images.dims.length, 'dimension'));
  }
  if (labels.dims.length !== 1) {
    throw new DataFormatError({ file: files.labels, byteOffset: 3 }, 'a 1-dimensional labels file [count]', plural(labels.dims.length, 'dimension'));
  }
  if (labelCount !== count) {
    throw new DataFormatError(
      { file: files.labels, byteOffset: 4 },
      `${plural(count, 'label')} (one per image in ${files.images})`,
      plural(labelCount, 'label'),
      `The labels file has ${labelCount} items, the images file has ${count}: use the labels file that belongs to these images.`,
    );
  }
  const classCount = DIGIT_CLASSES.length;
  const labelValues = labels.values;
  for (let i = 0; i < labelCount; i++) {
    if (labelValues[i]! >= classCount) {
      throw new DataFormatError(
        { file: files.labels, byteOffset: 8 + i },
        `label ${i} (counting from 0) to be a digit 0..${classCount - 1}`,
        String(labelValues[i]),
        'A label outside the digit classes: is this really a digit labels file?',
      );
    }
  }
  return {
    // The file's own bytes: a copy would cost as long as reading the file (47 MB for MNIST),
    // and float32 four times the memory. A plain Uint8Array even when they came in a Buffer
    // (whose slice() is a view, unlike every other typed array's).
    images: new Uint8Array(images.values.buffer, images.values.byteOffset, images.values.length),
    // A copy (a plain Uint8Array even when the bytes came in a Buffer), so the file can be freed.
    labels: new Uint8Array(labelValues),
    sampleShape: [1, rows, cols],
    count,
    classNames: DIGIT_CLASSES,
    source: source ?? `idx ${files.images} + ${files.labels}`,
  };
}

/**
 * Parses an idx file that may be gzip-compressed (recognised by its magic bytes). Decompression
 * is capped at the length the idx header declares: a gzip that inflates to more than that (a
 * damaged header, or a "decompression bomb") is rejected as soon as the excess comes out, and
 * a bad magic inside the gzip as soon as the first bytes do.
 */
export async function decodeIdx(bytes: Uint8Array, fileName: string, role?: IdxRole): Promise<IdxData> {
  if (!isGzip(bytes)) return parseIdxBytes(bytes, fileName, role, false);
  return parseIdxBytes(await gunzip(bytes, fileName, idxGunzipLimit(fileName, role)), fileName, role, true);
}

function idxGunzipLimit(fileName: string, role: IdxRole | undefined): GunzipLimit {
  let header: IdxHeader | undefined;
  return {
    maxBytes(head) {
      if (head.length < 4 || head.length < 4 + 4 * head[3]!) {
        // Too short for the header yet, but a wrong magic can be rejected already.
        if (head.length >= 4) checkMagic(head, fileName, role, true);
        return undefined;
      }
      header = checkHeader(head, fileName, role, true);
      return header.byteLength;
    },
    exceeded(maxBytes, produced) {
      const dims = header?.dims ?? [];
      return new DataFormatError(
        { file: fileName, byteOffset: maxBytes },
        `${maxBytes} bytes after decompression (${describeDims(dims, role)}, as the idx header declares), then the end of the data`,
        `more than ${maxBytes} bytes (decompression stopped at ${produced} bytes)`,
        'The gzip data inflates to more than its idx header declares: the header is wrong, the file is damaged, or it is not ' +
          'the data set you meant (possibly a decompression bomb). Download the file again, or check it with `gzip -l FILE`.',
      );
    },
  };
}

function describeDims(dims: readonly number[], role: IdxRole | undefined): string {
  const noun = role === 'labels' ? 'label' : role === 'images' ? 'image' : 'item';
  const count = dims[0] ?? 0;
  return dims.length > 1 ? `${plural(count, noun)} of ${dims.slice(1).join('x')}` : plural(count, noun);
}

/**
 * Reads an idx file (raw or gzip) through a data source. When the source can read the start of a
 * file (`readFileHead`), the magic number and header of a raw file are checked before the rest is
 * read, so a large file of the wrong kind is rejected after its first bytes.
 */
export async function readIdxFile(source: DataSource, path: string, role?: IdxRole): Promise<IdxData> {
  if (source.readFileHead !== undefined) {
    const head = await source.readFileHead(path, MAX_IDX_HEADER);
    if (!isGzip(head)) readIdxHeader(head, path, role);
  }
  return decodeIdx(await source.readFile(path), path, role);
}

/**
 * Images + labels bytes (raw or gzip) -> Dataset. The browser-friendly entry point. The
 * Dataset's images view `imageBytes` when they are not gzip-compressed (no copy).
 */
export async function decodeIdxDataset(imageBytes: Uint8Array, labelBytes: Uint8Array, files: IdxFileNames, source?: string): Promise<Dataset> {
  const [images, labels] = await Promise.all([decodeIdx(imageBytes, files.images, 'images'), decodeIdx(labelBytes, files.labels, 'labels')]);
  return idxToDataset(images, labels, files, source);
}
