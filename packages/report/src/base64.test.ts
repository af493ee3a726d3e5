import { describe, expect, it } from 'vitest';
import { base64 } from './base64.js';
import { seeded } from './test-synthetic.js';

describe('base64', () => {
  it('matches Node for every padding case and for random bytes', () => {
    const random = seeded(3);
    for (let length = 0; length < 40; length++) {
      const data = Uint8Array.from({ length }, () => Math.floor(random() * 256));
      expect(base64(data)).toBe(Buffer.from(data).toString('base64'));
    }
  });

  it('encodes the RFC 4648 test vectors', () => {
    const encode = (text: string): string => base64(new TextEncoder().encode(text));
    expect([encode(''), encode('f'), encode('fo'), encode('foo'), encode('foob'), encode('fooba'), encode('foobar')]).toEqual([
      '',
      'Zg==',
      'Zm8=',
      'Zm9v',
      'Zm9vYg==',
      'Zm9vYmE=',
      'Zm9vYmFy',
    ]);
  });
});
