import { gzipSync } from 'node:zlib';
import { createRng } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { gunzip, isGzip, maybeGunzip } from './gzip.js';
import { expectDataError } from './test-fixtures.js';

function randomBytes(count: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  const words = new Uint32Array(Math.ceil(count / 4));
  for (let i = 0; i < words.length; i++) words[i] = rng.int(2 ** 32);
  return new Uint8Array(words.buffer, 0, count);
}

describe('gzip', () => {
  it('recognises gzip by its magic bytes only', () => {
    expect(isGzip(Uint8Array.of(0x1f, 0x8b, 8))).toBe(true);
    expect(isGzip(Uint8Array.of(0x1f))).toBe(false);
    expect(isGzip(Uint8Array.of(0, 0, 8, 3))).toBe(false);
  });

  it('round-trips data compressed by zlib, including inputs longer than one write chunk (1 MiB)', async () => {
    for (const size of [0, 1, 1000, 1_500_000]) {
      const original = randomBytes(size, size + 1);
      const restored = await gunzip(gzipSync(original), 'x.gz');
      expect(restored.length).toBe(size);
      expect(Buffer.from(restored).equals(Buffer.from(original))).toBe(true);
    }
  });

  it('leaves data without the magic untouched', async () => {
    const raw = Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 0);
    expect(await maybeGunzip(raw, 'raw')).toBe(raw);
  });

  it('reports a truncated gzip stream as a DataFormatError naming the file', async () => {
    const compressed = gzipSync(randomBytes(5000, 3));
    const error = await expectDataError(() => gunzip(compressed.subarray(0, compressed.length - 20), 'train.gz'), { file: 'train.gz' }, /expected a complete gzip stream, found (a gzip stream that ends early|gzip data that does not decompress)/);
    expect(error.hint).toMatch(/gzip signature \(1f 8b\).*download it again/i);
  });

  it('reports corrupt gzip data (checksum, flipped bytes, junk after the stream)', async () => {
    const compressed = gzipSync(randomBytes(5000, 4));
    const flipped = Uint8Array.from(compressed);
    flipped[compressed.length - 6]! ^= 0xff; // inside the CRC32
    await expectDataError(() => gunzip(flipped, 'a.gz'), { file: 'a.gz' }, /expected a complete gzip stream, found gzip data that does not decompress/);
    const junk = new Uint8Array([...compressed, 1, 2, 3]);
    await expectDataError(() => gunzip(junk, 'b.gz'), { file: 'b.gz' }, /gzip data that does not decompress/);
  });

  it('does not trust an absurd size in the gzip footer', async () => {
    const compressed = Uint8Array.from(gzipSync(randomBytes(100, 5)));
    compressed.set([0xff, 0xff, 0xff, 0x7f], compressed.length - 4);
    await expectDataError(() => gunzip(compressed, 'c.gz'), { file: 'c.gz' });
  });
});
