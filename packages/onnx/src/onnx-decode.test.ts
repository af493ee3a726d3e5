import { isScratchnetError, ModelFormatError } from '@scratchnet/spec';
import { describe, expect, it } from 'vitest';
import { AttributeType, decodeModel, encodeModel, OnnxFormatError, type ModelProto } from './index.js';
import { readDimension, readValueInfo } from './onnx-decode.js';
import { writeEntry, writeGraph, writeModel, writeNode, writeOperatorSetId, writeTensor } from './onnx-encode.js';
import { GRAPH, MODEL, NODE } from './onnx-fields.js';
import { ProtobufReader } from './protobuf-reader.js';
import { ProtobufWriter } from './protobuf-writer.js';
import { hex } from './test-bytes.js';
import { attribute, mlpModel, tensor } from './test-models.js';

/** The error `decodeModel` throws for `bytes`. */
function decodeError(bytes: Uint8Array, options: Parameters<typeof decodeModel>[1] = {}): OnnxFormatError {
  try {
    decodeModel(bytes, options);
  } catch (error) {
    expect(error).toBeInstanceOf(OnnxFormatError);
    return error as OnnxFormatError;
  }
  throw new Error('decodeModel did not throw');
}

describe('decodeModel(encodeModel(model))', () => {
  it('gives back the MLP exactly: Gemm/Relu/Softmax, raw_data weights, int64 constant, metadata, opset 17, dynamic batch', () => {
    const model = mlpModel();
    const bytes = encodeModel(model);
    const decoded = decodeModel(bytes);
    expect(decoded).toStrictEqual(model);
    expect(decoded.graph.node.map((node) => node.opType)).toEqual(['Constant', 'Reshape', 'Gemm', 'Relu', 'Gemm', 'Softmax']);
    expect(decoded.opsetImport).toEqual([{ domain: '', version: 17 }]);
    expect(decoded.graph.input[0]?.type?.tensorType?.shape?.dim[0]).toEqual({ dimParam: 'N' });
    expect(decoded.graph.node[0]?.attribute[0]?.t?.int64Data).toEqual([-1, 4]);
    expect(encodeModel(decoded)).toEqual(bytes);
  });

  it('reads the weights back bit for bit', () => {
    const decoded = decodeModel(encodeModel(mlpModel()));
    const weight = decoded.graph.initializer[0]!;
    const values = new Float32Array(weight.rawData!.buffer, weight.rawData!.byteOffset, weight.rawData!.length / 4);
    expect(Array.from(values)).toEqual(Array.from(new Float32Array(mlpModel().graph.initializer[0]!.rawData!.buffer)));
    expect(values).toHaveLength(20);
  });

  it('reads from a view into a larger buffer (a Node Buffer from a pool, a subarray)', () => {
    const bytes = encodeModel(mlpModel());
    const padded = new Uint8Array(bytes.length + 7);
    padded.set(bytes, 3);
    expect(decodeModel(padded.subarray(3, 3 + bytes.length))).toStrictEqual(mlpModel());
  });
});

describe('forward compatibility: fields scratchnet does not use are skipped', () => {
  it('skips unknown fields of every wire type at every level', () => {
    const model = mlpModel();
    const writer = new ProtobufWriter();
    writer.int64(MODEL.ir_version, model.irVersion, 'ir_version');
    writer.int64(99, -5, 'a future varint field');
    writer.float(98, 1);
    writer.message(MODEL.graph, 'graph', (g) => {
      writeGraph(g, model.graph);
      g.message(GRAPH.node, 'node', (n) => {
        writeNode(n, { input: ['a'], output: ['b'], opType: 'Relu', attribute: [] });
        n.string(8, 'overload');
        n.message(9, 'metadata_props', (e) => e.string(1, 'k'));
      });
      g.message(GRAPH.initializer, 'initializer', (t) => {
        writeTensor(t, tensor(1, [1], { name: 'extra', floatData: [3] }));
        t.message(3, 'segment', (s) => s.int64(1, 0, 'begin'));
        t.string(6, 'string_data');
        t.packedInt64(11, [1, 2], 'uint64_data');
        t.packedDouble(99, [1]);
      });
      g.message(15, 'sparse_initializer', (s) => s.message(1, 'values', (t) => writeTensor(t, tensor(1, [1]))));
    });
    for (const [i, operatorSet] of model.opsetImport.entries()) writer.message(MODEL.opset_import, `opset_import[${i}]`, (o) => writeOperatorSetId(o, operatorSet));
    for (const [i, entry] of model.metadataProps.entries()) writer.message(MODEL.metadata_props, `metadata_props[${i}]`, (e) => writeEntry(e, entry));
    writer.message(20, 'training_info', (t) => t.message(1, 'initialization', (g) => writeGraph(g, model.graph)));
    writer.string(25, 'functions (a FunctionProto in real files)');
    writer.packedDouble(97, [1, 2]);

    const decoded = decodeModel(writer.finish());
    expect(decoded.graph.node.at(-1)).toEqual({ input: ['a'], output: ['b'], opType: 'Relu', attribute: [] });
    expect(decoded.graph.initializer.at(-1)).toEqual(tensor(1, [1], { name: 'extra', floatData: [3] }));
    const withoutExtras = { ...decoded.graph, node: decoded.graph.node.slice(0, -1), initializer: decoded.graph.initializer.slice(0, -1) };
    const { producerName: _name, producerVersion: _version, docString: _doc, ...written } = model;
    expect({ ...decoded, graph: withoutExtras }).toStrictEqual(written);
  });

  it('skips sequence and map types, leaving tensorType undefined', () => {
    const writer = new ProtobufWriter();
    writer.string(1, 'x');
    writer.message(2, 'type', (t) => t.message(4, 'sequence_type', (s) => s.message(1, 'elem_type', () => undefined)));
    expect(readValueInfo(new ProtobufReader(writer.finish(), 'test', { maxDepth: 16, maxElements: 10 }))).toEqual({ name: 'x', type: {} });
  });
});

describe('refusals', () => {
  it('names the file, the byte, the field path, what was expected and what was found', () => {
    const bytes = encodeModel(mlpModel());
    // Claim 1,000,000 bytes for the first initialiser's raw_data by rewriting its length varint.
    const offset = findRawDataLength(bytes);
    const damaged = new Uint8Array([...bytes.subarray(0, offset), 0xc0, 0x84, 0x3d, ...bytes.subarray(offset + 1)]);
    const error = decodeError(damaged, { file: 'mlp.onnx' });
    expect(error.fieldPath).toBe('graph.initializer[0].raw_data');
    expect(error.byteOffset).toBe(offset);
    expect(error.message).toMatch(/^mlp\.onnx: byte \d+ \(graph\.initializer\[0\]\.raw_data\): expected a length of at most \d+ bytes \(what is left of graph\.initializer\[0\]\), found 1000000\.$/);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect(isScratchnetError(error) && error.code).toBe('MODEL_FORMAT');
  });

  it('says what it wants when given something other than bytes', () => {
    expect(() => decodeModel(new ArrayBuffer(4) as unknown as Uint8Array, { file: 'x.onnx' })).toThrow(
      new TypeError("decodeModel(x.onnx): expected the file's bytes as a Uint8Array (a Node Buffer is one), found ArrayBuffer."),
    );
  });

  it('refuses an empty file and a file above maxBytes without reading it', () => {
    expect(decodeError(new Uint8Array(0)).message).toBe('ONNX model: byte 0 ((model)): expected an ONNX model (a serialised ModelProto), found an empty file.');
    const error = decodeError(encodeModel(mlpModel()), { maxBytes: 100, file: 'big.onnx' });
    expect(error.message).toMatch(/^big\.onnx: byte 0 \(\(model\)\): expected at most 100 bytes \(the maxBytes limit\), found \d+ bytes\. Raise maxBytes/);
  });

  it('refuses a model without the fields onnx.proto requires', () => {
    const noGraph = new ProtobufWriter();
    noGraph.int64(MODEL.ir_version, 8, 'ir_version');
    noGraph.message(MODEL.opset_import, 'opset_import', (o) => o.int64(2, 17, 'version'));
    expect(decodeError(noGraph.finish()).message).toMatch(/\(graph\): expected field 7 \(graph\), which every ModelProto must have, found no such field in the message's 6 bytes\./);

    const noOpType = new ProtobufWriter();
    writeModel(noOpType, { ...mlpModel(), graph: { ...mlpModel().graph, node: [] } });
    noOpType.message(MODEL.graph, 'graph', (g) => g.message(GRAPH.node, 'node', (n) => n.string(NODE.input, 'x')));
    const error = decodeError(noOpType.finish());
    expect(error.fieldPath).toBe('graph.node[0].op_type');
    expect(error.expected).toBe('field 4 (op_type), which every NodeProto must have');

    const noDataType = hex('08 08 42 02 10 11 3a 06 2a 04 42 02 77 30');
    expect(decodeError(noDataType).fieldPath).toBe('graph.initializer[0].data_type');
    expect(decodeError(hex('42 02 10 11 3a 00')).fieldPath).toBe('ir_version');
    expect(decodeError(hex('08 08 3a 00')).fieldPath).toBe('opset_import');
    expect(decodeError(hex('08 08 3a 00 42 02 0a 00')).fieldPath).toBe('opset_import[0].version');
  });

  it('refuses tensors whose dims are negative or multiply past maxTensorElements, before any allocation', () => {
    const withDims = (dims: readonly number[]): Uint8Array => encodeModel({ ...mlpModel(), graph: { ...mlpModel().graph, initializer: [tensor(1, dims)] } });
    expect(decodeModel(withDims([0, 2 ** 40])).graph.initializer[0]?.dims).toEqual([0, 2 ** 40]);
    const negative = decodeError(withDims([3, -1]));
    expect([negative.fieldPath, negative.expected, negative.found]).toEqual(['graph.initializer[0].dims[1]', 'a dimension >= 0', '-1']);
    const huge = decodeError(withDims([100000, 100000]));
    expect(huge.message).toMatch(/\(graph\.initializer\[0\]\.dims\): expected at most 67108864 elements in one tensor \(the maxTensorElements limit\), found dims \[100000, 100000\]\./);
    expect(decodeError(withDims([4, 4]), { maxTensorElements: 15 }).found).toBe('dims [4, 4]');
    expect(decodeError(withDims(Array.from({ length: 20 }, () => 2)), { maxTensorElements: 1000 }).found).toBe('dims [2, 2, 2, 2, 2, 2, 2, 2, ...] (10 dims)');
  });

  it('applies maxTensorElements to data fields and attribute lists too', () => {
    const model = mlpModel();
    const withData = encodeModel({ ...model, graph: { ...model.graph, initializer: [tensor(1, [5], { floatData: [1, 2, 3, 4, 5] })] } });
    expect(decodeError(withData, { maxTensorElements: 4 }).fieldPath).toBe('graph.initializer[0].dims');
    const floatsOnly = encodeModel({ ...model, graph: { ...model.graph, initializer: [tensor(1, [], { floatData: [1, 2, 3, 4, 5] })] } });
    expect(decodeError(floatsOnly, { maxTensorElements: 4 }).fieldPath).toBe('graph.initializer[0].float_data');
    const pads = { input: ['x'], output: ['y'], opType: 'MaxPool', attribute: [attribute('pads', AttributeType.INTS, { ints: [0, 0, 1, 1, 2] })] };
    const withInts = encodeModel({ ...model, graph: { ...model.graph, node: [pads], initializer: [] } });
    expect(decodeError(withInts, { maxTensorElements: 4 }).fieldPath).toBe('graph.node[0].attribute[0].ints');
  });

  it('enforces maxDepth', () => {
    expect(decodeError(encodeModel(mlpModel()), { maxDepth: 3 }).message).toMatch(/expected messages nested at most 3 deep \(the maxDepth limit\)/);
    expect(() => decodeModel(encodeModel(mlpModel()), { maxDepth: 6 })).not.toThrow();
  });

  it('keeps the last of dim_value and dim_param (a oneof)', () => {
    const dimension = (dimBytes: string) => {
      const b = hex(`0a ${(hex(dimBytes).length).toString(16).padStart(2, '0')} ${dimBytes}`);
      const r = new ProtobufReader(b, 't', { maxDepth: 9, maxElements: 9 });
      r.next();
      return r.message('dim[0]', () => readDimension(r));
    };
    expect(dimension('08 03 12 01 4e')).toEqual({ dimParam: 'N' });
    expect(dimension('12 01 4e 08 03')).toEqual({ dimValue: 3 });
    const unknownDim = { ...mlpModel(), graph: { ...mlpModel().graph, input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{}] } } } }] } };
    expect(decodeModel(encodeModel(unknownDim))).toStrictEqual(unknownDim);
  });
});

/** The offset of the length varint of the first initialiser's raw_data (80 bytes: a one-byte length). */
function findRawDataLength(bytes: Uint8Array): number {
  const raw = mlpModel().graph.initializer[0]!.rawData!;
  const at = Buffer.from(bytes).indexOf(Buffer.from(raw));
  expect([bytes[at - 2], bytes[at - 1]]).toEqual([0x4a, 80]); // raw_data key (field 9, wire 2), length 80
  return at - 1;
}

describe('truncation at every prefix length', () => {
  it('throws the format error, except at the top-level field boundaries a protobuf prefix cannot be told from', () => {
    const model: ModelProto = mlpModel();
    const bytes = encodeModel(model);
    // protobuf has no end marker: a prefix that stops between two top-level fields is itself a
    // valid ModelProto. Once ir_version, graph and opset_import (all required) are in, only the
    // trailing metadata_props can be cut: those prefixes decode to the model with fewer entries.
    const boundaries = new Map<number, number>();
    for (let kept = 0; kept < model.metadataProps.length; kept++) {
      boundaries.set(encodeModel({ ...model, metadataProps: model.metadataProps.slice(0, kept) }).length, kept);
    }
    let refused = 0;
    for (let length = 0; length < bytes.length; length++) {
      const prefix = bytes.subarray(0, length);
      const kept = boundaries.get(length);
      if (kept === undefined) {
        expect(() => decodeModel(prefix), `prefix of ${length} bytes`).toThrow(OnnxFormatError);
        refused++;
      } else {
        expect(decodeModel(prefix)).toStrictEqual({ ...model, metadataProps: model.metadataProps.slice(0, kept) });
      }
    }
    expect(refused).toBe(bytes.length - model.metadataProps.length);
  });
});
