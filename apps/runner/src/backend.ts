import type { TrainingConfig } from '@scratchnet/spec';
import { createBackend, type Backend } from '@scratchnet/tensor';
import { usageError } from './exit-codes.js';

/**
 * The kernel backend for `training.backend`: `auto` takes WebAssembly SIMD when the runtime has
 * it and the JS reference kernels otherwise; asking for `wasm` where it cannot run is a config
 * error. The start event names the backend that ran.
 */
export function selectBackend(kind: TrainingConfig['backend']): Backend {
  try {
    return createBackend(kind);
  } catch (error) {
    if (kind !== 'wasm') throw error;
    throw usageError(`training.backend: wasm is not available here (${(error as Error).message}). Use backend: auto or js.`);
  }
}
