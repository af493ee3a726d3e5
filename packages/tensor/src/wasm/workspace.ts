import type { FloatArray } from '../tensor.js';
import type { KernelExports } from './kernels.js';

const PAGE_BYTES = 65536;
/** Regions start on 64-byte boundaries (a cache line; 16 floats). */
const ALIGN_FLOATS = 16;

function alignFloats(floats: number): number {
  return Math.ceil(floats / ALIGN_FLOATS) * ALIGN_FLOATS;
}

/**
 * The wasm instance's linear memory, in two parts. From the module's static data up to `top`:
 * resident arrays handed out by zeros(), which kernels read and write in place and which are
 * never freed. From `top` on: one scratch area per kernel call, where operands that are not
 * resident are copied in and results copied out. Memory grows only when a call (or zeros())
 * needs more than there is, never shrinks. Offsets are in floats from the start of memory.
 *
 * Resident arrays exist only over a shared memory: growing a non-shared memory detaches its
 * ArrayBuffer and every view of it, while a shared memory keeps old SharedArrayBuffer objects
 * valid (a grow only hands out a new, longer one).
 */
export class Workspace {
  readonly kernels: KernelExports;
  /** Whether zeros() hands out views into memory (the memory is shared). */
  readonly resident: boolean;
  /** First float past the resident arrays: where each call's scratch starts. */
  private top: number;
  /** End of the highest region ever handed out: memory past it is still as grown, all zeros. */
  private used: number;
  private view: Float32Array;
  /** Every `memory.buffer` object views were made on (each grow of a shared memory makes a new one). */
  private readonly ownBuffers = new WeakSet<object>();

  constructor(kernels: KernelExports, resident = false) {
    this.kernels = kernels;
    this.resident = resident;
    this.top = alignFloats(Math.ceil(kernels.heapBase() / 4));
    this.used = this.top;
    this.view = this.track(new Float32Array(kernels.memory.buffer));
  }

  /** Where a call's scratch starts (floats): right after the resident arrays. */
  get scratchStart(): number {
    return this.top;
  }

  /**
   * Grows memory to hold a region of `floats` at float offset `at` and returns the end of the
   * region rounded up to the next 64-byte boundary (where the next region may start).
   */
  reserveRegion(at: number, floats: number): number {
    const end = at + alignFloats(floats);
    try {
      this.reserve(end);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      // The engine's own message ("Maximum memory size exceeded") says neither why nor what to do.
      const mib = (count: number): string => `${((count * 4) / 2 ** 20).toFixed(1)} MiB`;
      throw new RangeError(
        `wasm backend: memory is full: this call needs ${mib(end)} of the backend's memory (its resident tensors, then the call's ` +
          `operands and scratch), which has ${mib(this.kernels.memory.buffer.byteLength / 4)} and cannot grow further. Resident tensors ` +
          '(backend.zeros, residentBytes) are freed only with the backend: create them once per model and reuse them, build each new ' +
          'model on a new backend, or use smaller batches.',
      );
    }
    if (end > this.used) this.used = end;
    return end;
  }

  /** A Float32Array over all of memory as of the last reserve(); valid until memory next grows. */
  heap(): Float32Array {
    return this.view;
  }

  /** A Float32Array over all of memory, grown to at least `floats` floats. */
  reserve(floats: number): Float32Array {
    // Only this workspace grows the memory, so the view's length is the memory's size; reading
    // memory.buffer (a call into the engine) every time cost more than a small kernel.
    if (floats <= this.view.length) return this.view;
    const memory = this.kernels.memory;
    const bytes = floats * 4;
    const have = memory.buffer.byteLength;
    if (bytes > have) memory.grow(Math.ceil((bytes - have) / PAGE_BYTES));
    this.view = this.track(new Float32Array(memory.buffer));
    return this.view;
  }

  /**
   * `floats` zeros at `top`, resident for the life of the instance; undefined when memory is
   * not shared or cannot grow that far (the caller then uses plain memory).
   */
  zeros(floats: number): Float32Array | undefined {
    if (!this.resident) return undefined;
    const start = this.top;
    const end = start + alignFloats(floats);
    let heap: Float32Array;
    try {
      heap = this.reserve(end);
    } catch {
      return undefined;
    }
    // Earlier calls may have used this region as scratch; fresh pages are zero and stay untouched.
    heap.fill(0, start, Math.min(start + floats, this.used));
    this.top = end;
    this.used = Math.max(this.used, end);
    return heap.subarray(start, start + floats);
  }

  /**
   * A copy of `bytes` at `top`, resident for the life of the instance (a data set's pixels,
   * which kernels then read in place); undefined when memory is not shared or cannot grow that
   * far. The region starts on a 64-byte boundary like every other.
   */
  residentBytes(bytes: Uint8Array): Uint8Array | undefined {
    if (!this.resident) return undefined;
    const start = this.top;
    const end = start + alignFloats(Math.ceil(bytes.length / 4));
    let heap: Float32Array;
    try {
      heap = this.reserve(end);
    } catch {
      return undefined;
    }
    this.top = end;
    this.used = Math.max(this.used, end);
    const copy = new Uint8Array(heap.buffer, start * 4, bytes.length);
    copy.set(bytes);
    return copy;
  }

  /** Whether `data` is a view into this memory (from zeros() or residentBytes(), or a subarray of one). */
  holds(data: FloatArray | Uint8Array): boolean {
    const buffer = data.buffer;
    return this.resident && (buffer === this.view.buffer || this.ownBuffers.has(buffer));
  }

  /** Current size of linear memory in bytes (for tests of the no-growth guarantee). */
  get bytes(): number {
    return this.kernels.memory.buffer.byteLength;
  }

  private track(view: Float32Array): Float32Array {
    if (this.resident) this.ownBuffers.add(view.buffer);
    return view;
  }
}
