import { ShapeError } from '@scratchnet/spec';
import { type Shape, type Tensor, formatShape } from '@scratchnet/tensor';

/**
 * Throws ShapeError unless `shape` is a usable per-sample shape: at least one dimension, each an
 * integer >= 1. Layers that accept any shape still call it, so a bad `model.input` or a broken
 * upstream `outputShape` is reported at the first layer that sees it.
 */
export function requireSampleShape(type: string, shape: Shape): void {
  if (shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new ShapeError(
      undefined,
      type,
      '[d1, d2, ...] (at least 1-D, every dimension an integer >= 1)',
      formatShape(shape),
      'Check model.input and the outputShape of the layer before this one.',
    );
  }
}

/** The gradient buffer for parameter `name`; a missing one is a caller bug worth a clear message. */
export function gradientFor(grads: Readonly<Record<string, Tensor>>, name: string, type: string): Tensor {
  const grad = grads[name];
  if (grad === undefined) {
    throw new TypeError(`${type} backward: grads has no "${name}" tensor; pass one buffer per entry of layer.params.`);
  }
  return grad;
}
