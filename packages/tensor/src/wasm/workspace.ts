import type { KernelExports } from './kernels.js';

const PAGE_BYTES = 65536;
/** Regions start on 64-byte boundaries (a cache line; 16 floats). */
const ALIGN_FLOATS = 16;

function alignFloats(floats: number): number {
  return Math.ceil(floats / ALIGN_FLOATS) * ALIGN_FLOATS;
}

/**
 * The wasm instance's linear memory used as one scratch area per kernel call: operands are
 * copied in, the kernel runs, results are copied out. Memory grows only when a call needs more
 * than any call before (so a training loop stops growing it after its largest batch) and never
 * shrinks. Offsets are in floats from the start of memory.
 */
export class Workspace {
  readonly kernels: KernelExports;
  private readonly base: number;
  private view: Float32Array;

  constructor(kernels: KernelExports) {
    this.kernels = kernels;
    this.base = alignFloats(Math.ceil(kernels.heapBase() / 4));
    this.view = new Float32Array(kernels.memory.buffer);
  }

  /**
   * Lays out regions of the given sizes (floats) one after another, grows memory to hold them,
   * and returns their float offsets. The returned `heap` view is valid until the next call.
   */
  layout(sizes: readonly number[]): { readonly heap: Float32Array; readonly offsets: number[] } {
    const offsets: number[] = [];
    let end = this.base;
    for (const size of sizes) {
      offsets.push(end);
      end += alignFloats(size);
    }
    return { heap: this.reserve(end), offsets };
  }

  /** A Float32Array over all of memory, grown to at least `floats` floats. */
  reserve(floats: number): Float32Array {
    const memory = this.kernels.memory;
    const bytes = floats * 4;
    const have = memory.buffer.byteLength;
    if (bytes > have) memory.grow(Math.ceil((bytes - have) / PAGE_BYTES));
    if (this.view.buffer !== memory.buffer) this.view = new Float32Array(memory.buffer);
    return this.view;
  }

  /** Current size of linear memory in bytes (for tests of the no-growth guarantee). */
  get bytes(): number {
    return this.kernels.memory.buffer.byteLength;
  }
}
