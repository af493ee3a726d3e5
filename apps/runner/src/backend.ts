import type { TrainingConfig } from '@scratchnet/spec';
import type { Backend } from '@scratchnet/tensor';
import { createNodeBackend } from '@scratchnet/tensor/node';
import { usageError } from './exit-codes.js';

/**
 * The kernel backend for `training.backend` and `training.threads`: `auto` takes WebAssembly
 * SIMD when the runtime has it and the JS reference kernels otherwise; asking for `wasm` where it
 * cannot run is a config error. With wasm and more than one thread (0 = every core), large
 * GEMMs are split across worker threads; results are bit-identical whatever the thread count.
 * The start event names the backend that ran.
 */
export function selectBackend(kind: TrainingConfig['backend'], threads = 1): Backend {
  try {
    return createNodeBackend(kind, { threads });
  } catch (error) {
    if (kind !== 'wasm') throw error;
    throw usageError(`training.backend: wasm is not available here (${(error as Error).message}). Use backend: auto or js.`);
  }
}
