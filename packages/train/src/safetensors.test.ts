import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ModelFormatError } from '@scratchnet/spec';
import { decodeSafetensors, encodeSafetensors } from './index.js';
import { withoutDigest } from './test-fixtures.js';

/** Builds a file by hand: header object -> padded JSON, then the given data bytes. */
function handMade(header: unknown, data: number[] = [], headerLengthOverride?: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const bytes = new Uint8Array(8 + json.length + data.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(headerLengthOverride ?? json.length), true);
  bytes.set(json, 8);
  bytes.set(data, 8 + json.length);
  return bytes;
}

const one = [0x00, 0x00, 0x80, 0x3f]; // 1.0 as little-endian F32

function failure(bytes: Uint8Array): string {
  try {
    decodeSafetensors(bytes, 'w.safetensors');
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFormatError);
    return (error as Error).message;
  }
  throw new Error('expected decodeSafetensors to throw');
}

describe('encodeSafetensors', () => {
  it('writes the safetensors layout: u64 LE header length, space-padded JSON, LE data', () => {
    const bytes = encodeSafetensors(
      { a: { shape: [2], data: new Float32Array([1, -2]) }, b: { shape: [1, 1], data: new Float64Array([0.1]) } },
      { note: 'x' },
    );
    const view = new DataView(bytes.buffer);
    const headerLength = Number(view.getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const headerText = new TextDecoder().decode(bytes.subarray(8, 8 + headerLength));
    expect(headerText.startsWith('{')).toBe(true);
    expect(headerText.trimEnd().length).toBeGreaterThan(headerLength - 8);
    expect(JSON.parse(headerText)).toEqual({
      __metadata__: { note: 'x', 'scratchnet.sha256': createHash('sha256').update(bytes.subarray(8 + headerLength)).digest('hex') },
      a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
      b: { dtype: 'F64', shape: [1, 1], data_offsets: [8, 16] },
    });
    const data = 8 + headerLength;
    expect([...bytes.subarray(data, data + 4)]).toEqual(one);
    expect(view.getFloat32(data + 4, true)).toBe(-2);
    expect(view.getFloat64(data + 8, true)).toBe(0.1);
    expect(bytes.length).toBe(data + 16);
  });

  it('round-trips names, shapes, dtypes, values and metadata', () => {
    const a = new Float32Array([1.5, -0, 3e-39, Math.fround(Math.PI)]);
    const decoded = decodeSafetensors(encodeSafetensors({ 'layers.0.weight': { shape: [2, 2], data: a } }, { k: 'v' }));
    const tensor = decoded.tensors.get('layers.0.weight')!;
    expect(tensor.dtype).toBe('F32');
    expect(tensor.shape).toEqual([2, 2]);
    expect(tensor.data).toEqual(a);
    expect(Object.is(tensor.data[1], -0)).toBe(true);
    expect(decoded.metadata).toEqual({ k: 'v', 'scratchnet.sha256': expect.stringMatching(/^[0-9a-f]{64}$/) });
  });
});

describe('the SHA-256 digest of the tensor data', () => {
  const bytes = encodeSafetensors({ a: { shape: [3], data: new Float32Array([1, 2, 3]) } }, { 'scratchnet.sha256': 'replaced' });
  const dataStart = 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true));

  it('is written into __metadata__ as "scratchnet.sha256" (a string, as safetensors requires)', () => {
    const digest = createHash('sha256').update(bytes.subarray(dataStart)).digest('hex');
    expect(decodeSafetensors(bytes).metadata['scratchnet.sha256']).toBe(digest);
  });

  it('detects a flipped byte in the data, naming the file and both digests', () => {
    const expected = decodeSafetensors(bytes).metadata['scratchnet.sha256']!;
    const damaged = bytes.slice();
    damaged[dataStart + 5]! ^= 0x01; // 2.0 -> 2.0000002: still a fine number, only the digest tells
    const actual = createHash('sha256').update(damaged.subarray(dataStart)).digest('hex');
    const message = failure(damaged);
    expect(message).toContain('w.safetensors: the tensor data does not match its SHA-256 digest');
    expect(message).toContain(`expected ${expected}`);
    expect(message).toContain(`found ${actual}`);
  });

  it('is not needed: a file without one (older, or from another tool) loads unchecked', () => {
    const old = withoutDigest(bytes);
    expect(JSON.stringify(decodeSafetensors(old).metadata)).toBe('{}');
    old[old.length - 1]! ^= 0x01;
    expect(decodeSafetensors(old).tensors.get('a')!.data[2]).not.toBe(3);
  });
});

describe('decodeSafetensors rejects damaged files', () => {
  it('too short for the length field', () => {
    expect(failure(new Uint8Array(5))).toBe(
      'w.safetensors: expected at least 8 bytes (the header length), found 5. The file is truncated or not safetensors.',
    );
  });

  it('a header length beyond the end of the file', () => {
    expect(failure(handMade({}, [], 1000))).toBe(
      'w.safetensors: the header length field says 1000 bytes, but only 2 bytes follow it. ' +
        'The file is truncated or not safetensors.',
    );
  });

  it('a header that is not JSON', () => {
    const bytes = handMade({ a: 1 });
    bytes[8] = 0x21; // '!'
    expect(failure(bytes)).toMatch(/^w\.safetensors: the header is not valid UTF-8 JSON \(.*\)\. The file is damaged or not safetensors\.$/);
  });

  it('an unsupported dtype', () => {
    expect(failure(handMade({ t: { dtype: 'BF16', shape: [1], data_offsets: [0, 2] } }, [0, 0]))).toBe(
      'w.safetensors: tensor t: expected dtype F32 or F64, found "BF16"',
    );
  });

  it('offsets that do not match the shape', () => {
    expect(failure(handMade({ t: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, one))).toBe(
      'w.safetensors: tensor t: shape [2] of F32 needs 8 bytes, data_offsets cover 4',
    );
  });

  it('truncated data', () => {
    const bytes = encodeSafetensors({ t: { shape: [3], data: new Float32Array([1, 2, 3]) } });
    expect(failure(bytes.subarray(0, bytes.length - 4))).toBe(
      'w.safetensors: tensor t: expected data up to byte 12 of the data section, found only 8 bytes. The file is truncated.',
    );
  });

  it('gaps between tensors and trailing bytes', () => {
    const gap = { a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } };
    expect(failure(handMade(gap, [...one, ...one]))).toBe(
      'w.safetensors: tensor a: expected data to start at byte 0, found 4 (tensors overlap or leave a gap)',
    );
    const trailing = { a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } };
    expect(failure(handMade(trailing, [...one, 1, 2]))).toBe(
      'w.safetensors: expected 4 data bytes after the header, found 6. The file is damaged.',
    );
  });

  it('non-string metadata', () => {
    expect(failure(handMade({ __metadata__: { n: 1 } }))).toBe('w.safetensors: __metadata__.n: expected a string, found 1');
  });
});
