export * from './tensor.js';
export * from './rng.js';
export type * from './backend.js';
export { createJsBackend } from './js-backend.js';
