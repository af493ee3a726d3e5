// The ONNX export hook of a layer plugin (LayerPlugin.toOnnx): plain data, so a plugin needs no
// ONNX package to provide it.
import type { Shape } from '@scratchnet/tensor';
import type { Options } from './plugins.js';

/** A constant tensor, row-major: float32 values (weights), or int64 ones (e.g. a Reshape's shape). */
export interface OnnxTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array | BigInt64Array;
}

/** A parameter or state tensor of the layer as stored with the model (`weights.safetensors`). */
export interface OnnxFloatTensor extends OnnxTensor {
  readonly data: Float32Array;
}

/**
 * An ONNX attribute value, tagged with its kind because ONNX tells `1` (INT) from `1.0` (FLOAT):
 * `{ int: 1 }`, `{ float: 0.01 }`, `{ ints: [2, 2] }`, `{ floats: [...] }`, `{ string: 'NOTSET' }`,
 * `{ strings: [...] }`.
 */
export type OnnxAttribute =
  | { readonly int: number }
  | { readonly float: number }
  | { readonly ints: readonly number[] }
  | { readonly floats: readonly number[] }
  | { readonly string: string }
  | { readonly strings: readonly string[] };

/** One ONNX operator (of the default ai.onnx domain), e.g. `{ opType: 'Sigmoid', inputs: [x], outputs: [y] }`. */
export interface OnnxNode {
  readonly opType: string;
  /** Value names: the layer's `input`, initialisers from `addInitializer`, earlier nodes' outputs; '' skips an optional input. */
  readonly inputs: readonly string[];
  /** New value names (from `uniqueName`), the last node's being the layer's `output`. */
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, OnnxAttribute>>;
}

/**
 * What `toOnnx` is given for one layer of the model being exported. Shapes are per sample: every
 * value in the graph also has a leading batch dimension of any size (`N`).
 */
export interface OnnxLayerContext<O = Record<string, unknown>> {
  /** The layer's index in model.layers. */
  readonly index: number;
  /** The layer's validated options, as model.json stores them. */
  readonly options: Options<O>;
  /** Name of the value the layer reads: [N, ...inputShape], float32. */
  readonly input: string;
  /** Name of the value the layer's last node must write: [N, ...outputShape], float32. */
  readonly output: string;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  /** The ONNX operator set version being written (13 to 21): the node forms must be valid in it. */
  readonly opset: number;
  /** The layer's trained parameters by name (its `params`), e.g. `weight`. */
  readonly parameters: Readonly<Record<string, OnnxFloatTensor>>;
  /** The layer's state tensors by name (its `state`), e.g. batch norm's `runningMean`. */
  readonly state: Readonly<Record<string, OnnxFloatTensor>>;
  /**
   * Adds a constant (an ONNX initialiser) and returns its value name: `layers.<index>.<name>`, made
   * unique. Give a parameter its own name (`addInitializer('weight', parameters.weight)`) so the
   * ONNX file names it as weights.safetensors does.
   */
  addInitializer(name: string, tensor: OnnxTensor): string;
  /** A value name no other value of the graph has: `layers.<index>.<hint>`, with a suffix when taken. */
  uniqueName(hint: string): string;
}
