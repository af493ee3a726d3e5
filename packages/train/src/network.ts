import { ConfigError, ShapeError, createLayerBuffers } from '@scratchnet/spec';
import type {
  BuildContext,
  ConfigPath,
  Fan,
  Layer,
  LayerBuffers,
  LayerPlugin,
  Mode,
  ModelConfig,
  Parameter,
  PluginOptions,
  PluginRef,
  PluginRegistry,
} from '@scratchnet/spec';
import { type LayerFusion, fuseLayers } from '@scratchnet/layers';
import { createRng, formatShape, shapeSize, shapesEqual, Tensor } from '@scratchnet/tensor';
import type { Backend, DType, Rng, Shape } from '@scratchnet/tensor';
import { inferShapes } from './shapes.js';

export interface NetworkLayer {
  readonly type: string;
  /** The validated options the layer was built from. */
  readonly options: PluginOptions;
  /**
   * The layer as built. A built-in dense layer followed by a built-in activation is built as a
   * fused pair (fuseLayers from @scratchnet/layers): this dense layer then applies the
   * activation too and the activation's layer passes values through, so run them through
   * Network.forward, which gives the same results, bit for bit, as the unfused pair.
   */
  readonly layer: Layer;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
}

export interface NetworkForward {
  /** [n, ...outputShape] */
  readonly output: Tensor;
  /**
   * Back-propagates dLoss/dOutput ([n, ...outputShape]) through the layers, writing each
   * parameter's gradient into its `grad` tensor (overwriting). Returns dLoss/dInput when the
   * network was built with `inputGradient: true`, else undefined (the layers before the first
   * one with parameters are then skipped, and that one computes no input gradient).
   */
  backward(outputGrad: Tensor): Tensor | undefined;
}

/** A non-trained tensor a layer keeps (Layer.state), named `layers.<index>.<key>`. */
export interface StateTensor {
  readonly name: string;
  /** The layer's own tensor: loading a model or checkpoint writes into it. */
  readonly value: Tensor;
}

export interface ForwardOptions {
  /**
   * Write activations and gradients into buffers each layer keeps from one reusing forward to
   * the next, so a training loop allocates nothing after its first batch of each size. The
   * result is then valid only until the next reusing forward. Default false: fresh tensors.
   */
  readonly reuse?: boolean;
}

export interface Network {
  readonly layers: readonly NetworkLayer[];
  /** Every trainable tensor, in layer order, named `layers.<index>.<param>`. */
  readonly parameters: readonly Parameter[];
  /**
   * Every non-trained tensor the layers keep and update themselves (Layer.state, e.g. batch
   * norm's running mean and variance), in layer order, named `layers.<index>.<key>`. Saved with
   * the model and in checkpoints next to the parameters; never seen by the optimiser.
   */
  readonly state: readonly StateTensor[];
  /** Per-sample shapes. */
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly backend: Backend;
  readonly dtype: DType;
  /** The model stream: initial weights, then train-time randomness (dropout). Checkpoints save it. */
  readonly rng: Rng;
  /**
   * x: [n, ...inputShape]; any [n, ...] with the same per-sample size is viewed as that shape.
   * Without `reuse`, each call keeps its own activations, so two forwards never overwrite each other.
   */
  forward(x: Tensor, mode: Mode, options?: ForwardOptions): NetworkForward;
}

export interface BuildOptions {
  /** Seed of the model stream; ignored when `rng` is given. */
  readonly seed?: number;
  readonly rng?: Rng;
  readonly backend: Backend;
  readonly dtype?: DType;
  /** Check that the network ends in `[classes]`. */
  readonly classes?: number;
  /** Make backward return dLoss/dInput (e.g. for saliency maps); default false. */
  readonly inputGradient?: boolean;
}

function resolveInitialiser(registry: PluginRegistry, ref: PluginRef, path: ConfigPath): PluginOptions {
  const result = registry.validateOptions('initialiser', ref, path);
  if (result.value === undefined) throw new ConfigError(result.issues);
  return result.value;
}

/**
 * Builds a network from a validated model config. The shape pass runs first, so a mismatch is
 * reported before any weight exists; layers are then created in order from one seeded stream,
 * so the same seed always gives the same initial weights. A built-in dense layer followed by a
 * built-in relu, sigmoid, tanh or leaky-relu (slope >= 0) is built fused, two backend calls per
 * step instead of up to seven, with the same parameters, names and results (see fuseLayers).
 */
export function buildNetwork(model: ModelConfig, registry: PluginRegistry, options: BuildOptions): Network {
  const shapes = inferShapes(model, registry, options.classes === undefined ? {} : { classes: options.classes });
  if (options.rng === undefined && options.seed === undefined) {
    throw new TypeError('buildNetwork needs a seed or an rng so the initial weights are reproducible');
  }
  const rng = options.rng ?? createRng(options.seed!);
  const dtype: DType = options.dtype ?? 'float32';
  const backend = options.backend;

  const layers: NetworkLayer[] = [];
  const parameters: Parameter[] = [];
  const state: StateTensor[] = [];
  const grads: Record<string, Tensor>[] = [];
  const plugins = model.layers.map((layerOptions): LayerPlugin<never> => registry.get('layer', layerOptions.type));
  // The second layer of a fused pair, built by the first's fusion (see fuseLayers).
  let fusedSecond: LayerFusion['createSecond'] | undefined;
  model.layers.forEach((layerOptions, index) => {
    const { inputShape, outputShape } = shapes.layers[index]!;
    const plugin = plugins[index]!;
    const path: ConfigPath = ['model', 'layers', index];
    const context: BuildContext = {
      inputShape,
      rng,
      backend,
      dtype,
      inputGradient: options.inputGradient === true || parameters.length > 0,
      initialise(ref: PluginRef, shape: Shape, fan: Fan): Tensor {
        const init = resolveInitialiser(registry, ref, path);
        const tensor = backend.zeros(shape, dtype);
        registry.get('initialiser', init.type).create(init as never).fill(tensor, fan, rng);
        return tensor;
      },
    };
    let layer: Layer;
    if (fusedSecond !== undefined) {
      layer = fusedSecond(context);
      fusedSecond = undefined;
    } else {
      const next = model.layers[index + 1];
      const fusion = next === undefined ? undefined : fuseLayers({ plugin, options: layerOptions }, { plugin: plugins[index + 1]!, options: next });
      layer = fusion === undefined ? plugin.create(layerOptions as never, context) : fusion.createFirst(context);
      fusedSecond = fusion?.createSecond;
    }
    const decayed = new Set(layer.decayed ?? Object.keys(layer.params));
    const layerGrads: Record<string, Tensor> = {};
    for (const [name, value] of Object.entries(layer.params)) {
      const grad = backend.zeros(value.shape, value.dtype);
      layerGrads[name] = grad;
      parameters.push({ name: `layers.${index}.${name}`, value, grad, decay: decayed.has(name) });
    }
    grads.push(layerGrads);
    for (const [key, value] of Object.entries(layer.state ?? {})) {
      if (key in layer.params) {
        throw new TypeError(`layer ${index} (${layerOptions.type}) has a parameter and a state tensor both called "${key}"; give them distinct names`);
      }
      state.push({ name: `layers.${index}.${key}`, value });
    }
    layers.push({ type: layerOptions.type, options: layerOptions, layer, inputShape, outputShape });
  });

  const inputShape = shapes.inputShape;
  const inputSize = shapeSize(inputShape);
  const firstType = model.layers[0]?.type ?? 'input';
  // Created on the first reusing forward, so networks only ever used for prediction hold none.
  let reusable: LayerBuffers[] | undefined;

  return {
    layers,
    parameters,
    state,
    inputShape,
    outputShape: shapes.outputShape,
    backend,
    dtype,
    rng,
    forward(x: Tensor, mode: Mode, forwardOptions: ForwardOptions = {}): NetworkForward {
      if (x.shape.length === 0 || x.columns !== inputSize) {
        throw new ShapeError(
          0,
          firstType,
          `[n, ${inputShape.join(', ')}]`,
          formatShape(x.shape),
          `Give the network batches of ${formatShape(inputShape)} samples (model.input).`,
        );
      }
      let current = shapesEqual(x.shape.slice(1), inputShape) ? x : x.reshape([x.rows, ...inputShape]);
      const buffers = forwardOptions.reuse === true ? (reusable ??= layers.map(() => createLayerBuffers(backend))) : undefined;
      const results = layers.map((entry, i) => {
        const result = entry.layer.forward(current, mode, buffers?.[i]);
        current = result.output;
        return result;
      });
      return {
        output: current,
        backward(outputGrad: Tensor): Tensor | undefined {
          let grad: Tensor | undefined = outputGrad;
          for (let i = results.length - 1; i >= 0 && grad !== undefined; i--) grad = results[i]!.backward(grad, grads[i]!);
          return grad;
        },
      };
    },
  };
}
