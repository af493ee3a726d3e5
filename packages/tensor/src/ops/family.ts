import type { FloatArray } from '../tensor.js';
import type { ParallelEngine } from '../wasm/engine.js';
import type { Staging } from '../wasm/operands.js';

/**
 * One op family (matmul, elementwise, rows, softmax cross-entropy, optimiser steps, conv, pool,
 * norm) declared in one module: its typed-array kernel table `K` with the readable JS reference (the specification),
 * the binding of `K` to the WebAssembly module's exports, and the Backend methods `M` that check
 * their arguments and call the kernels. Backends are built from the list in src/ops/families.ts,
 * so adding a kernel to a family touches that family's module, its AssemblyScript file (which
 * `assembly/index.ts` re-exports whole) and a test.
 */
export interface OpFamily<K extends object, M extends object> {
  readonly name: string;
  /** Plain-loop kernels: sizes already checked, `out` already allocated. Work for float32 and float64. */
  readonly reference: K;
  /**
   * The fast kernels, bound to the wasm module: each entry replaces the reference one. A binding
   * gets float64 operands too (gradient checks) and must hand those to `reference`.
   */
  wasm?(context: WasmContext, reference: K): Partial<K>;
  /** The Backend methods over a kernel table (the reference or the wasm one). */
  methods(kernels: K): M;
}

/** What a family's wasm binding works with. */
export interface WasmContext {
  /** The module's exports; a family reads its own through an interface it declares. */
  readonly exports: object;
  /** Puts operands into wasm memory (in place when resident) and copies results out. */
  readonly staging: Staging;
  /** Runs GEMMs and jobs of independent work, on one thread or split across worker threads. */
  readonly engine: ParallelEngine;
}

/** Identity, so a family's kernel and method types are inferred in one place. */
export function defineFamily<K extends object, M extends object>(family: OpFamily<K, M>): OpFamily<K, M> {
  return family;
}

/** Whether a kernel operand is float64 (then the wasm bindings use the reference kernel). */
export const is64 = (x: FloatArray): boolean => x.BYTES_PER_ELEMENT === 8;

/** A wasm flag argument. */
export const flag = (value: boolean): number => (value ? 1 : 0);
