import { adler32, crc32 } from './checksums.js';

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
/** The most bytes one stored (uncompressed) deflate block holds: its length field is 16 bits. */
const MAX_STORED_BLOCK = 65535;

/**
 * Encodes 8-bit grey pixels (row-major, 0 = black, 255 = white) as a PNG file.
 *
 * The deflate stream uses stored blocks only: the images in a report are a few hundred bytes
 * each, so compressing them would save little and need a real deflate implementation; stored
 * blocks keep this short, exact and free of Node modules, so it runs in browsers as well.
 */
export function encodePng(width: number, height: number, grey: ArrayLike<number>): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 2 ** 31 - 1 || height > 2 ** 31 - 1) {
    throw new RangeError(`encodePng: width and height must be whole numbers from 1 to 2^31-1, got ${width}x${height}.`);
  }
  if (grey.length !== width * height) {
    throw new RangeError(`encodePng: a ${width}x${height} image needs ${width * height} pixels, got ${grey.length}.`);
  }
  // Each scanline starts with its filter type; 0 (None) leaves the bytes as they are.
  const raw = new Uint8Array(height * (width + 1));
  for (let y = 0; y < height; y++) {
    const row = y * (width + 1);
    for (let x = 0; x < width; x++) raw[row + 1 + x] = clampByte(grey[y * width + x]!);
  }

  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = 0; // colour type: greyscale
  // compression, filter method and interlace stay 0: deflate, adaptive filtering, no interlace

  return concat([
    Uint8Array.from(SIGNATURE),
    chunk('IHDR', header),
    chunk('IDAT', zlibStored(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** A zlib stream (RFC 1950) of stored deflate blocks (RFC 1951, BTYPE 00). */
export function zlibStored(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / MAX_STORED_BLOCK));
  const out = new Uint8Array(2 + blocks * 5 + data.length + 4);
  // CMF 0x78: deflate with a 32 KiB window; FLG 0x01 makes CMF*256+FLG a multiple of 31.
  out[0] = 0x78;
  out[1] = 0x01;
  let at = 2;
  for (let block = 0; block < blocks; block++) {
    const start = block * MAX_STORED_BLOCK;
    const length = Math.min(MAX_STORED_BLOCK, data.length - start);
    out[at] = block === blocks - 1 ? 1 : 0; // BFINAL on the last block; BTYPE 00 = stored
    out[at + 1] = length & 0xff;
    out[at + 2] = length >>> 8;
    out[at + 3] = ~length & 0xff;
    out[at + 4] = (~length >>> 8) & 0xff;
    out.set(data.subarray(start, start + length), at + 5);
    at += 5 + length;
  }
  new DataView(out.buffer).setUint32(at, adler32(data));
  return out;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  // The CRC covers the chunk type and data, not the length.
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function clampByte(value: number): number {
  if (!(value > 0)) return 0; // NaN too
  return value >= 255 ? 255 : Math.round(value);
}
