/**
 * The ONNX messages scratchnet reads and writes, as plain objects. Each property is the
 * lowerCamelCase form of the onnx.proto field (its protobuf JSON name: `op_type` -> `opType`);
 * onnx-fields.ts has the field numbers.
 *
 * Conventions, the same for every message:
 * - repeated fields are always arrays (empty when the file has none), so code that walks a
 *   decoded model never checks for undefined;
 * - a field that onnx.proto says MUST be present (ir_version, graph, opset_import, op_type,
 *   an attribute's name and type, a tensor's data_type, ...) is required here, and the reader
 *   refuses a file without it;
 * - any other single field is optional: undefined when absent. The writer writes what is
 *   defined, even when it equals the protobuf default (proto2 has field presence).
 * - int64 values are JavaScript numbers. The reader refuses values outside the safe-integer range
 *   (|v| > 2^53 - 1) rather than rounding them; no ONNX model scratchnet handles needs more.
 */

/** TensorProto.DataType: the element types (`data_type`, `elem_type`). Newer ONNX versions add more; they pass through as numbers. */
export const TensorDataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  COMPLEX64: 14,
  COMPLEX128: 15,
  BFLOAT16: 16,
} as const;

/** AttributeProto.AttributeType: which value field of an attribute is in use. */
export const AttributeType = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
  SPARSE_TENSOR: 11,
  SPARSE_TENSORS: 12,
} as const;

/** TensorProto.DataLocation: EXTERNAL means the values are in another file (external_data says where). */
export const TensorDataLocation = { DEFAULT: 0, EXTERNAL: 1 } as const;

/** The top-level message of an .onnx file. */
export interface ModelProto {
  /** The IR version (7 for opset 13 files, 8 for opset 17 files, ...). */
  readonly irVersion: number;
  /** At least one entry; the one with domain '' (or absent) is the ONNX operator set. */
  readonly opsetImport: readonly OperatorSetIdProto[];
  readonly producerName?: string;
  readonly producerVersion?: string;
  readonly domain?: string;
  readonly modelVersion?: number;
  readonly docString?: string;
  readonly graph: GraphProto;
  /** Named metadata values; keys should be distinct. */
  readonly metadataProps: readonly StringStringEntryProto[];
}

export interface GraphProto {
  /** Topologically sorted. */
  readonly node: readonly NodeProto[];
  readonly name?: string;
  /** Constant tensors (weights); each may also appear in `input`. */
  readonly initializer: readonly TensorProto[];
  readonly docString?: string;
  readonly input: readonly ValueInfoProto[];
  readonly output: readonly ValueInfoProto[];
  /** Types of intermediate values, when the producer recorded them. */
  readonly valueInfo: readonly ValueInfoProto[];
}

export interface NodeProto {
  /** Value names; '' stands for an omitted optional input. */
  readonly input: readonly string[];
  readonly output: readonly string[];
  readonly name?: string;
  readonly opType: string;
  /** The operator set domain; absent or '' is the ONNX domain. */
  readonly domain?: string;
  readonly attribute: readonly AttributeProto[];
  readonly docString?: string;
}

/**
 * A named attribute: `type` (an AttributeType) says which value field is in use. `s` and
 * `strings` are bytes on the wire holding UTF-8 text (onnx.proto says so); they are strings here
 * and the reader refuses bytes that are not valid UTF-8.
 */
export interface AttributeProto {
  readonly name: string;
  readonly type: number;
  readonly f?: number;
  readonly i?: number;
  readonly s?: string;
  readonly t?: TensorProto;
  readonly floats: readonly number[];
  readonly ints: readonly number[];
  readonly strings: readonly string[];
  readonly docString?: string;
}

/**
 * A tensor value, row-major. Its values are in exactly one of `rawData` (fixed-width
 * little-endian elements; what PyTorch writes for every initialiser), `floatData` (FLOAT),
 * `int32Data` (INT32 and the narrower integer types, BOOL, FLOAT16), `int64Data` (INT64) or
 * `doubleData` (DOUBLE); or, with `dataLocation` EXTERNAL, in the file `externalData` names.
 * The reader checks that the product of `dims` is within its element limit; it does not check that
 * the data length matches `dims` and `dataType` (the importer knows which types it supports).
 */
export interface TensorProto {
  /** >= 0 each; [] is a scalar. */
  readonly dims: readonly number[];
  /** A TensorDataType value. */
  readonly dataType: number;
  readonly floatData: readonly number[];
  readonly int32Data: readonly number[];
  readonly int64Data: readonly number[];
  readonly name?: string;
  /** The reader's copy: it never shares memory with the bytes it was given. */
  readonly rawData?: Uint8Array;
  readonly doubleData: readonly number[];
  readonly docString?: string;
  /** Keys location, offset, length, checksum. */
  readonly externalData: readonly StringStringEntryProto[];
  /** A TensorDataLocation value. */
  readonly dataLocation?: number;
}

/** A graph input, output or intermediate value with its type. */
export interface ValueInfoProto {
  readonly name: string;
  readonly type?: TypeProto;
  readonly docString?: string;
}

/** Only tensor types are read; a sequence or map type leaves `tensorType` undefined. */
export interface TypeProto {
  readonly tensorType?: TensorTypeProto;
  readonly denotation?: string;
}

/** TypeProto.Tensor. */
export interface TensorTypeProto {
  /** A TensorDataType value. */
  readonly elemType: number;
  /** Absent: the rank is unknown. Present with no dims: a scalar. */
  readonly shape?: TensorShapeProto;
}

export interface TensorShapeProto {
  readonly dim: readonly TensorShapeDimension[];
}

/**
 * One dimension: a fixed size (`dimValue`), a named symbolic size such as a dynamic batch
 * (`dimParam: 'N'`), or neither (unknown). onnx.proto makes the two a oneof: the reader keeps the
 * one that came last, as protobuf does.
 */
export interface TensorShapeDimension {
  readonly dimValue?: number;
  readonly dimParam?: string;
  readonly denotation?: string;
}

export interface OperatorSetIdProto {
  /** Absent or '' is the ONNX operator set ("ai.onnx"). */
  readonly domain?: string;
  readonly version: number;
}

/** A key-value pair (metadata_props, external_data). Absent key or value read as ''. */
export interface StringStringEntryProto {
  readonly key: string;
  readonly value: string;
}
