export { createRegistry, UNKNOWN_SOURCE } from './registry.js';
export { didYouMean, editDistance } from './did-you-mean.js';
export { KEBAB_CASE } from './ids.js';
export { EXPERIMENT_NAME_PATTERN } from './envelope.js';
export { DATASET_COMMON_OPTIONS } from './plugin-schema.js';
export { JSON_SCHEMA_DIALECT } from './compose-schema.js';
export { formatValue } from './plain-data.js';
