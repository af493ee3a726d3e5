import { describe, expect, it } from 'vitest';
import { ProtobufWriter } from './protobuf-writer.js';
import { hex, toHex } from './test-bytes.js';

function written(write: (w: ProtobufWriter) => void): string {
  const writer = new ProtobufWriter();
  write(writer);
  return toHex(writer.finish());
}

describe('ProtobufWriter', () => {
  // Varints worked out by hand: 7 bits per byte, low bits first, the top bit set on every byte but
  // the last; negative int64 values as their 64-bit two's complement (10 bytes).
  it.each([
    [0, '08 00'],
    [1, '08 01'],
    [127, '08 7f'],
    [128, '08 80 01'],
    [300, '08 ac 02'],
    [2 ** 31, '08 80 80 80 80 08'],
    [2 ** 32, '08 80 80 80 80 10'],
    [Number.MAX_SAFE_INTEGER, '08 ff ff ff ff ff ff ff 0f'],
    [-1, '08 ff ff ff ff ff ff ff ff ff 01'],
    [-2, '08 fe ff ff ff ff ff ff ff ff 01'],
    [-(2 ** 32), '08 80 80 80 80 f0 ff ff ff ff 01'],
    [Number.MIN_SAFE_INTEGER, '08 81 80 80 80 80 80 80 f0 ff 01'],
  ])('int64 %d -> %s', (value, bytes) => {
    expect(written((w) => w.int64(1, value, 'v'))).toBe(bytes);
  });

  it('keys: (field << 3) | wire type as a varint, up to field 2^29 - 1', () => {
    expect(written((w) => w.int64(20, 1, 'type'))).toBe('a0 01 01');
    expect(written((w) => w.int64(2 ** 29 - 1, 0, 'v'))).toBe('f8 ff ff ff 0f 00');
    expect(written((w) => w.float(15, 1))).toBe('7d 00 00 80 3f');
  });

  it('floats are fixed32 little-endian, doubles fixed64', () => {
    expect(written((w) => w.float(2, -2))).toBe('15 00 00 00 c0');
    expect(written((w) => w.packedDouble(10, [1, -0]))).toBe('52 10 00 00 00 00 00 00 f0 3f 00 00 00 00 00 00 00 80');
  });

  it('strings are UTF-8 behind their byte length', () => {
    expect(written((w) => w.string(1, 'é'))).toBe('0a 02 c3 a9');
    expect(written((w) => w.string(1, ''))).toBe('0a 00');
  });

  it('packed fields write nothing when empty; unpacked ones write one key per value', () => {
    expect(written((w) => w.packedFloat(4, []))).toBe('');
    expect(written((w) => w.packedInt64(7, [], 'int64_data'))).toBe('');
    expect(written((w) => w.repeatedInt64(1, [1, 2, 3], 'dims'))).toBe('08 01 08 02 08 03');
    expect(written((w) => w.packedInt64(7, [1, 2, 3], 'int64_data'))).toBe('3a 03 01 02 03');
  });

  it('nested messages are their bytes behind their length, at any size', () => {
    const big = new Uint8Array(300).fill(7);
    const bytes = written((w) => w.message(7, 'graph', (g) => g.bytes(9, big)));
    // graph: key 3a, length 303 (af 02); raw: key 4a, length 300 (ac 02), the bytes.
    expect(bytes.startsWith('3a af 02 4a ac 02 07 07')).toBe(true);
    expect(bytes.split(' ')).toHaveLength(3 + 3 + 300);
  });

  it('grows its buffer past the initial size without losing bytes', () => {
    const values = Array.from({ length: 5000 }, (_, i) => i - 2500);
    const writer = new ProtobufWriter();
    writer.packedInt64(7, values, 'int64_data');
    const bytes = writer.finish();
    expect(toHex(bytes.subarray(0, 1))).toBe('3a');
    expect(bytes.length).toBeGreaterThan(5000 * 2);
  });

  it('refuses int64 values that are not safe integers, naming the path', () => {
    const writer = new ProtobufWriter('graph.initializer[0]');
    expect(() => writer.int64(1, 1.5, 'dims[1]')).toThrow(new RangeError('graph.initializer[0].dims[1]: expected an integer within +-(2^53 - 1) for an int64 field, found 1.5.'));
    expect(() => writer.int64(1, 2 ** 53, 'i')).toThrow(/graph\.initializer\[0\]\.i: expected an integer within/);
    expect(() => writer.repeatedInt64(1, [1, Number.NaN], 'dims')).toThrow(/dims\[1\]: .* found NaN/);
    expect(() => writer.packedInt64(7, [0, 0, Infinity], 'int64_data')).toThrow(/graph\.initializer\[0\]\.int64_data\[2\]: .* found Infinity/);
  });

  it('refuses int32 fields outside 32 bits', () => {
    const writer = new ProtobufWriter();
    expect(() => writer.int32(2, 2 ** 31, 'data_type')).toThrow(new RangeError('data_type: expected an int32 value, found 2147483648.'));
    expect(() => writer.packedInt32(5, [1, -(2 ** 31) - 1], 'int32_data')).toThrow(/int32_data\[1\]: expected an int32 value/);
    expect(written((w) => w.int32(2, -(2 ** 31), 'x'))).toBe(toHex(hex('10 80 80 80 80 f8 ff ff ff ff 01')));
  });
});
