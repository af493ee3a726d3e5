import type { LayerBuffers } from '@scratchnet/spec';
import { type DType, type Shape, type Tensor, shapesEqual } from '@scratchnet/tensor';

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

