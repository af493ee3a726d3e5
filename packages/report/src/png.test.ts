import { readFileSync } from 'node:fs';
import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodePng, zlibStored } from './png.js';

interface Chunk {
  readonly type: string;
  readonly data: Buffer;
}

/** A strict reader for what encodePng writes: signature, chunk CRCs, IHDR, inflated scanlines. */
function decodeGreyPng(png: Uint8Array): { width: number; height: number; pixels: Uint8Array; chunks: string[] } {
  const file = Buffer.from(png);
  expect([...file.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  const chunks: Chunk[] = [];
  for (let at = 8; at < file.length; ) {
    const length = file.readUInt32BE(at);
    const type = file.toString('latin1', at + 4, at + 8);
    const data = file.subarray(at + 8, at + 8 + length);
    expect(file.readUInt32BE(at + 8 + length), `CRC of ${type}`).toBe(crc32(file.subarray(at + 4, at + 8 + length)));
    chunks.push({ type, data });
    at += 12 + length;
  }
  const header = chunks[0]!;
  expect(header.type).toBe('IHDR');
  const width = header.data.readUInt32BE(0);
  const height = header.data.readUInt32BE(4);
  expect([...header.data.subarray(8)]).toEqual([8, 0, 0, 0, 0]);
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  expect(raw.length).toBe(height * (width + 1));
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width + 1)], `filter byte of row ${y}`).toBe(0);
    pixels.set(raw.subarray(y * (width + 1) + 1, (y + 1) * (width + 1)), y * width);
  }
  return { width, height, pixels, chunks: chunks.map((c) => c.type) };
}

describe('encodePng', () => {
  it('writes a grey PNG that zlib inflates back to the same pixels', () => {
    const pixels = Uint8Array.from({ length: 28 * 28 }, (_, i) => (i * 7) % 256);
    const decoded = decodeGreyPng(encodePng(28, 28, pixels));
    expect(decoded).toEqual({ width: 28, height: 28, pixels, chunks: ['IHDR', 'IDAT', 'IEND'] });
  });

  it('handles a non-square image and a single pixel', () => {
    const pixels = Uint8Array.from({ length: 5 * 3 }, (_, i) => i * 17);
    expect(decodeGreyPng(encodePng(5, 3, pixels)).pixels).toEqual(pixels);
    expect(decodeGreyPng(encodePng(1, 1, [200])).pixels).toEqual(Uint8Array.of(200));
  });

  it('splits data over 65535 bytes into several stored blocks', () => {
    const width = 300;
    const height = 300;
    const pixels = Uint8Array.from({ length: width * height }, (_, i) => (i * 31 + (i >> 8)) % 256);
    // Compared as buffers: a deep toEqual over 90,000 elements takes seconds.
    expect(Buffer.from(decodeGreyPng(encodePng(width, height, pixels)).pixels).equals(Buffer.from(pixels))).toBe(true);
    const stream = zlibStored(new Uint8Array(65535 * 2 + 1));
    // Header, three 5-byte block headers, the data and the Adler-32.
    expect(stream.length).toBe(2 + 3 * 5 + 65535 * 2 + 1 + 4);
    expect([stream[2], stream[2 + 5 + 65535], stream[2 + 2 * (5 + 65535)]]).toEqual([0, 0, 1]);
  });

  it('clamps and rounds pixel values to bytes', () => {
    expect([...decodeGreyPng(encodePng(4, 1, [-3, 12.6, 300, Number.NaN])).pixels]).toEqual([0, 13, 255, 0]);
  });

  it('refuses sizes that do not match the pixels', () => {
    expect(() => encodePng(0, 5, [])).toThrow(/width and height/);
    expect(() => encodePng(2.5, 2, [1, 2, 3, 4, 5])).toThrow(/width and height/);
    expect(() => encodePng(3, 3, [1, 2, 3])).toThrow('a 3x3 image needs 9 pixels, got 3');
  });

  it('imports nothing from Node, so it runs in browsers', () => {
    for (const file of ['png.ts', 'checksums.ts', 'base64.ts', 'grey-image.ts']) {
      const source = readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
      expect(source, file).not.toMatch(/from ['"](node:|zlib|fs|buffer)/);
      expect(source, file).not.toMatch(/\bBuffer\.|\brequire\(/);
    }
  });
});
