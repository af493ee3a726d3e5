// The Node-only entry (`@scratchnet/tensor/node`): worker threads, kept apart so browser bundles
// of the main entry never pull in Node modules.
import { availableParallelism } from 'node:os';
import type { Backend } from './backend.js';
import { type BackendKind, createBackend } from './create-backend.js';
import { wasmSupport } from './wasm/api.js';
import { createThreadedWasmBackend } from './wasm/threads.node.js';

export {
  createThreadedWasmBackend,
  splitGemm,
  type ThreadedWasmBackend,
  type ThreadedWasmBackendOptions,
} from './wasm/threads.node.js';

export interface NodeBackendOptions {
  /** Threads for the wasm backend's large GEMMs; 0 or omitted: every core. Ignored by 'js'. */
  readonly threads?: number;
}

/**
 * createBackend(kind) with a thread count (a config's `training.threads`): the wasm backend
 * splits large GEMMs across that many threads (workers sharing its memory) when it is above 1.
 */
export function createNodeBackend(kind: BackendKind = 'auto', options: NodeBackendOptions = {}): Backend {
  const threads = options.threads === undefined || options.threads === 0 ? availableParallelism() : options.threads;
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`createNodeBackend: threads must be 0 (every core) or an integer >= 1, got ${options.threads}`);
  }
  const wasm = kind === 'wasm' || (kind === 'auto' && wasmSupport().simd);
  if (!wasm || threads === 1) return createBackend(kind);
  return createThreadedWasmBackend({ threads });
}
