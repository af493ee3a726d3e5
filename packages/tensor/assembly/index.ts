// Entry of the kernels module. The JS side (src/wasm-backend.ts) copies operands into this
// module's memory, calls a kernel with byte offsets, and copies results out.
export { gemm, gemmScratchFloats } from './gemm';
export { binary, scale, axpy, leakyRelu, leakyReluBackward } from './elementwise';
export { addRowVector, sumRows } from './rows';

/** First byte after static data: JS places its workspace from here (rounded up). */
export function heapBase(): usize {
  return __heap_base;
}
