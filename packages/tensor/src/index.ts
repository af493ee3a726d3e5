export * from './tensor.js';
export * from './rng.js';
export type * from './backend.js';
export { createJsBackend } from './js-backend.js';
export { createWasmBackend, loadWasmBackend, type WasmBackend, type WasmBackendOptions } from './wasm-backend.js';
export { createBackend, type BackendKind } from './create-backend.js';
export { wasmSupport, type WasmSupport } from './wasm/api.js';
export type { WasmFlavour } from './wasm/kernels.js';
