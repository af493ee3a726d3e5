import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRng } from '@scratchnet/tensor';
import { sha256Hex } from './sha256.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('sha256Hex', () => {
  it('gives the FIPS 180-4 test vectors', () => {
    expect(sha256Hex(text(''))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex(text('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(text('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('matches node:crypto for every length around the block and padding boundaries, and for a subarray view', () => {
    const rng = createRng(5);
    const bytes = Uint8Array.from({ length: 300 }, () => rng.int(256));
    for (let length = 0; length <= 200; length++) {
      const slice = bytes.subarray(0, length);
      expect(sha256Hex(slice), `length ${length}`).toBe(createHash('sha256').update(slice).digest('hex'));
    }
    const view = bytes.subarray(37, 251);
    expect(sha256Hex(view)).toBe(createHash('sha256').update(view).digest('hex'));
  });

  it('matches node:crypto on a megabyte', () => {
    const bytes = new Uint8Array(1 << 20).map((_, i) => (i * 2654435761) >>> 24);
    expect(sha256Hex(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
  });
});
