import type { OnnxLayerContext, OnnxNode, OnnxTensor } from '@scratchnet/spec';

/**
 * How one built-in layer becomes ONNX nodes: the same signature as a plugin's `toOnnx`, so
 * built-in and third-party layers go through one path (and one set of checks).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each mapping declares the options of its own layer
export type LayerMapping = (context: OnnxLayerContext<any>) => readonly OnnxNode[];

/** A 1-D int64 constant, e.g. the shape input of Reshape. */
export function int64(values: readonly number[]): OnnxTensor {
  return { shape: [values.length], data: BigInt64Array.from(values, (v) => BigInt(v)) };
}

/**
 * Reshape of the layer's input to [N, ...shape], N taken from the input (a 0 in Reshape's shape
 * copies that dimension, so the batch stays dynamic and any size, 0 included, works).
 */
export function reshapeKeepingBatch(context: OnnxLayerContext, input: string, shape: readonly number[], output: string): OnnxNode {
  return { opType: 'Reshape', inputs: [input, context.addInitializer('shape', int64([0, ...shape]))], outputs: [output] };
}

/** [N, d1, d2, ...] -> [N, d1·d2·...]. */
export function flattenNode(input: string, output: string): OnnxNode {
  return { opType: 'Flatten', inputs: [input], outputs: [output], attributes: { axis: { int: 1 } } };
}

/** One elementwise operator with no attributes. */
export const unary =
  (opType: string): LayerMapping =>
  ({ input, output }) => [{ opType, inputs: [input], outputs: [output] }];
