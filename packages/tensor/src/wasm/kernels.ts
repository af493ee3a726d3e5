import {
  RELAXED_SIMD_KERNELS_WASM,
  SHARED_RELAXED_SIMD_KERNELS_WASM,
  SHARED_SIMD_KERNELS_WASM,
  SIMD_KERNELS_WASM,
} from '../generated/wasm-kernels.generated.js';
import { type WasmApi, type WasmMemory, wasmApi, wasmSupport } from './api.js';

/** Which build of the kernels: relaxed SIMD uses fused multiply-add, plain SIMD does not. */
export type WasmFlavour = 'relaxed-simd' | 'simd';

/**
 * The exports of assembly/index.ts that the workspace and the GEMM engine use; each op family
 * (src/ops/) declares the exports it binds. Pointers are byte offsets into `memory`; flags are 0 or 1.
 */
export interface KernelExports {
  readonly memory: WasmMemory;
  heapBase(): number;
  gemmScratchFloats(m: number, n: number, k: number): number;
  gemm(
    a: number, lda: number, b: number, ldb: number, c: number, ldc: number,
    m: number, n: number, k: number, transA: number, transB: number, accumulate: number, scratch: number,
  ): void;
}

/** A compiled kernels module and how it was built. */
export interface CompiledKernels {
  readonly module: object;
  readonly flavour: WasmFlavour;
  /** Imports a shared memory (env.memory) instead of owning one, so worker threads can share it. */
  readonly shared: boolean;
}

function requireApi(): WasmApi {
  const api = wasmApi();
  const support = wasmSupport();
  if (api === undefined || !support.simd) {
    throw new Error(
      'wasm backend: this JavaScript runtime has ' +
        (api === undefined ? 'no WebAssembly' : 'WebAssembly without SIMD') +
        "; the wasm backend needs WebAssembly SIMD (Node >= 16.4, current browsers). Use backend 'js' or 'auto' instead.",
    );
  }
  return api;
}

/** The best flavour this runtime validates, or the requested one (checked). */
export function chooseFlavour(requested?: WasmFlavour): WasmFlavour {
  requireApi();
  const relaxed = wasmSupport().relaxedSimd;
  if (requested === 'relaxed-simd' && !relaxed) {
    throw new Error(
      "wasm backend: flavour 'relaxed-simd' was requested but this runtime does not validate relaxed SIMD " +
        "(Node 20 needs --experimental-wasm-relaxed-simd; Node >= 22 has it). Omit the flavour to use plain SIMD.",
    );
  }
  return requested ?? (relaxed ? 'relaxed-simd' : 'simd');
}

function kernelBytes(flavour: WasmFlavour, shared: boolean): Uint8Array {
  const base64 = shared
    ? flavour === 'relaxed-simd' ? SHARED_RELAXED_SIMD_KERNELS_WASM : SHARED_SIMD_KERNELS_WASM
    : flavour === 'relaxed-simd' ? RELAXED_SIMD_KERNELS_WASM : SIMD_KERNELS_WASM;
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Compiles the kernels synchronously (fine in Node and workers; browsers prefer the async form). */
export function compileKernels(flavour?: WasmFlavour, shared = false): CompiledKernels {
  const chosen = chooseFlavour(flavour);
  return { module: new (requireApi().Module)(kernelBytes(chosen, shared)), flavour: chosen, shared };
}

export async function compileKernelsAsync(flavour?: WasmFlavour, shared = false): Promise<CompiledKernels> {
  const chosen = chooseFlavour(flavour);
  return { module: await requireApi().compile(kernelBytes(chosen, shared)), flavour: chosen, shared };
}

/** Pages a shared memory may grow to (1 GiB; the shared builds declare the same maximum). */
export const MAX_SHARED_PAGES = 16384;

/**
 * A new shared WebAssembly.Memory for the shared builds, or undefined where the runtime cannot
 * make one: no SharedArrayBuffer (browsers without cross-origin isolation) or a refusing constructor.
 */
export function createSharedMemory(): WasmMemory | undefined {
  const api = wasmApi();
  if (api === undefined || typeof SharedArrayBuffer === 'undefined') return undefined;
  try {
    return new api.Memory({ initial: 1, maximum: MAX_SHARED_PAGES, shared: true });
  } catch {
    return undefined;
  }
}

/**
 * An instance of the kernels: with its own linear memory, or (for a shared build) over `memory`,
 * a shared WebAssembly.Memory of at most 16384 pages.
 */
export function instantiateKernels(compiled: CompiledKernels, memory?: WasmMemory): KernelExports {
  const imports = compiled.shared ? { env: { memory } } : {};
  return new (requireApi().Instance)(compiled.module, imports).exports as KernelExports;
}
