// Entry of the kernels module: every kernel file's exports, whole, so a new kernel needs no line
// here. The JS side (each op family in src/ops/) calls a kernel with byte offsets: operands
// already in this module's memory (tensors from backend.zeros) are used in place, others are
// copied into scratch and results copied back out.
export * from './gemm';
export * from './elementwise';
export * from './rows';
export * from './softmax-cross-entropy';
export * from './dense';
export * from './optimiser';
export * from './pool';
export * from './norm';
export * from './conv';
export * from './conv-direct';
export * from './gather';

/** First byte after static data: JS places its workspace from here (rounded up). */
export function heapBase(): usize {
  return __heap_base;
}
