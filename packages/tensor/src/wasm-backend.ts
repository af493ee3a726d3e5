import type { Backend } from './backend.js';
import { backendFromKernels } from './kernel-backend.js';
import { type CompiledKernels, type WasmFlavour, compileKernels, compileKernelsAsync, instantiateKernels } from './wasm/kernels.js';
import { type GemmEngine, wasmKernelTable } from './wasm/wasm-kernels.js';
import { Workspace } from './wasm/workspace.js';

export interface WasmBackendOptions {
  /** Force a build of the kernels; default: relaxed SIMD (FMA) when the runtime validates it, else plain SIMD. */
  readonly flavour?: WasmFlavour;
}

/** The wasm backend plus what it runs on (for benchmarks and diagnostics). */
export interface WasmBackend extends Backend {
  readonly flavour: WasmFlavour;
  /** Bytes of linear memory the kernels' workspace holds now (it only grows when shapes grow). */
  readonly workspaceBytes: number;
}

/**
 * The WebAssembly SIMD backend: matmul and the other hot float32 kernels run in an
 * AssemblyScript module embedded in this package (one instance and linear memory per backend);
 * float64 tensors (gradient checks) and the remaining kernels use the JS reference kernels. The
 * argument checks and error messages are the JS backend's. Compiles synchronously; throws an
 * Error when the runtime lacks WebAssembly SIMD.
 */
export function createWasmBackend(options: WasmBackendOptions = {}): WasmBackend {
  return wasmBackendOver(compileKernels(options.flavour));
}

/** Like createWasmBackend, but compiles asynchronously (browsers limit synchronous compiles). */
export async function loadWasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  return wasmBackendOver(await compileKernelsAsync(options.flavour));
}

function wasmBackendOver(compiled: CompiledKernels): WasmBackend {
  return wasmBackendOn(new Workspace(instantiateKernels(compiled)), compiled.flavour);
}

/** The wasm backend over a workspace (and a GEMM engine, e.g. one that splits across threads). */
export function wasmBackendOn(workspace: Workspace, flavour: WasmFlavour, engine?: GemmEngine): WasmBackend {
  return {
    ...backendFromKernels('wasm', wasmKernelTable(workspace, engine)),
    flavour,
    get workspaceBytes() {
      return workspace.bytes;
    },
  };
}
