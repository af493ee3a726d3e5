export { encodeModel } from './onnx-encode.js';
export { DEFAULT_DECODE_LIMITS, type DecodeOptions } from './decode-options.js';
export { decodeModel } from './onnx-decode.js';
export { OnnxFormatError } from './onnx-format-error.js';
export { AttributeType, TensorDataLocation, TensorDataType } from './onnx-types.js';
export type {
  AttributeProto,
  GraphProto,
  ModelProto,
  NodeProto,
  OperatorSetIdProto,
  StringStringEntryProto,
  TensorProto,
  TensorShapeDimension,
  TensorShapeProto,
  TensorTypeProto,
  TypeProto,
  ValueInfoProto,
} from './onnx-types.js';
