/**
 * Field numbers of the ONNX messages this package reads and writes, as onnx.proto declares them
 * (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto; the numbers never change once
 * published). The writer and the reader both take their numbers from here, so the schema lives
 * in one place. Keys are the .proto field names: the reader's error paths use them
 * (`graph.initializer[3].raw_data`) so they can be found in onnx.proto as written.
 *
 * Fields not listed are skipped by the reader (they are valid ONNX that scratchnet does not use:
 * training_info, functions, sparse initialisers, subgraph attributes, string tensors, ...).
 */

/** ModelProto. */
export const MODEL = {
  ir_version: 1,
  producer_name: 2,
  producer_version: 3,
  domain: 4,
  model_version: 5,
  doc_string: 6,
  graph: 7,
  opset_import: 8,
  metadata_props: 14,
} as const;

/** GraphProto. */
export const GRAPH = {
  node: 1,
  name: 2,
  initializer: 5,
  doc_string: 10,
  input: 11,
  output: 12,
  value_info: 13,
} as const;

/** NodeProto. */
export const NODE = {
  input: 1,
  output: 2,
  name: 3,
  op_type: 4,
  attribute: 5,
  doc_string: 6,
  domain: 7,
} as const;

/** AttributeProto (without g, tensors, graphs and the sparse and type-proto variants). */
export const ATTRIBUTE = {
  name: 1,
  f: 2,
  i: 3,
  s: 4,
  t: 5,
  floats: 7,
  ints: 8,
  strings: 9,
  doc_string: 13,
  type: 20,
} as const;

/** TensorProto (without segment, string_data, uint64_data and metadata_props). */
export const TENSOR = {
  dims: 1,
  data_type: 2,
  float_data: 4,
  int32_data: 5,
  int64_data: 7,
  name: 8,
  raw_data: 9,
  double_data: 10,
  doc_string: 12,
  external_data: 13,
  data_location: 14,
} as const;

/** ValueInfoProto. */
export const VALUE_INFO = { name: 1, type: 2, doc_string: 3 } as const;

/** TypeProto (tensor types only: sequence, map, optional and sparse types are skipped). */
export const TYPE = { tensor_type: 1, denotation: 6 } as const;

/** TypeProto.Tensor. */
export const TYPE_TENSOR = { elem_type: 1, shape: 2 } as const;

/** TensorShapeProto. */
export const SHAPE = { dim: 1 } as const;

/** TensorShapeProto.Dimension (dim_value and dim_param are a oneof). */
export const DIMENSION = { dim_value: 1, dim_param: 2, denotation: 3 } as const;

/** OperatorSetIdProto. */
export const OPERATOR_SET_ID = { domain: 1, version: 2 } as const;

/** StringStringEntryProto. */
export const STRING_STRING_ENTRY = { key: 1, value: 2 } as const;
