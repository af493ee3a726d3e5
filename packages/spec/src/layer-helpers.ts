import { type Shape, type Tensor, formatShape } from '@scratchnet/tensor';
import { ShapeError } from './errors.js';

// The checks every layer author writes again otherwise: built-in layers and plugins share them.

const isSize = (d: number): boolean => Number.isInteger(d) && d >= 1;

/**
 * Returns `shape` when it is a usable per-sample shape: at least one dimension, each an integer
 * >= 1; ShapeError (naming the layer by `type`) otherwise. Layers that accept any shape still
 * call it, so a bad `model.input` or a broken upstream `outputShape` is reported at the first
 * layer that sees it.
 */
export function requireSampleShape(type: string, shape: Shape): Shape {
  if (shape.length === 0 || !shape.every(isSize)) {
    throw new ShapeError(
      undefined,
      type,
      '[d1, d2, ...] (at least 1-D, every dimension an integer >= 1)',
      formatShape(shape),
      'Check model.input and the outputShape of the layer before this one.',
    );
  }
  return shape;
}

/** `features` of a 1-D per-sample shape [features]; ShapeError (suggesting a flatten) otherwise. */
export function requireFeatures(type: string, shape: Shape): number {
  const [features] = shape;
  if (shape.length !== 1 || features === undefined || !isSize(features)) {
    throw new ShapeError(undefined, type, '[features] (1-D)', formatShape(shape), 'Add { type: flatten } before this layer.');
  }
  return features;
}

/** The gradient buffer for parameter `name`; a missing one is a caller bug worth a clear message. */
export function gradientFor(grads: Readonly<Record<string, Tensor>>, name: string, type: string): Tensor {
  const grad = grads[name];
  if (grad === undefined) {
    throw new TypeError(`${type} backward: grads has no "${name}" tensor; pass one buffer per entry of layer.params.`);
  }
  return grad;
}
