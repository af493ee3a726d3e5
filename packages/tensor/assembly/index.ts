// Entry of the kernels module. The JS side (src/wasm/wasm-kernels.ts) calls a kernel with byte
// offsets: operands already in this module's memory (tensors from backend.zeros) are used in
// place, others are copied into scratch and results copied back out.
export { gemm, gemmScratchFloats } from './gemm';
export { binary, scale, axpy, leakyRelu, leakyReluBackward } from './elementwise';
export { addRowVector, sumRows } from './rows';
export { sgdStep } from './optimiser';

/** First byte after static data: JS places its workspace from here (rounded up). */
export function heapBase(): usize {
  return __heap_base;
}
