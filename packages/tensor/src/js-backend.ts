import type { Backend } from './backend.js';
import { backendFromKernels } from './kernel-backend.js';
import { JS_KERNELS } from './kernels.js';

/**
 * The readable reference backend: plain loops over typed arrays (src/js/) behind the shared
 * argument checks of src/kernel-backend.ts. Works for float32 and float64 everywhere.
 */
export function createJsBackend(): Backend {
  return backendFromKernels('js', JS_KERNELS);
}
