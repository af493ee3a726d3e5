import { type Backend, type DType, type Shape, Tensor, formatShape, shapesEqual } from '@scratchnet/tensor';
import type { LayerBuffers } from './plugins.js';

/**
 * The LayerBuffers a network gives one layer: tensors from `backend.zeros`, kept by key, shape
 * and dtype, so a training loop whose batches take two sizes (full and last) holds two sets and
 * allocates nothing after its first epoch.
 */
export function createLayerBuffers(backend: Backend): LayerBuffers {
  const kept = new Map<string, Tensor>();
  // The tensor each key handed out last: a step asks for the same shapes as the one before, so
  // most calls end at a shape comparison instead of building the map's string key.
  const last = new Map<string, Tensor>();
  return {
    get(key: string, shape: Shape, dtype: DType): Tensor {
      const recent = last.get(key);
      if (recent !== undefined && recent.dtype === dtype && shapesEqual(recent.shape, shape)) return recent;
      const id = `${key} ${dtype} ${formatShape(shape)}`;
      let tensor = kept.get(id);
      if (tensor === undefined) {
        tensor = backend.zeros(shape, dtype);
        kept.set(id, tensor);
      }
      last.set(key, tensor);
      return tensor;
    },
  };
}

/** `buffers.get(...)` when a loop gave buffers, else a new tensor (the allocating path). */
export function bufferOrNew(buffers: LayerBuffers | undefined, key: string, shape: Shape, dtype: DType): Tensor {
  return buffers === undefined ? Tensor.zeros(shape, dtype) : buffers.get(key, shape, dtype);
}

/**
 * The `out` to pass a kernel: the layer's reused tensor under `key` when a loop gave buffers,
 * else undefined so the kernel allocates in the backend's preferred memory exactly as it would
 * without buffers (the allocating path stays what it was).
 */
export function outFor(buffers: LayerBuffers | undefined, key: string, shape: Shape, dtype: DType): Tensor | undefined {
  return buffers?.get(key, shape, dtype);
}

/**
 * `tensor.reshape(shape)`, but the same view object for the same tensor while it keeps coming
 * back (a network giving buffers passes the same tensors every step), so a reshaping layer
 * creates nothing per step. Views share memory; nothing is copied either way.
 */
export function reshapeMemo(): (tensor: Tensor, shape: Shape) => Tensor {
  let source: Tensor | undefined;
  let view: Tensor | undefined;
  return (tensor, shape) => {
    if (tensor !== source || view === undefined || !shapesEqual(view.shape, shape)) {
      source = tensor;
      view = tensor.reshape(shape);
    }
    return view;
  };
}
