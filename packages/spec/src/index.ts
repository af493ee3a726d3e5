export * from './plugins.js';
export * from './errors.js';
export * from './define.js';
export type * from './experiment.js';
