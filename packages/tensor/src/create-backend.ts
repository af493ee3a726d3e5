import type { Backend } from './backend.js';
import { createJsBackend } from './js-backend.js';
import { wasmSupport } from './wasm/api.js';
import { createWasmBackend } from './wasm-backend.js';

/** 'auto': wasm when WebAssembly SIMD is available, else js. */
export type BackendKind = 'auto' | 'js' | 'wasm';

/**
 * The backend for a config's `backend:` setting. 'wasm' throws an Error naming the missing
 * feature when the runtime has no WebAssembly SIMD; 'auto' falls back to the JS kernels then.
 */
export function createBackend(kind: BackendKind = 'auto'): Backend {
  switch (kind) {
    case 'js':
      return createJsBackend();
    case 'wasm':
      return createWasmBackend();
    case 'auto':
      return wasmSupport().simd ? createWasmBackend() : createJsBackend();
    default:
      throw new RangeError(`createBackend: unknown backend kind ${JSON.stringify(kind)}; expected 'auto', 'js' or 'wasm'`);
  }
}
