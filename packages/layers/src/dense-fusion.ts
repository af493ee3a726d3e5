import type { BuildContext, Layer, LayerPlugin, Options, PluginOptions } from '@scratchnet/spec';
import type { DenseActivation } from '@scratchnet/tensor';
import { type DenseOptions, createDense, dense } from './dense.js';
import { leakyRelu } from './leaky-relu.js';
import { relu } from './relu.js';
import { sigmoid } from './sigmoid.js';
import { tanh } from './tanh.js';

/** One layer of a model as a network builds it: the plugin the registry gave and its validated options. */
export interface FusionCandidate {
  readonly plugin: LayerPlugin<never>;
  readonly options: PluginOptions;
}

/** Two adjacent layers that run as one; each keeps its index, parameters and shapes. */
export interface LayerFusion {
  /** The first layer, which also computes the second's function (and its gradient). */
  createFirst(context: BuildContext): Layer;
  /** The second layer, which passes its input forward and its output gradient back unchanged. */
  createSecond(context: BuildContext): Layer;
}

/**
 * A dense layer followed by an activation, y = act(x·W + b), in two backend calls per step
 * instead of up to seven: the dense layer applies the activation itself (denseForward), and
 * its backward starts from the activation's gradient (denseBackward), so the activation layer
 * becomes a pass-through. Results are bit for bit those of the two layers built apart, on every
 * backend: the fused ops are the same kernels composed.
 *
 * Returns the fusion for `dense` followed by `relu`, `sigmoid`, `tanh` or `leaky-relu` with a
 * slope >= 0 (the fused backward reads the sign of x from y), and undefined for any other pair.
 * Plugins are compared by identity with this package's own objects, so a replacement registered
 * under a built-in id, a plugin under another name, or another copy of this package is built
 * layer by layer as before. Parameter names, layer indices, model files and what a config says
 * do not change: only how the two layers compute.
 */
export function fuseLayers(first: FusionCandidate, second: FusionCandidate): LayerFusion | undefined {
  if (!isPlugin(first.plugin, dense)) return undefined;
  const activation = fusedActivation(second);
  if (activation === undefined) return undefined;
  // Validated against dense's schema: the registry gave this plugin for them.
  const options = first.options as unknown as Options<DenseOptions>;
  return {
    createFirst: (context) => createDense(options, context, activation),
    createSecond: passThrough,
  };
}

const isPlugin = (plugin: LayerPlugin<never>, builtin: object): boolean => (plugin as object) === builtin;

function fusedActivation({ plugin, options }: FusionCandidate): DenseActivation | undefined {
  if (isPlugin(plugin, relu)) return { type: 'relu' };
  if (isPlugin(plugin, sigmoid)) return { type: 'sigmoid' };
  if (isPlugin(plugin, tanh)) return { type: 'tanh' };
  const slope = options['slope'];
  if (isPlugin(plugin, leakyRelu) && typeof slope === 'number' && slope >= 0 && Number.isFinite(slope)) return { type: 'leaky-relu', slope };
  return undefined;
}

/** The activation's place in a fused pair: the dense layer before it has applied it already. */
function passThrough(context: BuildContext): Layer {
  const inputGradient = context.inputGradient !== false;
  return {
    params: {},
    forward: (input) => ({ output: input, backward: (outputGrad) => (inputGradient ? outputGrad : undefined) }),
  };
}
