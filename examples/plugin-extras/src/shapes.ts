import { ShapeError } from '@scratchnet/spec';
import { type Shape, formatShape } from '@scratchnet/tensor';

const isSize = (d: number): boolean => Number.isInteger(d) && d >= 1;

/** Throws ShapeError (naming the layer by its registered id) unless every dimension is an integer >= 1. */
export function requireSampleShape(type: string, shape: Shape): Shape {
  if (shape.length === 0 || !shape.every(isSize)) {
    throw new ShapeError(
      undefined,
      type,
      '[d1, d2, ...] with every dimension an integer >= 1',
      formatShape(shape),
      'Check model.input and the layer before this one.',
    );
  }
  return shape;
}

/** `features` of a 1-D per-sample shape [features]; ShapeError otherwise. */
export function requireFeatures(type: string, shape: Shape): number {
  const [features] = shape;
  if (shape.length !== 1 || features === undefined || !isSize(features)) {
    throw new ShapeError(undefined, type, '[features] (1-D)', formatShape(shape), 'Add { type: flatten } before this layer.');
  }
  return features;
}
