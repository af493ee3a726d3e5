// The browser entry (`exports` condition "browser"; a page's import map points here): the same
// registry without ajv, which is CommonJS and compiles validators with `new Function`.
export { createRegistry } from './create-registry.browser.js';
export { UNKNOWN_SOURCE, ENVELOPE_KEY } from './registry.js';
export { precompiledCompiler } from './schema-compiler.js';
export type { PrecompiledValidator, RegistryOptions, SchemaCompiler } from './schema-compiler.js';
export { didYouMean, editDistance } from './did-you-mean.js';
export { KEBAB_CASE } from './ids.js';
export { EXPERIMENT_NAME_PATTERN } from './envelope.js';
export { DATASET_COMMON_OPTIONS } from './plugin-schema.js';
export { JSON_SCHEMA_DIALECT } from './compose-schema.js';
export { formatValue } from './plain-data.js';
