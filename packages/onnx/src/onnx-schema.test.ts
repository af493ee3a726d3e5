// Every field of every ONNX message this package handles, written and read against bytes worked
// out by hand from onnx.proto: the field number and wire type in each key byte
// ((field << 3) | wire type), varints 7 bits at a time, floats little-endian, and packed or one
// key per value exactly as onnx.proto declares (proto2 packs only [packed = true] fields).
// This is the "tested field by field against the ONNX schema" check of the hand-written codec.
import { describe, expect, it } from 'vitest';
import {
  readAttribute,
  readDimension,
  readEntry,
  readGraph,
  readModel,
  readNode,
  readOperatorSetId,
  readShape,
  readTensor,
  readTensorType,
  readType,
  readValueInfo,
} from './onnx-decode.js';
import {
  writeAttribute,
  writeDimension,
  writeEntry,
  writeGraph,
  writeModel,
  writeNode,
  writeOperatorSetId,
  writeShape,
  writeTensor,
  writeTensorType,
  writeType,
  writeValueInfo,
} from './onnx-encode.js';
import { AttributeType, TensorDataType } from './onnx-types.js';
import { ProtobufReader } from './protobuf-reader.js';
import { ProtobufWriter } from './protobuf-writer.js';
import { hex, toHex } from './test-bytes.js';
import { attribute, tensor } from './test-models.js';

interface Case {
  readonly name: string;
  readonly value: unknown;
  readonly bytes: string;
}

const LIMITS = { maxDepth: 16, maxElements: 1000 };

/** Writes `value` with `write` and reads the expected bytes back with `read`, checking both. */
function check<T>(write: (w: ProtobufWriter, value: T) => void, read: (r: ProtobufReader) => T, cases: readonly Case[]): void {
  for (const { name, value, bytes } of cases) {
    it(name, () => {
      const writer = new ProtobufWriter();
      write(writer, value as T);
      expect(toHex(writer.finish())).toBe(toHex(hex(bytes)));
      expect(read(new ProtobufReader(hex(bytes), 'test', LIMITS))).toStrictEqual(value);
    });
  }
}

describe('OperatorSetIdProto (domain 1, version 2)', () => {
  check(writeOperatorSetId, readOperatorSetId, [
    { name: 'ONNX domain, opset 17', value: { domain: '', version: 17 }, bytes: '0a 00 // domain: field 1, wire 2, length 0 \n 10 11 // version: field 2, wire 0, 17' },
    { name: 'domain absent', value: { version: 13 }, bytes: '10 0d' },
    { name: 'another domain', value: { domain: 'ai', version: 1 }, bytes: '0a 02 61 69 10 01' },
  ]);
});

describe('StringStringEntryProto (key 1, value 2)', () => {
  check(writeEntry, readEntry, [
    { name: 'key and value', value: { key: 'a', value: 'bc' }, bytes: '0a 01 61 // key "a" \n 12 02 62 63 // value "bc"' },
    { name: 'empty strings are written (both always present)', value: { key: '', value: '' }, bytes: '0a 00 12 00' },
  ]);
});

describe('TensorShapeProto.Dimension (dim_value 1, dim_param 2, denotation 3)', () => {
  check(writeDimension, readDimension, [
    { name: 'dim_value 300 (a two-byte varint)', value: { dimValue: 300 }, bytes: '08 ac 02' },
    { name: 'dim_param "N"', value: { dimParam: 'N' }, bytes: '12 01 4e' },
    { name: 'denotation', value: { dimValue: 1, denotation: 'DATA' }, bytes: '08 01 // dim_value \n 1a 04 44 41 54 41 // denotation "DATA"' },
    { name: 'unknown (neither)', value: {}, bytes: '' },
  ]);
});

describe('TensorShapeProto (dim 1)', () => {
  check(writeShape, readShape, [
    {
      name: '[N, 10]',
      value: { dim: [{ dimParam: 'N' }, { dimValue: 10 }] },
      bytes: '0a 03 12 01 4e // dim[0]: field 1, wire 2, 3 bytes: dim_param "N" \n 0a 02 08 0a // dim[1]: dim_value 10',
    },
    { name: 'a scalar (no dims)', value: { dim: [] }, bytes: '' },
  ]);
});

describe('TypeProto.Tensor (elem_type 1, shape 2) and TypeProto (tensor_type 1, denotation 6)', () => {
  check(writeTensorType, readTensorType, [
    { name: 'float [3]', value: { elemType: 1, shape: { dim: [{ dimValue: 3 }] } }, bytes: '08 01 // elem_type FLOAT \n 12 04 0a 02 08 03 // shape' },
    { name: 'int64, rank unknown (no shape)', value: { elemType: 7 }, bytes: '08 07' },
  ]);
  check(writeType, readType, [
    {
      name: 'tensor type and denotation',
      value: { tensorType: { elemType: 1 }, denotation: 'TENSOR' },
      bytes: '0a 02 08 01 // tensor_type \n 32 06 54 45 4e 53 4f 52 // denotation: field 6, wire 2',
    },
  ]);
});

describe('ValueInfoProto (name 1, type 2, doc_string 3)', () => {
  check(writeValueInfo, readValueInfo, [
    {
      name: 'every field',
      value: { name: 'x', type: { tensorType: { elemType: 1 } }, docString: 'd' },
      bytes: '0a 01 78 // name \n 12 04 0a 02 08 01 // type \n 1a 01 64 // doc_string',
    },
    { name: 'name only', value: { name: 'y' }, bytes: '0a 01 79' },
  ]);
});

describe('TensorProto', () => {
  check(writeTensor, readTensor, [
    {
      name: 'dims (not packed), data_type, float_data (packed), name',
      value: tensor(TensorDataType.FLOAT, [2, 3], { floatData: [1, 0.5], name: 'w' }),
      bytes: `
        08 02 08 03              // dims: field 1, wire 0, one key per value
        10 01                    // data_type: field 2, FLOAT
        22 08 00 00 80 3f 00 00 00 3f  // float_data: field 4, wire 2, 8 bytes: 1.0f, 0.5f
        42 01 77                 // name: field 8`,
    },
    {
      name: 'int64_data (packed): -1 takes 10 bytes (int64, no zigzag)',
      value: tensor(TensorDataType.INT64, [2], { int64Data: [-1, 300] }),
      bytes: `
        08 02 10 07              // dims [2], data_type INT64
        3a 0c ff ff ff ff ff ff ff ff ff 01 ac 02  // int64_data: field 7, wire 2, 12 bytes`,
    },
    {
      name: 'int32_data (packed): negative int32 is sign-extended to 10 bytes; a scalar has no dims',
      value: tensor(TensorDataType.INT32, [], { int32Data: [-2, 1] }),
      bytes: '10 06 // data_type INT32 \n 2a 0b fe ff ff ff ff ff ff ff ff 01 01 // int32_data: field 5, wire 2, 11 bytes',
    },
    {
      name: 'double_data (packed)',
      value: tensor(TensorDataType.DOUBLE, [1], { doubleData: [1] }),
      bytes: '08 01 10 0b // dims [1], DOUBLE \n 52 08 00 00 00 00 00 00 f0 3f // double_data: field 10, wire 2',
    },
    {
      name: 'raw_data and doc_string',
      value: tensor(TensorDataType.FLOAT, [1], { name: 'b', rawData: new Uint8Array([0, 0, 0x80, 0x3f]), docString: 'd' }),
      bytes: '08 01 10 01 42 01 62 // dims, data_type, name \n 4a 04 00 00 80 3f // raw_data: field 9, wire 2 \n 62 01 64 // doc_string: field 12',
    },
    {
      name: 'external_data and data_location EXTERNAL',
      value: tensor(TensorDataType.FLOAT, [1], { externalData: [{ key: 'location', value: 'w.bin' }], dataLocation: 1 }),
      bytes: `
        08 01 10 01
        6a 11 0a 08 6c 6f 63 61 74 69 6f 6e 12 05 77 2e 62 69 6e  // external_data: field 13, wire 2, 17 bytes
        70 01                    // data_location: field 14, wire 0`,
    },
  ]);
});

describe('AttributeProto: name 1 first, type 20 last (key a0 01), one value field per type', () => {
  check(writeAttribute, readAttribute, [
    {
      name: 'FLOAT: f (field 2, fixed32)',
      value: attribute('alpha', AttributeType.FLOAT, { f: 0.5 }),
      bytes: '0a 05 61 6c 70 68 61 // name "alpha" \n 15 00 00 00 3f // f: field 2, wire 5 \n a0 01 01 // type: field 20, wire 0, FLOAT',
    },
    {
      name: 'INT: i (field 3), negative',
      value: attribute('axis', AttributeType.INT, { i: -1 }),
      bytes: '0a 04 61 78 69 73 \n 18 ff ff ff ff ff ff ff ff ff 01 // i: field 3, wire 0 \n a0 01 02',
    },
    {
      name: 'STRING: s (field 4, bytes holding UTF-8)',
      value: attribute('mode', AttributeType.STRING, { s: 'NOTSET' }),
      bytes: '0a 04 6d 6f 64 65 \n 22 06 4e 4f 54 53 45 54 // s \n a0 01 03',
    },
    {
      name: 'TENSOR: t (field 5, a nested TensorProto)',
      value: attribute('value', AttributeType.TENSOR, { t: tensor(TensorDataType.INT64, [1], { int64Data: [4] }) }),
      bytes: '0a 05 76 61 6c 75 65 \n 2a 07 08 01 10 07 3a 01 04 // t: 7 bytes \n a0 01 04',
    },
    {
      name: 'FLOATS: floats (field 7, not packed: one fixed32 key per value)',
      value: attribute('scales', AttributeType.FLOATS, { floats: [1, 2] }),
      bytes: '0a 06 73 63 61 6c 65 73 \n 3d 00 00 80 3f 3d 00 00 00 40 // floats \n a0 01 06',
    },
    {
      name: 'INTS: ints (field 8, not packed: one varint key per value)',
      value: attribute('pads', AttributeType.INTS, { ints: [0, 1] }),
      bytes: '0a 04 70 61 64 73 \n 40 00 40 01 // ints \n a0 01 07',
    },
    {
      name: 'STRINGS: strings (field 9) and doc_string (field 13)',
      value: attribute('s', AttributeType.STRINGS, { strings: ['a', ''], docString: 'd' }),
      bytes: '0a 01 73 \n 4a 01 61 4a 00 // strings \n 6a 01 64 // doc_string \n a0 01 08',
    },
  ]);
});

describe('NodeProto', () => {
  check(writeNode, readNode, [
    {
      name: 'every field, in field-number order',
      value: {
        input: ['x', 'w'],
        output: ['y'],
        name: 'n',
        opType: 'Gemm',
        attribute: [attribute('transB', AttributeType.INT, { i: 1 })],
        docString: 'd',
        domain: '',
      },
      bytes: `
        0a 01 78 0a 01 77        // input: field 1, one key per string
        12 01 79                 // output: field 2
        1a 01 6e                 // name: field 3
        22 04 47 65 6d 6d        // op_type: field 4, "Gemm"
        2a 0d 0a 06 74 72 61 6e 73 42 18 01 a0 01 02  // attribute: field 5, 13 bytes
        32 01 64                 // doc_string: field 6
        3a 00                    // domain: field 7, ""`,
    },
    { name: 'op_type only', value: { input: [], output: [], opType: 'Relu', attribute: [] }, bytes: '22 04 52 65 6c 75' },
  ]);
});

describe('GraphProto', () => {
  check(writeGraph, readGraph, [
    {
      name: 'every field',
      value: {
        node: [{ input: [], output: ['y'], opType: 'Relu', attribute: [] }],
        name: 'g',
        initializer: [tensor(TensorDataType.FLOAT, [1], { name: 'b', floatData: [1] })],
        docString: 'd',
        input: [{ name: 'x' }],
        output: [{ name: 'y' }],
        valueInfo: [{ name: 'v' }],
      },
      bytes: `
        0a 09 12 01 79 22 04 52 65 6c 75                // node: field 1
        12 01 67                                        // name: field 2
        2a 0d 08 01 10 01 22 04 00 00 80 3f 42 01 62    // initializer: field 5
        52 01 64                                        // doc_string: field 10
        5a 03 0a 01 78                                  // input: field 11
        62 03 0a 01 79                                  // output: field 12
        6a 03 0a 01 76                                  // value_info: field 13`,
    },
  ]);
});

describe('ModelProto', () => {
  check(writeModel, readModel, [
    {
      name: 'every field',
      value: {
        irVersion: 8,
        producerName: 'p',
        producerVersion: '1',
        domain: 'd',
        modelVersion: 2,
        docString: 's',
        graph: { node: [], initializer: [], input: [], output: [], valueInfo: [] },
        opsetImport: [{ domain: '', version: 17 }],
        metadataProps: [{ key: 'k', value: 'v' }],
      },
      bytes: `
        08 08            // ir_version: field 1, 8
        12 01 70         // producer_name: field 2
        1a 01 31         // producer_version: field 3
        22 01 64         // domain: field 4
        28 02            // model_version: field 5, wire 0
        32 01 73         // doc_string: field 6
        3a 00            // graph: field 7, an empty GraphProto
        42 04 0a 00 10 11          // opset_import: field 8
        72 06 0a 01 6b 12 01 76    // metadata_props: field 14 (key 0x72)`,
    },
  ]);
});
