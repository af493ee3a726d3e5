import { crc32 as nodeCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { adler32, crc32 } from './checksums.js';
import { seeded } from './test-synthetic.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function randomBytes(length: number, seed: number): Uint8Array {
  const random = seeded(seed);
  return Uint8Array.from({ length }, () => Math.floor(random() * 256));
}

describe('crc32', () => {
  it('matches the published check values', () => {
    expect(crc32(bytes('123456789'))).toBe(0xcbf43926);
    expect(crc32(bytes('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('agrees with node:zlib on random data, and continues a running checksum', () => {
    const data = randomBytes(10_000, 1);
    expect(crc32(data)).toBe(nodeCrc32(data));
    expect(crc32(data.subarray(4000), crc32(data.subarray(0, 4000)))).toBe(nodeCrc32(data));
  });
});

describe('adler32', () => {
  it('matches the published check values', () => {
    expect(adler32(bytes('Wikipedia'))).toBe(0x11e60398);
    expect(adler32(new Uint8Array(0))).toBe(1);
  });

  it('stays exact past the chunk where the running sums would overflow', () => {
    // All 0xff is the worst case for overflow; compare with a per-byte modulo reference.
    const data = new Uint8Array(100_000).fill(255);
    let a = 1;
    let b = 0;
    for (const byte of data) {
      a = (a + byte) % 65521;
      b = (b + a) % 65521;
    }
    expect(adler32(data)).toBe(((b << 16) | a) >>> 0);
  });
});
