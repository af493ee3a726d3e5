import { ModelFormatError } from '@scratchnet/spec';
import { describe, expect, it } from 'vitest';
import { OnnxFormatError } from './onnx-format-error.js';
import { ProtobufReader } from './protobuf-reader.js';
import { hex } from './test-bytes.js';

const LIMITS = { maxDepth: 4, maxElements: 8 };

function reader(bytes: string, limits = LIMITS): ProtobufReader {
  return new ProtobufReader(hex(bytes), 'test.onnx', limits);
}

/** Reads the first field of `bytes` with `read` and returns the error it throws. */
function errorOf(bytes: string, read: (r: ProtobufReader) => unknown, limits = LIMITS): OnnxFormatError {
  const r = reader(bytes, limits);
  try {
    r.next();
    read(r);
  } catch (error) {
    expect(error).toBeInstanceOf(OnnxFormatError);
    return error as OnnxFormatError;
  }
  throw new Error(`no error reading ${bytes}`);
}

describe('ProtobufReader: varints', () => {
  it.each([
    ['08 00', 0],
    ['08 ac 02', 300],
    ['08 80 80 80 80 10', 2 ** 32],
    ['08 ff ff ff ff ff ff ff 0f', Number.MAX_SAFE_INTEGER],
    ['08 ff ff ff ff ff ff ff ff ff 01', -1],
    ['08 81 80 80 80 80 80 80 f0 ff 01', Number.MIN_SAFE_INTEGER],
    // Redundant continuation bytes are valid protobuf (a non-minimal encoding of 1).
    ['08 81 80 80 00', 1],
  ])('%s reads as %d', (bytes, value) => {
    const r = reader(bytes);
    expect(r.next()).toBe(true);
    expect([r.field, r.wireType]).toEqual([1, 0]);
    expect(r.int64('v')).toBe(value);
    expect(r.next()).toBe(false);
  });

  it('refuses int64 values beyond the safe-integer range instead of rounding them', () => {
    const error = errorOf('08 80 80 80 80 80 80 80 10', (r) => r.int64('ir_version'));
    expect(error.message).toBe('test.onnx: byte 1 (ir_version): expected an integer within +-(2^53 - 1), found 9007199254740992.');
    expect(errorOf('08 80 80 80 80 80 80 80 80 80 01', (r) => r.int64('i')).found).toBe('-9223372036854775808');
  });

  it('refuses a varint longer than 10 bytes, and a 10th byte carrying more than bit 63', () => {
    const long = errorOf('08 ff ff ff ff ff ff ff ff ff ff 01', (r) => r.int64('v'));
    expect([long.byteOffset, long.expected, long.found]).toEqual([1, 'a varint of at most 10 bytes', 'a longer one']);
    expect(errorOf('08 ff ff ff ff ff ff ff ff ff 02', (r) => r.int64('v')).expected).toBe('a varint of at most 64 bits');
  });

  it('refuses a varint cut off by the end of the input', () => {
    const error = errorOf('08 80 80', (r) => r.int64('model_version'));
    expect(error.message).toBe('test.onnx: byte 1 (model_version): expected a varint, found the end of the file after 2 byte(s) of it.');
  });

  it('refuses int32 fields outside 32 bits', () => {
    expect(errorOf('10 80 80 80 80 08', (r) => r.int32('data_type')).message).toMatch(/\(data_type\): expected an int32 value, found 2147483648/);
    const r = reader('10 80 80 80 80 f8 ff ff ff ff 01');
    r.next();
    expect(r.int32('data_type')).toBe(-(2 ** 31));
  });
});

describe('ProtobufReader: keys and wire types', () => {
  it('refuses field number 0 and keys above 32 bits', () => {
    expect(errorOf('00 01', () => undefined).message).toBe(
      'test.onnx: byte 0 ((model)): expected a field key with a field number from 1 to 2^29 - 1, found field number 0 (key 0).',
    );
    expect(errorOf('80 80 80 80 10 00', () => undefined).found).toBe('a key above 2^32');
  });

  it('refuses the wrong wire type for a known field, naming both', () => {
    const error = errorOf('0a 01 08', (r) => r.int64('ir_version'));
    expect(error.expected).toBe('wire type 0 (varint) for field 1');
    expect(error.found).toBe('wire type 2 (length-delimited)');
    expect(error.message).toContain('does not follow the ONNX schema');
    expect(errorOf('08 01', (r) => r.string('name')).found).toBe('wire type 0 (varint)');
    expect(errorOf('15 00 00 80 3f', (r) => r.message('graph', () => 0)).found).toBe('wire type 5 (32-bit)');
  });

  it('skips unknown fields of every wire type ONNX can use', () => {
    const r = reader(`
      f8 07 96 01              // field 127, varint 150
      81 08 01 02 03 04 05 06 07 08  // field 128, fixed64
      8a 08 03 61 62 63        // field 129, 3 bytes
      95 08 00 00 80 3f        // field 130, fixed32
      08 2a                    // field 1: 42`);
    const seen: number[] = [];
    while (r.next()) {
      if (r.field === 1) seen.push(r.int64('v'));
      else r.skip();
    }
    expect(seen).toEqual([42]);
  });

  it('refuses groups (wire types 3 and 4) and the undefined wire types 6 and 7', () => {
    for (const [key, name] of [['0b', '3 (start group, deprecated)'], ['0c', '4 (end group, deprecated)'], ['0e', '6 (undefined)'], ['0f', '7 (undefined)']] as const) {
      const error = errorOf(`${key} 00`, (r) => r.skip());
      expect(error.found).toBe(`wire type ${name}`);
      expect(error.fieldPath).toBe('field 1');
    }
  });

  it('refuses skipped values cut off by the end of the input', () => {
    expect(errorOf('09 01 02 03', (r) => r.skip()).found).toBe('3 byte(s) left in the file');
    expect(errorOf('0d 01', (r) => r.skip()).found).toBe('1 byte(s) left in the file');
    expect(errorOf('0a 05 01', (r) => r.skip()).expected).toBe('a length of at most 1 bytes (what is left of the file)');
  });
});

describe('ProtobufReader: lengths and nesting', () => {
  it('checks every length against the bytes left in the enclosing message before reading', () => {
    // graph (7 bytes) holding a raw_data field that claims 4,294,967,295 bytes.
    const error = errorOf('3a 07 4a ff ff ff ff 0f 00', (r) => r.message('graph', () => { r.next(); return r.bytes('raw_data'); }));
    expect(error.message).toBe('test.onnx: byte 3 (graph.raw_data): expected a length of at most 1 bytes (what is left of graph), found 4294967295.');
    expect(error.byteOffset).toBe(3);
    expect(error.fieldPath).toBe('graph.raw_data');
    expect(error).toBeInstanceOf(ModelFormatError);
    expect(error.code).toBe('MODEL_FORMAT');
  });

  it('gives a nested message only its own bytes', () => {
    const r = reader('3a 02 08 01 08 02');
    r.next();
    expect(r.message('graph', () => { const values: number[] = []; while (r.next()) values.push(r.int64('v')); return values; })).toEqual([1]);
    expect(r.next()).toBe(true);
    expect(r.int64('v')).toBe(2);
  });

  it('refuses messages nested deeper than maxDepth', () => {
    const nested = (depth: number): string => (depth === 0 ? '' : `0a ${(hex(nested(depth - 1)).length).toString(16).padStart(2, '0')} ${nested(depth - 1)}`);
    const descend = (r: ProtobufReader, level: number): number => {
      let deepest = level;
      while (r.next()) deepest = r.message(`m${level}`, () => descend(r, level + 1));
      return deepest;
    };
    expect(descend(reader(nested(4)), 0)).toBe(4);
    const error = errorOf(nested(5), (r) => r.message('m0', () => descend(r, 1)));
    expect(error.expected).toBe('messages nested at most 4 deep (the maxDepth limit)');
    expect(error.fieldPath).toBe('m0.m1.m2.m3.m4');
  });

  it('copies bytes fields, so the result never shares the input memory', () => {
    const input = hex('4a 02 01 02');
    const r = new ProtobufReader(input, 'test', LIMITS);
    r.next();
    const value = r.bytes('raw_data');
    input[2] = 9;
    expect(Array.from(value)).toEqual([1, 2]);
  });

  it('refuses strings that are not UTF-8', () => {
    const error = errorOf('22 02 c3 28', (r) => r.string('op_type'));
    expect([error.byteOffset, error.expected, error.found]).toEqual([2, 'UTF-8 text', '2 bytes that are not valid UTF-8']);
  });
});

describe('ProtobufReader: repeated numbers', () => {
  it('accepts packed and unpacked encodings, even mixed in one message', () => {
    const r = reader('08 02 0a 02 03 04 08 05 // dims: unpacked 2, packed [3, 4], unpacked 5');
    const dims: number[] = [];
    while (r.next()) r.repeatedInt64('dims', dims);
    expect(dims).toEqual([2, 3, 4, 5]);

    const floats: number[] = [];
    const f = reader('3d 00 00 80 3f 3a 08 00 00 00 3f 00 00 00 c0');
    while (f.next()) f.repeatedFloat('floats', floats);
    expect(floats).toEqual([1, 0.5, -2]);

    const doubles: number[] = [];
    const d = reader('51 00 00 00 00 00 00 f0 3f 52 08 00 00 00 00 00 00 00 40');
    while (d.next()) d.repeatedDouble('double_data', doubles);
    expect(doubles).toEqual([1, 2]);
  });

  it('refuses a packed float run whose length is not a multiple of 4', () => {
    expect(errorOf('22 03 00 00 80', (r) => r.repeatedFloat('float_data', [])).expected).toBe('a packed length that is a multiple of 4');
  });

  it('refuses a varint cut off at the end of a packed run', () => {
    const error = errorOf('3a 02 01 80 08 01', (r) => r.repeatedInt64('int64_data', []));
    expect(error.fieldPath).toBe('int64_data[1]');
    expect(error.found).toBe('the end of the file after 1 byte(s) of it');
  });

  it('refuses more values than maxElements before allocating them', () => {
    // 4 GB of packed floats claimed, 1 present: the length check comes first.
    expect(errorOf('22 ff ff ff ff 0f 00', (r) => r.repeatedFloat('float_data', [])).expected).toMatch(/^a length of at most 1 bytes/);
    // 9 floats present, limit 8: refused by count before any is read.
    const nine = `22 24 ${'00 00 80 3f '.repeat(9)}`;
    expect(errorOf(nine, (r) => r.repeatedFloat('float_data', [])).message).toMatch(/\(float_data\): expected at most 8 values \(the maxTensorElements limit\), found 9\./);
    const ints = `3a 09 ${'01 '.repeat(9)}`;
    expect(errorOf(ints, (r) => r.repeatedInt64('int64_data', [])).expected).toBe('at most 8 values (the maxTensorElements limit)');
  });
});
