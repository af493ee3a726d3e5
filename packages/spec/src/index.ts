export * from './plugins.js';
export * from './data-plugins.js';
export * from './errors.js';
export * from './define.js';
export * from './layer-buffers.js';
export * from './layer-helpers.js';
export type * from './experiment.js';
export * from './onnx-hook.js';
