import type { PluginOptions } from '@scratchnet/spec';
import type { ImportedTensor } from './node-context.js';
import { formatDims, sizeOf } from './tensor-values.js';

/** A preprocessing step read from the arithmetic in front of the first layer, e.g. Div 255 -> scale. */
export interface ImportedPreprocess {
  readonly options: PluginOptions;
  /** What the step would have fitted on training data (standardise's mean and std). */
  readonly state: Readonly<Record<string, unknown>>;
}

/**
 * The mapping so far, as the chain is walked. The ONNX value and the scratchnet layers can hold
 * the same values in different shapes (GlobalAveragePool gives [c, 1, 1], global-avg-pool [c]),
 * so both shapes are tracked and a reshape layer is added only where a layer needs the other one.
 */
export interface MapState {
  /** Per-sample shape of the current ONNX value. */
  onnxShape: readonly number[];
  /** Per-sample shape the scratchnet layers so far output. */
  scratchShape: readonly number[];
  readonly layers: PluginOptions[];
  /** Weights by scratchnet name: `layers.<i>.<param>`. */
  readonly tensors: Map<string, ImportedTensor>;
  readonly preprocess: ImportedPreprocess[];
  /** The layer index of a dense layer made from a MatMul, whose bias a following Add may give. */
  openDense: number | undefined;
  /**
   * The network's input shape (model.input): the graph input's, or what a Flatten or Reshape
   * before the first layer makes of it (scratchnet feeds [1, 28, 28] samples to a [784] network
   * as they are, so that needs no layer).
   */
  networkInput: readonly number[];
}

export function createMapState(inputShape: readonly number[]): MapState {
  return { onnxShape: inputShape, scratchShape: inputShape, layers: [], tensors: new Map(), preprocess: [], openDense: undefined, networkInput: inputShape };
}

/** Appends a layer with its weights (named by its index) and the per-sample shapes after it. */
export function addLayer(
  state: MapState,
  options: PluginOptions,
  weights: Readonly<Record<string, ImportedTensor>>,
  onnxShape: readonly number[],
  scratchShape: readonly number[] = onnxShape,
): number {
  const index = state.layers.length;
  state.layers.push(options);
  for (const [name, tensor] of Object.entries(weights)) state.tensors.set(`layers.${index}.${name}`, tensor);
  state.onnxShape = onnxShape;
  state.scratchShape = scratchShape;
  state.openDense = undefined;
  return index;
}

const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Makes the scratchnet layers output the current ONNX shape before a layer that cares about the
 * layout (conv, pooling, dense, batch norm): a flatten for a 1-D shape, a reshape otherwise.
 */
export function matchShapes(state: MapState): void {
  if (same(state.onnxShape, state.scratchShape)) return;
  if (sizeOf(state.onnxShape) !== sizeOf(state.scratchShape)) {
    // Never happens for the shapes the mappers compute; a guard against a mapping bug.
    throw new RangeError(`matchShapes: ${formatDims(state.scratchShape)} and ${formatDims(state.onnxShape)} differ in size`);
  }
  const options = state.onnxShape.length === 1 ? { type: 'flatten' } : { type: 'reshape', shape: [...state.onnxShape] };
  const { openDense } = state;
  addLayer(state, options, {}, state.onnxShape);
  state.openDense = openDense;
}
