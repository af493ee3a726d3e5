export { exportOnnxModel, type ExportableModel, type OnnxExport, type OnnxExportOptions, type OnnxValue } from './export-model.js';
export { OnnxExportError } from './export-error.js';
export { ONNX_OPSETS } from './opset.js';
