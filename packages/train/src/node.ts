// The Node-only entry (`@scratchnet/train/node`): data-parallel training in worker threads, kept
// apart so browser bundles of the main entry never pull in Node modules.
export { createDataParallelStep, type DataParallelOptions } from './data-parallel/workers.node.js';
