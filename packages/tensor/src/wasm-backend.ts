import type { Backend } from './backend.js';
import { checkShapeAndDtype } from './ops/checks.js';
import { backendFromFamilies } from './ops/families.js';
import { type DType, type Shape, Tensor, shapeSize } from './tensor.js';
import type { WasmMemory } from './wasm/api.js';
import {
  type CompiledKernels,
  type WasmFlavour,
  compileKernels,
  compileKernelsAsync,
  createSharedMemory,
  instantiateKernels,
} from './wasm/kernels.js';
import { type ParallelEngine, singleThreadEngine } from './wasm/engine.js';
import { Staging } from './wasm/operands.js';
import { Workspace } from './wasm/workspace.js';

export interface WasmBackendOptions {
  /** Force a build of the kernels; default: relaxed SIMD (FMA) when the runtime validates it, else plain SIMD. */
  readonly flavour?: WasmFlavour;
  /**
   * Run on a shared WebAssembly.Memory, so zeros() can hand out float32 tensors that live in it
   * and kernels use them without copying. Default: when the runtime can create one. false: the
   * module's own memory (every call copies). true: throw an Error when the runtime cannot.
   */
  readonly sharedMemory?: boolean;
}

/** The wasm backend plus what it runs on (for benchmarks and diagnostics). */
export interface WasmBackend extends Backend {
  readonly flavour: WasmFlavour;
  /** Whether its memory is shared, i.e. float32 zeros() tensors live in wasm memory. */
  readonly sharedMemory: boolean;
  /** Bytes of linear memory the kernels' workspace holds now (it only grows when shapes grow). */
  readonly workspaceBytes: number;
}

/**
 * The WebAssembly SIMD backend: matmul and the other hot float32 kernels run in an
 * AssemblyScript module embedded in this package (one instance and linear memory per backend);
 * float64 tensors (gradient checks) and the remaining kernels use the JS reference kernels. The
 * argument checks and error messages are the JS backend's. Operands made by zeros() are used in
 * place; others are copied into the module's memory and back. Compiles synchronously; throws an
 * Error when the runtime lacks WebAssembly SIMD.
 */
export function createWasmBackend(options: WasmBackendOptions = {}): WasmBackend {
  const memory = chooseMemory(options.sharedMemory);
  return wasmBackendOver(compileKernels(options.flavour, memory !== undefined), memory);
}

/** Like createWasmBackend, but compiles asynchronously (browsers limit synchronous compiles). */
export async function loadWasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  const memory = chooseMemory(options.sharedMemory);
  return wasmBackendOver(await compileKernelsAsync(options.flavour, memory !== undefined), memory);
}

function chooseMemory(shared: boolean | undefined): WasmMemory | undefined {
  if (shared === false) return undefined;
  const memory = createSharedMemory();
  if (memory === undefined && shared === true) {
    throw new Error(
      'wasm backend: sharedMemory: true was requested but this runtime cannot create a shared WebAssembly.Memory ' +
        '(browsers need cross-origin isolation: COOP and COEP headers). Omit the option to fall back to copying operands.',
    );
  }
  return memory;
}

function wasmBackendOver(compiled: CompiledKernels, memory: WasmMemory | undefined): WasmBackend {
  const workspace = new Workspace(instantiateKernels(compiled, memory), compiled.shared);
  return wasmBackendOn(workspace, compiled.flavour);
}

/**
 * The wasm backend over a workspace and an engine (one that splits work across threads, or the
 * calling thread alone): each op family's wasm bindings over its reference kernels.
 */
export function wasmBackendOn(
  workspace: Workspace,
  flavour: WasmFlavour,
  engine: ParallelEngine = singleThreadEngine(workspace.kernels),
  dispose: () => Promise<void> = () => Promise.resolve(),
): WasmBackend {
  const context = { exports: workspace.kernels, staging: new Staging(workspace), engine };
  // Each source array is placed once, however many batchers ask.
  const placed = new WeakMap<Uint8Array, Uint8Array>();
  const lifecycle = {
    name: 'wasm',
    threads: engine.threads,
    // float32 in wasm memory when it is shared and can grow; plain otherwise.
    zeros(shape: Shape, dtype: DType = 'float32'): Tensor {
      checkShapeAndDtype('zeros', shape, dtype);
      const data = dtype === 'float32' ? workspace.zeros(shapeSize(shape)) : undefined;
      return data === undefined ? Tensor.zeros(shape, dtype) : new Tensor(shape, data);
    },
    residentBytes(bytes: Uint8Array): Uint8Array {
      if (workspace.holds(bytes)) return bytes;
      let copy = placed.get(bytes);
      if (copy === undefined) {
        copy = workspace.residentBytes(bytes) ?? bytes;
        placed.set(bytes, copy);
      }
      return copy;
    },
    dispose,
    flavour,
    sharedMemory: workspace.resident,
    get workspaceBytes() {
      return workspace.bytes;
    },
  };
  return backendFromFamilies(lifecycle, (family) => ({ ...family.reference, ...family.wasm?.(context, family.reference) }));
}
