// The Node-only entry (`@scratchnet/datasets/node`): file access through node:fs, kept apart so
// browser bundles of the main entry never pull in Node modules.
export { createNodeDataSource, type NodeDataSourceOptions } from './node-source.node.js';
