import { setFlagsFromString } from 'node:v8';
import { wasmSupport } from './api.js';
import type { WasmFlavour } from './kernels.js';

/**
 * Every build of the kernels this process can run. Node 20 validates relaxed SIMD only behind
 * a V8 flag; tests turn it on (library code never does) so both builds are checked on every
 * Node version the package supports.
 */
export function testedFlavours(): WasmFlavour[] {
  if (!wasmSupport().relaxedSimd && process.versions.node.startsWith('20.')) {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
  }
  return wasmSupport().relaxedSimd ? ['simd', 'relaxed-simd'] : ['simd'];
}
