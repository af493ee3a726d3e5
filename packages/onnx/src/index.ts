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
export { importOnnxModel, type ImportedModel, type ImportOptions } from './import/import-model.js';
export type { ImportedTensor } from './import/node-context.js';
export { OnnxImportError } from './import/onnx-import-error.js';
export { SUPPORTED_OPS } from './import/supported-ops.js';
export { exportOnnxModel, OnnxExportError, ONNX_OPSETS, type ExportableModel, type OnnxExport, type OnnxExportOptions, type OnnxValue } from './export/index.js';
