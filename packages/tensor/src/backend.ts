import type { DType, Shape, Tensor } from './tensor.js';
import type { ConvOps } from './ops/conv.js';
import type { DenseOps } from './ops/dense.js';
import type { ElementwiseOps } from './ops/elementwise.js';
import type { GatherOps } from './ops/gather.js';
import type { MatmulOps } from './ops/matmul.js';
import type { NormOps } from './ops/norm.js';
import type { OptimiserOps } from './ops/optimiser.js';
import type { PoolOps } from './ops/pool.js';
import type { RowsOps } from './ops/rows.js';
import type { SoftmaxCrossEntropyOps } from './ops/softmax-cross-entropy.js';

export type { ConvWindow } from './ops/conv.js';
export type { BoundDense, DenseActivation, DenseBinding, DenseGrads } from './ops/dense.js';
export type { MatmulOptions } from './ops/matmul.js';
export type { BatchNormBackwardOptions, BatchStatistics } from './ops/norm.js';
export type { PoolWindow } from './ops/pool.js';
export type { ClassLabels } from './ops/softmax-cross-entropy.js';
export type { AdamStepOptions, RmspropStepOptions, SgdStepOptions } from './ops/optimiser.js';

/**
 * The kernels layers, losses and optimisers call. Layers receive a Backend through their build
 * context and never import a kernel directly, so a faster implementation (WebAssembly SIMD)
 * can replace the reference one without touching any layer.
 *
 * The kernels come in op families, each declared in one module of src/ops/ (its methods, with
 * their formulas, are documented there). Conventions: batch tensors are 2-D `[rows, columns]`
 * views (higher-rank tensors are treated as `[shape[0], product of the rest]`) unless a family
 * says otherwise (conv and pooling take NCHW). Every kernel takes an optional `out` of the
 * right size and returns it (allocating when omitted); `out` may alias an input only where a
 * kernel says so. All operands of one call share a dtype.
 */
export interface Backend extends MatmulOps, ElementwiseOps, RowsOps, SoftmaxCrossEntropyOps, DenseOps, OptimiserOps, ConvOps, PoolOps, NormOps, GatherOps {
  readonly name: string;
  /** Threads the kernels run on (1 unless a Node backend splits work across worker threads). */
  readonly threads: number;

  /**
   * A zero-filled tensor in the memory this backend's kernels read and write without copying:
   * the wasm backend's linear memory for float32 (plain memory for float64, or where shared
   * WebAssembly memory is unavailable); plain memory for the JS backend. Meant for long-lived
   * tensors (parameters, gradients, optimiser state, buffers a layer reuses every step): the
   * wasm backend reclaims this memory only with the backend itself, so never call it per step.
   */
  zeros(shape: Shape, dtype?: DType): Tensor;

  /**
   * `bytes` in the memory this backend's kernels read without copying: on the wasm backend a
   * copy in its shared linear memory, made on the first call for that array object (later calls
   * return the same view, and a view already there is returned as it is); `bytes` itself on the
   * JS backend, or where memory is not shared or cannot grow that far. For a data set's pixels,
   * which gatherBytes then reads in place. Like zeros(), that memory is reclaimed only with the
   * backend: place long-lived arrays, once.
   */
  residentBytes(bytes: Uint8Array): Uint8Array;

  /**
   * Releases what the backend holds (worker threads). Safe to call more than once; the backend
   * must not be used afterwards. Backends without threads have nothing to release.
   */
  dispose(): Promise<void>;
}
